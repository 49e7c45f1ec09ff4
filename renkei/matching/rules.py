"""Who may do what with needs, seeds and the proposals between them (ADR 0009).

- Coordinators of any community and the secretariat work the national queue; any
  coordinator may take a need nobody has taken.
- A taken need is acted on (proposals, answers asked, consent, meetings, outcomes,
  judgements, experts) only by the coordinators of its taker's community; the secretariat
  reassigns it.
- Those who *handle* a need see its submitter's contact and every note: the coordinators of
  its community, the secretariat, and whoever an app above registers (the experts assigned
  to it, renkei.experts).
- Only members of a seed's organisation answer for the seed (or its window, through the
  signed link a proposal's mail carries).
"""

import rules

from renkei.accounts.models import Role
from renkei.accounts.permissions import is_secretariat
from renkei.communities.rules import is_coordinator
from renkei.regions.rules import is_member_of, member_organization_ids, member_organizations

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


def coordinates_need(user, need):
    """A coordinator of the community that took the need."""
    return bool(
        user.is_authenticated
        and need.community_id is not None
        and user.has_role(Role.Kind.COORDINATOR, need.community_id)
    )


def acts_on_need(user, need):
    """Who moves a taken need's proposals: its community's coordinators, no one else."""
    return coordinates_need(user, need)


# Predicates (user, need) → bool that apps above matching add with register_handler.
_handlers = []


def register_handler(predicate):
    """Let an app above matching say who else handles a need (see the module docstring)."""
    if predicate not in _handlers:
        _handlers.append(predicate)


def handles_need(user, need):
    """Whether ``user`` sees everything of ``need``: contact details and notes."""
    if not user.is_authenticated:
        return False
    if user.is_secretariat or coordinates_need(user, need):
        return True
    return any(predicate(user, need) for predicate in _handlers)


def answers_for(user, seed):
    """Members of the seed's organisation answer a proposal of it."""
    return bool(user.is_authenticated and seed.organization_id in member_organization_ids(user))


def visibility_for(user):
    """The widest seed visibility this person may see."""
    if is_coordinator(user):
        return "coordinators"
    return "signed_in" if user.is_authenticated else "public"


__all__ = [
    "acts_on_need",
    "answers_for",
    "can_manage_seeds",
    "coordinates_need",
    "handles_need",
    "is_coordinator",
    "member_organizations",
    "register_handler",
    "visibility_for",
]
