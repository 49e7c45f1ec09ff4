from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = _("`renkei communities rounds` の別名です。")

    def handle(self, *args, **options):
        call_command("communities", "rounds", stdout=self.stdout, stderr=self.stderr)
