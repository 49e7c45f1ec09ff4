"""Accounts people run themselves: signing up with a verified address, resetting and
changing the password (Django's views, in Japanese), changing the address. No answer tells
whether an account exists."""

import re

from django.test import Client
from django.urls import reverse

from renkei.accounts.models import AuditLog, User
from renkei.conftest import PASSWORD
from renkei.notifications.models import Mail

NEW = "a long and unusual passphrase 42"


def _comparable(html, typed):
    """A page without what differs between any two requests: the typed address, CSRF tokens."""
    html = html.decode().replace(typed, "")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def link_in(mail):
    return re.search(r"https?://\S+", mail.body).group(0).split("/", 3)[3].join(["/", ""])


class TestSigningUp:
    def test_a_visitor_signs_up_with_a_verified_address(self, client):
        response = client.post(reverse("accounts:sign_up"), {"email": "kimura@example.jp"})
        assert "確認メールを送りました" in response.content.decode()
        link = link_in(Mail.objects.get(to="kimura@example.jp"))
        response = client.post(
            link,
            {"username": "kimura", "display_name": "木村", "password1": NEW, "password2": NEW},
        )
        assert response.status_code == 302
        kimura = User.objects.get(username="kimura")
        assert kimura.email == "kimura@example.jp" and not kimura.roles.exists()
        assert AuditLog.objects.for_object(kimura).filter(action="account.sign_up").exists()
        assert client.get(link).status_code == 400  # used

    def test_a_taken_address_gets_the_same_page_and_a_different_mail(self, client, outsider):
        taken = client.post(reverse("accounts:sign_up"), {"email": outsider.email}).content
        fresh = client.post(reverse("accounts:sign_up"), {"email": "new@example.jp"}).content
        assert _comparable(taken, outsider.email) == _comparable(fresh, "new@example.jp")
        assert "既にあります" in Mail.objects.get(to=outsider.email).body

    def test_an_altered_or_old_link_is_refused(self, client):
        response = client.get(reverse("accounts:sign_up_finish", args=["made-up"]))
        assert response.status_code == 400
        assert "このリンクは使えません" in response.content.decode()


class TestPasswords:
    def test_the_reset_pages_speak_japanese(self, client):
        html = client.get(reverse("accounts:password_reset")).content.decode()
        assert "パスワードの再設定" in html and 'lang="ja"' in html

    def test_a_known_and_an_unknown_address_get_the_same_answer(self, client, outsider):
        known = client.post(reverse("accounts:password_reset"), {"email": outsider.email})
        unknown = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.jp"})
        assert known["Location"] == unknown["Location"] == reverse("accounts:password_reset_done")
        assert Mail.objects.filter(to=outsider.email).count() == 1
        assert not Mail.objects.filter(to="nobody@example.jp").exists()

    def test_a_person_resets_their_password_by_the_mailed_link(self, client, outsider):
        client.post(reverse("accounts:password_reset"), {"email": outsider.email})
        link = link_in(Mail.objects.get(to=outsider.email, subject__contains="再設定"))
        form = client.get(link, follow=True)
        assert "新しいパスワード" in form.content.decode()
        response = client.post(
            form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW}
        )
        assert response["Location"] == reverse("accounts:password_reset_complete")
        assert User.objects.get(pk=outsider.pk).check_password(NEW)
        assert AuditLog.objects.for_object(outsider).filter(action="account.reset_password")

    def test_changing_the_password_ends_the_other_sessions(self, outsider):
        mine, other = Client(), Client()
        for client in (mine, other):
            client.post(reverse("accounts:login"), {"username": "ito", "password": PASSWORD})
        response = mine.post(
            reverse("accounts:password_change"),
            {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
        )
        assert response["Location"] == reverse("accounts:password_change_done")
        assert mine.get(reverse("accounts:sessions")).status_code == 200
        assert other.get(reverse("accounts:settings")).status_code == 302
        assert "パスワードが変更されました" in Mail.objects.get(to=outsider.email).subject


class TestChangingTheAddress:
    def test_the_new_address_is_confirmed_before_it_is_used(self, login, outsider):
        client = login(outsider)
        client.post(
            reverse("accounts:change_email"), {"email": "ito.new@example.jp", "password": PASSWORD}
        )
        assert User.objects.get(pk=outsider.pk).email == "ito@example.jp"
        link = link_in(Mail.objects.get(to="ito.new@example.jp"))
        client.get(link)
        assert User.objects.get(pk=outsider.pk).email == "ito.new@example.jp"
        assert "ito.new@example.jp" in Mail.objects.get(to="ito@example.jp").body
        assert client.get(link).status_code == 400  # used

    def test_the_password_is_asked(self, login, outsider):
        response = login(outsider).post(
            reverse("accounts:change_email"), {"email": "x@example.jp", "password": "wrong"}
        )
        assert response.status_code == 400 and not Mail.objects.exists()

    def test_a_taken_address_gets_the_same_page_and_is_not_used(self, login, outsider, reviewer):
        client = login(outsider)
        html = client.post(
            reverse("accounts:change_email"), {"email": reviewer.email, "password": PASSWORD}
        ).content.decode()
        assert "確認メールを送りました" in html
        assert User.objects.get(pk=outsider.pk).email == "ito@example.jp"
        assert "別のアカウントで使われている" in Mail.objects.get(to=reviewer.email).body

    def test_a_link_for_another_account_is_refused(self, login, outsider, liaison):
        login(outsider).post(
            reverse("accounts:change_email"), {"email": "x@example.jp", "password": PASSWORD}
        )
        link = link_in(Mail.objects.get(to="x@example.jp"))
        response = Client()
        response.force_login(liaison)
        assert response.get(link).status_code == 400
        assert User.objects.get(pk=liaison.pk).email == "watanabe@example.jp"
