"""Kobayashi (coordinator, Nagaoka) follows a need up to an agreement, which the Nagaoka
community's maturity dashboard counts by itself; Watanabe finds needs for his seeds."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from renkei.matching import actions
from renkei.matching.models import MatchRecord, Need


def test_a_coordinator_takes_a_need_and_records_an_agreement(
    client, coordinator, confirmed_need, portal_seeds, nagaoka, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    client.post(reverse("matching:need_take", args=[confirmed_need.pk]))
    confirmed_need.refresh_from_db()
    assert confirmed_need.assigned_to == coordinator
    assert confirmed_need.community == nagaoka
    assert confirmed_need.status == "in_progress"
    seed = portal_seeds["s001"]
    url = reverse("matching:match_record", args=[confirmed_need.pk, seed.pk])
    client.post(url, {"status": "proposed", "note": "広島大学の先生を紹介"})
    with django_capture_on_commit_callbacks(execute=True):  # the snapshots' rebuild job
        client.post(
            url,
            {"status": "agreed", "agreement": "joint_research", "agreed_on": "2026-10-01"},
        )
    record = MatchRecord.objects.get()
    assert record.status == "agreed" and record.community == nagaoka
    confirmed_need.refresh_from_db()
    assert confirmed_need.status == "matched"
    # the automatic maturity indicator counts the agreement in FY2026 (令和8年度)
    from renkei.maturity.models import ValueSnapshot

    value = ValueSnapshot.objects.get(community=nagaoka, indicator__code="renkei_matches")
    assert (value.fiscal_year, value.value) == (2026, 1)
    page = client.get(reverse("matching:need", args=[confirmed_need.pk])).content.decode()
    assert "これまでの記録" in page and "共同研究" in page


def test_an_agreement_needs_its_kind(client, coordinator, confirmed_need, portal_seeds):
    client.force_login(coordinator)
    seed = portal_seeds["s002"]
    response = client.post(
        reverse("matching:match_record", args=[confirmed_need.pk, seed.pk]),
        {"status": "agreed", "agreement": ""},
        follow=True,
    )
    assert "合意の内容を選んでください。" in response.content.decode()
    assert not MatchRecord.objects.exists()


def test_agreements_are_counted_per_fiscal_year(coordinator, confirmed_need, portal_seeds, nagaoka):
    from renkei.maturity.snapshots import automatic_values

    actions.take_need(confirmed_need, by=coordinator)
    for seed, day in [("s001", date(2026, 3, 31)), ("s002", date(2026, 4, 1))]:
        actions.record_match(
            confirmed_need,
            portal_seeds[seed],
            by=coordinator,
            status="agreed",
            agreement="license",
            agreed_on=day,
        )
    values = {(year, int(v)) for _c, _i, year, v in automatic_values([nagaoka.pk])}
    assert values == {(2025, 1), (2026, 1)}


def test_people_without_the_coordinator_role_cannot_record_matches(
    liaison, confirmed_need, portal_seeds
):
    with pytest.raises(PermissionDenied):
        actions.record_match(confirmed_need, portal_seeds["s001"], by=liaison, status="proposed")
    with pytest.raises(PermissionDenied):
        actions.take_need(confirmed_need, by=liaison)


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


def test_a_need_that_keeps_to_its_prefecture_is_matched_there_by_default(
    client, coordinator, confirmed_need, portal_seeds
):
    Need.objects.filter(pk=confirmed_need.pk).update(outside_partners_welcome=False)
    client.force_login(coordinator)
    data = client.get(f"/api/needs/{confirmed_need.pk}/matches").json()
    assert data["results"]
    assert all(r["seed"]["prefecture"] == "34" for r in data["results"])


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
