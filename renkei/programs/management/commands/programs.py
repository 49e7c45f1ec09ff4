import json

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import ValidationError

from renkei.lib import commands, formats
from renkei.lib.imports import pydantic_errors
from renkei.lib.params import ParamError
from renkei.programs import exchange, jgrants
from renkei.programs.alerts import send_alerts
from renkei.programs.models import ApplicantType
from renkei.programs.search import SearchParams, search_programs, semantic
from renkei.programs.search.index import rebuild_search_index
from renkei.programs.serializers import program_out


class Command(BaseCommand):
    help = _(
        "支援施策の操作（search: 検索 / reindex: 索引の再構築 / embed: 意味ベクトル / "
        "export: 書き出し / "
        "import: 取り込み / import-jgrants: Jグランツからの取り込み / send-alerts: お知らせ）"
    )

    def add_arguments(self, parser):
        sub = commands.subcommands(parser)
        search = sub.add_parser("search", help=_("施策を検索する（検索語なしなら条件だけで一覧）"))
        search.add_argument("query", nargs="?", default="")
        search.add_argument(
            "--applicant",
            action="append",
            default=[],
            choices=ApplicantType.values,
        )
        search.add_argument(
            "--ministry", action="append", default=[], help=_("府省コード（mext など）")
        )
        search.add_argument(
            "--accepts-new", action="store_true", help=_("新規課題採択が有るものだけ")
        )
        search.add_argument("--limit", type=int, default=20, help=_("表示件数（最大100）"))
        search.add_argument("--format", choices=["table", "json"], default="table")
        sub.add_parser("reindex", help=_("検索索引を作り直す（辞書の更新後など）"))
        sub.add_parser(
            "embed",
            help=_(
                "文章の変わった施策を埋め込む（「意味の近い支援施策」のため。ふだんはジョブが行う）"
            ),
        )
        commands.add_export_arguments(
            sub.add_parser("export", help=_("カタログ全体を書き出す")), exchange.FORMATS
        )
        commands.add_import_arguments(
            sub.add_parser(
                "import", help=_("CSV・XLSX・JSON を取り込む（施策コードで更新、全部か無か）")
            )
        )
        commands.add_import_arguments(
            sub.add_parser("import-jgrants", help=_("Jグランツ公開APIの応答（JSON）を取り込む"))
        )
        alerts = sub.add_parser(
            "send-alerts",
            help=_(
                "保存した検索の新着・更新と、フォロー中の施策の締切（2週間前）をメールで知らせます。"
            ),
        )
        alerts.add_argument("--dry-run", action="store_true", help=_("送らずに件数だけ数えます。"))

    def handle(self, *args, action, **options):
        if action == "search":
            self.search(**options)
        elif action == "reindex":
            self.reindex()
        elif action == "embed":
            self.embed()
        elif action == "export":
            commands.export(
                self,
                exchange.export_programs,
                format=options["format"],
                output=options["output"],
                stdout=options.get("stdout"),
            )
        elif action == "import":
            commands.import_file(
                self, exchange.import_programs, file=options["file"], dry_run=options["dry_run"]
            )
        elif action == "import-jgrants":
            commands.import_file(
                self, jgrants.import_jgrants, file=options["file"], dry_run=options["dry_run"]
            )
        elif action == "send-alerts":
            self.send_alerts(options["dry_run"])

    def send_alerts(self, dry_run):
        counts = send_alerts(timezone.now(), dry_run=dry_run)
        summary = _("利用者 %(users)s 人、メール %(mails)s 通") % counts
        detail = _("施策 %(programs)s 件、締切通知 %(reminders)s 件、失敗 %(failed)s 通") % counts
        self.stdout.write(f"{summary}（{detail}）")

    def reindex(self):
        def progress(done, total):
            self.stdout.write(_("  索引 %(done)s / %(total)s 件") % {"done": done, "total": total})

        count = rebuild_search_index(progress=progress)
        self.stdout.write(
            self.style.SUCCESS(_("%(n)s 件の施策の検索索引を作り直しました。") % {"n": count})
        )

    def embed(self):
        embedded = semantic.embed_programs()
        self.stdout.write(
            _("「意味の近い支援施策」のために %(n)s 件の施策の文章を埋め込みました。")
            % {"n": embedded}
        )

    def search(self, query, applicant, ministry, accepts_new, limit, format, **options):
        try:
            params = SearchParams(
                q=query,
                applicant=applicant,
                ministry=ministry,
                accepts_new=True if accepts_new else None,
                page_size=limit,
            )
            result = search_programs(params)
        except ValidationError as exc:
            names = {"page_size": "--limit", "q": "QUERY"}
            messages = [
                f"{names.get(e.column.split('[')[0], '--' + e.column)}: {e.message}"
                for e in pydantic_errors(exc, "programs search", None).items
            ]
            raise CommandError("\n".join(messages)) from exc
        except ParamError as exc:
            raise CommandError(f"--{exc.field}: {exc.message}") from exc
        if format == "json":
            self.stdout.write(
                json.dumps(
                    [program_out(p) for p in result.items],
                    ensure_ascii=False,
                    indent=2,
                    cls=DjangoJSONEncoder,
                )
            )
            return
        for program in result.items:
            line = program.headline_budget
            budget = formats.thousand_yen(line.amount_thousand_yen) if line else "-"
            if line and line.is_part_of_larger:
                budget += _("（内数）")
            accepts = {True: _("有"), False: _("無"), None: "-"}[program.accepts_new_projects]
            self.stdout.write(
                "\t".join(
                    [
                        program.code,
                        program.name,
                        program.ministry.name if program.ministry else "-",
                        "・".join(str(label) for label in program.applicant_labels) or "-",
                        budget,
                        _("新規採択: %(v)s") % {"v": accepts},
                    ]
                )
            )
        self.stdout.write(
            _("%(shown)s 件を表示（該当 %(total)s 件）")
            % {"shown": len(result.items), "total": result.total}
        )
