"""What waits in programs (for the start page, マイページ): calls of followed programs that
close within two weeks; for the secretariat, a draft edition of the menu not yet published
and uploads previewed but not applied."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from renkei.lib.formats import wareki_fiscal_year
from renkei.lib.todo import Item
from renkei.programs.models import CallPeriod, MenuEdition, ProgramUpload

WINDOW = timedelta(days=14)


def _secretariat_items(user):
    items = []
    for edition in MenuEdition.objects.drafts():
        missing = edition.drafts.filter(included=True, amount_thousand_yen__isnull=True).count()
        items.append(
            Item(
                title=_("準備中の支援メニュー: %(fy)s")
                % {"fy": wareki_fiscal_year(edition.fiscal_year)},
                url=edition.get_absolute_url(),
                count=missing or None,
                note=_("予算額が未入力の施策 %(n)s 件") % {"n": missing} if missing else "",
                section=_("事務局"),
            )
        )
    waiting = ProgramUpload.objects.filter(state=ProgramUpload.State.PREVIEWED, created_by=user)
    count = waiting.count()
    if count:
        items.append(
            Item(
                title=_("確認したまま反映していない施策のアップロード"),
                url=reverse("programs:uploads"),
                count=count,
                section=_("事務局"),
            )
        )
    return items


def waiting_for(user, now=None):
    now = now or timezone.now()
    items = _secretariat_items(user) if user.is_secretariat else []
    calls = (
        CallPeriod.objects.filter(
            program__followers__user=user, closes_at__gt=now, closes_at__lte=now + WINDOW
        )
        .select_related("program")
        .order_by("closes_at")
    )
    return items + [
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
