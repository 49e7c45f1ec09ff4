import io

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renkei.communities.models import StrategyMarketArea
from renkei.ja import analyze
from renkei.lib import spreadsheets
from renkei.lib.forms import add_errors
from renkei.lib.imports import DataImportError
from renkei.lib.params import object_id
from renkei.matching import actions, indexes, throttle
from renkei.matching.forms import (
    MatchFilterForm,
    NeedForm,
    SeedForm,
    SeedSearchForm,
    UploadForm,
)
from renkei.matching.models import Need, Proposal, Seed
from renkei.matching.rules import can_manage_seeds, is_coordinator, member_organizations
from renkei.matching.views_pipeline import late_needs, pipeline_context
from renkei.regions.models import Organization


def index(request):
    return render(
        request,
        "matching/index.html",
        {
            "seed_count": Seed.objects.active().visible_to(request.user).count(),
            "need_count": Need.objects.in_queue().count(),
            "is_coordinator": is_coordinator(request.user),
            "organizations": member_organizations(request.user),
        },
    )


def privacy(request):
    return render(
        request,
        "matching/privacy.html",
        {"hours": int(actions.CONFIRM_WITHIN.total_seconds() // 3600)},
    )


# --- the public need form -----------------------------------------------------------------


def need_new(request):
    if request.method == "POST":
        form = NeedForm(request.POST)
        if form.is_bot():
            # Answer as if it worked; a bot learns nothing and nothing is saved.
            return redirect("matching:need_sent")
        if form.is_valid():
            # Only submissions that passed validation count toward the limit (atomically).
            if not throttle.hit(
                request, "need_form", limit=settings.RENKEI_NEED_FORM_LIMIT, window=3600
            ):
                response = render(request, "matching/too_many.html", status=429)
                response["Retry-After"] = "3600"
                return response
            try:
                actions.submit_need(form.cleaned_data)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                return redirect("matching:need_sent")
    else:
        form = NeedForm()
    return render(request, "matching/need_form.html", {"form": form})


def need_sent(request):
    return render(
        request,
        "matching/need_sent.html",
        {"hours": int(actions.CONFIRM_WITHIN.total_seconds() // 3600)},
    )


def need_confirm(request, token):
    """GET shows a button (mail scanners open links; only a person confirms); POST confirms."""
    try:
        need = actions.need_for_token(token)
    except ValidationError as exc:
        return render(request, "matching/need_confirm.html", {"error": exc.messages[0]}, status=404)
    if request.method == "POST":
        try:
            need = actions.confirm_need(token)
        except ValidationError as exc:
            return render(
                request, "matching/need_confirm.html", {"error": exc.messages[0]}, status=410
            )
        return render(request, "matching/need_confirm.html", {"need": need, "confirmed": True})
    return render(request, "matching/need_confirm.html", {"need": need})


# --- needs ---------------------------------------------------------------------------------


def needs(request):
    """Needs in public: what is asked and where, never who asked unless they allowed it."""
    queryset = Need.objects.in_queue().select_related("prefecture")
    page = Paginator(queryset, 30).get_page(request.GET.get("page"))
    return render(request, "matching/needs.html", {"page": page})


def need_detail(request, pk):
    need = get_object_or_404(Need.objects.select_related("prefecture", "community"), pk=pk)
    coordinator = is_coordinator(request.user)
    if need.confirmed_at is None or (need.status == Need.Status.CLOSED and not coordinator):
        raise Http404
    context = {"need": need, "coordinator": coordinator}
    if coordinator:
        filters = MatchFilterForm(request.GET or {"scope": indexes.default_scope(need)})
        scope, stages = filters.values()
        ranked, engine = indexes.rank_seeds(need, user=request.user, scope=scope, stages=stages)
        proposals = {p.seed_id: p for p in Proposal.objects.filter(need=need)}
        context.update(
            filters=filters,
            ranked=_mark_first_weak(
                [
                    (seed, result, proposals.get(seed.pk), _explanation(result.explanation))
                    for seed, result in ranked
                ]
            ),
            notice=engine.notice,
            statuses=[s for s in Need.Status.choices if s[0] != Need.Status.UNCONFIRMED],
            **pipeline_context(request, need),
        )
    else:  # an expert assigned to the need handles it too (renkei.experts)
        context.update(pipeline_context(request, need))
    return render(request, "matching/need.html", context)


def _explanation(explanation):
    """The engine's explanation as a coordinator reads it: field names, and what each of the
    two signals says of the seed in a plain sentence."""
    return {
        **explanation,
        "fields": [str(indexes.FIELD_LABELS.get(f, f)) for f in explanation["matched_fields"]],
        "contributions": [
            _contribution(signal, explanation["levels"][signal], values["rank"])
            for signal, values in explanation["signals"].items()
        ],
    }


def _contribution(signal, level, rank):
    if signal == "lexical":
        if level == "high":
            return _(
                "語の一致: ニーズと同じ言葉（同義語・言い換えを含む）を多く含みます（%(rank)s位）。"
            ) % {"rank": rank}
        if level == "middle":
            return _("語の一致: ニーズと同じ言葉をいくつか含みます（%(rank)s位）。") % {
                "rank": rank
            }
        return _("語の一致: ニーズと同じ言葉はあまり含みません。")
    if level == "high":
        return _(
            "意味の近さ: 言葉が違っても、書かれている内容がニーズに近いと判定されました"
            "（%(rank)s位）。"
        ) % {"rank": rank}
    if level == "middle":
        return _("意味の近さ: 内容がある程度ニーズに近いと判定されました（%(rank)s位）。") % {
            "rank": rank
        }
    return _("意味の近さ: 内容の近さでは上位に入っていません。")


def _mark_first_weak(ranked):
    """Strong results first (the engine's order already; kept if anything reorders it), and
    the first result below the cut-off flagged: the page starts 関連が弱い候補 there."""
    ranked.sort(key=lambda item: bool(item[-1].get("weak")))  # stable
    for *_rest, why in ranked:
        if why.get("weak"):
            why["first_weak"] = True
            break
    return ranked


def _coordinator_only(request):
    if not is_coordinator(request.user):
        raise PermissionDenied(_("コーディネーターと事務局だけが使えます。"))


@login_required
def queue(request):
    _coordinator_only(request)
    status = request.GET.get("status") or ""
    flag = request.GET.get("flag") or ""
    queryset = Need.objects.confirmed().select_related("prefecture", "assigned_to", "community")
    if status in Need.Status.values:
        queryset = queryset.filter(status=status)
    else:
        queryset = queryset.exclude(status=Need.Status.CLOSED)
    late = late_needs(flag)
    if late is not None:
        queryset = queryset.filter(pk__in=late)
    ref = (request.GET.get("ref") or "").strip()
    ref_error = ""
    if ref:
        parsed = Need.parse_reference(ref)
        if parsed is None:  # nothing listed: the list below would look like its answer
            ref_error = _("受付番号は N-2026-000123 の形か、番号だけ（123）で入力してください。")
            queryset = Need.objects.none()
        else:  # any state: a submitter quoting the number may ask about a closed need
            year, number = parsed
            queryset = (
                Need.objects.confirmed()
                .filter(pk=number)
                .select_related("prefecture", "assigned_to", "community")
            )
            if year is not None:  # the year of N-2026-… is the year received, in Japan
                queryset = queryset.filter(created_at__year=year)
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "matching/queue.html",
        {
            "page": page,
            "status": status,
            "flag": flag if late is not None else "",
            "ref": ref,
            "ref_error": ref_error,
            "statuses": [s for s in Need.Status.choices if s[0] != Need.Status.UNCONFIRMED],
        },
    )


@require_POST
@login_required
def need_take(request, pk):
    need = get_object_or_404(Need, pk=pk)
    try:
        actions.take_need(need, by=request.user)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("このニーズの担当になりました。"))
    return redirect(need)


@require_POST
@login_required
def need_status(request, pk):
    need = get_object_or_404(Need, pk=pk)
    try:
        actions.set_need_status(need, request.POST.get("status", ""), by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("状態を変更しました。"))
    return redirect(need)


# --- seeds ---------------------------------------------------------------------------------


def seeds(request):
    form = SeedSearchForm(request.GET or None)
    results, page, query = None, None, ""
    if form.is_valid() and form.cleaned_data["q"].strip():
        data = form.cleaned_data
        query = data["q"].strip()
        results = indexes.search_seeds(
            query,
            user=request.user,
            prefecture=data["prefecture"].pk if data["prefecture"] else None,
            stages=data["stage"],
        )
    else:
        queryset = (
            Seed.objects.active()
            .visible_to(request.user)
            .select_related("organization", "prefecture")
        )
        if form.is_valid():
            if form.cleaned_data["prefecture"]:
                queryset = queryset.filter(prefecture=form.cleaned_data["prefecture"])
            if form.cleaned_data["stage"]:
                queryset = queryset.filter(stage__in=form.cleaned_data["stage"])
        page = Paginator(queryset, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "matching/seeds.html",
        {
            "form": form,
            "results": results,
            "page": page,
            "query": query,
            "terms": [t.form for t in analyze(query)] if query else [],
        },
    )


def seed_detail(request, pk):
    seed = get_object_or_404(
        Seed.objects.visible_to(request.user).select_related(
            "organization", "prefecture", "contact_window"
        ),
        pk=pk,
    )
    if seed.archived and not can_manage_seeds(request.user, seed.organization):
        raise Http404
    return render(
        request,
        "matching/seed.html",
        {
            "seed": seed,
            "can_edit": can_manage_seeds(request.user, seed.organization),
            "records": (
                seed.proposals.select_related("need") if is_coordinator(request.user) else []
            ),
        },
    )


def _organization(request, pk=None):
    """The organisation the user manages seeds for (their only one, or the one asked)."""
    organizations = member_organizations(request.user)
    if pk:
        pk = object_id(pk, "organization")
    if request.user.is_secretariat and pk:
        return get_object_or_404(Organization, pk=pk)
    if pk:
        return get_object_or_404(organizations, pk=pk)
    organization = organizations.first()
    if organization is None:
        raise PermissionDenied(_("シーズを登録できるのは大学等の産学連携担当者です。"))
    return organization


def _my_seeds_page(request, organization, *, upload=None, errors=(), status=200):
    return render(
        request,
        "matching/my_seeds.html",
        {
            "organization": organization,
            "organizations": member_organizations(request.user),
            "seeds": Seed.objects.filter(organization=organization).prefetch_related(
                "market_areas"
            ),
            "upload": upload or UploadForm(),
            "import_errors": errors,
            "columns": [
                (actions.SEED_HEADERS[c][0], c, c in actions.REQUIRED_SEED_COLUMNS)
                for c in actions.SEED_COLUMNS
            ],
            "market_areas": StrategyMarketArea.objects.order_by("number"),
        },
        status=status,
    )


@login_required
def my_seeds(request):
    return _my_seeds_page(request, _organization(request, request.GET.get("organization")))


@login_required
def seed_edit(request, pk=None):
    if pk:
        seed = get_object_or_404(Seed.objects.select_related("organization"), pk=pk)
        organization = seed.organization
    else:
        seed = None
        organization = _organization(request, request.GET.get("organization"))
    if not can_manage_seeds(request.user, organization):
        raise PermissionDenied(_("この機関のシーズは編集できません。"))
    form = SeedForm(request.POST or None, instance=seed, organization=organization)
    if request.method == "POST" and form.is_valid():
        seed = actions.save_seed(form, by=request.user)
        messages.success(request, _("シーズを保存しました。"))
        return redirect(seed)
    return render(
        request,
        "matching/seed_form.html",
        {"form": form, "seed": seed, "organization": organization},
    )


@require_POST
@login_required
def seed_archive(request, pk):
    seed = get_object_or_404(Seed, pk=pk)
    actions.archive_seed(seed, by=request.user)
    messages.success(request, _("シーズの掲載を終了しました。"))
    return redirect(reverse("matching:my_seeds") + f"?organization={seed.organization_id}")


@require_POST
@login_required
def seed_import(request):
    organization = _organization(request, request.POST.get("organization"))
    form = UploadForm(request.POST, request.FILES)
    errors = []
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            created, updated = actions.import_seeds(
                upload.read(), upload.name, organization=organization, by=request.user
            )
        except DataImportError as exc:
            errors = exc.errors
        else:
            messages.success(
                request,
                _("取り込みました（新規 %(c)s 件、更新 %(u)s 件）。")
                % {"c": created, "u": updated},
            )
            return redirect(reverse("matching:my_seeds") + f"?organization={organization.pk}")
    return _my_seeds_page(request, organization, upload=form, errors=errors, status=400)


def seed_template(request):
    """The import's template: Japanese headers (required ones marked) and an example row;
    UTF-8 with BOM, so Excel opens it as it is."""
    stream = io.StringIO()
    spreadsheets.write_csv(
        stream,
        actions.seed_template_header(),
        [[actions.SEED_EXAMPLE[column] for column in actions.SEED_COLUMNS]],
    )
    response = HttpResponse(stream.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="renkei-seeds-template.csv"'
    return response


@login_required
def partners(request):
    """Find partners: needs in the queue that fit the organisation's seeds."""
    organization = _organization(request, request.GET.get("organization"))
    own = Seed.objects.active().filter(organization=organization)
    return render(
        request,
        "matching/partners.html",
        {
            "organization": organization,
            "organizations": member_organizations(request.user),
            "fits": indexes.needs_for_seeds(own),
            "seed_total": own.count(),
        },
    )
