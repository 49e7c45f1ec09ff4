import json

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext as _
from pydantic import ValidationError

from renkei.lib import formats
from renkei.lib.imports import pydantic_errors
from renkei.lib.params import ParamError
from renkei.programs.models import ApplicantType
from renkei.programs.search import SearchParams, search_programs
from renkei.programs.search.index import rebuild_search_index
from renkei.programs.serializers import program_out


class Command(BaseCommand):
    help = _("支援施策の操作（search: 施策を検索する）")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
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

    def handle(self, *args, action, **options):
        if action == "search":
            self.search(**options)
        elif action == "reindex":
            self.reindex()

    def reindex(self):
        def progress(done, total):
            self.stdout.write(_("  索引 %(done)s / %(total)s 件") % {"done": done, "total": total})

        count = rebuild_search_index(progress=progress)
        self.stdout.write(
            self.style.SUCCESS(_("%(n)s 件の施策の検索索引を作り直しました。") % {"n": count})
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
