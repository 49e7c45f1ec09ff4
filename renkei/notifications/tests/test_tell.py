"""tell(): one inbox row per person with an account, and a mail written as a public service
writes it, sent by a background job once the transaction commits."""

import pytest
from django.core import mail
from django.test import override_settings
from django.utils.translation import gettext_lazy

from renkei.notifications import tell
from renkei.notifications.actions import Address, set_preferences
from renkei.notifications.models import Channel, Kind, Mail, Notification

TEMPLATE = "notifications/email/test_body.txt"


@pytest.fixture(autouse=True)
def _body_template(settings, tmp_path):
    (tmp_path / "notifications" / "email").mkdir(parents=True)
    (tmp_path / TEMPLATE).write_text(
        "{% load i18n %}{% autoescape off %}{% blocktranslate %}「{{ title }}」の審査をお願いします。"
        "期限までに審査ページから評点を入力してください。{% endblocktranslate %}{% endautoescape %}",
        encoding="utf-8",
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]


def told(people, kind=Kind.REVIEW, link="/communities/rounds/1/"):
    return tell(
        kind,
        people,
        gettext_lazy("【renkei】審査の依頼: %(title)s"),
        TEMPLATE,
        {"title": "長岡バイオエコノミー"},
        link=link,
    )


@override_settings(
    RENKEI_SITE_URL="https://renkei.example.jp",
    RENKEI_SECRETARIAT_CONTACT="secretariat@cao.example.go.jp",
)
def test_a_reviewer_gets_an_inbox_row_and_a_mail_with_greeting_link_contact_and_signature(
    reviewer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        (row,) = told([reviewer])
    assert row.recipient == reviewer and row.read_at is None
    assert row.subject == "【renkei】審査の依頼: 長岡バイオエコノミー"
    assert row.link == "/communities/rounds/1/"
    assert "評点を入力してください" in row.body and "様" not in row.body
    (message,) = mail.outbox
    assert message.to == ["tanaka@example.jp"]
    assert message.subject == row.subject
    body = message.body
    assert body.startswith("田中（審査委員） 様\n")
    assert "「長岡バイオエコノミー」の審査をお願いします。" in body
    assert "https://renkei.example.jp/communities/rounds/1/" in body
    assert "事務局（secretariat@cao.example.go.jp）" in body
    assert "https://renkei.example.jp/notifications/preferences/" in body
    assert body.rstrip().endswith(
        "renkei 地域バイオコミュニティ連携ポータル\nhttps://renkei.example.jp/"
    )
    assert Mail.objects.get().sent_at is not None


def test_someone_without_an_account_is_greeted_as_the_person_in_charge_and_always_mailed(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        assert told(["yamamoto@shimanami-gyokyo.example.jp"]) == []
    (message,) = mail.outbox
    assert message.body.startswith("ご担当者 様\n")
    assert "/notifications/preferences/" not in message.body
    assert not Notification.objects.exists()


def test_a_known_name_is_used_in_the_greeting(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        told([Address("yamamoto@shimanami-gyokyo.example.jp", name="山本 一郎")])
    assert mail.outbox[0].body.startswith("山本 一郎 様\n")


def test_nothing_is_mailed_before_the_transaction_commits(reviewer):
    told([reviewer])
    assert mail.outbox == []
    assert Mail.objects.get().sent_at is None


def test_a_person_who_chose_inbox_only_gets_no_mail_for_that_kind(
    reviewer, django_capture_on_commit_callbacks
):
    set_preferences(reviewer, {Kind.REVIEW: Channel.INBOX})
    with django_capture_on_commit_callbacks(execute=True):
        told([reviewer])
        told([reviewer], kind=Kind.CERTIFICATION)
    assert Notification.objects.filter(recipient=reviewer).count() == 2
    assert [m.subject for m in mail.outbox] == ["【renkei】審査の依頼: 長岡バイオエコノミー"]
    assert Mail.objects.get().kind == Kind.CERTIFICATION


def test_invitations_and_account_security_are_mailed_whatever_the_preference(
    reviewer, django_capture_on_commit_callbacks
):
    set_preferences(reviewer, {Kind.ACCOUNT: Channel.INBOX, Kind.INVITATION: Channel.INBOX})
    with django_capture_on_commit_callbacks(execute=True):
        told([reviewer], kind=Kind.ACCOUNT)
    assert len(mail.outbox) == 1


def test_a_person_who_chose_english_is_written_to_in_english(
    reviewer, django_capture_on_commit_callbacks
):
    set_preferences(reviewer, {}, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        told([reviewer])
    body = mail.outbox[0].body  # (the new sentences are translated in one pass later)
    assert body.startswith("Dear 田中（審査委員）,")
    assert "renkei: regional bio-community collaboration portal\nhttp" in body


def test_each_person_is_told_once_and_inactive_people_not_at_all(
    reviewer, outsider, secretariat, django_capture_on_commit_callbacks
):
    outsider.is_active = False
    outsider.save()
    with django_capture_on_commit_callbacks(execute=True):
        told([reviewer, reviewer, "TANAKA@example.jp", outsider, secretariat, None])
    assert sorted(m.to[0] for m in mail.outbox) == ["sato@example.jp", "tanaka@example.jp"]
    assert Notification.objects.count() == 2


def test_an_unknown_kind_is_refused(reviewer):
    with pytest.raises(ValueError, match="gossip"):
        told([reviewer], kind="gossip")
