"""Open data of the maturity indicators: the accepted values, with the licence.

``export_values`` writes them for `renkei maturity export` and the portal's download alike,
so both carry the same columns and the same licence line (lib.spreadsheets)."""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder

from renkei.lib.spreadsheets import write_open_data_csv
from renkei.maturity.models import Report, ReportValue
from renkei.maturity.snapshots import national_view

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
FORMATS = ("csv", "json")


def accepted_values():
    """Every accepted value as a row of COLUMNS."""
    values = (
        ReportValue.objects.filter(report__state=Report.State.ACCEPTED)
        .select_related("report__community", "indicator")
        .order_by("report__community__slug", "indicator__order", "report__fiscal_year")
    )
    return [
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


def export_values(fmt, target):
    """Write the accepted values to a text stream as csv or json; returns how many."""
    rows = accepted_values()
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
    elif fmt == "csv":
        write_open_data_csv(target, COLUMNS, rows)
    else:
        raise ValueError(fmt)
    return len(rows)


NATIONAL_COLUMNS = [
    "indicator",
    "fiscal_year",
    "same_set_total",
    "same_set_communities",
    "communities_reporting",
]


def national_rows():
    """The national trends as rows: for each indicator and every year with a report, the
    total over the trend's one set of communities (blank for a year outside it), how many
    communities that set has, and how many reported that year."""
    data = national_view()["data"]
    rows = []
    for code, trend in sorted(data.get("trends", {}).items()):
        for year, reporting in sorted(trend["reporting"].items(), key=lambda item: int(item[0])):
            counted = year in trend["years"]
            rows.append(
                [
                    code,
                    int(year),
                    trend["totals"][year] if counted else "",
                    trend["communities"] if counted else "",
                    reporting,
                ]
            )
    return rows
