"""An in-memory, columnar copy of what the navigator filters, counts and sorts on.

Each server process keeps one ``Catalogue`` per catalogue version (see index.py): numpy
arrays with one row per program. Each facet of the table (facets.py) gets a column saying
which programs have each of its values; filters become boolean masks, facet counts are
``bincount``s or row sums, sorts are ``lexsort``s, so a search over 50,000 programs costs a
few milliseconds beyond the full-text match. Text matching stays in the database.
"""

import datetime
import threading
from dataclasses import dataclass

import numpy as np
from django.utils import timezone

from renkei.ja import normalize
from renkei.programs.models import BudgetLine, CallPeriod, Program, SearchDocument
from renkei.programs.search.facets import FACETS
from renkei.programs.search.index import current_version

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
# Short fields whose matches raise relevance; kept in memory per term (see engine.py).
RANKED_FIELDS = ("name", "aliases", "keywords")
# What every program row has beside the columns the facets name.
PROGRAM_COLUMNS = ("pk", "name", "in_support_menu", "menu_order")


def seconds(value):
    return int((value - EPOCH).total_seconds())


class OneValue:
    """A facet where a program has one value or none: a code per program (-1 for none)."""

    def __init__(self, values, per_program):
        self.values = values
        self.position = {value: i for i, value in enumerate(values)}
        self.codes = np.array(
            [self.position.get(v[0], -1) if v else -1 for v in per_program], dtype=np.int32
        )

    def mask(self, positions):
        return np.isin(self.codes, positions)

    def counts(self, rows):
        codes = self.codes[rows]
        return np.bincount(codes[codes >= 0], minlength=len(self.values))


class ManyValues:
    """A facet where a program may have several values: a row of flags per value."""

    def __init__(self, values, per_program):
        self.values = values
        self.position = {value: i for i, value in enumerate(values)}
        self.flags = np.zeros((len(values), len(per_program)), dtype=bool)
        for row, program_values in enumerate(per_program):
            for value in program_values:
                self.flags[self.position[value], row] = True

    def mask(self, positions):
        return self.flags[positions].any(axis=0)

    def counts(self, rows):
        return np.count_nonzero(self.flags[:, rows], axis=1)


class LiveValue:
    """A facet of one value whose programs depend on the time of the search."""

    def __init__(self, value, mask):
        self.values = [value]
        self.position = {value: 0}
        self._mask = mask

    def mask(self, positions):
        return self._mask if positions else np.zeros_like(self._mask)

    def counts(self, rows):
        return np.array([np.count_nonzero(self._mask & rows)])


def _column(facet, programs):
    per_program = [[str(v) for v in facet.values(p)] for p in programs]
    if facet.choices is not None:
        values = [str(value) for value, _label in facet.choices]
        known = set(values)
        per_program = [[v for v in vs if v in known] for vs in per_program]
    else:
        values = sorted({v for vs in per_program for v in vs}, reverse=facet.newest_first)
    return (ManyValues if facet.multiple else OneValue)(values, per_program)


@dataclass
class Catalogue:
    version: int
    ids: np.ndarray
    row_of: dict
    columns: dict  # facet name → OneValue or ManyValues (facets with ``live`` are made per search)
    budget: np.ndarray  # headline amount in thousand yen, -1 unknown
    part_of_larger: np.ndarray
    in_menu: np.ndarray
    menu_order: np.ndarray
    name_rank: np.ndarray
    call_row: np.ndarray  # one entry per call period with dates
    call_opens: np.ndarray
    call_closes: np.ndarray
    field_index: dict  # field → term → rows whose field has the term (name, aliases, keywords)

    def __len__(self):
        return len(self.ids)

    def column(self, facet, now):
        if facet.live is not None:
            return LiveValue(facet.choices[0][0], facet.live(self, now))
        return self.columns[facet.name]

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


def _programs():
    """Every program as a dict of the columns the facets read, with its headline budget
    (``budget``, ``part_of_larger``) and the fiscal years of its budget lines."""
    columns = dict.fromkeys([*PROGRAM_COLUMNS, *(c for f in FACETS for c in f.columns)])
    programs = list(Program.objects.order_by("pk").values(*columns))
    row_of = {p["pk"]: row for row, p in enumerate(programs)}
    headline_year = {}
    for program in programs:
        program.update(budget=None, part_of_larger=False, fiscal_years=set())
    for program_id, year, amount, is_part, headline in BudgetLine.objects.values_list(
        "program_id", "fiscal_year", "amount_thousand_yen", "is_part_of_larger", "is_headline"
    ):
        row = row_of.get(program_id)
        if row is None:
            continue
        program = programs[row]
        program["fiscal_years"].add(year)
        if headline and amount is not None and year > headline_year.get(row, -1):
            headline_year[row] = year
            program.update(budget=amount, part_of_larger=is_part)
    return programs, row_of


def build():
    """Read the catalogue from the database into arrays."""
    version = current_version()
    programs, row_of = _programs()
    names = [normalize(p["name"]) for p in programs]
    name_rank = np.empty(len(programs), dtype=np.int64)
    name_rank[np.argsort(np.array(names, dtype=object), kind="stable")] = np.arange(len(programs))
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
        ids=np.array([p["pk"] for p in programs], dtype=np.int64),
        row_of=row_of,
        columns={f.name: _column(f, programs) for f in FACETS if f.live is None},
        budget=np.array([-1 if p["budget"] is None else p["budget"] for p in programs], np.int64),
        part_of_larger=np.array([bool(p["part_of_larger"]) for p in programs], dtype=bool),
        in_menu=np.array([bool(p["in_support_menu"]) for p in programs], dtype=bool),
        menu_order=np.array([p["menu_order"] for p in programs], dtype=np.int32),
        name_rank=name_rank,
        call_row=np.array([c[0] for c in calls], dtype=np.int64),
        call_opens=np.array([seconds(c[1]) for c in calls], dtype=np.int64),
        call_closes=np.array([seconds(c[2]) for c in calls], dtype=np.int64),
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
