"""Object-level permissions: the predicates every write checks, and ``require``.

Permissions are django-rules predicates registered under Django's usual permission names
(``regions.change_organization``), so views, the admin and templates all ask the same
question with ``user.has_perm(name, obj)``. ``require`` is the one call a write makes before
changing anything.
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


def _community_of(obj):
    from renkei.communities.models import Community

    if obj is None:
        return None
    if isinstance(obj, Community):
        return obj
    return getattr(obj, "community", None)


def _organization_of(obj):
    from renkei.regions.models import Organization

    if obj is None:
        return None
    if isinstance(obj, Organization):
        return obj
    return getattr(obj, "organization", None)


@rules.predicate
def is_coordinator_of(user, obj):
    community = _community_of(obj)
    return bool(
        community is not None and user.is_authenticated and user.has_role("coordinator", community)
    )


@rules.predicate
def is_member_of(user, obj):
    organization = _organization_of(obj)
    return bool(
        organization is not None
        and user.is_authenticated
        and user.has_role("organization_member", organization)
    )


def require(user, permission, obj=None):
    """Raise PermissionDenied unless ``user`` holds ``permission`` on ``obj``."""
    if not user.has_perm(permission, obj):
        raise PermissionDenied(_("この操作を行う権限がありません。"))
