from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from renkei.maturity.snapshots import refresh


class Command(BaseCommand):
    help = _("成熟度の操作（snapshot: ダッシュボード用の集計を作り直す）")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("snapshot", help=_("受理済みの報告から集計を作り直す"))

    def handle(self, *args, action, **options):
        def progress(done, total):
            self.stdout.write(
                _("  %(done)s / %(total)s コミュニティ") % {"done": done, "total": total}
            )

        count = refresh(progress=progress)
        self.stdout.write(
            self.style.SUCCESS(_("%(n)s コミュニティの集計を作り直しました。") % {"n": count})
        )
