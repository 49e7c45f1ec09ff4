"""The pages of programs: the navigator and program pages (catalogue.py), budgets across
fiscal years (budget.py), the secretariat's fiscal-year rollover (editions.py) and its
uploads of program lists and jGrants responses (uploads.py)."""

from renkei.programs.views.budget import budget, budget_overview
from renkei.programs.views.catalogue import (
    compare,
    delete_search,
    detail,
    follow,
    navigator,
    pathway,
    save_search,
    saved,
    search,
    unfollow,
)

__all__ = [
    "budget",
    "budget_overview",
    "compare",
    "delete_search",
    "detail",
    "follow",
    "navigator",
    "pathway",
    "save_search",
    "saved",
    "search",
    "unfollow",
]
