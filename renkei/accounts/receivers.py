"""What happens around signing in, wired to Django's and django-axes' signals: a record of
every session, the audit rows of failed sign-ins and locks (with the client's address)."""

from axes.signals import user_locked_out
from axes.utils import reset
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from renkei.accounts import audit, second_factor, sessions
from renkei.accounts.lockout import account_name
from renkei.lib.clients import client_ip


def _address(request):
    return client_ip(request) if request is not None and hasattr(request, "META") else None


@receiver(user_logged_in)
def session_started(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    sessions.start(request, user)
    audit.record(audit.Action.LOGIN, actor=user, target=user, address=_address(request))
    second_factor.remember_enrolment(request, user)
    if not (second_factor.required(user) or request.session.get(second_factor.ENROLLED)):
        # Signed in completely: earlier failures no longer count toward the lock. People with
        # a second factor are reset only once their code is right (see verify_second_factor).
        reset(username=user.get_username())


@receiver(user_logged_out)
def session_ended(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        sessions.ended(request)


@receiver(user_login_failed)
def login_failed(sender, credentials, request=None, **kwargs):
    typed = str((credentials or {}).get("username") or "")[:150]
    audit.record(
        audit.Action.LOGIN_FAILED,
        target_type="accounts.user",
        after={"account": account_name(request, credentials), "typed": typed},
        note="second_factor" if sender == second_factor.SENDER else "",
        address=_address(request),
    )


@receiver(user_locked_out)
def locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    audit.record(
        audit.Action.LOCKED_OUT,
        target_type="accounts.user",
        after={"account": username},
        address=ip_address or _address(request),
    )
