"""Writes of programs, each one transaction with one audit row: the catalogue and users'
saved searches and follows (catalogue.py), the fiscal-year rollover of the support menu
(editions.py). Uploads with their preview are in uploads.py, imported where used (it reads
files through exchange.py and jgrants.py, which write through catalogue.py)."""

from renkei.programs.actions.catalogue import (
    check_pathways,
    delete_saved_search,
    follow_program,
    resolve_ministries,
    save_search,
    unfollow_program,
    upsert_programs,
)
from renkei.programs.actions.editions import (
    discard_edition,
    edit_draft,
    publish_edition,
    start_rollover,
)

__all__ = [
    "check_pathways",
    "delete_saved_search",
    "discard_edition",
    "edit_draft",
    "follow_program",
    "publish_edition",
    "resolve_ministries",
    "save_search",
    "start_rollover",
    "unfollow_program",
    "upsert_programs",
]
