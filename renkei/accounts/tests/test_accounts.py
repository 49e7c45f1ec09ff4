"""Accounts, roles, object-level permissions and the append-only audit log."""

import os
import subprocess
import sys

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test import override_settings
from django.urls import reverse

from renkei.accounts import audit
from renkei.accounts.admin import AuditMixin
from renkei.accounts.models import AuditLog, AuditLogIsAppendOnly, Role, User
from renkei.accounts.permissions import require
from renkei.regions.models import ContactWindow, Organization


def test_passwords_are_hashed_with_argon2_in_the_project_settings():
    with override_settings(PASSWORD_HASHERS=settings.RENKEI_PRODUCTION_PASSWORD_HASHERS):
        assert make_password("a long enough passphrase").startswith("argon2")


class TestTheAuditLog:
    def test_an_entry_records_who_what_and_the_values(self, secretariat):
        window = ContactWindow.objects.first()
        entry = audit.record(
            audit.Action.ADMIN_CHANGE,
            actor=secretariat,
            target=window,
            before={"a": 1},
            after={"a": 2},
        )
        assert entry.actor_label == "佐藤（事務局）"
        assert (entry.target_type, entry.target_id) == ("regions.contactwindow", str(window.pk))
        assert entry.action_label == "管理画面で変更"

    def test_an_action_name_outside_the_enumeration_is_refused(self):
        rows = AuditLog.objects.count()
        with pytest.raises(ValueError, match="not a valid"):
            audit.record("test.made_up")
        assert AuditLog.objects.count() == rows

    def test_the_model_refuses_updates_and_deletes(self):
        entry = audit.record(audit.Action.BOOTSTRAP)
        entry.note = "changed"
        with pytest.raises(AuditLogIsAppendOnly):
            entry.save()
        with pytest.raises(AuditLogIsAppendOnly):
            entry.delete()

    def test_the_queryset_refuses_bulk_updates_and_deletes(self):
        audit.record(audit.Action.BOOTSTRAP)
        with pytest.raises(AuditLogIsAppendOnly):
            AuditLog.objects.all().update(note="x")
        with pytest.raises(AuditLogIsAppendOnly):
            AuditLog.objects.all().delete()

    def test_the_database_refuses_raw_updates_and_deletes(self):
        entry = audit.record(audit.Action.BOOTSTRAP)
        for sql in (
            "UPDATE accounts_auditlog SET note = 'x' WHERE id = %s",
            "DELETE FROM accounts_auditlog WHERE id = %s",
        ):
            with (
                pytest.raises(Exception, match="append-only"),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute(sql, [entry.pk])
        assert AuditLog.objects.filter(pk=entry.pk, note="").exists()


class TestRoles:
    def test_a_coordinator_role_needs_a_community(self, outsider):
        with pytest.raises(IntegrityError), transaction.atomic():
            Role.objects.create(user=outsider, kind=Role.Kind.COORDINATOR)

    def test_a_role_is_granted_once(self, secretariat):
        with pytest.raises(IntegrityError), transaction.atomic():
            Role.objects.create(user=secretariat, kind=Role.Kind.SECRETARIAT)

    def test_roles_bind_to_their_object(self, coordinator, nagaoka, liaison, nagaokaut):
        assert coordinator.has_role("coordinator", nagaoka)
        assert not coordinator.has_role("coordinator", nagaoka.pk + 1)
        assert liaison.has_role("organization_member", nagaokaut)


class TestObjectPermissions:
    def test_a_liaison_officer_edits_only_their_own_organisations_windows(self, liaison, nagaokaut):
        own = ContactWindow(organization=nagaokaut, department="産学連携本部")
        other = ContactWindow(
            organization=Organization.objects.get(name="新潟大学"), department="x"
        )
        require(liaison, "regions.add_contactwindow", own)
        with pytest.raises(PermissionDenied):
            require(liaison, "regions.add_contactwindow", other)

    def test_a_coordinator_edits_only_their_community(self, coordinator, nagaoka):
        from renkei.communities.models import Community

        require(coordinator, "communities.change_community", nagaoka)
        with pytest.raises(PermissionDenied):
            require(
                coordinator, "communities.change_community", Community.objects.get(slug="tokai")
            )

    def test_the_secretariat_may_edit_any_model_but_never_the_audit_log(self, secretariat):
        assert secretariat.has_perm("programs.change_program")
        assert secretariat.has_perm("regions.change_organization", Organization.objects.first())
        assert not secretariat.has_perm("accounts.change_auditlog")
        assert secretariat.has_perm("accounts.view_auditlog")

    def test_an_outsider_may_edit_nothing(self, outsider):
        assert not outsider.has_perm("programs.change_program")
        assert not outsider.has_perm("regions.change_organization", Organization.objects.first())


class TestTheAdmin:
    def test_every_renkei_model_is_registered(self):
        ours = [m for m in apps.get_models() if m.__module__.startswith("renkei.")]
        missing = [m.__name__ for m in ours if not admin.site.is_registered(m)]
        assert missing == []

    def test_the_admin_speaks_japanese(self, login, secretariat):
        html = login(secretariat).get(reverse("admin:index")).content.decode()
        assert "事務局の管理画面" in html and "支援施策" in html

    def test_an_edit_in_the_admin_writes_an_audit_row_with_before_and_after(
        self, login, secretariat
    ):
        window = ContactWindow.objects.get(phone="03-6910-2049")
        url = reverse("admin:regions_contactwindow_change", args=[window.pk])
        client = login(secretariat)
        form = client.get(url).context["adminform"].form
        data = {k: v for k, v in form.initial.items() if v is not None}
        data.update(organization=window.organization_id, description="バイオコミュニティの形成")
        response = client.post(url, data)
        assert response.status_code == 302
        entry = AuditLog.objects.for_object(window).get(action="admin.change")
        assert entry.before == {"description": ""} and entry.after == {
            "description": "バイオコミュニティの形成"
        }
        assert entry.actor == secretariat

    def test_every_admin_page_writes_audit_rows(self):
        unaudited = [
            type(model_admin).__name__
            for model_admin in admin.site._registry.values()
            if not isinstance(model_admin, AuditMixin)
        ]
        assert unaudited == []

    def test_a_role_granted_on_the_user_page_is_audited(self, login, secretariat, nagaoka):
        superuser = User.objects.create_superuser("root", "root@example.jp", "x" * 20)
        person = User.objects.create_user("kato", "kato@example.jp", "y" * 20)
        url = reverse("admin:accounts_user_change", args=[person.pk])
        client = login(superuser)
        response = client.get(url)
        form = response.context["adminform"].form
        data = {k: v for k, v in form.initial.items() if v not in (None, [])}
        data.update(
            {
                "date_joined_0": person.date_joined.strftime("%Y-%m-%d"),
                "date_joined_1": person.date_joined.strftime("%H:%M:%S"),
                "is_staff": "on",
                "is_active": "on",
                "roles-TOTAL_FORMS": "1",
                "roles-INITIAL_FORMS": "0",
                "roles-MIN_NUM_FORMS": "0",
                "roles-MAX_NUM_FORMS": "1000",
                "roles-0-kind": "coordinator",
                "roles-0-community": str(nagaoka.pk),
                "roles-0-user": str(person.pk),
            }
        )
        data.pop("last_login", None)
        data.pop("password", None)
        response = client.post(url, data)
        assert response.status_code == 302, response.context["adminform"].form.errors
        role = Role.objects.get(user=person)
        granted = AuditLog.objects.for_object(role).get(action="admin.add")
        assert granted.actor == superuser and granted.after["kind"] == "coordinator"
        staff = AuditLog.objects.for_object(person).get(action="admin.change")
        assert staff.before["is_staff"] is False and staff.after["is_staff"] is True

    def test_the_password_hash_never_enters_an_audit_row(self, login):
        superuser = User.objects.create_superuser("root", "root@example.jp", "x" * 20)
        person = User.objects.create_user("kato", "kato@example.jp", "y" * 20)
        url = reverse("admin:auth_user_password_change", args=[person.pk])
        new = "a brand new passphrase 77"
        response = login(superuser).post(
            url, {"password1": new, "password2": new, "usable_password": "true"}
        )
        assert response.status_code == 302
        entry = AuditLog.objects.for_object(person).get(action="admin.password")
        assert entry.actor == superuser
        person.refresh_from_db()
        for row in AuditLog.objects.all():
            assert person.password not in str(row.before) + str(row.after)

    def test_a_coordinator_cannot_open_the_admin(self, login, coordinator):
        response = login(coordinator).get(reverse("admin:index"))
        assert response.status_code == 302


def test_create_secretariat_makes_a_staff_account_with_the_role(monkeypatch):
    monkeypatch.setenv("RENKEI_SECRETARIAT_PASSWORD", "a long and unusual passphrase 42")
    call_command("create_secretariat", "suzuki", "--email", "suzuki@example.jp", "--noinput")
    user = User.objects.get(username="suzuki")
    assert user.is_staff and user.is_secretariat
    assert AuditLog.objects.filter(
        action="account.create_secretariat", target_id=str(user.pk)
    ).exists()


def _settings_in_a_subprocess(**env):
    code = "import django; from django.conf import settings; settings.SECRET_KEY"
    base = {k: v for k, v in os.environ.items() if not k.startswith("RENKEI_")}
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**base, "DJANGO_SETTINGS_MODULE": "renkei.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({}, "RENKEI_SECRET_KEY"),
        ({"RENKEI_SECRET_KEY": "x" * 60}, "RENKEI_ALLOWED_HOSTS"),
        (
            {"RENKEI_SECRET_KEY": "x" * 60, "RENKEI_ALLOWED_HOSTS": "renkei.example.jp"},
            "RENKEI_EMAIL_HOST",
        ),
    ],
)
def test_production_settings_refuse_to_start_without_their_secrets(env, missing):
    result = _settings_in_a_subprocess(RENKEI_ENV="production", **env)
    assert result.returncode != 0
    assert missing in result.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [("RENKEI_SSL_REDIRECT", "ture"), ("RENKEI_DEBUG", "maybe"), ("RENKEI_HSTS_SECONDS", "1y")],
)
def test_settings_refuse_a_value_they_do_not_understand(name, value):
    result = _settings_in_a_subprocess(
        RENKEI_ENV="production",
        RENKEI_SECRET_KEY="x" * 60,
        RENKEI_ALLOWED_HOSTS="renkei.example.jp",
        RENKEI_EMAIL_HOST="smtp.example.jp",
        **{name: value},
    )
    assert result.returncode != 0
    assert name in result.stderr and repr(value) in result.stderr


def test_settings_accept_the_usual_spellings_of_a_boolean():
    result = _settings_in_a_subprocess(RENKEI_DEBUG="Off")
    assert result.returncode == 0, result.stderr
