from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from renkei.accounts.management.commands.create_secretariat import (
    Command as CreateSecretariat,
)
from renkei.lib import commands


class Command(BaseCommand):
    help = _("利用者の操作（create-secretariat: 事務局アカウントを作成する）")

    def add_arguments(self, parser):
        sub = commands.subcommands(parser)
        CreateSecretariat().add_arguments(
            sub.add_parser("create-secretariat", help=CreateSecretariat.help)
        )

    def handle(self, *args, action, **options):
        command = CreateSecretariat(stdout=self.stdout, stderr=self.stderr)
        return command.handle(*args, **options)
