from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = _(
        "バックグラウンド処理（メールの送信、埋め込みの計算、ダッシュボードの再計算、毎日の"
        "お知らせ）を実行します。django-q2 の qcluster です。停止は Ctrl+C か SIGTERM。"
    )

    def handle(self, *args, **options):
        self.stdout.write(_("バックグラウンド処理を開始します（停止は Ctrl+C）。"))
        call_command("qcluster")
