"""Pages of the certification workflow: thin views around renkei.communities.workflow."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renkei.communities import workflow
from renkei.communities.forms import (
    AnswersForm,
    AssignForm,
    AttachmentForm,
    ConflictForm,
    DecisionForm,
    ReviewForm,
    RoundForm,
    StartApplicationForm,
)
from renkei.communities.models import (
    Application,
    Attachment,
    CertificationRound,
    Community,
    ReviewAssignment,
)
from renkei.communities.models.rounds import REQUIREMENTS
from renkei.communities.rules import coordinated_community_ids, is_coordinator_of
from renkei.lib.forms import add_errors


def _coordinated(user):
    return Community.objects.filter(pk__in=coordinated_community_ids(user))


def rounds(request):
    user = request.user
    visible = CertificationRound.objects.all()
    if not (user.is_authenticated and user.is_secretariat):
        visible = visible.exclude(status=CertificationRound.Status.OPEN, opens_at__isnull=True)
    now = timezone.now()
    communities = _coordinated(user)
    return render(
        request,
        "communities/rounds.html",
        {
            "rounds": visible,
            "now": now,
            "open_rounds": [r for r in visible if r.accepts_submissions(now)],
            "communities": communities,
            "my_applications": Application.objects.filter(community__in=communities).select_related(
                "round", "community"
            ),
            "is_secretariat": user.is_authenticated and user.is_secretariat,
        },
    )


@login_required
def round_new(request):
    if not request.user.is_secretariat:
        raise PermissionDenied(_("ラウンドを開けるのは事務局だけです。"))
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = workflow.open_round(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("ラウンドを開きました。"))
            return redirect(round_)
    status = 400 if request.method == "POST" else 200
    return render(request, "communities/round_new.html", {"form": form}, status=status)


def round_detail(request, pk):
    round_ = get_object_or_404(CertificationRound, pk=pk)
    user = request.user
    is_secretariat = user.is_authenticated and user.is_secretariat
    applications = []
    if is_secretariat:
        applications = list(
            round_.applications.select_related("community").prefetch_related(
                "assignments__reviewer", "assignments__review"
            )
        )
    elif round_.status != CertificationRound.Status.PUBLISHED and not round_.opens_at:
        raise Http404
    return render(
        request,
        "communities/round.html",
        {
            "round": round_,
            "applications": applications,
            "is_secretariat": is_secretariat,
            "start_form": StartApplicationForm(
                communities=_coordinated(user).filter(kind=round_.kind)
            )
            if round_.accepts_submissions(timezone.now()) and _coordinated(user).exists()
            else None,
        },
    )


def round_results(request, pk):
    round_ = get_object_or_404(CertificationRound.objects.published(), pk=pk)
    results = round_.applications.filter(state=Application.State.PUBLISHED).select_related(
        "community"
    )
    return render(request, "communities/results.html", {"round": round_, "results": results})


@login_required
@require_POST
def round_publish(request, pk):
    round_ = get_object_or_404(CertificationRound, pk=pk)
    try:
        workflow.publish_round(round_, by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(round_)
    messages.success(request, _("結果を公表しました。"))
    return redirect("communities:results", pk=round_.pk)


@login_required
@require_POST
def application_start(request, pk):
    round_ = get_object_or_404(CertificationRound, pk=pk)
    form = StartApplicationForm(request.POST, communities=_coordinated(request.user))
    if not form.is_valid():
        raise PermissionDenied(_("このコミュニティのコーディネーターだけが申請できます。"))
    try:
        application = workflow.start_application(
            round_, form.cleaned_data["community"], by=request.user
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(round_)
    return redirect(application)


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
    reviews, sheet = workflow.score_sheet(application)
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
                round_=application.round
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
        workflow.update_answers,
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
        workflow.add_attachment(application, form.cleaned_data["file"], by=request.user)
    except ValidationError as exc:
        add_errors(form, exc, field="file")
        return render_application(request, application, status=400, attachment_form=form)
    messages.success(request, _("添付資料を登録しました。"))
    return redirect(application)


@login_required
@require_POST
def application_submit(request, pk):
    application = _application_for(request, pk)
    return _act(request, application, workflow.submit_application, _("申請を提出しました。"))


@login_required
@require_POST
def application_withdraw(request, pk):
    application = _application_for(request, pk)
    return _act(request, application, workflow.withdraw_application, _("申請を取り下げました。"))


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
        workflow.assign_reviewer,
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
        workflow.decide_application,
        _("決定を記録しました（公表はラウンドの公表で行います）。"),
        decision=form.cleaned_data["decision"],
        reasons=form.cleaned_data["reasons"],
    )


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
        workflow.declare_conflict(assignment, form.cleaned_data["reason"], by=request.user)
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
        workflow.submit_review(
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


@login_required
def reviews(request):
    assignments = (
        ReviewAssignment.objects.filter(reviewer=request.user)
        .select_related("application__community", "application__round")
        .order_by("-assigned_at")
    )
    return render(request, "communities/reviews.html", {"assignments": assignments})
