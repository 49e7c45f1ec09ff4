from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = _("`renkei programs send-alerts` の別名です。")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help=_("送らずに件数だけ数えます。"))

    def handle(self, *args, dry_run, **options):
        alias = ["--dry-run"] if dry_run else []
        call_command("programs", "send-alerts", *alias, stdout=self.stdout, stderr=self.stderr)
