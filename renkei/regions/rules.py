"""Who may do what with organisations and their contact windows."""

import rules

from renkei.accounts.models import Role
from renkei.accounts.permissions import is_secretariat
from renkei.regions.models import Organization


def organization_of(obj):
    """The organisation an object belongs to: itself, or its ``organization`` attribute."""
    if obj is None or isinstance(obj, Organization):
        return obj
    return getattr(obj, "organization", None)


@rules.predicate
def is_member_of(user, obj):
    organization = organization_of(obj)
    return bool(
        organization is not None
        and user.is_authenticated
        and user.has_role(Role.Kind.ORGANIZATION_MEMBER, organization)
    )


def member_organization_ids(user):
    """The ids of the organisations this person is a member of."""
    if not user.is_authenticated:
        return []
    return [r.organization_id for r in user.cached_roles if r.kind == Role.Kind.ORGANIZATION_MEMBER]


def member_organizations(user):
    """The organisations this person is a member of (a liaison office keeps their seeds)."""
    return Organization.objects.filter(pk__in=member_organization_ids(user)).order_by("name")


# A university liaison office (organisation member) keeps its own organisation's profile and
# contact windows current; the secretariat may edit any.
rules.set_perm("regions.change_organization", is_secretariat | is_member_of)
rules.set_perm("regions.add_contactwindow", is_secretariat | is_member_of)
rules.set_perm("regions.change_contactwindow", is_secretariat | is_member_of)
rules.set_perm("regions.delete_contactwindow", is_secretariat | is_member_of)
# Only the secretariat marks a window as verified (事務局確認済み).
rules.set_perm("regions.verify_contactwindow", is_secretariat)


def can_keep_windows(user, organization):
    """Whether this person keeps the organisation's windows (its members, the secretariat)."""
    return bool(
        user.is_authenticated and user.has_perm("regions.change_contactwindow", organization)
    )
