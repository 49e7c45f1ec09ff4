import getpass
import os

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from renkei.accounts import audit
from renkei.accounts.models import Role, User


class Command(BaseCommand):
    help = _("事務局アカウントを作成します（管理画面を使える、事務局ロール付き）。")

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", required=True)
        parser.add_argument("--display-name", default="")
        parser.add_argument(
            "--noinput",
            action="store_true",
            help=_("パスワードを環境変数 RENKEI_SECRETARIAT_PASSWORD から読みます。"),
        )

    def handle(self, *args, username, email, display_name, noinput, **options):
        if User.objects.filter(username=username).exists():
            raise CommandError(_("ユーザー「%(u)s」は既に存在します。") % {"u": username})
        if noinput:
            password = os.environ.get("RENKEI_SECRETARIAT_PASSWORD", "")
            if not password:
                raise CommandError(_("RENKEI_SECRETARIAT_PASSWORD を設定してください。"))
        else:
            password = getpass.getpass(_("パスワード: "))
            if password != getpass.getpass(_("パスワード（確認）: ")):
                raise CommandError(_("パスワードが一致しません。"))
        user = User(username=username, email=email, display_name=display_name, is_staff=True)
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        with transaction.atomic():
            user.set_password(password)
            user.save()
            Role.objects.create(user=user, kind=Role.Kind.SECRETARIAT)
            audit.record(audit.Action.CREATE_SECRETARIAT, target=user, after={"username": username})
        self.stdout.write(
            self.style.SUCCESS(_("事務局アカウント「%(u)s」を作成しました。") % {"u": username})
        )
