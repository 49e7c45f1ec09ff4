"""Who may do what with experts (ADR 0009 §4).

- The secretariat and coordinators register experts; a profile is kept by the person it
  describes (their account), by the coordinators of its community, by whoever registered
  it, and by the secretariat.
- Experts are assigned to a need by those who act on it (its community's coordinators,
  renkei.matching.rules) or by the secretariat; an expert assigned to a need handles it
  (sees its contact and notes) while the assignment is open.
- A consultation is recorded by the expert it names (their account), by coordinators and
  the secretariat; one about a need only by those who handle that need.
"""

from renkei.communities.rules import coordinated_community_ids, is_coordinator
from renkei.experts.models import Assignment


def registers_experts(user):
    return bool(user.is_authenticated and (user.is_secretariat or is_coordinator(user)))


def can_edit_expert(user, expert):
    if not user.is_authenticated:
        return False
    if user.is_secretariat or (expert.user_id and expert.user_id == user.pk):
        return True
    if expert.created_by_id == user.pk:
        return True
    return bool(expert.community_id and expert.community_id in coordinated_community_ids(user))


def is_assigned_expert(user, need):
    """An expert handles the needs assigned to them (registered with matching's rules)."""
    return bool(
        user.is_authenticated
        and Assignment.objects.filter(need=need, expert__user=user, ended_at__isnull=True).exists()
    )


def records_consultations_of(user, expert):
    return can_edit_expert(user, expert) or registers_experts(user)
