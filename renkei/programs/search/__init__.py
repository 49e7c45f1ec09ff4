"""Search the program catalogue: one package, one search function, one facet table.

    facets.py     the facets, one row each: a new facet is one row there
    params.py     SearchParams (built from the facets), sorts, query strings
    engine.py     search_programs() and matching_ids(): text match, relevance, filters,
                  facet counts, order, page
    catalogue.py  the in-memory columns each process keeps per catalogue version
    backends.py   the full-text index on SQLite (FTS5) and PostgreSQL (tsvector + GIN)
    index.py      keeping the index and the catalogue version in step with every write

The page, the API, alerts and the command line import what they need from here.
"""

from renkei.programs.search.engine import (
    FacetCounts,
    FacetValue,
    SearchResult,
    matching_ids,
    query_terms,
    search_programs,
)
from renkei.programs.search.facets import FACETS, BudgetSize
from renkei.programs.search.params import (
    InvalidQuery,
    SearchParams,
    Sort,
    params_from_query,
    query_from_params,
)

__all__ = [
    "FACETS",
    "BudgetSize",
    "FacetCounts",
    "FacetValue",
    "InvalidQuery",
    "SearchParams",
    "SearchResult",
    "Sort",
    "matching_ids",
    "params_from_query",
    "query_from_params",
    "query_terms",
    "search_programs",
]
