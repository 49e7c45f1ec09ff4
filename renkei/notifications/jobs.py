"""Background jobs of notifications (run by `renkei worker`; see renkei.lib.jobs)."""

import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from renkei.notifications.models import Mail

KEEP_SENT_MAILS = datetime.timedelta(days=90)


def send(mail_id):
    """Send one queued mail; a mail already sent (a job run twice) is not sent again. An
    SMTP error fails the job, which is retried and stays visible to the secretariat."""
    with transaction.atomic():
        mail = Mail.objects.select_for_update().filter(pk=mail_id).first()
        if mail is None or mail.sent_at is not None:
            return "skipped"
        EmailMessage(
            subject=mail.subject,
            body=mail.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[mail.to],
        ).send(fail_silently=False)
        mail.sent_at = timezone.now()
        # The text may hold a single-use link (a confirmation, an invitation): once sent it
        # is not kept; the inbox keeps what people with an account were told.
        mail.body = ""
        mail.save(update_fields=["sent_at", "body"])
    return "sent"


def prune(now=None):
    """Forget mails sent more than 90 days ago (daily schedule)."""
    now = now or timezone.now()
    deleted, _rows = Mail.objects.filter(sent_at__lt=now - KEEP_SENT_MAILS).delete()
    return deleted
