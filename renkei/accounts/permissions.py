"""Object-level permissions: the predicates about roles alone, and ``require``.

Permissions are django-rules predicates registered under Django's usual permission names
(``regions.change_organization``), so views, the admin and templates all ask the same
question with ``user.has_perm(name, obj)``. ``require`` is the one call a write makes before
changing anything. Predicates that need an app's models (is this person a coordinator of
this community?) live in that app's ``rules.py``, the one home of that app's rules.
"""

import rules
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


@rules.predicate
def is_secretariat(user):
    return bool(user and user.is_authenticated and user.is_secretariat)


@rules.predicate
def is_reviewer(user):
    return bool(user and user.is_authenticated and user.has_role("reviewer"))


def require(user, permission, obj=None):
    """Raise PermissionDenied unless ``user`` holds ``permission`` on ``obj``."""
    if not user.has_perm(permission, obj):
        raise PermissionDenied(_("この操作を行う権限がありません。"))


# --- granting roles -----------------------------------------------------------------------


def may_grant(user, kind, community=None, organization=None):
    """Whether ``user`` may give someone the role ``kind`` (bound to the ``community`` or
    ``organization`` id): the secretariat any role; a community's coordinator the
    coordinator role of that community; an organisation's member the member role of that
    organisation. Nobody grants a role they do not hold."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_secretariat:
        return True
    if kind == "coordinator":
        return community is not None and user.has_role("coordinator", community)
    if kind == "organization_member":
        return organization is not None and user.has_role("organization_member", organization)
    return False


def may_invite(user):
    """Whether ``user`` may invite anyone at all (and so sees the invitation pages)."""
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and (
            user.is_secretariat
            or user.has_role("coordinator")
            or user.has_role("organization_member")
        )
    )


def require_may_grant(user, kind, community=None, organization=None):
    if not may_grant(user, kind, community, organization):
        raise PermissionDenied(
            _(
                "この役割はあなたが付与できるものではありません。招待できるのは、あなたが"
                "持っている役割（同じコミュニティのコーディネーター、同じ機関の担当者）だけです。"
            )
        )
