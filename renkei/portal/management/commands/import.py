from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from renkei.lib.imports import DataImportError

# target → "module.function(data, name, dry_run=...)" returning counts
IMPORTERS = {
    "programs": "renkei.programs.exchange.import_programs",
    "jgrants": "renkei.programs.jgrants.import_jgrants",
}


class Command(BaseCommand):
    help = _("データを取り込みます。全行を検証し、誤りが1つでもあれば何も書き込みません。")

    def add_arguments(self, parser):
        parser.add_argument("target", choices=sorted(IMPORTERS))
        parser.add_argument("file")
        parser.add_argument(
            "--dry-run", action="store_true", help=_("検証だけ行い、書き込みません。")
        )

    def handle(self, *args, target, file, dry_run, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("ファイル %(f)s がありません。") % {"f": file})
        importer = import_string(IMPORTERS[target])
        try:
            counts = importer(path.read_bytes(), path.name, dry_run=dry_run)
        except DataImportError as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(
                _("%(n)s 件のエラーがあります。何も書き込んでいません。") % {"n": len(exc.errors)}
            ) from exc
        if dry_run:
            message = _("検証のみ: 新規 %(created)s 件、更新 %(updated)s 件（未書込み）。")
        else:
            message = _("取り込みました: 新規 %(created)s 件、更新 %(updated)s 件。")
        self.stdout.write(self.style.SUCCESS(message % counts))
