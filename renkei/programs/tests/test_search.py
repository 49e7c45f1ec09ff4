"""The navigator's one search function, proven on a corpus of realistic records.

Each row of the tables is a request and the program codes it must return. The suite runs on
SQLite (FTS5) and PostgreSQL (tsvector + GIN), so every row holds on both engines.
"""

import datetime
from pathlib import Path

import pytest
import yaml

from renkei.lib.params import ParamError
from renkei.programs.actions import upsert_programs
from renkei.programs.records import ProgramData
from renkei.programs.search import SearchParams, search_programs

CORPUS = yaml.safe_load((Path(__file__).parent / "corpus.yaml").read_text())["programs"]
NOW = datetime.datetime(2026, 11, 28, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def corpus():
    upsert_programs([ProgramData.model_validate(p) for p in CORPUS], source="test corpus")


def codes(**params):
    result = search_programs(SearchParams(page_size=100, **params), now=NOW)
    return [p.code for p in result.items]


# request → the set of programs it must find
FINDS = [
    ({"q": "養殖"}, {"test-aquaculture-feedless", "test-aquaculture-smart"}),
    ({"q": "創薬"}, {"test-drug-discovery-platform", "mhlw-medical-venture-total-support"}),
    ({"q": "森林"}, {"test-forest-business"}),
    ({"q": "ﾊﾞｲｵﾏｽ"}, {"maff-local-biomass-energy", "test-biomass-plastics"}),
    ({"q": "バイオ・マス"}, {"maff-local-biomass-energy", "test-biomass-plastics"}),
    ({"q": "バイオ マス"}, {"maff-local-biomass-energy", "test-biomass-plastics"}),
    ({"q": "ＦＳ調査"}, {"meti-industry-academia-fusion-hubs", "test-fs-study"}),
    ({"q": "fs調査"}, {"meti-industry-academia-fusion-hubs", "test-fs-study"}),
    ({"q": "タータル"}, {"mhlw-medical-venture-total-support"}),
    ({"q": "医療系ベンチャー トータルサポート"}, {"mhlw-medical-venture-total-support"}),
    ({"q": "コンピュータ"}, {"test-computer-literacy"}),
    ({"q": "バイオリン"}, {"test-violin-craft"}),
    ({"q": "スマートセル"}, {"test-smart-cell"}),
    ({"q": "「知」の集積と活用によるイノベーション"}, {"maff-knowledge-platform-innovation"}),
    ({"q": "地域循環共生圏"}, {"env-regional-circular-ecosphere-platform"}),
    ({"q": "PRISM"}, {"cao-prism-bio-community"}),
    ({"q": "米粉"}, {"test-rice-value-chain"}),
    ({"q": "産業技術環境局"}, {"meti-industry-academia-fusion-hubs", "meti-core-university-fusion-facilities"}),
    ({"applicant": ["local_government"], "q": "交付金"}, {"cao-regional-university-industry-grant"}),
    ({"q": "養殖", "accepts_new": True, "stage": ["demonstration"]}, {"test-aquaculture-feedless"}),
    ({"market_area": ["health_medical"]}, {"mhlw-medical-venture-total-support", "test-drug-discovery-platform", "test-regenerative-medicine"}),
    ({"ministry": ["mic"]}, {"test-computer-literacy"}),
    ({"aim": ["bio_community"]}, {"cao-prism-bio-community"}),
    ({"budget": ["under_100m"], "applicant": ["local_government"]}, {"test-rice-value-chain", "test-computer-literacy"}),
    ({"budget": ["part_of_larger"], "market_area": ["bio_manufacturing"]}, {"meti-bio-manufacturing-demonstration", "test-biomass-plastics"}),
    ({"fiscal_year": [2021]}, {"mext-co-creation-platform", "env-regional-circular-ecosphere-platform", "meti-bio-manufacturing-demonstration", "maff-knowledge-platform-innovation", "mhlw-medical-venture-total-support"}),
    ({"open_now": True}, {"test-computer-literacy", "test-violin-craft"}),
    ({"q": "養殖 ロケット"}, {"test-aquaculture-feedless", "test-aquaculture-smart"}),
]  # fmt: skip


@pytest.mark.parametrize(("params", "expected"), FINDS)
def test_each_request_finds_exactly_its_programs(params, expected):
    assert set(codes(**params)) == expected


def test_a_local_government_sees_the_four_programs_of_the_source_that_accept_it():
    found = set(codes(applicant=["local_government"])) - {p["code"] for p in CORPUS}
    assert found == {
        "cao-prism-bio-community",
        "maff-local-biomass-energy",
        "env-regional-circular-ecosphere-platform",
        "cao-regional-university-industry-grant",
    }


def test_a_name_match_ranks_above_a_description_match():
    assert codes(q="養殖")[0] == "test-aquaculture-feedless"
    assert codes(q="森林ビジネス")[0] == "test-forest-business"


def test_all_terms_must_match_before_the_search_relaxes():
    strict = search_programs(SearchParams(q="養殖 水質"), now=NOW)
    assert [p.code for p in strict.items] == ["test-aquaculture-smart"] and not strict.relaxed
    relaxed = search_programs(SearchParams(q="養殖 ロケット"), now=NOW)
    assert relaxed.relaxed and relaxed.total == 2


def test_relaxed_a_program_must_hold_at_least_half_of_the_words():
    two_of_three = search_programs(SearchParams(q="養殖 水質 ロケット"), now=NOW)
    assert [p.code for p in two_of_three.items] == ["test-aquaculture-smart"]
    assert two_of_three.relaxed
    one_of_three = search_programs(SearchParams(q="養殖 ロケット 宇宙"), now=NOW)
    assert one_of_three.total == 0 and not one_of_three.relaxed


@pytest.mark.parametrize(
    "q",
    ['"', '"OR"', "OR", "NEAR(養殖", "養殖*", "' OR 1=1 --", "); DROP TABLE programs_program; --", "\\", "^養殖", "-森林", "{name}: 養殖", "AND OR NOT"],
)  # fmt: skip
def test_search_syntax_in_user_input_never_causes_an_error(q):
    result = search_programs(SearchParams(q=q), now=NOW)
    assert result.total >= 0


def test_a_query_without_searchable_words_says_so():
    result = search_programs(SearchParams(q="の、。"), now=NOW)
    assert result.unsearchable and result.total == 0


class TestSorting:
    def test_by_budget_puts_own_amounts_first_then_parts_of_larger_lines(self):
        found = codes(sort="budget", market_area=["bio_manufacturing"])
        assert found == [
            "test-smart-cell",
            "test-biomass-plastics",
            "meti-bio-manufacturing-demonstration",
        ]

    def test_by_close_date_puts_the_nearest_open_deadline_first(self):
        found = codes(sort="close_date")
        assert found[:2] == ["test-computer-literacy", "test-violin-craft"]

    def test_by_name_is_stable_across_engines(self):
        found = codes(sort="name", ministry=["mhlw"])
        assert found == sorted(found, key=lambda c: found.index(c))
        assert len(found) == 3


class TestFacets:
    def test_each_facet_is_counted_with_the_other_filters_only(self):
        result = search_programs(SearchParams(q="養殖", applicant=["local_government"]), now=NOW)
        applicant = {v.value: v.count for v in result.facet("applicant").values}
        assert applicant == {"university": 0, "company": 2, "local_government": 1}
        stage = {v.value: v.count for v in result.facet("stage").values if v.count}
        assert stage == {"demonstration": 1}

    def test_counts_cover_every_facet_the_navigator_offers(self):
        result = search_programs(SearchParams(), now=NOW)
        names = [f.name for f in result.facets]
        assert names == [
            "applicant",
            "ministry",
            "market_area",
            "stage",
            "aim",
            "accepts_new",
            "open_now",
            "budget",
            "fiscal_year",
        ]
        ministry = {v.value: v.count for v in result.facet("ministry").values}
        assert ministry["maff"] == 3 + 4 and ministry["mic"] == 1
        assert result.facet("open_now").values[0].count == 2

    def test_each_row_of_the_facet_table_is_a_parameter_a_query_string_key_and_a_facet(self):
        from django.http import QueryDict

        from renkei.programs.search import FACETS, params_from_query, query_from_params

        assert [f.name for f in FACETS] == [
            f.name for f in search_programs(SearchParams(), now=NOW).facets
        ]
        assert {f.name for f in FACETS} <= set(SearchParams.model_fields)
        query = "applicant=company&applicant=university&accepts_new=false&open_now=true"
        params = params_from_query(QueryDict(query + "&fiscal_year=2021&budget=unknown"))
        assert params.applicant == ["company", "university"] and params.accepts_new is False
        assert params.fiscal_year == [2021] and params.budget == ["unknown"]
        assert QueryDict(query_from_params(params)) == QueryDict(
            query + "&budget=unknown&fiscal_year=2021"
        )

    def test_an_unknown_ministry_is_an_error_naming_the_field(self):
        with pytest.raises(ParamError) as excinfo:
            search_programs(SearchParams(ministry=["nasa"]), now=NOW)
        assert excinfo.value.field == "ministry"


def test_pages_hold_at_most_page_size_programs_and_the_total_counts_all():
    first = search_programs(SearchParams(page_size=5), now=NOW)
    second = search_programs(SearchParams(page_size=5, page=2), now=NOW)
    assert first.total == 23 and first.pages == 5
    assert len(first.items) == 5 and not {p.pk for p in first.items} & {p.pk for p in second.items}


def test_editing_a_program_in_place_updates_what_search_finds():
    from renkei.programs.models import Program

    program = Program.objects.get(code="test-violin-craft")
    program.description += " 漆塗りの技法も対象とする。"
    program.save()
    assert codes(q="漆塗り") == ["test-violin-craft"]
    program.delete()
    assert codes(q="バイオリン") == []
