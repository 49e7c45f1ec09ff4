from collections import Counter

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from renkei.communities import exchange
from renkei.communities.models import Application, CertificationRound
from renkei.lib import commands


class Command(BaseCommand):
    help = _(
        "バイオコミュニティの操作（export: 登録簿を書き出す / rounds: 認定ラウンドと申請の状態）"
    )

    def add_arguments(self, parser):
        sub = commands.subcommands(parser)
        commands.add_export_arguments(
            sub.add_parser("export", help=_("登録簿を構成機関とともに書き出す")), exchange.FORMATS
        )
        sub.add_parser("rounds", help=_("認定ラウンドと、その申請の状態を一覧します。"))

    def handle(self, *args, action, **options):
        if action == "export":
            commands.export(
                self,
                exchange.export_communities,
                format=options["format"],
                output=options["output"],
                stdout=options.get("stdout"),
            )
        elif action == "rounds":
            self.rounds()

    def rounds(self):
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
