import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renkei.accounts.permissions import require
from renkei.lib import spreadsheets
from renkei.lib.imports import DataImportError
from renkei.lib.params import object_id
from renkei.regions import actions
from renkei.regions.forms import OrganizationSearchForm, UploadForm, WindowForm, WindowSearchForm
from renkei.regions.models import (
    Block,
    ContactWindow,
    Municipality,
    Organization,
    Prefecture,
    Topic,
)
from renkei.regions.rules import can_keep_windows, member_organizations

PAGE_SIZE = 50


def index(request):
    prefectures = Prefecture.objects.annotate(
        organization_count=Count("organizations", filter=Q(organizations__is_active=True)),
        community_count=Count("communities", distinct=True),
    )
    blocks = [(block, [p for p in prefectures if p.block == block.value]) for block in Block]
    designated = Municipality.objects.designated_cities().select_related("prefecture")
    return render(request, "regions/index.html", {"blocks": blocks, "designated": designated})


def organizations(request):
    form = OrganizationSearchForm(request.GET or None)
    queryset = Organization.objects.select_related("prefecture").order_by(
        "kind", "prefecture", "name"
    )
    if form.is_valid():
        queryset = form.filter(queryset)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "regions/organizations.html", {"form": form, "page": page})


def organization(request, pk):
    organization = get_object_or_404(
        Organization.objects.select_related("prefecture", "municipality"), pk=pk
    )
    return render(
        request,
        "regions/organization.html",
        {
            "organization": organization,
            "windows": organization.contact_windows.listed().with_topics(),
            "programs": organization.programs.all(),
            "memberships": organization.community_memberships.select_related("community"),
            "can_keep": can_keep_windows(request.user, organization),
        },
    )


def _listed_windows():
    return (
        ContactWindow.objects.listed()
        .select_related("organization", "organization__prefecture")
        .prefetch_related("program_contacts__program", "topic_links")
    )


def windows(request):
    form = WindowSearchForm(request.GET or None)
    organizations = Organization.objects.all()
    queryset = _listed_windows()
    if form.is_valid():
        organizations = form.filter(organizations)
        if form.cleaned_data.get("topic"):
            queryset = queryset.handling(form.cleaned_data["topic"])
    queryset = queryset.filter(organization__in=organizations).order_by(
        "organization__kind", "organization__name", "department", "pk"
    )
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "regions/windows.html", {"form": form, "page": page})


# --- windows kept by their organisations ---------------------------------------------------


def _organization(request, pk=None):
    """The organisation whose windows the person keeps (their only one, or the one asked)."""
    if pk:
        organization = get_object_or_404(Organization, pk=object_id(pk, "organization"))
        if not can_keep_windows(request.user, organization):
            raise PermissionDenied(_("この機関の窓口は編集できません。"))
        return organization
    organization = member_organizations(request.user).first()
    if organization is None:
        if request.user.is_secretariat:
            return None
        raise PermissionDenied(_("窓口を登録できるのは、その機関の担当者と事務局です。"))
    return organization


def _my_windows_page(request, organization, *, upload=None, errors=(), status=200):
    windows = (
        organization.contact_windows.listed().with_topics().order_by("-is_primary", "department")
        if organization
        else ContactWindow.objects.none()
    )
    return render(
        request,
        "regions/my_windows.html",
        {
            "organization": organization,
            "organizations": member_organizations(request.user),
            "windows": windows,
            "upload": upload or UploadForm(),
            "import_errors": errors,
            "columns": actions.WINDOW_COLUMNS,
            "topics": Topic.choices,
        },
        status=status,
    )


@login_required
def my_windows(request):
    return _my_windows_page(request, _organization(request, request.GET.get("organization")))


@login_required
def window_edit(request, pk=None):
    if pk:
        window = get_object_or_404(ContactWindow.objects.select_related("organization"), pk=pk)
        organization = window.organization
        if not can_keep_windows(request.user, organization):
            raise PermissionDenied(_("この機関の窓口は編集できません。"))
    else:
        window = None
        organization = _organization(request, request.GET.get("organization"))
        if organization is None:
            return redirect("regions:organizations")
    form = WindowForm(request.POST or None, instance=window, organization=organization)
    if request.method == "POST" and form.is_valid():
        actions.save_window(form, by=request.user)
        messages.success(request, _("窓口を保存しました。"))
        return redirect(reverse("regions:my_windows") + f"?organization={organization.pk}")
    return render(
        request,
        "regions/window_form.html",
        {"form": form, "window": window, "organization": organization},
        status=400 if form.errors else 200,
    )


def _back(request, window):
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect(reverse("regions:my_windows") + f"?organization={window.organization_id}")


@require_POST
@login_required
def window_confirm(request, pk):
    window = get_object_or_404(ContactWindow, pk=pk)
    actions.confirm_window(window, by=request.user)
    messages.success(request, _("「%(w)s」の内容を確認済みにしました。") % {"w": window.department})
    return _back(request, window)


@require_POST
@login_required
def window_verify(request, pk):
    window = get_object_or_404(ContactWindow, pk=pk)
    actions.verify_window(window, by=request.user)
    messages.success(request, _("「%(w)s」を事務局確認済みにしました。") % {"w": window.department})
    return _back(request, window)


@require_POST
@login_required
def window_archive(request, pk):
    window = get_object_or_404(ContactWindow, pk=pk)
    actions.archive_window(window, by=request.user)
    messages.success(request, _("「%(w)s」の掲載を終了しました。") % {"w": window.department})
    return _back(request, window)


@require_POST
@login_required
def window_import(request):
    organization = _organization(request, request.POST.get("organization"))
    form = UploadForm(request.POST, request.FILES)
    errors = []
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            counts = actions.import_windows(
                upload.read(), upload.name, organization=organization, by=request.user
            )
        except DataImportError as exc:
            errors = exc.errors
        else:
            messages.success(
                request,
                _("取り込みました（新規 %(created)s 件、更新 %(updated)s 件）。") % counts,
            )
            if organization is None:
                return redirect("regions:windows_review")
            return redirect(reverse("regions:my_windows") + f"?organization={organization.pk}")
    return _my_windows_page(request, organization, upload=form, errors=errors, status=400)


def window_template(request):
    stream = io.StringIO()
    spreadsheets.write_csv(stream, actions.WINDOW_COLUMNS, actions.template_rows())
    response = HttpResponse(stream.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="renkei-windows-template.csv"'
    return response


@login_required
def windows_review(request):
    """The secretariat's list: windows waiting for verification, and those unconfirmed for
    12 months (with whether their organisation has anyone to remind)."""
    require(request.user, "regions.verify_contactwindow")
    now = timezone.now()
    base = ContactWindow.objects.listed().select_related("organization").with_topics()
    waiting = base.awaiting_verification().order_by("-updated_at")
    stale = (
        base.stale(now)
        .annotate(members=Count("organization__roles", distinct=True))
        .order_by("confirmed_at", "organization__name")
    )
    return render(
        request,
        "regions/windows_review.html",
        {
            "waiting": waiting,
            "stale": Paginator(stale, PAGE_SIZE).get_page(request.GET.get("page")),
            "upload": UploadForm(),
            "columns": actions.WINDOW_COLUMNS,
            "now": now,
        },
    )
