"""Survey pages: the list, results, the secretariat's design/send/progress pages, exports,
and the answer page that organisations open from their link (no account)."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renkei.accounts.permissions import require
from renkei.councils import actions
from renkei.councils.forms import AnswerForm, QuestionForm, RecipientsForm, SurveyForm
from renkei.councils.models import Question, Survey, SurveyInvitation
from renkei.councils.results import aggregate_rows, answer_rows, survey_results
from renkei.lib import spreadsheets
from renkei.notifications.actions import absolute


def _secretariat(request):
    return request.user.is_authenticated and request.user.is_secretariat


def _survey_for(request, slug):
    return get_object_or_404(Survey.objects.visible_to(request.user), slug=slug)


def _managed(request, slug):
    survey = get_object_or_404(Survey, slug=slug)
    require(request.user, "councils.change_survey", survey)
    return survey


def surveys(request):
    items = Survey.objects.visible_to(request.user).order_by("-created_at")
    return render(
        request,
        "councils/surveys.html",
        {"surveys": items, "can_add": request.user.has_perm("councils.add_survey")},
    )


def survey(request, slug):
    survey = _survey_for(request, slug)
    secretariat = _secretariat(request)
    answers_visible = secretariat or (survey.results_published and survey.answers_public)
    results = survey_results(survey, with_texts=answers_visible)
    header, rows = answer_rows(survey) if answers_visible else ([], [])
    submitted = (
        dict(survey.responses.values_list("organization__name", "updated_at")) if rows else {}
    )
    return render(
        request,
        "councils/survey.html",
        {
            "survey": survey,
            "results": results,
            "secretariat": secretariat,
            "answers_visible": answers_visible,
            "answer_header": header[4:] if header else [],
            "answer_rows": [
                (
                    row["organization"],
                    submitted.get(row["organization"]),
                    [row[h] for h in header[4:]],
                )
                for row in rows
            ],
            "examples": survey.composition_examples.all(),
            "cases": survey.case_studies.select_related("prefecture"),
            "invited": survey.invitations.count(),
            "answered": survey.responses.count(),
        },
    )


@login_required
def survey_edit(request, slug=None):
    if slug is None:
        require(request.user, "councils.add_survey")
        survey = Survey()
    else:
        survey = _managed(request, slug)
        if survey.origin != Survey.Origin.RENKEI:
            raise Http404
    form = SurveyForm(request.POST or None, instance=survey)
    if request.method == "POST" and form.is_valid():
        survey = actions.save_survey(form, by=request.user)
        messages.success(request, _("調査を保存しました。"))
        return redirect("councils:survey_edit", survey.slug)
    return render(
        request,
        "councils/survey_form.html",
        {
            "form": form,
            "survey": survey if survey.pk else None,
            "questions": survey.questions.all() if survey.pk else [],
            "question_form": QuestionForm() if survey.pk else None,
        },
        status=400 if form.errors else 200,
    )


@require_POST
@login_required
def question_add(request, slug):
    survey = _managed(request, slug)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            actions.add_question(form, survey, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("設問を追加しました。"))
        return redirect("councils:survey_edit", survey.slug)
    return render(
        request,
        "councils/survey_form.html",
        {
            "form": SurveyForm(instance=survey),
            "survey": survey,
            "questions": survey.questions.all(),
            "question_form": form,
        },
        status=400,
    )


@require_POST
@login_required
def question_delete(request, pk):
    question = get_object_or_404(Question.objects.select_related("survey"), pk=pk)
    try:
        actions.delete_question(question, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("councils:survey_edit", question.survey.slug)


@login_required
def survey_send(request, slug):
    survey = _managed(request, slug)
    form = RecipientsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = actions.send_survey(survey, form.cleaned_data["recipients"], by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("%(n)s 団体に回答のお願いを送りました。") % {"n": len(created)}
            )
            return redirect("councils:survey_progress", survey.slug)
    return render(
        request,
        "councils/survey_send.html",
        {"form": form, "survey": survey},
        status=400 if form.errors else 200,
    )


@login_required
def survey_progress(request, slug):
    survey = _managed(request, slug)
    invitations = survey.invitations.select_related("organization", "response")
    rows = []
    for invitation in invitations:
        response = getattr(invitation, "response", None)
        rows.append((invitation, response))
    answered = sum(1 for _i, r in rows if r)
    return render(
        request,
        "councils/survey_progress.html",
        {
            "survey": survey,
            "rows": rows,
            "answered": answered,
            "pending": len(rows) - answered,
            "percent": round(100 * answered / len(rows)) if rows else 0,
            "unreached": sum(1 for i, r in rows if i.sent_at is None and r is None),
            "accepts": survey.accepts_answers(),
        },
    )


def _post_action(request, slug, action, success):
    survey = _managed(request, slug)
    try:
        result = action(survey, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success(result))
    return redirect("councils:survey_progress", survey.slug)


@require_POST
@login_required
def survey_remind(request, slug):
    return _post_action(
        request,
        slug,
        actions.remind_survey,
        lambda n: _("%(n)s 団体に督促を送りました。") % {"n": n},
    )


@require_POST
@login_required
def survey_close(request, slug):
    return _post_action(request, slug, actions.close_survey, lambda _s: _("調査を締め切りました。"))


@require_POST
@login_required
def survey_publish(request, slug):
    return _post_action(
        request, slug, actions.publish_results, lambda _s: _("調査結果を公表しました。")
    )


@require_POST
@login_required
def invitation_reissue(request, pk):
    invitation = get_object_or_404(SurveyInvitation.objects.select_related("survey"), pk=pk)
    try:
        actions.reissue_link(invitation, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("「%(o)s」に新しいリンクを送りました（前のリンクは使えなくなりました）。")
            % {"o": invitation.organization.name},
        )
    return redirect("councils:survey_progress", invitation.survey.slug)


def _table_response(header, rows, name, fmt):
    if fmt == "xlsx":
        stream = io.BytesIO()
        spreadsheets.write_xlsx(stream, header, rows, title="survey")
        response = HttpResponse(
            stream.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        stream = io.StringIO()
        spreadsheets.write_csv(stream, header, rows)
        response = HttpResponse(stream.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def survey_export(request, slug, fmt):
    """Aggregates (public once published) or per-organisation answers (the secretariat, or
    the public when the survey publishes them) as CSV or XLSX."""
    survey = _survey_for(request, slug)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    what = request.GET.get("what", "aggregates")
    if what == "answers":
        if not (_secretariat(request) or (survey.results_published and survey.answers_public)):
            raise PermissionDenied(_("団体ごとの回答は公表されていません。"))
        header, rows = answer_rows(survey)
    elif what == "aggregates":
        header, rows = aggregate_rows(survey)
    else:
        raise Http404
    return _table_response(header, rows, f"renkei-{survey.slug}-{what}", fmt)


@login_required
def survey_links(request, slug):
    """Every organisation's answer link, for the secretariat to send by its own means."""
    survey = _managed(request, slug)
    rows = [
        {
            "organization": i.organization.name,
            "code": i.organization.lg_code or i.organization.school_code or "",
            "email": i.email,
            "link": absolute(i.get_absolute_url()),
        }
        for i in survey.invitations.select_related("organization")
    ]
    return _table_response(
        ["organization", "code", "email", "link"], rows, f"renkei-{survey.slug}-links", "csv"
    )


# --- answering -----------------------------------------------------------------------------


def answer(request, token):
    """The organisation's answer page: no account, the link is the key."""
    now = timezone.now()
    try:
        invitation = actions.invitation_for(token, now=now)
    except actions.SurveyLinkError as exc:
        status = 410 if exc.code == "closed" else 404
        return render(
            request, "councils/answer.html", {"error": exc.message, "code": exc.code}, status=status
        )
    survey = invitation.survey
    response = getattr(invitation, "response", None)
    questions = survey.questions.all()
    form = AnswerForm(request.POST or None, questions=questions, response=response)
    if request.method == "POST" and form.is_valid():
        try:
            actions.answer_survey(token, form, now=now)
        except actions.SurveyLinkError as exc:
            return render(
                request,
                "councils/answer.html",
                {"error": exc.message, "code": exc.code},
                status=410,
            )
        return render(
            request,
            "councils/answer.html",
            {"survey": survey, "invitation": invitation, "saved": True, "edit_url": request.path},
        )
    return render(
        request,
        "councils/answer.html",
        {"survey": survey, "invitation": invitation, "form": form, "response": response},
        status=400 if form.errors else 200,
    )
