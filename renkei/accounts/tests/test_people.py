"""The secretariat's people pages: everyone by role and organisation, search, granting and
revoking roles with a reason, deactivation; each audited with who, what, why and where."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from renkei.accounts import actions
from renkei.accounts.models import AuditLog, Role, User
from renkei.conftest import PASSWORD
from renkei.regions.models import Organization

PEOPLE = reverse("accounts:people")


def test_the_people_page_lists_everyone_by_role_and_organisation(
    login, secretariat, coordinator, liaison, reviewer, outsider
):
    html = login(secretariat).get(PEOPLE).content.decode()
    for text in (
        "小林",
        "長岡",
        "渡辺",
        "長岡技術科学大学",
        "田中",
        "審査委員",
        "伊藤",
        "役割なし",
    ):
        assert text in html


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ({"q": "小林"}, "kobayashi", "watanabe"),
        ({"q": "技術科学"}, "watanabe", "kobayashi"),
        ({"q": "tanaka@example"}, "tanaka", "ito"),
        ({"kind": "coordinator"}, "kobayashi", "watanabe"),
        ({"kind": "none"}, "ito", "tanaka"),
    ],
)
def test_people_are_found_by_name_organisation_address_and_role(
    login, secretariat, coordinator, liaison, reviewer, outsider, query, shown, hidden
):
    html = login(secretariat).get(PEOPLE, query).content.decode()
    assert f"<td>{shown}</td>" in html and f"<td>{hidden}</td>" not in html


def test_the_people_page_does_not_grow_its_queries_with_people(login, secretariat, nagaoka):
    client = login(secretariat)
    client.get(PEOPLE)

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(PEOPLE).status_code == 200
        return len(captured.captured_queries)

    before = count()
    for number in range(5):
        person = User.objects.create_user(f"p{number}", f"p{number}@example.jp", PASSWORD)
        Role.objects.create(user=person, kind="coordinator", community=nagaoka)
    assert count() == before


@pytest.mark.parametrize("persona", ["coordinator", "reviewer", "liaison", "outsider"])
def test_only_the_secretariat_opens_the_people_pages(login, request, persona, outsider):
    client = login(request.getfixturevalue(persona))
    assert client.get(PEOPLE).status_code == 403
    assert client.get(reverse("accounts:person", args=[outsider.pk])).status_code == 403
    response = client.post(
        reverse("accounts:grant_role", args=[outsider.pk]), {"kind": "reviewer", "reason": "x"}
    )
    assert response.status_code == 403
    assert not outsider.roles.exists()


def test_the_secretariat_grants_a_role_with_a_reason_and_it_is_audited(
    login, secretariat, outsider
):
    client = login(secretariat)
    client.post(
        reverse("accounts:grant_role", args=[outsider.pk]),
        {
            "kind": "organization_member",
            "organization": "F115110105055",
            "reason": "窓口担当の交代",
        },
        REMOTE_ADDR="192.0.2.10",
    )
    role = Role.objects.get(user=outsider)
    assert role.organization == Organization.objects.get(name="長岡技術科学大学")
    row = AuditLog.objects.for_object(outsider).get(action="people.grant_role")
    assert (row.actor, row.note, row.address) == (secretariat, "窓口担当の交代", "192.0.2.10")
    assert row.after["kind"] == "organization_member"


def test_a_role_needs_a_reason(login, secretariat, outsider):
    response = login(secretariat).post(
        reverse("accounts:grant_role", args=[outsider.pk]), {"kind": "reviewer", "reason": ""}
    )
    assert response.status_code == 400
    assert not outsider.roles.exists()


def test_an_unknown_organisation_code_is_named(login, secretariat, outsider):
    response = login(secretariat).post(
        reverse("accounts:grant_role", args=[outsider.pk]),
        {"kind": "organization_member", "organization": "F999", "reason": "x"},
    )
    assert "機関コード「F999」の機関が見つかりません" in response.content.decode()


def test_the_secretariat_revokes_a_role_with_a_reason(login, secretariat, coordinator):
    role = coordinator.roles.get()
    login(secretariat).post(
        reverse("accounts:revoke_role", args=[coordinator.pk, role.pk]), {"reason": "退任"}
    )
    assert not Role.objects.filter(pk=role.pk).exists()
    row = AuditLog.objects.for_object(coordinator).get(action="people.revoke_role")
    assert row.before["kind"] == "coordinator" and row.note == "退任" and row.address


def test_the_last_secretariat_role_cannot_be_revoked(secretariat):
    with pytest.raises(ValidationError, match="最後の事務局"):
        actions.revoke_role(secretariat.roles.get(), by=secretariat, reason="x")


def test_a_revoked_secretariat_loses_the_admin(secretariat):
    other = User.objects.create_user("suzuki", "suzuki@example.jp", PASSWORD)
    actions.grant_role(other, kind="secretariat", by=secretariat, reason="増員")
    assert User.objects.get(pk=other.pk).is_staff
    actions.revoke_role(other.roles.get(), by=secretariat, reason="異動")
    assert not User.objects.get(pk=other.pk).is_staff


def test_deactivation_ends_the_persons_sessions_at_once(login, secretariat, outsider):
    theirs = Client()
    theirs.post(reverse("accounts:login"), {"username": "ito", "password": PASSWORD})
    assert theirs.get(reverse("accounts:settings")).status_code == 200
    login(secretariat).post(
        reverse("accounts:deactivate", args=[outsider.pk]),
        {"reason": "退職"},
        REMOTE_ADDR="192.0.2.10",
    )
    assert theirs.get(reverse("accounts:settings")).status_code == 302
    assert (
        theirs.post(
            reverse("accounts:login"), {"username": "ito", "password": PASSWORD}
        ).status_code
        == 200
    )
    row = AuditLog.objects.for_object(outsider).get(action="people.deactivate")
    assert row.after == {"is_active": False, "sessions_ended": 1}
    assert (row.note, row.address) == ("退職", "192.0.2.10")


def test_nobody_deactivates_themselves(secretariat):
    with pytest.raises(ValidationError, match="自分のアカウント"):
        actions.deactivate_person(secretariat, by=secretariat, reason="x")


def test_the_person_page_shows_roles_and_history(login, secretariat, coordinator):
    actions.grant_role(coordinator, kind="reviewer", by=secretariat, reason="委員に就任")
    html = login(secretariat).get(reverse("accounts:person", args=[coordinator.pk])).content
    html = html.decode()
    assert "審査委員" in html and "委員に就任" in html and "役割の付与" in html


def test_the_person_told_of_a_new_role(secretariat, outsider):
    from renkei.notifications.models import Notification

    actions.grant_role(outsider, kind="reviewer", by=secretariat, reason="委員に就任")
    note = Notification.objects.get(recipient=outsider)
    assert "役割が付与されました" in note.subject and "委員に就任" in note.body
