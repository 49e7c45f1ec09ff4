"""The case library: search with facets (prefecture, market area, sector mix, program)."""

from collections import Counter

from django.shortcuts import get_object_or_404, render

from renkei.councils.forms import CaseSearchForm
from renkei.councils.models import CaseStudy
from renkei.councils.models.cases import sector_mix_label
from renkei.programs.models import MarketArea


def facet_counts(cases):
    """{facet: [(value, label, count)]} over the listed cases."""
    prefectures = Counter((c.prefecture.code, str(c.prefecture)) for c in cases)
    markets = Counter(c.market_area for c in cases)
    mixes = Counter(c.sector_mix for c in cases)
    programs = Counter((p.code, p.name) for c in cases for p in c.programs.all())
    return {
        "prefecture": [(code, label, n) for (code, label), n in sorted(prefectures.items())],
        "market_area": [
            (value, MarketArea(value).label if value else "—", n)
            for value, n in sorted(markets.items())
        ],
        "sectors": [(mix, sector_mix_label(mix) or "—", n) for mix, n in sorted(mixes.items())],
        "program": [(code, name, n) for (code, name), n in sorted(programs.items())],
    }


def cases(request):
    form = CaseSearchForm(request.GET or None)
    queryset = CaseStudy.objects.for_listing()
    if form.is_valid():
        queryset = queryset.matching(**form.cleaned_data)
    items = list(queryset)
    return render(
        request,
        "councils/cases.html",
        {"form": form, "cases": items, "facets": facet_counts(items)},
    )


def case_study(request, slug):
    case = get_object_or_404(
        CaseStudy.objects.select_related("prefecture", "survey").prefetch_related(
            "participants__organization", "programs", "communities"
        ),
        slug=slug,
    )
    return render(request, "councils/case.html", {"case": case})
