"""Open data on the site: every public data set in CSV, XLSX and JSON with its licence, its
dictionary and its date, one registry behind the data page, the downloads, the list pages'
links and the DCAT catalogue."""

import csv
import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from renkei.councils.models import Council
from renkei.maturity.models import Indicator, Report
from renkei.portal.datasets import BY_SLUG, FORMATS, REGISTRY, TYPE_LABELS
from renkei.programs.models import Program
from renkei.regions.models import Organization

SLUGS = [d.slug for d in REGISTRY]


def csv_rows(content):
    text = content.decode("utf-8")
    assert text.startswith("\ufeff# licence: CC BY 4.0")
    return list(csv.DictReader(io.StringIO(text.split("\r\n", 1)[1])))


def test_the_registry_holds_every_public_data_set_of_the_issue():
    assert set(SLUGS) >= {
        "programs", "budget-lines", "communities", "community-members", "certification-results",
        "maturity-values", "maturity-national", "windows", "councils", "survey-aggregates", "cases",
        "matching-funnel",
    }  # fmt: skip
    for dataset in REGISTRY:
        assert dataset.title and dataset.description and dataset.licence.url
        for column in dataset.columns:
            assert column.type in TYPE_LABELS and str(column.meaning), (dataset.slug, column)


@pytest.mark.parametrize("slug", SLUGS)
def test_each_data_set_gives_rows_of_exactly_its_dictionarys_columns(slug):
    dataset = BY_SLUG[slug]
    for row in dataset.rows():
        assert set(row) == set(dataset.column_names), slug  # rows_of puts them in order


def test_the_data_page_lists_each_data_set_with_three_formats_licence_dictionary_and_date(client):
    page = client.get(reverse("portal:data")).content.decode()
    for dataset in REGISTRY:
        for fmt in FORMATS:
            assert f'href="/data/{dataset.slug}.{fmt}"' in page
        assert f'href="/data/{dataset.slug}/"' in page
        assert f"データ辞書（{dataset.title}）" in page
    assert page.count("CC BY 4.0") >= len(REGISTRY)
    assert "公共データ利用規約（第1.0版）" in page
    assert 'href="/api/docs"' in page and 'href="/api/openapi.json"' in page
    assert 'href="/data/catalog.json"' in page
    assert "令和" in page  # the dates of the data


@pytest.mark.parametrize("slug", SLUGS)
def test_the_three_formats_carry_the_same_rows_the_licence_and_the_dictionary(client, slug):
    dataset = BY_SLUG[slug]
    rows = csv_rows(client.get(f"/data/{slug}.csv").content)
    payload = client.get(f"/data/{slug}.json").json()
    assert [c["name"] for c in payload["columns"]] == dataset.column_names
    assert all(c["meaning"] and c["type"] for c in payload["columns"])
    assert payload["licence"]["name"].startswith("CC BY 4.0") and payload["dataset"] == slug
    assert len(payload["rows"]) == len(rows)
    response = client.get(f"/data/{slug}.xlsx")
    assert response["Content-Type"] == FORMATS["xlsx"][0]
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    assert workbook.sheetnames == ["data", "dictionary", "licence"]
    sheet = list(workbook["data"].iter_rows(values_only=True))
    assert list(sheet[0]) == dataset.column_names and len(sheet) - 1 == len(rows)
    about = dict(workbook["licence"].iter_rows(values_only=True))
    assert about["licence"].startswith("CC BY 4.0") and about["dataset"] == slug


def test_the_default_data_sets_carry_the_sources_figures(client):
    lines = csv_rows(client.get("/data/budget-lines.csv").content)
    co = [r for r in lines if r["program_code"] == "mext-co-creation-platform"]
    assert {(r["fiscal_year"], r["amount_thousand_yen"], r["is_part_of_larger"]) for r in co} == {
        ("2022", "13750508", "false"), ("2022", "13800000", "true"), ("2021", "13700000", "true"),
    }  # fmt: skip
    programs = {r["code"]: r for r in csv_rows(client.get("/data/programs.csv").content)}
    assert len(programs) == 12
    assert programs["maff-midori-food-system-rd"]["headline_amount_thousand_yen"] == "3466178"
    assert programs["maff-midori-food-system-rd"]["headline_is_part_of_larger"] == "true"
    results = csv_rows(client.get("/data/certification-results.csv").content)
    first = [r["decision"] for r in results if r["fiscal_year"] == "2021"]
    assert sorted(first) == ["certified"] * 4 + ["registered"]
    survey = csv_rows(client.get("/data/survey-aggregates.csv").content)
    assert any(r["option"] == "有" and r["count"] == "28" for r in survey)


def test_cells_that_a_spreadsheet_would_run_are_neutralised(client):
    Program.objects.filter(code="mext-co-creation-platform").update(name='=HYPERLINK("x")')
    assert "'=HYPERLINK" in client.get("/data/programs.csv").content.decode()
    workbook = load_workbook(io.BytesIO(client.get("/data/programs.xlsx").content))
    names = [row[1] for row in workbook["data"].iter_rows(values_only=True)]
    assert '\'=HYPERLINK("x")' in names
    assert any(
        r["name"] == '=HYPERLINK("x")' for r in client.get("/data/programs.json").json()["rows"]
    )


def test_only_public_values_are_published(client, nagaoka):
    university = Organization.objects.universities().first()
    Council.objects.create(
        name="非公開の協議会", purpose="x", organization=university, is_public=False
    )
    report = Report.objects.create(community=nagaoka, fiscal_year=2026)  # a draft
    report.values.create(indicator=Indicator.objects.get(code="members_total"), value=999)
    assert "非公開の協議会" not in client.get("/data/councils.csv").content.decode()
    values = csv_rows(client.get("/data/maturity-values.csv").content)
    assert not any(r["value"] == "999" for r in values)


def test_an_unknown_format_or_data_set_is_a_clear_error(client):
    response = client.get("/data/programs.pdf")
    assert response.status_code == 400
    assert "形式「pdf」では提供していません。CSV・XLSX・JSON のどれかを選んでください。" in (
        response.content.decode()
    )
    assert client.get("/data/no-such-data.csv").status_code == 404
    assert client.get("/data/no-such-data/").status_code == 404


def test_the_catalogue_is_dcat_json_with_a_download_url_per_format(client):
    catalogue = client.get(reverse("portal:catalog")).json()
    assert catalogue["@type"] == "dcat:Catalog"
    assert catalogue["conformsTo"] == "https://project-open-data.cio.gov/v1.1/schema"
    assert [d["identifier"] for d in catalogue["dataset"]] == [
        f"http://testserver/data/{slug}/" for slug in SLUGS
    ]
    for entry in catalogue["dataset"]:
        assert entry["@type"] == "dcat:Dataset" and entry["accessLevel"] == "public"
        assert entry["license"].startswith("https://creativecommons.org/licenses/by/4.0")
        assert entry["publisher"]["name"]
        assert entry.get("modified") or not BY_SLUG[entry["landingPage"].split("/")[-2]].as_of()
        formats = {d["format"]: d for d in entry["distribution"]}
        assert set(formats) == {"CSV", "XLSX", "JSON"}
        for distribution in entry["distribution"]:
            url = distribution["downloadURL"].removeprefix("http://testserver")
            assert client.get(url).status_code == 200, url
            assert distribution["mediaType"] in {"text/csv", FORMATS["xlsx"][0], "application/json"}
    json.dumps(catalogue)  # plain JSON all the way down


@pytest.mark.parametrize("slug", [d.slug for d in REGISTRY if d.page])
def test_each_list_page_links_to_its_download(client, slug):
    dataset = BY_SLUG[slug]
    page = client.get(reverse(dataset.page)).content.decode()
    assert f'href="/data/{slug}.csv"' in page or 'href="/data/"' in page, dataset.page


@pytest.mark.parametrize("url", ["/data/", "/data/programs/", "/data/maturity-national/"])
def test_the_data_pages_work_without_javascript_and_read_in_order(client, url):
    from renkei.councils.tests.test_accessibility import check

    check(client.get(url).content.decode())


def test_without_the_interactive_api_docs_the_data_page_links_the_openapi_document(
    client, settings
):
    settings.RENKEI_API_DOCS = False
    page = client.get(reverse("portal:data")).content.decode()
    assert 'href="/api/docs"' not in page and 'href="/api/openapi.json"' in page
