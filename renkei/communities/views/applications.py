"""The page of one application, what each role does on it (answers, attachments, submit,
withdraw, reviewers, the decision) and its attachments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renkei.communities import actions
from renkei.communities.forms import (
    AnswersForm,
    AssignForm,
    AttachmentForm,
    ConflictForm,
    DecisionForm,
    ReviewForm,
)
from renkei.communities.models import Application, Attachment
from renkei.communities.models.rounds import REQUIREMENTS
from renkei.communities.rules import is_coordinator_of
from renkei.lib.forms import add_errors


def _application_for(request, pk):
    application = get_object_or_404(
        Application.objects.visible_to(request.user).select_related("round", "community"), pk=pk
    )
    return application


def _role_in(user, application):
    if not user.is_authenticated:
        return "public", None
    if user.is_secretariat:
        return "secretariat", None
    if is_coordinator_of(user, application.community):
        return "coordinator", None
    assignment = application.assignments.filter(reviewer=user).first()
    if assignment:
        return "reviewer", assignment
    return "public", None


def render_application(request, application, status=200, **forms):
    role, assignment = _role_in(request.user, application)
    if role == "public":
        if application.state == Application.State.PUBLISHED:
            return redirect("communities:results", pk=application.round_id)
        raise Http404
    reviews, sheet = actions.score_sheet(application)
    own_review = getattr(assignment, "review", None) if assignment else None
    now = timezone.now()
    context = {
        "application": application,
        "role": role,
        "assignment": assignment,
        "own_review": own_review,
        "attachments": application.attachments.all(),
        "requirements": REQUIREMENTS,
        "now": now,
        "assignments": application.assignments.select_related("reviewer", "reviewer__affiliation"),
    }
    if role == "coordinator" and application.state == Application.State.DRAFT:
        context["answers_form"] = forms.get("answers_form") or AnswersForm(
            initial={field: getattr(application, field) for field, _label in REQUIREMENTS}
        )
        context["attachment_form"] = forms.get("attachment_form") or AttachmentForm()
    can_review = (
        role == "reviewer"
        and not assignment.conflict_declared
        and not own_review
        and application.state == Application.State.UNDER_REVIEW
        and application.round.review_open(now)
    )
    if can_review:
        context["review_form"] = forms.get("review_form") or ReviewForm()
        context["conflict_form"] = forms.get("conflict_form") or ConflictForm()
    # Reviewers see the others' scores only after submitting their own.
    if role == "secretariat" or (role == "reviewer" and own_review):
        context["sheet"] = sheet
        context["reviews"] = reviews
    if role == "secretariat":
        if application.state in (Application.State.SUBMITTED, Application.State.UNDER_REVIEW):
            context["assign_form"] = forms.get("assign_form") or AssignForm(
                round_=application.round, application=application
            )
        if application.state == Application.State.UNDER_REVIEW:
            context["decision_form"] = forms.get("decision_form") or DecisionForm()
    return render(request, "communities/application.html", context, status=status)


def application_detail(request, pk):
    return render_application(request, _application_for(request, pk))


def _act(request, application, action, success, **kwargs):
    """Run a workflow action; on a refusal show why and change nothing."""
    try:
        action(application, by=request.user, **kwargs)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return render_application(request, Application.objects.get(pk=application.pk), status=400)
    messages.success(request, success)
    return redirect(application)


@login_required
@require_POST
def application_answers(request, pk):
    application = _application_for(request, pk)
    form = AnswersForm(request.POST)
    if not form.is_valid():
        return render_application(request, application, status=400, answers_form=form)
    return _act(
        request,
        application,
        actions.update_answers,
        _("回答を保存しました。"),
        answers=form.cleaned_data,
    )


@login_required
@require_POST
def application_attach(request, pk):
    application = _application_for(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        return render_application(request, application, status=400, attachment_form=form)
    try:
        actions.add_attachment(application, form.cleaned_data["file"], by=request.user)
    except ValidationError as exc:
        add_errors(form, exc, field="file")
        return render_application(request, application, status=400, attachment_form=form)
    messages.success(request, _("添付資料を登録しました。"))
    return redirect(application)


@login_required
@require_POST
def application_submit(request, pk):
    application = _application_for(request, pk)
    return _act(request, application, actions.submit_application, _("申請を提出しました。"))


@login_required
@require_POST
def application_withdraw(request, pk):
    application = _application_for(request, pk)
    return _act(request, application, actions.withdraw_application, _("申請を取り下げました。"))


@login_required
@require_POST
def application_assign(request, pk):
    application = _application_for(request, pk)
    form = AssignForm(request.POST, round_=application.round)
    if not form.is_valid():
        return render_application(request, application, status=400, assign_form=form)
    return _act(
        request,
        application,
        actions.assign_reviewer,
        _("審査委員を割り当てました。"),
        reviewer=form.cleaned_data["reviewer"],
    )


@login_required
@require_POST
def application_decide(request, pk):
    application = _application_for(request, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return render_application(request, application, status=400, decision_form=form)
    return _act(
        request,
        application,
        actions.decide_application,
        _("決定を記録しました（公表はラウンドの公表で行います）。"),
        decision=form.cleaned_data["decision"],
        reasons=form.cleaned_data["reasons"],
    )


def attachment_download(request, pk, attachment_pk):
    application = _application_for(request, pk)
    role, assignment = _role_in(request.user, application)
    if role == "public" or (role == "reviewer" and assignment.conflict_declared):
        raise Http404
    attachment = get_object_or_404(Attachment, pk=attachment_pk, application=application)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type="application/pdf",
    )
