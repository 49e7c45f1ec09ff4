"""What the apps' commands share: writing an export and reading an import the same way.

Every data command is noun first, ``renkei <app> <verb>`` (``renkei programs export``,
``renkei maturity export``); each app's command adds its verbs as subcommands with
``subcommands`` and calls these helpers with its own export or import function."""

import sys
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from renkei.lib.imports import DataImportError


def subcommands(parser):
    """The verbs of a noun command (``renkei programs …``): ``options["action"]`` names the
    one given."""
    return parser.add_subparsers(dest="action", required=True)


def add_export_arguments(parser, formats):
    parser.add_argument("--format", required=True, choices=formats)
    parser.add_argument("--output", "-o", help=_("出力先ファイル（省略時は標準出力。xlsx は必須）"))


def export(command, exporter, *, format, output, stdout=None):
    """Run ``exporter(format, stream_or_path)`` into ``output`` or standard output (xlsx
    only into a file) and tell on standard error how many records it wrote."""
    if format == "xlsx":
        if not output:
            raise CommandError(_("xlsx は --output でファイルを指定してください。"))
        count = exporter(format, output)
    elif output:
        with open(output, "w", encoding="utf-8", newline="") as file:
            count = exporter(format, file)
    else:
        stream = stdout or sys.stdout  # a raw text stream, not the command's OutputWrapper
        count = exporter(format, stream)
        stream.flush()
    command.stderr.write(_("%(n)s 件を書き出しました。") % {"n": count})


def add_import_arguments(parser):
    parser.add_argument("file")
    parser.add_argument("--dry-run", action="store_true", help=_("検証だけ行い、書き込みません。"))


def import_file(command, importer, *, file, dry_run):
    """Run ``importer(data, name, dry_run=…)`` on a file; print each error as
    ``file:row:column: message`` and fail, or print the counts."""
    path = Path(file)
    if not path.is_file():
        raise CommandError(_("ファイル %(f)s がありません。") % {"f": file})
    try:
        counts = importer(path.read_bytes(), path.name, dry_run=dry_run)
    except DataImportError as exc:
        for error in exc.errors:
            command.stderr.write(str(error))
        raise CommandError(
            _("%(n)s 件のエラーがあります。何も書き込んでいません。") % {"n": len(exc.errors)}
        ) from exc
    if dry_run:
        message = _("検証のみ: 新規 %(created)s 件、更新 %(updated)s 件（未書込み）。")
    else:
        message = _("取り込みました: 新規 %(created)s 件、更新 %(updated)s 件。")
    command.stdout.write(command.style.SUCCESS(message % counts))
