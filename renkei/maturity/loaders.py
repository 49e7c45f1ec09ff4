"""Load the starter indicators and the published member counts as accepted history."""

import datetime
import json
from decimal import Decimal
from itertools import pairwise

from django.utils.translation import gettext as _
from pydantic import Field, ValidationError, field_validator

from renkei.communities.models import Community
from renkei.lib.imports import Errors, pydantic_errors, read_text, read_yaml
from renkei.lib.schemas import Record, Text
from renkei.maturity.models import Category, Indicator, Report, ReportValue, Unit
from renkei.maturity.snapshots import refresh


class IndicatorRecord(Record):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]{1,49}$")
    name: Text
    name_en: Text
    unit: Unit
    category: Category
    higher_is_better: bool = True
    how_counted: Text
    thresholds: list[float] = Field(min_length=4, max_length=4)
    automatic: str = ""

    @field_validator("thresholds")
    @classmethod
    def increasing(cls, values):
        if any(b <= a for a, b in pairwise(values)):
            raise ValueError(_("閾値は小さい順に4つ並べてください。"))
        return values


def parse_indicators(path):
    errors = Errors(path.name)
    records, seen = [], set()
    for index, item in enumerate(read_yaml(path).get("indicators") or []):
        line = item.get("__line__") if isinstance(item, dict) else None
        try:
            record = IndicatorRecord.model_validate(item)
        except ValidationError as exc:
            errors.extend(pydantic_errors(exc, path.name, line, f"indicators[{index}]", item))
            continue
        if record.code in seen:
            errors.add(
                record.line, "code", _("指標コード「%(c)s」が重複しています。") % {"c": record.code}
            )
        seen.add(record.code)
        records.append(record)
    errors.raise_if_any()
    return records


def fiscal_year_of_label(label):
    """'2021 (設立)' → 2021; '2023-06-06' → 2023 (the fiscal year the date falls in)."""
    try:
        date = datetime.date.fromisoformat(label[:10])
    except ValueError:
        return int(label[:4])
    return date.year if date.month >= 4 else date.year - 1


def published_member_counts(entry):
    """(fiscal year, count, as-of label) of a bio_communities.json entry's member counts."""
    points = [(p["as_of"], p["count"]) for p in entry.get("member_count_series", [])]
    if entry.get("participating_org_count") is not None:
        points.append(
            (entry.get("participating_org_count_as_of", ""), entry["participating_org_count"])
        )
    if entry.get("founding_member_count") is not None:
        points.append((entry.get("founded_on", ""), entry["founding_member_count"]))
    counts = {}
    for as_of, count in points:
        if as_of:
            counts[fiscal_year_of_label(as_of)] = (count, as_of)  # the latest point of a year wins
    return sorted((year, count, as_of) for year, (count, as_of) in counts.items())


def load_maturity(source_dir, reference_dir):
    records = parse_indicators(source_dir / "indicators.yaml")
    indicators = {}
    for order, record in enumerate(records):
        indicators[record.code] = Indicator.objects.create(
            code=record.code,
            name=record.name,
            name_en=record.name_en,
            unit=record.unit,
            category=record.category,
            higher_is_better=record.higher_is_better,
            how_counted=record.how_counted,
            thresholds=record.thresholds,
            automatic=record.automatic,
            order=order,
        )
    entries = json.loads(read_text(reference_dir / "bio_communities.json"))["communities"]
    slugs = {"nagaoka": "nagaoka", "hokkaido": "hokkaido-prime", "gtb": "greater-tokyo"}
    reports = 0
    for entry in entries:
        slug = slugs.get(entry["key"])
        if slug is None:
            continue
        community = Community.objects.get(slug=slug)
        sources = " ".join(entry.get("sources", []))[:500]
        for year, count, as_of in published_member_counts(entry):
            report = Report.objects.create(
                community=community,
                fiscal_year=year,
                state=Report.State.ACCEPTED,
                source=sources,
                review_note=_("公開情報から取り込んだ実績（reference/bio_communities.json）"),
            )
            ReportValue.objects.create(
                report=report,
                indicator=indicators["members_total"],
                value=Decimal(count),
                comment=_("公開情報の会員数（%(as_of)s 時点）") % {"as_of": as_of},
                source=sources,
            )
            reports += 1
    refresh()
    return {"indicators": len(indicators), "reports": reports}
