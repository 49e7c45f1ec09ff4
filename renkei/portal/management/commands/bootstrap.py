from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from renkei.lib.imports import DataImportError
from renkei.portal.dataset import (
    DATA_DIR,
    check_default_dataset,
    is_loaded,
    load_default_dataset,
)


class Command(BaseCommand):
    help = _("既定のデータセット（原資料の表と参照データ）を空のデータベースに読み込みます。")

    def add_arguments(self, parser):
        parser.add_argument("--data-dir", default=str(DATA_DIR), help=_("データのディレクトリ"))
        parser.add_argument(
            "--check", action="store_true", help=_("検証だけ行い、何も書き込みません。")
        )

    def handle(self, *args, data_dir, check, **options):
        if is_loaded() and not check:
            self.stdout.write(_("既定のデータセットは読み込み済みです。変更はありません。"))
            return

        def progress(stage, counts):
            detail = ", ".join(f"{k}={v}" for k, v in counts.items())
            self.stdout.write(f"  [{stage}] {detail}")

        self.stdout.write(
            _("データセットを検証しています…") if check else _("データセットを読み込んでいます…")
        )
        try:
            if check and is_loaded():
                check_default_dataset(data_dir)
            else:
                load_default_dataset(data_dir, progress=progress, dry_run=check)
        except DataImportError as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(
                _("%(n)s 件のエラーがあります。何も書き込んでいません。") % {"n": len(exc.errors)}
            ) from exc
        if check:
            self.stdout.write(self.style.SUCCESS(_("問題はありません（何も書き込んでいません）。")))
        else:
            self.stdout.write(self.style.SUCCESS(_("読み込みました。")))
