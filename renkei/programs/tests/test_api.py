"""The navigator's JSON API: the same search as the pages, with facets and clear 400s."""

import pytest


def test_openapi_describes_every_endpoint(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {
        "/api/programs",
        "/api/programs/{code}",
        "/api/ministries",
        "/api/budget/summary",
    } <= set(paths)


def test_the_api_documentation_is_served_without_a_cdn(client):
    page = client.get("/api/docs").content.decode()
    assert "cdn." not in page and "/static/ninja/" in page


def test_search_returns_programs_with_the_agreed_fields_and_facets(client):
    data = client.get("/api/programs", {"applicant": "local_government", "sort": "budget"}).json()
    assert data["count"] == 4
    first = data["results"][0]
    assert {
        "id",
        "name",
        "ministry",
        "applicant_types",
        "budget_thousand_yen",
        "is_part_of_larger",
        "accepts_new_projects",
        "contacts",
    } <= set(first)
    assert first["name"] == "地方大学・地域産業創生交付金"
    assert (first["budget_thousand_yen"], first["is_part_of_larger"]) == (7_200_000, False)
    assert first["applicant_types"] == ["local_government"]
    assert first["ministry"]["code"] == "cao"
    assert first["contacts"][0]["phone"] == "03-6257-3803"
    facets = {f["name"]: f for f in data["facets"]}
    assert {v["value"]: v["count"] for v in facets["applicant"]["values"]} == {
        "university": 6,
        "company": 7,
        "local_government": 4,
    }


def test_search_parameters_repeat_for_several_values(client):
    data = client.get("/api/programs?ministry=mext&ministry=mhlw&accepts_new=true").json()
    assert sorted(r["name"] for r in data["results"]) == [
        "共創の場形成支援プログラム",
        "地域活性化人材育成事業",
    ]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": "x" * 201}, "q"),
        ({"page_size": 101}, "page_size"),
        ({"sort": "popularity"}, "sort"),
        ({"market_area": "space"}, "market_area"),
        ({"ministry": "nasa"}, "ministry"),
        ({"fiscal_year": "令和4"}, "fiscal_year"),
        ({"accepts_new": "maybe"}, "accepts_new"),
    ],
)
def test_bad_parameters_get_a_400_that_names_the_field(client, params, field):
    response = client.get("/api/programs", params)
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert detail[0]["field"] == field and detail[0]["message"]


def test_errors_come_in_english_when_asked(client):
    response = client.get("/api/programs", {"page_size": 101}, headers={"accept-language": "en"})
    assert response.json()["detail"][0]["message"] == "Enter a value of at most 100."


def test_search_syntax_never_breaks_the_api(client):
    for q in ['"', "NEAR(", "*", "'; DROP TABLE programs_program; --", "OR AND"]:
        assert client.get("/api/programs", {"q": q}).status_code == 200


def test_detail_has_budget_history_calls_and_next_programs(client):
    data = client.get("/api/programs/mext-co-creation-platform").json()
    years = sorted({(b["fiscal_year"], b["amount_thousand_yen"]) for b in data["budget_lines"]})
    assert years == [(2021, 13_700_000), (2022, 13_750_508), (2022, 13_800_000)]
    assert "meti-core-university-fusion-facilities" in [n["code"] for n in data["next_programs"]]
    assert client.get("/api/programs/no-such-program").status_code == 404


def test_ministries_list_their_program_counts(client):
    data = {m["code"]: m["program_count"] for m in client.get("/api/ministries").json()}
    assert data == {"cao": 2, "env": 1, "maff": 3, "meti": 3, "mext": 2, "mhlw": 1}


def test_the_budget_summary_never_sums_part_of_larger_lines(client):
    data = client.get("/api/budget/summary", {"fiscal_year": 2022}).json()
    assert data["own_total_thousand_yen"] == 29_354_479
    maff = next(g for g in data["by_ministry"] if g["key"] == "maff")
    assert maff["own_total_thousand_yen"] == 0
    assert sorted(p["amount_thousand_yen"] for p in maff["part_of_larger"]) == [
        836_798,
        3_466_178,
        3_967_877,
    ]


def test_an_unknown_choice_is_refused_with_the_values_that_are_allowed(client):
    response = client.get("/api/programs", {"stage": "moonshot"})
    (error,) = response.json()["detail"]
    assert error["field"] == "stage"
    assert "human_resources" in error["message"] and "survey" in error["message"]


def test_openapi_lists_the_values_of_each_choice_inline(client):
    parameters = client.get("/api/openapi.json").json()["paths"]["/api/programs"]["get"][
        "parameters"
    ]
    schemas = {p["name"]: p["schema"] for p in parameters}
    assert schemas["applicant"]["items"]["enum"] == ["university", "company", "local_government"]
    assert schemas["sort"]["enum"] == ["relevance", "budget", "close_date", "name"]
