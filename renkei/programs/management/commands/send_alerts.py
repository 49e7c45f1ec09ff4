from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from renkei.programs.alerts import send_alerts


class Command(BaseCommand):
    help = _("保存した検索の新着・更新と、フォロー中の施策の締切（2週間前）をメールで知らせます。")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help=_("送らずに件数だけ数えます。"))

    def handle(self, *args, dry_run, **options):
        counts = send_alerts(timezone.now(), dry_run=dry_run)
        summary = _("利用者 %(users)s 人、メール %(mails)s 通") % counts
        detail = _("施策 %(programs)s 件、締切通知 %(reminders)s 件、失敗 %(failed)s 通") % counts
        self.stdout.write(f"{summary}（{detail}）")
