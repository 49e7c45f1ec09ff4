from collections import Counter

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from renkei.communities.models import Application, CertificationRound


class Command(BaseCommand):
    help = _("認定ラウンドと、その申請の状態を一覧します。")

    def handle(self, *args, **options):
        for round_ in CertificationRound.objects.all():
            states = Counter(round_.applications.values_list("state", flat=True))
            summary = "、".join(
                f"{Application.State(state).label} {count}"
                for state, count in sorted(states.items())
            ) or _("申請なし")
            published = f" {round_.published_on.isoformat()}" if round_.published_on else ""
            self.stdout.write(
                f"{round_.pk}\t{round_.fiscal_year}\t{round_.get_kind_display()}\t{round_.title}\t"
                f"{round_.get_status_display()}{published}\t{summary}"
            )
