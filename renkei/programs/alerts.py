"""Mail users what changed for their saved searches, and remind them of deadlines.

``send_alerts`` is what `renkei programs send-alerts` runs. For each user it gathers the
programs new or changed since that saved search was last mailed, and the calls of followed
programs closing within two weeks that were not yet reminded; tells them
once (inbox, and mail per their preference: the mail is sent by a background job, which is
retried if SMTP fails and stays visible to the secretariat), and records what was told in
the same transaction, so nothing is told twice.

The daily run is a django-q2 schedule (``send_alerts_daily``, registered by the portal);
`renkei programs send-alerts` runs it by hand.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from renkei.accounts import audit
from renkei.accounts.models import User
from renkei.notifications import tell
from renkei.notifications.models import Kind
from renkei.programs.models import CallPeriod, Program, SavedProgram, SavedSearch, SentReminder
from renkei.programs.search import SearchParams, matching_ids

REMINDER_WINDOW = datetime.timedelta(days=14)


@dataclass
class SearchNews:
    saved_search: SavedSearch
    new: list = field(default_factory=list)
    changed: list = field(default_factory=list)


@dataclass
class Digest:
    user: User
    searches: list = field(default_factory=list)
    reminders: list = field(default_factory=list)  # (program, call)

    @property
    def is_empty(self):
        return not self.reminders and not any(s.new or s.changed for s in self.searches)


def _search_news(saved_search, now):
    since = saved_search.last_notified_at or saved_search.created_at
    params = SearchParams.model_validate(saved_search.query)
    ids = matching_ids(params, now)
    recent = Program.objects.filter(pk__in=ids, updated_at__gt=since).order_by("name")
    news = SearchNews(saved_search)
    for program in recent:
        (news.new if program.created_at > since else news.changed).append(program)
    return news


def _reminders(user, now):
    followed = SavedProgram.objects.filter(user=user).values_list("program_id", flat=True)
    sent = SentReminder.objects.filter(user=user).values_list("call_period_id", flat=True)
    calls = (
        CallPeriod.objects.filter(
            program_id__in=followed, closes_at__gt=now, closes_at__lte=now + REMINDER_WINDOW
        )
        .exclude(pk__in=sent)
        .select_related("program")
        .order_by("closes_at")
    )
    return [(call.program, call) for call in calls]


def digests(now):
    users = User.objects.filter(is_active=True).exclude(email="")
    users = users.filter(saved_searches__isnull=False) | users.filter(saved_programs__isnull=False)
    for user in users.distinct().order_by("pk"):
        yield Digest(
            user=user,
            searches=[_search_news(s, now) for s in user.saved_searches.all()],
            reminders=_reminders(user, now),
        )


def send_alerts(now, dry_run=False):
    counts = {"users": 0, "mails": 0, "programs": 0, "reminders": 0, "failed": 0}
    with translation.override(settings.LANGUAGE_CODE):
        for digest in digests(now):
            counts["users"] += 1
            if digest.is_empty:
                continue
            if dry_run:
                counts["mails"] += 1
                continue
            try:
                with transaction.atomic():
                    for news in digest.searches:
                        news.saved_search.last_notified_at = now
                        news.saved_search.save(update_fields=["last_notified_at"])
                    SentReminder.objects.bulk_create(
                        SentReminder(user=digest.user, call_period=call)
                        for _p, call in digest.reminders
                    )
                    tell(
                        Kind.ALERT,
                        [digest.user],
                        gettext_lazy("【renkei】支援施策のお知らせ"),
                        "programs/email/alerts.txt",
                        {"digest": digest},
                        link=reverse("programs:saved"),
                    )
            except Exception:  # one user's failure must not stop the others
                counts["failed"] += 1
                continue
            counts["mails"] += 1
            counts["programs"] += sum(len(n.new) + len(n.changed) for n in digest.searches)
            counts["reminders"] += len(digest.reminders)
    if not dry_run:
        audit.record(audit.Action.SEND_ALERTS, after=counts)
    return counts


def send_alerts_daily():
    """The daily schedule's job (see renkei.portal.schedules)."""
    return send_alerts(timezone.now())
