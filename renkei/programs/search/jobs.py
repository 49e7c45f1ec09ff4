"""Background work of the search: the catalogue files (ADR 0002, ADR 0006).

``build_catalogue`` and ``embed_programs`` are queued after every transaction that writes
the catalogue (index.py) and run on `renkei worker`; ``keep`` is the machine's index keeper, which
`renkei serve` runs beside its web workers so that every machine has its own files, also
where no job worker runs. Both build only when the files are behind the database, one
builder at a time per machine.
"""

import logging
import os
import signal
import time

from django.db import close_old_connections

from renkei.programs.search import semantic
from renkei.programs.search.catalogue import build_files

log = logging.getLogger(__name__)


def build_catalogue():
    """Job: bring this machine's catalogue files up to the database's version."""
    return build_files()


def embed_programs():
    """Job: embed the programs whose text changed, for 「意味の近い支援施策」 (semantic.py).
    Queued with the catalogue build; without the model package it does nothing."""
    return semantic.embed_programs()


def keep(poll=None, once=False):
    """Build the files whenever the catalogue version moves on, checking every ``poll``
    seconds (RENKEI_INDEX_POLL, 2 by default), until SIGTERM or SIGINT."""
    poll = poll if poll is not None else float(os.environ.get("RENKEI_INDEX_POLL", "2"))
    running = [True]

    def stop(signum, frame):
        running[0] = False

    if not once:
        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
    while running[0]:
        close_old_connections()
        try:
            build_files()
        except Exception:  # the keeper outlives a failed build (logged) and tries again
            log.exception("building the programs catalogue files failed")
        if once:
            return
        time.sleep(poll)
