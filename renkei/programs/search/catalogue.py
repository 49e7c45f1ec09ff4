"""A columnar copy of what the navigator filters, counts and sorts on, shared through files.

The catalogue is a set of numpy arrays with one row per program, ordered by id. Each facet of
the table (facets.py) gets a column saying which programs have each of its values; filters
become boolean masks, facet counts are ``bincount``s or row sums, sorts are ``lexsort``s, so
a search over 50,000 programs costs a few milliseconds beyond the full-text match. Text
matching stays in the database.

Where the arrays come from (ADR 0002):

* **Files, built outside requests.** ``build_files()`` reads the whole catalogue and writes
  the arrays under ``RENKEI_INDEX_DIR`` (store.py); it runs as a background job queued by
  every catalogue write (jobs.py), in the machine's index keeper (`renkei serve`) and in
  `renkei programs reindex`. Every worker of the machine maps the same files read-only.
* **A small overlay for what changed since.** A search reads the database's catalogue
  version (one primary-key read). When it differs from the build's, the programs written
  since the build (``updated_at`` from shortly before it was taken) are read and merged over
  the mapped arrays in this process, once per version: a write shows at once, and the next
  build takes over seconds later. A request never builds the files; when the change is too
  large for an overlay (a bulk import), requests keep serving the previous build until the
  new one is in place.
"""

import bisect
import datetime
import logging
import threading

import numpy as np
from django.conf import settings
from django.utils import timezone

from renkei.ja import normalize
from renkei.programs.models import BudgetLine, CallPeriod, Program, SearchDocument
from renkei.programs.search.facets import FACETS
from renkei.programs.search.index import catalogue_state, ensure_identity
from renkei.programs.search.store import Store

log = logging.getLogger(__name__)

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
# Short fields whose matches raise relevance; kept as postings per term (see engine.py).
RANKED_FIELDS = ("name", "aliases", "keywords")
# Every field a query term may match in (backends.FIELDS): postings under "all".
MATCHED_FIELDS = ("name", "aliases", "keywords", "department", "description")
POSTINGS = (*RANKED_FIELDS, "all")
# What every program row has beside the columns the facets name.
PROGRAM_COLUMNS = ("pk", "name", "in_support_menu", "menu_order")
FORMAT = 3
ARRAYS = ("ids", "budget", "part_of_larger", "in_menu", "menu_order", "name_rank", "name_order",
          "names_blob", "names_offsets", "call_row", "call_opens", "call_closes")  # fmt: skip
# An overlay takes the programs written since this long before the build started: clocks of
# other machines a little off. (A transaction that wrote earlier and committed after the
# build started queued its own build when it committed: it shows when that one is done.)
OVERLAY_SLACK = datetime.timedelta(minutes=2)
# Beyond this many programs changed since the build, requests keep the previous build until
# the next one is in place rather than merge a large overlay in every process.
OVERLAY_LIMIT = 2000


def seconds(value):
    return int((value - EPOCH).total_seconds())


# --- columns ---------------------------------------------------------------------------------


def _popcounts(packed_values, packed_rows):
    """For each value's packed bits, how many are also set in ``packed_rows``: facet counts
    as bitwise AND and popcount over N/8 bytes instead of gathers over N rows."""
    return np.bitwise_count(packed_values & packed_rows).sum(axis=1, dtype=np.int64)


class OneValue:
    """A facet where a program has one value or none: a code per program (-1 for none)."""

    multiple = False

    def __init__(self, values, codes):
        self.values = list(values)
        self.position = {value: i for i, value in enumerate(self.values)}
        self.codes = codes

    def mask(self, positions):
        return np.isin(self.codes, positions)

    def counts(self, packed_rows):
        """Programs per value among the rows of a mask packed with np.packbits."""
        return _popcounts(self.packed(), packed_rows)

    def packed(self):
        """One bit per program for each value (packed rows of a one-hot matrix), made once."""
        if getattr(self, "_packed", None) is None:
            codes = np.asarray(self.codes)
            self._packed = np.packbits(
                codes[np.newaxis, :] == np.arange(len(self.values))[:, np.newaxis], axis=1
            )
        return self._packed

    def array(self):
        return self.codes

    def taken(self, values, keep):
        """Codes of the rows ``keep`` against ``values`` (a superset of this column's)."""
        position = {value: i for i, value in enumerate(values)}
        remap = np.array([position[v] for v in self.values] + [-1], dtype=np.int32)
        return remap[np.asarray(self.codes)[keep]]  # -1 stays -1 (the last entry)


class ManyValues:
    """A facet where a program may have several values: a row of flags per value."""

    multiple = True

    def __init__(self, values, flags):
        self.values = list(values)
        self.position = {value: i for i, value in enumerate(self.values)}
        self.flags = flags

    def mask(self, positions):
        return np.asarray(self.flags[positions]).any(axis=0)

    def counts(self, packed_rows):
        return _popcounts(self.packed(), packed_rows)

    def packed(self):
        if getattr(self, "_packed", None) is None:
            self._packed = np.packbits(np.asarray(self.flags), axis=1)
        return self._packed

    def array(self):
        return self.flags

    def taken(self, values, keep):
        position = {value: i for i, value in enumerate(values)}
        flags = np.zeros((len(values), int(np.count_nonzero(keep))), dtype=bool)
        if self.values:
            flags[[position[v] for v in self.values]] = np.asarray(self.flags)[:, keep]
        return flags


class LiveValue:
    """A facet of one value whose programs depend on the time of the search."""

    def __init__(self, value, mask):
        self.values = [value]
        self.position = {value: 0}
        self._mask = mask

    def mask(self, positions):
        return self._mask if positions else np.zeros_like(self._mask)

    def counts(self, packed_rows):
        return _popcounts(np.packbits(self._mask)[np.newaxis, :], packed_rows)


def _facet_values(facet, per_program, known=()):
    if facet.choices is not None:
        return [str(value) for value, _label in facet.choices]
    found = {v for vs in per_program for v in vs} | set(known)
    return sorted(found, reverse=facet.newest_first)


def _column(facet, programs):
    per_program = [facet.values(p) for p in programs]
    if facet.choices is not None:
        values = [str(value) for value, _label in facet.choices]
    else:
        values = _facet_values(facet, [[str(v) for v in vs] for vs in per_program])
    position = {value: i for i, value in enumerate(values)}
    if not facet.multiple:
        codes = np.fromiter(
            (position.get(str(vs[0]), -1) if vs else -1 for vs in per_program),
            dtype=np.int32,
            count=len(per_program),
        )
        return OneValue(values, codes)
    flags = np.zeros((len(values), len(per_program)), dtype=bool)
    for row, program_values in enumerate(per_program):
        for value in program_values:
            code = position.get(str(value))
            if code is not None:
                flags[code, row] = True
    return ManyValues(values, flags)


# --- postings of the short fields: term → rows ------------------------------------------------


class Postings:
    """term → rows, as sorted UTF-8 terms with offsets and one array of rows (CSR)."""

    def __init__(self, blob, term_offsets, row_offsets, rows):
        self.blob, self.term_offsets = blob, term_offsets
        self.row_offsets, self.rows = row_offsets, rows

    @classmethod
    def of(cls, index):
        terms = sorted(index, key=lambda t: t.encode())
        encoded = [t.encode() for t in terms]
        term_offsets = np.zeros(len(terms) + 1, dtype=np.int64)
        term_offsets[1:] = np.cumsum([len(e) for e in encoded])
        row_offsets = np.zeros(len(terms) + 1, dtype=np.int64)
        row_offsets[1:] = np.cumsum([len(index[t]) for t in terms])
        rows = np.array([r for t in terms for r in index[t]], dtype=np.int32)
        blob = np.frombuffer(b"".join(encoded), dtype=np.uint8)
        return cls(blob, term_offsets, row_offsets, rows)

    def __len__(self):
        return len(self.term_offsets) - 1

    def _term(self, i):
        return bytes(self.blob[self.term_offsets[i] : self.term_offsets[i + 1]])

    def get(self, term):
        """Rows whose field holds ``term`` (None when none does)."""
        key = term.encode()
        i = bisect.bisect_left(range(len(self)), key, key=self._term)
        if i < len(self) and self._term(i) == key:
            return np.asarray(self.rows[self.row_offsets[i] : self.row_offsets[i + 1]])
        return None


class MergedPostings:
    """A build's postings and an overlay's, in the merged catalogue's rows."""

    def __init__(self, base, base_rows, delta, delta_rows):
        self.base, self.base_rows = base, base_rows
        self.delta, self.delta_rows = delta, delta_rows

    def get(self, term):
        parts = []
        if self.base is not None and (rows := self.base.get(term)) is not None:
            rows = self.base_rows[rows]
            parts.append(rows[rows >= 0])
        if (rows := self.delta.get(term)) is not None:
            parts.append(self.delta_rows[rows])
        return np.concatenate(parts) if parts else None


# --- the catalogue ------------------------------------------------------------------------------


class Catalogue:
    """The arrays a search reads; ``ids`` sorted ascending, one row per program."""

    def __init__(self, key, arrays, columns, postings, meta):
        self.key = key  # changes whenever the rows may have changed (build, db version)
        self.version = key
        self.ids = arrays["ids"]
        self.budget = arrays["budget"]  # headline amount in thousand yen, -1 unknown
        self.part_of_larger = arrays["part_of_larger"]
        self.in_menu = arrays["in_menu"]
        self.menu_order = arrays["menu_order"]
        self.name_rank = arrays["name_rank"]
        self.call_row = arrays["call_row"]  # one entry per call period with dates
        self.call_opens = arrays["call_opens"]
        self.call_closes = arrays["call_closes"]
        self.arrays = arrays
        self.columns = columns  # facet name → OneValue or ManyValues (not the live ones)
        self.postings = postings  # field → Postings
        self.meta = meta

    def __len__(self):
        return len(self.ids)

    def column(self, facet, now):
        if facet.live is not None:
            return LiveValue(facet.choices[0][0], facet.live(self, now))
        return self.columns[facet.name]

    def field_rows(self, field_name, term):
        """Rows whose ``field_name`` (or any field: "all") holds ``term``; None if none."""
        return self.postings[field_name].get(term)

    def rows_of(self, ids):
        """Rows of program ids (every id must be in the catalogue)."""
        return np.searchsorted(self.ids, np.asarray(ids, dtype=np.int64))

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

    def name_key(self, row):
        """(normalised name, id) of the row at ``row`` in name order (for merging)."""
        start, end = self.arrays["names_offsets"][row : row + 2]
        name = bytes(self.arrays["names_blob"][start:end]).decode()
        return name, int(self.ids[self.arrays["name_order"][row]])


def _programs(ids=None):
    """Programs (all, or those of ``ids``) as dicts of the columns the facets read, with
    their headline budget (``budget``, ``part_of_larger``) and the fiscal years of their
    budget lines."""
    columns = dict.fromkeys([*PROGRAM_COLUMNS, *(c for f in FACETS for c in f.columns)])
    programs_qs = Program.objects.order_by("pk")
    lines = BudgetLine.objects.all()
    if ids is not None:
        programs_qs, lines = programs_qs.filter(pk__in=ids), lines.filter(program_id__in=ids)
    programs = list(programs_qs.values(*columns))
    row_of = {p["pk"]: row for row, p in enumerate(programs)}
    headline_year = {}
    for program in programs:
        program.update(budget=None, part_of_larger=False, fiscal_years=set())
    for program_id, year, amount, is_part, headline in lines.values_list(
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


def tables(ids=None):
    """The arrays of the programs (all, or those of ``ids``): (arrays, columns, postings)."""
    programs, row_of = _programs(ids)
    names = [normalize(p["name"]) for p in programs]
    name_order = np.argsort(np.array(names, dtype=object), kind="stable").astype(np.int64)
    name_rank = np.empty(len(programs), dtype=np.float64)
    name_rank[name_order] = np.arange(len(programs))
    encoded = [names[row].encode() for row in name_order]
    names_offsets = np.zeros(len(programs) + 1, dtype=np.int64)
    names_offsets[1:] = np.cumsum([len(e) for e in encoded])
    field_index: dict = {name: {} for name in POSTINGS}
    documents = SearchDocument.objects.order_by("program_id").values_list(
        "program_id", *MATCHED_FIELDS
    )
    if ids is not None:
        documents = documents.filter(program_id__in=ids)
    everywhere = field_index["all"]
    for program_id, *fields in documents.iterator(chunk_size=5000):
        row = row_of.get(program_id)
        if row is None:
            continue
        for name, text in zip(MATCHED_FIELDS, fields, strict=True):
            if name in field_index:
                for term in text.split():
                    field_index[name].setdefault(term, []).append(row)
        for term in set(" ".join(fields).split()):
            everywhere.setdefault(term, []).append(row)
    calls = CallPeriod.objects.filter(opens_at__isnull=False, closes_at__isnull=False)
    if ids is not None:
        calls = calls.filter(program_id__in=ids)
    calls = [
        (row_of[pid], opens, closes)
        for pid, opens, closes in calls.values_list("program_id", "opens_at", "closes_at")
        if pid in row_of
    ]
    arrays = {
        "ids": np.array([p["pk"] for p in programs], dtype=np.int64),
        "budget": np.array(
            [-1 if p["budget"] is None else p["budget"] for p in programs], np.int64
        ),
        "part_of_larger": np.array([bool(p["part_of_larger"]) for p in programs], dtype=bool),
        "in_menu": np.array([bool(p["in_support_menu"]) for p in programs], dtype=bool),
        "menu_order": np.array([p["menu_order"] for p in programs], dtype=np.int32),
        "name_rank": name_rank,
        "name_order": name_order,
        "names_blob": np.frombuffer(b"".join(encoded), dtype=np.uint8),
        "names_offsets": names_offsets,
        "call_row": np.array([c[0] for c in calls], dtype=np.int64),
        "call_opens": np.array([seconds(c[1]) for c in calls], dtype=np.int64),
        "call_closes": np.array([seconds(c[2]) for c in calls], dtype=np.int64),
    }
    columns = {f.name: _column(f, programs) for f in FACETS if f.live is None}
    postings = {name: Postings.of(index) for name, index in field_index.items()}
    return arrays, columns, postings


# --- files -------------------------------------------------------------------------------------


def store_for(identity):
    return Store(settings.RENKEI_INDEX_DIR / "programs" / str(identity))


def build_files(force=False):
    """Build this machine's catalogue files from the database unless they are current.

    Runs outside requests only: a background job after each catalogue write, the machine's
    index keeper, `renkei programs reindex`. The version is read before the rows, so a write
    that commits while the rows are read shows as a newer version and goes to the overlay.
    Returns the seconds the build took, or None when the files were current (or another
    builder of this machine holds the lock and will bring them up to date)."""
    identity = ensure_identity()
    store = store_for(identity)
    with store.lock(wait=False) as acquired:
        if not acquired:
            return None
        started = timezone.now()
        version, _identity = catalogue_state()
        current = store.current()
        if (
            not force
            and current is not None
            and current.meta.get("version") == version
            and current.meta.get("format") == FORMAT
        ):
            return None
        clock = datetime.datetime.now(datetime.UTC)
        arrays, columns, postings = tables()
        files = dict(arrays)
        for name, column in columns.items():
            files[f"facet.{name}"] = column.array()
        for name, index in postings.items():
            files[f"field.{name}.blob"] = index.blob
            files[f"field.{name}.terms"] = index.term_offsets
            files[f"field.{name}.offsets"] = index.row_offsets
            files[f"field.{name}.rows"] = index.rows
        meta = {
            "format": FORMAT,
            "version": version,
            "identity": identity,
            "snapshot_at": started.isoformat(),
            "count": len(arrays["ids"]),
            "max_id": int(arrays["ids"][-1]) if len(arrays["ids"]) else 0,
            "facets": {
                name: {"multiple": column.multiple, "values": column.values}
                for name, column in columns.items()
            },
        }
        seconds_taken = (datetime.datetime.now(datetime.UTC) - clock).total_seconds()
        meta["build_seconds"] = round(seconds_taken, 3)
        store.write(files, meta)
        log.info(
            "programs catalogue files built: %s programs in %.1f s (version %s)",
            meta["count"],
            seconds_taken,
            version,
        )
        return seconds_taken


def _mapped(build):
    """The catalogue of a build's files, its arrays mapped read-only."""
    meta = build.meta
    arrays = {key: build[key] for key in ARRAYS}
    columns = {
        name: (ManyValues if spec["multiple"] else OneValue)(spec["values"], build[f"facet.{name}"])
        for name, spec in meta["facets"].items()
    }
    postings = {
        name: Postings(
            build[f"field.{name}.blob"],
            build[f"field.{name}.terms"],
            build[f"field.{name}.offsets"],
            build[f"field.{name}.rows"],
        )
        for name in POSTINGS
    }
    return Catalogue(("build", str(build.path)), arrays, columns, postings, meta)


# --- the overlay -------------------------------------------------------------------------------


def _name_keys(base, delta):
    """Name-order keys for the overlay's rows that fall between the build's rows."""
    n = len(delta)
    keys = np.empty(n, dtype=np.float64)
    if n == 0:
        return keys
    order = np.asarray(delta.arrays["name_order"])
    slots = []
    for position in range(n):  # the overlay's rows in (name, id) order
        if base is None or len(base) == 0:
            slots.append(0)
            continue
        wanted = delta.name_key(position)
        slots.append(bisect.bisect_left(range(len(base)), wanted, key=base.name_key))
    i = 0
    while i < n:  # rows sharing a slot spread evenly inside it, in order
        j = i
        while j < n and slots[j] == slots[i]:
            j += 1
        for k in range(i, j):
            keys[order[k]] = slots[i] - 1 + (k - i + 1) / (j - i + 1)
        i = j
    return keys


def merge(base, delta, removed_ids, key):
    """The build ``base`` (or None) without ``removed_ids``, with ``delta``'s rows added,
    in id order."""
    if base is None:
        base_ids = np.zeros(0, dtype=np.int64)
        keep = np.zeros(0, dtype=bool)
    else:
        base_ids = np.asarray(base.ids)
        keep = ~np.isin(base_ids, np.asarray(sorted(removed_ids), dtype=np.int64))
    kept = int(np.count_nonzero(keep))
    ids = np.concatenate([base_ids[keep], delta.ids])
    order = None if np.all(ids[1:] > ids[:-1]) else np.argsort(ids, kind="stable")

    def arrange(array):
        return array if order is None else array[..., order]

    def joined(name):
        part = np.asarray(base.arrays[name])[keep] if base is not None else delta.arrays[name][:0]
        return arrange(np.concatenate([part, delta.arrays[name]]))

    new_row = np.arange(len(ids))
    if order is not None:
        new_row = np.empty(len(ids), dtype=np.int64)
        new_row[order] = np.arange(len(ids))
    base_rows = np.full(len(base_ids), -1, dtype=np.int64)
    base_rows[keep] = new_row[:kept]
    delta_rows = new_row[kept:]

    name_rank = np.concatenate(
        [
            np.asarray(base.name_rank)[keep] if base is not None else np.zeros(0),
            _name_keys(base, delta),
        ]
    )
    arrays = {
        "ids": arrange(ids),
        "name_rank": arrange(name_rank),
        **{name: joined(name) for name in ("budget", "part_of_larger", "in_menu", "menu_order")},
    }
    # calls: the kept rows' calls, then the overlay's
    if base is not None:
        base_call_rows = np.asarray(base.call_row)
        kept_calls = keep[base_call_rows] if len(base_call_rows) else np.zeros(0, bool)
        call_parts = [
            (base_rows[base_call_rows[kept_calls]], np.asarray(base.call_opens)[kept_calls],
             np.asarray(base.call_closes)[kept_calls]),
        ]  # fmt: skip
    else:
        call_parts = []
    call_parts.append((delta_rows[delta.call_row], delta.call_opens, delta.call_closes))
    arrays["call_row"] = np.concatenate([p[0] for p in call_parts]).astype(np.int64)
    arrays["call_opens"] = np.concatenate([p[1] for p in call_parts]).astype(np.int64)
    arrays["call_closes"] = np.concatenate([p[2] for p in call_parts]).astype(np.int64)
    # names in order are only needed by a build's files; an overlay is never merged again
    columns = {}
    for facet in FACETS:
        if facet.live is not None:
            continue
        own = delta.columns[facet.name]
        known = base.columns[facet.name].values if base is not None else []
        values = _facet_values(facet, [own.values], known)
        parts = [own.taken(values, np.ones(len(delta), dtype=bool))]
        if base is not None:
            parts.insert(0, base.columns[facet.name].taken(values, keep))
        if own.multiple:
            columns[facet.name] = ManyValues(values, arrange(np.concatenate(parts, axis=1)))
        else:
            columns[facet.name] = OneValue(values, arrange(np.concatenate(parts)))
    postings = {
        name: MergedPostings(
            base.postings[name] if base is not None else None,
            base_rows,
            delta.postings[name],
            delta_rows,
        )
        for name in POSTINGS
    }
    meta = dict(base.meta) if base is not None else {}
    return Catalogue(key, arrays, columns, postings, meta)


def _in_memory(ids, key):
    arrays, columns, postings = tables(ids)
    return Catalogue(key, arrays, columns, postings, {})


def overlay(base, version, identity):
    """The catalogue at the database's ``version``: the build ``base`` (None if this machine
    has none for the database) with the programs written since merged over it."""
    key = ("overlay", base.key if base is not None else None, version)
    if base is None:
        # No files for this database on this machine yet (a fresh node before its keeper's
        # first build, a development server without a worker, the tests): the whole
        # catalogue is the overlay. Small catalogues only, in practice; say so when not.
        delta = _in_memory(None, key)
        if len(delta) > OVERLAY_LIMIT:
            log.warning(
                "no catalogue files under %s for this database: %s programs read into this "
                "process (start `renkei serve`, `renkei worker` or run `renkei programs "
                "reindex`)",
                settings.RENKEI_INDEX_DIR,
                len(delta),
            )
        return merge(None, delta, (), key)
    since = datetime.datetime.fromisoformat(base.meta["snapshot_at"]) - OVERLAY_SLACK
    changed = list(
        Program.objects.filter(updated_at__gte=since)
        .order_by()
        .values_list("pk", flat=True)[: OVERLAY_LIMIT + 1]
    )
    if len(changed) > OVERLAY_LIMIT:
        log.info("more than %s programs changed since the build: serving it", OVERLAY_LIMIT)
        return base
    max_id, base_ids = base.meta["max_id"], np.asarray(base.ids)
    changed_ids = np.array(sorted(changed), dtype=np.int64)
    new_below = changed_ids[(changed_ids <= max_id) & ~np.isin(changed_ids, base_ids)]
    still = Program.objects.filter(pk__lte=max_id).count() - len(new_below)
    removed = set(changed)
    if still != len(base):  # programs deleted since the build: find which
        present = np.fromiter(
            Program.objects.filter(pk__lte=max_id).values_list("pk", flat=True), dtype=np.int64
        )
        removed |= {int(pk) for pk in np.setdiff1d(base_ids, present)}
    if not removed:
        return base
    return merge(base, _in_memory(changed, key), removed, key)


_lock = threading.Lock()
_held: dict = {}


def _mapped_build(identity):
    """This process's view of the machine's current build for the database (or None)."""
    where = (str(settings.RENKEI_INDEX_DIR), identity)
    store = _held.get(("store", where))
    if store is None:
        store = _held[("store", where)] = store_for(identity)
    build = store.current()
    if build is None or build.meta.get("format") != FORMAT:
        return None
    cached = _held.get(("mapped", where))
    if cached is None or cached.key != ("build", str(build.path)):
        cached = _held[("mapped", where)] = _mapped(build)
    return cached


def get():
    """The current catalogue: the machine's build, with an overlay when the database has
    moved on since. Never builds the files."""
    version, identity = catalogue_state()
    base = _mapped_build(identity) if identity else None
    key = (base.key if base is not None else None, version)
    cached = _held.get("catalogue")
    if cached is not None and cached[0] == key:
        return cached[1]
    with _lock:
        cached = _held.get("catalogue")
        if cached is None or cached[0] != key:
            if base is not None and base.meta.get("version") == version:
                catalogue = base
            else:
                catalogue = overlay(base, version, identity)
            cached = _held["catalogue"] = (key, catalogue)
    return cached[1]


def now():
    return timezone.now()
