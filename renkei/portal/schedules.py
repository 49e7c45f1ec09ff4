"""The daily jobs, registered as django-q2 schedules whenever the database is migrated
(``renkei migrate``, hence ``make run``): `renkei worker` runs them when due."""

import datetime

from django.utils import timezone
from django_q.models import Schedule

# name → (job, hour of the day in Asia/Tokyo)
SCHEDULES = {
    "send-alerts": ("renkei.programs.alerts.send_alerts_daily", 7),
    "prune-mails": ("renkei.notifications.jobs.prune", 3),
    "remind-windows": ("renkei.regions.jobs.remind_stale_windows_daily", 9),
    "survey-reminders": ("renkei.councils.jobs.survey_reminders_daily", 8),
}


def _next(hour, now):
    local = timezone.localtime(now)
    at = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    return at if at > local else at + datetime.timedelta(days=1)


def ensure_schedules(now=None, **_signal):
    """Create the schedules that are missing and correct a changed job; a schedule's next run
    (and anything the secretariat set in the admin) is left as it is."""
    now = now or timezone.now()
    for name, (func, hour) in SCHEDULES.items():
        schedule = Schedule.objects.filter(name=name).first()
        if schedule is None:
            Schedule.objects.create(
                name=name,
                func=func,
                schedule_type=Schedule.DAILY,
                repeats=-1,
                next_run=_next(hour, now),
            )
        elif schedule.func != func:
            schedule.func = func
            schedule.save(update_fields=["func"])
