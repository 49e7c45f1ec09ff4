"""Issue 11 in certification rounds: conflicts by community as well as by organisation (a
community's own coordinator who is also a reviewer can neither be assigned to nor score its
application), attachments that act or are encrypted refused with the reason, and files that
leave the disk with their application."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfWriter

from renkei.accounts.models import Role, User
from renkei.communities import actions
from renkei.communities.models import Attachment, ReviewAssignment
from renkei.communities.tests.test_rounds import ANSWERS, SCORES, pdf_bytes
from renkei.conftest import _user


@pytest.fixture
def coordinating_reviewer(nagaoka):
    """Kobayashi's colleague: a reviewer of the round and a coordinator of Nagaoka, with no
    affiliation that would show the conflict by organisation."""
    user = _user("kato", "加藤（審査委員・長岡コーディネーター）")
    Role.objects.create(user=user, kind=Role.Kind.REVIEWER)
    Role.objects.create(user=user, kind=Role.Kind.COORDINATOR, community=nagaoka)
    return user


@pytest.fixture
def draft(secretariat, reviewer, nagaoka, coordinator):
    now = timezone.now()
    round_ = actions.open_round(
        by=secretariat,
        kind="regional",
        fiscal_year=2026,
        title="地域バイオコミュニティの認定（令和8年度）",
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=7),
        review_deadline=now + datetime.timedelta(days=30),
        reviewers=[reviewer],
    )
    application = actions.start_application(round_, nagaoka, by=coordinator)
    return actions.update_answers(application, ANSWERS, by=coordinator)


@pytest.fixture
def submitted(draft, coordinator):
    actions.submit_application(draft, by=coordinator)
    return draft


def test_a_communitys_own_coordinator_cannot_be_assigned_its_application(
    submitted, secretariat, coordinating_reviewer
):
    with pytest.raises(ValidationError) as refused:
        actions.assign_reviewer(submitted, coordinating_reviewer, by=secretariat)
    assert "コーディネーターです" in refused.value.messages[0]
    assert not ReviewAssignment.objects.filter(reviewer=coordinating_reviewer).exists()


def test_nor_score_it_when_made_coordinator_after_being_assigned(
    submitted, secretariat, reviewer, nagaoka
):
    assignment = actions.assign_reviewer(submitted, reviewer, by=secretariat)
    Role.objects.create(user=reviewer, kind=Role.Kind.COORDINATOR, community=nagaoka)
    reviewer = User.objects.get(pk=reviewer.pk)  # as the next request loads them
    comments = dict.fromkeys(ANSWERS, "")
    with pytest.raises(PermissionDenied) as refused:
        actions.submit_review(assignment, SCORES_BY_FIELD, comments, by=reviewer)
    assert "利益相反" in str(refused.value)


SCORES_BY_FIELD = {key.removesuffix("_score"): value for key, value in SCORES.items()}


def test_conflicts_by_organisation_still_hold(submitted, secretariat, conflicted_reviewer):
    with pytest.raises(ValidationError):
        actions.assign_reviewer(submitted, conflicted_reviewer, by=secretariat)


def open_with_script(writer):
    """A PDF that runs JavaScript when opened (an /OpenAction of kind /JavaScript)."""
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    action = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert(1);"),
        }
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)


def _pdf_with(change):
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    change(writer)
    stream = io.BytesIO()
    writer.write(stream)
    return stream.getvalue()


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (lambda: _pdf_with(open_with_script), "JavaScript を含む PDF"),
        (lambda: _pdf_with(lambda w: w.add_attachment("x.exe", b"MZ")), "埋め込んだ PDF"),
        (lambda: _pdf_with(lambda w: w.encrypt("pw")), "暗号化"),
    ],
)
def test_an_attachment_that_acts_or_is_encrypted_is_refused_with_the_reason(
    login,
    coordinator,
    draft,
    data,
    reason,
):
    upload = SimpleUploadedFile("計画書.pdf", data(), content_type="application/pdf")
    response = login(coordinator).post(
        draft.get_absolute_url(), {"form": "application", "action": "attach", "file": upload}
    )
    assert response.status_code == 400
    assert reason in response.content.decode()
    assert not Attachment.objects.exists()


def test_an_attachment_over_the_limit_is_refused_from_its_size(
    login,
    coordinator,
    draft,
    settings,
):
    settings.RENKEI_ATTACHMENT_MAX_BYTES = 100
    upload = SimpleUploadedFile("計画書.pdf", pdf_bytes(), content_type="application/pdf")
    response = login(coordinator).post(
        draft.get_absolute_url(), {"form": "application", "action": "attach", "file": upload}
    )
    assert response.status_code == 400 and "上限" in response.content.decode()


def test_files_leave_the_disk_with_their_application(
    coordinator,
    draft,
    django_capture_on_commit_callbacks,
):
    upload = SimpleUploadedFile("計画書.pdf", pdf_bytes(), content_type="application/pdf")
    attachment = actions.add_attachment(draft, upload, by=coordinator)
    path = attachment.file.path
    assert Path(path).read_bytes()[:5] == b"%PDF-"
    with django_capture_on_commit_callbacks(execute=True):
        draft.delete()
    assert not Attachment.objects.exists()
    assert not Path(path).exists()
