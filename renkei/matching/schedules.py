"""The daily job of matching, registered as a django-q2 schedule whenever the database is
migrated, as the portal registers its own (renkei.portal.schedules; matching sits below the
portal and cannot add to its table): `renkei worker` runs it when due."""

import datetime

from django.utils import timezone
from django_q.models import Schedule

# name → (job, hour, minute in Asia/Tokyo)
SCHEDULES = {
    "flag-stalled-needs": ("renkei.matching.jobs.flag_stalled_daily", 8, 30),
}
# name → (job, every so many minutes): the machine's seed index files (ADR 0004)
EVERY = {
    "build-seed-index": ("renkei.matching.jobs.build_seed_index", 1),
}


def _next(hour, minute, now):
    local = timezone.localtime(now)
    at = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return at if at > local else at + datetime.timedelta(days=1)


def ensure_schedules(now=None, **_signal):
    """Create the schedules that are missing and correct a changed job; a schedule's next
    run (and anything the secretariat set in the admin) is left as it is."""
    now = now or timezone.now()
    for name, (func, hour, minute) in SCHEDULES.items():
        schedule = Schedule.objects.filter(name=name).first()
        if schedule is None:
            Schedule.objects.create(
                name=name,
                func=func,
                schedule_type=Schedule.DAILY,
                repeats=-1,
                next_run=_next(hour, minute, now),
            )
        elif schedule.func != func:
            schedule.func = func
            schedule.save(update_fields=["func"])
    for name, (func, minutes) in EVERY.items():
        if not Schedule.objects.filter(name=name).exists():
            Schedule.objects.create(
                name=name,
                func=func,
                schedule_type=Schedule.MINUTES,
                minutes=minutes,
                repeats=-1,
                next_run=now,
            )
