"""The pages of issue 13 work without JavaScript: one h1, headings in order, every field
labelled, no inline script or style — for each person who sees them."""

import pytest
from django.urls import reverse

from renkei.councils.tests.test_accessibility import check
from renkei.experts.forms import ExpertForm
from renkei.matching.tests.conftest import walk_to_introduction


@pytest.fixture
def world(taken_need, nut_seed, coordinator, liaison, secretariat):
    from renkei.experts import actions as experts

    proposal = walk_to_introduction(taken_need, nut_seed, coordinator, liaison)
    form = ExpertForm(
        {
            "name": "岡田 潮",
            "kind": "expert",
            "expertise": "牡蠣の養殖と海の観測",
            "availability": "available",
            "public": "on",
            "active": "on",
        }
    )
    assert form.is_valid(), form.errors
    expert = experts.save_expert(form, by=coordinator)
    from renkei.contributions.models import Researcher
    from renkei.regions.models import Prefecture
    from renkei.regulatory import actions as regulatory

    question = regulatory.ask(
        {
            "topic": "food_labelling",
            "title": "米ぬか菓子の表示",
            "question": "米ぬかを使った菓子の原材料表示はどう書けばよいですか。",
            "prefecture": Prefecture.objects.get(code="15"),
            "asker_kind": "sme",
            "asker_name": "森 花子",
            "email": "mori@example.jp",
            "publish_consent": True,
            "consent": True,
        }
    )
    regulatory.confirm(question)
    researcher = Researcher.objects.create(
        organization=nut_seed.organization, name="中村 海", researchmap_id="nakamura-umi"
    )
    return {
        "need": taken_need,
        "proposal": proposal,
        "expert": expert,
        "question": question,
        "researcher": researcher,
    }


def test_every_page_of_the_pipeline_is_accessible(client, world, coordinator, liaison, secretariat):
    need, proposal, expert = world["need"], world["proposal"], world["expert"]
    question, researcher = world["question"], world["researcher"]
    pages = {
        None: [
            need.get_status_url(),
            reverse("matching:funnel"),
            reverse("experts:directory"),
            reverse("experts:detail", args=[expert.pk]),
            reverse("regulatory:index"),
            reverse("regulatory:ask"),
            reverse("regulatory:sent"),
            reverse("contributions:index"),
            question.get_status_url(),
        ],
        coordinator: [
            need.get_absolute_url(),
            reverse("experts:need", args=[need.pk]),
            reverse("experts:new"),
            reverse("experts:consultation_new", args=[expert.pk]),
            reverse("matching:queue") + "?flag=late",
        ],
        liaison: [
            proposal.get_absolute_url(),
            reverse("contributions:new"),
            reverse("regulatory:inbox"),
            researcher.get_absolute_url(),
            reverse("contributions:print", args=[researcher.pk]),
        ],
        secretariat: [
            need.get_absolute_url(),
            reverse("experts:need", args=[need.pk]),
            question.get_absolute_url(),
            reverse("regulatory:inbox") + "?status=unrouted",
        ],
    }
    for person, urls in pages.items():
        if person is not None:
            client.force_login(person)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            check(response.content.decode())
