"""The background jobs as the secretariat sees them: queued, failed (with their error) and
scheduled; a failed job can be queued again. See ADR 0006 and renkei.lib.jobs."""

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_q.brokers import get_broker
from django_q.models import Failure, OrmQ, Schedule, Success
from django_q.tasks import async_task

# What people read instead of a dotted path.
LABELS = {
    "renkei.notifications.jobs.send": _("メールの送信"),
    "renkei.notifications.jobs.prune": _("送信済みメールの記録の整理"),
    "renkei.matching.jobs.embed_seeds": _("シーズの埋め込みの計算"),
    "renkei.matching.jobs.embed_needs": _("ニーズの埋め込みの計算"),
    "renkei.maturity.jobs.refresh_snapshots": _("成熟度のダッシュボードの再計算"),
    "renkei.programs.alerts.send_alerts_daily": _("保存した検索と締切のお知らせ"),
    "renkei.regions.jobs.remind_stale_windows_daily": _("窓口情報の確認のお願い"),
    "renkei.councils.jobs.survey_reminders_daily": _("調査へのご回答のお願い"),
}


def label(func):
    return LABELS.get(func, func)


def uses_database_queue():
    return "orm" in settings.Q_CLUSTER


def queued(limit=100):
    """Jobs waiting, running or waiting for their retry in the database queue (OrmQ rows)."""
    if not uses_database_queue():
        return []
    return list(OrmQ.objects.order_by("id")[:limit])


def retrying():
    """The ids of failed jobs the database queue will hand out again by itself."""
    return {row.task_id() for row in queued(limit=None)}


def queue_size():
    return get_broker().queue_size()


def failed(limit=100):
    return list(Failure.objects.order_by("-stopped")[:limit])


def failed_count():
    return Failure.objects.count()


def recent(limit=20):
    return list(Success.objects.order_by("-stopped")[:limit])


def schedules():
    return list(Schedule.objects.order_by("name"))


@transaction.atomic
def retry(task_id):
    """Queue a failed job again with the same arguments; its failure row goes (the new
    run leaves its own). Returns the failure, or None if there is none with this id."""
    failure = Failure.objects.select_for_update().filter(id=task_id).first()
    if failure is None:
        return None
    func, args, kwargs, group = (
        failure.func,
        failure.args or (),
        failure.kwargs or {},
        failure.group,
    )
    failure.delete()
    # The database queue may still hold it for an automatic retry: one run is enough.
    for row in queued(limit=None):
        if row.task_id() == task_id:
            row.delete()
    transaction.on_commit(
        lambda: async_task(func, *args, **({"group": group} if group else {}), **kwargs)
    )
    return failure
