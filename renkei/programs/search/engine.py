"""The one search function the page, the API and the command line use.

``search_programs(params)`` takes validated ``SearchParams`` and returns a ``SearchResult``:
the page of programs, the total, facet counts (each facet counted with every other filter
applied, so choosing a value never hides its siblings), the analysed query terms and the
relevance scores. Which programs contain each query term comes from the postings of the
catalogue files (catalogue.py), the same on SQLite and PostgreSQL; relevance, filters,
facets and sorting run on the catalogue's arrays, one facet at a time as the facet table
(facets.py) lists them, and only the page's programs are read from the database.
"""

from dataclasses import dataclass, field

import numpy as np
from django.db.models import ManyToOneRel, Prefetch, prefetch_related_objects

from renkei.ja import terms as analyse
from renkei.lib.params import ParamError
from renkei.programs.models import Program
from renkei.programs.search import catalogue as catalogue_module
from renkei.programs.search import semantic
from renkei.programs.search.backends import index_term
from renkei.programs.search.facets import FACETS
from renkei.programs.search.params import SearchParams, Sort


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class FacetCounts:
    name: str
    label: str
    values: list
    choose_one: bool = False  # pick one value or none, rather than any number

    @property
    def chosen(self):
        return any(value.selected for value in self.values)

    @property
    def empty(self):
        """Nothing to choose here: every count is zero and nothing is chosen."""
        return not any(value.count or value.selected for value in self.values)


@dataclass
class SearchResult:
    params: SearchParams
    total: int
    items: list
    facets: list = field(default_factory=list)
    terms: list = field(default_factory=list)
    scores: dict = field(default_factory=dict)
    relaxed: bool = False
    unsearchable: bool = False
    # When no program contains the words (search_programs(..., similar=True)): the programs
    # closest in meaning (similar_by "meaning"), or, without the model, those containing
    # some of the words (similar_by "words", with similar_terms the words they contain).
    similar: list = field(default_factory=list)
    similar_by: str = ""
    similar_terms: list = field(default_factory=list)

    @property
    def pages(self):
        return max(1, -(-self.total // self.params.page_size))

    def facet(self, name):
        return next(f for f in self.facets if f.name == name)

    @property
    def folded_facets(self):
        """On an empty result, the facets with nothing to choose (every count zero), which the
        page folds away; none otherwise."""
        return [] if self.total else [f for f in self.facets if f.empty]

    @property
    def open_facets(self):
        folded = self.folded_facets
        return [f for f in self.facets if f not in folded]


def query_terms(q):
    """The index terms of a query, in order, each once."""
    found = []
    for term in analyse(q, long_units=False):
        term = index_term(term)
        if term and term not in found:
            found.append(term)
    return found


# Relevance: each matched query term adds its idf, multiplied when it is in a short field.
FIELD_BOOST = {"name": 9.0, "aliases": 7.0, "keywords": 4.0}


def _term_rows(cat, terms):
    """For each term, the catalogue rows whose documents contain it: the postings of the
    catalogue files (ADR 0002), the same on every database engine."""
    empty = np.zeros(0, dtype=np.int64)
    found = {}
    for term in terms:
        rows = cat.field_rows("all", term)
        found[term] = empty if rows is None else np.asarray(rows, dtype=np.int64)
    return found


def relaxed_minimum(terms):
    """How many of the query's terms a program must contain when none contains them all:
    half of them, rounded up (one of two, two of three, four of seven), so that a long
    question never falls back to a program sharing one common word (「利用」) with it."""
    return max(1, -(-len(terms) // 2))


def text_match(cat, terms):
    """(mask, scores, relaxed) for the query terms.

    A program matches when it contains every term; when no program does and there are
    several terms, when it contains at least half of them (relaxed, relaxed_minimum),
    ranked first by how many it contains.
    Score = Σ over contained terms of idf(term) × (1 + boost of each short field holding it),
    with idf = ln(1 + (N − df + 0.5) / (df + 0.5)). Computed from the catalogue's postings,
    so both engines rank identically.
    """
    n = len(cat)
    rows = _term_rows(cat, terms)
    present = {}
    for term, term_rows in rows.items():
        mask = np.zeros(n, dtype=bool)
        mask[term_rows] = True
        present[term] = mask
    coverage = np.zeros(n, dtype=np.int32)
    scores = np.zeros(n, dtype=np.float64)
    for term, mask in present.items():
        df = int(mask.sum())
        idf = float(np.log(1 + (n - df + 0.5) / (df + 0.5)))
        weight = np.ones(n, dtype=np.float64)
        for name, boost in FIELD_BOOST.items():
            field_rows = cat.field_rows(name, term)
            if field_rows is not None:
                weight[field_rows] += boost
        coverage += mask
        scores += np.where(mask, idf * weight, 0.0)
    matched = coverage == len(terms)
    relaxed = False
    if not matched.any() and len(terms) > 1:
        matched = coverage >= relaxed_minimum(terms)
        relaxed = bool(matched.any())
        scores = scores + coverage * 1000.0  # more terms contained always ranks first
    return matched, scores, relaxed


def _similar(cat, params, terms, masks):
    """(rows, by, words) offered when no program contains the words: the programs closest
    in meaning (semantic.py) among those the chosen filters allow; without the model, the
    programs containing any of the words, most words first, and which words they hold."""
    allowed = _combine(np.ones(len(cat), dtype=bool), masks)
    try:
        return semantic.nearest_rows(cat, params.q, allowed), "meaning", []
    except semantic.Unavailable:
        pass
    rows = _term_rows(cat, terms)
    coverage = np.zeros(len(cat), dtype=np.int32)
    for term_rows in rows.values():
        coverage[term_rows] += 1
    candidates = np.flatnonzero((coverage > 0) & allowed)
    if not len(candidates):
        return candidates, "", []
    _mask, scores, _relaxed = text_match(cat, terms)
    order = np.lexsort((cat.name_rank[candidates], -scores[candidates], -coverage[candidates]))
    chosen = candidates[order][: semantic.NEAREST]
    words = [t for t, term_rows in rows.items() if np.isin(chosen, term_rows).any()]
    return chosen, "words", words


def _masks(cat, params, now):
    """One boolean mask per facet the search asks something of."""
    masks = {}
    for facet in FACETS:
        wanted = facet.selected(params)
        if not wanted:
            continue
        column = cat.column(facet, now)
        missing = [value for value in wanted if value not in column.position]
        if missing and facet.unknown:
            raise ParamError(
                facet.name,
                facet.unknown % {"code": missing[0], "codes": ", ".join(column.values)},
            )
        masks[facet.name] = column.mask([column.position[v] for v in wanted if v not in missing])
    return masks


def _combine(base, masks, skip=None):
    mask = base.copy()
    for name, m in masks.items():
        if name != skip:
            mask &= m
    return mask


def _facets(cat, params, base, masks, now):
    facets = []
    packed = {}  # the mask each facet is counted under (the other filters), packed once
    for facet in FACETS:
        column = cat.column(facet, now)
        others = tuple(name for name in masks if name != facet.name)
        if others not in packed:
            packed[others] = np.packbits(_combine(base, masks, facet.name))
        counts = column.counts(packed[others])
        if facet.choices is not None:
            labels = dict(facet.choices)
        else:
            labels = facet.labels(cat) if facet.labels else {}
        selected = set(facet.selected(params))
        facets.append(
            FacetCounts(
                facet.name,
                str(facet.label),
                [
                    FacetValue(value, str(labels.get(value, value)), int(count), value in selected)
                    for value, count in zip(column.values, counts, strict=True)
                ],
                choose_one=facet.choose_one,
            )
        )
    return facets


def _keys(cat, params, rows, scores, now):
    """Sort keys of ``rows`` as np.lexsort takes them (the last is the first key); name and
    id (the name rank) break ties so the order is stable."""
    name = cat.name_rank[rows]
    if params.sort == Sort.BUDGET:
        budget = cat.budget[rows]
        group = np.where(budget < 0, 2, np.where(cat.part_of_larger[rows], 1, 0))
        return (name, -budget, group)
    if params.sort == Sort.CLOSE_DATE:
        return (name, cat.next_close(now)[rows])
    if params.sort == Sort.NAME:
        return (name,)
    if scores is not None:
        return (name, cat.menu_order[rows], -np.round(scores[rows], 9))
    return (name, cat.menu_order[rows], ~cat.in_menu[rows])


def _order(cat, params, rows, scores, now):
    """Every row sorted by the requested key."""
    return rows[np.lexsort(_keys(cat, params, rows, scores, now))]


def first_in_order(keys, k):
    """Positions of the first ``k`` in lexsort order of ``keys``, without sorting them all.

    Key by key from the first: the rows strictly before the k-th value go in whole, the
    rows tied with it are narrowed by the next key; only the few candidates left are sorted.
    O(n) per key instead of O(n log n) for the whole match (37,000 rows for 事業)."""
    n = len(keys[0])
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    if k * 4 >= n:
        return np.lexsort(keys)[:k]
    taken = []
    candidates = np.arange(n)
    need = k
    for key in reversed(keys):
        values = key[candidates]
        if need >= len(values):
            break
        kth = np.partition(values, need - 1)[need - 1]
        before = values < kth
        taken.append(candidates[before])
        need -= int(np.count_nonzero(before))
        candidates = candidates[values == kth]
        if need == 0:
            candidates = candidates[:0]
            break
    chosen = np.concatenate([*taken, candidates])
    return chosen[np.lexsort(tuple(key[chosen] for key in keys))][:k]


def listing(ids):
    """The programs of ``ids`` as ``Program.objects.for_listing()`` gives them, its one-level
    prefetches filled with one query each and handed to every program directly: Django's
    prefetch builds a filtered queryset per program and relation (60 for a page of 20),
    which cost more than the page's queries themselves."""
    queryset = Program.objects.for_listing().filter(pk__in=ids)
    lookups, queryset._prefetch_related_lookups = queryset._prefetch_related_lookups, ()
    programs = list(queryset)
    rest = []
    for lookup in lookups:
        name = lookup.prefetch_to if isinstance(lookup, Prefetch) else lookup
        field = Program._meta.fields_map.get(name) if "__" not in name else None
        if not isinstance(field, ManyToOneRel) or not programs:
            rest.append(lookup)
            continue
        related = lookup.queryset if isinstance(lookup, Prefetch) else None
        related = related if related is not None else field.related_model._default_manager.all()
        by_program: dict = {p.pk: [] for p in programs}
        for item in related.filter(**{f"{field.field.attname}__in": list(by_program)}):
            by_program[getattr(item, field.field.attname)].append(item)
        for program in programs:
            cached = field.related_model._default_manager.none()
            cached._result_cache, cached._prefetch_done = by_program[program.pk], True
            program._prefetched_objects_cache = getattr(program, "_prefetched_objects_cache", {})
            program._prefetched_objects_cache[field.get_accessor_name()] = cached
    if rest:
        prefetch_related_objects(programs, *rest)
    return programs


def matching_ids(params, now=None):
    """Every program id a search matches, in result order (no paging, no facets)."""
    now = now or catalogue_module.now()
    cat = catalogue_module.get()
    base = np.ones(len(cat), dtype=bool)
    scores = None
    if params.q.strip():
        terms = query_terms(params.q)
        if not terms:
            return []
        base, scores, _relaxed = text_match(cat, terms)
    matched = np.flatnonzero(_combine(base, _masks(cat, params, now)))
    return [int(pk) for pk in cat.ids[_order(cat, params, matched, scores, now)]]


def search_programs(params, now=None, *, similar=False):
    """Run a navigator search. Raises ParamError for values the catalogue lacks.

    With ``similar`` (the navigator's page), a query whose words no program contains also
    gets the programs closest in meaning (SearchResult.similar); only then is the model
    asked, so searches that find something never wait on it."""
    now = now or catalogue_module.now()
    cat = catalogue_module.get()
    base = np.ones(len(cat), dtype=bool)
    scores, relaxed, terms = None, False, []
    if params.q.strip():
        terms = query_terms(params.q)
        if not terms:
            # Nothing to search for: no program, and facets that all count zero (the page
            # folds them away and still lists the values chosen).
            empty = np.zeros(len(cat), dtype=bool)
            facets = _facets(cat, params, empty, _masks(cat, params, now), now)
            return SearchResult(params=params, total=0, items=[], facets=facets, unsearchable=True)
        base, scores, relaxed = text_match(cat, terms)
    masks = _masks(cat, params, now)
    matched = np.flatnonzero(_combine(base, masks))
    start = (params.page - 1) * params.page_size
    first = first_in_order(_keys(cat, params, matched, scores, now), start + params.page_size)
    page_ids = [int(pk) for pk in cat.ids[matched[first[start:]]]]
    similar_ids, similar_by, similar_terms = [], "", []
    if similar and terms and not base.any():
        rows, similar_by, similar_terms = _similar(cat, params, terms, masks)
        similar_ids = [int(pk) for pk in cat.ids[rows]]
    programs = {p.pk: p for p in listing(page_ids + similar_ids)}
    return SearchResult(
        params=params,
        total=len(matched),
        items=[programs[pk] for pk in page_ids if pk in programs],
        facets=_facets(cat, params, base, masks, now),
        terms=terms,
        scores=dict(zip(page_ids, scores[cat.rows_of(page_ids)].tolist(), strict=True))
        if scores is not None
        else {},
        relaxed=relaxed,
        similar=[programs[pk] for pk in similar_ids if pk in programs],
        similar_by=similar_by,
        similar_terms=similar_terms,
    )
