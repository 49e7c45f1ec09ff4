from django.shortcuts import get_object_or_404, render

from renkei.communities.models import Community


def community_list(request):
    communities = Community.objects.prefetch_related("prefectures").select_related(
        "network_organization"
    )
    return render(
        request,
        "communities/list.html",
        {
            "table": [c for c in communities if c.table_order],
            "others": [c for c in communities if not c.table_order],
        },
    )


def detail(request, slug):
    community = get_object_or_404(
        Community.objects.prefetch_related("prefectures", "facts").select_related(
            "network_organization"
        ),
        slug=slug,
    )
    members = community.members.select_related("organization", "organization__prefecture")
    return render(request, "communities/detail.html", {"community": community, "members": members})
