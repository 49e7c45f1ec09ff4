"""Pages of the pipeline (ADR 0009): what the need's page shows its coordinators (timeline,
proposals and their next steps), the proposal's page for the seed's organisation, the
signed answer link of a window without accounts, and the submitter's private status page.
Every write is an action in renkei.matching.actions; these views parse and redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renkei.matching import actions, next_steps
from renkei.matching.actions.pipeline import TRANSITIONS
from renkei.matching.forms import (
    AnswerForm,
    JudgeForm,
    MeetingForm,
    NoteForm,
    OutcomeForm,
    ProposeForm,
    ReassignForm,
    WithdrawForm,
)
from renkei.matching.models import (
    Judgement,
    Need,
    Proposal,
    Seed,
    State,
    Step,
    need_for_status_token,
    proposal_for_answer_token,
)
from renkei.matching.rules import acts_on_need, answers_for, handles_need


def _can(proposal, kind):
    return proposal.state in TRANSITIONS[kind][0]


def _proposal_forms(proposal):
    """The forms the next steps of a proposal take, prefixed so their fields keep apart."""
    prefix = f"p{proposal.pk}"
    forms = {}
    if _can(proposal, Step.Kind.ASKED):
        forms["ask"] = NoteForm(prefix=f"{prefix}-ask")
    if _can(proposal, Step.Kind.CONSENT_ASKED):
        forms["consent"] = NoteForm(prefix=f"{prefix}-consent")
    if _can(proposal, Step.Kind.MEETING):
        forms["meeting"] = MeetingForm(prefix=f"{prefix}-meeting")
    if _can(proposal, Step.Kind.OUTCOME):
        forms["outcome"] = OutcomeForm(prefix=f"{prefix}-outcome")
    if _can(proposal, Step.Kind.WITHDRAWN):
        forms["withdraw"] = WithdrawForm(prefix=f"{prefix}-withdraw")
    return forms


def timeline(need):
    """The need's story: received, confirmed, then every step in order."""
    return list(need.steps.timeline())


def pipeline_context(request, need):
    """What the need's page adds for those who handle it (see need.html)."""
    user = request.user
    if not handles_need(user, need):
        return {}
    proposals = list(
        need.proposals.select_related("seed__organization", "seed__prefecture").order_by(
            "created_at", "pk"
        )
    )
    acting = acts_on_need(user, need)
    latest = Judgement.objects.filter(need=need).latest_per_pair()
    agreed = [p for p in proposals if p.state == State.AGREED]
    return {
        "handles": True,
        "acts": acting,
        "steps": timeline(need),
        "proposals": [(p, _proposal_forms(p) if acting else {}) for p in proposals],
        "proposed_seed_ids": {p.seed_id for p in proposals},
        "judged": {seed_id: j.useful for (_n, seed_id), j in latest.items()},
        "propose_form": ProposeForm(),
        "reassign_form": ReassignForm() if user.is_secretariat else None,
        "next_steps": [(p, next_steps.for_proposal(p)) for p in agreed],
    }


def _done(request, success):
    messages.success(request, success)


def _refused(request, exc):
    messages.error(request, " ".join(exc.messages))


def _form_errors(request, form):
    messages.error(request, " ".join(str(m) for errors in form.errors.values() for m in errors))


def _back(proposal_or_need, request):
    need = getattr(proposal_or_need, "need", proposal_or_need)
    if handles_need(request.user, need):
        return redirect(need.get_absolute_url() + "#pipeline")
    return redirect(proposal_or_need)


# --- the coordinators' steps (on the need's page) -----------------------------------------


@require_POST
@login_required
def propose(request, pk, seed_pk):
    need = get_object_or_404(Need, pk=pk)
    seed = get_object_or_404(Seed.objects.visible_to(request.user), pk=seed_pk)
    form = ProposeForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(need, request)
    try:
        actions.propose_seed(
            need,
            seed,
            by=request.user,
            note=form.cleaned_data["note"],
            ask=form.cleaned_data["ask"],
        )
    except ValidationError as exc:
        _refused(request, exc)
    else:
        _done(request, _("「%(seed)s」を提案しました。") % {"seed": seed.title})
    return _back(need, request)


@require_POST
@login_required
def judge(request, pk, seed_pk):
    need = get_object_or_404(Need, pk=pk)
    seed = get_object_or_404(Seed.objects.visible_to(request.user), pk=seed_pk)
    form = JudgeForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        actions.judge_seed(
            need,
            seed,
            useful=form.cleaned_data["useful"],
            by=request.user,
            rank=form.cleaned_data["rank"],
        )
        _done(request, _("「%(seed)s」の判定を記録しました。") % {"seed": seed.title})
    return redirect(need.get_absolute_url() + "#ranked")


def _step_view(action, form_class, key, success):
    """A POST view running ``action`` on a proposal with the form of one step."""

    @require_POST
    @login_required
    def view(request, pk):
        proposal = get_object_or_404(Proposal.objects.select_related("need", "seed"), pk=pk)
        form = form_class(request.POST, prefix=f"p{proposal.pk}-{key}")
        if not form.is_valid():
            _form_errors(request, form)
            return _back(proposal, request)
        try:
            action(proposal, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _refused(request, exc)
        else:
            _done(request, success)
        return _back(proposal, request)

    return view


ask = _step_view(actions.ask_organization, NoteForm, "ask", _("シーズの機関に打診しました。"))
consent = _step_view(
    actions.request_consent, NoteForm, "consent", _("相談者に、紹介してよいかを確認しています。")
)
meeting = _step_view(actions.record_meeting, MeetingForm, "meeting", _("面談を記録しました。"))
outcome = _step_view(actions.record_outcome, OutcomeForm, "outcome", _("結果を記録しました。"))
withdraw = _step_view(
    actions.withdraw_proposal, WithdrawForm, "withdraw", _("提案を取りやめました。")
)


@require_POST
@login_required
def reassign(request, pk):
    need = get_object_or_404(Need, pk=pk)
    if not request.user.is_secretariat:
        raise PermissionDenied(_("担当替えは事務局が行います。"))
    form = ReassignForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(need)
    try:
        actions.reassign_need(
            need, form.cleaned_data["to"], by=request.user, note=form.cleaned_data["note"]
        )
    except ValidationError as exc:
        _refused(request, exc)
    else:
        _done(request, _("担当を替えました。"))
    return redirect(need)


# --- the seed's organisation --------------------------------------------------------------


def _proposal_page(request, proposal, *, via_link=False, answer=None, meeting_form=None):
    user = request.user
    handler = handles_need(user, proposal.need)
    member = via_link or answers_for(user, proposal.seed)
    if not (handler or member):
        raise PermissionDenied(_("この提案を見られるのは、シーズの機関とご相談の担当者です。"))
    steps = [
        s
        for s in proposal.steps.select_related("by").order_by("at", "pk")
        if s.kind not in (Step.Kind.FLAG_UNANSWERED,) or handler
    ]
    return render(
        request,
        "matching/proposal.html",
        {
            "proposal": proposal,
            "need": proposal.need,
            "seed": proposal.seed,
            "steps": steps,
            "handler": handler,
            "member": member,
            "via_link": via_link,
            "token": proposal.answer_token if via_link else "",
            "answer_form": answer
            or (AnswerForm() if member and _can(proposal, Step.Kind.INTERESTED) else None),
            "can_decline": member and _can(proposal, Step.Kind.DECLINED),
            "meeting_form": meeting_form
            or (MeetingForm() if member and _can(proposal, Step.Kind.MEETING) else None),
            "identity": proposal.identity_released,
        },
        status=400 if (answer is not None and answer.errors) else 200,
    )


def _proposal(pk):
    return get_object_or_404(
        Proposal.objects.select_related(
            "need__prefecture", "seed__organization", "seed__contact_window"
        ),
        pk=pk,
    )


@login_required
def proposal_page(request, pk):
    return _proposal_page(request, _proposal(pk))


def _answer(request, proposal, *, by, via=None):
    """Run the answer; the form when it is invalid (to show again), else None."""
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return form
    data = form.cleaned_data
    try:
        actions.answer_proposal(
            proposal,
            interested=data["answer"] == "interested",
            by=by,
            via=via,
            reason=data.get("reason") or "",
            reason_text=data.get("reason_text") or "",
            note=data["note"],
        )
    except ValidationError as exc:
        _refused(request, exc)
        return None
    _done(request, _("ご回答ありがとうございました。コーディネーターに伝えました。"))
    return None


@require_POST
@login_required
def answer(request, pk):
    proposal = _proposal(pk)
    form = _answer(request, proposal, by=request.user)
    if form is not None:
        return _proposal_page(request, proposal, answer=form)
    return redirect(proposal)


@require_POST
@login_required
def org_meeting(request, pk):
    proposal = _proposal(pk)
    form = MeetingForm(request.POST)
    if form.is_valid():
        try:
            actions.record_meeting(proposal, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _refused(request, exc)
        else:
            _done(request, _("面談を記録しました。"))
        return redirect(proposal)
    return _proposal_page(request, proposal, meeting_form=form)


def _by_link(proposal):
    return _("%(org)s（窓口のリンク）") % {"org": proposal.seed.organization.name}


def proposal_by_link(request, token):
    """A window without accounts answers with the signed link its mail carried."""
    proposal = proposal_for_answer_token(token)
    if proposal is None:
        raise Http404(_("このリンクは無効です。"))
    proposal = _proposal(proposal.pk)
    if request.method == "POST":
        if request.POST.get("step") == "meeting":
            form = MeetingForm(request.POST)
            if not form.is_valid():
                return _proposal_page(request, proposal, via_link=True, meeting_form=form)
            try:
                actions.record_meeting(
                    proposal, by=None, via=_by_link(proposal), **form.cleaned_data
                )
            except ValidationError as exc:
                _refused(request, exc)
            else:
                _done(request, _("面談を記録しました。"))
        else:
            form = _answer(request, proposal, by=None, via=_by_link(proposal))
            if form is not None:
                return _proposal_page(request, proposal, via_link=True, answer=form)
        return redirect("matching:proposal_answer", token=token)
    return _proposal_page(request, proposal, via_link=True)


# --- the submitter ------------------------------------------------------------------------


def status_page(request, token):
    """The submitter's private page: where their need stands, and the introductions that
    wait for their consent. No account: the signed link in their mails is the key."""
    need = need_for_status_token(token)
    if need is None or need.confirmed_at is None:
        raise Http404(_("このリンクは無効です。"))
    if request.method == "POST":
        proposal = get_object_or_404(need.proposals.all(), pk=request.POST.get("proposal"))
        choice = request.POST.get("consent")
        if choice not in ("yes", "no"):
            messages.error(request, _("「紹介を受ける」か「今回は見送る」を選んでください。"))
        else:
            try:
                actions.answer_consent(proposal, consent=choice == "yes", need_token=token)
            except ValidationError as exc:
                _refused(request, exc)
            else:
                _done(
                    request,
                    _("ご回答を受け付けました。%(org)sにご紹介します。")
                    % {"org": proposal.seed.organization.name}
                    if choice == "yes"
                    else _("ご回答を受け付けました。この紹介は見送ります。"),
                )
        return redirect("matching:need_status_page", token=token)
    proposals = list(
        need.proposals.exclude(state=State.PROPOSED)
        .select_related("seed__organization", "seed__contact_window")
        .order_by("created_at", "pk")
    )
    steps = [
        s
        for s in need.steps.select_related("proposal__seed__organization").order_by("at", "pk")
        if s.kind in SUBMITTER_SEES
    ]
    agreed = [p for p in proposals if p.state == State.AGREED]
    return render(
        request,
        "matching/status.html",
        {
            "need": need,
            "token": token,
            "proposals": proposals,
            "waiting": [p for p in proposals if p.state == State.CONSENT_ASKED],
            "steps": steps,
            "next_steps": [(p, next_steps.for_proposal(p)) for p in agreed],
        },
    )


# What the submitter's page tells of the history: never notes, flags or internal steps.
SUBMITTER_SEES = {
    Step.Kind.TAKEN,
    Step.Kind.REASSIGNED,
    Step.Kind.STATUS,
    Step.Kind.ASKED,
    Step.Kind.INTERESTED,
    Step.Kind.DECLINED,
    Step.Kind.CONSENT_ASKED,
    Step.Kind.CONSENT_GIVEN,
    Step.Kind.CONSENT_REFUSED,
    Step.Kind.INTRODUCED,
    Step.Kind.MEETING,
    Step.Kind.OUTCOME,
}


def late_needs(flag):
    """The ids of the needs a queue filter asks for: ``no_proposal`` (14 days without a
    proposal), ``unanswered`` (a proposal unanswered for 10 days), ``late`` (either); None
    for no filter."""
    no_proposal = Need.objects.without_proposal().values("pk")
    unanswered = Proposal.objects.unanswered().values("need_id")
    if flag == "no_proposal":
        return no_proposal
    if flag == "unanswered":
        return unanswered
    if flag == "late":
        late = Need.objects.filter(pk__in=no_proposal) | Need.objects.filter(pk__in=unanswered)
        return late.values("pk")
    return None
