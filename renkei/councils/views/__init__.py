"""Pages of the councils app: the overview, interviews and findings (here), councils,
surveys and cases (one module each)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renkei.accounts.permissions import require
from renkei.councils import actions
from renkei.councils.forms import FindingResponseForm
from renkei.councils.models import (
    CaseStudy,
    Council,
    Finding,
    FindingResponse,
    Interview,
    Survey,
)
from renkei.councils.rules import kept_council_ids


def index(request):
    return render(
        request,
        "councils/index.html",
        {
            "interviews": Interview.objects.prefetch_related("themes__issues"),
            "surveys": Survey.objects.visible_to(request.user).order_by("-created_at")[:5],
            "cases": CaseStudy.objects.select_related("prefecture")[:5],
            "council_count": Council.objects.visible_to(
                request.user, kept_council_ids(request.user)
            ).count(),
        },
    )


def interview(request, slug):
    interview = get_object_or_404(Interview.objects.prefetch_related("themes__issues"), slug=slug)
    return render(request, "councils/interview.html", {"interview": interview})


def findings(request):
    """Each finding of the source, and what in the portal answers it."""
    items = Finding.objects.prefetch_related("responses")
    editing = request.user.has_perm("councils.add_findingresponse")
    return render(
        request,
        "councils/findings.html",
        {
            "groups": [
                (source, [f for f in items if f.source == source.value])
                for source in Finding.Source
            ],
            "editing": editing,
            "form": FindingResponseForm() if editing else None,
        },
    )


@require_POST
@login_required
def finding_response_add(request, pk):
    finding = get_object_or_404(Finding, pk=pk)
    require(request.user, "councils.add_findingresponse", finding)
    form = FindingResponseForm(request.POST)
    if form.is_valid():
        actions.add_finding_response(form, finding, by=request.user)
        messages.success(request, _("対応を追加しました。"))
    else:
        messages.error(request, " ".join(str(m) for errors in form.errors.values() for m in errors))
    return redirect(_findings_url(finding))


@require_POST
@login_required
def finding_response_remove(request, pk):
    response = get_object_or_404(FindingResponse.objects.select_related("finding"), pk=pk)
    finding = response.finding
    actions.remove_finding_response(response, by=request.user)
    messages.success(request, _("対応を削除しました。"))
    return redirect(_findings_url(finding))


def _findings_url(finding):
    return reverse("councils:findings") + f"#finding-{finding.pk}"
