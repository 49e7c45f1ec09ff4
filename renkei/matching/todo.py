"""What waits in matching (for the start page, マイページ): the coordinators' queue and the
needs a coordinator took; the seeds of a person's organisation proposed for a need."""

from django.urls import reverse
from django.utils.translation import gettext as _

from renkei.lib.todo import Item
from renkei.matching.models import MatchRecord, Need
from renkei.matching.rules import is_coordinator
from renkei.regions.rules import member_organization_ids

TAKEN_SHOWN = 10


def waiting_for(user):
    items = []
    if is_coordinator(user):
        items += _for_coordinator(user)
    organizations = member_organization_ids(user)
    if organizations:
        items += _for_organization(organizations)
    return items


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
    proposed = (
        MatchRecord.objects.filter(seed__organization_id__in=organization_ids)
        .filter(status__in=[MatchRecord.Status.PROPOSED, MatchRecord.Status.CONTACTED])
        .select_related("need", "seed")
        .order_by("-updated_at")
    )
    return [
        Item(
            title=_("ご相談に紹介された自機関のシーズ: %(seed)s → %(need)s")
            % {"seed": record.seed.title, "need": record.need.title},
            url=record.need.get_absolute_url(),
            note=_("状態: %(status)s") % {"status": record.get_status_display()},
            section=_("自機関のシーズ"),
        )
        for record in proposed[:20]
    ]
