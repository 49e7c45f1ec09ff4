"""An SME owner describes a problem on the public need form, without an account: from the
start page to the form, the link in the confirmation mail, the confirmation with its reference
number and private status page, and the same page linked from the next mail. On a desktop and
on a phone."""

import re

import pytest

from e2e.conftest import check


@pytest.mark.parametrize("device", ["page", "phone"])
def test_an_sme_sends_a_need_and_follows_it_from_the_mails(device, request, server):
    page = request.getfixturevalue(device)
    address = f"owner-{device}@kaki.example.jp"
    title = f"牡蠣の殻の処分に困っている（{device}）"

    page.goto("/")
    check(page)
    page.get_by_role("link", name="困りごとを相談する").first.click()
    page.wait_for_load_state()
    check(page)
    assert page.get_by_role("heading", level=1).inner_text() == "困りごとを相談する"

    # A first try without the consent: the form says what is missing and keeps the answers.
    form = page.locator("main form").filter(has=page.get_by_role("button", name="送信する"))
    form.get_by_role("textbox", name="困りごと（ひとことで）").fill(title)
    form.get_by_role("textbox", name="くわしい内容").fill(
        "牡蠣の養殖で出る殻が年間200トンあり、処分費がかさんでいる。"
        "肥料や建材などに使えないか知りたい。"
    )
    form.get_by_label("都道府県").select_option(label="広島県")
    form.get_by_label("種別").select_option(label="中小企業・個人事業主")
    form.get_by_label("共同研究").check()
    form.get_by_role("textbox", name="会社・団体名").fill("かき小町水産")
    form.get_by_role("textbox", name="お名前").fill("広島 太郎")
    form.get_by_role("textbox", name="メールアドレス").fill(address)
    page.get_by_role("button", name="送信する").click()
    page.wait_for_load_state()
    check(page)
    assert "個人情報の取扱いへの同意が必要です" in page.locator("main").inner_text()
    assert form.get_by_role("textbox", name="困りごと（ひとことで）").input_value() == title
    # Choices too (every select of the portal once came back on its first option).
    for field, chosen in (("都道府県", "広島県"), ("種別", "中小企業"), ("時期", "未定")):
        assert chosen in form.get_by_label(field).locator("option:checked").inner_text(), field
    assert form.get_by_label("共同研究").is_checked()

    form.get_by_label("個人情報の取扱いに同意します").check()
    page.get_by_role("button", name="送信する").click()
    page.wait_for_load_state()
    check(page)
    assert "メールを確認してください" in page.get_by_role("heading", level=1).inner_text()
    assert "72時間" in page.locator("main").inner_text()

    # The confirmation mail's link, then the button that confirms.
    page.goto(server.link_in_mail(address, "受付を確定する"))
    check(page)
    page.get_by_role("button", name="受付を確定する").click()
    page.wait_for_load_state()
    check(page)
    assert "確認できました" in page.locator("main").inner_text()
    # The reference number and the private status page, on the confirmation itself.
    reference = re.search(r"N-\d{4}-\d+", page.locator("main").inner_text())
    assert reference, page.locator("main").inner_text()
    reference = reference.group(0)
    page.get_by_role("link", name="状況ページを開く").click()
    page.wait_for_load_state()
    check(page)
    assert reference in page.locator("main").inner_text()
    status_from_page = page.url
    page.go_back()
    page.wait_for_load_state()
    page.get_by_role("link", name="公開される内容を見る").click()
    page.wait_for_load_state()
    check(page)
    published = page.locator("main").inner_text()
    assert title in published
    assert address not in published and "広島 太郎" not in published

    # The mail that says it was received carries the private status page.
    mail = server.wait_for_mail(address, "あなた専用のご相談の状況ページ")
    assert reference in mail
    status = server.link_in_mail(address, "あなた専用のご相談の状況ページ")
    page.goto(status)
    check(page)
    assert page.url == status_from_page
    text = page.locator("main").inner_text()
    assert title in text and reference in text
    assert re.search("受付済み|受け付けました", text), text
