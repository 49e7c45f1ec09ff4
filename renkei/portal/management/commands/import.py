from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

# the old target → the verb of `renkei programs`
VERBS = {"programs": "import", "jgrants": "import-jgrants"}


class Command(BaseCommand):
    help = _(
        "`renkei programs import` と `renkei programs import-jgrants` の別名です"
        "（例: renkei import programs FILE）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("target", choices=sorted(VERBS))
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, target, file, dry_run, **options):
        alias = ["--dry-run"] if dry_run else []
        call_command(
            "programs", VERBS[target], file, *alias, stdout=self.stdout, stderr=self.stderr
        )
