"""Signing in: a username or an e-mail address, one answer for every failure, the lock after
repeated failures (by account), and how long sessions last."""

import re
import time

import pytest
from django.test import Client
from django.urls import reverse

from renkei.accounts import sessions
from renkei.accounts.models import AuditLog, SessionRecord
from renkei.conftest import PASSWORD

LOGIN = reverse("accounts:login")


def _comparable(html, typed):
    """A page without what differs between any two requests: the typed name, CSRF tokens."""
    html = html.replace(f'value="{typed}"', "")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def sign_in(client, username, password=PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


class TestTheLoginForm:
    def test_a_username_or_an_email_address_signs_in(self, outsider):
        for name in ("ito", "ITO@example.jp"):
            client = Client()
            assert sign_in(client, name).status_code == 302
            assert client.get(reverse("accounts:settings")).status_code == 200

    def test_a_wrong_password_and_an_unknown_account_get_the_same_answer(self, client, outsider):
        wrong = sign_in(client, "ito", "not the password").content.decode()
        unknown = sign_in(client, "nobody", "not the password").content.decode()
        message = "ユーザー名（またはメールアドレス）とパスワードの組み合わせが正しくありません。"
        assert message in wrong and message in unknown
        assert _comparable(wrong, "ito") == _comparable(unknown, "nobody")

    def test_a_deactivated_account_gets_the_same_answer_too(self, client, outsider):
        outsider.is_active = False
        outsider.save()
        assert "組み合わせが正しくありません" in sign_in(client, "ito").content.decode()

    def test_the_session_key_changes_at_login(self, client, outsider):
        client.get(LOGIN)
        client.cookies["sessionid"] = "x" * 32
        sign_in(client, "ito")
        assert client.cookies["sessionid"].value != "x" * 32

    def test_the_fields_keep_their_names(self, client):
        html = client.get(LOGIN).content.decode()
        assert 'name="username"' in html and 'name="password"' in html


class TestTheLock:
    def test_repeated_failures_lock_the_account_for_a_while(self, client, outsider, settings):
        for _attempt in range(settings.AXES_FAILURE_LIMIT):
            sign_in(client, "ito", "wrong")
        locked = sign_in(client, "ito")
        assert locked.status_code == 429
        assert "15分間止めています" in locked.content.decode()

    def test_the_lock_follows_the_account_whatever_name_is_typed(self, outsider, settings):
        for attempt in range(settings.AXES_FAILURE_LIMIT):
            sign_in(Client(REMOTE_ADDR=f"203.0.113.{attempt}"), "ito@example.jp", "wrong")
        assert sign_in(Client(REMOTE_ADDR="198.51.100.1"), "ito").status_code == 429

    def test_an_unknown_name_is_locked_the_same_way(self, client, settings):
        for _attempt in range(settings.AXES_FAILURE_LIMIT):
            sign_in(client, "nobody", "wrong")
        assert sign_in(client, "nobody", "wrong").status_code == 429

    def test_another_account_from_the_same_address_is_not_locked(
        self, client, outsider, reviewer, settings
    ):
        for _attempt in range(settings.AXES_FAILURE_LIMIT):
            sign_in(client, "tanaka", "wrong")
        assert sign_in(client, "ito").status_code == 302

    def test_failures_and_the_lock_are_audited_with_the_address(self, outsider, settings):
        client = Client(REMOTE_ADDR="203.0.113.9")
        for _attempt in range(settings.AXES_FAILURE_LIMIT):
            sign_in(client, "ITO@example.jp", "wrong")
        failures = AuditLog.objects.filter(action="account.login_failed")
        assert failures.count() == settings.AXES_FAILURE_LIMIT
        assert {row.after["account"] for row in failures} == {"ito"}
        assert {row.address for row in failures} == {"203.0.113.9"}
        assert AuditLog.objects.get(action="account.locked_out").after["account"] == "ito"

    def test_a_successful_sign_in_clears_earlier_failures(self, client, outsider, settings):
        for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
            sign_in(client, "ito", "wrong")
        sign_in(client, "ito")
        other = Client()
        for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
            sign_in(other, "ito", "wrong")
        assert sign_in(other, "ito").status_code == 302


class TestSessionPolicy:
    def _age(self, client, *, idle=0, total=0):
        session = client.session
        now = time.time()
        session[sessions.STARTED] = now - total
        session[sessions.SEEN] = now - idle
        session.save()

    def test_staff_sessions_end_after_thirty_minutes_idle(self, login, secretariat):
        client = login(secretariat)
        self._age(client, idle=29 * 60, total=29 * 60)
        assert client.get(reverse("accounts:people")).status_code == 200
        self._age(client, idle=31 * 60, total=31 * 60)
        response = client.get(reverse("accounts:people"))
        assert response["Location"].startswith(LOGIN)
        assert "しばらく操作がなかったため" in client.get(response["Location"]).content.decode()

    def test_staff_sessions_end_after_eight_hours_in_all(self, login, reviewer):
        client = login(reviewer)
        self._age(client, idle=60, total=8 * 3600 + 60)
        response = client.get(reverse("communities:reviews"))
        assert response["Location"].startswith(LOGIN)

    def test_staff_session_cookies_expire_with_the_idle_limit(self, login, coordinator):
        client = login(coordinator)
        assert client.session.get_expiry_age() == 30 * 60

    def test_others_keep_theirs_for_two_weeks(self, login, outsider):
        client = login(outsider)
        assert client.session.get_expiry_age() == 14 * 24 * 3600
        self._age(client, idle=13 * 24 * 3600, total=13 * 24 * 3600)
        assert client.get(reverse("accounts:settings")).status_code == 200

    def test_a_person_sees_their_sessions_and_ends_the_others(self, outsider):
        first = Client(HTTP_USER_AGENT="Mozilla/5.0 (Windows NT 10.0) Firefox/128.0")
        second = Client(
            HTTP_USER_AGENT="Mozilla/5.0 (iPhone) Safari/604.1", REMOTE_ADDR="203.0.113.5"
        )
        sign_in(first, "ito")
        sign_in(second, "ito")
        html = first.get(reverse("accounts:sessions")).content.decode()
        assert "Firefox / Windows" in html and "Safari / iOS" in html and "203.0.113.5" in html
        first.post(reverse("accounts:end_other_sessions"))
        assert second.get(reverse("accounts:settings")).status_code == 302
        assert first.get(reverse("accounts:settings")).status_code == 200
        assert SessionRecord.objects.filter(user=outsider, ended_at__isnull=True).count() == 1
        assert AuditLog.objects.get(action="account.end_sessions").after == {"ended": 1}

    def test_logging_out_ends_the_record(self, client, outsider):
        sign_in(client, "ito")
        client.post(reverse("accounts:logout"))
        assert not SessionRecord.objects.filter(user=outsider, ended_at__isnull=True).exists()


@pytest.mark.parametrize(
    ("agent", "label"),
    [
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Version/17.5 Safari/605.1.15",
            "Safari / macOS",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36 Edg/126.0",
            "Edge / Windows",
        ),
        (
            "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36",
            "Chrome / Android",
        ),
        ("curl/8.5.0", "curl/8.5.0"),
    ],
)
def test_browsers_are_named_as_people_know_them(agent, label):
    from renkei.lib.clients import browser_label

    assert browser_label(agent) == label
