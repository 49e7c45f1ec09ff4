"""Open-data export of accepted indicator values, with the licence line."""

import csv
import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder

from renkei.lib.spreadsheets import neutralise
from renkei.maturity.models import Report, ReportValue

COLUMNS = [
    "community",
    "community_name",
    "indicator",
    "indicator_name",
    "unit",
    "fiscal_year",
    "value",
    "source",
]


def export_values(fmt, target):
    values = (
        ReportValue.objects.filter(report__state=Report.State.ACCEPTED)
        .select_related("report__community", "indicator")
        .order_by("report__community__slug", "indicator__order", "report__fiscal_year")
    )
    rows = [
        [
            v.report.community.slug,
            v.report.community.name,
            v.indicator.code,
            v.indicator.name,
            v.indicator.unit,
            v.report.fiscal_year,
            v.value,
            v.source or v.report.source,
        ]
        for v in values
    ]
    if fmt == "json":
        json.dump(
            {
                "licence": settings.RENKEI_DATA_LICENCE,
                "values": [dict(zip(COLUMNS, r, strict=True)) for r in rows],
            },
            target,
            ensure_ascii=False,
            indent=2,
            cls=DjangoJSONEncoder,
        )
    else:
        target.write("\ufeff")
        target.write(f"# licence: {settings.RENKEI_DATA_LICENCE}\r\n")
        writer = csv.writer(target, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        writer.writerows([neutralise(v) for v in row] for row in rows)
    return len(rows)
