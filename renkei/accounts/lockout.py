"""How django-axes counts failed sign-ins (ADR 0005): by account, whichever name was typed.

Settings point here: ``AXES_USERNAME_CALLABLE`` turns what was typed in the login form (a
username or an e-mail address) into the account's username, so the lock follows the account;
a name with no account is counted under itself, and locked the same way, so the answer never
tells whether an account exists. ``AXES_LOCKOUT_CALLABLE`` answers a locked sign-in with the
same Japanese page whatever the name.
"""

from django.conf import settings
from django.shortcuts import render

from renkei.accounts.models import User


def account_name(request, credentials):
    typed = ((credentials or {}).get("username") or "").strip()
    if not typed:
        return None
    user = User.objects.signing_in_as(typed).only("username").first()
    return user.username if user else typed.lower()


def locked_page(request, original_response=None, credentials=None):
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "accounts/locked.html",
        {"minutes": minutes},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
