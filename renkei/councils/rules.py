"""Who may do what with councils, surveys, cases and the findings page.

A council is kept by the members of the organisation that runs it (a prefecture's officer,
say), by the coordinators of its community, and by the secretariat. Surveys, cases and the
findings → responses page are the secretariat's.
"""

import rules

from renkei.accounts.models import Role
from renkei.accounts.permissions import is_secretariat
from renkei.councils.models import Council
from renkei.regions.rules import is_member_of, member_organization_ids


def _council_of(obj):
    """The council an object belongs to (itself, a member, meeting or action item)."""
    if obj is None or isinstance(obj, Council):
        return obj
    if hasattr(obj, "council"):
        return obj.council
    if hasattr(obj, "meeting"):
        return obj.meeting.council
    return None


@rules.predicate
def runs_council(user, obj):
    """A member of the council's organisation, or a coordinator of its community."""
    council = _council_of(obj)
    if council is None or not user.is_authenticated:
        return False
    if is_member_of(user, council.organization):
        return True
    return bool(council.community_id and user.has_role(Role.Kind.COORDINATOR, council.community_id))


@rules.predicate
def may_start_council(user):
    """Members of a local government and coordinators may start a council's page."""
    return bool(
        user.is_authenticated
        and (
            user.has_role(Role.Kind.COORDINATOR)
            or any(r.kind == Role.Kind.ORGANIZATION_MEMBER for r in user.cached_roles)
        )
    )


keeps_council = is_secretariat | runs_council
rules.set_perm("councils.add_council", is_secretariat | may_start_council)
rules.set_perm("councils.change_council", keeps_council)
rules.set_perm("councils.view_council", keeps_council)
for model in ("councilmember", "meeting", "decision", "actionitem", "attendance"):
    for action in ("add", "change", "delete", "view"):
        rules.set_perm(f"councils.{action}_{model}", keeps_council)
# Surveys, cases and the findings page are the secretariat's (accounts.rules' default).
rules.set_perm("councils.answer_for_organization", is_secretariat | is_member_of)


def can_keep(user, council):
    return bool(user.is_authenticated and user.has_perm("councils.change_council", council))


def kept_council_ids(user):
    """The councils this person keeps (empty for the secretariat: it sees all anyway)."""
    if not user.is_authenticated:
        return []
    own = member_organization_ids(user)
    communities = [r.community_id for r in user.cached_roles if r.kind == Role.Kind.COORDINATOR]
    return list(
        Council.objects.filter(organization_id__in=own).values_list("pk", flat=True)
    ) + list(Council.objects.filter(community_id__in=communities).values_list("pk", flat=True))
