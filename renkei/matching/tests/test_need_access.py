"""Issue 11 (2) in matching, exercised through the actions and the pages: a need another
community took cannot be taken over, closed or carried to an agreement by a coordinator of
another community (whose agreement would count toward the first community's maturity), the
secretariat reassigns; the submitter's e-mail address and phone are shown only to the
coordinators handling the need and to the secretariat, on the page and in the API."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from renkei.matching import actions
from renkei.matching.models import Need
from renkei.matching.tests.conftest import NEED, walk_to_introduction

EMAIL = NEED["email"]


def test_another_community_cannot_take_close_or_conclude_a_taken_need(
    taken_need, nut_seed, coordinator, other_coordinator, liaison
):
    proposal = walk_to_introduction(taken_need, nut_seed, coordinator, liaison)
    for act in (
        lambda: actions.take_need(taken_need, by=other_coordinator),
        lambda: actions.set_need_status(taken_need, Need.Status.CLOSED, by=other_coordinator),
        lambda: actions.record_outcome(proposal, by=other_coordinator, outcome="joint_research"),
    ):
        with pytest.raises(PermissionDenied):
            act()
    taken_need.refresh_from_db()
    assert taken_need.assigned_to == coordinator and taken_need.status != Need.Status.CLOSED


def test_the_secretariat_reassigns_and_then_the_new_community_acts(
    taken_need, coordinator, other_coordinator, secretariat
):
    with pytest.raises(PermissionDenied):
        actions.reassign_need(taken_need, other_coordinator, by=coordinator)
    actions.reassign_need(taken_need, other_coordinator, by=secretariat)
    taken_need.refresh_from_db()
    actions.set_need_status(taken_need, Need.Status.CLOSED, by=other_coordinator)
    with pytest.raises(PermissionDenied):
        actions.set_need_status(taken_need, Need.Status.QUEUED, by=coordinator)


@pytest.mark.parametrize(
    ("persona", "sees"),
    [("coordinator", True), ("secretariat", True), ("other_coordinator", False)],
)
def test_contact_details_only_for_those_handling_the_need(
    client, request, taken_need, persona, sees
):
    client.force_login(request.getfixturevalue(persona))
    page = client.get(reverse("matching:need", args=[taken_need.pk])).content.decode()
    one = client.get(f"/api/needs/{taken_need.pk}").json()
    listed = [n for n in client.get("/api/needs").json() if n["id"] == taken_need.pk]
    assert (EMAIL in page) is sees
    assert ("email" in one) is sees and ("phone" in one) is sees
    assert ("email" in listed[0]) is sees
