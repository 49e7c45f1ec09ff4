"""What a search may ask for, and the query strings of pages and saved searches.

``SearchParams`` is built from the facet table: the query, one parameter per facet (lists
are OR within a facet; facets combine with AND), the sort and the page. The API takes it as
its query parameters; pages read it from and write it to query strings here.
"""

from django.db import models
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

from renkei.lib.imports import pydantic_errors
from renkei.lib.schemas import choice
from renkei.programs.search.facets import FACETS

MAX_QUERY_LENGTH = 200
MAX_PAGE_SIZE = 100


class Sort(models.TextChoices):
    RELEVANCE = "relevance", _("関連度順")
    BUDGET = "budget", _("予算額の大きい順")
    CLOSE_DATE = "close_date", _("締切の近い順")
    NAME = "name", _("名前順")


class _Params(BaseModel):
    model_config = ConfigDict(extra="ignore", use_enum_values=True)


SearchParams = create_model(
    "SearchParams",
    __base__=_Params,
    __doc__="What a search may ask for. Lists are OR within a facet; facets combine with AND.",
    q=(str, Field("", max_length=MAX_QUERY_LENGTH, description="検索語（200文字まで）")),
    **{
        facet.name: (facet.param, Field(facet.unset, description=facet.description))
        for facet in FACETS
    },
    sort=(choice(Sort), Field(Sort.RELEVANCE, description="並び順")),
    page=(int, Field(1, ge=1, le=10_000)),
    page_size=(int, Field(20, ge=1, le=MAX_PAGE_SIZE)),
)
LIST_PARAMS = {facet.name for facet in FACETS if facet.is_list}


class InvalidQuery(Exception):
    def __init__(self, errors):
        self.errors = errors  # [(field, message)]
        super().__init__("; ".join(f"{f}: {m}" for f, m in errors))


def params_from_query(query):
    """SearchParams from a QueryDict (repeated keys are lists); raises InvalidQuery."""
    data = {}
    for key in SearchParams.model_fields:
        if key in LIST_PARAMS:
            values = [v for v in query.getlist(key) if v != ""]
            if values:
                data[key] = values
        elif query.get(key, "") != "":
            data[key] = query.get(key)
    try:
        return SearchParams.model_validate(data)
    except ValidationError as exc:
        raise InvalidQuery(
            [(e.column.split("[")[0], e.message) for e in pydantic_errors(exc, "query", None).items]
        ) from exc


def query_from_params(params, *, keep_paging=False):
    """The query string of a search (defaults left out)."""
    query = QueryDict(mutable=True)
    defaults = SearchParams()
    for key, value in params.model_dump().items():
        if not keep_paging and key in ("page", "page_size"):
            continue
        if value == getattr(defaults, key):
            continue
        if isinstance(value, list):
            query.setlist(key, [str(v) for v in value])
        elif isinstance(value, bool):
            query[key] = "true" if value else "false"
        else:
            query[key] = str(value)
    return query.urlencode()
