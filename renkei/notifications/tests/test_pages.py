"""The inbox (お知らせ) and the preferences page of a signed-in person."""

import re

from django.urls import reverse

from renkei.notifications.models import Channel, Kind, MailLanguage, Notification
from renkei.notifications.models import NotificationPreference as Preference

INBOX = reverse("notifications:inbox")
PREFERENCES = reverse("notifications:preferences")


def notification(
    user, subject="【renkei】審査の依頼: 長岡バイオコミュニティ", link="/communities/reviews/"
):
    return Notification.objects.create(
        recipient=user,
        kind=Kind.REVIEW,
        subject=subject,
        body="長岡バイオコミュニティの認定申請の審査をお願いします。",
        link=link,
    )


def test_visitors_are_asked_to_sign_in(client):
    assert reverse("accounts:login") in client.get(INBOX)["Location"]
    assert reverse("accounts:login") in client.get(PREFERENCES)["Location"]


def test_the_inbox_lists_ones_own_notifications_newest_first_with_unread_marked(
    login, reviewer, outsider
):
    notification(reviewer, subject="古いお知らせ")
    notification(reviewer, subject="新しいお知らせ")
    notification(outsider, subject="伊藤さんへのお知らせ")
    html = login(reviewer).get(INBOX).content.decode()
    assert html.index("新しいお知らせ") < html.index("古いお知らせ")
    assert "伊藤さんへのお知らせ" not in html
    assert "未読のお知らせが 2 件あります。" in html


def test_an_empty_inbox_says_what_will_arrive(login, outsider):
    assert "お知らせはまだありません。" in login(outsider).get(INBOX).content.decode()


def test_opening_a_notification_marks_it_read_and_offers_its_page(login, reviewer):
    row = notification(reviewer)
    html = login(reviewer).get(reverse("notifications:detail", args=[row.pk])).content.decode()
    assert "審査をお願いします" in html and 'href="/communities/reviews/"' in html
    row.refresh_from_db()
    assert row.read_at is not None


def test_nobody_opens_anothers_notification(login, reviewer, outsider):
    row = notification(reviewer)
    assert login(outsider).get(reverse("notifications:detail", args=[row.pk])).status_code == 404


def test_one_or_all_notifications_are_marked_read(login, reviewer, outsider):
    first, second = notification(reviewer), notification(reviewer)
    others = notification(outsider)
    tanaka = login(reviewer)
    tanaka.post(reverse("notifications:mark_read"), {"id": first.pk, "next": INBOX})
    assert Notification.objects.unread().filter(recipient=reviewer).get() == second
    response = tanaka.post(reverse("notifications:mark_read"))
    assert response["Location"] == INBOX
    assert not Notification.objects.unread().filter(recipient=reviewer).exists()
    others.refresh_from_db()
    assert others.read_at is None
    assert tanaka.get(reverse("notifications:mark_read")).status_code == 405


def test_marking_read_never_redirects_to_another_site(login, reviewer):
    row = notification(reviewer)
    response = login(reviewer).post(
        reverse("notifications:mark_read"), {"id": row.pk, "next": "https://evil.example/"}
    )
    assert response["Location"] == INBOX


def test_the_header_counts_unread_notifications_and_links_to_the_inbox(login, reviewer):
    notification(reviewer)
    html = login(reviewer).get(reverse("portal:home")).content.decode()
    assert f'href="{INBOX}"' in html and "未読 1 件" in html


def test_preferences_choose_inbox_only_per_kind_and_the_language(login, reviewer):
    tanaka = login(reviewer)
    html = tanaka.get(PREFERENCES).content.decode()
    assert "審査の依頼" in html and "受信箱のみ" in html
    # kinds that concern the account itself are always mailed: no choice is offered
    assert 'name="notify-account"' not in html and "アカウントの安全" in html
    form = {f"notify-{kind.value}": Channel.MAIL for kind in Kind}
    form.update({"notify-review": Channel.INBOX, "notify-language": "en"})
    response = tanaka.post(PREFERENCES, form)
    assert response.status_code == 302
    assert Preference.objects.get(user=reviewer, kind=Kind.REVIEW).channel == Channel.INBOX
    assert Preference.objects.get(user=reviewer, kind=Kind.ALERT).channel == Channel.MAIL
    assert not Preference.objects.filter(kind=Kind.ACCOUNT).exists()
    assert MailLanguage.objects.get(user=reviewer).language == "en"
    html = tanaka.get(PREFERENCES).content.decode()
    assert re.search(r'value="inbox"[^>]*id="id_notify-review_1"[^>]*checked', html)


def test_preferences_refuse_an_unknown_choice(login, reviewer):
    response = login(reviewer).post(
        PREFERENCES, {"notify-review": "carrier-pigeon", "notify-language": "ja"}
    )
    assert response.status_code == 200
    assert not Preference.objects.filter(user=reviewer).exists()
