"""The second factor: staff reach nothing before it, setting it up with a real authenticator
code, signing in with it or a recovery code, and what wrong or replayed codes do."""

import re

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from renkei.accounts import second_factor
from renkei.accounts.middleware import OPEN_BEFORE_VERIFIED
from renkei.accounts.models import AuditLog
from renkei.conftest import PASSWORD

SETUP = reverse("accounts:second_factor_setup")
VERIFY = reverse("accounts:second_factor_verify")
SAMPLES = {"int": "1", "slug": "nagaoka", "str": "x", "path": "x/y", "uuid": "0" * 32}


def code_of(device):
    """The code the person's authenticator app shows now."""
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}"


def _route(pattern):
    """A concrete path for one URL pattern, or None for a regular expression we cannot fill."""
    if isinstance(pattern, RoutePattern):
        return re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLES[m.group(1) or "str"], str(pattern))
    text = str(pattern).lstrip("^").rstrip("$").replace("\\Z", "")
    text = re.sub(r"\(\?P<\w+>[^)]*\)", "1", text)
    return None if re.search(r"[()\[\]*+?\\|]", text) else text


def every_route(patterns=None, prefix=""):
    """(path, view name) for every URL pattern of the portal, the admin and the API."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = _route(entry.pattern)
        if route is None:
            continue
        if isinstance(entry, URLResolver):
            namespace = f"{entry.namespace}:" if entry.namespace else ""
            for path, name in every_route(entry.url_patterns, prefix + route):
                yield path, (namespace + name) if name else name
        elif isinstance(entry, URLPattern):
            yield prefix + route, entry.name


ROUTES = sorted({path: name for path, name in every_route()}.items())
STAFF_ROUTES = [
    ("/" + path, name)
    for path, name in ROUTES
    if f"accounts:{name}" not in OPEN_BEFORE_VERIFIED and name not in OPEN_BEFORE_VERIFIED
]


def test_the_walk_reaches_the_portal_the_admin_and_the_api():
    paths = [path for path, _name in STAFF_ROUTES]
    assert "/accounts/people/" in paths and "/admin/" in paths
    assert any(path.startswith("/api/") for path in paths)
    assert any(path.startswith("/communities/rounds/") for path in paths)
    assert len(paths) > 100


@pytest.mark.parametrize("persona", ["secretariat", "reviewer", "coordinator"])
def test_staff_without_a_second_factor_are_sent_to_set_one_up_from_every_route(
    login, request, persona
):
    client = login(request.getfixturevalue(persona), verified=False)
    let_through = []
    for path, _name in STAFF_ROUTES:
        response = client.get(path)
        if path.startswith("/api/"):
            refused = response.status_code == 403
        else:
            refused = response.status_code == 302 and response["Location"].startswith(SETUP)
        if not refused:
            let_through.append((path, response.status_code))
    assert let_through == []


def test_staff_with_an_authenticator_are_asked_for_a_code_on_every_route(login, secretariat):
    TOTPDevice.objects.create(user=secretariat, name="authenticator", confirmed=True)
    client = login(secretariat, verified=False)
    let_through = [
        path
        for path, _name in STAFF_ROUTES
        if not path.startswith("/api/")
        and not client.get(path).get("Location", "").startswith(VERIFY)
    ]
    assert let_through == []


def test_posts_are_refused_too(login, secretariat):
    client = login(secretariat, verified=False)
    response = client.post(
        reverse("accounts:invite"), {"email": "x@example.jp", "kind": "reviewer"}
    )
    assert response.status_code == 302 and response["Location"] == SETUP


@pytest.mark.parametrize("persona", ["liaison", "outsider"])
def test_others_go_about_without_one(login, request, persona):
    client = login(request.getfixturevalue(persona), verified=False)
    assert client.get(reverse("accounts:settings")).status_code == 200


def test_the_login_form_sends_staff_on_to_their_second_factor(client, secretariat):
    response = client.post(
        reverse("accounts:login"),
        {"username": "sato", "password": PASSWORD, "next": "/accounts/people/"},
    )
    assert response["Location"] == f"{SETUP}?next=%2Faccounts%2Fpeople%2F"


def test_setting_up_takes_a_code_from_the_app_and_gives_recovery_codes(login, reviewer):
    client = login(reviewer, verified=False)
    page = client.get(SETUP).content.decode()
    assert "<svg" in page and "<script" not in page and 'style="' not in page
    device = TOTPDevice.objects.get(user=reviewer, confirmed=False)
    assert client.post(SETUP, {"code": "000000"}).status_code == 400
    response = client.post(SETUP, {"code": code_of(device)})
    codes = re.findall(r"<li><code>(\w+)</code></li>", response.content.decode())
    assert len(codes) == 10
    assert client.get(reverse("communities:reviews")).status_code == 200
    assert AuditLog.objects.filter(action="account.second_factor", actor=reviewer).exists()


def test_the_secret_can_be_typed_when_the_qr_code_cannot_be_read(login, reviewer):
    client = login(reviewer, verified=False)
    html = client.get(SETUP).content.decode()
    device = TOTPDevice.objects.get(user=reviewer)
    assert second_factor.secret_text(device) in html


class TestSigningIn:
    @pytest.fixture
    def device(self, secretariat):
        return TOTPDevice.objects.create(user=secretariat, name="authenticator", confirmed=True)

    def test_a_right_code_lets_staff_in_and_changes_the_session_key(
        self, client, secretariat, device
    ):
        client.post(reverse("accounts:login"), {"username": "sato", "password": PASSWORD})
        before = client.cookies["sessionid"].value
        response = client.post(VERIFY, {"code": code_of(device), "next": "/accounts/people/"})
        assert response["Location"] == "/accounts/people/"
        assert client.cookies["sessionid"].value != before
        assert client.get("/accounts/people/").status_code == 200

    def test_a_code_is_accepted_once(self, login, secretariat, device):
        client = login(secretariat, verified=False)
        code = code_of(device)
        client.post(VERIFY, {"code": code})
        other = Client()
        other.force_login_password_only(secretariat)
        assert other.post(VERIFY, {"code": code}).status_code == 400

    def test_a_recovery_code_works_once_and_a_replay_is_named(self, login, secretariat, device):
        codes = second_factor.new_recovery_codes(secretariat)
        client = login(secretariat, verified=False)
        response = client.post(VERIFY, {"code": codes[0].upper()})
        assert response["Location"] == resolve_url(settings.LOGIN_REDIRECT_URL)
        other = Client()
        other.force_login_password_only(secretariat)
        again = other.post(VERIFY, {"code": codes[0]})
        assert again.status_code == 400
        assert "この回復コードは使用済みです" in again.content.decode()
        assert second_factor.recovery_codes_left(secretariat) == 9

    def test_a_wrong_code_is_a_failed_login_in_the_audit_log(self, login, secretariat, device):
        response = login(secretariat, verified=False).post(VERIFY, {"code": "123456"})
        assert "コードが正しくありません" in response.content.decode()
        failure = AuditLog.objects.get(action="account.login_failed")
        assert failure.after["account"] == "sato" and failure.note == "second_factor"
        assert failure.address == "127.0.0.1"

    def test_wrong_codes_count_toward_the_lock(self, login, secretariat, device):
        client = login(secretariat, verified=False)
        for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
            assert client.post(VERIFY, {"code": "123456"}).status_code == 400
        locked = client.post(VERIFY, {"code": "123456"})
        assert locked.status_code == 429
        assert "しばらくログインできません" in locked.content.decode()
        # signed out, and the password no longer opens the account either
        assert client.get(reverse("accounts:settings")).status_code == 302
        again = client.post(reverse("accounts:login"), {"username": "sato", "password": PASSWORD})
        assert again.status_code == 429
        assert AuditLog.objects.filter(action="account.locked_out").exists()

    def test_wrong_codes_and_wrong_passwords_add_up(self, client, login, secretariat, device):
        for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
            client.post(reverse("accounts:login"), {"username": "sato", "password": "wrong"})
        locked = login(secretariat, verified=False).post(VERIFY, {"code": "123456"})
        assert locked.status_code == 429


class TestOptingIn:
    def test_an_outsider_may_set_one_up_and_then_uses_it(self, login, outsider):
        client = login(outsider)
        client.get(SETUP)
        device = TOTPDevice.objects.get(user=outsider)
        client.post(SETUP, {"code": code_of(device)})
        later = Client()
        later.force_login(outsider)
        assert later.get(reverse("accounts:settings"))["Location"].startswith(VERIFY)

    def test_an_outsider_may_turn_it_off_but_staff_may_not(self, login, outsider, reviewer):
        TOTPDevice.objects.create(user=outsider, name="authenticator", confirmed=True)
        client = login(outsider)
        client.post(VERIFY, {"code": code_of(TOTPDevice.objects.get(user=outsider))})
        client.post(reverse("accounts:second_factor_remove"))
        assert not TOTPDevice.objects.filter(user=outsider).exists()
        staff = login(reviewer)
        staff.post(reverse("accounts:second_factor_remove"))
        assert TOTPDevice.objects.filter(user=reviewer).exists()

    def test_new_recovery_codes_replace_the_old_ones(self, login, reviewer):
        old = second_factor.new_recovery_codes(reviewer)
        response = login(reviewer).post(reverse("accounts:recovery_codes"))
        new = re.findall(r"<li><code>(\w+)</code></li>", response.content.decode())
        assert len(new) == 10 and not set(old) & set(new)
        assert second_factor.recovery_codes_left(reviewer) == 10
