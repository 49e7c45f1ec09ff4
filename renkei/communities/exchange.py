"""Export of the community registry (CSV for spreadsheets, with the open-data licence line;
JSON with the full shape)."""

import json

from django.core.serializers.json import DjangoJSONEncoder

from renkei.communities.models import Community
from renkei.communities.serializers import community_out
from renkei.lib import spreadsheets

COLUMNS = [
    "slug", "name", "abbreviation", "kind", "status", "status_label", "certified_on",
    "registered_on", "prefectures", "prefecture_names", "network_organization", "overview",
    "themes", "market_areas", "logo_permitted", "website", "member_count", "members", "sources",
]  # fmt: skip
FORMATS = ("csv", "json")


def export_communities(fmt, target):
    communities = Community.objects.prefetch_related("prefectures", "market_areas").select_related(
        "network_organization"
    )
    records = [community_out(c) for c in communities]
    if fmt == "json":
        json.dump(records, target, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder)
    elif fmt == "csv":
        rows = []
        for record in records:
            row = {k: v for k, v in record.items() if k in COLUMNS}
            for key in ("prefectures", "prefecture_names", "themes", "market_areas"):
                row[key] = "、".join(record[key])
            row["sources"] = " ".join(record["sources"])
            row["member_count"] = len(record["members"])
            row["members"] = "、".join(m["organization"] for m in record["members"])
            row["logo_permitted"] = str(record["logo_permitted"]).lower()
            rows.append(row)
        spreadsheets.write_open_data_csv(target, COLUMNS, rows)
    else:
        raise ValueError(fmt)
    return len(records)
