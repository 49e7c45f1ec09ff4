"""Middleware of the portal shell for issue 11 (docs/security.md):

- :class:`RequestContextMiddleware` gives every request an id and records who and where it
  is for log lines and audit rows (renkei.lib.context), and logs one line per request.
- :class:`RequestGuardMiddleware` refuses, before anything reads the request: methods the
  portal does not use (405), bodies larger than the upload limit (413), NUL bytes in the
  path or a parameter and over-long paths or parameters (400 naming the field).
- :class:`RefusalAuditMiddleware` writes an audit row for every write answered 403.
"""

import ipaddress
import logging
import re
import time
import uuid

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from renkei.accounts import audit
from renkei.lib import context
from renkei.lib.clients import client_ip

log = logging.getLogger("renkei.request")

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


def _request_id(request):
    """A proxy we trust may pass its request id on (X-Request-ID); otherwise a new one."""
    given = request.META.get("HTTP_X_REQUEST_ID", "")
    if given and _REQUEST_ID.match(given) and _from_trusted_proxy(request):
        return given
    return uuid.uuid4().hex


def _from_trusted_proxy(request):
    try:
        remote = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(remote in network for network in settings.RENKEI_TRUSTED_PROXIES)


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        request.id = _request_id(request)
        token = context.begin(
            request_id=request.id, address=client_ip(request), method=request.method or ""
        )
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request.id
            log.info(
                "%s %s %s",
                request.method,
                request.path[:200],
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path[:200],
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000),
                },
            )
            return response
        finally:
            context.end(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        route = (match.route or match.view_name) if match else ""
        context.update(route=route)


# --- refusals before anything reads the request ------------------------------------------


def refusal(request, status, field, message):
    """A 400/413 in the caller's form: JSON with the field for the API, a page otherwise."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": [{"field": field, "message": message}]}, status=status)
    body = render_to_string(
        "portal/refused.html", {"status": status, "field": field, "message": message}
    )
    return HttpResponse(body, status=status)


def _problem(items, *, max_chars, where):
    """(field, message) for the first NUL byte or over-long value among ``items``."""
    for key, values in items:
        if "\x00" in key:
            return "", _("パラメータ名に使えない文字（NUL）が含まれています。")
        for value in values:
            if "\x00" in value:
                return key, _("「%(field)s」に使えない文字（NUL）が含まれています。") % {
                    "field": key
                }
            if where == "query" and len(value) > max_chars:
                return key, _("「%(field)s」が長すぎます（%(n)s 文字、上限 %(max)s 文字）。") % {
                    "field": key,
                    "n": len(value),
                    "max": max_chars,
                }
    return None


class RequestGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.refuse(request) or self.get_response(request)

    def refuse(self, request):
        allowed = settings.RENKEI_ALLOWED_METHODS
        if request.method not in allowed:
            return HttpResponseNotAllowed(allowed)
        path = request.path_info
        if "\x00" in path:
            return refusal(
                request, 400, "path", _("アドレスに使えない文字（NUL）が含まれています。")
            )
        if len(path) > settings.RENKEI_MAX_PATH_CHARS:
            return refusal(
                request,
                400,
                "path",
                _("アドレスが長すぎます（上限 %(max)s 文字）。")
                % {"max": settings.RENKEI_MAX_PATH_CHARS},
            )
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.RENKEI_UPLOAD_MAX_BYTES:
            mb = settings.RENKEI_UPLOAD_MAX_BYTES // (1024 * 1024)
            return refusal(
                request, 413, "", _("送信するデータが大きすぎます（上限 %(mb)s MB）。") % {"mb": mb}
            )
        problem = _problem(
            request.GET.lists(), max_chars=settings.RENKEI_MAX_PARAM_CHARS, where="query"
        )
        if problem is None and request.method == "POST" and _is_form(request):
            problem = _problem(request.POST.lists(), max_chars=0, where="form")
        if problem:
            return refusal(request, 400, *problem)
        return None


def _is_form(request):
    content_type = request.META.get("CONTENT_TYPE", "")
    return content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data"))


class RefusalAuditMiddleware:
    """A write (POST) answered 403 — by an action's permission check, the CSRF check or the
    second-factor gate — is written to the audit log: who, what route, from which address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            context.update(user_id=user.pk)
        response = self.get_response(request)
        if request.method not in SAFE_METHODS and response.status_code == 403:
            match = request.resolver_match
            audit.record(
                audit.Action.REFUSED,
                actor=user if user is not None and user.is_authenticated else None,
                target_type="",
                after={
                    "method": request.method,
                    "path": request.path[:300],
                    "route": (match.view_name if match else ""),
                },
                note=getattr(response, "reason_phrase", "")[:100],
                address=context.client_address(),
            )
        return response
