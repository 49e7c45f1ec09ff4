"""Invitations: who may invite whom, the link's life (single use, 7 days, resend, revoke),
accepting as a new or a signed-in person, bulk files, and the bad input of each."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from renkei.accounts import actions
from renkei.accounts.models import AuditLog, Invitation, Role, User
from renkei.accounts.models.invitations import token_hash
from renkei.communities.models import CertificationRound, Community
from renkei.lib.imports import DataImportError
from renkei.notifications.models import Mail
from renkei.regions.models import Organization

Request = actions.InvitationRequest
NEW_PASSWORD = "a long and unusual passphrase 42"


def invite(by, email="kato@example.jp", kind="reviewer", **bound):
    return actions.invite_person(Request(email=email, kind=kind, **bound), by=by)


def token_of(link):
    return link.rstrip("/").rsplit("/", 1)[1]


@pytest.fixture
def tokai():
    return Community.objects.get(slug="tokai")


@pytest.fixture
def niigata_u():
    return Organization.objects.get(name="新潟大学")


class TestWhoMayInvite:
    @pytest.mark.parametrize("kind", ["secretariat", "reviewer"])
    def test_the_secretariat_invites_any_role(self, secretariat, kind):
        invitation, _link = invite(secretariat, kind=kind)
        assert invitation.kind == kind and invitation.state == "pending"

    def test_the_secretariat_invites_a_coordinator_of_any_community(self, secretariat, tokai):
        invitation, _link = invite(secretariat, kind="coordinator", community=tokai.pk)
        assert invitation.community == tokai

    def test_a_coordinator_invites_coordinators_of_their_own_community(self, coordinator, nagaoka):
        invitation, _link = invite(coordinator, kind="coordinator", community=nagaoka.pk)
        assert invitation.invited_by == coordinator

    def test_a_coordinator_may_not_invite_for_another_community(self, coordinator, tokai):
        with pytest.raises(ValidationError, match="あなたが付与できる役割ではありません"):
            invite(coordinator, kind="coordinator", community=tokai.pk)
        assert not Invitation.objects.exists()

    @pytest.mark.parametrize("kind", ["secretariat", "reviewer"])
    def test_a_coordinator_may_not_grant_a_role_they_do_not_hold(self, coordinator, kind):
        with pytest.raises(ValidationError, match="あなたが付与できる役割ではありません"):
            invite(coordinator, kind=kind)

    def test_a_liaison_officer_invites_colleagues_of_their_organisation(self, liaison, nagaokaut):
        invitation, _link = invite(liaison, kind="organization_member", organization=nagaokaut.pk)
        assert invitation.organization == nagaokaut

    def test_a_liaison_officer_may_not_invite_for_another_organisation(self, liaison, niigata_u):
        with pytest.raises(ValidationError, match="あなたが付与できる役割ではありません"):
            invite(liaison, kind="organization_member", organization=niigata_u.pk)

    def test_a_liaison_officer_may_not_invite_a_coordinator(self, liaison, nagaoka):
        with pytest.raises(ValidationError, match="あなたが付与できる役割ではありません"):
            invite(liaison, kind="coordinator", community=nagaoka.pk)

    @pytest.mark.parametrize("persona", ["reviewer", "outsider"])
    def test_reviewers_and_outsiders_invite_nobody(self, request, persona, nagaoka):
        with pytest.raises(ValidationError, match="あなたが付与できる役割ではありません"):
            invite(request.getfixturevalue(persona), kind="coordinator", community=nagaoka.pk)

    @pytest.mark.parametrize("persona", ["reviewer", "outsider"])
    def test_the_invitation_pages_are_closed_to_those_who_invite_nobody(
        self, login, request, persona
    ):
        client = login(request.getfixturevalue(persona))
        assert client.get(reverse("accounts:invite")).status_code == 403
        assert client.get(reverse("accounts:invitations")).status_code == 403

    def test_a_coordinator_is_offered_only_their_community_and_role(self, login, coordinator):
        html = login(coordinator).get(reverse("accounts:invite")).content.decode()
        assert "長岡" in html and "東海" not in html
        assert 'value="secretariat"' not in html and 'value="reviewer"' not in html


class TestBadInvitations:
    def test_a_coordinator_invitation_needs_a_community(self, secretariat):
        with pytest.raises(ValidationError, match="バイオコミュニティを指定してください"):
            invite(secretariat, kind="coordinator")

    def test_an_invitation_to_an_unknown_community_is_refused(self, secretariat):
        with pytest.raises(ValidationError, match="見つかりません"):
            invite(secretariat, kind="coordinator", community=999_999)
        assert not Invitation.objects.exists()

    def test_an_invitation_to_an_unknown_organisation_is_refused(self, secretariat):
        with pytest.raises(ValidationError, match="見つかりません"):
            invite(secretariat, kind="organization_member", organization=999_999)

    def test_a_malformed_address_is_refused(self, secretariat):
        with pytest.raises(ValidationError, match="形式が正しくありません"):
            invite(secretariat, email="kato@")

    def test_a_second_pending_invitation_to_the_same_role_is_refused(self, secretariat):
        invite(secretariat, email="kato@example.jp")
        with pytest.raises(ValidationError, match="同じ役割の招待を送ってあり"):
            invite(secretariat, email="KATO@example.jp")
        assert Invitation.objects.count() == 1

    def test_someone_who_already_holds_the_role_is_not_invited_to_it(self, secretariat, reviewer):
        with pytest.raises(ValidationError, match="既にこの役割を持っています"):
            invite(secretariat, email=reviewer.email)

    def test_the_portal_form_shows_the_message_and_creates_nothing(self, login, coordinator, tokai):
        response = login(coordinator).post(
            reverse("accounts:invite"),
            {"email": "kato@example.jp", "kind": "coordinator", "community": tokai.pk},
        )
        assert response.status_code == 400
        assert not Invitation.objects.exists()


class TestTheLink:
    def test_the_link_is_mailed_and_only_its_hash_is_kept(self, secretariat):
        invitation, link = invite(secretariat)
        token = token_of(link)
        assert invitation.token_hash == token_hash(token) and token not in invitation.token_hash
        mail = Mail.objects.get(to="kato@example.jp")
        assert link in mail.body and "審査委員" in mail.subject
        assert AuditLog.objects.for_object(invitation).get(action="people.invite").actor == (
            secretariat
        )

    def test_it_expires_after_seven_days(self, secretariat):
        invitation, _link = invite(secretariat)
        assert invitation.expires_at - invitation.created_at == timedelta(days=7)

    def test_a_new_person_accepts_with_a_username_and_a_password(self, client, secretariat):
        _invitation, link = invite(secretariat)
        response = client.post(
            link,
            {
                "username": "kato",
                "display_name": "加藤（審査委員）",
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
            },
        )
        assert response.status_code == 302
        kato = User.objects.get(username="kato")
        assert kato.email == "kato@example.jp" and kato.check_password(NEW_PASSWORD)
        assert kato.has_role("reviewer")
        assert Invitation.objects.get().state == "accepted"
        # signed in, and sent on to set up the second factor a reviewer needs
        follow = client.get(reverse("portal:home"))
        assert follow["Location"].startswith(reverse("accounts:second_factor_setup"))

    def test_a_signed_in_person_adds_the_role_to_their_account(
        self, login, secretariat, outsider, nagaoka
    ):
        _invitation, link = invite(secretariat, kind="coordinator", community=nagaoka.pk)
        client = login(outsider)
        assert "ログイン中のアカウント" in client.get(link).content.decode()
        client.post(link)
        outsider.refresh_from_db()
        assert Role.objects.filter(user=outsider, kind="coordinator", community=nagaoka).exists()

    def test_an_invited_secretariat_gets_the_admin_too(self, login, secretariat, outsider):
        _invitation, link = invite(secretariat, email="ito2@example.jp", kind="secretariat")
        login(outsider).post(link)
        ito = User.objects.get(pk=outsider.pk)
        assert ito.is_staff and ito.is_secretariat

    def test_a_reviewer_invited_for_a_round_joins_it(self, client, secretariat):
        round_ = CertificationRound.objects.create(kind="regional", fiscal_year=2026, title="R8")
        _invitation, link = invite(secretariat, round=round_.pk)
        actions.accept_invitation(
            token_of(link), account={"username": "kato", "password": NEW_PASSWORD}
        )
        assert round_.reviewers.filter(username="kato").exists()

    def test_a_used_link_says_it_was_accepted(self, client, secretariat, outsider):
        _invitation, link = invite(secretariat)
        actions.accept_invitation(token_of(link), user=outsider)
        response = client.get(link)
        assert response.status_code == 410
        assert "既に受諾されています" in response.content.decode()

    def test_an_expired_link_says_so_and_whom_to_ask(self, client, secretariat):
        invitation, link = invite(secretariat)
        Invitation.objects.filter(pk=invitation.pk).update(
            expires_at=timezone.now() - timedelta(minutes=1)
        )
        html = client.get(link).content.decode()
        assert "有効期限" in html and "再送を依頼してください" in html and "佐藤（事務局）" in html
        with pytest.raises(actions.InvalidInvitation):
            actions.accept_invitation(
                token_of(link), account={"username": "kato", "password": NEW_PASSWORD}
            )
        assert not User.objects.filter(username="kato").exists()

    def test_a_revoked_link_says_it_was_revoked(self, client, secretariat):
        invitation, link = invite(secretariat)
        actions.revoke_invitation(invitation, by=secretariat)
        assert "取り消されました" in client.get(link).content.decode()

    def test_an_unknown_link_says_it_cannot_be_used(self, client):
        response = client.get(reverse("accounts:accept_invitation", args=["made-up"]))
        assert response.status_code == 410
        assert "この招待のリンクは使えません" in response.content.decode()

    def test_a_resent_invitation_has_a_new_link_and_the_old_one_stops_working(self, secretariat):
        invitation, old = invite(secretariat)
        new = actions.resend_invitation(invitation, by=secretariat)
        assert new != old
        with pytest.raises(actions.InvalidInvitation):
            actions.invitation_for(token_of(old))
        assert actions.invitation_for(token_of(new)).pk == invitation.pk

    def test_a_taken_username_or_a_weak_password_creates_nothing(self, client, secretariat):
        _invitation, link = invite(secretariat)
        response = client.post(
            link,
            {"username": "sato", "password1": "short", "password2": "short"},
        )
        assert response.status_code == 400
        html = response.content.decode()
        assert "このユーザー名は使われています" in html
        assert Invitation.objects.get().state == "pending"
        assert not User.objects.filter(email="kato@example.jp").exists()

    def test_an_address_that_has_an_account_is_asked_to_sign_in_first(
        self, client, secretariat, outsider
    ):
        _invitation, link = invite(secretariat, email=outsider.email)
        response = client.post(
            link,
            {"username": "ito2", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )
        assert "ログインしてから" in response.content.decode()
        assert not User.objects.filter(username="ito2").exists()

    def test_a_signed_in_person_accepts_invitations_to_their_address_from_the_start_page(
        self, login, secretariat, outsider, nagaoka
    ):
        invitation, _link = invite(
            secretariat, email=outsider.email, kind="coordinator", community=nagaoka.pk
        )
        client = login(outsider)
        assert "長岡" in client.get(reverse("accounts:my_invitations")).content.decode()
        client.post(reverse("accounts:accept_own_invitation", args=[invitation.pk]))
        assert outsider.roles.filter(kind="coordinator", community=nagaoka).exists()

    def test_nobody_accepts_an_invitation_to_someone_elses_address(
        self, login, secretariat, outsider
    ):
        invitation, _link = invite(secretariat)
        login(outsider).post(reverse("accounts:accept_own_invitation", args=[invitation.pk]))
        assert Invitation.objects.get().state == "pending"


class TestTheList:
    def test_the_secretariat_sees_every_invitation_with_its_state(
        self, login, secretariat, coordinator, nagaoka
    ):
        invite(coordinator, email="a@example.jp", kind="coordinator", community=nagaoka.pk)
        expired, _link = invite(secretariat, email="b@example.jp")
        Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
        html = login(secretariat).get(reverse("accounts:invitations")).content.decode()
        assert "a@example.jp" in html and "受諾待ち" in html
        assert "b@example.jp" in html and "期限切れ" in html

    def test_a_coordinator_sees_only_the_invitations_they_sent(
        self, login, secretariat, coordinator, nagaoka
    ):
        invite(coordinator, email="a@example.jp", kind="coordinator", community=nagaoka.pk)
        invite(secretariat, email="b@example.jp")
        html = login(coordinator).get(reverse("accounts:invitations")).content.decode()
        assert "a@example.jp" in html and "b@example.jp" not in html

    def test_resend_and_revoke_from_the_list_are_audited_with_the_address(self, login, secretariat):
        invitation, _link = invite(secretariat)
        client = login(secretariat)
        client.post(reverse("accounts:resend_invitation", args=[invitation.pk]))
        client.post(reverse("accounts:revoke_invitation", args=[invitation.pk]))
        invitation.refresh_from_db()
        assert invitation.state == "revoked"
        rows = AuditLog.objects.for_object(invitation)
        assert rows.get(action="people.resend_invitation").address == "127.0.0.1"
        assert rows.get(action="people.revoke_invitation").address == "127.0.0.1"

    def test_nobody_resends_or_revokes_anothers_invitation_unless_secretariat(
        self, login, secretariat, coordinator
    ):
        invitation, _link = invite(secretariat)
        client = login(coordinator)
        assert (
            client.post(reverse("accounts:revoke_invitation", args=[invitation.pk])).status_code
            == 403
        )
        invitation.refresh_from_db()
        assert invitation.state == "pending"

    def test_an_accepted_invitation_cannot_be_revoked(self, secretariat, outsider):
        invitation, link = invite(secretariat)
        actions.accept_invitation(token_of(link), user=outsider)
        with pytest.raises(ValidationError, match="取り消せません"):
            actions.revoke_invitation(invitation, by=secretariat)


OFFICES = (
    "email,role,organization,name\n"
    "bio@pref.niigata.lg.jp,organization_member,150002,新潟県 産業振興課\n"
    "sangaku@city.niigata.lg.jp,所属機関の担当者,151009,新潟市 産業政策課\n"
    "liaison@nagaokaut.ac.jp,organization_member,F115110105055,\n"
)


class TestBulkFiles:
    def test_the_prefecture_and_city_offices_are_invited_from_a_csv(self, secretariat):
        created = actions.invite_from_file(OFFICES.encode(), "offices.csv", by=secretariat)
        assert [invitation.email for invitation, _link in created] == [
            "bio@pref.niigata.lg.jp",
            "sangaku@city.niigata.lg.jp",
            "liaison@nagaokaut.ac.jp",
        ]
        niigata = Organization.objects.get(lg_code="150002")
        assert niigata.name == "新潟県" and niigata.kind == "local_government"
        assert created[1][0].organization.lg_code == "151009"
        assert AuditLog.objects.filter(action="people.invite_file").count() == 1

    def test_an_xlsx_file_is_read_too(self, secretariat, tmp_path):
        from renkei.lib.spreadsheets import write_xlsx

        path = tmp_path / "offices.xlsx"
        write_xlsx(
            path,
            ["email", "role", "organization"],
            [
                {
                    "email": "bio@pref.niigata.lg.jp",
                    "role": "organization_member",
                    "organization": "150002",
                }
            ],
        )
        created = actions.invite_from_file(path.read_bytes(), "offices.xlsx", by=secretariat)
        assert len(created) == 1

    def test_a_file_with_bad_rows_reports_each_by_row_and_creates_nothing(self, secretariat):
        bad = (
            "email,role,organization,community\n"
            "bio@pref.niigata.lg.jp,organization_member,150002,\n"
            "not-an-address,organization_member,151009,\n"
            "x@example.jp,coordinator,,no-such-community\n"
            "y@example.jp,organization_member,999999,\n"
            "bio@pref.niigata.lg.jp,organization_member,150002,\n"
            "z@example.jp,chair,,\n"
        )
        with pytest.raises(DataImportError) as caught:
            actions.invite_from_file(bad.encode(), "offices.csv", by=secretariat)
        messages = [str(error) for error in caught.value.errors]
        assert any(m.startswith("offices.csv:3行:email列") for m in messages)
        assert any(m.startswith("offices.csv:4行:community列") for m in messages)
        assert any(m.startswith("offices.csv:5行:organization列") for m in messages)
        assert any("2 行目にもあります" in m for m in messages)
        assert any(m.startswith("offices.csv:7行:role列") for m in messages)
        assert not Invitation.objects.exists()
        assert not Organization.objects.filter(lg_code="150002").exists()
        assert not Mail.objects.exists()

    def test_a_file_without_the_email_column_is_refused(self, secretariat):
        with pytest.raises(DataImportError, match="必須の列「email」"):
            actions.invite_from_file(b"mail,role\nx@example.jp,reviewer\n", "x.csv", by=secretariat)

    def test_the_upload_page_lists_the_errors_and_invites_nobody(self, login, secretariat):
        from django.core.files.uploadedfile import SimpleUploadedFile

        upload = SimpleUploadedFile("offices.csv", b"email,role\nnope,reviewer\n")
        response = login(secretariat).post(reverse("accounts:invite_file"), {"file": upload})
        assert response.status_code == 400
        assert "だれも招待していません" in response.content.decode()

    def test_only_the_secretariat_uploads_files(self, login, coordinator):
        assert login(coordinator).get(reverse("accounts:invite_file")).status_code == 403


def test_the_invitation_mail_carries_the_inviter_role_and_expiry(secretariat, nagaoka):
    _invitation, link = invite(secretariat, kind="coordinator", community=nagaoka.pk)
    body = Mail.objects.get(to="kato@example.jp").body
    assert "佐藤（事務局）" in body and "長岡" in body
    assert re.search(r"令和\d+年\d+月\d+日", body) and link in body
    assert body.startswith("ご担当者 様")  # no name given


def test_an_invitee_whose_name_was_given_is_greeted_by_it(secretariat, nagaoka):
    invite(secretariat, kind="coordinator", community=nagaoka.pk, name="加藤 花子")
    assert Mail.objects.get(to="kato@example.jp").body.startswith("加藤 花子 様\n")
