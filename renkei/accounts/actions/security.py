"""Writes about signing in safely: setting up and using the second factor, recovery codes,
ending one's other sessions. Wrong codes count toward the login lock (django-axes)."""

import enum

import django_otp
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from renkei.accounts import audit, second_factor, sessions
from renkei.accounts.models import AuditLog
from renkei.lib.clients import client_ip


@transaction.atomic
def confirm_authenticator(request, device, code):
    """Confirm the authenticator being set up with a code from it; the session counts as
    verified and the person gets recovery codes (returned, shown once)."""
    user = request.user
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
    if not device.verify_token(second_factor.normalise(code)):
        raise ValidationError(
            {
                "code": _(
                    "コードが正しくありません。認証アプリに表示されている6桁の数字を、"
                    "表示が変わる前に入力してください。"
                )
            }
        )
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save()
    codes = second_factor.new_recovery_codes(user)
    audit.record(
        audit.Action.SET_UP_SECOND_FACTOR, actor=user, target=user, address=client_ip(request)
    )
    django_otp.login(request, device)
    sessions.rotate(request)
    request.session[second_factor.ENROLLED] = True
    return codes


@transaction.atomic
def replace_recovery_codes(request):
    user = request.user
    codes = second_factor.new_recovery_codes(user)
    audit.record(
        audit.Action.NEW_RECOVERY_CODES, actor=user, target=user, address=client_ip(request)
    )
    return codes


@transaction.atomic
def remove_second_factor(request):
    """Turn the second factor off (only for people who opted in)."""
    user = request.user
    if second_factor.required(user):
        raise ValidationError(_("あなたの役割では2段階認証を解除できません。"))
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    request.session[second_factor.ENROLLED] = False
    audit.record(
        audit.Action.REMOVE_SECOND_FACTOR, actor=user, target=user, address=client_ip(request)
    )


class Outcome(enum.Enum):
    VERIFIED = "verified"
    WRONG = "wrong"
    REPLAYED = "replayed"  # a recovery code that was used before


def verify_second_factor(request, code):
    """Check a code from the authenticator app or a recovery code for the signed-in person.

    A right code verifies the session (its key changes); a recovery code is used up. A wrong
    or replayed code is reported to django-axes as a failed login, so it counts toward the
    lock like a wrong password (the caller checks ``request.axes_locked_out``)."""
    user = request.user
    code = second_factor.normalise(code)
    outcome, device = Outcome.WRONG, None
    with transaction.atomic():
        if code.isdigit():
            for candidate in TOTPDevice.objects.devices_for_user(user).select_for_update():
                if candidate.verify_token(code):
                    device = candidate
        elif code:
            for candidate in StaticDevice.objects.devices_for_user(user).select_for_update():
                if candidate.verify_token(code):
                    device = candidate
            fingerprint = second_factor.fingerprint(user, code)
            if device is not None:
                audit.record(
                    audit.Action.USE_RECOVERY_CODE,
                    actor=user,
                    target=user,
                    after={"code": fingerprint, "left": second_factor.recovery_codes_left(user)},
                    address=client_ip(request),
                )
            elif (
                AuditLog.objects.for_object(user)
                .filter(action=audit.Action.USE_RECOVERY_CODE, after__code=fingerprint)
                .exists()
            ):
                outcome = Outcome.REPLAYED
        if device is not None:
            django_otp.login(request, device)
            sessions.rotate(request)
            outcome = Outcome.VERIFIED
    if outcome != Outcome.VERIFIED:
        user_login_failed.send(
            sender=second_factor.SENDER,
            credentials={"username": user.get_username()},
            request=request,
        )
    return outcome


@transaction.atomic
def end_other_sessions(request):
    user = request.user
    count = sessions.end_others(user, keep=request.session.session_key)
    audit.record(
        audit.Action.END_SESSIONS,
        actor=user,
        target=user,
        after={"ended": count},
        address=client_ip(request),
    )
    return count
