import multiprocessing
import os

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from gunicorn.app.base import BaseApplication

from renkei.lib.addresses import site_url


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
        self.stdout.write(_("http://%(bind)s で配信します（停止は Ctrl+C）。") % {"bind": bind})
        _Server(
            {
                **SERVER_OPTIONS,
                "bind": bind,
                "workers": workers,
                "forwarded_allow_ips": os.environ.get("RENKEI_FORWARDED_ALLOW_IPS", "127.0.0.1"),
            }
        ).run()
