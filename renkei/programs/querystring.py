"""Reading and writing navigator searches as query strings (pages, saved searches, alerts)."""

from django.http import QueryDict
from pydantic import ValidationError

from renkei.lib.imports import pydantic_errors
from renkei.programs.search import SearchParams

LIST_FIELDS = ["applicant", "ministry", "market_area", "stage", "aim", "budget", "fiscal_year"]


def params_from_query(query):
    """SearchParams from a QueryDict (repeated keys are lists); raises InvalidQuery."""
    data = {}
    for key in SearchParams.model_fields:
        if key in LIST_FIELDS:
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


class InvalidQuery(Exception):
    def __init__(self, errors):
        self.errors = errors  # [(field, message)]
        super().__init__("; ".join(f"{f}: {m}" for f, m in errors))


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
