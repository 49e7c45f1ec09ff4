"""Pages of regulatory consultations: the public Q&A and its search, the form to ask, the
asker's private page, the inbox of the windows' organisations and the secretariat, a
consultation's page for those who answer it, and the signed link of a window without
accounts."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from renkei.lib.forms import add_errors
from renkei.matching import throttle
from renkei.regions.rules import member_organization_ids
from renkei.regulatory import actions, indexes
from renkei.regulatory.forms import AnswerForm, AskForm, PublishForm, RouteForm, SearchForm
from renkei.regulatory.models import (
    RegulatoryConsultation,
    consultation_for_answer_token,
    consultation_for_status_token,
)
from renkei.regulatory.routing import candidates
from renkei.regulatory.rules import answers_consultation, sees_inbox

Status = RegulatoryConsultation.Status


def index(request):
    """The published Q&A, searchable, and the way to ask."""
    form = SearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    query = (data.get("q") or "").strip()
    if query:
        items = indexes.search(query)
    else:
        items = RegulatoryConsultation.objects.published().select_related("window__organization")
    if data.get("topic"):
        items = [c for c in items if c.topic == data["topic"]]
    page = Paginator(list(items), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "regulatory/index.html",
        {"form": form, "page": page, "query": query, "inbox": sees_inbox(request.user)},
    )


def qa(request, pk):
    consultation = get_object_or_404(
        RegulatoryConsultation.objects.published().select_related("window__organization"), pk=pk
    )
    return render(request, "regulatory/qa.html", {"consultation": consultation})


def ask(request):
    if request.method == "POST":
        form = AskForm(request.POST)
        if form.is_bot():
            return redirect("regulatory:sent")
        if form.is_valid():
            if not throttle.hit(
                request, "regulatory_form", limit=settings.RENKEI_NEED_FORM_LIMIT, window=3600
            ):
                response = render(request, "matching/too_many.html", status=429)
                response["Retry-After"] = "3600"
                return response
            try:
                actions.ask(form.cleaned_data, user=request.user)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                return redirect("regulatory:sent")
    else:
        form = AskForm()
    return render(request, "regulatory/ask.html", {"form": form})


def sent(request):
    return render(request, "regulatory/sent.html")


def status(request, token):
    """The asker's page: confirm (a button: mail scanners open links), then follow the
    question to its answer and give or withdraw consent to publish it anonymised."""
    consultation = consultation_for_status_token(token)
    if consultation is None:
        raise Http404(_("このリンクは無効です。"))
    if request.method == "POST":
        try:
            if request.POST.get("action") == "confirm":
                actions.confirm(consultation)
                messages.success(request, _("受け付けました。担当の窓口から回答が届きます。"))
            elif request.POST.get("publish") in ("yes", "no"):
                actions.set_publish_consent(
                    consultation, request.POST["publish"] == "yes", token=token
                )
                messages.success(request, _("公開についてのご希望を受け付けました。"))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("regulatory:status", token=token)
    consultation = RegulatoryConsultation.objects.select_related(
        "window__organization", "prefecture"
    ).get(pk=consultation.pk)
    return render(request, "regulatory/status.html", {"consultation": consultation, "token": token})


@login_required
def inbox(request):
    if not sees_inbox(request.user):
        raise PermissionDenied(_("このページは、窓口を持つ機関の担当者と事務局が使えます。"))
    items = RegulatoryConsultation.objects.exclude(status=Status.UNCONFIRMED).select_related(
        "window__organization", "prefecture"
    )
    if not request.user.is_secretariat:
        items = items.routed_to(member_organization_ids(request.user))
    status = request.GET.get("status") or ""
    if status in Status.values:
        items = items.filter(status=status)
    else:
        items = items.filter(Q(status=Status.ROUTED) | Q(status=Status.UNROUTED))
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "regulatory/inbox.html",
        {
            "page": page,
            "status": status,
            "statuses": [s for s in Status.choices if s[0] != Status.UNCONFIRMED],
        },
    )


def _page(request, consultation, *, via_link=False, token="", answer_form=None, publish_form=None):
    secretariat = request.user.is_authenticated and request.user.is_secretariat
    can_answer = via_link or answers_consultation(request.user, consultation)
    if not can_answer:
        raise PermissionDenied(
            _("このご相談を見られるのは、振り分けられた窓口の機関と事務局です。")
        )
    return render(
        request,
        "regulatory/detail.html",
        {
            "consultation": consultation,
            "via_link": via_link,
            "token": token,
            "answer_form": answer_form
            or (AnswerForm() if consultation.status == Status.ROUTED else None),
            "publish_form": publish_form
            or (
                PublishForm(
                    initial={
                        "public_question": consultation.public_question,
                        "public_answer": consultation.public_answer,
                    }
                )
                if consultation.status == Status.ANSWERED
                and consultation.publish_consent
                and not consultation.is_published
                and not via_link
                else None
            ),
            "route_form": RouteForm() if secretariat else None,
            "suggested": candidates(consultation.topic, consultation.prefecture)[:5]
            if secretariat
            else [],
        },
    )


def _consultation(pk):
    return get_object_or_404(
        RegulatoryConsultation.objects.select_related("window__organization", "prefecture"),
        pk=pk,
    )


@login_required
def detail(request, pk):
    consultation = _consultation(pk)
    if consultation.status == Status.UNCONFIRMED:
        raise Http404
    if request.method == "POST":
        step = request.POST.get("step")
        try:
            if step == "answer":
                form = AnswerForm(request.POST)
                if not form.is_valid():
                    return _page(request, consultation, answer_form=form)
                actions.answer(
                    consultation,
                    form.cleaned_data["answer"],
                    by=request.user,
                    public_question=form.cleaned_data["public_question"],
                    public_answer=form.cleaned_data["public_answer"],
                )
                messages.success(request, _("回答を相談者に送りました。"))
            elif step == "publish":
                form = PublishForm(request.POST)
                if not form.is_valid():
                    return _page(request, consultation, publish_form=form)
                actions.publish(consultation, by=request.user, **form.cleaned_data)
                messages.success(request, _("匿名の質問と回答を公開しました。"))
            elif step == "route":
                form = RouteForm(request.POST)
                if form.is_valid():
                    actions.route(consultation, form.cleaned_data["window"], by=request.user)
                    messages.success(request, _("窓口に振り分けました。"))
            elif step == "close":
                actions.close(consultation, by=request.user)
                messages.success(request, _("このご相談を終了しました。"))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(consultation)
    return _page(request, consultation)


def answer_by_link(request, token):
    consultation = consultation_for_answer_token(token)
    if consultation is None:
        raise Http404(_("このリンクは無効です。"))
    consultation = _consultation(consultation.pk)
    if request.method == "POST":
        form = AnswerForm(request.POST)
        if not form.is_valid():
            return _page(request, consultation, via_link=True, token=token, answer_form=form)
        label = _("%(org)s（窓口のリンク）") % {"org": consultation.window.organization.name}
        try:
            actions.answer(
                consultation,
                form.cleaned_data["answer"],
                via=label,
                public_question=form.cleaned_data["public_question"],
                public_answer=form.cleaned_data["public_answer"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("回答を相談者に送りました。"))
        return redirect("regulatory:answer", token=token)
    return _page(request, consultation, via_link=True, token=token)
