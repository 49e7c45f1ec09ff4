"""Pages must not issue a query per row (N+1). Two guards: list pages issue the same number
of queries when they list more rows, and every list and detail page stays within a pinned
number of queries. When a page legitimately needs another query, raise its pin here in the
same commit and say why in the message."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from renkei.communities.models import Community, CommunityMember
from renkei.matching.models import Seed
from renkei.regions.models import ContactWindow, Organization


def queries(client, url):
    client.get(url)  # warm per-process caches (catalogue arrays, map outlines, sessions)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


def _more_communities(count=4):
    universities = list(Organization.objects.universities()[:count])
    for number, university in enumerate(universities):
        community = Community.objects.create(
            slug=f"extra-{number}",
            name=f"追加コミュニティ{number}",
            kind=Community.Kind.REGIONAL,
            status=Community.Status.CERTIFIED,
            network_organization=university,
        )
        community.prefectures.add(university.prefecture)
        CommunityMember.objects.create(
            community=community, organization=university, role=CommunityMember.Role.PARTICIPANT
        )


def _more_members(community, count=6):
    for organization in Organization.objects.universities().exclude(
        community_memberships__community=community
    )[:count]:
        CommunityMember.objects.create(
            community=community, organization=organization, role=CommunityMember.Role.PARTICIPANT
        )


def _more_seeds(count=6, start=0):
    for number, organization in enumerate(
        Organization.objects.universities()[start : start + count], start=start
    ):
        Seed.objects.create(
            organization=organization,
            code=f"extra-{number}",
            title=f"追加シーズ{number}",
            summary="発酵副産物の機能性評価",
            stage="applied",
            prefecture_id=organization.prefecture_id,
        )


def _more_windows(count=6):
    for number, organization in enumerate(Organization.objects.universities()[:count]):
        ContactWindow.objects.create(
            organization=organization, department=f"産学連携窓口{number}", phone="03-1234-5678"
        )


GROWING = [
    ("communities:list", [], lambda: _more_communities()),
    (
        "communities:detail",
        ["nagaoka"],
        lambda: _more_members(Community.objects.get(slug="nagaoka")),
    ),
    ("matching:seeds", [], lambda: _more_seeds(start=1)),
    ("regions:windows", [], lambda: _more_windows()),
    ("regions:prefecture", ["15"], lambda: _more_windows()),
]


@pytest.mark.parametrize(("name", "args", "grow"), GROWING)
def test_a_list_page_issues_no_more_queries_when_it_lists_more(client, name, args, grow):
    url = reverse(name, args=args)
    _more_seeds(1) if name == "matching:seeds" else None  # a non-empty list to begin with
    before = queries(client, url)
    grow()
    assert queries(client, url) == before


# page → the most queries it may issue to an anonymous visitor
PINNED = [
    ("portal:home", [], 7),
    ("programs:list", [], 10),
    ("programs:search", [], 6),
    ("programs:detail", ["mext-co-creation-platform"], 10),
    ("programs:budget", [], 2),
    ("programs:budget_overview", [], 2),
    ("communities:list", [], 6),
    ("communities:detail", ["nagaoka"], 25),  # one lookup per word of the program fit
    ("communities:rounds", [], 1),
    ("communities:results", [1], 2),
    ("regions:index", [], 2),
    ("regions:prefecture", ["15"], 5),
    ("regions:organizations", [], 3),
    ("regions:windows", [], 5),
    ("maturity:national", [], 5),
    ("maturity:dashboard", ["nagaoka"], 5),
    ("matching:seeds", [], 2),
    ("councils:index", [], 5),
]


@pytest.mark.parametrize(("name", "args", "pin"), PINNED)
def test_a_page_stays_within_its_pinned_number_of_queries(client, name, args, pin):
    count = queries(client, reverse(name, args=args))
    assert count <= pin, f"{name} issues {count} queries (pinned at {pin})"
