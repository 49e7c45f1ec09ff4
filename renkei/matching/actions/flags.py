"""The daily flags (ADR 0009): needs with no proposal 14 days after they were confirmed, and
proposals their organisation has not answered 10 days after it was asked. Each is flagged
once, as a step of the need's history, to the need's coordinators (or, for a need nobody
took, the coordinators of the communities of its prefecture) and to the secretariat in one
mail a day."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from renkei.accounts.models import User
from renkei.matching.actions.pipeline import need_coordinators
from renkei.matching.actions.steps import record_step
from renkei.matching.models import Need, Proposal, Step
from renkei.notifications import tell
from renkei.notifications.models import Kind


def _coordinators_for(need):
    people = need_coordinators(need)
    if people:
        return people
    return list(User.objects.holding("coordinator", community__prefectures=need.prefecture_id))


@transaction.atomic
def flag_stalled(now=None):
    """Flag what waits too long; returns (needs flagged, proposals flagged)."""
    now = now or timezone.now()
    needs = list(
        Need.objects.without_proposal(now)
        .exclude(steps__kind=Step.Kind.FLAG_NO_PROPOSAL)
        .select_related("prefecture", "community", "assigned_to")
        .order_by("confirmed_at", "pk")
    )
    proposals = list(
        Proposal.objects.unanswered(now)
        .exclude(steps__kind=Step.Kind.FLAG_UNANSWERED)
        .select_related("need__community", "need__assigned_to", "seed__organization")
        .order_by("state_since", "pk")
    )
    for need in needs:
        record_step(need, Step.Kind.FLAG_NO_PROPOSAL)
        tell(
            Kind.MATCH_FLAG,
            _coordinators_for(need),
            gettext_lazy("【renkei】ご相談「%(title)s」: 14日間、シーズの提案がありません"),
            "matching/email/flag_no_proposal.txt",
            {"title": need.title, "need": need},
            link=need.get_absolute_url(),
        )
    for proposal in proposals:
        record_step(proposal.need, Step.Kind.FLAG_UNANSWERED, proposal=proposal)
        tell(
            Kind.MATCH_FLAG,
            _coordinators_for(proposal.need),
            gettext_lazy("【renkei】「%(title)s」: 機関から10日間回答がありません"),
            "matching/email/flag_unanswered.txt",
            {"title": proposal.seed.title, "proposal": proposal, "need": proposal.need},
            link=proposal.need.get_absolute_url(),
        )
    if needs or proposals:
        tell(
            Kind.MATCH_FLAG,
            list(User.objects.secretariat()),
            gettext_lazy("【renkei】対応の遅れているご相談と打診"),
            "matching/email/flag_digest.txt",
            {"needs": needs, "proposals": proposals},
            link=reverse("matching:queue") + "?flag=late",
        )
    return len(needs), len(proposals)
