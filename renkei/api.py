"""The JSON API (django-ninja). OpenAPI at /api/openapi.json, documentation at /api/docs."""

from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import ValidationError

from renkei.communities.api import router as communities_router
from renkei.councils.api import router as councils_router
from renkei.lib.imports import _PYDANTIC_MESSAGES, _column
from renkei.lib.params import ParamError
from renkei.matching.api import router as matching_router
from renkei.maturity.api import router as maturity_router
from renkei.programs.api import router as programs_router
from renkei.regions.api import router as regions_router

api = NinjaAPI(
    title="renkei API",
    version="1",
    description=(
        "地域バイオコミュニティと産学官連携のオープンデータ API。"
        " Amounts are in thousand yen; part_of_larger (内数) amounts are never summed."
    ),
    urls_namespace="api",
)
api.add_router("/", programs_router)
api.add_router("/", communities_router)
api.add_router("/", maturity_router)
api.add_router("/", matching_router)
api.add_router("/", regions_router)
api.add_router("/", councils_router)


def _message(error):
    template = _PYDANTIC_MESSAGES.get(error["type"])
    ctx = {k: str(v) for k, v in (error.get("ctx") or {}).items()}
    if error["type"] in {"literal_error", "enum"}:
        return _("値「%(value)s」は使えません（使える値: %(expected)s）。") % {
            "value": error.get("input"),
            "expected": ctx.get("expected", "").replace(" or ", ", "),
        }
    if template:
        return str(template) % ctx
    return error.get("msg", "")


@api.exception_handler(ValidationError)
def invalid_input(request, exc):
    """400 with each field named, in the caller's language (Accept-Language)."""
    detail = []
    for error in exc.errors:
        loc = [p for p in error.get("loc", []) if p not in ("query", "path", "body", "params")]
        field = str(loc[0]) if loc else _column(loc, "")
        detail.append({"field": field, "message": _message(error)})
    return api.create_response(request, {"detail": detail}, status=400)


@api.exception_handler(ParamError)
def unknown_value(request, exc):
    return api.create_response(
        request, {"detail": [{"field": exc.field, "message": exc.message}]}, status=400
    )
