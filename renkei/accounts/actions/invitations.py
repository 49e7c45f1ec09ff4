"""Invitations: invite a person to a role, from the portal, the command line or a file;
resend, revoke, accept. Each write is one transaction with its audit row."""

from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renkei.accounts import audit, bindings
from renkei.accounts.models import Invitation, Role, User
from renkei.accounts.permissions import may_grant
from renkei.lib import spreadsheets
from renkei.lib.formats import wareki_date
from renkei.lib.imports import Errors
from renkei.notifications import tell
from renkei.notifications.actions import Address, absolute
from renkei.notifications.models import Kind

State = Invitation.State


@dataclass(frozen=True)
class InvitationRequest:
    """Who to invite to which role: what the portal's form, the command line and each row of
    a file give. ``community``, ``organization`` and ``round`` are ids."""

    email: str
    kind: str
    community: int | None = None
    organization: int | None = None
    round: int | None = None
    name: str = ""


def when(moment):
    """「令和7年4月8日 17:30」: a moment as the invitee reads it (in JST)."""
    return f"{wareki_date(moment)} {timezone.localtime(moment):%H:%M}"


def _require(condition, message=None):
    if not condition:
        raise PermissionDenied(message or _("この操作を行う権限がありません。"))


def _problems(request, *, by, now):
    """{field: message} for everything wrong with ``request`` (empty when it may be sent)."""
    problems = {}
    try:
        validate_email(request.email)
    except ValidationError:
        problems["email"] = _("メールアドレス「%(e)s」の形式が正しくありません。") % {
            "e": request.email
        }
    if request.kind not in Role.Kind.values:
        problems["kind"] = _("役割「%(k)s」はありません（使える値: %(values)s）。") % {
            "k": request.kind,
            "values": ", ".join(Role.Kind.values),
        }
        return problems
    needs = {Role.Kind.COORDINATOR: "community", Role.Kind.ORGANIZATION_MEMBER: "organization"}
    for field in bindings.FIELDS:
        pk = getattr(request, field)
        allowed = needs.get(request.kind) == field or (
            field == "round" and request.kind == Role.Kind.REVIEWER
        )
        if pk is None:
            if needs.get(request.kind) == field:
                problems[field] = (
                    _("コーディネーターの招待には、バイオコミュニティを指定してください。")
                    if field == "community"
                    else _("機関の担当者の招待には、機関を指定してください。")
                )
        elif not allowed:
            problems[field] = _("この役割の招待には%(field)sを指定できません。") % {
                "field": Invitation._meta.get_field(field).verbose_name
            }
        elif bindings.name(field, pk) is None:
            problems[field] = not_found(field, str(pk))
    if problems:
        return problems
    if not may_grant(by, request.kind, request.community, request.organization):
        problems["kind"] = _(
            "「%(role)s」はあなたが付与できる役割ではありません。招待できるのは、あなたが"
            "持っている役割（同じコミュニティのコーディネーター、同じ機関の担当者）だけです。"
        ) % {"role": Role.Kind(request.kind).label}
        return problems
    same_role = {
        "kind": request.kind,
        "community": request.community,
        "organization": request.organization,
    }
    if Invitation.objects.to(request.email).pending(now).filter(**same_role).exists():
        problems["email"] = _(
            "%(e)s さんには同じ役割の招待を送ってあり、まだ受諾されていません。"
            "届いていない場合は、招待の一覧から再送してください。"
        ) % {"e": request.email}
    elif Role.objects.filter(user__email__iexact=request.email.strip(), **same_role).exists():
        problems["email"] = _("%(e)s さんは既にこの役割を持っています。") % {"e": request.email}
    return problems


def _create(request, *, by, now, address, note=""):
    invitation = Invitation(
        email=request.email.strip(),
        name=request.name.strip(),
        kind=request.kind,
        community_id=request.community,
        organization_id=request.organization,
        round_id=request.round,
        invited_by=by,
        created_at=now,
    )
    path = invitation.new_link(now)
    invitation.save()
    audit.record(
        audit.Action.INVITE,
        actor=by,
        target=invitation,
        after=audit.snapshot(
            invitation, fields={"email", "kind", "community", "organization", "round"}
        ),
        note=note,
        address=address,
    )
    _mail(invitation, path)
    return invitation, absolute(path)


def _mail(invitation, path):
    tell(
        Kind.INVITATION,
        [Address(email=invitation.email, name=invitation.name)],  # greeted by name
        gettext_lazy("【renkei】%(inviter)s さんからの招待（%(role)s）"),
        "accounts/email/invitation.txt",
        {
            "invitation": invitation,
            "inviter": str(invitation.invited_by),
            "role": invitation.role_label,
            "expires": when(invitation.expires_at),
        },
        link=path,
    )


@transaction.atomic
def invite_person(request, *, by, address=None, now=None):
    """Invite one person; returns (invitation, the link to accept it). The link is mailed to
    the invitee and shown once to the inviter (the command line prints it); only its hash is
    kept."""
    now = now or timezone.now()
    problems = _problems(request, by=by, now=now)
    if problems:
        raise ValidationError(problems)
    return _create(request, by=by, now=now, address=address)


# The columns of a bulk file: e-mail and role required, the rest where the role needs them.
FILE_COLUMNS = ["email", "role", "community", "organization", "round", "name"]
REQUIRED_FILE_COLUMNS = ["email", "role"]


def _role_value(text):
    """A role from a file: its code (``coordinator``) or its Japanese label."""
    text = text.strip()
    for value, label in Role.Kind.choices:
        if text in (value, str(label)):
            return value
    return text


def read_invitation_file(data, name, errors=None):
    """(row, InvitationRequest) for each row of a CSV/XLSX file. An unknown community,
    organisation or round is added to ``errors`` (an :class:`Errors` of the file) and its row
    left out; without ``errors`` they are raised at once as a DataImportError."""
    rows = spreadsheets.read_table(data, name, REQUIRED_FILE_COLUMNS)
    collect = errors if errors is not None else Errors(name)
    if not rows:
        collect.add(None, "", _("データの行がありません。"))
    requests = []
    for line, row in rows:
        ids, known = {}, True
        for field in bindings.FIELDS:
            identifier = row.get(field, "").strip()
            ids[field] = bindings.find(field, identifier) if identifier else None
            if identifier and ids[field] is None:
                collect.add(line, field, not_found(field, identifier))
                known = False
        if known:
            request = InvitationRequest(
                email=row.get("email", "").strip(),
                kind=_role_value(row.get("role", "")),
                name=row.get("name", ""),
                **ids,
            )
            requests.append((line, request))
    if errors is None:
        collect.raise_if_any()
    return requests


def not_found(field, identifier):
    if field == "community":
        return _("バイオコミュニティ「%(i)s」が見つかりません（識別子で指定してください）。") % {
            "i": identifier
        }
    if field == "organization":
        return _(
            "機関コード「%(i)s」の機関が見つかりません（学校コード・地方公共団体コード・"
            "法人番号のいずれかで指定してください）。"
        ) % {"i": identifier}
    return _("認定ラウンド「%(i)s」が見つからないか、既に結果を公表しています。") % {
        "i": identifier
    }


@transaction.atomic
def invite_from_file(data, name, *, by, address=None, now=None):
    """Invite everyone in a CSV/XLSX file, or nobody: every row is checked first (rules,
    duplicates in the file and with pending invitations) and one problem anywhere creates
    nothing (not even the office of a local government found on the way). Returns
    [(invitation, link)]."""
    now = now or timezone.now()
    errors = Errors(name)
    requests = read_invitation_file(data, name, errors)
    seen = {}
    columns = {"email": "email", "kind": "role"}
    for line, request in requests:
        for field, message in _problems(request, by=by, now=now).items():
            errors.add(line, columns.get(field, field), message)
        key = (request.email.strip().lower(), request.kind, request.community, request.organization)
        if key in seen:
            errors.add(
                line,
                "email",
                _("%(e)s さんへの同じ役割の招待が %(l)s 行目にもあります。")
                % {"e": request.email, "l": seen[key]},
            )
        seen.setdefault(key, line)
    errors.raise_if_any()
    created = [
        _create(request, by=by, now=now, address=address, note=name) for _line, request in requests
    ]
    audit.record(
        audit.Action.INVITE_FROM_FILE,
        actor=by,
        target_type="accounts.invitation",
        after={"file": name, "invitations": [invitation.pk for invitation, _link in created]},
        address=address,
    )
    return created


def _may_manage(by, invitation):
    """The inviter (while they may still grant the role) and the secretariat."""
    return by.is_secretariat or (
        invitation.invited_by_id == by.pk
        and may_grant(by, invitation.kind, invitation.community_id, invitation.organization_id)
    )


@transaction.atomic
def resend_invitation(invitation, *, by, address=None, now=None):
    """Mail a new link (the old one stops working) valid for another 7 days; returns it."""
    now = now or timezone.now()
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    _require(_may_manage(by, invitation))
    if invitation.state != State.PENDING:
        raise ValidationError(
            _("「%(state)s」の招待は再送できません。") % {"state": invitation.get_state_display()}
        )
    before = {"expires_at": invitation.expires_at.isoformat()}
    path = invitation.new_link(now)
    invitation.save()
    audit.record(
        audit.Action.RESEND_INVITATION,
        actor=by,
        target=invitation,
        before=before,
        after={"expires_at": invitation.expires_at.isoformat()},
        address=address,
    )
    _mail(invitation, path)
    return absolute(path)


@transaction.atomic
def revoke_invitation(invitation, *, by, address=None, now=None):
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    _require(_may_manage(by, invitation))
    if invitation.state != State.PENDING:
        raise ValidationError(
            _("「%(state)s」の招待は取り消せません。") % {"state": invitation.get_state_display()}
        )
    invitation.state = State.REVOKED
    invitation.revoked_at = now or timezone.now()
    invitation.save()
    audit.record(
        audit.Action.REVOKE_INVITATION,
        actor=by,
        target=invitation,
        before={"state": State.PENDING},
        after={"state": State.REVOKED},
        address=address,
    )
    return invitation


class InvalidInvitation(ValidationError):
    """The link cannot be used: unknown, expired, accepted or revoked (the message says)."""


def invitation_for(token, *, now=None, for_update=False):
    """The pending invitation of a link, or InvalidInvitation saying why it cannot be used."""
    queryset = Invitation.objects.for_token(token).select_related("invited_by")
    if for_update:
        queryset = queryset.select_for_update()
    invitation = queryset.first()
    if invitation is None:
        raise InvalidInvitation(
            _(
                "この招待のリンクは使えません。新しいリンクが送られている場合は、"
                "最新のメールのリンクを開いてください。"
            ),
            code="unknown",
        )
    return invitation_for_state(invitation, now)


def invitation_for_state(invitation, now=None):
    """``invitation`` if it can still be accepted, or InvalidInvitation saying why not."""
    state = invitation.current_state(now)
    if state == State.ACCEPTED:
        raise InvalidInvitation(
            _("この招待は既に受諾されています。ログインしてお使いください。"), code="accepted"
        )
    if state == State.REVOKED:
        raise InvalidInvitation(
            _("この招待は取り消されました。ご不明な点は招待した方にお問い合わせください。"),
            code="revoked",
        )
    if state == State.EXPIRED:
        raise InvalidInvitation(
            _(
                "この招待の有効期限（%(date)s）が過ぎています。"
                "招待した方（%(inviter)s）に再送を依頼してください。"
            )
            % {"date": when(invitation.expires_at), "inviter": invitation.invited_by},
            code="expired",
        )
    return invitation


def _new_account(invitation, account):
    """A new person from the acceptance form: username, password, display name."""
    username = (account.get("username") or "").strip()
    password = account.get("password") or ""
    errors = {}
    if not username:
        errors["username"] = _("ユーザー名を入力してください。")
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = _("このユーザー名は使われています。別の名前にしてください。")
    else:
        try:
            User.username_validator(username)
        except ValidationError as exc:
            errors["username"] = " ".join(exc.messages)
    if User.objects.with_email(invitation.email).exists():
        errors["__all__"] = _(
            "このメールアドレスのアカウントが既にあります。ログインしてから、"
            "もう一度招待のリンクを開いてください。"
        )
    user = User(
        username=username,
        email=invitation.email,
        display_name=(account.get("display_name") or invitation.name).strip(),
    )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        errors["password"] = " ".join(exc.messages)
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    user.save()
    return user


@transaction.atomic
def accept_invitation(token, *, user=None, account=None, address=None, now=None):
    """Accept an invitation by its link: add its role to ``user`` (signed in), or create the
    account described by ``account`` ({username, password, display_name}) with the
    invitation's address (the link proves it). Returns the person."""
    now = now or timezone.now()
    invitation = invitation_for(token, now=now, for_update=True)
    if user is not None and user.is_authenticated:
        return _accept(invitation, User.objects.get(pk=user.pk), False, address, now)
    return _accept(invitation, _new_account(invitation, account or {}), True, address, now)


@transaction.atomic
def accept_own_invitation(invitation, *, user, address=None, now=None):
    """Accept, while signed in, an invitation sent to the address of one's account (the start
    page lists them; the mailed link is not needed)."""
    now = now or timezone.now()
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not user.email or invitation.email.lower() != user.email.lower():
        raise PermissionDenied(_("この招待は、あなたのメールアドレスに宛てたものではありません。"))
    invitation_for_state(invitation, now)
    return _accept(invitation, User.objects.get(pk=user.pk), False, address, now)


def _accept(invitation, person, created, address, now):
    bound = {"community_id": invitation.community_id, "organization_id": invitation.organization_id}
    role, granted = Role.objects.get_or_create(user=person, kind=invitation.kind, **bound)
    if invitation.kind == Role.Kind.SECRETARIAT and not person.is_staff:
        person.is_staff = True  # the secretariat also keeps the data in the admin
        person.save(update_fields=["is_staff"])
    if invitation.round_id:
        on_accept = bindings.get("round").on_accept
        if on_accept is not None:
            on_accept(person, invitation.round_id, invitation.invited_by)
    invitation.state = State.ACCEPTED
    invitation.accepted_at = now
    invitation.accepted_by = person
    invitation.save()
    audit.record(
        audit.Action.ACCEPT_INVITATION,
        actor=person,
        target=invitation,
        after={
            "user": person.username,
            "new_account": created,
            "role": role.pk,
            "kind": role.kind,
            "community": role.community_id,
            "organization": role.organization_id,
            "round": invitation.round_id,
            "role_was_held": not granted,
        },
        address=address,
    )
    tell(
        Kind.INVITATION,
        [invitation.invited_by],
        gettext_lazy("【renkei】招待が受諾されました（%(role)s）"),
        "accounts/email/invitation_accepted.txt",
        {"invitation": invitation, "person": str(person), "role": invitation.role_label},
        link=reverse("accounts:invitations"),
    )
    return person
