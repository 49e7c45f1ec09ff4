"""Sessions: how long they last, and the record of each one a person has open.

Staff (secretariat, reviewers, coordinators, admin users) get sessions that end after
``RENKEI_STAFF_SESSION_IDLE_MINUTES`` without a request (30) and
``RENKEI_STAFF_SESSION_HOURS`` in all (8); everyone else keeps theirs for
``SESSION_COOKIE_AGE`` (2 weeks). The session key changes at login and again when the
second factor is verified. Every session has a :class:`SessionRecord` (started, last seen,
address, browser) so a person can see theirs and end the others.
"""

import time
from datetime import datetime, timedelta
from importlib import import_module

from django.conf import settings
from django.utils import timezone

from renkei.accounts.models import SessionRecord
from renkei.lib.clients import client_ip

STARTED = "renkei_started"  # when the session began (epoch seconds)
SEEN = "renkei_seen"  # the last request we counted (epoch seconds)
# Last-seen times are written at most once a minute, not on every request.
SEEN_RESOLUTION = 60


def store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def limits(user):
    """(idle, total) seconds for ``user``'s sessions; None for people with long sessions."""
    if user.is_staff_person:
        return (
            settings.RENKEI_STAFF_SESSION_IDLE_MINUTES * 60,
            settings.RENKEI_STAFF_SESSION_HOURS * 3600,
        )
    return None


def _moment(epoch):
    return datetime.fromtimestamp(epoch, tz=timezone.get_current_timezone())


def start(request, user):
    """Record a new session (called when someone signs in)."""
    now = time.time()
    request.session[STARTED] = now
    request.session[SEEN] = now
    if limits(user):
        request.session.set_expiry(settings.RENKEI_STAFF_SESSION_IDLE_MINUTES * 60)
    if request.session.session_key is None:
        request.session.save()
    SessionRecord.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={
            "user": user,
            "started_at": _moment(now),
            "last_seen_at": _moment(now),
            "address": client_ip(request),
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
            "ended_at": None,
        },
    )


def rotate(request):
    """A new session key for the same session (after the second factor is verified)."""
    old = request.session.session_key
    request.session.cycle_key()
    moved(old, request.session.session_key)


def moved(old, new):
    """The session's key changed (Django changes it when the password does)."""
    if old and new and old != new:
        SessionRecord.objects.filter(session_key=old).update(session_key=new)


def expired(request, user, now=None):
    """Why the session must end now ("idle" or "total"), or None; counts this request."""
    now = now or time.time()
    session = request.session
    started = session.setdefault(STARTED, now)
    seen = session.get(SEEN, now)
    bounds = limits(user)
    if bounds:
        idle, total = bounds
        if now - seen > idle:
            return "idle"
        if now - started > total:
            return "total"
    if now - seen >= SEEN_RESOLUTION or SEEN not in session:
        session[SEEN] = now
        if bounds:
            session.set_expiry(bounds[0])
        SessionRecord.objects.filter(session_key=session.session_key).update(
            last_seen_at=_moment(now)
        )
    return None


def _end(records):
    sessions = store()()
    keys = list(records.values_list("session_key", flat=True))
    for key in keys:
        sessions.delete(key)
    records.update(ended_at=timezone.now())
    return len(keys)


def end_all(user):
    """End every session of ``user`` (deactivation); returns how many."""
    return _end(SessionRecord.objects.of(user).open())


def end_others(user, keep):
    """End every session of ``user`` but the one with key ``keep``; returns how many."""
    return _end(SessionRecord.objects.of(user).open().exclude(session_key=keep))


def ended(request):
    """Mark the current session's record ended (at logout)."""
    key = request.session.session_key
    if key:
        SessionRecord.objects.filter(session_key=key).update(ended_at=timezone.now())


def recent(user, now=None):
    """The person's sessions that may still be in use, most recently seen first."""
    now = now or timezone.now()
    bounds = limits(user)
    if bounds:
        idle, total = bounds
        return (
            SessionRecord.objects.of(user)
            .open()
            .filter(
                last_seen_at__gte=now - timedelta(seconds=idle + SEEN_RESOLUTION),
                started_at__gte=now - timedelta(seconds=total),
            )
        )
    since = now - timedelta(seconds=settings.SESSION_COOKIE_AGE)
    return SessionRecord.objects.of(user).open().filter(last_seen_at__gte=since)
