"""This machine's index keeper: the process `renkei serve` starts beside its web workers so
that every machine keeps its own index files current from the database, also where no job
worker runs (docs/deploy.md, "Index files: built per machine from the database").

Two loops, one process: the programs catalogue's files (``renkei.programs.search.jobs.keep``,
every ``RENKEI_INDEX_POLL`` seconds, a build takes seconds) in the main thread, and the
seed index's files (``renkei.matching.indexes.build_seed_files``, every
``RENKEI_SEED_INDEX_POLL`` seconds, 30 by default) in a thread of their own, so a long seed
build (minutes at hundreds of thousands of seeds) never holds back the catalogue. Each
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

    poll = poll if poll is not None else float(os.environ.get("RENKEI_SEED_INDEX_POLL", "30"))
    while not stop.is_set():
        close_old_connections()
        try:
            build_seed_files()
        except Exception:  # the keeper outlives a failed build (logged) and tries again
            log.exception("building the seed index files failed")
        finally:
            close_old_connections()
        stop.wait(poll)


def keep():
    """Run both loops until SIGTERM or SIGINT."""
    # Imported here, as above: after django.setup().
    from renkei.programs.search.jobs import keep as keep_catalogue

    stop = threading.Event()
    seeds = threading.Thread(target=keep_seed_index, args=(stop,), name="seed-index", daemon=True)
    seeds.start()
    try:
        keep_catalogue()
    finally:
        stop.set()
