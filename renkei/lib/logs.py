"""Application logs: one JSON object per line in production (with the request id, the user id
and the route of the request being answered), readable lines in development.

``settings.LOGGING`` uses :func:`logging_config`; every handler runs :class:`RequestFilter`,
which copies the current request's context (:mod:`renkei.lib.context`) onto each record.
"""

import logging

from renkei.lib import context

READABLE = (
    "%(asctime)s %(levelname)s %(name)s [%(request_id)s user=%(user_id)s %(route)s] %(message)s"
)
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(user_id)s %(route)s"


class RequestFilter(logging.Filter):
    """Adds ``request_id``, ``user_id``, ``route`` and ``client`` to every record (empty
    outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        now = context.current()
        record.request_id = getattr(record, "request_id", None) or now.request_id or "-"
        record.user_id = getattr(record, "user_id", None) or now.user_id
        record.route = getattr(record, "route", None) or now.route or "-"
        record.client = getattr(record, "client", None) or now.address or "-"
        return True


def logging_config(*, json: bool, level: str = "INFO") -> dict:
    """The LOGGING setting: JSON lines (python-json-logger) or readable lines, to stderr."""
    if json:
        formatter = {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": JSON_FIELDS + " %(client)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "json_ensure_ascii": False,
        }
    else:
        formatter = {"format": READABLE}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request": {"()": "renkei.lib.logs.RequestFilter"}},
        "formatters": {"renkei": formatter},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "renkei",
                "filters": ["request"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {"django.db.backends": {"level": "INFO"}},
    }
