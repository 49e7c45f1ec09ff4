from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from renkei.lib import commands
from renkei.maturity import exchange
from renkei.maturity.snapshots import refresh


class Command(BaseCommand):
    help = _(
        "成熟度の操作（snapshot: ダッシュボード用の集計を作り直す / "
        "export: 受理済みの指標値をオープンデータとして書き出す）"
    )

    def add_arguments(self, parser):
        sub = commands.subcommands(parser)
        sub.add_parser("snapshot", help=_("受理済みの報告から集計を作り直す"))
        commands.add_export_arguments(
            sub.add_parser("export", help=_("受理済みの指標値を書き出す（ライセンス表記つき）")),
            exchange.FORMATS,
        )

    def handle(self, *args, action, **options):
        if action == "export":
            commands.export(
                self,
                exchange.export_values,
                format=options["format"],
                output=options["output"],
                stdout=options.get("stdout"),
            )
        elif action == "snapshot":
            self.snapshot()

    def snapshot(self):
        def progress(done, total):
            self.stdout.write(
                _("  %(done)s / %(total)s コミュニティ") % {"done": done, "total": total}
            )

        count = refresh(progress=progress)
        self.stdout.write(
            self.style.SUCCESS(_("%(n)s コミュニティの集計を作り直しました。") % {"n": count})
        )
