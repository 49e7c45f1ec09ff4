"""The public funnel counts needs, proposals, answers, introductions, meetings and agreements
by type, with median days and decline reasons, by fiscal year, prefecture and community —
and never names a need, an organisation or a person."""

from django.urls import reverse

from renkei.matching import actions, funnel, next_steps
from renkei.matching.tests.conftest import walk_to_introduction


def test_the_funnel_follows_a_need_to_an_agreement(
    client, taken_need, nut_seed, coordinator, liaison, portal_seeds, nagaokaut
):
    proposal = walk_to_introduction(taken_need, nut_seed, coordinator, liaison)
    actions.record_meeting(proposal, by=liaison)
    actions.record_outcome(proposal, by=coordinator, outcome="prototype")
    declined = portal_seeds["s002"]
    type(declined).objects.filter(pk=declined.pk).update(organization=nagaokaut)
    other = actions.propose_seed(
        taken_need, type(declined).objects.get(pk=declined.pk), by=coordinator
    )
    actions.answer_proposal(other, interested=False, by=liaison, reason="cost")
    total = funnel.compute()["total"]
    assert (total["needs"], total["proposals"], total["asked"], total["answered"]) == (1, 2, 2, 2)
    assert (total["introductions"], total["meetings"], total["agreements"]) == (1, 1, 1)
    assert total["agreements_by_type"]["prototype"] == 1
    assert total["decline_reasons"]["cost"] == 1
    assert total["median_days_to_first_proposal"] is not None
    assert total["median_days_to_outcome"] == 0
    html = client.get(reverse("matching:funnel")).content.decode()
    assert "試作・実証" in html and taken_need.title not in html
    data = client.get("/api/matching/funnel", {"community": "nagaoka"}).json()
    assert data["total"]["agreements"] == 1
    assert (
        client.get("/api/matching/funnel", {"community": "tsuruoka"}).json()["total"]["needs"] == 0
    )
    assert client.get("/api/matching/funnel", {"prefecture": "13"}).json()["total"]["needs"] == 0
    reasons = {r["code"]: r for r in client.get("/api/matching/decline-reasons").json()}
    assert reasons["cost"]["declined"] == 1 and reasons["cost"]["label"] == "費用"


def test_bad_funnel_filters_are_refused_naming_the_field(client):
    for params, field in (
        ({"community": "atlantis"}, "community"),
        ({"prefecture": "99"}, "prefecture"),
        ({"fiscal_year": "nineteen"}, "fiscal_year"),
    ):
        response = client.get("/api/matching/funnel", params)
        assert response.status_code == 400
        assert response.json()["detail"][0]["field"] == field


def test_the_next_step_funded_fits_the_stage_and_each_partys_applicant_type(taken_need, nut_seed):
    # a demonstration-stage seed licensed: the collaboration is at 社会実装・事業化
    assert next_steps.collaboration_stage("demonstration", "license") == "implementation"
    assert next_steps.collaboration_stage("basic", "prototype") == "demonstration"

    class Agreed:
        need, seed = taken_need, nut_seed

    parties = next_steps.for_proposal(Agreed, outcome="prototype")
    assert [p.applicant for p in parties] == ["university", "company"]
    for party in parties:
        for suggestion in party.suggestions:
            assert getattr(suggestion.program, f"for_{party.applicant}")
            assert suggestion.program.stage in ("demonstration", "implementation", "facilities")
            assert "申請できる" in suggestion.reason
    assert any(p.suggestions for p in parties)
