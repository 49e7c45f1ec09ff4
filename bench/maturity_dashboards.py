"""Benchmark: maturity dashboards at 200 communities × 10 years × 30 indicators (SQLite).

    .venv/bin/python bench/maturity_dashboards.py [--engine sqlite|postgres] [--rebuild]

Measures the server time of GET /maturity/ (national overview) and
GET /maturity/communities/<slug>/ (a community dashboard) as the portal serves them, from
precomputed snapshots, beside the same pages computed live from the accepted reports (the
cost without snapshots). Reports p50/p95 in milliseconds and the snapshot build time.
"""

import argparse
import functools
import random
import statistics
import sys
import time
from decimal import Decimal

from _setup import django_for, percentile

COMMUNITIES, YEARS, INDICATORS = 200, 10, 30


def generate(seed=11):
    from django.db import transaction

    from renkei.communities.models import Community
    from renkei.maturity.models import Indicator, Report, ReportValue
    from renkei.regions.models import Prefecture

    rng = random.Random(seed)
    prefectures = list(Prefecture.objects.all())
    with transaction.atomic():
        existing = Indicator.objects.count()
        for i in range(existing, INDICATORS):
            Indicator.objects.create(
                code=f"bench_indicator_{i:02d}", name=f"ベンチ指標{i:02d}", name_en=f"Bench {i}",
                unit="projects", category=["people", "things", "money", "information"][i % 4],
                how_counted="benchmark", thresholds=[1, 5, 10, 20], order=100 + i,
            )  # fmt: skip
        indicators = list(Indicator.objects.active())[:INDICATORS]
        communities = []
        for n in range(COMMUNITIES):
            community = Community.objects.create(
                slug=f"bench-{n:03d}", name=f"ベンチコミュニティ{n:03d}",
                kind="regional" if n % 10 else "global", status=rng.choice(["certified", "registered", "applying"]),
            )  # fmt: skip
            community.prefectures.add(rng.choice(prefectures))
            communities.append(community)
        reports = Report.objects.bulk_create(
            Report(community=c, fiscal_year=2016 + y, state="accepted")
            for c in communities
            for y in range(YEARS)
        )
        values = []
        for report in reports:
            for indicator in indicators:
                values.append(
                    ReportValue(
                        report=report, indicator=indicator, value=Decimal(rng.randint(0, 200))
                    )
                )
        ReportValue.objects.bulk_create(values, batch_size=5000)
    return len(values)


def measure(client, urls, repeats):
    timings = []
    for _ in range(repeats):
        for url in urls:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, url
    return timings


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    django_for(args.engine, "renkei_bench_maturity")

    from django.test import Client

    from renkei.communities.models import Community
    from renkei.maturity import snapshots, views
    from renkei.maturity.models import ReportValue

    if args.rebuild:
        Community.objects.filter(slug__startswith="bench-").delete()
    if not Community.objects.filter(slug__startswith="bench-").exists():
        print("generating…", file=sys.stderr)
        generate()
    count = ReportValue.objects.filter(report__community__slug__startswith="bench-").count()
    started = time.perf_counter()
    snapshots.refresh()
    build = time.perf_counter() - started

    client = Client()
    national = ["/maturity/"]
    dashboards = [f"/maturity/communities/bench-{n:03d}/" for n in range(0, COMMUNITIES, 13)]
    results = {}
    for label, urls in (("national", national), ("community", dashboards)):
        measure(client, urls, 1)
        results[(label, "snapshots")] = measure(client, urls, args.repeats)
    views.community_view = functools.partial(snapshots.community_view, live=True)
    views.national_view = functools.partial(snapshots.national_view, live=True)
    for label, urls in (("national", national), ("community", dashboards)):
        measure(client, urls, 1)
        results[(label, "live")] = measure(client, urls, max(3, args.repeats // 4))

    print(
        f"\n{args.engine}: {COMMUNITIES} communities × {YEARS} years × {INDICATORS} indicators = {count} accepted values"
    )
    print(f"snapshot build (all communities): {build:.1f} s")
    print("| page | data | p50 (ms) | p95 (ms) | mean (ms) |")
    print("|---|---|---:|---:|---:|")
    for (label, source), values in results.items():
        name = {"national": "national overview", "community": "community dashboard"}[label]
        print(
            f"| {name} | {source} | {percentile(values, 50):.1f} | {percentile(values, 95):.1f} | {statistics.mean(values):.1f} |"
        )


if __name__ == "__main__":
    main()
