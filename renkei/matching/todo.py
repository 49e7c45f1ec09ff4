"""What waits in matching (for the start page, マイページ): the coordinators' queue, the needs
a coordinator took, what is late (14 days without a proposal, 10 days unanswered); for an
organisation's members, the proposals of their seeds that wait for their answer or a
meeting to be recorded."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from renkei.communities.rules import coordinated_community_ids
from renkei.lib.todo import Item
from renkei.matching.models import Need, Proposal, State
from renkei.matching.rules import is_coordinator
from renkei.regions.rules import member_organization_ids

TAKEN_SHOWN = 10
PROPOSALS_SHOWN = 20


def waiting_for(user):
    items = []
    if is_coordinator(user):
        items += _for_coordinator(user)
    organizations = member_organization_ids(user)
    if organizations:
        items += _for_organization(organizations)
    return items


def _late(user):
    """(needs 14 days without a proposal, needs with a proposal unanswered for 10 days) this
    person should see: their communities', or all of them for the secretariat. One query."""
    needs = Need.objects.all()
    if not user.is_secretariat:
        needs = needs.filter(community_id__in=coordinated_community_ids(user))
    counts = needs.aggregate(
        no_proposal=Count("pk", filter=Q(pk__in=Need.objects.without_proposal().values("pk"))),
        unanswered=Count("pk", filter=Q(pk__in=Proposal.objects.unanswered().values("need_id"))),
    )
    return counts["no_proposal"], counts["unanswered"]


def _for_coordinator(user):
    section = _("マッチング")
    items = []
    unassigned = Need.objects.in_queue().filter(assigned_to__isnull=True).count()
    if unassigned:
        items.append(
            Item(
                title=_("担当の決まっていないご相談（コーディネーターの受付一覧）"),
                url=reverse("matching:queue") + "?status=" + Need.Status.QUEUED,
                count=unassigned,
                section=section,
            )
        )
    late_needs, late_proposals = _late(user)
    if late_needs:
        items.append(
            Item(
                title=_("14日たってもシーズを提案していないご相談"),
                url=reverse("matching:queue") + "?flag=no_proposal",
                count=late_needs,
                urgent=True,
                section=section,
            )
        )
    if late_proposals:
        items.append(
            Item(
                title=_("10日たっても機関から回答のない打診があるご相談"),
                url=reverse("matching:queue") + "?flag=unanswered",
                count=late_proposals,
                urgent=True,
                section=section,
            )
        )
    taken = list(
        Need.objects.in_queue()
        .filter(assigned_to=user)
        .exclude(status=Need.Status.MATCHED)
        .order_by("updated_at")[: TAKEN_SHOWN + 1]
    )
    for need in taken[:TAKEN_SHOWN]:
        items.append(
            Item(
                title=_("担当しているご相談: %(title)s") % {"title": need.title},
                url=need.get_absolute_url(),
                note=_("状態: %(status)s") % {"status": need.get_status_display()},
                section=section,
            )
        )
    if len(taken) > TAKEN_SHOWN:
        items.append(
            Item(
                title=_("担当しているご相談をすべて見る"),
                url=reverse("matching:queue") + "?status=" + Need.Status.IN_PROGRESS,
                section=section,
            )
        )
    return items


def _for_organization(organization_ids):
    waiting = (
        Proposal.objects.of_organizations(organization_ids)
        .filter(state__in=[State.ASKED, State.INTRODUCED, State.MEETING])
        .select_related("need", "seed")
        .order_by("state_since")
    )
    late = {p.pk for p in Proposal.objects.unanswered().of_organizations(organization_ids)}
    items = []
    for proposal in waiting[:PROPOSALS_SHOWN]:
        if proposal.state == State.ASKED:
            title = _("ご回答をお願いしている提案: %(seed)s → %(need)s")
        else:
            title = _("紹介した相談者との面談の記録: %(seed)s → %(need)s")
        items.append(
            Item(
                title=title % {"seed": proposal.seed.title, "need": proposal.need.title},
                url=proposal.get_absolute_url(),
                note=_("状態: %(status)s") % {"status": proposal.get_state_display()},
                urgent=proposal.pk in late,
                section=_("自機関のシーズ"),
            )
        )
    return items
