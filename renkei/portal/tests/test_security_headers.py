"""Issue 11 (1): headers and cookies — a Content-Security-Policy on every response with no
inline script or style anywhere, never framed, violations reported and logged; __Host-
cookies in production; unused methods answered 405; the interactive API docs only where a
setting allows them."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse

PACKAGE = Path(__file__).resolve().parents[2]
PAGES = ["/", "/programs/", "/communities/", "/api/programs", "/accounts/login/", "/nowhere/"]


def _directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split("; ") if part}


@pytest.mark.parametrize("path", PAGES)
def test_every_response_carries_the_policy(client, path):
    directives = _directives(client.get(path))
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"] and directives["style-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["report-uri"] == ["/csp-report/"]
    assert not any("unsafe" in value for values in directives.values() for value in values)


def test_refusals_carry_it_too(client):
    assert "frame-ancestors 'none'" in client.generic("TRACE", "/")["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in client.get("/?q=\x00")["Content-Security-Policy"]


def test_a_violation_report_is_logged_and_answered_204(client, caplog):
    report = {
        "csp-report": {
            "document-uri": "https://renkei.example.jp/programs/",
            "violated-directive": "script-src 'self'",
            "blocked-uri": "inline",
        }
    }
    with caplog.at_level("WARNING", logger="renkei.csp"):
        response = client.post(
            reverse("csp_report"), json.dumps(report), content_type="application/csp-report"
        )
    assert response.status_code == 204
    (record,) = [r for r in caplog.records if r.name == "renkei.csp"]
    assert record.csp["blocked-uri"] == "inline"
    assert record.csp["document-uri"].endswith("/programs/")


def test_a_garbled_report_is_answered_all_the_same(client):
    response = client.post(reverse("csp_report"), b"\xff{", content_type="application/json")
    assert response.status_code == 204


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I), "script"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "event handler"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"<style[\s>]", re.I), "style element"),
]


def _inline(text):
    return [label for pattern, label in INLINE if pattern.search(text)]


def test_no_template_or_chart_writes_inline_script_or_style():
    sources = [*PACKAGE.glob("templates/**/*.html"), *PACKAGE.glob("*/templates/**/*.html")]
    sources += [PACKAGE / "lib" / "charts.py", PACKAGE / "lib" / "templatetags.py"]
    found = [
        f"{path.relative_to(PACKAGE)}: {label}"
        for path in sources
        for label in _inline(path.read_text(encoding="utf-8"))
    ]
    assert found == []


@pytest.mark.parametrize("method", ["TRACE", "PUT", "PATCH", "DELETE", "OPTIONS", "CONNECT"])
@pytest.mark.parametrize("path", ["/", "/api/programs", "/static/renkei/renkei.css"])
def test_methods_the_portal_does_not_use_are_answered_405(client, method, path):
    response = client.generic(method, path)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, POST"


def test_the_interactive_api_docs_follow_their_setting(client):
    assert client.get("/api/docs").status_code == 200
    with override_settings(RENKEI_API_DOCS=False):
        assert client.get("/api/docs").status_code == 404
        assert client.get("/api/openapi.json").status_code == 200  # the contract stays public


def _production_settings(**extra):
    """The settings module as production loads it (a fresh interpreter)."""
    inherited = {
        k: v for k, v in os.environ.items() if k not in ("RENKEI_API_DOCS", "RENKEI_LOG_FORMAT")
    }
    env = {
        **inherited,
        "RENKEI_ENV": "production",
        "RENKEI_SECRET_KEY": "x" * 60,
        "RENKEI_ALLOWED_HOSTS": "renkei.example.jp",
        "RENKEI_EMAIL_HOST": "smtp.example.jp",
        **extra,
    }
    code = (
        "import json, renkei.settings as s; print(json.dumps({k: getattr(s, k) for k in "
        "['SESSION_COOKIE_NAME', 'CSRF_COOKIE_NAME', 'SESSION_COOKIE_SECURE', "
        "'CSRF_COOKIE_SECURE', 'RENKEI_API_DOCS', 'RENKEI_LOG_FORMAT']}))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(output.stdout)


def test_production_cookies_carry_the_host_prefix_and_docs_are_off():
    values = _production_settings()
    assert values["SESSION_COOKIE_NAME"] == "__Host-sessionid"
    assert values["CSRF_COOKIE_NAME"] == "__Host-csrftoken"
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["RENKEI_API_DOCS"] is False
    assert values["RENKEI_LOG_FORMAT"] == "json"
    assert _production_settings(RENKEI_API_DOCS="true")["RENKEI_API_DOCS"] is True


def test_a_host_prefixed_cookie_is_set_as_browsers_require(client, settings, secretariat):
    settings.SESSION_COOKIE_NAME = "__Host-sessionid"
    settings.SESSION_COOKIE_SECURE = True
    client.force_login(secretariat)
    cookie = client.cookies["__Host-sessionid"]
    assert cookie["secure"] and cookie["path"] == "/" and not cookie["domain"]
