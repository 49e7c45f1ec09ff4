import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

# target → "module.function(fmt, stream_or_path)" and the formats it supports
EXPORTERS = {
    "programs": ("renkei.programs.exchange.export_programs", ("csv", "xlsx", "json")),
    "communities": ("renkei.communities.exchange.export_communities", ("csv", "json")),
    "maturity": ("renkei.maturity.exchange.export_values", ("csv", "json")),
}


class Command(BaseCommand):
    help = _("データを書き出します（例: renkei export programs --format csv）。")

    def add_arguments(self, parser):
        parser.add_argument("target", choices=sorted(EXPORTERS))
        parser.add_argument("--format", required=True, choices=["csv", "xlsx", "json"])
        parser.add_argument(
            "--output", "-o", help=_("出力先ファイル（省略時は標準出力。xlsx は必須）")
        )

    def handle(self, *args, target, format, output, **options):
        path, formats = EXPORTERS[target]
        if format not in formats:
            raise CommandError(_("%(t)s は %(f)s で書き出せません。") % {"t": target, "f": format})
        exporter = import_string(path)
        if format == "xlsx":
            if not output:
                raise CommandError(_("xlsx は --output でファイルを指定してください。"))
            count = exporter(format, output)
        elif output:
            with open(output, "w", encoding="utf-8", newline="") as stream:
                count = exporter(format, stream)
        else:
            stream = options.get("stdout") or sys.stdout  # raw text stream, not OutputWrapper
            count = exporter(format, stream)
            stream.flush()
        self.stderr.write(_("%(n)s 件を書き出しました。") % {"n": count})
