"""Test setup shared by every app: the default data set, and the personas.

The personas follow the people of DOMAIN.md: a secretariat officer (Sato), a committee
reviewer (Tanaka), the coordinator of the Nagaoka community (Kobayashi), a liaison officer
of 長岡技術科学大学 (Watanabe) and a signed-in outsider with no role (Ito). Anonymous
visitors are the plain ``client``.
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

    with translation.override("ja"):
        yield


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


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login
