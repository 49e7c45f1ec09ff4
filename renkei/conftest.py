"""Test setup shared by every app: the default data set, and the personas.

The personas follow the people of DOMAIN.md: a secretariat officer (Sato), a committee
reviewer (Tanaka), the coordinator of the Nagaoka community (Kobayashi), a liaison officer
of 長岡技術科学大学 (Watanabe) and a signed-in outsider with no role (Ito). Anonymous
visitors are the plain ``client``.

Staff (secretariat, reviewers, coordinators, admin users) must pass a second factor before
any page (renkei/accounts/middleware.py). ``client.force_login`` and the ``login`` fixture
sign them in as they are after entering their code: with a real, confirmed authenticator
and a verified session. ``login(user, verified=False)`` signs them in with the password
only, as the second-factor tests need.
"""

import pytest
from django.conf import settings

PASSWORD = "correct horse battery staple"  # noqa: S105 - the personas' test password


def pytest_configure():
    # Fast hashing in tests only; production hashing (argon2) is asserted in accounts tests.
    settings.RENKEI_PRODUCTION_PASSWORD_HASHERS = list(settings.PASSWORD_HASHERS)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # The whole suite calls the API from one address far faster than any client may; the
    # limit's own test sets it low (renkei/portal/tests/test_api_contract.py).
    settings.RENKEI_API_RATE_PER_MINUTE = 1_000_000
    # Background jobs run inline in tests (once the transaction's on_commit callbacks run,
    # e.g. inside django_capture_on_commit_callbacks(execute=True)); a test that checks what
    # is queued turns this off for itself.
    from django_q.conf import Conf

    Conf.SYNC = True


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from renkei.portal.dataset import load_default_dataset

    with django_db_blocker.unblock():
        load_default_dataset()


@pytest.fixture(autouse=True)
def _db_and_language(db):
    from django.utils import translation

    from renkei.matching.caches import DatabaseCache

    with translation.override("ja"):
        yield
    # The process keeps the vectors it read or wrote beside the Embedding table; each test's
    # table is rolled back, so the vectors go with it (else a later test finds a vector its
    # database never held).
    DatabaseCache._shared.clear()


def _user(username, display_name, **extra):
    from renkei.accounts.models import User

    user = User.objects.create_user(
        username=username, email=f"{username}@example.jp", password=PASSWORD, **extra
    )
    user.display_name = display_name
    user.save()
    return user


@pytest.fixture
def secretariat():
    from renkei.accounts.models import Role

    user = _user("sato", "佐藤（事務局）", is_staff=True)
    Role.objects.create(user=user, kind=Role.Kind.SECRETARIAT)
    return user


@pytest.fixture
def reviewer():
    from renkei.accounts.models import Role

    user = _user("tanaka", "田中（審査委員）")
    Role.objects.create(user=user, kind=Role.Kind.REVIEWER)
    return user


@pytest.fixture
def nagaoka():
    from renkei.communities.models import Community

    return Community.objects.get(slug="nagaoka")


@pytest.fixture
def coordinator(nagaoka):
    from renkei.accounts.models import Role

    user = _user("kobayashi", "小林（長岡コーディネーター）")
    Role.objects.create(user=user, kind=Role.Kind.COORDINATOR, community=nagaoka)
    return user


@pytest.fixture
def nagaokaut():
    from renkei.regions.models import Organization

    return Organization.objects.get(name="長岡技術科学大学")


@pytest.fixture
def liaison(nagaokaut):
    from renkei.accounts.models import Role

    user = _user("watanabe", "渡辺（産学連携本部）")
    Role.objects.create(user=user, kind=Role.Kind.ORGANIZATION_MEMBER, organization=nagaokaut)
    return user


@pytest.fixture
def outsider():
    return _user("ito", "伊藤")


def verify_second_factor(client, user):
    """Mark the client's session as past the second factor, with a confirmed authenticator of
    ``user`` (created if they have none), as entering a right code does."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from renkei.accounts.second_factor import ENROLLED

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[ENROLLED] = True
    session.save()
    return device


@pytest.fixture(autouse=True)
def _staff_sign_in_with_their_second_factor(monkeypatch):
    from django.test import Client

    password_only = Client.force_login

    def force_login(self, user, backend=None):
        password_only(self, user, backend)
        if user.is_staff_person:
            verify_second_factor(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)
    monkeypatch.setattr(Client, "force_login_password_only", password_only, raising=False)


@pytest.fixture
def login(client):
    def _login(user, *, verified=True):
        if verified:
            client.force_login(user)
        else:
            client.force_login_password_only(user)
        return client

    return _login
