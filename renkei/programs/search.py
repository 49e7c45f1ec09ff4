"""Search the program catalogue: the one function the page, the API and the command line use.

``search_programs(params)`` takes validated ``SearchParams`` and returns a ``SearchResult``:
the page of programs, the total, facet counts (each facet counted with every other filter
applied, so choosing a value never hides its siblings), the analysed query terms and
highlighted snippets. Full-text matching and relevance come from the database
(search_backends.py); filters, facets and sorting from the in-memory catalogue
(catalogue.py).
"""

from dataclasses import dataclass, field

import numpy as np
from django.db import connection, models
from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, ConfigDict, Field

from renkei.ja import terms as analyse
from renkei.lib.params import ParamError
from renkei.lib.schemas import choice
from renkei.programs import catalogue as catalogue_module
from renkei.programs.catalogue import APPLICANT_BITS, FY_BASE, BudgetSize
from renkei.programs.models import Aim, ApplicantType, MarketArea, Program, Stage
from renkei.programs.search_backends import backend, index_term
from renkei.regions.models import Organization

MAX_QUERY_LENGTH = 200
MAX_PAGE_SIZE = 100


class Sort(models.TextChoices):
    RELEVANCE = "relevance", _("関連度順")
    BUDGET = "budget", _("予算額の大きい順")
    CLOSE_DATE = "close_date", _("締切の近い順")
    NAME = "name", _("名前順")


class SearchParams(BaseModel):
    """What a search may ask for. Lists are OR within a facet; facets combine with AND."""

    model_config = ConfigDict(extra="ignore", use_enum_values=True)

    q: str = Field("", max_length=MAX_QUERY_LENGTH, description="検索語（200文字まで）")
    applicant: list[choice(ApplicantType)] = Field([], description="申請主体")
    ministry: list[str] = Field([], description="府省コード（mext、maff など）")
    market_area: list[choice(MarketArea)] = Field([], description="市場領域")
    stage: list[choice(Stage)] = Field([], description="段階")
    aim: list[choice(Aim)] = Field([], description="ねらい")
    accepts_new: bool | None = Field(None, description="新規課題採択の有無")
    open_now: bool = Field(False, description="いま公募中のものだけ")
    budget: list[choice(BudgetSize)] = Field([], description="予算規模")
    fiscal_year: list[int] = Field([], description="予算の年度（西暦）")
    sort: choice(Sort) = Field(Sort.RELEVANCE, description="並び順")
    page: int = Field(1, ge=1, le=10_000)
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE)

    def filters(self):
        """The parameters that narrow the results, as a dict without defaults."""
        data = self.model_dump(exclude={"q", "sort", "page", "page_size"})
        return {k: v for k, v in data.items() if v not in ([], None, False)}


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    name: str
    label: str
    values: list


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

    @property
    def pages(self):
        return max(1, -(-self.total // self.params.page_size))

    def facet(self, name):
        return next(f for f in self.facets if f.name == name)


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
    """For each term, the catalogue rows whose documents contain it (from the database)."""
    found, n = {}, len(cat)
    with connection.cursor() as cursor:
        engine = backend()
        for term in terms:
            ids = np.fromiter(engine.match_term(cursor, term), dtype=np.int64)
            rows = np.searchsorted(cat.ids, ids)
            known = rows < n
            known[known] = cat.ids[rows[known]] == ids[known]
            found[term] = rows[known]
    return found


def text_match(cat, terms):
    """(mask, scores, relaxed) for the query terms.

    A program matches when it contains every term; when no program does and there are
    several terms, when it contains any (relaxed), ranked first by how many it contains.
    Score = Σ over contained terms of idf(term) × (1 + boost of each short field holding it),
    with idf = ln(1 + (N − df + 0.5) / (df + 0.5)). Computed here from the engine's per-term
    matches, so both engines rank identically.
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
            field_rows = cat.field_index[name].get(term)
            if field_rows is not None:
                weight[field_rows] += boost
        coverage += mask
        scores += np.where(mask, idf * weight, 0.0)
    matched = coverage == len(terms)
    relaxed = False
    if not matched.any() and len(terms) > 1:
        matched, relaxed = coverage > 0, True
        scores = scores + coverage * 1000.0  # more terms contained always ranks first
    return matched, scores, relaxed


def _masks(cat, params, now):
    """One boolean mask per active facet."""
    masks = {}
    if params.applicant:
        bits = sum(APPLICANT_BITS[a] for a in params.applicant)
        masks["applicant"] = (cat.applicants & bits) != 0
    if params.ministry:
        unknown = [m for m in params.ministry if m not in cat.ministry_codes]
        if unknown:
            raise ParamError(
                "ministry",
                _("府省コード「%(code)s」はありません（使える値: %(codes)s）。")
                % {"code": unknown[0], "codes": ", ".join(cat.ministry_codes)},
            )
        codes = [cat.ministry_codes.index(m) for m in params.ministry]
        masks["ministry"] = np.isin(cat.ministry, codes)
    for name, choices in (
        ("market_area", MarketArea.values),
        ("stage", Stage.values),
        ("aim", Aim.values),
    ):
        selected = getattr(params, name)
        if selected:
            masks[name] = np.isin(getattr(cat, name), [choices.index(v) for v in selected])
    if params.accepts_new is not None:
        masks["accepts_new"] = cat.accepts_new == int(params.accepts_new)
    if params.open_now:
        masks["open_now"] = cat.open_mask(now)
    if params.budget:
        masks["budget"] = np.isin(
            cat.budget_bucket, [BudgetSize.values.index(b) for b in params.budget]
        )
    if params.fiscal_year:
        wanted = np.uint64(0)
        for year in params.fiscal_year:
            if 0 <= year - FY_BASE < 64:
                wanted |= np.uint64(1 << (year - FY_BASE))
        masks["fiscal_year"] = (cat.fy_mask & wanted) != 0
    return masks


def _combine(base, masks, skip=None):
    mask = base.copy()
    for name, m in masks.items():
        if name != skip:
            mask &= m
    return mask


def _count_codes(codes, mask, size):
    values = codes[mask].astype(np.int64)
    values = values[values >= 0]
    return np.bincount(values, minlength=size)


def _facets(cat, params, base, masks, now):
    facets = []

    def add(name, label, entries):
        facets.append(
            Facet(
                name, str(label), [FacetValue(v, str(lbl), int(c), s) for v, lbl, c, s in entries]
            )
        )

    m = _combine(base, masks, "applicant")
    add(
        "applicant",
        _("申請主体"),
        [
            (
                t.value,
                t.label,
                ((cat.applicants[m] & APPLICANT_BITS[t.value]) != 0).sum(),
                t.value in params.applicant,
            )
            for t in ApplicantType
        ],
    )
    m = _combine(base, masks, "ministry")
    counts = _count_codes(cat.ministry, m, len(cat.ministry_codes))
    names = ministry_names()
    add(
        "ministry",
        _("府省"),
        [
            (code, names.get(code, code), counts[i], code in params.ministry)
            for i, code in enumerate(cat.ministry_codes)
        ],
    )
    for name, label, choices in (
        ("market_area", _("市場領域"), MarketArea),
        ("stage", _("段階"), Stage),
        ("aim", _("ねらい"), Aim),
    ):
        m = _combine(base, masks, name)
        counts = _count_codes(getattr(cat, name), m, len(choices))
        selected = getattr(params, name)
        add(
            name,
            label,
            [(c.value, c.label, counts[i], c.value in selected) for i, c in enumerate(choices)],
        )
    m = _combine(base, masks, "accepts_new")
    add(
        "accepts_new",
        _("新規課題採択"),
        [
            ("true", _("有"), (cat.accepts_new[m] == 1).sum(), params.accepts_new is True),
            ("false", _("無"), (cat.accepts_new[m] == 0).sum(), params.accepts_new is False),
        ],
    )
    m = _combine(base, masks, "open_now")
    add(
        "open_now",
        _("公募状況"),
        [("true", _("いま公募中"), (cat.open_mask(now) & m).sum(), params.open_now)],
    )
    m = _combine(base, masks, "budget")
    counts = _count_codes(cat.budget_bucket, m, len(BudgetSize))
    add(
        "budget",
        _("予算規模"),
        [(b.value, b.label, counts[i], b.value in params.budget) for i, b in enumerate(BudgetSize)],
    )
    m = _combine(base, masks, "fiscal_year")
    fy = cat.fy_mask[m]
    add(
        "fiscal_year",
        _("年度"),
        [
            (
                str(y),
                str(y),
                ((fy >> np.uint64(y - FY_BASE)) & np.uint64(1)).sum(),
                y in params.fiscal_year,
            )
            for y in cat.fiscal_years
            if 0 <= y - FY_BASE < 64
        ],
    )
    return facets


_ministry_names = {}


def ministry_names():
    """code → name of every organisation that owns a program (cached per catalogue)."""
    cat = catalogue_module.get()
    if _ministry_names.get("version") != cat.version:
        _ministry_names["names"] = dict(
            Organization.objects.filter(code__in=cat.ministry_codes).values_list("code", "name")
        )
        _ministry_names["version"] = cat.version
    return _ministry_names["names"]


def _order(cat, params, rows, scores, now):
    """Rows sorted by the requested key; name and id break ties so order is stable."""
    name = cat.name_rank[rows]
    if params.sort == "budget":
        budget = cat.budget[rows]
        group = np.where(budget < 0, 2, np.where(cat.part_of_larger[rows], 1, 0))
        keys = (name, -budget, group)
    elif params.sort == "close_date":
        keys = (name, cat.next_close(now)[rows])
    elif params.sort == "name":
        keys = (name,)
    elif scores is not None:
        keys = (name, cat.menu_order[rows], -np.round(scores[rows], 9))
    else:
        keys = (name, cat.menu_order[rows], ~cat.in_menu[rows])
    return rows[np.lexsort(keys)]


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


def search_programs(params, now=None):
    """Run a navigator search. Raises ParamError for values the catalogue lacks."""
    now = now or catalogue_module.now()
    cat = catalogue_module.get()
    base = np.ones(len(cat), dtype=bool)
    scores, relaxed, terms = None, False, []
    if params.q.strip():
        terms = query_terms(params.q)
        if not terms:
            return SearchResult(params=params, total=0, items=[], unsearchable=True)
        base, scores, relaxed = text_match(cat, terms)
    masks = _masks(cat, params, now)
    matched = np.flatnonzero(_combine(base, masks))
    ordered = _order(cat, params, matched, scores, now)
    start = (params.page - 1) * params.page_size
    page_ids = [int(pk) for pk in cat.ids[ordered[start : start + params.page_size]]]
    programs = {p.pk: p for p in Program.objects.for_listing().filter(pk__in=page_ids)}
    return SearchResult(
        params=params,
        total=len(matched),
        items=[programs[pk] for pk in page_ids if pk in programs],
        facets=_facets(cat, params, base, masks, now),
        terms=terms,
        scores={pk: float(scores[cat.row_of[pk]]) for pk in page_ids} if scores is not None else {},
        relaxed=relaxed,
    )
