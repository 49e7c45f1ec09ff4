"""Pages of contribution records: the liaison office's list of its researchers (and the
names its seeds carry that are not registered yet), a researcher's record with its
evidence, the printable page and the CSV for university evaluations."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renkei.contributions import actions
from renkei.contributions.forms import CouncilRoleForm, ResearcherForm
from renkei.contributions.models import Researcher
from renkei.contributions.record import record_of
from renkei.contributions.rules import is_the_researcher, keeps, sees, sees_inside
from renkei.lib import spreadsheets
from renkei.lib.formats import wareki_date
from renkei.lib.forms import add_errors
from renkei.matching.models import Seed
from renkei.regions.rules import member_organization_ids


def _unregistered(organization_ids):
    """Researchers the organisations' seeds name who have no record yet."""
    registered = {
        (r.organization_id, key)
        for r in Researcher.objects.filter(organization_id__in=organization_ids)
        for key in (r.researchmap_id, r.kaken_id, "".join(r.name.split()))
        if key
    }
    found = {}
    for seed in (
        Seed.objects.filter(organization_id__in=organization_ids)
        .exclude(researcher_name="")
        .select_related("organization")
    ):
        keys = [seed.researchmap_id, seed.kaken_id, "".join(seed.researcher_name.split())]
        if any((seed.organization_id, k) in registered for k in keys if k):
            continue
        found.setdefault((seed.organization_id, keys[2]), seed)
    return list(found.values())


def index(request):
    user = request.user
    own = (
        [r for r in Researcher.objects.filter(email__iexact=user.email)]
        if (user.is_authenticated and user.email)
        else []
    )
    organizations = member_organization_ids(user) if user.is_authenticated else []
    kept = (
        Researcher.objects.select_related("organization")
        if user.is_authenticated and user.is_secretariat
        else Researcher.objects.filter(organization_id__in=organizations).select_related(
            "organization"
        )
    )
    return render(
        request,
        "contributions/index.html",
        {
            "own": own,
            "kept": list(kept)
            if (organizations or (user.is_authenticated and user.is_secretariat))
            else [],
            "unregistered": _unregistered(organizations) if organizations else [],
            "can_register": bool(organizations) or (user.is_authenticated and user.is_secretariat),
            "public": Researcher.objects.filter(public_since__isnull=False).select_related(
                "organization"
            ),
        },
    )


@login_required
def new(request):
    initial = {k: request.GET.get(k, "") for k in ("name", "researchmap_id", "kaken_id")}
    if request.GET.get("organization"):
        initial["organization"] = request.GET["organization"]
    form = ResearcherForm(request.POST or None, user=request.user, initial=initial)
    if not (request.user.is_secretariat or member_organization_ids(request.user)):
        raise PermissionDenied(_("研究者を登録できるのは、機関の産学連携担当者と事務局です。"))
    if request.method == "POST" and form.is_valid():
        try:
            researcher = actions.register_researcher(form, by=request.user)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("研究者を登録しました。"))
            return redirect(researcher)
    return render(request, "contributions/new.html", {"form": form})


def _researcher(request, pk):
    researcher = get_object_or_404(Researcher.objects.select_related("organization"), pk=pk)
    if not sees(request.user, researcher):
        raise Http404
    return researcher


def record(request, pk, *, printable=False):
    researcher = _researcher(request, pk)
    inside = sees_inside(request.user, researcher)
    found = record_of(researcher)
    return render(
        request,
        "contributions/print.html" if printable else "contributions/record.html",
        {
            "researcher": researcher,
            "record": found,
            "summary": found.summary,
            "inside": inside,
            "is_researcher": is_the_researcher(request.user, researcher),
            "keeps": keeps(request.user, researcher),
            "role_form": CouncilRoleForm()
            if keeps(request.user, researcher) or is_the_researcher(request.user, researcher)
            else None,
            "today": timezone.localdate(),
        },
    )


def printable(request, pk):
    return record(request, pk, printable=True)


COLUMNS = ["date", "category", "type", "detail", "evidence", "recorded_by"]


def record_csv(request, pk):
    """The record as CSV (UTF-8 with BOM), for a university's evaluation."""
    researcher = _researcher(request, pk)
    inside = sees_inside(request.user, researcher)
    found = record_of(researcher)
    stream = io.StringIO()
    rows = [
        {
            "date": item.on.isoformat(),
            "category": str(item.label),
            "type": item.kind,
            "detail": item.detail if inside else item.public_detail,
            "evidence": request.build_absolute_uri(
                item.evidence if inside else item.public_evidence
            )
            if (item.evidence if inside else item.public_evidence)
            else "",
            "recorded_by": item.recorded_by if inside else "",
        }
        for item in found.items
    ]
    spreadsheets.write_csv(
        stream,
        COLUMNS,
        rows,
        comment=_("%(name)s（%(org)s）の社会貢献の記録 %(day)s 現在 renkei")
        % {
            "name": researcher.name,
            "org": researcher.organization.name,
            "day": wareki_date(timezone.localdate()),
        },
    )
    response = HttpResponse(stream.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="renkei-contribution-{researcher.pk}.csv"'
    )
    return response


@require_POST
@login_required
def publish(request, pk):
    researcher = get_object_or_404(Researcher, pk=pk)
    actions.set_public(researcher, request.POST.get("public") == "yes", by=request.user)
    messages.success(request, _("公開の設定を保存しました。"))
    return redirect(researcher)


@require_POST
@login_required
def add_role(request, pk):
    researcher = get_object_or_404(Researcher, pk=pk)
    form = CouncilRoleForm(request.POST)
    if form.is_valid():
        try:
            actions.add_council_role(researcher, form, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("協議会での役割を記録しました。"))
    else:
        messages.error(request, " ".join(str(m) for errors in form.errors.values() for m in errors))
    return redirect(researcher)
