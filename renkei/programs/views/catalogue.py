from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renkei.lib.params import ParamError
from renkei.programs import actions, pathways
from renkei.programs.models import (
    ApplicantType,
    Program,
    SavedProgram,
    SavedSearch,
    Stage,
    catalogue_as_of,
)
from renkei.programs.search import (
    FACETS,
    InvalidQuery,
    Sort,
    params_from_query,
    query_from_params,
    search_programs,
)

COMPARE_MIN, COMPARE_MAX = 2, 4


def navigator(request):
    programs = Program.objects.all()
    return render(
        request,
        "programs/navigator.html",
        {
            "applicants": [(t, programs.for_applicant(t.value).count()) for t in ApplicantType],
            "stages": [(s, programs.filter(stage=s.value).count()) for s in Stage],
            "total": programs.count(),
            "as_of": catalogue_as_of(),
        },
    )


def search(request):
    try:
        params = params_from_query(request.GET)
        result = search_programs(params, similar=True)
    except InvalidQuery as exc:
        return render(request, "programs/search.html", {"errors": exc.errors}, status=400)
    except ParamError as exc:
        errors = [(exc.field, exc.message)]
        return render(request, "programs/search.html", {"errors": errors}, status=400)
    return render(
        request,
        "programs/search.html",
        {
            "result": result,
            "params": params,
            "sort_choices": Sort.choices,
            "query_string": query_from_params(params),
            "active_filters": _active_filters(result),
            "as_of": catalogue_as_of(),
        },
    )


def _active_filters(result):
    """(label, link that removes it) for every chosen facet value, for the empty-result help."""
    active = []
    for facet, counts in zip(FACETS, result.facets, strict=True):
        for value in counts.values:
            if value.selected:
                without = facet.without(result.params, value.value)
                query = result.params.model_copy(update={"page": 1, facet.name: without})
                active.append((f"{counts.label}: {value.label}", query_from_params(query)))
    return active


def detail(request, code):
    program = get_object_or_404(Program.objects.with_details(), code=code)
    now = timezone.now()
    calls = [(call, call.status_at(now)) for call in program.call_periods.all()]
    following = (
        request.user.is_authenticated
        and SavedProgram.objects.filter(user=request.user, program=program).exists()
    )
    return render(
        request,
        "programs/detail.html",
        {
            "program": program,
            "calls": calls,
            "budget_rows": _budget_rows(program),
            "next_programs": pathways.next_programs(program),
            "following": following,
        },
    )


def _budget_rows(program):
    """Each budget line with the previous year's line of the same table beside it."""
    lines = list(program.budget_lines.all())
    by_key = {(b.fiscal_year, b.source): b for b in lines}
    return [(line, by_key.get((line.fiscal_year - 1, line.source))) for line in lines]


def compare(request):
    codes = [c for c in request.GET.getlist("p") if c][: COMPARE_MAX + 1]
    programs = {p.code: p for p in Program.objects.with_details().filter(code__in=codes)}
    chosen = [programs[c] for c in dict.fromkeys(codes) if c in programs]
    error = None
    if len(chosen) < COMPARE_MIN:
        error = _("比較するには施策を2つ以上選んでください。")
    elif len(chosen) > COMPARE_MAX:
        error = _("比較できるのは4つまでです。")
    status = 400 if error and codes else 200
    return render(
        request,
        "programs/compare.html",
        {
            "programs": chosen if not error else [],
            "error": error,
            "now": timezone.now(),
            "as_of": catalogue_as_of(),
        },
        status=status,
    )


def pathway(request):
    stage = request.GET.get("stage")
    if stage not in Stage.values:
        return render(
            request,
            "programs/pathways.html",
            {
                "stages": Stage,
                "error": _("段階を選んでください。") if stage else None,
                "as_of": catalogue_as_of(),
            },
            status=400 if stage else 200,
        )
    next_stages, programs, relations = pathways.for_stage(stage)
    return render(
        request,
        "programs/pathways.html",
        {
            "stages": Stage,
            "stage": Stage(stage),
            "next_stages": next_stages,
            "programs": programs,
            "relations": relations,
            "as_of": catalogue_as_of(),
        },
    )


@login_required
def saved(request):
    return render(
        request,
        "programs/saved.html",
        {
            "searches": request.user.saved_searches.all(),
            "followed": request.user.saved_programs.select_related("program").prefetch_related(
                "program__call_periods"
            ),
        },
    )


@login_required
@require_POST
def save_search(request):
    try:
        params = params_from_query(request.POST)
    except InvalidQuery:
        messages.error(request, _("検索条件が正しくないため保存できませんでした。"))
        return redirect("programs:search")
    name = (request.POST.get("name") or "").strip()[:100] or params.q or _("保存した検索")
    actions.save_search(request.user, params, name)
    messages.success(
        request,
        _(
            "検索を保存しました。条件に合う施策が新しく載ったり変わったりしたらメールでお知らせします。"
        ),
    )
    return redirect(reverse("programs:search") + "?" + query_from_params(params))


@login_required
@require_POST
def delete_search(request, pk):
    saved_search = get_object_or_404(SavedSearch, pk=pk, user=request.user)
    actions.delete_saved_search(saved_search, by=request.user)
    messages.success(request, _("保存した検索を削除しました。"))
    return redirect("programs:saved")


@login_required
@require_POST
def follow(request, code):
    program = get_object_or_404(Program, code=code)
    actions.follow_program(request.user, program)
    messages.success(
        request, _("この施策をフォローしました。公募の締切2週間前にメールでお知らせします。")
    )
    return redirect(program.get_absolute_url())


@login_required
@require_POST
def unfollow(request, code):
    program = get_object_or_404(Program, code=code)
    actions.unfollow_program(request.user, program)
    messages.success(request, _("フォローを解除しました。"))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = program.get_absolute_url()
    return redirect(target)
