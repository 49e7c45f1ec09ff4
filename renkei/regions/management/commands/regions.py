from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from renkei.lib import commands
from renkei.regions import actions

FORMATS = ["csv", "xlsx"]


class Command(BaseCommand):
    help = _(
        "地域と機関の操作（import-windows: 窓口を CSV・XLSX から登録・更新 / "
        "export-windows: 掲載中の窓口を書き出す / "
        "remind-windows: 12か月確認されていない窓口の担当者に確認を依頼する）"
    )

    def add_arguments(self, parser):
        sub = commands.subcommands(parser)
        commands.add_import_arguments(
            sub.add_parser(
                "import-windows",
                help=_("organization 列で機関を指定した窓口の一覧を取り込む（全件か無し）"),
            )
        )
        commands.add_export_arguments(
            sub.add_parser("export-windows", help=_("掲載中の窓口を取り込みと同じ列で書き出す")),
            FORMATS,
        )
        sub.add_parser("remind-windows", help=_("確認の依頼を送る（毎日の処理と同じ）"))

    def handle(self, *args, action, **options):
        if action == "import-windows":
            commands.import_file(
                self,
                lambda data, name, dry_run: actions.import_windows(
                    data, name, by=None, dry_run=dry_run
                ),
                file=options["file"],
                dry_run=options["dry_run"],
            )
        elif action == "export-windows":
            commands.export(
                self,
                actions.export_windows,
                format=options["format"],
                output=options["output"],
                stdout=options.get("stdout"),
            )
        elif action == "remind-windows":
            told = actions.remind_stale_windows()
            self.stdout.write(
                self.style.SUCCESS(_("%(n)s 人に窓口の確認を依頼しました。") % {"n": told})
            )
