"""An in-memory, columnar copy of what the navigator filters, counts and sorts on.

Each server process keeps one ``Catalogue`` per catalogue version (see indexing.py): numpy
arrays with one row per program. Filters become boolean masks, facet counts are
``bincount``s, sorts are ``lexsort``s, so a search over 50,000 programs costs a few
milliseconds beyond the full-text match. Text matching and relevance stay in the database.
"""

import datetime
import threading
from dataclasses import dataclass

import numpy as np
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renkei.ja import normalize
from renkei.programs.indexing import current_version
from renkei.programs.models import (
    Aim,
    BudgetLine,
    CallPeriod,
    MarketArea,
    Program,
    SearchDocument,
    Stage,
)

FY_BASE = 1990  # bit k of fy_mask is fiscal year FY_BASE + k
APPLICANT_BITS = {"university": 1, "company": 2, "local_government": 4}
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
# Short fields whose matches raise relevance; kept in memory per term (see search.py).
RANKED_FIELDS = ("name", "aliases", "keywords")


class BudgetSize(models.TextChoices):
    """The budget facet: the size of a program's headline amount, 内数 apart."""

    UNDER_100M = "under_100m", _("1億円未満")
    FROM_100M_TO_1B = "100m_1b", _("1億円以上10億円未満")
    FROM_1B_TO_10B = "1b_10b", _("10億円以上100億円未満")
    OVER_10B = "over_10b", _("100億円以上")
    PART_OF_LARGER = "part_of_larger", _("内数（より大きな予算事項の一部）")
    UNKNOWN = "unknown", _("記載なし")


def budget_bucket(amount, part_of_larger):
    if amount is None:
        return BudgetSize.UNKNOWN
    if part_of_larger:
        return BudgetSize.PART_OF_LARGER
    if amount < 100_000:
        return BudgetSize.UNDER_100M
    if amount < 1_000_000:
        return BudgetSize.FROM_100M_TO_1B
    if amount < 10_000_000:
        return BudgetSize.FROM_1B_TO_10B
    return BudgetSize.OVER_10B


def seconds(value):
    return int((value - EPOCH).total_seconds())


def _codes(values, choices):
    index = {value: i for i, value in enumerate(choices)}
    return np.array([index.get(v, -1) for v in values], dtype=np.int16)


@dataclass
class Catalogue:
    version: int
    ids: np.ndarray
    row_of: dict
    ministry_codes: list
    ministry: np.ndarray
    market_area: np.ndarray
    stage: np.ndarray
    aim: np.ndarray
    applicants: np.ndarray
    accepts_new: np.ndarray  # 1 yes, 0 no, -1 unknown
    budget: np.ndarray  # headline amount in thousand yen, -1 unknown
    part_of_larger: np.ndarray
    budget_bucket: np.ndarray
    fy_mask: np.ndarray
    in_menu: np.ndarray
    menu_order: np.ndarray
    name_rank: np.ndarray
    call_row: np.ndarray  # one entry per call period with dates
    call_opens: np.ndarray
    call_closes: np.ndarray
    fiscal_years: list
    field_index: dict  # field → term → rows whose field has the term (name, aliases, keywords)

    def __len__(self):
        return len(self.ids)

    def open_mask(self, now):
        t = seconds(now)
        live = (self.call_opens <= t) & (self.call_closes >= t)
        mask = np.zeros(len(self.ids), dtype=bool)
        mask[self.call_row[live]] = True
        return mask

    def next_close(self, now):
        """Seconds of each program's next deadline still ahead (max int where none)."""
        t = seconds(now)
        ahead = self.call_closes >= t
        result = np.full(len(self.ids), np.iinfo(np.int64).max, dtype=np.int64)
        np.minimum.at(result, self.call_row[ahead], self.call_closes[ahead])
        return result


def build():
    """Read the catalogue from the database into arrays."""
    version = current_version()
    rows = list(
        Program.objects.order_by("pk").values_list(
            "pk",
            "ministry__code",
            "market_area",
            "stage",
            "aim",
            "for_university",
            "for_company",
            "for_local_government",
            "accepts_new_projects",
            "in_support_menu",
            "menu_order",
            "name",
        )
    )
    ids = np.array([r[0] for r in rows], dtype=np.int64)
    row_of = {pk: i for i, pk in enumerate(ids.tolist())}
    ministry_codes = sorted({r[1] for r in rows if r[1]})
    applicants = np.array(
        [(1 if r[5] else 0) | (2 if r[6] else 0) | (4 if r[7] else 0) for r in rows], dtype=np.uint8
    )
    accepts = np.array([-1 if r[8] is None else int(r[8]) for r in rows], dtype=np.int8)
    names = [normalize(r[11]) for r in rows]
    name_rank = np.empty(len(rows), dtype=np.int64)
    name_rank[np.argsort(np.array(names, dtype=object), kind="stable")] = np.arange(len(rows))

    budget = np.full(len(rows), -1, dtype=np.int64)
    part = np.zeros(len(rows), dtype=bool)
    fy_mask = np.zeros(len(rows), dtype=np.uint64)
    headline_year = np.full(len(rows), -1, dtype=np.int32)
    years = set()
    for program_id, year, amount, is_part, headline in BudgetLine.objects.values_list(
        "program_id", "fiscal_year", "amount_thousand_yen", "is_part_of_larger", "is_headline"
    ):
        row = row_of.get(program_id)
        if row is None:
            continue
        years.add(year)
        if 0 <= year - FY_BASE < 64:
            fy_mask[row] |= np.uint64(1 << (year - FY_BASE))
        if headline and year > headline_year[row] and amount is not None:
            headline_year[row] = year
            budget[row] = amount
            part[row] = is_part
    buckets = np.array(
        [
            BudgetSize.values.index(budget_bucket(None if b < 0 else int(b), bool(p)))
            for b, p in zip(budget, part, strict=True)
        ],
        dtype=np.int8,
    )
    field_index = {field: {} for field in RANKED_FIELDS}
    for program_id, *fields in SearchDocument.objects.values_list("program_id", *RANKED_FIELDS):
        row = row_of.get(program_id)
        if row is None:
            continue
        for field, text in zip(RANKED_FIELDS, fields, strict=True):
            for term in text.split():
                field_index[field].setdefault(term, []).append(row)
    field_index = {
        field: {term: np.array(rows, dtype=np.int64) for term, rows in index.items()}
        for field, index in field_index.items()
    }
    calls = [
        (row_of[pid], opens, closes)
        for pid, opens, closes in CallPeriod.objects.filter(
            opens_at__isnull=False, closes_at__isnull=False
        ).values_list("program_id", "opens_at", "closes_at")
        if pid in row_of
    ]
    return Catalogue(
        version=version,
        ids=ids,
        row_of=row_of,
        ministry_codes=ministry_codes,
        ministry=np.array(
            [ministry_codes.index(r[1]) if r[1] else -1 for r in rows], dtype=np.int16
        ),
        market_area=_codes([r[2] for r in rows], MarketArea.values),
        stage=_codes([r[3] for r in rows], Stage.values),
        aim=_codes([r[4] for r in rows], Aim.values),
        applicants=applicants,
        accepts_new=accepts,
        budget=budget,
        part_of_larger=part,
        budget_bucket=buckets,
        fy_mask=fy_mask,
        in_menu=np.array([bool(r[9]) for r in rows], dtype=bool),
        menu_order=np.array([r[10] for r in rows], dtype=np.int32),
        name_rank=name_rank,
        call_row=np.array([c[0] for c in calls], dtype=np.int64),
        call_opens=np.array([seconds(c[1]) for c in calls], dtype=np.int64),
        call_closes=np.array([seconds(c[2]) for c in calls], dtype=np.int64),
        fiscal_years=sorted(years, reverse=True),
        field_index=field_index,
    )


_lock = threading.Lock()
_held = {}


def get():
    """The current catalogue, rebuilt when the database's version has moved on."""
    version = current_version()
    cached = _held.get("catalogue")
    if cached is not None and cached.version == version:
        return cached
    with _lock:
        cached = _held.get("catalogue")
        if cached is None or cached.version != version:
            cached = build()
            _held["catalogue"] = cached
    return cached


def now():
    return timezone.now()
