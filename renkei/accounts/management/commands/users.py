"""``renkei users``: invite people, list them, create the first secretariat account.

    renkei users invite EMAIL --role ROLE [--community SLUG] [--organization CODE]
                                          [--round ID] [--name NAME] --by USERNAME
    renkei users invite --file FILE --by USERNAME
    renkei users list [--format table|json]
    renkei users create-secretariat USER --email E   (the same as renkei create-secretariat)

``--organization`` takes an organisation's public code: a MEXT school code, a
local-government code, a corporate number or renkei's own code (see
renkei/regions/bindings.py).
"""

import json
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from renkei.accounts import actions, bindings
from renkei.accounts.actions.invitations import not_found
from renkei.accounts.management.commands.create_secretariat import Command as CreateSecretariat
from renkei.accounts.models import Role, User
from renkei.lib import commands
from renkei.lib.imports import DataImportError


def person_out(user):
    """One person as ``users list --format json`` prints them."""
    return {
        "username": user.username,
        "email": user.email,
        "display_name": user.display_name,
        "roles": [
            {
                "kind": role.kind,
                "community": role.community.slug if role.community_id else None,
                "organization": role.organization_id and str(role.organization),
            }
            for role in user.roles.all()
        ],
        "active": user.is_active,
        "state": "active" if user.is_active else "deactivated",
        "last_login": user.last_login.isoformat() if user.last_login else None,
    }


class Command(BaseCommand):
    help = _("利用者を招待し、一覧を表示し、最初の事務局アカウントを作ります。")

    def add_arguments(self, parser):
        verbs = commands.subcommands(parser)
        invite = verbs.add_parser(
            "invite", help=_("メールで招待します（最後の行に招待のリンクを出力します）。")
        )
        invite.add_argument("email", nargs="?")
        invite.add_argument("--role", choices=Role.Kind.values)
        invite.add_argument("--community", help=_("コミュニティの識別子（例: nagaoka）"))
        invite.add_argument(
            "--organization",
            help=_("機関コード（学校コード・地方公共団体コード・法人番号・府省の略号）"),
        )
        invite.add_argument("--round", help=_("認定ラウンドの番号（審査委員の場合）"))
        invite.add_argument("--name", default="", help=_("招待する方のお名前"))
        invite.add_argument("--file", help=_("CSV または XLSX（1行に1人、すべてか無か）"))
        invite.add_argument("--by", required=True, help=_("招待する人のユーザー名"))
        listing = verbs.add_parser("list", help=_("利用者の一覧"))
        listing.add_argument("--format", choices=["table", "json"], default="table")
        CreateSecretariat().add_arguments(
            verbs.add_parser("create-secretariat", help=CreateSecretariat.help)
        )

    def handle(self, *args, action, **options):
        if action == "create-secretariat":
            return CreateSecretariat(stdout=self.stdout, stderr=self.stderr).handle(**options)
        if action == "list":
            return self.list_people(options["format"])
        return self.invite(**options)

    def list_people(self, output):
        people = User.objects.prefetch_related("roles__community", "roles__organization")
        rows = [person_out(user) for user in people.order_by("username")]
        if output == "json":
            for row in rows:
                self.stdout.write(json.dumps(row, ensure_ascii=False))
            return
        for row in rows:
            roles = ", ".join(
                f"{role['kind']}:{role['community'] or role['organization']}"
                if role["community"] or role["organization"]
                else role["kind"]
                for role in row["roles"]
            )
            self.stdout.write(f"{row['username']}\t{row['email']}\t{row['state']}\t{roles}")

    def invite(self, *, email, role, community, organization, round, name, file, by, **options):
        inviter = User.objects.filter(username=by, is_active=True).first()
        if inviter is None:
            raise CommandError(_("ユーザー「%(u)s」が見つかりません。") % {"u": by})
        try:
            if file:
                if email or role:
                    raise CommandError(_("--file と EMAIL・--role は一緒に使えません。"))
                path = Path(file)
                if not path.is_file():
                    raise CommandError(_("ファイル「%(f)s」が見つかりません。") % {"f": file})
                created = actions.invite_from_file(path.read_bytes(), path.name, by=inviter)
                for invitation, link in created:
                    self.stdout.write(f"{invitation.email}\t{invitation.role_label}\t{link}")
                self.stdout.write(_("%(count)s 人に招待を送りました。") % {"count": len(created)})
                return
            if not email or not role:
                raise CommandError(_("EMAIL と --role を指定してください（または --file）。"))
            with transaction.atomic():
                ids = {}
                for field, identifier in (
                    ("community", community),
                    ("organization", organization),
                    ("round", round),
                ):
                    ids[field] = bindings.find(field, identifier) if identifier else None
                    if identifier and ids[field] is None:
                        raise CommandError(not_found(field, identifier))
                invitation, link = actions.invite_person(
                    actions.InvitationRequest(email=email, kind=role, name=name, **ids),
                    by=inviter,
                )
        except DataImportError as exc:
            raise CommandError("\n".join(str(error) for error in exc.errors)) from exc
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("%(email)s さんに招待を送りました（%(role)s、有効期限 %(expires)s）。")
            % {
                "email": invitation.email,
                "role": invitation.role_label,
                "expires": actions.when(invitation.expires_at),
            }
        )
        self.stdout.write(link)
