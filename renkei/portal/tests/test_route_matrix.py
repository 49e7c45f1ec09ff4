"""Issue 11 (2): the role × route matrix. Every URL pattern of the portal and every API
operation answers each persona as `route_matrix.py` says: anonymous, a plain signed-in user,
the coordinators of two communities (Nagaoka's and Tokai's), a university's liaison office,
a reviewer and the secretariat. A route that is not in the matrix fails the suite.

The objects the routes are asked about belong to Nagaoka (its need, application, report,
council) or to its university (seed, window), so the second coordinator and the others show
what object-level checks refuse. Pages are asked with GET; routes that only take POST are
posted to with an empty form (what an attacker without the page would send).

Each request runs signed in afresh and is rolled back after its answer, so no answer depends
on another. Every HTML page answered 200 is also checked for inline script and style (the
Content-Security-Policy refuses them).

To record the answers of new routes: RENKEI_RECORD_MATRIX=1 pytest this file prints them in
the matrix's format; check each by reading its view before adding it to route_matrix.py.
"""

import datetime
import os
import re

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from renkei.accounts.models import Role
from renkei.communities.models import Community
from renkei.conftest import _user
from renkei.portal.tests.route_matrix import ADMIN, MATRIX, PERSONAS
from renkei.portal.tests.test_security_headers import _inline

ANY = {"int": "999999", "slug": "nagaoka", "str": "x", "path": "x/y", "uuid": "0" * 32}


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def routes():
    """Every URL pattern (the admin's under one key) and API operation, by its pattern."""
    found = {}
    for pattern, entry in _walk(get_resolver().url_patterns):
        if pattern.startswith("admin/"):
            found.setdefault(ADMIN, entry)
        else:
            found[pattern] = entry
    return found


def test_every_route_is_in_the_matrix_and_the_matrix_lists_no_other():
    present = set(routes())
    assert sorted(present - MATRIX.keys()) == [], "routes missing from route_matrix.py"
    assert sorted(MATRIX.keys() - present) == [], "route_matrix.py lists routes that are gone"


def test_the_matrix_covers_the_api_and_the_admin():
    assert ADMIN in MATRIX
    assert sum(pattern.startswith("api/") for pattern in MATRIX) >= 20


@pytest.fixture
def scenario(secretariat, reviewer, coordinator, liaison, outsider, nagaoka, nagaokaut):
    """Objects of Nagaoka and of its university for the routes to be asked about."""
    from renkei.communities import actions as rounds
    from renkei.councils.models import CaseStudy, Survey
    from renkei.matching.actions import propose_seed
    from renkei.matching.models import Need, Seed
    from renkei.maturity.models import Report
    from renkei.notifications.models import Notification
    from renkei.programs.models import Program
    from renkei.regions.models import ContactWindow

    tokai = _user("yamamoto", "山本（東海コーディネーター）")
    Role.objects.create(
        user=tokai, kind=Role.Kind.COORDINATOR, community=Community.objects.get(slug="tokai")
    )
    now = timezone.now()
    round_ = rounds.open_round(
        by=secretariat,
        kind="regional",
        fiscal_year=2026,
        title="マトリクス用ラウンド",
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=7),
        review_deadline=now + datetime.timedelta(days=30),
        reviewers=[reviewer],
    )
    application = rounds.start_application(round_, nagaoka, by=coordinator)
    need = Need.objects.create(
        title="稲わらの活用",
        description="稲わらを堆肥以外に使いたい。",
        submitter_name="相談者",
        submitter_kind=Need.SubmitterKind.values[0],
        email="soudan@example.jp",
        phone="0258-00-0000",
        prefecture_id="15",
        consent_at=now,
        confirmed_at=now,
        status=Need.Status.IN_PROGRESS,
        community=nagaoka,
        assigned_to=coordinator,
    )
    seed = Seed.objects.create(
        organization=nagaokaut,
        code="M-1",
        title="稲わらの糖化",
        summary="稲わらから糖を取り出す。",
        stage=Seed.Stage.values[0],
        prefecture_id="15",
    )
    window = ContactWindow.objects.create(organization=nagaokaut, department="産学連携窓口")
    report = Report.objects.create(community=nagaoka, fiscal_year=2031, created_by=coordinator)
    notification = Notification.objects.filter(recipient=outsider).first()
    proposal = propose_seed(need, seed, by=coordinator)
    return {
        "person": reviewer.pk,
        "organization": nagaokaut.pk,
        "program": Program.objects.order_by("code").values_list("code", flat=True).first(),
        "survey": Survey.objects.order_by("pk").values_list("slug", flat=True).first(),
        "case": CaseStudy.objects.order_by("pk").values_list("slug", flat=True).first(),
        "round": round_.pk,
        "application": application.pk,
        "need": need.pk,
        "proposal": proposal.pk,
        "seed": seed.pk,
        "window": window.pk,
        "report": report.pk,
        "notification": notification.pk if notification else 999999,
        "community": "nagaoka",
        "personas": {
            "anonymous": None,
            "user": outsider,
            "coordinator": coordinator,
            "coordinator_b": tokai,
            "liaison": liaison,
            "reviewer": reviewer,
            "secretariat": secretariat,
        },
    }


def concrete(pattern, samples, objects):
    """The path to ask for a pattern: its parameters from the entry's samples, else ANY."""

    def fill(match):
        converter, name = match.group(1) or "str", match.group(2)
        if name in samples:
            value = samples[name]
            return str(objects.get(value, value))
        return ANY.get(converter, "x")

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", fill, pattern)


def _answer(client, method, path, data=None):
    response = client.post(path, data or {}) if method == "POST" else client.get(path)
    if response.status_code == 302 and "/accounts/login/" in response.get("Location", ""):
        return "login", response
    if response.status_code == 302 and "/admin/login/" in response.get("Location", ""):
        return "login", response
    return str(response.status_code), response


def _client_for(user):
    client = Client(raise_request_exception=False)  # a 500 is an answer the matrix compares
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.slow  # runs the embedding model or every route as every persona
def test_each_persona_gets_the_answer_the_matrix_gives(scenario, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    users = scenario["personas"]
    recording = os.environ.get("RENKEI_RECORD_MATRIX") == "1"
    wrong, inline, recorded = [], [], []
    entries = sorted(MATRIX.items()) if not recording else sorted(routes().items())
    for persona in PERSONAS:
        for pattern, _entry in entries:
            method, expected, samples = MATRIX.get(pattern, ("GET", None, {}))
            path = "/admin/" if pattern == ADMIN else concrete(pattern, samples, scenario)
            # Each answer on its own: a fresh sign-in, and whatever the request wrote (an
            # archived seed, a closed round, a removed second factor) rolled back after it.
            with transaction.atomic():
                got, response = _answer(
                    _client_for(users[persona]), method, path, samples.get("_data")
                )
                transaction.set_rollback(True)
            if recording:
                recorded.append((pattern, persona, method, got))
                continue
            want = expected.split()[PERSONAS.index(persona)]
            if got != want:
                wrong.append(f"{method} {path} as {persona}: {got}, matrix says {want}")
            if got == "200" and "text/html" in response.get("Content-Type", ""):
                for label in _inline(response.content.decode()):
                    inline.append(f"{path} as {persona}: {label}")
    if recording:
        table = {}
        for pattern, persona, method, got in recorded:
            table.setdefault((pattern, method), {})[persona] = got
        for (pattern, method), answers in sorted(table.items()):
            codes = " ".join(f"{answers[p]:>5}" for p in PERSONAS)
            print(f'    "{pattern}": ("{method}", "{codes}", {{}}),')
        pytest.skip("recorded")
    assert wrong == []
    assert inline == []
