"""Issue 10's journey, through the pages only: the account `renkei create-secretariat` makes
sets up its second factor, invites a reviewer and a coordinator from the portal, both accept
and set passwords, the coordinator applies, the reviewer reviews, the secretariat decides and
publishes. No superuser, no admin, and every page after the first is reached by a link or a
form on the page before (never a typed address)."""

import html as htmllib
import io
import re
from datetime import timedelta

from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from renkei.accounts.models import User
from renkei.communities.models import Application, CertificationRound
from renkei.notifications.models import Mail

PASSWORD = "a long and unusual passphrase 42"
ANSWERS = {
    "strengths": "コメと未利用バイオ資源のバリューチェーン、醸造・発酵の技術集積。",
    "actors": "長岡市長を会長とするコンソーシアム、長岡技科大、長岡高専、JA越後ながおか。",
    "network": "長岡バイオエコノミーコンソーシアムが会員65者を調整。",
    "plan": "2030年までに新産業10件、バイオ由来製品の地域循環を実現する。",
}


class Browser:
    """A person at a browser: follows links and submits the forms pages offer."""

    def __init__(self):
        self.client = Client()
        self.url, self.html = None, ""
        self.visited = []

    def open(self, url):
        response = self.client.get(url, follow=True)
        assert response.status_code == 200, (url, response.status_code)
        self.url = response.redirect_chain[-1][0] if response.redirect_chain else url
        self.html = response.content.decode()
        self.visited.append(self.url)
        return self

    def click(self, text):
        """Follow the link whose text contains ``text``."""
        for href, inner in re.findall(r'<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>', self.html, re.S):
            if text in re.sub(r"<[^>]+>", "", inner):
                return self.open(htmllib.unescape(href))
        raise AssertionError(f"no link {text!r} on {self.url}")

    def submit(self, button, data=None, files=None):
        """Submit the form holding the button labelled ``button``, with ``data``."""
        for attrs, body in re.findall(r"<form([^>]*)>(.*?)</form>", self.html, re.S):
            if button in body:
                action = re.search(r'action="([^"]*)"', attrs)
                url = htmllib.unescape(action.group(1)) if action else self.url
                fields = dict(
                    re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', body)
                )
                fields.pop("csrfmiddlewaretoken", None)
                # what a browser sends besides: the text areas as they are drawn, and the
                # pressed button's own name and value
                for name, text in re.findall(
                    r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', body, re.S
                ):
                    fields[name] = htmllib.unescape(text.lstrip("\n"))
                pressed = re.search(
                    rf'<button[^>]*name="([^"]+)"[^>]*value="([^"]*)"[^>]*>\s*{re.escape(button)}',
                    body,
                )
                if pressed:
                    fields[pressed.group(1)] = pressed.group(2)
                response = self.client.post(url, {**fields, **(data or {}), **(files or {})})
                assert response.status_code in (200, 302), (
                    url,
                    response.status_code,
                    re.findall(r"errorlist[^>]*>(.*?)</ul>", response.content.decode(), re.S),
                )
                if response.status_code == 302:
                    return self.open(response["Location"])
                self.html = response.content.decode()
                return self
        raise AssertionError(f"no form with {button!r} on {self.url}")

    def set_up_second_factor(self, username):
        assert "2段階認証の設定" in self.html
        device = TOTPDevice.objects.get(user__username=username, confirmed=False)
        code = f"{TOTP(device.bin_key).token():06d}"
        self.submit("設定する", {"code": code})
        assert len(re.findall(r"<li><code>\w+</code></li>", self.html)) == 10
        return self.click("保管したので先へ進む")


def link_in_mail(to, subject):
    mail = Mail.objects.filter(to=to, subject__contains=subject).latest("created_at")
    return re.search(r"https?://[^/\s]+(/\S+)", mail.body).group(1)


def option_value(html, select_name, text):
    select = re.search(rf'<select name="{select_name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.search(rf'<option value="([^"]+)"[^>]*>[^<]*{re.escape(text)}', select).group(1)


def test_the_secretariat_runs_a_round_from_invitations_to_published_results(monkeypatch, client):
    monkeypatch.setenv("RENKEI_SECRETARIAT_PASSWORD", PASSWORD)
    call_command(
        "create_secretariat",
        "sato",
        "--email",
        "sato@example.go.jp",
        "--display-name",
        "佐藤（事務局）",
        "--noinput",
        stdout=io.StringIO(),
    )

    # 佐藤 signs in from the home page and sets up the second factor.
    sato = Browser().open("/").click("ログイン")
    sato.submit("ログイン", {"username": "sato@example.go.jp", "password": PASSWORD})
    sato.set_up_second_factor("sato")

    # 佐藤 invites a reviewer and a coordinator from the people page in the header.
    sato.click("人と役割").click("新しく招待する")
    sato.submit("招待を送る", {"email": "tanaka@example.ac.jp", "kind": "reviewer"})
    assert "tanaka@example.ac.jp さんに招待を送りました" in sato.html
    sato.click("新しく招待する")
    nagaoka = option_value(sato.html, "community", "長岡")
    sato.submit(
        "招待を送る",
        {"email": "kobayashi@example.jp", "kind": "coordinator", "community": nagaoka},
    )
    assert "受諾待ち" in sato.html

    # Both accept by the mailed link, choose a password and set up their second factor.
    people = {}
    for email, username in (
        ("tanaka@example.ac.jp", "tanaka"),
        ("kobayashi@example.jp", "kobayashi"),
    ):
        person = Browser().open(link_in_mail(email, "招待"))
        person.submit(
            "アカウントを作って招待を受ける",
            {"username": username, "password1": PASSWORD, "password2": PASSWORD},
        )
        person.set_up_second_factor(username)
        people[username] = person
    tanaka, kobayashi = people["tanaka"], people["kobayashi"]
    assert (
        "招待が受諾されました"
        in Mail.objects.filter(to="sato@example.go.jp").values_list("subject", flat=True)[0]
    )

    # 佐藤 opens a round and adds 田中 as its reviewer on the round's page.
    sato.click("マイページ").click("認定ラウンドを開く")
    now = timezone.localtime()
    sato.submit(
        "ラウンドを開く",
        {
            "kind": "regional",
            "fiscal_year": "2026",
            "title": "地域バイオコミュニティの認定（令和8年度）",
            "opens_at": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
            "review_deadline": (now + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    sato.submit("審査委員に加える", {"reviewer": option_value(sato.html, "reviewer", "tanaka")})
    assert "審査委員に加えました" in sato.html

    # 小林 applies from the rounds page.
    kobayashi.click("マイページ").click("申請を受け付けている認定ラウンド")
    kobayashi.submit("下書きを作る", {"community": nagaoka})
    kobayashi.submit("下書きを保存", ANSWERS)
    kobayashi.submit("申請を提出する")
    application = Application.objects.get(round__fiscal_year=2026)
    assert application.state == "submitted"

    # 佐藤 assigns 田中 from the round's page; 田中 is told and reviews.
    sato.click("マイページ").click("審査委員の割当てを待つ申請").click("長岡")
    sato.submit("割り当てる", {"reviewer": option_value(sato.html, "reviewer", "tanaka")})
    assert Mail.objects.filter(to="tanaka@example.ac.jp", subject__contains="審査の依頼").exists()
    tanaka.click("マイページ").click("割り当てられた審査").click("長岡")
    scores = {f"{field}_score": "4" for field in ANSWERS}
    tanaka.submit("審査結果を提出する", scores)

    # 佐藤 decides, closes the round and publishes; anyone reads the results.
    sato.click("マイページ").click("審査がそろい、決定を待つ申請").click("長岡")
    sato.submit("決定を記録する", {"decision": "certified", "reasons": "4要件を満たす"})
    sato.click("地域バイオコミュニティの認定（令和8年度）")
    sato.submit("申請の受付を締め切る")
    sato.submit("決定した結果を公表する")
    assert CertificationRound.objects.get(fiscal_year=2026).status == "published"
    visitor = Browser().open("/").click("バイオコミュニティ").click("認定ラウンドと結果")
    visitor.click("地域バイオコミュニティの認定（令和8年度）").click("結果を見る")
    assert "長岡バイオコミュニティ" in visitor.html and "認定" in visitor.html

    assert not User.objects.filter(is_superuser=True).exists()
    for person in (sato, tanaka, kobayashi):
        assert not any(url.startswith("/admin/") for url in person.visited)
    assert Mail.objects.filter(to="kobayashi@example.jp", subject__contains="公表").exists()
