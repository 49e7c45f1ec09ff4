"""Telling people: one inbox row per person with an account, and a mail (sent by a
background job once the transaction commits) per their preference for the kind.

    tell(Kind.REVIEW, [reviewer], _("【renkei】審査の依頼"), "communities/email/assigned.txt",
         {"application": application}, link=application.get_absolute_url())

The template writes the middle of the message: what happened and what to do next. The shared
frame (``notifications/email/frame.txt``) adds the greeting, the link, the secretariat's
contact and the signature, in the recipient's language. ``context["link_intro"]`` (a lazy
string) replaces the line that introduces the link where "see this page" does not fit.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise

from renkei.lib.jobs import later
from renkei.notifications.models import (
    ALWAYS_MAILED,
    Channel,
    Kind,
    Mail,
    MailLanguage,
    Notification,
    NotificationPreference,
)

FRAME = "notifications/email/frame.txt"


@dataclass(frozen=True)
class Address:
    """Someone without an account (an invitee, a need's submitter): their address, and their
    name and language where known."""

    email: str
    name: str = ""
    language: str = ""


def absolute(link):
    """A link as the recipient opens it: paths get the portal's public address."""
    if not link or link.startswith(("http://", "https://")):
        return link
    return settings.RENKEI_SITE_URL + link


def _people(to):
    """(users, addresses) from a mix of User objects, e-mail strings and Addresses; each
    person once, an address that belongs to a listed user left to the user."""
    user_model = get_user_model()
    users, addresses = {}, {}
    for item in to or ():
        if item is None:
            continue
        if isinstance(item, user_model):
            if item.is_active:
                users.setdefault(item.pk, item)
        elif isinstance(item, Address):
            if item.email:
                addresses.setdefault(item.email.strip().lower(), item)
        elif isinstance(item, str):
            if item.strip():
                addresses.setdefault(item.strip().lower(), Address(item.strip()))
        else:
            raise TypeError(f"cannot tell {item!r}: give a User, an e-mail address or an Address")
    user_emails = {u.email.strip().lower() for u in users.values() if u.email}
    return list(users.values()), [a for key, a in addresses.items() if key not in user_emails]


def _language(code):
    known = {c for c, _name in settings.LANGUAGES}
    code = (code or "").split("-")[0]
    return code if code in known else settings.LANGUAGE_CODE


def _write(kind, subject, template, context, *, link, name, language, with_preferences):
    """(subject, middle, full mail body) in ``language``."""
    with translation.override(language):
        if isinstance(subject, Promise):  # lazy: translated per recipient, then formatted
            text = str(subject)
            subject_text = text % context if "%(" in text else text
        else:
            subject_text = str(subject)
        middle = render_to_string(template, {**context, "site_url": settings.RENKEI_SITE_URL})
        body = render_to_string(
            FRAME,
            {
                "name": name,
                "body": middle.strip(),
                "link": absolute(link),
                "link_intro": context.get("link_intro", ""),
                "contact": settings.RENKEI_SECRETARIAT_CONTACT,
                "site_name": settings.RENKEI_SITE_NAME,
                "site_url": settings.RENKEI_SITE_URL,
                "preferences_url": (
                    absolute(reverse("notifications:preferences")) if with_preferences else ""
                ),
                "kind": Kind(kind).label,
            },
        )
    return " ".join(subject_text.split())[:300], middle.strip(), body


def tell(kind, to, subject, template, context, *, link=""):
    """Tell ``to`` (Users, e-mail addresses, :class:`Address`) about ``kind``.

    Writes one inbox row per active user and queues one mail per recipient who gets this kind
    by mail (people without an account always do), sent by a job after commit. ``subject`` is
    translated: a lazy string (``gettext_lazy``) is written in each recipient's language and
    formatted with ``context`` (%(name)s); a plain string is used as it is. ``link`` is a path
    of the portal (or a full address). Returns the inbox rows."""
    kind = Kind(kind)
    users, addresses = _people(to)
    ids = [u.pk for u in users]
    inbox_only = set(
        NotificationPreference.objects.filter(
            user_id__in=ids, kind=kind, channel=Channel.INBOX
        ).values_list("user_id", flat=True)
    )
    languages = dict(
        MailLanguage.objects.filter(user_id__in=ids).values_list("user_id", "language")
    )
    rows, mails = [], []
    for user in users:
        subject_text, middle, body = _write(
            kind,
            subject,
            template,
            context,
            link=link,
            name=str(user),
            language=_language(languages.get(user.pk, settings.LANGUAGE_CODE)),
            with_preferences=True,
        )
        row = Notification.objects.create(
            recipient=user, kind=kind, subject=subject_text, body=middle, link=link
        )
        rows.append(row)
        if user.email and (kind in ALWAYS_MAILED or user.pk not in inbox_only):
            mails.append(
                Mail(kind=kind, to=user.email, subject=subject_text, body=body, notification=row)
            )
    for address in addresses:
        subject_text, _middle, body = _write(
            kind,
            subject,
            template,
            context,
            link=link,
            name=address.name,
            language=_language(address.language),
            with_preferences=False,
        )
        mails.append(Mail(kind=kind, to=address.email, subject=subject_text, body=body))
    for mail in mails:
        mail.save()
        later("renkei.notifications.jobs.send", mail.pk, group="mail")
    return rows


@transaction.atomic
def mark_read(user, ids=None, *, now=None):
    """Mark the user's notifications read (all unread ones when ``ids`` is None)."""
    unread = Notification.objects.for_user(user).unread()
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=now or timezone.now())


@transaction.atomic
def set_preferences(user, channels, language=None):
    """Save how ``user`` gets each kind (``{kind: Channel}``) and, if given, their language."""
    for kind, channel in channels.items():
        if Kind(kind) in ALWAYS_MAILED:
            continue
        NotificationPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"channel": Channel(channel)}
        )
    if language:
        MailLanguage.objects.update_or_create(user=user, defaults={"language": _language(language)})
