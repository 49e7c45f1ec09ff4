"""Issue 13's journey, through the pages only: Mr Yamamoto (no account) asks on the public
form; Kobayashi (coordinator, Nagaoka) takes the need, marks and proposes a seed of
長岡技術科学大学; Watanabe (its liaison office) answers from his start page; Mr Yamamoto
agrees to be introduced on his private status page; Watanabe records the meeting; Kobayashi
records the agreement. Every party is told at each step; the researcher's contribution
record and the public funnel show the agreement; Kobayashi's judgement is exported and
evaluated by `renkei match eval --from-portal`."""

import html as htmllib
import re
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from renkei.accounts.tests.test_journey import Browser
from renkei.matching.models import Need, Proposal, Seed, State
from renkei.notifications.models import Mail

YAMAMOTO = "yamamoto@shimanami-gyokyo.example.jp"
NAKAMURA = "nakamura@nagaokaut.example.jp"


class Person(Browser):
    def submit_to(self, action, data=None):
        """Submit the form whose action contains ``action``."""
        for attrs, body in re.findall(r"<form([^>]*)>(.*?)</form>", self.html, re.S):
            if action in attrs:
                url = htmllib.unescape(re.search(r'action="([^"]*)"', attrs).group(1))
                fields = dict(
                    re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', body)
                )
                fields.pop("csrfmiddlewaretoken", None)
                response = self.client.post(url, {**fields, **(data or {})})
                assert response.status_code == 302, (url, response.status_code)
                return self.open(response["Location"])
        raise AssertionError(f"no form posting to {action!r} on {self.url}")


def mails(to, subject=""):
    return list(Mail.objects.filter(to=to, subject__contains=subject).order_by("pk"))


def path_in(mail, prefix):
    return re.search(rf"https?://[^/\s]+({re.escape(prefix)}\S+)", mail.body).group(1)


def test_a_need_from_the_public_form_travels_to_a_recorded_agreement(
    coordinator, liaison, nagaokaut, nagaoka, secretariat
):
    from renkei.accounts.models import User

    nakamura = User.objects.create_user(
        username="nakamura", email=NAKAMURA, password="x", display_name="中村 海"
    )
    seed = Seed.objects.create(
        organization=nagaokaut,
        code="NUT-DO-1",
        title="二枚貝養殖海域の溶存酸素・水温リアルタイム計測システム",
        summary="海中センサーで溶存酸素と水温を測り、異常をスマートフォンに知らせる。牡蠣の大量死を防ぐ。",
        stage="demonstration",
        prefecture_id="15",
        researcher_name="中村 海",
        researchmap_id="nakamura-umi",
        researcher_email=NAKAMURA,
    )
    Seed.objects.create(
        organization=nagaokaut,
        title="コンクリートのひび割れ検知",
        summary="橋梁の劣化を画像で検出する",
        stage="applied",
        prefecture_id="15",
    )

    # Mr Yamamoto asks on the public form and confirms his address.
    yamamoto = Person().open("/").click("マッチング").click("相談を書く")
    yamamoto.submit(
        "送信する",
        {
            "title": "牡蠣の養殖で海の状態を自動で見張りたい",
            "description": "夏場に急に牡蠣が死ぬことがあります。海の中の酸素や水温を自動で見張って、"
            "異常があったら知らせてくれる仕組みがほしいです。",
            "prefecture": "34",
            "outside_partners_welcome": "on",
            "timeline": "within_1_year",
            "budget": "1m_5m",
            "submitter_kind": "fishery_cooperative",
            "submitter_organization": "しまなみ漁業協同組合",
            "submitter_name": "山本 一郎",
            "email": YAMAMOTO,
            "phone": "082-123-4567",
            "consent": "on",
        },
    )
    assert Need.objects.exists()  # no kind of cooperation ticked: the SME may not know
    (confirm,) = mails(YAMAMOTO, "受付確認")
    yamamoto.open(path_in(confirm, "/matching/needs/confirm/")).submit("受付を確定する")
    need = Need.objects.get()
    (received,) = mails(YAMAMOTO, "受け付けました")
    status = path_in(received, "/matching/needs/status/")
    assert "あなた専用" in yamamoto.open(status).html

    # Kobayashi takes it from his start page, marks the seed useful and proposes it.
    kobayashi = Person()
    kobayashi.client.force_login(coordinator)
    kobayashi.open("/mypage/").click("担当の決まっていないご相談").click(need.title)
    kobayashi.submit("担当になる")
    assert mails(YAMAMOTO, "担当コーディネーターが決まりました")
    assert seed.title in kobayashi.html
    kobayashi.submit_to(f"/judge/{seed.pk}/", {"useful": "1"})
    kobayashi.submit_to(f"/propose/{seed.pk}/", {"ask": "on", "note": "中村先生の実証機"})
    proposal = Proposal.objects.get()
    assert proposal.state == State.ASKED
    assert mails(YAMAMOTO, "打診しました")
    (asked,) = mails("watanabe@example.jp", "ご回答のお願い")
    assert YAMAMOTO not in asked.body

    # Watanabe answers from his start page: interested.
    watanabe = Person()
    watanabe.client.force_login(liaison)
    watanabe.open("/mypage/").click("ご回答をお願いしている提案")
    assert "山本 一郎" not in watanabe.html  # not before consent
    watanabe.submit("回答する", {"answer": "interested", "note": "ぜひ伺いたい"})
    assert mails("kobayashi@example.jp", "関心を示しました")

    # Kobayashi asks Mr Yamamoto's consent; he gives it on his private page.
    kobayashi.open(need.get_absolute_url()).submit_to("/consent/")
    (consent,) = mails(YAMAMOTO, "紹介してよいか")
    assert path_in(consent, "/matching/needs/status/") == status
    yamamoto.open(status).submit("同意して紹介を受ける", {"consent": "yes"})
    proposal.refresh_from_db()
    assert proposal.state == State.INTRODUCED
    (introduced,) = mails("watanabe@example.jp", "相談者をご紹介します")
    assert "山本 一郎" in introduced.body and YAMAMOTO in introduced.body
    assert mails(NAKAMURA, "あなたのシーズ")
    assert mails(YAMAMOTO, "ご紹介しました")

    # Watanabe records the meeting; Kobayashi records the agreement.
    today = timezone.localdate().isoformat()
    watanabe.open(proposal.get_absolute_url())
    assert "山本 一郎" in watanabe.html
    watanabe.submit("面談を記録する", {"on": today, "note": "現地で実証機を説明"})
    assert mails("kobayashi@example.jp", "面談が記録されました")
    kobayashi.open(need.get_absolute_url()).submit_to(
        "/outcome/",
        {
            f"p{proposal.pk}-outcome-outcome": "joint_research",
            f"p{proposal.pk}-outcome-on": today,
            f"p{proposal.pk}-outcome-note": "共同研究契約を締結",
        },
    )
    proposal.refresh_from_db()
    assert proposal.state == State.AGREED
    outcome = mails(YAMAMOTO, "結果のお知らせ")[0]
    assert "共同研究契約" in outcome.body and "次の段階に使える支援施策" in outcome.body
    assert mails("watanabe@example.jp", "結果が記録されました")
    assert mails(NAKAMURA, "合意が記録されました")
    page = kobayashi.open(need.get_absolute_url()).html
    for step in ("シーズの提案", "機関への打診", "相談者の同意", "面談", "結果"):
        assert step in page
    assert "中村先生の実証機" in page and "次の一手" in page
    assert "共同研究契約" in yamamoto.open(status).html

    # The liaison office registers its researcher; the record shows the agreement with its
    # evidence; the researcher sees it, exports it and makes it public.
    watanabe.open("/matching/").click("研究者の社会貢献の記録").click("登録する")
    watanabe.submit(
        "登録する",
        {
            "organization": str(nagaokaut.pk),
            "name": "中村 海",
            "researchmap_id": "nakamura-umi",
            "email": NAKAMURA,
        },
    )
    assert "共同研究契約" in watanabe.html and "シーズの紹介" in watanabe.html
    assert "相談者との面談" in watanabe.html
    researcher = Person()
    researcher.client.force_login(nakamura)
    researcher.open("/contributions/").click("中村 海（長岡技術科学大学）")
    csv = researcher.client.get(researcher.url.rstrip("/") + "/record.csv").content.decode()
    assert "合意" in csv and "共同研究契約" in csv
    researcher.submit("公開に同意する", {"public": "yes"})
    public = Person().open(researcher.url).html
    assert "共同研究契約" in public and need.title not in public and "山本" not in public

    # The public funnel shows it.
    funnel = Person().open("/matching/").click("ご相談から合意までの件数").html
    assert re.search(r"合意</th><td>1</td>", funnel)
    data = Person().client.get("/api/matching/funnel").json()
    assert data["total"]["agreements_by_type"]["joint_research"] == 1

    # Kobayashi's judgement is exported and evaluated.
    out = StringIO()
    call_command("match", "eval", "--from-portal", stdout=out)
    assert "== portal: 1 judgements ==" in out.getvalue()
