"""Who may do what with needs and seeds."""

import rules

from renkei.accounts.permissions import is_secretariat
from renkei.communities.rules import is_coordinator
from renkei.regions.rules import is_member_of, member_organizations

# Coordinators of any community and the secretariat work the national queue of needs.
works_the_queue = is_secretariat | is_coordinator
# A liaison office (organisation member) keeps its organisation's seeds; so may the secretariat.
manages_seeds_of = is_secretariat | is_member_of

rules.set_perm("matching.view_need", works_the_queue)
rules.set_perm("matching.add_seed", manages_seeds_of)
rules.set_perm("matching.change_seed", manages_seeds_of)


def is_coordinator(user):
    """Coordinators of any community and the secretariat work the national queue."""
    return bool(user.is_authenticated and works_the_queue(user))


def can_manage_seeds(user, organization):
    return bool(user.is_authenticated and manages_seeds_of(user, organization))


def visibility_for(user):
    """The widest seed visibility this person may see."""
    if is_coordinator(user):
        return "coordinators"
    return "signed_in" if user.is_authenticated else "public"


__all__ = ["can_manage_seeds", "is_coordinator", "member_organizations", "visibility_for"]
