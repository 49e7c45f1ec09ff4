"""Mr Yamamoto of a fishery cooperative asks for help through the public form; Kobayashi,
a coordinator, finds him seeds from across Japan."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from renkei.accounts.models import AuditLog
from renkei.matching.models import Need

FORM = reverse("matching:need_new")


def confirmation_link(message):
    return re.search(r"http://\S+/matching/needs/confirm/(\S+)/", message.body).group(0)


def test_an_sme_owner_submits_confirms_and_a_coordinator_sees_ranked_seeds(
    client, need_form_data, portal_seeds, coordinator, django_capture_on_commit_callbacks
):
    assert "個人情報の取扱い" in client.get(FORM).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(FORM, need_form_data)
    assert response.status_code == 302
    assert response.url == reverse("matching:need_sent")
    need = Need.objects.get()
    assert need.status == "unconfirmed" and need.confirmed_at is None
    assert not Need.objects.in_queue().exists()
    assert client.get(reverse("matching:need", args=[need.pk])).status_code == 404

    (message,) = mail.outbox
    assert message.to == ["yamamoto@shimanami-gyokyo.example.jp"]
    link = confirmation_link(message)
    path = link.removeprefix("http://127.0.0.1:8000")
    # opening the link (as a mail scanner would) does not confirm; the button does
    assert "受付を確定する" in client.get(path).content.decode()
    assert Need.objects.get().confirmed_at is None
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(path)
    assert "確認できました" in page.content.decode()
    need.refresh_from_db()
    assert need.status == "queued" and need.confirmed_at is not None
    # no community covers Hiroshima in the default data, so the secretariat would be told;
    # the Nagaoka coordinator works the national queue anyway
    client.force_login(coordinator)
    queue = client.get(reverse("matching:queue")).content.decode()
    assert need.title in queue
    page = client.get(reverse("matching:need", args=[need.pk])).content.decode()
    # the contact is for whoever handles the need: the coordinator who takes it may call back
    assert "yamamoto@shimanami-gyokyo.example.jp" not in page
    client.post(reverse("matching:need_take", args=[need.pk]))
    page = client.get(reverse("matching:need", args=[need.pk])).content.decode()
    assert "yamamoto@shimanami-gyokyo.example.jp" in page
    assert portal_seeds["s001"].title in page  # the dissolved-oxygen monitoring seed
    assert "語の一致" in page and "意味の近さ" in page


def test_the_confirmation_link_expires_after_72_hours(client, need_form_data):
    client.post(FORM, need_form_data)
    need = Need.objects.get()
    Need.objects.filter(pk=need.pk).update(created_at=timezone.now() - timedelta(hours=73))
    from renkei.matching import actions

    need.confirm_token_hash = actions._token_hash("t0")
    need.save(update_fields=["confirm_token_hash"])
    response = client.post(reverse("matching:need_confirm", args=["t0"]))
    assert response.status_code == 410
    assert "期限" in response.content.decode()
    assert Need.objects.get().confirmed_at is None


def test_an_unknown_link_says_so(client):
    response = client.get(reverse("matching:need_confirm", args=["nonsense"]))
    assert response.status_code == 404
    assert "この確認リンクは無効です" in response.content.decode()


def test_the_form_refuses_missing_consent_invalid_email_and_a_too_short_description(
    client, need_form_data
):
    data = {
        **need_form_data,
        "email": "yamamoto@",
        "description": "困った",
        "phone": "abc",
        "prefecture": "99",
    }
    del data["consent"]
    page = client.post(FORM, data).content.decode()
    assert "個人情報の取扱いへの同意が必要です。" in page
    assert "有効なメールアドレスを入力してください。" in page
    assert "もう少しくわしく（10文字以上）書いてください。" in page
    assert "電話番号「abc」の形式が正しくありません" in page
    assert "正しく選択してください" in page
    assert not Need.objects.exists()
    assert not mail.outbox


def test_an_over_long_title_is_refused(client, need_form_data):
    page = client.post(FORM, {**need_form_data, "title": "あ" * 101}).content.decode()
    assert "100 文字以下" in page or "100文字以下" in page
    assert not Need.objects.exists()


def test_a_bot_filling_the_honeypot_is_told_nothing_and_nothing_is_saved(client, need_form_data):
    response = client.post(FORM, {**need_form_data, "website": "http://spam.example"})
    assert response.status_code == 302
    assert not Need.objects.exists()
    assert not mail.outbox


@override_settings(RENKEI_NEED_FORM_LIMIT=3)
def test_a_flood_is_stopped_and_a_spoofed_forwarded_for_does_not_reset_it(client, need_form_data):
    for n in range(3):
        response = client.post(FORM, need_form_data, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
        assert response.status_code == 302
    response = client.post(FORM, need_form_data, HTTP_X_FORWARDED_FOR="198.51.100.99")
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    assert Need.objects.count() == 3
    # another client (another address) is not affected
    other = client.post(FORM, need_form_data, REMOTE_ADDR="192.0.2.10")
    assert other.status_code == 302


def test_behind_a_trusted_proxy_the_client_is_the_last_untrusted_hop(rf, settings):
    import ipaddress

    from renkei.matching.throttle import client_address, client_key

    settings.RENKEI_TRUSTED_PROXIES = [ipaddress.ip_network("10.0.0.0/8")]
    request = rf.post(
        FORM, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7, 10.0.0.9"
    )
    assert str(client_address(request)) == "203.0.113.7"  # 1.2.3.4 was written by the client
    direct = rf.post(FORM, REMOTE_ADDR="203.0.113.8", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert str(client_address(direct)) == "203.0.113.8"  # not from a proxy: XFF ignored
    six = rf.post(FORM, REMOTE_ADDR="2001:db8:1:2:3:4:5:6")
    assert client_key(six) == "2001:db8:1:2::/64"


def test_public_pages_and_api_never_show_the_submitters_email_phone_or_hidden_name(
    client, confirmed_need
):
    urls = [
        reverse("matching:needs"),
        reverse("matching:need", args=[confirmed_need.pk]),
        reverse("matching:index"),
        "/api/needs",
        f"/api/needs/{confirmed_need.pk}",
    ]
    for url in urls:
        body = client.get(url).content.decode()
        assert "yamamoto@shimanami-gyokyo.example.jp" not in body, url
        assert "082-123-4567" not in body, url
        assert "山本" not in body, url
        assert "しまなみ漁業協同組合" not in body, url
    assert confirmed_need.title in client.get(reverse("matching:needs")).content.decode()


def test_the_organisation_is_shown_when_the_submitter_allowed_it(client, confirmed_need):
    Need.objects.filter(pk=confirmed_need.pk).update(show_name=True)
    assert "しまなみ漁業協同組合" in client.get(reverse("matching:needs")).content.decode()
    data = client.get(f"/api/needs/{confirmed_need.pk}").json()
    assert data["submitter_organization"] == "しまなみ漁業協同組合"
    assert "email" not in data and "phone" not in data and "submitter_name" not in data


def test_the_coordinator_handling_a_need_gets_contact_fields_in_the_api(
    client, taken_need, coordinator
):
    client.force_login(coordinator)
    data = client.get(f"/api/needs/{taken_need.pk}").json()
    assert data["email"] == "yamamoto@shimanami-gyokyo.example.jp"


def test_the_audit_log_keeps_no_contact_details(confirmed_need):
    rows = AuditLog.objects.filter(action__startswith="matching.")
    assert {r.action for r in rows} == {"matching.submit_need", "matching.confirm_need"}
    for row in rows:
        assert "yamamoto" not in str(row.after) and "082" not in str(row.after)


@pytest.mark.parametrize("persona", ["client", "outsider", "liaison"])
def test_only_coordinators_see_the_queue_and_the_ranked_seeds(
    persona, request, client, confirmed_need
):
    if persona != "client":
        client.force_login(request.getfixturevalue(persona))
    queue = client.get(reverse("matching:queue"))
    assert queue.status_code in (302, 403)
    page = client.get(reverse("matching:need", args=[confirmed_need.pk])).content.decode()
    assert "合いそうなシーズ" not in page
    assert client.get(f"/api/needs/{confirmed_need.pk}/matches").status_code == 403


def test_visitors_who_chose_english_get_the_form_and_its_errors_in_english(client, need_form_data):
    client.post(reverse("set_language"), {"language": "en", "next": FORM})
    page = client.get(FORM).content.decode()
    assert '<html lang="en">' in page
    assert "Ask for help with a problem" in page
    data = dict(need_form_data)
    del data["consent"]
    page = client.post(FORM, data).content.decode()
    assert "Please agree to how we handle personal information." in page


def test_a_coordinator_finds_a_need_by_the_reference_number_the_submitter_quotes(
    client, coordinator, confirmed_need
):
    """Yamamoto phones quoting 受付番号: the coordinator types it (as written, in full-width
    or without the zeros) and gets that need, whose page shows the number too."""
    client.force_login(coordinator)
    reference = confirmed_need.reference
    year, serial = reference[2:6], reference[7:]
    typed_ways = (
        reference,
        reference.lower(),
        "Ｎ－" + reference[2:],  # full-width
        f"N‐{year}‐{serial}",  # U+2010
        f"N−{year}−{serial}",  # U+2212
        f"Nー{year}ー{serial}",  # the long-vowel mark a Japanese keyboard gives
        f"{year}-{serial}",  # without the N
        str(confirmed_need.pk),
    )
    for typed in typed_ways:
        page = client.get(reverse("matching:queue"), {"ref": typed}).content.decode()
        assert confirmed_need.title in page, typed
        assert reference in page
    assert reference in client.get(confirmed_need.get_absolute_url()).content.decode()
    other = client.get(reverse("matching:queue"), {"ref": "N-2026-999999"}).content.decode()
    assert confirmed_need.title not in other and "該当する相談はありません" in other
    # the same number with another year is another need: not this one
    elsewhere = f"N-{int(year) - 1}-{serial}"
    other = client.get(reverse("matching:queue"), {"ref": elsewhere}).content.decode()
    assert confirmed_need.title not in other and "該当する相談はありません" in other
    wrong = client.get(reverse("matching:queue"), {"ref": "山本さん"}).content.decode()
    assert "受付番号は N-2026-000123 の形か、番号だけ（123）で入力してください。" in wrong
    assert 'aria-invalid="true"' in wrong and "<title>入力の誤り: " in wrong
    assert confirmed_need.title not in wrong  # nothing listed as if it were the answer
