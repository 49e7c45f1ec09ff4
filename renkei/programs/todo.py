"""What waits in programs (for the start page, マイページ): calls of followed programs that
close within two weeks."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from renkei.lib.todo import Item
from renkei.programs.models import CallPeriod

WINDOW = timedelta(days=14)


def waiting_for(user, now=None):
    now = now or timezone.now()
    calls = (
        CallPeriod.objects.filter(
            program__followers__user=user, closes_at__gt=now, closes_at__lte=now + WINDOW
        )
        .select_related("program")
        .order_by("closes_at")
    )
    return [
        Item(
            title=(
                _("締切が近い公募（フォロー中）: %(program)s（%(call)s）")
                if call.title
                else _("締切が近い公募（フォロー中）: %(program)s")
            )
            % {"program": call.program.name, "call": call.title},
            url=call.program.get_absolute_url(),
            note=_("締切: %(when)s")
            % {"when": timezone.localtime(call.closes_at).strftime("%Y-%m-%d %H:%M")},
            urgent=call.closes_at <= now + timedelta(days=7),
            section=_("支援施策"),
        )
        for call in calls
    ]
