"""The JSON API (django-ninja). OpenAPI at /api/openapi.json, documentation at /api/docs
(public in development; in production only when RENKEI_API_DOCS=true).

Every error is answered with one body, ``ErrorOut`` (``{"detail": [{"field", "message"}]}``),
and every operation declares the errors it can answer: 400 (a parameter refused, by its
schema, the code or the request guard), 403 (staff before their second factor, or a role the
operation needs), 429 (too many calls from one client) and 404 where it reads a path
parameter. The document is committed as docs/openapi.json (``renkei api-schema``); a test
fails when the code and the committed document drift.
"""

from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema, Swagger
from ninja.errors import HttpError, ValidationError
from ninja.throttling import BaseThrottle

from renkei.communities.api import router as communities_router
from renkei.councils.api import router as councils_router
from renkei.experts.api import router as experts_router
from renkei.lib.imports import _PYDANTIC_MESSAGES, _column
from renkei.lib.params import ParamError
from renkei.lib.schemas import PATTERN_MESSAGES
from renkei.matching import throttle
from renkei.matching.api import router as matching_router
from renkei.maturity.api import router as maturity_router
from renkei.programs.api import router as programs_router
from renkei.regions.api import router as regions_router
from renkei.regulatory.api import router as regulatory_router


class ErrorItem(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    """Every error answer: what was refused (the parameter's name, or empty) and why."""

    detail: list[ErrorItem]


class ClientThrottle(BaseThrottle):
    """RENKEI_API_RATE_PER_MINUTE calls a minute per client address (the address a client
    cannot forge, renkei.lib.clients; IPv6 by /64), counted atomically in the cache."""

    def allow_request(self, request):
        return throttle.hit(request, "api", limit=settings.RENKEI_API_RATE_PER_MINUTE, window=60)

    def wait(self):
        return 60


class Docs(Swagger):
    """The interactive documentation only where RENKEI_API_DOCS allows it (the OpenAPI
    document itself is always served: it is the contract)."""

    def render_page(self, request, api, **kwargs):
        if not settings.RENKEI_API_DOCS:
            raise Http404
        return super().render_page(request, api, **kwargs)


api = NinjaAPI(
    title="renkei API",
    version="1",
    description=(
        "地域バイオコミュニティと産学官連携のオープンデータ API。"
        " Amounts are in thousand yen; part_of_larger (内数) amounts are never summed."
        " Every error answers {detail: [{field, message}]} in Japanese or English"
        " (Accept-Language)."
    ),
    urls_namespace="api",
    docs=Docs(),
    throttle=[ClientThrottle()],
)
ROUTERS = [
    programs_router,
    communities_router,
    maturity_router,
    matching_router,
    regions_router,
    councils_router,
    experts_router,
    regulatory_router,
]
for _router in ROUTERS:
    api.add_router("/", _router)

ERRORS = {
    400: "a parameter was refused",
    403: "second factor or role required",
    404: "not found",
    429: "too many calls",
}


def declare_errors(routers):
    """Add the error answers to every operation's responses (before the routers are bound,
    so the document and the URLs carry them)."""
    for router in routers:
        for path, view in router.path_operations.items():
            for operation in view.operations:
                model = operation._create_response_model(ErrorOut)
                for status in ERRORS:
                    if status == 404 and "{" not in path:
                        continue
                    operation.response_models.setdefault(status, model)


declare_errors(ROUTERS)


def error(request, status, message, field=""):
    return api.create_response(
        request, {"detail": [{"field": field, "message": str(message)}]}, status=status
    )


def _message(error, value):
    template = _PYDANTIC_MESSAGES.get(error["type"])
    ctx = {k: str(v) for k, v in (error.get("ctx") or {}).items()}
    if error["type"] in {"literal_error", "enum"}:
        # The value as sent: pydantic may report the input as None (a list item, a value
        # it read elsewhere), which must never be shown as 「None」.
        sent = error.get("input")
        return _("値「%(value)s」は使えません（使える値: %(expected)s）。") % {
            "value": sent if sent is not None else (value if value is not None else ""),
            "expected": ctx.get("expected", "").replace(" or ", ", "),
        }
    if error["type"] == "string_pattern_mismatch":
        message = PATTERN_MESSAGES.get(ctx.get("pattern"))
        if message:
            return str(message) % {"value": value}
        return _("値「%(value)s」は形式が正しくありません。") % {"value": value}
    if template:
        return str(template) % ctx
    return error.get("msg", "")


@api.exception_handler(ValidationError)
def invalid_input(request, exc):
    """400 with each field named, in the caller's language (Accept-Language)."""
    detail = []
    for item in exc.errors:
        loc = [p for p in item.get("loc", []) if p not in ("query", "path", "body", "params")]
        # a repeated parameter of a filter schema is at ("filters", "kind", 0): named "kind"
        named = [p for p in loc if isinstance(p, str) and p in request.GET]
        field = named[0] if named else (str(loc[0]) if loc else _column(loc, ""))
        value = item.get("input")
        if value in (None, "") and field in request.GET:  # the value as sent (that one)
            values = request.GET.getlist(field)
            at = loc[-1] if loc and isinstance(loc[-1], int) and loc[-1] < len(values) else -1
            value = values[at]
        detail.append({"field": field, "message": _message(item, value)})
    return api.create_response(request, {"detail": detail}, status=400)


@api.exception_handler(ParamError)
def unknown_value(request, exc):
    return error(request, 400, exc.message, exc.field)


@api.exception_handler(Http404)
def not_found(request, exc):
    return error(request, 404, _("見つかりません。"))


@api.exception_handler(HttpError)
def refused(request, exc):
    if exc.status_code == 429:
        response = error(
            request, 429, _("呼び出しが多すぎます。1分ほど待ってからもう一度お試しください。")
        )
        response["Retry-After"] = "60"
        return response
    return error(request, exc.status_code, exc.message)
