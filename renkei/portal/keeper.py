"""This machine's index keeper: the process `renkei serve` starts beside its web workers so
that every machine keeps its own index files current from the database, also where no job
worker runs (docs/deploy.md, "Index files: built per machine from the database").

Two loops, one process: the programs catalogue's files (``renkei.programs.search.jobs.keep``,
every ``RENKEI_INDEX_POLL`` seconds, a build takes seconds) in the main thread, and the
seed index's files (``renkei.matching.indexes.build_seed_files``, every
``RENKEI_SEED_INDEX_POLL`` seconds, 30 by default; 0 or "off" leaves them to the machine's
`renkei worker`) in a thread of their own, so a long seed build (minutes at hundreds of
thousands of seeds) never holds back the catalogue. A build runs only when worth it
(``renkei.matching.indexes.REBUILD_CHANGES``/``REBUILD_AGE``; the workers' deltas serve the
changes in between); at a million seeds it needs a few gigabytes for a few minutes. Each
builds only when its files are behind, one builder per machine (a file lock shared with the
job worker's builds of the same files).
"""

import logging
import os
import threading

from django.db import close_old_connections

log = logging.getLogger(__name__)


def keep_seed_index(stop, poll=None):
    """Build the seed index files whenever seeds changed, every ``poll`` seconds, until
    ``stop`` is set."""
    # Imported here: the keeper is set up (django.setup) before it runs.
    from renkei.matching.indexes import build_seed_files

    poll = poll if poll is not None else seed_poll()
    while not stop.is_set():
        close_old_connections()
        try:
            build_seed_files()
        except Exception:  # the keeper outlives a failed build (logged) and tries again
            log.exception("building the seed index files failed")
        finally:
            close_old_connections()
        stop.wait(poll)


def seed_poll():
    """Seconds between the keeper's checks of the seed index (RENKEI_SEED_INDEX_POLL, 30 by
    default), or None when set to 0 or "off": the machine's `renkei worker` builds instead."""
    value = os.environ.get("RENKEI_SEED_INDEX_POLL", "30").strip().lower()
    if value in {"0", "off", "false", "no"}:
        return None
    return float(value)


def keep():
    """Run both loops until SIGTERM or SIGINT."""
    # Imported here, as above: after django.setup().
    from renkei.programs.search.jobs import keep as keep_catalogue

    stop = threading.Event()
    if seed_poll() is not None:
        threading.Thread(
            target=keep_seed_index, args=(stop,), name="seed-index", daemon=True
        ).start()
    try:
        keep_catalogue()
    finally:
        stop.set()
