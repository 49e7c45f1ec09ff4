import gc
import logging
import multiprocessing
import os
import subprocess  # nosec B404 - starts the index keeper, our own code
import sys

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from gunicorn.app.base import BaseApplication

from renkei.lib.addresses import site_url

log = logging.getLogger(__name__)

# The machine's index keeper (renkei.portal.keeper: the catalogue's files and the seed
# index's) as a process of its own.
KEEPER = (
    "import os, django; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'renkei.settings'); "
    "django.setup(); from renkei.portal.keeper import keep; keep()"
)


ACCESS_LOG_FORMAT = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" pid=%(p)s'


def _warm_and_freeze(worker):
    """After a worker has loaded the portal: load the URLs, views, the catalogue files and
    the matching engines (the embedding model and every index, so the first need page does
    not wait for them: issue 12) once, then move every object alive so far out of the
    garbage collector's reach (``gc.freeze``): full collections no longer walk the modules,
    templates and URL tables, which made p99 pauses of 100 ms and more
    (docs/benchmarks.md). ``RENKEI_GC_FREEZE=off`` keeps the warming and skips the freeze."""
    try:
        # Imported here: Django is set up in the worker, not in the master.
        from django.urls import get_resolver

        get_resolver().url_patterns  # noqa: B018 - imports every view module
        # (the catalogue reads the database: in the worker too)
        from renkei.programs.search import catalogue

        catalogue.get()
    except Exception:  # a database not reachable yet: the first request loads it instead
        log.exception("warming the worker failed")
    warm_matching()
    if os.environ.get("RENKEI_GC_FREEZE", "true").lower() in {"0", "false", "no", "off"}:
        return
    gc.collect()
    gc.freeze()


def warm_matching():
    """Load the embedding model and bring every matching index (seeds, needs, and those of
    the apps above: experts, published Q&A) up to date in this worker."""
    try:
        # Imported here: the indexes read the database, ready in the worker only.
        from renkei.matching import indexes

        for index in list(indexes.ALL_INDEXES):
            index.warm()  # the seeds: their files mapped, never an engine built (ADR 0004)
    except Exception:  # the first need page loads them instead
        log.exception("loading the matching engines failed")


def _start_keeper(server):
    if os.environ.get("RENKEI_INDEX_KEEPER", "true").lower() in {"0", "false", "no", "off"}:
        return
    server.renkei_keeper = subprocess.Popen([sys.executable, "-c", KEEPER])  # noqa: S603 - our own code  # nosec B603


def _stop_keeper(server):
    keeper = getattr(server, "renkei_keeper", None)
    if keeper is not None and keeper.poll() is None:
        keeper.terminate()
        try:
            keeper.wait(timeout=10)
        except subprocess.TimeoutExpired:
            keeper.kill()


# gunicorn reads request lines up to 8,190 bytes (its maximum; the default is 4,094), so a
# query parameter over the portal's limit (RENKEI_MAX_PARAM_CHARS, 500 characters: 4,500
# bytes of Japanese percent-encoded) reaches the portal and is answered 400 naming it,
# instead of gunicorn's bare 414.
SERVER_OPTIONS = {
    "threads": 2,
    "accesslog": "-",
    "timeout": 60,
    "graceful_timeout": 20,
    "limit_request_line": 8190,
}


class _Server(BaseApplication):
    def __init__(self, options):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        # Loaded in each gunicorn worker after the fork, not in the master process.
        from renkei.wsgi import application

        return application


class Command(BaseCommand):
    help = _("本番用 WSGI サーバー（gunicorn）でポータルを配信します。")

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("RENKEI_WORKERS", min(4, multiprocessing.cpu_count() + 1))),
        )

    def handle(self, *args, host, port, workers, **options):
        bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        if not os.environ.get("RENKEI_SITE_URL"):
            # Links in mails follow where this server listens (the workers fork from here).
            settings.RENKEI_SITE_URL = os.environ["RENKEI_SITE_URL"] = site_url(host, port)
        self._build_index()
        self.stdout.write(_("http://%(bind)s で配信します（停止は Ctrl+C）。") % {"bind": bind})
        _Server(
            {
                **SERVER_OPTIONS,
                "bind": bind,
                "workers": workers,
                "forwarded_allow_ips": os.environ.get("RENKEI_FORWARDED_ALLOW_IPS", "127.0.0.1"),
                # gunicorn's default line with the worker's pid: how evenly workers share load
                "access_log_format": ACCESS_LOG_FORMAT,
                "post_worker_init": _warm_and_freeze,
                "when_ready": _start_keeper,
                "on_exit": _stop_keeper,
            }
        ).run()

    def _build_index(self):
        """This machine's catalogue files, before any worker serves (the keeper keeps them
        current afterwards)."""
        # Imported here: the models need the app registry, ready once the command runs.
        from renkei.programs.search.catalogue import build_files

        try:
            seconds = build_files()
        except Exception as exc:  # e.g. not migrated yet: the keeper tries again
            self.stderr.write(f"catalogue files: {exc}")
            return
        if seconds is not None:
            self.stdout.write(
                _("施策カタログの索引ファイルを作りました（%(s).1f 秒）。") % {"s": seconds}
            )
