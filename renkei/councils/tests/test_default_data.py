"""The interview findings, the 2021 survey (as a published survey with the source's aggregates
only), its case studies and the findings → responses list of the default data set."""

from renkei.councils.models import CaseStudy, Finding, Interview, Survey, SurveyResponse
from renkei.councils.results import survey_results


def test_the_interviews_have_five_themes_and_their_issues():
    interview = Interview.objects.get()
    assert interview.interviewees_at_least == 20
    themes = [(t.title, t.issues.count()) for t in interview.themes.all()]
    assert themes == [
        ("大学内の社会実装を担う人材", 1),
        ("大学と地域を繋ぐ仕組み", 3),
        ("地域を超えた連携を生む仕組み", 1),
        ("地域内の情報共有の仕組み", 2),
        ("国の施策", 3),
    ]


def test_the_2021_survey_ships_as_the_first_survey_with_its_three_questions():
    survey = Survey.objects.get()
    assert (survey.origin, survey.status) == ("published", "closed")
    assert survey.results_published_at is not None
    assert (survey.population, survey.with_council) == (67, 28)
    assert survey.conducted_by == "総務省地域力創造グループ地域政策課"
    texts = [q.text for q in survey.questions.all()]
    assert texts == [
        "産学官連携を行うに当たり、総括的に、経済界・外部有識者・大学等と連携した組織（協議会等）の有無",
        "産学官連携により政策を推進するに当たって課題と感じていること",
        "産学官連携により推進している事業の有無",
    ]
    examples = {e.label: e.members for e in survey.composition_examples.all()}
    assert examples["B県"] == ["県", "市町村", "県立大学", "県内高等学校", "民間企業", "漁協"]


def test_the_survey_gives_28_of_67_with_councils_and_the_rest_and_invents_no_answers():
    survey = Survey.objects.get()
    council, challenges, projects = survey_results(survey)
    assert [(o.option, o.count, o.derived) for o in council.options] == [
        ("有", 28, False),
        ("無", 39, True),
    ]
    assert [o.percent for o in council.options] == [42, 58]
    assert len(challenges.items) == 6 and challenges.items_note == "等"
    assert challenges.items[3].startswith("中小事業者や個人事業主にとって")
    assert projects.options == [] and "公表されていません" in projects.note
    assert not SurveyResponse.objects.exists()
    assert not survey.invitations.exists()


def test_the_example_compositions_carry_a_sector_for_each_member():
    survey = Survey.objects.get()
    a = survey.composition_examples.get(label="A県")
    assert dict(a.members_with_sectors)["金融機関（銀行等）"] == "金"
    assert dict(a.members_with_sectors)["工業高等専門学校"] == "学"


def test_two_case_studies_belong_to_the_survey_with_their_actors_resolved():
    cases = CaseStudy.objects.order_by("order")
    assert [(c.prefecture.name, c.since_fiscal_year) for c in cases] == [
        ("静岡県", 2019),
        ("奈良県", 2019),
    ]
    maoi, nara = cases
    assert "MaOIプロジェクト" in maoi.theme
    assert nara.participants.first().name == "京都大学"
    assert nara.participants.first().organization.school_code
    shizuoka = maoi.participants.get(name="静岡県")
    assert (shizuoka.organization.lg_code, shizuoka.sector) == ("220001", "government")
    assert maoi.and_others_in == ["大学等研究機関", "民間企業", "産業支援機関"]
    assert maoi.sector_mix == "industry+academia+government+other"
    assert nara.programs_as_written == ["戦略的基盤技術高度化支援事業"]
    assert nara.stage == "research" and maoi.stage == ""
    assert maoi.outcomes == [] and maoi.lessons == []  # none in the source, none invented


def test_every_finding_of_the_source_is_listed_with_what_answers_it():
    interview = Finding.objects.filter(source="interview")
    survey = Finding.objects.filter(source="survey")
    assert (interview.count(), survey.count()) == (10, 6)
    window = interview.get(title="大学、自治体それぞれの接点（窓口）が不明瞭")
    assert [r.link for r in window.responses.all()] == [
        "/regions/windows/ask/",
        "/regions/windows/",
    ]
    assert all(f.responses.exists() for f in Finding.objects.all())
