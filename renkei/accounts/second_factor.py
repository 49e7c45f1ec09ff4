"""The second factor (ADR 0005): an authenticator app (TOTP) with recovery codes, both
django-otp devices.

Staff (secretariat, reviewers, coordinators, admin users) must set one up and use it at
every sign-in before they reach anything else; everyone else may opt in, and then uses it
too. Whether a signed-in person has one is kept in their session (set at login and when it
changes) so pages do not ask the database on every request.
"""

import base64
import hashlib
import hmac

import segno
from django.conf import settings
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

ENROLLED = "renkei_second_factor"  # session flag: this person has a confirmed device
SENDER = "renkei.second_factor"  # the sender of user_login_failed for a wrong code
RECOVERY_CODES = 10


def required(user):
    """Whether ``user`` must use a second factor (staff)."""
    return bool(user.is_authenticated and user.is_staff_person)


def enrolled(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def remember_enrolment(request, user):
    request.session[ENROLLED] = enrolled(user)


def must_verify(request):
    """Whether the signed-in person must still enter a code in this session."""
    user = request.user
    if not user.is_authenticated:
        return False
    is_verified = getattr(user, "is_verified", None)  # set by django-otp's middleware
    if is_verified is not None and is_verified():
        return False
    return required(user) or bool(request.session.get(ENROLLED))


def must_set_up(request):
    """Whether the person has no device yet and needs one (staff)."""
    return required(request.user) and not request.session.get(ENROLLED)


def pending_device(user):
    """The authenticator being set up (created unconfirmed on first use)."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def qr_svg(device):
    """The device's otpauth:// address as an inline SVG QR code (no script, no style)."""
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=4, title=_("認証アプリに読み取らせるQRコード")
    )
    return svg.replace("<svg ", '<svg role="img" ', 1)  # its <title> names it


def secret_text(device):
    """The secret in groups of four, for typing into an app that cannot read the QR code."""
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def new_recovery_codes(user):
    """Replace the person's recovery codes; returns the new ones (shown once)."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="recovery", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def normalise(code):
    """What people type: spaces, hyphens and full-width digits removed, lower case."""
    code = (code or "").translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    return "".join(code.split()).replace("-", "").lower()


def fingerprint(user, code):
    """A keyed hash of a used recovery code, kept in its audit row so that a second use of the
    same code is recognised (the code itself is deleted when used)."""
    key = hashlib.sha256(f"renkei.recovery:{settings.SECRET_KEY}:{user.pk}".encode()).digest()
    return hmac.new(key, code.encode(), hashlib.sha256).hexdigest()
