"""Issue 12: what a new user tripped over, kept fixed — error pages in the site's frame and
in Japanese, page titles that name the portal, forms that mark what is required and never
offer ``---------``."""

import pytest
from django.test import Client

PORTAL = "renkei 地域バイオコミュニティ連携ポータル"


def _ways_back(page):
    return 'href="/"' in page and "トップページへ戻る" in page and "支援施策を探す" in page


def test_a_missing_page_says_so_in_japanese_in_the_sites_frame_with_ways_back(client):
    response = client.get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "ページが見つかりません" in page and f"| {PORTAL}</title>" in page
    assert 'class="brand"' in page and _ways_back(page)


def test_a_refused_page_says_who_may_see_it_and_offers_to_sign_in(client):
    response = client.get("/communities/rounds/new/")  # anonymous: the sign-in redirect
    assert response.status_code == 302
    from renkei.accounts.models import User

    client.force_login(User.objects.create_user("plain", "plain@example.jp", "x" * 14))
    response = client.get("/communities/rounds/new/")
    page = response.content.decode()
    assert response.status_code == 403
    assert "このページを表示する権限がありません" in page and _ways_back(page)
    assert "マイページへ戻る" in page


def test_a_bad_request_is_a_japanese_page(client):
    response = client.get("/programs/search/", {"q": "a\x00b"})
    assert response.status_code == 400


def test_the_400_and_500_handlers_draw_the_sites_page(rf):
    from renkei.portal import errors

    request = rf.get("/x/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    bad = errors.bad_request(request).content.decode()
    assert "リクエストを受け付けられません（400）" in bad and _ways_back(bad)
    broken = errors.server_error(request)
    assert broken.status_code == 500
    page = broken.content.decode()
    assert "サーバーでエラーが発生しました（500）" in page and _ways_back(page)
    assert f"| {PORTAL}</title>" in page


def test_the_error_pages_are_wired(settings):
    from renkei import urls

    assert urls.handler404 == "renkei.portal.errors.page_not_found"
    assert urls.handler500 == "renkei.portal.errors.server_error"
    assert urls.handler400 == "renkei.portal.errors.bad_request"
    assert urls.handler403 == "renkei.portal.errors.permission_denied"
    assert settings.CSRF_FAILURE_VIEW == "renkei.portal.errors.csrf_failure"


def test_a_form_sent_without_its_token_says_how_to_send_it_again():
    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/matching/needs/new/", {"title": "x"})
    page = response.content.decode()
    assert response.status_code == 403
    assert "送信を受け付けられませんでした" in page and "もう一度送信してください" in page
    assert _ways_back(page)


def test_the_sign_in_page_title_names_the_portal_not_the_host(client):
    page = client.get("/accounts/login/").content.decode()
    assert f"<title>ログイン | {PORTAL}</title>" in page
    assert "testserver" not in page.split("</title>")[0]


def test_labels_carry_no_ascii_colon_and_empty_choices_read_choose(client, secretariat):
    client.force_login(secretariat)
    for url in ("/matching/needs/new/", "/communities/rounds/new/", "/accounts/invitations/new/"):
        page = client.get(url).content.decode()
        assert ":</label>" not in page and ":</legend>" not in page, url
        assert "---------" not in page, url


@pytest.mark.parametrize("field", ["title", "description", "prefecture", "email"])
def test_the_need_form_marks_required_fields(client, field):
    page = client.get("/matching/needs/new/").content.decode()
    label = page.split(f'for="id_{field}"', 1)[1].split("</label>", 1)[0]
    assert "必須" in label


def test_the_need_form_marks_optional_fields_and_says_what_is_published(client):
    page = client.get("/matching/needs/new/").content.decode()
    legend = page.split("希望する連携（いくつでも）", 1)[1][:80]
    assert "任意" in legend
    phone = page.split('for="id_phone"', 1)[1].split("</label>", 1)[0]
    assert "任意" in phone
    assert "困りごと（公開されます）" in page and "ご連絡先（公開しません）" in page
    assert "お名前・メールアドレス・電話番号は公開しません" in page


def test_the_confirmation_hours_read_as_a_whole_number(client):
    page = client.get("/matching/needs/sent/").content.decode()
    assert "72時間以内" in page and "72.0" not in page
    assert "72時間以内" in client.get("/matching/privacy/").content.decode()
