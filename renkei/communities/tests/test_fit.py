"""The programs that fit a community: only above a threshold, only with stated reasons
(applicant type, market area, stage), never on shared words alone."""

import pytest
from django.urls import reverse

from renkei.communities.fit import THRESHOLD, programs_for
from renkei.communities.models import Community, CommunityMember
from renkei.programs.models import Program
from renkei.regions.models import Organization


def codes(community):
    return [f.program.code for f in programs_for(community)]


def test_nagaoka_gets_its_own_market_area_and_what_suits_its_stage():
    fits = programs_for(Community.objects.get(slug="nagaoka"))
    assert [f.program.code for f in fits] == [
        "cao-prism-bio-community",  # cross-market (1) + 形成期 suits 調査・基盤 (1)
        "maff-knowledge-platform-innovation",  # 一次生産等 (2)
        "maff-midori-food-system-rd",  # 一次生産等 (2)
    ]
    midori = fits[2]
    assert midori.reasons == [
        "申請主体「②民間事業者等」: 構成機関のプラントフォーム株式会社、株式会社大原鉄工所ほか 3 機関が申請できます",
        "市場領域「一次生産等」: このコミュニティの市場領域（持続的一次生産システム、有機廃棄物・有機排水処理）と同じです",
    ]
    assert all(f.score >= THRESHOLD for f in fits)


def test_no_community_of_the_default_data_gets_most_of_the_catalogue():
    total = Program.objects.count()
    for community in Community.objects.all():
        assert len(programs_for(community)) <= total // 3, community.slug


def test_a_program_nobody_in_the_community_can_apply_to_does_not_fit():
    tokai = Community.objects.get(slug="tokai")  # universities, local governments, a bank
    assert "maff-midori-food-system-rd" not in codes(tokai)  # ② companies only
    assert codes(tokai) == []


def test_a_member_who_can_apply_makes_a_program_of_the_same_market_area_fit():
    tokai = Community.objects.get(slug="tokai")
    company = Organization.objects.create(name="東海アクア株式会社", kind="company")
    CommunityMember.objects.create(community=tokai, organization=company, role="participant")
    assert "maff-midori-food-system-rd" in codes(tokai)


def test_a_program_taking_no_new_projects_never_fits():
    fukuoka = Community.objects.get(slug="fukuoka")  # 健康・医療, with companies
    assert "mhlw-medical-venture-total-support" not in codes(fukuoka)
    Program.objects.filter(code="mhlw-medical-venture-total-support").update(
        accepts_new_projects=True
    )
    assert "mhlw-medical-venture-total-support" in codes(fukuoka)


@pytest.mark.parametrize("slug", ["nagaoka", "tokai"])
def test_the_page_states_the_rule_and_each_reason(client, slug):
    page = client.get(reverse("communities:detail", args=[slug])).content.decode()
    assert "構成機関が申請でき、市場領域か成熟度の段階が合う施策だけを" in page
    for found in programs_for(Community.objects.get(slug=slug)):
        for reason in found.reasons:
            assert reason in page
    if slug == "tokai":
        assert "基準に届く施策はありません。" in page
    assert "に一致" not in page  # no fit on shared words
