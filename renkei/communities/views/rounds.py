"""Pages of certification rounds: the list, opening one, its page and published results,
publishing them, and a coordinator starting an application in one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renkei.communities import actions
from renkei.communities.forms import RoundForm, RoundReviewerForm, StartApplicationForm
from renkei.communities.models import Application, CertificationRound, Community
from renkei.communities.rules import coordinated_community_ids
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
            round_ = actions.open_round(by=request.user, **form.cleaned_data)
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
    reviewer_form = None
    if is_secretariat:
        applications = list(
            round_.applications.select_related("community").prefetch_related(
                "assignments__reviewer", "assignments__review"
            )
        )
        if round_.status != CertificationRound.Status.PUBLISHED:
            reviewer_form = RoundReviewerForm(round_=round_)
    elif round_.status != CertificationRound.Status.PUBLISHED and not round_.opens_at:
        raise Http404
    return render(
        request,
        "communities/round.html",
        {
            "round": round_,
            "applications": applications,
            "is_secretariat": is_secretariat,
            "reviewers": round_.reviewers.order_by("display_name") if is_secretariat else [],
            "reviewer_form": reviewer_form,
            "accepts_submissions": round_.accepts_submissions(timezone.now()),
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
        actions.publish_round(round_, by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(round_)
    messages.success(request, _("結果を公表しました。"))
    return redirect("communities:results", pk=round_.pk)


@login_required
@require_POST
def round_add_reviewer(request, pk):
    round_ = get_object_or_404(CertificationRound, pk=pk)
    if not request.user.is_secretariat:
        raise PermissionDenied(_("審査委員を加えられるのは事務局だけです。"))
    form = RoundReviewerForm(request.POST, round_=round_)
    if not form.is_valid():
        messages.error(request, _("加える審査委員を選んでください。"))
        return redirect(round_)
    reviewer = form.cleaned_data["reviewer"]
    try:
        actions.add_round_reviewer(round_, reviewer, by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("%(person)s さんを審査委員に加えました。") % {"person": reviewer}
        )
    return redirect(round_)


@login_required
@require_POST
def round_close(request, pk):
    round_ = get_object_or_404(CertificationRound, pk=pk)
    try:
        actions.close_round(round_, by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("申請の受付を締め切りました。"))
    return redirect(round_)


@login_required
@require_POST
def application_start(request, pk):
    round_ = get_object_or_404(CertificationRound, pk=pk)
    form = StartApplicationForm(request.POST, communities=_coordinated(request.user))
    if not form.is_valid():
        raise PermissionDenied(_("このコミュニティのコーディネーターだけが申請できます。"))
    try:
        application = actions.start_application(
            round_, form.cleaned_data["community"], by=request.user
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(round_)
    return redirect(application)
