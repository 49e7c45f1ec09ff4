"""Pages of experts and coordinators: the directory (public profiles; all of them for
coordinators and the secretariat), a profile, its form, a need's assignment page (who fits
the need's text, with each person's open load) and the consultation form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renkei.accounts.models import User
from renkei.experts import actions
from renkei.experts.forms import AssignForm, ConsultationForm, ExpertForm, ExpertSearchForm
from renkei.experts.indexes import rank_experts, search_experts
from renkei.experts.models import Assignment, Expert
from renkei.experts.rules import can_edit_expert, records_consultations_of, registers_experts
from renkei.lib.forms import add_errors
from renkei.matching.forms import ReassignForm
from renkei.matching.models import Need
from renkei.matching.rules import acts_on_need, handles_need


def _lead_load(users):
    """Open needs each of these people leads as the coordinator who took them."""
    rows = (
        Need.objects.open()
        .filter(assigned_to__in=users)
        .values("assigned_to")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["assigned_to"]: row["n"] for row in rows}


def directory(request):
    form = ExpertSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    query = (data.get("q") or "").strip()
    if query:
        experts = [expert for expert, _result in search_experts(query, user=request.user)]
    else:
        experts = (
            Expert.objects.visible_to(request.user)
            .active()
            .select_related("organization")
            .prefetch_related("regions")
        )
        if data.get("kind"):
            experts = experts.filter(kind=data["kind"])
        if data.get("engagement"):
            experts = [e for e in experts if data["engagement"] in e.engagement]
    if data.get("prefecture"):
        experts = [e for e in experts if e.covers(data["prefecture"].code)]
    page = Paginator(list(experts), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "experts/directory.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "can_register": registers_experts(request.user),
        },
    )


def detail(request, pk):
    expert = get_object_or_404(
        Expert.objects.visible_to(request.user)
        .select_related("organization", "community", "user")
        .prefetch_related("regions", "market_areas"),
        pk=pk,
    )
    inside = can_edit_expert(request.user, expert) or registers_experts(request.user)
    return render(
        request,
        "experts/detail.html",
        {
            "expert": expert,
            "can_edit": can_edit_expert(request.user, expert),
            "can_record": records_consultations_of(request.user, expert),
            "assignments": (expert.assignments.open().select_related("need") if inside else []),
            "consultations": expert.consultations.select_related("need") if inside else [],
        },
    )


@login_required
def edit(request, pk=None):
    expert = get_object_or_404(Expert, pk=pk) if pk else None
    if expert is not None and not can_edit_expert(request.user, expert):
        raise PermissionDenied(_("このプロフィールは編集できません。"))
    if expert is None and not registers_experts(request.user):
        raise PermissionDenied(_("専門家を登録できるのは、コーディネーターと事務局です。"))
    form = ExpertForm(request.POST or None, instance=expert)
    if request.method == "POST" and form.is_valid():
        try:
            expert = actions.save_expert(form, by=request.user)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("プロフィールを保存しました。"))
            return redirect(expert)
    return render(request, "experts/form.html", {"form": form, "expert": expert})


@login_required
def need_experts(request, pk):
    """Who can help with a need: experts ranked by its text with their open load, those
    assigned now, and (for the secretariat) the coordinators to hand the need to."""
    need = get_object_or_404(Need.objects.select_related("community", "assigned_to"), pk=pk)
    acting = acts_on_need(request.user, need)
    if not (acting or request.user.is_secretariat):
        raise PermissionDenied(
            _(
                "専門家を割り当てられるのは、このご相談を担当するコミュニティのコーディネーターと事務局です。"
            )
        )
    ranked = rank_experts(need, user=request.user)
    assigned = list(need.expert_assignments.filter(ended_at__isnull=True).select_related("expert"))
    coordinators = list(User.objects.holding("coordinator").prefetch_related("roles__community"))
    leads = _lead_load([c.pk for c in coordinators] + [e.user_id for e, _r in ranked if e.user_id])
    return render(
        request,
        "experts/need.html",
        {
            "need": need,
            "ranked": [
                (
                    expert,
                    result,
                    expert.open_assignments + leads.get(expert.user_id, 0),
                    expert.covers(need.prefecture_id),
                )
                for expert, result in ranked
            ],
            "assigned": assigned,
            "assigned_ids": {a.expert_id for a in assigned},
            "coordinators": [(c, leads.get(c.pk, 0)) for c in coordinators],
            "reassign_form": ReassignForm() if request.user.is_secretariat else None,
            "acting": acting or request.user.is_secretariat,
        },
    )


@require_POST
@login_required
def assign(request, pk, expert_pk):
    need = get_object_or_404(Need, pk=pk)
    expert = get_object_or_404(Expert, pk=expert_pk)
    form = AssignForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        actions.assign_expert(need, expert, by=request.user, note=note)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(name)sさんに割り当てました。") % {"name": expert.name})
    return redirect("experts:need", pk=need.pk)


@require_POST
@login_required
def end(request, pk):
    assignment = get_object_or_404(Assignment.objects.select_related("need", "expert"), pk=pk)
    try:
        actions.end_assignment(assignment, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("割当てを終えました。"))
    if handles_need(request.user, assignment.need) and acts_on_need(request.user, assignment.need):
        return redirect("experts:need", pk=assignment.need_id)
    return redirect(assignment.expert)


@login_required
def consultation_new(request, pk):
    expert = get_object_or_404(Expert, pk=pk)
    if not records_consultations_of(request.user, expert):
        raise PermissionDenied(_("この専門家の相談は記録できません。"))
    form = ConsultationForm(request.POST or None, expert=expert)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_consultation(expert, form, by=request.user)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("相談を記録しました。"))
            return redirect(expert)
    return render(request, "experts/consultation_form.html", {"form": form, "expert": expert})
