"""Accounts people run themselves: sign up with a verified address, change the address.

No answer tells whether an account exists: asking to sign up with an address that has an
account, or to move to one, shows the same page as any other address; the mail that goes to
that address says what happened instead.
"""

from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renkei.accounts import audit
from renkei.accounts.models import User
from renkei.notifications import tell
from renkei.notifications.models import Kind

SIGN_UP_SALT = "renkei.accounts.sign-up"
EMAIL_SALT = "renkei.accounts.change-email"
LINK_HOURS = 72


def _loads(token, salt):
    try:
        return signing.loads(token, salt=salt, max_age=LINK_HOURS * 3600)
    except signing.SignatureExpired as exc:
        raise ValidationError(
            _("このリンクの有効期限（%(hours)s時間）が過ぎています。もう一度お申し込みください。")
            % {"hours": LINK_HOURS},
            code="expired",
        ) from exc
    except signing.BadSignature as exc:
        raise ValidationError(
            _("このリンクは使えません。メールのリンクを省略せずに開いてください。"), code="bad"
        ) from exc


def ask_to_sign_up(email):
    """Mail a link to finish signing up (or, for an address with an account, a note saying
    so and how to reset the password)."""
    email = email.strip()
    if User.objects.with_email(email).exists():
        tell(
            Kind.ACCOUNT,
            [email],
            gettext_lazy("【renkei】アカウントの登録について"),
            "accounts/email/sign_up_exists.txt",
            {},
            link=reverse("accounts:password_reset"),
        )
        return
    token = signing.dumps({"email": email}, salt=SIGN_UP_SALT)
    tell(
        Kind.ACCOUNT,
        [email],
        gettext_lazy("【renkei】アカウント登録の確認"),
        "accounts/email/sign_up.txt",
        {"hours": LINK_HOURS},
        link=reverse("accounts:sign_up_finish", args=[token]),
    )


def sign_up_address(token):
    """The address a sign-up link was sent to, or ValidationError (expired, altered, used)."""
    email = _loads(token, SIGN_UP_SALT)["email"]
    if User.objects.with_email(email).exists():
        raise ValidationError(
            _("このリンクは使用済みです。ログインしてお使いください。"), code="used"
        )
    return email


@transaction.atomic
def sign_up(token, *, username, password, display_name="", address=None):
    """Create a plain account (no role) for the verified address of a sign-up link."""
    email = sign_up_address(token)
    username = username.strip()
    errors = {}
    if User.objects.filter(username__iexact=username).exists():
        errors["username"] = _("このユーザー名は使われています。別の名前にしてください。")
    user = User(username=username, email=email, display_name=display_name.strip())
    try:
        validate_password(password, user)
    except ValidationError as exc:
        errors["password1"] = " ".join(exc.messages)
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    user.save()
    audit.record(
        audit.Action.SIGN_UP,
        actor=user,
        target=user,
        after={"username": username, "email": email},
        address=address,
    )
    return user


def ask_to_change_email(user, new_email):
    """Mail a confirmation link to the new address (nothing changes until it is opened)."""
    new_email = new_email.strip()
    if User.objects.with_email(new_email).exclude(pk=user.pk).exists():
        tell(
            Kind.ACCOUNT,
            [new_email],
            gettext_lazy("【renkei】メールアドレスの変更について"),
            "accounts/email/email_taken.txt",
            {},
        )
        return
    token = signing.dumps(
        {"user": user.pk, "email": new_email, "old": user.email.lower()}, salt=EMAIL_SALT
    )
    tell(
        Kind.ACCOUNT,
        [new_email],
        gettext_lazy("【renkei】メールアドレス変更の確認"),
        "accounts/email/change_email.txt",
        {"person": str(user), "hours": LINK_HOURS},
        link=reverse("accounts:change_email_confirm", args=[token]),
    )


@transaction.atomic
def change_email(token, *, user, address=None):
    """Set the address a change link confirms; the old address is told of the change."""
    data = _loads(token, EMAIL_SALT)
    user = User.objects.select_for_update().get(pk=user.pk)
    if data["user"] != user.pk:
        raise ValidationError(
            _("このリンクは、ログインしているアカウントのものではありません。"), code="other"
        )
    if user.email.lower() != data["old"]:
        raise ValidationError(_("このリンクは使用済みです。"), code="used")
    if User.objects.with_email(data["email"]).exclude(pk=user.pk).exists():
        raise ValidationError(
            _("このメールアドレスには変更できません。別のアドレスでお申し込みください。"),
            code="taken",
        )
    old = user.email
    user.email = data["email"]
    user.save(update_fields=["email"])
    audit.record(
        audit.Action.CHANGE_EMAIL,
        actor=user,
        target=user,
        before={"email": old},
        after={"email": user.email},
        address=address,
    )
    tell(
        Kind.ACCOUNT,
        [old],
        gettext_lazy("【renkei】メールアドレスが変更されました"),
        "accounts/email/email_changed.txt",
        {"person": str(user), "new": user.email},
    )
    return user


def record_password_change(user, *, reset, address=None):
    """Audit a password change or reset (Django's views make the change) and tell the
    person, in case it was not them."""
    audit.record(
        audit.Action.RESET_PASSWORD if reset else audit.Action.CHANGE_PASSWORD,
        actor=user,
        target=user,
        address=address,
    )
    tell(
        Kind.ACCOUNT,
        [user],
        gettext_lazy("【renkei】パスワードが変更されました"),
        "accounts/email/password_changed.txt",
        {},
        link=reverse("accounts:password_reset"),
    )
