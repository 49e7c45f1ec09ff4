"""The secretariat manages people in the portal: grant and revoke roles with a reason,
deactivate an account (its sessions end at once). Each write is audited with who, when,
what, why and from which address."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renkei.accounts import audit, bindings, sessions
from renkei.accounts.models import Role, User
from renkei.notifications import tell
from renkei.notifications.models import Kind


def _require_secretariat(by):
    if not (by and by.is_authenticated and by.is_secretariat):
        raise PermissionDenied(_("この操作は事務局だけが行えます。"))


def _reason(reason):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("理由を書いてください（監査ログに残ります）。")})
    return reason


def _role_after(role):
    return {
        "user": role.user.username,
        "kind": role.kind,
        "community": role.community_id,
        "organization": role.organization_id,
    }


@transaction.atomic
def grant_role(person, *, kind, community=None, organization=None, by, reason, address=None):
    """Give ``person`` a role (``community``/``organization`` are ids where the role needs
    one). Returns the role."""
    _require_secretariat(by)
    reason = _reason(reason)
    errors = {}
    if kind not in Role.Kind.values:
        errors["kind"] = _("役割を選んでください。")
    elif kind == Role.Kind.COORDINATOR and not community:
        errors["community"] = _("コーディネーターには担当コミュニティが必要です。")
    elif kind == Role.Kind.ORGANIZATION_MEMBER and not organization:
        errors["organization"] = _("所属機関の担当者には機関が必要です。")
    if kind != Role.Kind.COORDINATOR:
        community = None
    if kind != Role.Kind.ORGANIZATION_MEMBER:
        organization = None
    if community and bindings.name("community", community) is None:
        errors["community"] = _("指定されたバイオコミュニティが見つかりません。")
    if organization and bindings.name("organization", organization) is None:
        errors["organization"] = _("指定された機関が見つかりません。")
    if errors:
        raise ValidationError(errors)
    person = User.objects.select_for_update().get(pk=person.pk)
    if not person.is_active:
        raise ValidationError(_("停止中のアカウントには役割を付与できません。"))
    bound = {"community_id": community, "organization_id": organization}
    if Role.objects.filter(user=person, kind=kind, **bound).exists():
        raise ValidationError(
            _("%(person)s さんは既にこの役割を持っています。") % {"person": person}
        )
    role = Role.objects.create(user=person, kind=kind, **bound)
    if kind == Role.Kind.SECRETARIAT and not person.is_staff:
        person.is_staff = True
        person.save(update_fields=["is_staff"])
    audit.record(
        audit.Action.GRANT_ROLE,
        actor=by,
        target=person,
        after=_role_after(role),
        note=reason,
        address=address,
    )
    _tell_role(person, role, granted=True, reason=reason)
    return role


@transaction.atomic
def revoke_role(role, *, by, reason, address=None):
    _require_secretariat(by)
    reason = _reason(reason)
    role = Role.objects.select_for_update().select_related("user").get(pk=role.pk)
    person = role.user
    if (
        role.kind == Role.Kind.SECRETARIAT
        and not Role.objects.filter(kind=Role.Kind.SECRETARIAT, user__is_active=True)
        .exclude(pk=role.pk)
        .exists()
    ):
        raise ValidationError(
            _("最後の事務局の役割は取り消せません。先にほかの方を事務局にしてください。")
        )
    before = _role_after(role)
    label = str(role.get_kind_display())
    target = role.target
    role.delete()
    if (
        role.kind == Role.Kind.SECRETARIAT
        and person.is_staff
        and not person.is_superuser
        and not person.roles.filter(kind=Role.Kind.SECRETARIAT).exists()
    ):
        person.is_staff = False
        person.save(update_fields=["is_staff"])
    audit.record(
        audit.Action.REVOKE_ROLE,
        actor=by,
        target=person,
        before=before,
        note=reason,
        address=address,
    )
    tell(
        Kind.ROLE,
        [person],
        gettext_lazy("【renkei】役割が取り消されました"),
        "accounts/email/role_revoked.txt",
        {"role": f"{label}: {target}" if target else label, "reason": reason},
        link=reverse("accounts:settings"),
    )
    return person


def _tell_role(person, role, *, granted, reason):
    target = role.target
    label = str(role.get_kind_display())
    tell(
        Kind.ROLE,
        [person],
        gettext_lazy("【renkei】役割が付与されました"),
        "accounts/email/role_granted.txt",
        {
            "role": f"{label}: {target}" if target else label,
            "reason": reason,
            "staff": role.kind in Role.STAFF_KINDS,
        },
        link=reverse("accounts:settings"),
    )


@transaction.atomic
def deactivate_person(person, *, by, reason, address=None):
    """Stop an account: it can no longer sign in, and every session it has ends now."""
    _require_secretariat(by)
    reason = _reason(reason)
    person = User.objects.select_for_update().get(pk=person.pk)
    if person.pk == by.pk:
        raise ValidationError(_("自分のアカウントは停止できません。"))
    if not person.is_active:
        raise ValidationError(_("このアカウントは既に停止しています。"))
    if (
        person.roles.filter(kind=Role.Kind.SECRETARIAT).exists()
        and not User.objects.secretariat().exclude(pk=person.pk).exists()
    ):
        raise ValidationError(_("最後の事務局のアカウントは停止できません。"))
    person.is_active = False
    person.save(update_fields=["is_active"])
    ended = sessions.end_all(person)
    audit.record(
        audit.Action.DEACTIVATE,
        actor=by,
        target=person,
        before={"is_active": True},
        after={"is_active": False, "sessions_ended": ended},
        note=reason,
        address=address,
    )
    return person
