"""Kobayashi (coordinator, Nagaoka) carries a need to an agreement, which the Nagaoka
community's maturity dashboard counts by itself; Watanabe finds needs for his seeds."""

import datetime
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from renkei.matching import actions
from renkei.matching.models import Need, Proposal, Seed, State, Step


def test_a_coordinator_takes_a_need_and_carries_a_seed_to_an_agreement(
    client,
    coordinator,
    liaison,
    confirmed_need,
    nut_seed,
    nagaoka,
    django_capture_on_commit_callbacks,
):
    client.force_login(coordinator)
    client.post(reverse("matching:need_take", args=[confirmed_need.pk]))
    confirmed_need.refresh_from_db()
    assert confirmed_need.assigned_to == coordinator
    assert confirmed_need.community == nagaoka
    assert confirmed_need.status == "in_progress"
    client.post(
        reverse("matching:propose", args=[confirmed_need.pk, nut_seed.pk]),
        {"ask": "on", "note": "長岡技大の先生を紹介"},
    )
    proposal = Proposal.objects.get()
    assert proposal.state == State.ASKED and proposal.community == nagaoka
    actions.answer_proposal(proposal, interested=True, by=liaison)
    client.post(reverse("matching:proposal_consent", args=[proposal.pk]), {})
    confirmed_need.refresh_from_db()
    actions.answer_consent(proposal, consent=True, need_token=confirmed_need.status_token)
    with django_capture_on_commit_callbacks(execute=True):  # the snapshots' rebuild job
        client.post(
            reverse("matching:proposal_outcome", args=[proposal.pk]),
            {
                f"p{proposal.pk}-outcome-outcome": "joint_research",
                f"p{proposal.pk}-outcome-on": timezone.localdate().isoformat(),
            },
        )
    proposal.refresh_from_db()
    assert proposal.state == State.AGREED
    confirmed_need.refresh_from_db()
    assert confirmed_need.status == "matched"
    from renkei.maturity.models import ValueSnapshot

    value = ValueSnapshot.objects.get(community=nagaoka, indicator__code="renkei_matches")
    assert value.value == 1
    page = client.get(reverse("matching:need", args=[confirmed_need.pk])).content.decode()
    assert "提案と経過" in page and "共同研究契約" in page and "長岡技大の先生を紹介" in page


@pytest.mark.slow  # runs the embedding model or every route as every persona
def test_an_outcome_needs_its_kind(client, coordinator, liaison, taken_need, nut_seed):
    from renkei.matching.tests.conftest import walk_to_introduction

    proposal = walk_to_introduction(taken_need, nut_seed, coordinator, liaison)
    client.force_login(coordinator)
    response = client.post(
        reverse("matching:proposal_outcome", args=[proposal.pk]),
        {f"p{proposal.pk}-outcome-outcome": "", f"p{proposal.pk}-outcome-on": "2026-11-01"},
        follow=True,
    )
    assert "必須" in response.content.decode()
    assert not Step.objects.filter(kind="outcome").exists()


def test_agreements_are_counted_per_fiscal_year(
    coordinator, liaison, confirmed_need, portal_seeds, nagaoka, nagaokaut
):
    from renkei.matching.tests.conftest import walk_to_introduction
    from renkei.maturity.snapshots import automatic_values

    Need.objects.filter(pk=confirmed_need.pk).update(
        confirmed_at=timezone.make_aware(datetime.datetime(2026, 3, 1))
    )
    confirmed_need.refresh_from_db()
    actions.take_need(confirmed_need, by=coordinator)
    for seed, day in [("s001", date(2026, 3, 31)), ("s002", date(2026, 4, 1))]:
        Seed.objects.filter(pk=portal_seeds[seed].pk).update(organization=nagaokaut)
        proposal = walk_to_introduction(
            confirmed_need, Seed.objects.get(pk=portal_seeds[seed].pk), coordinator, liaison
        )
        actions.record_outcome(proposal, by=coordinator, outcome="license", on=day)
    values = {(year, int(v)) for _c, _i, year, v in automatic_values([nagaoka.pk])}
    assert values == {(2025, 1), (2026, 1)}


def test_people_without_the_coordinator_role_cannot_move_proposals(
    liaison, confirmed_need, portal_seeds
):
    with pytest.raises(PermissionDenied):
        actions.propose_seed(confirmed_need, portal_seeds["s001"], by=liaison)
    with pytest.raises(PermissionDenied):
        actions.take_need(confirmed_need, by=liaison)


@pytest.mark.slow  # runs the embedding model or every route as every persona
def test_the_matches_api_ranks_and_explains_for_coordinators(
    client, coordinator, confirmed_need, portal_seeds
):
    client.force_login(coordinator)
    data = client.get(f"/api/needs/{confirmed_need.pk}/matches", {"top": 5}).json()
    assert data["mode"] == "hybrid" and data["notice"] == ""
    assert [r["rank"] for r in data["results"]] == [1, 2, 3, 4, 5]
    first = data["results"][0]
    assert set(first["explanation"]["signals"]) == {"lexical", "semantic"}
    assert first["seed"]["id"] in {s.pk for s in portal_seeds.values()}
    ids = [r["seed"]["id"] for r in data["results"]]
    assert portal_seeds["s001"].pk in ids
    nearby = client.get(
        f"/api/needs/{confirmed_need.pk}/matches", {"scope": "same_prefecture"}
    ).json()
    assert all(r["seed"]["prefecture"] == "34" for r in nearby["results"])
    assert client.get(f"/api/needs/{confirmed_need.pk}/matches", {"top": 0}).status_code == 400


@pytest.mark.slow  # runs the embedding model or every route as every persona
def test_a_need_that_keeps_to_its_prefecture_is_matched_there_by_default(
    client, coordinator, confirmed_need, portal_seeds
):
    Need.objects.filter(pk=confirmed_need.pk).update(outside_partners_welcome=False)
    client.force_login(coordinator)
    data = client.get(f"/api/needs/{confirmed_need.pk}/matches").json()
    assert data["results"]
    assert all(r["seed"]["prefecture"] == "34" for r in data["results"])


@pytest.mark.slow  # runs the embedding model or every route as every persona
def test_a_liaison_office_finds_needs_that_fit_its_seeds(client, liaison, confirmed_need):
    from renkei.matching.models import Seed
    from renkei.regions.models import Organization

    nagaokaut = Organization.objects.get(name="長岡技術科学大学")
    Seed.objects.create(
        organization=nagaokaut,
        title="養殖いけすの溶存酸素を常時監視する無線センサー網",
        summary="海中の酸素濃度と水温を自動計測し、異常をスマートフォンに通知する。",
        stage="demonstration",
        prefecture_id="15",
    )
    Seed.objects.create(
        organization=nagaokaut,
        title="コンクリートのひび割れ検知",
        summary="橋梁の劣化を画像で検出する",
        stage="applied",
        prefecture_id="15",
    )
    client.force_login(liaison)
    page = client.get(reverse("matching:partners")).content.decode()
    assert confirmed_need.title in page
    assert "養殖いけすの溶存酸素を常時監視する無線センサー網" in page
    assert "yamamoto@" not in page


@pytest.mark.slow  # runs the embedding model or every route as every persona
def test_the_index_command_embeds_needs_ahead_of_their_first_view(confirmed_need, portal_seeds):
    from io import StringIO

    from django.core.management import call_command

    from renkei.matching import indexes
    from renkei.matching.caches import DatabaseCache
    from renkei.matching.engine import text_hash
    from renkei.matching.models import Embedding

    DatabaseCache._shared.clear()  # vectors other tests computed are not in this database
    out = StringIO()
    call_command("seeds", "index", stdout=out)
    assert "seeds: 40 件を索引しました（hybrid）" in out.getvalue()
    assert "needs: 1 件を索引しました" in out.getvalue()
    key = "query:" + text_hash(indexes.need_query(confirmed_need).embedding_text)
    assert Embedding.objects.filter(key=key).exists()


def test_the_portal_offers_the_scopes_the_engine_knows():
    from renkei.matching.engine import SCOPES
    from renkei.matching.indexes import Scope

    assert tuple(Scope.values) == SCOPES
