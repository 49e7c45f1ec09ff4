"""Mail people about what concerns them, once the transaction that caused it has committed."""

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation


def notify(users, subject, template, context):
    """Queue one mail per user (with an address) after commit; rendered in Japanese."""
    recipients = sorted({u.email for u in users if u and u.is_active and u.email})
    if not recipients:
        return

    def send():
        with translation.override(settings.LANGUAGE_CODE):
            body = render_to_string(template, {**context, "site_url": settings.RENKEI_SITE_URL})
            messages = [(str(subject), body, None, [address]) for address in recipients]
        send_mass_mail(messages, fail_silently=False)

    transaction.on_commit(send)
