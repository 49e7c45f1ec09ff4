"""Benchmark: navigator search through the API over a generated catalogue of 50,000 programs.

    .venv/bin/python bench/programs_search.py [--engine sqlite|postgres] [--programs 50000]

Measures, for the same queries in the same run, alternating the measures query by query
(never one measure after another):
  * api    – GET /api/programs (search, facets, paging, serialisation), in-process client;
  * before – the same request as the search ran before issue 17: each term matched in the
             database, every matching id fetched as one row, every match sorted for a page;
  * naive  – the same filters with icontains over name/description/aliases/keywords and a
             count plus the first page (what a plain Django list view would do);
  * fts    – the bare full-text match alone, one index lookup per query term (FTS5 MATCH /
             tsvector @@ tsquery), rows fetched: the floor any search built on it pays.
Then the API again with the garbage collector as it is and after ``gc.freeze()`` (what
`renkei serve` does once a worker has warmed up), alternating, with every full collection
timed: p99 and the longest pause. Reports p50, p95 and p99 in milliseconds. The catalogue
is generated once per engine and size and reused (--rebuild regenerates it).
"""

import argparse
import gc
import os
import random
import statistics
import sys
import time
from contextlib import contextmanager

from _setup import django_for, percentile

FIELDS = ["養殖", "水産", "森林", "林業", "木材", "創薬", "医薬品", "再生医療", "ゲノム", "微生物",
          "バイオマス", "バイオ燃料", "プラスチック", "スマート農業", "畜産", "酪農", "米", "果樹",
          "食品", "発酵", "機能性表示食品", "海藻", "微細藻類", "土壌", "肥料", "バイオ液肥",
          "カーボンニュートラル", "脱炭素", "地域循環", "医療機器", "ヘルスケア", "ワクチン",
          "診断薬", "細胞", "酵素", "スマートセル", "ものづくり", "化学品", "素材", "繊維"]  # fmt: skip
PURPOSES = ["技術開発", "実証", "導入支援", "人材育成", "拠点整備", "事業化支援", "調査",
            "研究開発", "普及促進", "実用化", "設備導入", "販路開拓", "海外展開", "共同研究"]  # fmt: skip
KINDS = ["事業", "補助金", "プログラム", "交付金", "推進事業", "支援事業", "対策"]
PHRASES = [
    "{a}の生産性向上に向けた{p}を支援する。", "地域の{a}を活用した{p}に取り組む事業者を支援する。",
    "{a}と{b}を組み合わせた新たな産業の創出を目指す。", "大学等の研究成果を活用し、{a}分野の{p}を推進する。",
    "中小企業による{a}関連設備の導入費を補助する。", "{a}に関する{p}と、その成果の社会実装を一体的に進める。",
    "自治体が主導する{a}の{p}に必要な経費を交付する。", "{b}の課題解決に資する{a}技術の{p}を行う。",
]  # fmt: skip
DEPARTMENTS = ["研究推進課", "産業振興課", "技術政策室", "地域振興室", "企画調整課", "事業化支援室"]
QUERIES = [
    {"q": "養殖"}, {"q": "創薬"}, {"q": "森林"}, {"q": "スマート農業"}, {"q": "ﾊﾞｲｵﾏｽ"},
    {"q": "微生物 酵素"}, {"q": "ワクチン 実用化"}, {"q": "事業"}, {"q": "支援"},
    {"q": "海藻", "applicant": "company"}, {"q": "脱炭素", "sort": "budget"},
    {"q": "細胞", "stage": "research", "accepts_new": "true"}, {"q": "肥料 土壌 実証"},
    {"applicant": "local_government"}, {"applicant": "university", "ministry": "mext"},
    {"market_area": "health_medical", "sort": "close_date"}, {"budget": "over_10b"},
    {"open_now": "true"}, {"fiscal_year": "2024", "sort": "name"}, {"q": "バイオ", "page": "3"},
    {"q": "木材", "budget": "part_of_larger"}, {"stage": "demonstration", "applicant": "company"},
    {"q": "診断薬 医療機器"}, {"q": "果樹 販路開拓", "market_area": "primary_production"},
    {},
]  # fmt: skip


def generate(count, seed=7):
    """Create ``count`` programs in bulk, then build the search index with progress."""
    import datetime

    from django.db import transaction
    from django.utils import timezone

    from renkei.programs.models import BudgetLine, CallPeriod, Program, ProgramAlias
    from renkei.programs.search.index import rebuild_search_index
    from renkei.regions.models import Organization

    rng = random.Random(seed)
    ministries = list(Organization.objects.ministries())
    stages = [
        "human_resources",
        "research",
        "demonstration",
        "implementation",
        "facilities",
        "survey",
    ]
    areas = ["cross_market", "bio_manufacturing", "primary_production", "health_medical", ""]
    aims = ["university_changes", "society_changes", "bio_community", ""]
    now = timezone.now()
    start = Program.objects.count()
    with transaction.atomic():
        programs = []
        for i in range(count):
            a, b = rng.sample(FIELDS, 2)
            p = rng.choice(PURPOSES)
            description = "".join(
                rng.choice(PHRASES).format(a=a, b=b, p=rng.choice(PURPOSES))
                for _ in range(rng.randint(2, 4))
            )
            programs.append(
                Program(
                    code=f"bench-{i:06d}",
                    name=f"{a}{p}{rng.choice(KINDS)}",
                    ministry=rng.choice(ministries),
                    department=rng.choice(DEPARTMENTS),
                    description=description,
                    aim=rng.choice(aims),
                    stage=rng.choice(stages),
                    market_area=rng.choice(areas),
                    for_university=rng.random() < 0.45,
                    for_company=rng.random() < 0.6,
                    for_local_government=rng.random() < 0.25,
                    accepts_new_projects=rng.choice([True, True, False, None]),
                    keywords="、".join(rng.sample(FIELDS, 3)),
                    menu_order=1000 + i,
                )
            )
        Program.objects.bulk_create(programs, batch_size=2000)
        created = list(Program.objects.filter(code__startswith="bench-").order_by("pk"))
        lines, calls, aliases = [], [], []
        for program in created:
            part = rng.random() < 0.3
            base = int(rng.lognormvariate(12.5, 1.6))
            for year in range(2019, 2027):
                if rng.random() < 0.5:
                    lines.append(BudgetLine(program=program, fiscal_year=year, kind="initial", source="other",
                                            amount_thousand_yen=base, is_part_of_larger=part, is_headline=True))  # fmt: skip
            if rng.random() < 0.35:
                opens = now + datetime.timedelta(days=rng.randint(-400, 120))
                calls.append(CallPeriod(program=program, title="公募", opens_at=opens,
                                        closes_at=opens + datetime.timedelta(days=rng.randint(14, 60))))  # fmt: skip
            if rng.random() < 0.1:
                aliases.append(
                    ProgramAlias(program=program, name=f"{program.name}（旧称{program.pk}）")
                )
        BudgetLine.objects.bulk_create(lines, batch_size=5000)
        CallPeriod.objects.bulk_create(calls, batch_size=5000)
        ProgramAlias.objects.bulk_create(aliases, batch_size=5000)

    def progress(done, total):
        if done % 10000 < 1000 or done == total:
            print(f"  indexed {done}/{total}", file=sys.stderr, flush=True)

    started = time.perf_counter()
    rebuild_search_index(progress=progress)
    return start, time.perf_counter() - started


def naive(params):
    """The list view one would write without a search index."""
    from django.db.models import Q

    from renkei.programs.models import Program

    qs = Program.objects.all()
    for word in params.get("q", "").split():
        qs = qs.filter(
            Q(name__icontains=word) | Q(description__icontains=word)
            | Q(keywords__icontains=word) | Q(aliases__name__icontains=word)
        )  # fmt: skip
    if "applicant" in params:
        qs = qs.filter(**{f"for_{params['applicant']}": True})
    for key in ("stage", "market_area"):
        if key in params:
            qs = qs.filter(**{key: params[key]})
    if "ministry" in params:
        qs = qs.filter(ministry__code=params["ministry"])
    qs = qs.distinct()
    total = qs.count()
    page = list(qs.order_by("name")[:20])
    return total, page


def fts(params):
    from django.db import connection

    from renkei.programs.search import query_terms
    from renkei.programs.search.backends import backend

    terms = query_terms(params.get("q", ""))
    with connection.cursor() as cursor:
        engine = backend()
        return [engine.match_term(cursor, term) for term in terms]


@contextmanager
def as_before():
    """The search as it ran before issue 17 (each term matched in the database, one row per
    matching id into Python; every match sorted for one page), for a baseline in the same
    run."""
    import numpy as np
    from django.db import connection

    from renkei.programs.search import engine
    from renkei.programs.search.backends import backend

    def term_rows(cat, terms):
        found, n = {}, len(cat)
        with connection.cursor() as cursor:
            database = backend()
            for term in terms:
                ids = np.fromiter(database.match_term(cursor, term), dtype=np.int64)
                rows = np.searchsorted(cat.ids, ids)
                known = rows < n
                known[known] = cat.ids[rows[known]] == ids[known]
                found[term] = rows[known]
        return found

    def first_in_order(keys, k):
        return np.lexsort(keys)[:k]

    saved = (engine._term_rows, engine.first_in_order)
    engine._term_rows, engine.first_in_order = term_rows, first_in_order
    try:
        yield
    finally:
        engine._term_rows, engine.first_in_order = saved


def measure_alternating(measures, repeats):
    """{name: [ms]}: each query runs every measure in turn (the order rotating), so load on
    the shared machine falls on every measure alike."""
    timings = {name: [] for name in measures}
    timings.update({f"{name} cpu": [] for name in measures})
    names = list(measures)
    for repeat in range(repeats):
        for i, params in enumerate(QUERIES):
            shift = (repeat + i) % len(names)
            for name in names[shift:] + names[:shift]:
                started, cpu = time.perf_counter(), time.thread_time()
                measures[name](params)
                timings[name].append((time.perf_counter() - started) * 1000)
                timings[f"{name} cpu"].append((time.thread_time() - cpu) * 1000)
    return timings


class GcPauses:
    """Times every collection of the oldest generation (gc.callbacks)."""

    def __init__(self):
        self.pauses, self._start = [], None

    def __call__(self, phase, info):
        if info["generation"] != 2:
            return
        if phase == "start":
            self._start = time.perf_counter()
        elif self._start is not None:
            self.pauses.append((time.perf_counter() - self._start) * 1000)
            self._start = None


def measure_gc(api, repeats):
    """API timings and full-collection pauses, with the collector as it is and frozen after
    warm-up, alternating by round."""
    results = {"gc as is": ([], GcPauses()), "gc.freeze()": ([], GcPauses())}
    for _round in range(repeats):
        for name in results:
            timings, pauses = results[name]
            if name == "gc.freeze()":
                gc.collect()
                gc.freeze()
            gc.callbacks.append(pauses)
            try:
                for params in QUERIES:
                    started = time.perf_counter()
                    api(params)
                    timings.append((time.perf_counter() - started) * 1000)
            finally:
                gc.callbacks.remove(pauses)
                gc.unfreeze()
    return results


def measure_write(api, repeats=3):
    """The first search after a one-program write (the overlay merged in this process),
    alternating with what every worker's first search paid before issue 17: the whole
    catalogue read into arrays inside the request."""
    from renkei.programs.models import Program
    from renkei.programs.search import catalogue

    program = Program.objects.filter(code__startswith="bench-").order_by("pk").first()
    after_write, whole = [], []
    for _ in range(repeats):
        program.save()  # a catalogue write: reindexed, a new version, a build queued
        started = time.perf_counter()
        api({"q": "養殖"})
        after_write.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        catalogue.tables()
        whole.append((time.perf_counter() - started) * 1000)
    return after_write, whole


def full_collection_ms(frozen, repeats=5):
    """Median time of one full collection (what a request pays when one falls inside it),
    with the collector as it is or after gc.freeze()."""
    times = []
    for _ in range(repeats):
        if frozen:
            gc.collect()
            gc.freeze()
        started = time.perf_counter()
        gc.collect()
        times.append((time.perf_counter() - started) * 1000)
        gc.unfreeze()
    return statistics.median(times), len(gc.get_objects())


def measure_binding(api, repeats):
    """PostgreSQL: the API with Django's client-side parameter binding (the default) and
    with server-side binding (psycopg then prepares statements run five times), one round of
    every query each, alternating."""
    from django.db import connection

    options = connection.settings_dict["OPTIONS"]
    saved = options.get("server_side_binding")
    results = {"client-side binding": [], "server-side binding": []}
    try:
        for round_ in range(repeats * 2):
            name = list(results)[round_ % 2]
            connection.close()
            options["server_side_binding"] = name == "server-side binding"
            for params in QUERIES:  # warm: connect, prepare
                api(params)
            for params in QUERIES:
                started = time.perf_counter()
                api(params)
                results[name].append((time.perf_counter() - started) * 1000)
    finally:
        connection.close()
        if saved is None:
            options.pop("server_side_binding", None)
        else:
            options["server_side_binding"] = saved
    return results


def row(label, values):
    return (
        f"| {label} | {percentile(values, 50):.1f} | {percentile(values, 95):.1f} | "
        f"{percentile(values, 99):.1f} | {statistics.mean(values):.1f} |"
    )


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--programs", type=int, default=50_000)
    parser.add_argument("--repeats", type=int, default=8)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--generate-only", action="store_true")
    args = parser.parse_args()
    name = "renkei_bench_programs"
    if args.programs != 50_000:
        name += f"_{args.programs // 1000}k"
    # The API's rate limit per client address (300 a minute) would refuse the benchmark.
    os.environ["RENKEI_API_RATE_PER_MINUTE"] = "1000000000"
    django_for(args.engine, name)

    from django.db import connection
    from django.test import Client

    from renkei.programs.models import Program
    from renkei.programs.search.catalogue import build_files

    existing = Program.objects.filter(code__startswith="bench-").count()
    if args.rebuild and existing:
        Program.objects.filter(code__startswith="bench-").delete()
        existing = 0
    index_seconds = None
    if existing != args.programs:
        Program.objects.filter(code__startswith="bench-").delete()
        print(f"generating {args.programs} programs…", file=sys.stderr)
        _start, index_seconds = generate(args.programs)
    with connection.cursor() as cursor:  # fresh statistics, as autovacuum would keep them
        cursor.execute("ANALYZE")
    files_seconds = build_files(force=True)  # what the job does after a catalogue write
    if args.generate_only:
        return
    total = Program.objects.count()
    client = Client()

    def api(params):
        response = client.get("/api/programs", params)
        assert response.status_code == 200, response.content[:300]

    def before(params):
        with as_before():
            api(params)

    measures = {"api": api, "before": before, "naive": naive, "fts": fts}
    measure_alternating(measures, 1)  # warm-up (and the catalogue files mapped)
    results = measure_alternating(measures, args.repeats)
    gc_results = measure_gc(api, max(2, args.repeats // 2))
    after_write, whole = measure_write(api)
    binding = measure_binding(api, max(2, args.repeats // 2)) if args.engine == "postgres" else {}
    print(
        f"\n{args.engine}: {total} programs, {len(QUERIES)} queries × {args.repeats} runs "
        f"each, measures alternating"
    )
    if index_seconds is not None:
        print(f"search index build (Sudachi analysis, FTS/GIN): {index_seconds:.1f} s")
    print(f"catalogue files build (the background job): {files_seconds:.1f} s")
    print("| measure | p50 (ms) | p95 (ms) | p99 (ms) | mean (ms) |")
    print("|---|---:|---:|---:|---:|")
    for key, label in (
        ("api", "API search (full request)"),
        ("before", "API search as before issue 17 (terms matched in the database, full sort)"),
        ("naive", "naive icontains + count + page"),
        ("fts", "bare full-text match (floor)"),
        ("api cpu", "API search: CPU time of the bench process only (no wait for a core)"),
        ("before cpu", "as before issue 17: CPU time of the bench process only"),
    ):
        print(row(label, results[key]))
    print(row("first search after a one-program write (overlay, no build)", after_write))
    print(row("before issue 17, in that request: the whole catalogue into arrays", whole))
    p95 = percentile(results["api"], 95)
    print(
        f"\nAPI p95 / naive p95 = {p95 / percentile(results['naive'], 95):.2f}; "
        f"API p95 / FTS p95 = {p95 / percentile(results['fts'], 95):.2f}; "
        f"API p95 / before p95 = {p95 / percentile(results['before'], 95):.2f}"
    )
    print(
        "\n| garbage collector | p50 (ms) | p95 (ms) | p99 (ms) | mean (ms) | full collections "
        "| longest (ms) | one full collection (ms) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for label, (timings, pauses) in gc_results.items():
        longest = max(pauses.pauses, default=0.0)
        pause, objects = full_collection_ms(label == "gc.freeze()")
        print(
            f"{row(label, timings)} {len(pauses.pauses)} | {longest:.1f} | "
            f"{pause:.1f} ({objects:,} objects tracked) |"
        )
    if binding:
        print("\n| PostgreSQL parameter binding | p50 (ms) | p95 (ms) | p99 (ms) | mean (ms) |")
        print("|---|---:|---:|---:|---:|")
        for label, timings in binding.items():
            print(row(label, timings))


if __name__ == "__main__":
    main()
