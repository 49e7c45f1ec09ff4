"""The support programs of the source document, as the default data set stores them."""

import pytest

from renkei.programs.models import BudgetLine, Program, ProgramAlias


def program(code):
    return Program.objects.with_details().get(code=code)


def test_the_support_menu_has_eleven_programs_and_the_budget_table_one_more():
    assert Program.objects.in_support_menu().count() == 11
    extra = Program.objects.get(in_support_menu=False)
    assert extra.name == "バイオ製造実証機関の整備"
    assert extra.ministry.name == "経済産業省"


def test_a_local_government_can_apply_to_four_programs():
    names = set(Program.objects.for_applicant("local_government").values_list("name", flat=True))
    assert names == {
        "バイオコミュニティの形成に係る調査等 (PRISM)",
        "バイオマス地産地消対策",
        "環境で地方を元気にする地域循環共生圏づくりプラットフォーム事業",
        "地方大学・地域産業創生交付金",
    }


ALL = ["university", "company", "local_government"]


@pytest.mark.parametrize(
    ("code", "amount", "part_of_larger", "accepts_new", "applicants"),
    [
        ("cao-prism-bio-community", 10_000_000, True, True, ALL),
        ("maff-local-biomass-energy", 836_798, True, True, ["company", "local_government"]),
        ("env-regional-circular-ecosphere-platform", 500_000, False, True, ALL),
        ("maff-midori-food-system-rd", 3_466_178, True, True, ["company"]),
        ("maff-knowledge-platform-innovation", 3_967_877, True, True, ["company"]),
        ("mhlw-medical-venture-total-support", 300_000, False, False, ["university", "company"]),
        ("mext-regional-revitalization-human-resources", 1_450_000, False, True, ["university"]),
        ("mext-co-creation-platform", 13_750_508, False, True, ["university"]),
        ("cao-regional-university-industry-grant", 7_200_000, False, True, ["local_government"]),
        ("meti-industry-academia-fusion-hubs", 250_911, False, True, ["company"]),
        ("meti-core-university-fusion-facilities", 5_903_060, False, True, ["university"]),
    ],
)  # fmt: skip
def test_each_program_matches_the_contacts_table(
    code, amount, part_of_larger, accepts_new, applicants
):
    found = program(code)
    line = found.headline_budget
    assert (line.fiscal_year, line.amount_thousand_yen) == (2022, amount)
    assert line.is_part_of_larger is part_of_larger
    assert found.accepts_new_projects is accepts_new
    assert found.applicant_types == applicants


def test_the_regional_university_grant_notes_the_revitalisation_share():
    line = program("cao-regional-university-industry-grant").headline_budget
    assert line.includes_thousand_yen == 5_000_000
    assert line.includes_label == "地方創生推進交付金活用分"


def test_midori_has_two_contacts_and_the_mext_programs_have_extensions():
    contacts = [c.contact_window for c in program("maff-midori-food-system-rd").contacts.all()]
    assert [(c.department, c.phone, c.email) for c in contacts] == [
        ("農林水産技術会議事務局 研究推進課", "03-3502-7437", "smart_agri@maff.go.jp"),
        ("農林水産技術会議事務局 研究企画課", "03-3501-4609", ""),
    ]
    window = program("mext-co-creation-platform").contacts.get().contact_window
    assert window.phone_display == "03-5253-4111（内線4195）"


def test_two_meti_programs_share_one_contact_window():
    a = program("meti-industry-academia-fusion-hubs").contacts.get().contact_window
    b = program("meti-core-university-fusion-facilities").contacts.get().contact_window
    assert a == b


@pytest.mark.parametrize(
    ("variant", "code"),
    [
        ("医療系ベンチャータータルサポート事業", "mhlw-medical-venture-total-support"),
        ("医療系ベンチャー TOTAL サポート事業", "mhlw-medical-venture-total-support"),
        ("「知」の集積と活用によるイノベーションの創出", "maff-knowledge-platform-innovation"),
        ("地方大学・地域産業創生交付金事業", "cao-regional-university-industry-grant"),
        ("産学連携拠点の形成", "mext-co-creation-platform"),
    ],
)
def test_name_variants_of_the_source_resolve_to_one_program(variant, code):
    assert ProgramAlias.objects.get(name=variant).program.code == code


def test_the_budget_table_has_eight_lines_with_the_previous_year_beside_five():
    current = BudgetLine.objects.filter(source="r4_budget_table", fiscal_year=2022).order_by(
        "order"
    )
    previous = BudgetLine.objects.filter(source="r4_budget_table", fiscal_year=2021)
    assert [line.amount_thousand_yen for line in current] == [
        10_000_000, 13_800_000, 800_000, 500_000, 3_000_000, 3_500_000, 4_000_000, 300_000
    ]  # fmt: skip
    assert [line.is_part_of_larger for line in current] == [True] * 3 + [False] + [True] * 3 + [
        False
    ]
    assert sorted(line.amount_thousand_yen for line in previous) == [
        300_000, 500_000, 2_300_000, 4_200_000, 13_700_000
    ]  # fmt: skip
    marks = [line.market_area_mark for line in current]
    assert marks == ["cross_market"] * 4 + ["bio_manufacturing"] + ["primary_production"] * 2 + [
        "health_medical"
    ]
    biomass = current.get(program__code="maff-local-biomass-energy")
    assert (biomass.bracketed_thousand_yen, biomass.bracketed_is_part_of_larger) == (
        2_500_000,
        True,
    )
