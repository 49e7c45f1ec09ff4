"""A reviewer's pages: the assignments, declaring a conflict of interest, submitting scores."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renkei.communities import actions
from renkei.communities.forms import ConflictForm, ReviewForm
from renkei.communities.models import ReviewAssignment
from renkei.communities.models.rounds import REQUIREMENTS
from renkei.communities.views.applications import render_application
from renkei.lib.forms import add_errors


def _own_assignment(request, pk):
    return get_object_or_404(
        ReviewAssignment.objects.select_related("application__round"), pk=pk, reviewer=request.user
    )


@login_required
@require_POST
def assignment_conflict(request, pk):
    assignment = _own_assignment(request, pk)
    form = ConflictForm(request.POST)
    if not form.is_valid():
        return render_application(request, assignment.application, status=400, conflict_form=form)
    try:
        actions.declare_conflict(assignment, form.cleaned_data["reason"], by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return render_application(request, assignment.application, status=400)
    messages.success(request, _("利益相反を申告しました。この申請は審査しません。"))
    return redirect("communities:reviews")


@login_required
@require_POST
def assignment_review(request, pk):
    assignment = _own_assignment(request, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return render_application(request, assignment.application, status=400, review_form=form)
    data = form.cleaned_data
    try:
        actions.submit_review(
            assignment,
            {field: data[f"{field}_score"] for field, _label in REQUIREMENTS},
            {field: data[f"{field}_comment"] for field, _label in REQUIREMENTS},
            by=request.user,
        )
    except ValidationError as exc:
        add_errors(form, exc)
        return render_application(request, assignment.application, status=400, review_form=form)
    messages.success(request, _("審査結果を提出しました。"))
    return redirect(assignment.application)


@login_required
def reviews(request):
    assignments = (
        ReviewAssignment.objects.filter(reviewer=request.user)
        .select_related("application__community", "application__round")
        .order_by("-assigned_at")
    )
    return render(request, "communities/reviews.html", {"assignments": assignments})
