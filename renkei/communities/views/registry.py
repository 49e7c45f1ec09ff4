"""The public registry: the directory of communities and each community's page."""

from django.shortcuts import get_object_or_404, render

from renkei.communities.fit import programs_for
from renkei.communities.forms import DirectoryForm
from renkei.communities.models import Community
from renkei.regions.maps import map_of
from renkei.regions.models import Sector


def community_list(request):
    form = DirectoryForm(request.GET or None)
    communities = Community.objects.prefetch_related("prefectures", "market_areas").select_related(
        "network_organization"
    )
    if form.is_valid():
        communities = form.filter(communities)
    communities = list(communities)
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(
        request,
        "communities/list.html",
        {
            "form": form,
            "communities": communities,
            "table": [c for c in communities if c.table_order],
            "others": [c for c in communities if not c.table_order],
            "map": map_of(communities),
            "filtered": form.is_bound,
        },
        status=status,
    )


def _members_by_sector(community):
    members = community.members.select_related("organization", "organization__prefecture")
    groups = {sector: [] for sector in Sector}
    for member in members:
        groups[member.organization.sector].append(member)
    return [(sector, items) for sector, items in groups.items() if items]


def detail(request, slug):
    community = get_object_or_404(
        Community.objects.prefetch_related("prefectures", "facts", "market_areas").select_related(
            "network_organization"
        ),
        slug=slug,
    )
    show_contacts = request.user.is_authenticated and bool(request.user.cached_roles)
    return render(
        request,
        "communities/detail.html",
        {
            "community": community,
            "sectors": _members_by_sector(community),
            "key_persons": community.key_persons.select_related("organization"),
            "show_contacts": show_contacts,
            "history": community.status_events.select_related("round"),
            "programs": programs_for(community),
            "can_edit": request.user.has_perm("communities.change_community", community),
        },
    )
