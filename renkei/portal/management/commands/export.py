import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

TARGETS = ("communities", "maturity", "programs")


class Command(BaseCommand):
    help = _("`renkei <対象> export` の別名です（例: renkei export programs --format csv）。")

    def add_arguments(self, parser):
        parser.add_argument("target", choices=TARGETS)
        parser.add_argument("--format", required=True, choices=["csv", "xlsx", "json"])
        parser.add_argument("--output", "-o")

    def handle(self, *args, target, format, output, **options):
        alias = ["--format", format, *(["--output", output] if output else [])]
        call_command(
            target,
            "export",
            *alias,
            stdout=options.get("stdout") or sys.stdout,  # the raw stream the data goes to
            stderr=self.stderr,
        )
