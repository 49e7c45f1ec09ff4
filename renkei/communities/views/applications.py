"""The page of one application and what each role does on it. Every form of the page posts
to the page's own address (a hidden ``form`` field says which), so a refused form is shown
again at the address of the page, with what was typed and why it was refused:

- the coordinator's one form: answers, a file to attach, an attachment to remove, submit;
- undoing a withdrawal (withdrawing itself asks first, on its own page);
- the reviewer's scores (saved as a draft or submitted) and a conflict of interest;
- the secretariat's assignment of reviewers and its decision."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from renkei.communities import actions
from renkei.communities.forms import (
    ApplicationForm,
    AssignForm,
    ConflictForm,
    DecisionForm,
    ReviewForm,
)
from renkei.communities.models import Application, Attachment
from renkei.communities.models.rounds import REQUIREMENTS, RUBRIC
from renkei.communities.rules import is_coordinator_of
from renkei.lib.forms import add_errors
from renkei.lib.params import object_id


def _application_for(request, pk):
    return get_object_or_404(
        Application.objects.visible_to(request.user).select_related("round", "community"), pk=pk
    )


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
        "rubric": RUBRIC,
        "now": now,
        "assignments": application.assignments.select_related("reviewer", "reviewer__affiliation"),
    }
    if role == "coordinator" and application.state == Application.State.DRAFT:
        context["application_form"] = forms.get("application_form") or ApplicationForm(
            initial={field: getattr(application, field) for field, _label in REQUIREMENTS}
        )
    if role == "coordinator":
        context["can_reopen"] = actions.can_reopen(application, now)
    can_review = (
        role == "reviewer"
        and not assignment.conflict_declared
        and not own_review
        and application.state == Application.State.UNDER_REVIEW
        and application.round.review_open(now)
    )
    if can_review:
        draft = getattr(assignment, "review_draft", None)
        context["review_draft"] = draft
        context["review_form"] = forms.get("review_form") or ReviewForm(
            initial=draft.form_initial() if draft else None
        )
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


@require_http_methods(["GET", "HEAD", "POST"])
def application_detail(request, pk):
    application = _application_for(request, pk)
    if request.method != "POST":
        return render_application(request, application)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    handler = PAGE_FORMS.get(request.POST.get("form", ""))
    if handler is None:
        messages.error(request, _("送信されたフォームが分かりません。ページを開き直してください。"))
        return render_application(request, application, status=400)
    return handler(request, application)


def _refused(request, application, exc, **forms):
    """Show an action's refusal on the page (at its own address) and change nothing."""
    for message in exc.messages:
        messages.error(request, message)
    application = Application.objects.select_related("round", "community").get(pk=application.pk)
    return render_application(request, application, status=400, **forms)


def _act(request, application, action, success, **kwargs):
    """Run a workflow action; on a refusal show why and change nothing."""
    try:
        action(application, by=request.user, **kwargs)
    except ValidationError as exc:
        return _refused(request, application, exc)
    messages.success(request, success)
    return redirect(application)


# --- the coordinator ----------------------------------------------------------------------


def _post_application(request, application):
    """Save the answers, then attach, remove or submit as the button pressed asks."""
    form = ApplicationForm(request.POST, request.FILES)
    if not form.answers_valid():
        return render_application(request, application, status=400, application_form=form)
    action = form.action()
    if "file" in form.errors:  # a file refused by its name or size: save the answers only
        actions.save_application(application, form.answers(), by=request.user)
        messages.success(request, _("回答を保存しました。添付資料は登録していません。"))
        return render_application(request, application, status=400, application_form=form)
    upload = form.cleaned_data.get("file")
    if action == "attach" and not upload:
        form.add_error("file", _("添付するファイルを選んでください。"))
    remove = None
    if request.POST.get("remove_attachment"):
        remove = get_object_or_404(
            application.attachments,
            pk=object_id(request.POST["remove_attachment"], "remove_attachment"),
        )
    try:
        actions.save_application(
            application,
            form.answers(),
            by=request.user,
            upload=upload,
            remove=remove,
            submit=action == "submit",
        )
    except ValidationError as exc:
        add_errors(form, exc)
        messages.success(request, _("回答を保存しました。"))
        application = Application.objects.select_related("round", "community").get(
            pk=application.pk
        )
        return render_application(request, application, status=400, application_form=form)
    if "file" in form.errors:  # 「添付する」 without a file: the answers are saved
        messages.success(request, _("回答を保存しました。"))
        return render_application(request, application, status=400, application_form=form)
    if action == "submit":
        messages.success(request, _("回答を保存し、申請を提出しました。"))
    elif upload:
        messages.success(
            request,
            _("回答を保存し、「%(name)s」を添付しました。") % {"name": upload.name},
        )
    elif remove is not None:
        messages.success(
            request,
            _("回答を保存し、「%(name)s」を削除しました。") % {"name": remove.original_name},
        )
    else:
        messages.success(request, _("回答を保存しました。"))
    return redirect(application)


def _post_reopen(request, application):
    return _act(
        request,
        application,
        actions.reopen_application,
        _("取下げを取り消しました。申請は下書きに戻りました。提出し直してください。"),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def application_withdraw(request, pk):
    """Withdrawing asks first, on this page, and says until when it can be undone."""
    application = _application_for(request, pk)
    role, _assignment = _role_in(request.user, application)
    if role == "public":
        raise Http404
    if role != "coordinator":
        raise PermissionDenied(
            _("申請を取り下げられるのは、コミュニティのコーディネーターだけです。")
        )
    if request.method == "POST":
        try:
            actions.withdraw_application(application, by=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return _withdraw_page(request, application, status=400)
        messages.success(request, _("申請を取り下げました。"))
        return redirect(application)
    return _withdraw_page(request, application)


def _withdraw_page(request, application, status=200):
    return render(
        request,
        "communities/withdraw.html",
        {
            "application": application,
            "can_withdraw": application.state in actions.TRANSITIONS["withdraw"][0],
            "can_undo": application.round.accepts_submissions(timezone.now()),
        },
        status=status,
    )


# --- the reviewer -------------------------------------------------------------------------


def _own_assignment(request, application):
    assignment = application.assignments.filter(reviewer=request.user).first()
    if assignment is None:
        raise Http404
    return assignment


def _post_review(request, application):
    assignment = _own_assignment(request, application)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return render_application(request, application, status=400, review_form=form)
    draft = form.action() == "save_draft"
    save = actions.save_review_draft if draft else actions.submit_review
    try:
        save(assignment, form.scores(), form.comments(), by=request.user)
    except ValidationError as exc:
        add_errors(form, exc)
        return render_application(request, application, status=400, review_form=form)
    if draft:
        messages.success(
            request, _("審査の下書きを保存しました。提出するまで、他の人には見えません。")
        )
    else:
        messages.success(request, _("審査結果を提出しました。"))
    return redirect(application)


def _post_conflict(request, application):
    assignment = _own_assignment(request, application)
    form = ConflictForm(request.POST)
    if not form.is_valid():
        return render_application(request, application, status=400, conflict_form=form)
    try:
        actions.declare_conflict(assignment, form.cleaned_data["reason"], by=request.user)
    except ValidationError as exc:
        return _refused(request, application, exc)
    messages.success(request, _("利益相反を申告しました。この申請は審査しません。"))
    return redirect("communities:reviews")


# --- the secretariat ----------------------------------------------------------------------


def _post_assign(request, application):
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


def _post_decide(request, application):
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


# The page's forms by their hidden ``form`` field.
PAGE_FORMS = {
    "application": _post_application,
    "reopen": _post_reopen,
    "review": _post_review,
    "conflict": _post_conflict,
    "assign": _post_assign,
    "decide": _post_decide,
}


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
