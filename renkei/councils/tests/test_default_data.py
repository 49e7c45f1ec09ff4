"""The interview findings, the 2021 survey and the case studies of the source document."""

from renkei.councils.models import CaseStudy, Interview, Survey


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


def test_the_survey_counts_28_councils_among_67_bodies():
    survey = Survey.objects.get()
    assert (survey.population, survey.with_council) == (67, 28)
    assert survey.conducted_by == "総務省地域力創造グループ地域政策課"
    assert len(survey.questions) == 3 and len(survey.challenges) == 6
    examples = {e.label: e.members for e in survey.composition_examples.all()}
    assert examples["B県"] == ["県", "市町村", "県立大学", "県内高等学校", "民間企業", "漁協"]


def test_two_case_studies_belong_to_the_survey():
    cases = CaseStudy.objects.order_by("order")
    assert [(c.prefecture.name, c.since_fiscal_year) for c in cases] == [
        ("静岡県", 2019),
        ("奈良県", 2019),
    ]
    assert "MaOIプロジェクト" in cases[0].theme
    assert cases[1].participants[0]["names"][0] == "京都大学"
