"""A certification round through the pages only, by the people the secretariat invited: the
secretariat opens a round with its reviewer; 長岡's coordinator drafts the application,
attaches a PDF (a wrong one removed), is asked before withdrawing and submits it (every button
keeps what was typed); the secretariat assigns the reviewer, who saves a draft review and
submits it later; the secretariat decides, closes the round and publishes; a visitor reads the
results on a phone. Each step starts from the start page and マイページ and follows links."""

import io
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfWriter

from e2e.conftest import check, choose

NOW = datetime.now(ZoneInfo("Asia/Tokyo"))
FISCAL_YEAR = NOW.year if NOW.month >= 4 else NOW.year - 1
TITLE = f"地域バイオコミュニティの認定（令和{FISCAL_YEAR - 2018}年度・第2回）"
ANSWERS = {
    "① 世界で通用しうる強み": "コメと未利用バイオ資源のバリューチェーン、醸造・発酵の技術集積。",
    "② 主要な主体とキーパーソン": "長岡市長を会長とするコンソーシアム、長岡技科大、長岡高専。",
    "③ ネットワーク機関": "長岡バイオエコノミーコンソーシアムが会員65者を調整。",
    "④ あるべき姿と具体的な実施計画": "2030年までに新産業10件、バイオ由来製品の地域循環を実現。",
}
DONE = set()  # the steps that passed, so a later one says which earlier one it lacks


def needs(step):
    if step not in DONE:
        pytest.skip(f"needs the step before: {step}")


def when(delta):
    return (NOW + delta).strftime("%Y-%m-%dT%H:%M")


def a_pdf():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    stream = io.BytesIO()
    writer.write(stream)
    return stream.getvalue()


def go(page, name):
    """Follow the link named ``name`` (a string the name contains, or a pattern)."""
    pattern = name if isinstance(name, re.Pattern) else re.compile(re.escape(name))
    page.get_by_role("link", name=pattern).first.click()
    page.wait_for_load_state()
    check(page)


def mypage(page):
    page.goto("/")
    go(page, "マイページ")


def test_the_secretariat_opens_a_round_with_its_reviewer(team):
    page = team["sato"].tab()
    mypage(page)
    go(page, "認定ラウンドを開く")
    form = page.locator("main form").filter(has=page.get_by_role("button", name="ラウンドを開く"))
    choose(form.get_by_label("種別"), "地域バイオコミュニティ")
    form.get_by_label("年度").fill(f"令和{FISCAL_YEAR - 2018}")
    form.get_by_label("名称").fill(TITLE)
    form.get_by_label("受付開始").fill(when(-timedelta(hours=1)))
    form.get_by_label("受付締切").fill(when(timedelta(days=7)))
    form.get_by_label("審査期限").fill(when(timedelta(days=30)))
    form.get_by_role("checkbox", name=re.compile("tanaka")).check()
    form.get_by_role("button", name="ラウンドを開く").click()
    page.wait_for_load_state()
    check(page)
    assert page.locator("h1").inner_text().startswith(TITLE)
    assert "tanaka" in page.locator("main").inner_text()
    page.close()
    DONE.add("round")


def test_the_coordinator_drafts_attaches_and_submits_an_application(team):
    needs("round")
    kobayashi = team["kobayashi"]
    page = kobayashi.tab()
    mypage(page)
    go(page, f"申請を受け付けている認定ラウンド: {TITLE}")
    choose(page.get_by_label("申請するコミュニティ"), "長岡")
    page.get_by_role("button", name="下書きを作る").click()
    page.wait_for_load_state()
    check(page)
    assert "長岡バイオコミュニティの認定申請" in page.locator("h1").inner_text()
    answers = page.locator("main form").filter(
        has=page.get_by_role("button", name="申請を提出する")
    )

    # The first answer, saved as a draft.
    first, *rest = ANSWERS.items()
    answers.get_by_label(first[0]).fill(first[1])
    answers.get_by_role("button", name="下書きを保存").click()
    page.wait_for_load_state()
    check(page)
    assert answers.get_by_label(first[0]).input_value() == first[1]

    # The draft on a phone, reached from マイページ there.
    phone = kobayashi.phone()
    mypage(phone)
    go(phone, "申請の下書きを仕上げて提出する")
    assert phone.get_by_label(first[0]).input_value() == first[1]
    phone.context.close()

    # The other answers typed, then 添付する: the answers are saved with the file. The wrong
    # file first, removed, then the right one.
    for label, text in rest:
        answers.get_by_label(label).fill(text)
    for name in ("古い計画書.pdf", "実施計画.pdf"):
        answers.locator("input[type=file]").set_input_files(
            files=[{"name": name, "mimeType": "application/pdf", "buffer": a_pdf()}]
        )
        answers.get_by_role("button", name="添付する").click()
        page.wait_for_load_state()
        check(page)
        assert page.get_by_role("link", name=name).count() == 1
        if name == "古い計画書.pdf":
            answers.get_by_role("button", name="「古い計画書.pdf」を削除").click()
            page.wait_for_load_state()
            check(page)
            assert page.get_by_role("link", name=name).count() == 0
    for label, text in ANSWERS.items():
        assert answers.get_by_label(label).input_value() == text, label

    # 申請を取り下げる asks first, and says until when it can be undone; not now.
    go(page, "申請を取り下げる")
    assert "取り消せます" in page.locator("main").inner_text()
    go(page, "取り下げずに申請に戻る")
    answers.get_by_role("button", name="申請を提出する").click()
    page.wait_for_load_state()
    check(page)
    assert "提出済み" in page.locator("main .badge").first.inner_text()
    assert ANSWERS["④ あるべき姿と具体的な実施計画"] in page.locator("main").inner_text()
    page.close()
    DONE.add("application")


def test_the_reviewer_saves_a_draft_review_and_submits_it(team, server):
    needs("application")
    sato = team["sato"].tab()
    mypage(sato)
    go(sato, "審査委員の割当てを待つ申請")
    if not sato.get_by_role("button", name="割り当てる").count():
        go(sato, "長岡バイオコミュニティ")
    choose(sato.get_by_label("審査委員"), "tanaka")
    sato.get_by_role("button", name="割り当てる").click()
    sato.wait_for_load_state()
    check(sato)
    sato.close()
    server.wait_for_mail(team["tanaka"].email, "審査の依頼")

    page = team["tanaka"].tab()
    mypage(page)
    go(page, "審査が割り当てられた申請")
    if not page.get_by_role("button", name="審査結果を提出する").count():
        go(page, "長岡バイオコミュニティ")
    review = page.locator("main form").filter(
        has=page.get_by_role("button", name="審査結果を提出する")
    )
    scores = {"①": "4", "②": "5", "③": "4", "④": "3"}

    def score(mark):
        group = review.get_by_role("group", name=re.compile(f"^{mark}.*の評点"))
        return group.get_by_role("radio", name=re.compile(f"^{scores[mark]}："))

    # Two scores and a comment, saved as a draft; the page keeps them.
    score("①").check()
    score("②").check()
    review.get_by_label(re.compile("① .*の講評")).fill("醸造・発酵の集積は国際的にも強い。")
    review.get_by_role("button", name="下書きを保存").click()
    page.wait_for_load_state()
    check(page)
    assert "下書き" in page.locator("main").inner_text()
    assert score("①").is_checked() and score("②").is_checked()
    assert not score("③").is_checked()

    score("③").check()
    score("④").check()
    review.get_by_role("button", name="審査結果を提出する").click()
    page.wait_for_load_state()
    check(page)
    assert "提出済み" in page.locator("main").inner_text()
    page.close()
    DONE.add("review")


def test_the_secretariat_decides_and_publishes_and_a_visitor_reads_the_results(team, server, phone):
    needs("review")
    sato = team["sato"].tab()
    mypage(sato)
    go(sato, "審査がそろい、決定を待つ申請")
    if not sato.get_by_role("button", name="決定を記録する").count():
        go(sato, "長岡バイオコミュニティ")
    decision = sato.locator("main form").filter(
        has=sato.get_by_role("button", name="決定を記録する")
    )
    decision.get_by_role("radio", name="認定", exact=True).check()
    decision.get_by_label("決定の理由").fill("4要件を満たす。特に①と②が優れる。")
    decision.get_by_role("button", name="決定を記録する").click()
    sato.wait_for_load_state()
    check(sato)
    assert re.search(r"決定:\s*認定（未公表）", sato.locator("main").inner_text())

    go(sato, TITLE)
    sato.get_by_role("button", name="申請の受付を締め切る").click()
    sato.wait_for_load_state()
    check(sato)
    sato.get_by_role("button", name="決定した結果を公表する").click()
    sato.wait_for_load_state()
    check(sato)
    sato.close()
    server.wait_for_mail(team["kobayashi"].email, "公表")

    # Anyone, on a phone: バイオコミュニティ → 認定ラウンド → the round → its results.
    phone.goto("/")
    check(phone)
    go(phone, "バイオコミュニティ")
    go(phone, "認定ラウンド")
    go(phone, TITLE)
    go(phone, "結果を見る")
    results = phone.locator("main").inner_text()
    assert "長岡バイオコミュニティ" in results and "認定" in results
