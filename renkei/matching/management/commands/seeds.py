from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from renkei.accounts.models import User
from renkei.lib.imports import DataImportError
from renkei.matching import actions, indexes, judgements
from renkei.regions.models import Organization


class _DryRun(Exception):
    pass


class Command(BaseCommand):
    help = _(
        "シーズの操作（index: 検索・マッチングの索引を作る / import: CSV・XLSX を取り込む / "
        "export-judgements: コーディネーターの判定を評価用に書き出す）"
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        index = sub.add_parser(
            "index", help=_("索引を作り、未計算の埋め込みを計算する（進捗を表示）")
        )
        index.add_argument(
            "--processes", type=int, default=1, help=_("シーズの解析に使うプロセス数")
        )
        index.add_argument(
            "--no-embed", action="store_true", help=_("未計算の埋め込みを計算しない")
        )
        load = sub.add_parser("import", help=_("機関のシーズを取り込む（番号で更新、全部か無か）"))
        load.add_argument("file")
        load.add_argument(
            "--organization", required=True, help=_("機関のコード、学校コードまたは名称")
        )
        load.add_argument("--user", required=True, help=_("取り込む人のユーザー名（監査記録用）"))
        load.add_argument("--dry-run", action="store_true", help=_("検証だけして書き込まない"))
        export = sub.add_parser(
            "export-judgements",
            help=_(
                "コーディネーターの判定を `renkei match eval` の形式（needs.jsonl・seeds.jsonl・"
                "gold.jsonl）で書き出す"
            ),
        )
        export.add_argument("--output", required=True, help=_("書き出すフォルダ"))

    def handle(self, *args, action, **options):
        if action == "index":
            return self.index(options.get("processes") or 1, embed=not options.get("no_embed"))
        if action == "export-judgements":
            needs, seeds, count = judgements.export(options["output"])
            self.stdout.write(
                _("ニーズ %(n)s 件、シーズ %(s)s 件、判定 %(j)s 件を書き出しました。")
                % {"n": needs, "s": seeds, "j": count}
            )
            return None
        return self.load(options)

    def index(self, processes=1, embed=True):
        """The seeds' embeddings not computed yet, then this machine's seed index files (ADR
        0004), then the needs' index and their query embeddings."""
        if embed:
            indexes.embed_missing_seeds(
                progress=lambda done, total: self.stdout.write(
                    _("  シーズの埋め込み: %(done)s / %(total)s") % {"done": done, "total": total}
                )
            )

        def built(stage, done, total):
            self.stdout.write(f"  seeds ({stage}): {done} / {total}")

        meta = indexes.build_seed_files(force=True, processes=processes, progress=built)
        if meta is None:
            self.stdout.write(_("シーズの索引ファイルは別の処理が作っています。"))
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    _("%(name)s: %(n)s 件を索引しました（%(mode)s）。")
                    % {
                        "name": "seeds",
                        "n": meta["count"],
                        "mode": "hybrid" if meta["embedded"] else "lexical",
                    }
                )
            )
            self.stdout.write(
                f"  {meta['tokenised']} tokenised, {meta['reused']} reused, "
                f"{meta['embedded']} embedded, {meta['build_seconds']:.1f} s"
            )
        for name, index in (("needs", indexes.needs_index),):

            def progress(done, total, name=name):
                self.stdout.write(f"  {name}: {done} / {total}")

            engine = index.get(progress=progress)
            self.stdout.write(
                self.style.SUCCESS(
                    _("%(name)s: %(n)s 件を索引しました（%(mode)s）。")
                    % {"name": name, "n": len(engine), "mode": engine.effective_mode}
                )
            )
            if engine.notice:
                self.stderr.write(engine.notice)

        def warmed(done, total):
            self.stdout.write(
                _("  ニーズの検索文: %(done)s / %(total)s") % {"done": done, "total": total}
            )

        indexes.warm_need_queries(progress=warmed)

    def load(self, options):
        key = options["organization"]
        organization = (
            Organization.objects.filter(code=key).first()
            or Organization.objects.filter(school_code=key).first()
            or Organization.objects.filter(name=key).first()
        )
        if organization is None:
            raise CommandError(
                _("機関コード「%(code)s」はありません。") % {"code": options["organization"]}
            )
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(_("ユーザー「%(u)s」はいません。") % {"u": options["user"]})
        path = Path(options["file"])
        if not path.exists():
            raise CommandError(_("ファイルがありません: %(f)s") % {"f": path})
        try:
            with transaction.atomic():
                created, updated = actions.import_seeds(
                    path.read_bytes(), path.name, organization=organization, by=user
                )
                if options["dry_run"]:
                    raise _DryRun
        except DataImportError as exc:
            raise CommandError("\n".join(str(e) for e in exc.errors)) from exc
        except _DryRun:
            self.stdout.write(_("検証のみ: 誤りはありません（書き込んでいません）。"))
            return
        self.stdout.write(
            self.style.SUCCESS(
                _("取り込みました（新規 %(c)s 件、更新 %(u)s 件）。") % {"c": created, "u": updated}
            )
        )
