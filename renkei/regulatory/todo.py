"""What waits in regulatory consultations (for the start page): questions routed to the
windows of a person's organisations; for the secretariat, those no window was found for."""

from django.urls import reverse
from django.utils.translation import gettext as _

from renkei.lib.todo import Item
from renkei.regions.rules import member_organization_ids
from renkei.regulatory.models import RegulatoryConsultation

Status = RegulatoryConsultation.Status


def waiting_for(user):
    if not user.is_authenticated:
        return []
    items = []
    organizations = member_organization_ids(user)
    if organizations:
        routed = (
            RegulatoryConsultation.objects.routed_to(organizations)
            .filter(status=Status.ROUTED)
            .count()
        )
        if routed:
            items.append(
                Item(
                    title=_("回答をお願いしている規制・特区のご相談"),
                    url=reverse("regulatory:inbox"),
                    count=routed,
                    section=_("規制・特区相談"),
                )
            )
    if user.is_secretariat:
        unrouted = RegulatoryConsultation.objects.filter(status=Status.UNROUTED).count()
        if unrouted:
            items.append(
                Item(
                    title=_("窓口の振り分けを待つ規制・特区のご相談"),
                    url=reverse("regulatory:inbox") + "?status=" + Status.UNROUTED,
                    count=unrouted,
                    urgent=True,
                    section=_("規制・特区相談"),
                )
            )
    return items
