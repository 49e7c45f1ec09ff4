"""The certification round's fixtures: 佐藤 (secretariat) opens a round with 田中 (reviewer)
and 中村 (reviewer from 長岡技術科学大学, conflicted); 小林 (coordinator of Nagaoka) drafts its
application; 山本 coordinates Tokai."""

import datetime
import io

import pytest
from django.utils import timezone
from pypdf import PdfWriter

from renkei.accounts.models import Role
from renkei.communities import actions
from renkei.communities.models import Community
from renkei.conftest import _user

ANSWERS = {
    "strengths": "コメと未利用バイオ資源のバリューチェーン、醸造・発酵の技術集積。",
    "actors": "長岡市長を会長とするコンソーシアム、長岡技科大、長岡高専、JA越後ながおか。",
    "network": "長岡バイオエコノミーコンソーシアムが会員65者を調整。",
    "plan": "2030年までに新産業10件、バイオ由来製品の地域循環を実現する。",
}
SCORES = {"strengths_score": "4", "actors_score": "5", "network_score": "4", "plan_score": "3"}


def pdf_bytes():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    stream = io.BytesIO()
    writer.write(stream)
    return stream.getvalue()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def conflicted_reviewer(nagaokaut):
    user = _user("nakamura", "中村（審査委員・長岡技科大）")
    user.affiliation = nagaokaut
    user.save()
    Role.objects.create(user=user, kind=Role.Kind.REVIEWER)
    return user


@pytest.fixture
def other_coordinator():
    user = _user("yamamoto", "山本（東海コーディネーター）")
    Role.objects.create(
        user=user, kind=Role.Kind.COORDINATOR, community=Community.objects.get(slug="tokai")
    )
    return user


@pytest.fixture
def round_(secretariat, reviewer, conflicted_reviewer):
    now = timezone.now()
    return actions.open_round(
        by=secretariat,
        kind="regional",
        fiscal_year=2026,
        title="地域バイオコミュニティの認定（令和8年度）",
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=7),
        review_deadline=now + datetime.timedelta(days=30),
        reviewers=[reviewer, conflicted_reviewer],
    )


@pytest.fixture
def draft(round_, nagaoka, coordinator):
    application = actions.start_application(round_, nagaoka, by=coordinator)
    return actions.update_answers(application, ANSWERS, by=coordinator)


@pytest.fixture
def under_review(draft, coordinator, secretariat, reviewer):
    actions.submit_application(draft, by=coordinator)
    actions.assign_reviewer(draft, reviewer, by=secretariat)
    draft.refresh_from_db()
    return draft
