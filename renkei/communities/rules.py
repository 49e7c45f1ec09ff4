"""Who may do what with communities and certification rounds."""

import rules

from renkei.accounts.models import Role
from renkei.accounts.permissions import is_secretariat
from renkei.communities.models import Community


def community_of(obj):
    """The community an object belongs to: itself, or its ``community`` attribute."""
    if obj is None or isinstance(obj, Community):
        return obj
    return getattr(obj, "community", None)


@rules.predicate
def is_coordinator_of(user, obj):
    community = community_of(obj)
    return bool(
        community is not None
        and user.is_authenticated
        and user.has_role(Role.Kind.COORDINATOR, community)
    )


@rules.predicate
def is_coordinator(user):
    """A coordinator of any community."""
    return bool(user.is_authenticated and user.has_role(Role.Kind.COORDINATOR))


def coordinated_community_ids(user):
    """The ids of the communities this person coordinates."""
    if not user.is_authenticated:
        return []
    return [r.community_id for r in user.cached_roles if r.kind == Role.Kind.COORDINATOR]


# A community's coordinator keeps its profile, members, key persons and facts current.
rules.set_perm("communities.change_community", is_secretariat | is_coordinator_of)
for action in ("add", "change", "delete"):
    rules.set_perm(f"communities.{action}_communitymember", is_secretariat | is_coordinator_of)
    rules.set_perm(f"communities.{action}_communityfact", is_secretariat | is_coordinator_of)
    rules.set_perm(f"communities.{action}_keyperson", is_secretariat | is_coordinator_of)
