"""Pages must not issue a query per row (N+1). Two guards: list pages issue the same number
of queries when they list more rows, and every list and detail page stays within a pinned
number of queries. When a page legitimately needs another query, raise its pin here in the
same commit and say why in the message."""

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from renkei.communities.models import Community, CommunityMember
from renkei.councils.models import (
    ActionItem,
    Attendance,
    CaseParticipant,
    CaseStudy,
    Council,
    CouncilMember,
    Meeting,
    Survey,
)
from renkei.matching.models import Seed
from renkei.programs.models import Program
from renkei.regions.models import ContactWindow, Organization, WindowTopic


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


_WINDOW_NUMBERS = itertools.count()


def _more_windows(count=6, **where):
    for organization in Organization.objects.universities().filter(**where)[:count]:
        window = ContactWindow.objects.create(
            organization=organization,
            department=f"産学連携窓口{next(_WINDOW_NUMBERS)}",
            phone="03-1234-5678",
        )
        WindowTopic.objects.create(window=window, topic="technical")


def _more_councils(count=4):
    today = datetime.date(2026, 6, 1)
    for number, organization in enumerate(Organization.objects.universities()[:count]):
        council = Council.objects.create(
            name=f"追加協議会{number}",
            purpose="産学官の連携",
            prefecture_id=organization.prefecture_id,
            organization=organization,
        )
        member = CouncilMember.objects.create(
            council=council, organization=organization, sector="academia"
        )
        meeting = Meeting.objects.create(council=council, held_on=today, title="第1回")
        Attendance.objects.create(meeting=meeting, member=member)
        ActionItem.objects.create(council=council, title="調査", owner=member, due_on=today)


def _more_cases(count=3):
    program = Program.objects.first()
    for number, organization in enumerate(Organization.objects.universities()[:count]):
        case = CaseStudy.objects.create(
            slug=f"extra-case-{number}",
            title=f"追加事例{number}",
            prefecture_id=organization.prefecture_id,
            since="令和4年度から",
            theme="発酵",
        )
        CaseParticipant.objects.create(
            case=case,
            category="大学",
            name=organization.name,
            organization=organization,
            sector="academia",
        )
        case.programs.add(program)
        case.update_sector_mix()


def _more_surveys(count=3):
    for number in range(count):
        Survey.objects.create(
            slug=f"extra-survey-{number}",
            title=f"追加調査{number}",
            status="closed",
            results_published_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
        )


def _more_experts(count=4, start=0):
    from renkei.experts.models import Expert

    for number, organization in enumerate(
        Organization.objects.universities()[start : start + count], start=start
    ):
        expert = Expert.objects.create(
            name=f"追加専門家{number}",
            expertise="発酵の相談",
            public=True,
            organization=organization,
        )
        expert.regions.add(organization.prefecture_id)


def _more_answers(count=3, start=0):
    from django.utils import timezone

    from renkei.regulatory.models import RegulatoryConsultation

    for number, organization in enumerate(
        Organization.objects.universities()[start : start + count], start=start
    ):
        window = ContactWindow.objects.create(
            organization=organization, department=f"規制相談{number}", phone="03-1234-5678"
        )
        RegulatoryConsultation.objects.create(
            topic="food_labelling",
            title=f"表示{number}",
            question="原材料の表示",
            prefecture_id=organization.prefecture_id,
            asker_kind="sme",
            asker_name="森",
            email="mori@example.jp",
            consent_at=timezone.now(),
            publish_consent=True,
            status="answered",
            window=window,
            public_question=f"表示の質問{number}",
            public_answer="回答",
            published_at=timezone.now(),
        )


def _more_pipeline(count=3, start=20):
    from django.utils import timezone

    from renkei.matching.models import Need, Proposal, Step

    _more_seeds(count, start=start)
    for seed in Seed.objects.filter(code__in=[f"extra-{n}" for n in range(start, start + count)]):
        need = Need.objects.create(
            title="追加の相談",
            description="発酵の副産物を使いたい",
            submitter_name="山本",
            submitter_kind="sme",
            email="s@example.jp",
            prefecture_id="15",
            consent_at=timezone.now(),
            confirmed_at=timezone.now(),
            status="in_progress",
            community=Community.objects.get(slug="nagaoka"),
        )
        proposal = Proposal.objects.create(need=need, seed=seed, state="declined")
        for kind in ("proposed", "asked", "declined"):
            Step.objects.create(need=need, proposal=proposal, kind=kind, reason="cost")


def _more_researchers(count=3, start=0):
    from django.utils import timezone

    from renkei.contributions.models import Researcher

    for number, organization in enumerate(
        Organization.objects.universities()[start : start + count], start=start
    ):
        Researcher.objects.create(
            organization=organization, name=f"研究者{number}", public_since=timezone.now()
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
    ("portal:prefecture", ["15"], lambda: _more_windows(prefecture="15")),
    ("portal:city", ["011002"], lambda: _more_windows(municipality__parent="011002")),
    ("portal:ask?topic=technical&prefecture=15", [], lambda: _more_windows()),
    ("councils:councils", [], lambda: _more_councils()),
    ("councils:cases", [], lambda: _more_cases()),
    ("councils:surveys", [], lambda: _more_surveys()),
    ("matching:funnel", [], lambda: _more_pipeline()),
    ("experts:directory", [], lambda: _more_experts(start=1)),
    ("regulatory:index", [], lambda: _more_answers(start=1)),
    ("contributions:index", [], lambda: _more_researchers(start=1)),
]


@pytest.mark.parametrize(("name", "args", "grow"), GROWING)
def test_a_list_page_issues_no_more_queries_when_it_lists_more(client, name, args, grow):
    name, _sep, query = name.partition("?")
    url = reverse(name, args=args) + (f"?{query}" if query else "")
    _more_seeds(1) if name == "matching:seeds" else None  # a non-empty list to begin with
    _more_councils(1) if name == "councils:councils" else None
    _more_windows(1, municipality__parent="011002") if name == "portal:city" else None
    _more_windows(1) if name == "portal:ask" else None
    _more_windows(1, prefecture="15") if name == "portal:prefecture" else None
    _more_experts(1) if name == "experts:directory" else None
    _more_pipeline(1, start=30) if name == "matching:funnel" else None
    _more_answers(1) if name == "regulatory:index" else None
    _more_researchers(1) if name == "contributions:index" else None
    before = queries(client, url)
    grow()
    assert queries(client, url) == before


# page → the most queries it may issue to an anonymous visitor
PINNED = [
    ("portal:home", [], 7),
    ("programs:list", [], 12),  # + which fiscal year the menu is and when it was updated
    ("programs:search", [], 7),  # + the menu's fiscal year and last update (one aggregate)
    ("programs:detail", ["mext-co-creation-platform"], 11),  # + the cases that used it
    ("programs:budget", [], 3),  # + the fiscal year and last update
    ("programs:budget_overview", [], 3),  # every fiscal year in one query; + as of
    ("communities:list", [], 6),
    # the program fit reads members, market areas and the maturity stage, no word lookups
    ("communities:detail", ["nagaoka"], 11),
    ("communities:rounds", [], 1),
    ("communities:results", [1], 2),
    ("regions:index", [], 2),
    # the hub gathers windows (with topics and programs), councils, seeds, needs, cases …
    ("portal:prefecture", ["15"], 18),
    ("regions:organizations", [], 3),
    ("regions:windows", [], 6),  # the windows' topics
    ("maturity:national", [], 5),
    ("maturity:dashboard", ["nagaoka"], 5),
    ("matching:seeds", [], 2),
    ("councils:index", [], 6),
    ("councils:councils", [], 6),  # councils, then members, meetings, attendance, items
    ("councils:cases", [], 5),
    ("councils:surveys", [], 1),
    ("councils:findings", [], 2),
    ("councils:survey", ["prefectures-designated-cities-2021"], 6),
    ("councils:case", ["shizuoka-maoi"], 5),
    ("portal:city", ["151009"], 17),
    ("portal:ask", [], 1),
    ("portal:ask?topic=technical&prefecture=15&city=長岡市", [], 8),
    ("regions:organization", [1], 5),
    ("portal:data", [], 12),  # the date of each data set: one aggregate per data set
    ("portal:dataset", ["programs"], 1),
    ("portal:catalog", [], 12),
    # issue 13: needs, proposals and steps, the years, the filters' prefectures and communities
    ("matching:funnel", [], 6),
    ("experts:directory", [], 3),
    ("regulatory:index", [], 2),
    ("contributions:index", [], 2),
]


@pytest.mark.parametrize(("name", "args", "pin"), PINNED)
def test_a_page_stays_within_its_pinned_number_of_queries(client, name, args, pin):
    name, _sep, query = name.partition("?")
    count = queries(client, reverse(name, args=args) + (f"?{query}" if query else ""))
    assert count <= pin, f"{name} issues {count} queries (pinned at {pin})"
