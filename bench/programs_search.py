"""Benchmark: navigator search through the API over a generated catalogue of 50,000 programs.

    .venv/bin/python bench/programs_search.py [--engine sqlite|postgres] [--programs 50000]

Measures, for the same queries in the same run:
  * api    – GET /api/programs (search, facets, paging, serialisation), in-process client;
  * naive  – the same filters with icontains over name/description/aliases/keywords and a
             count plus the first page (what a plain Django list view would do);
  * fts    – the bare full-text match alone, one index lookup per query term (FTS5 MATCH /
             tsvector @@ tsquery), rows fetched: the floor any search built on it pays.
Reports p50 and p95 in milliseconds. The catalogue is generated once per engine and reused
(--rebuild regenerates it).
"""

import argparse
import random
import statistics
import sys
import time

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


def measure(fn, repeats):
    timings = []
    for _ in range(repeats):
        for params in QUERIES:
            started = time.perf_counter()
            fn(params)
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--programs", type=int, default=50_000)
    parser.add_argument("--repeats", type=int, default=8)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    django_for(args.engine, "renkei_bench_programs")

    from django.test import Client

    from renkei.programs.models import Program

    existing = Program.objects.filter(code__startswith="bench-").count()
    if args.rebuild and existing:
        Program.objects.filter(code__startswith="bench-").delete()
        existing = 0
    build_seconds = None
    if existing != args.programs:
        Program.objects.filter(code__startswith="bench-").delete()
        print(f"generating {args.programs} programs…", file=sys.stderr)
        _start, build_seconds = generate(args.programs)
    from django.db import connection

    with connection.cursor() as cursor:  # fresh statistics, as autovacuum would keep them
        cursor.execute("ANALYZE")
    total = Program.objects.count()
    client = Client()

    def api(params):
        response = client.get("/api/programs", params)
        assert response.status_code == 200, response.content[:300]

    api({})  # warm the in-memory catalogue once, as a running server would be
    results = {}
    for name, fn in (("api", api), ("naive", naive), ("fts", fts)):
        measure(fn, 1)  # warm-up
        results[name] = measure(fn, args.repeats)
    print(f"\n{args.engine}: {total} programs, {len(QUERIES)} queries × {args.repeats} runs each")
    if build_seconds is not None:
        print(f"search index build: {build_seconds:.1f} s")
    print("| measure | p50 (ms) | p95 (ms) | mean (ms) |")
    print("|---|---:|---:|---:|")
    for name, label in (
        ("api", "API search (full request)"),
        ("naive", "naive icontains + count + page"),
        ("fts", "bare full-text match (floor)"),
    ):
        values = results[name]
        print(
            f"| {label} | {percentile(values, 50):.1f} | {percentile(values, 95):.1f} | {statistics.mean(values):.1f} |"
        )
    p95 = percentile(results["api"], 95)
    print(
        f"\nAPI p95 / naive p95 = {p95 / percentile(results['naive'], 95):.2f}; API p95 / FTS p95 = {p95 / percentile(results['fts'], 95):.2f}"
    )


if __name__ == "__main__":
    main()
