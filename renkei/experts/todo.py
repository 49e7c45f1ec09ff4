"""What waits for an expert (for the start page): the needs assigned to them."""

from django.utils.translation import gettext as _

from renkei.experts.models import Assignment
from renkei.lib.todo import Item


def waiting_for(user):
    if not user.is_authenticated:
        return []
    assignments = (
        Assignment.objects.open().filter(expert__user=user).select_related("need", "expert")
    )
    return [
        Item(
            title=_("ご協力をお願いしているご相談: %(title)s") % {"title": a.need.title},
            url=a.need.get_absolute_url(),
            note=a.note,
            section=_("専門家として"),
        )
        for a in assignments[:20]
    ]
