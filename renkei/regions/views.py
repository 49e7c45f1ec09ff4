from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render

from renkei.regions.forms import OrganizationSearchForm
from renkei.regions.models import Block, ContactWindow, Municipality, Organization, Prefecture

PAGE_SIZE = 50


def index(request):
    prefectures = Prefecture.objects.annotate(
        organization_count=Count("organizations", filter=Q(organizations__is_active=True)),
        community_count=Count("communities", distinct=True),
    )
    blocks = [(block, [p for p in prefectures if p.block == block.value]) for block in Block]
    designated = Municipality.objects.designated_cities().select_related("prefecture")
    return render(request, "regions/index.html", {"blocks": blocks, "designated": designated})


def prefecture(request, code):
    prefecture = get_object_or_404(Prefecture, code=code)
    municipalities = prefecture.municipalities.filter(parent__isnull=True).order_by("lg_code")
    organizations = prefecture.organizations.active().exclude(kind=Organization.Kind.UNIVERSITY)
    universities = prefecture.organizations.universities().active()
    return render(
        request,
        "regions/prefecture.html",
        {
            "prefecture": prefecture,
            "municipalities": municipalities,
            "organizations": organizations,
            "universities": universities,
            "communities": prefecture.communities.all(),
        },
    )


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
    organization = get_object_or_404(Organization.objects.select_related("prefecture"), pk=pk)
    return render(
        request,
        "regions/organization.html",
        {
            "organization": organization,
            "windows": organization.contact_windows.all(),
            "programs": organization.programs.all(),
            "memberships": organization.community_memberships.select_related("community"),
        },
    )


def windows(request):
    form = OrganizationSearchForm(request.GET or None)
    organizations = Organization.objects.all()
    if form.is_valid():
        organizations = form.filter(organizations)
    queryset = (
        ContactWindow.objects.filter(organization__in=organizations)
        .select_related("organization", "organization__prefecture")
        .prefetch_related("program_contacts__program")
        .order_by("organization__kind", "organization__name", "department")
    )
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "regions/windows.html", {"form": form, "page": page})
