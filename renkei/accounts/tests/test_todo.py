"""What the start page (マイページ) shows about people and access."""

from datetime import timedelta

from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from renkei.accounts import actions, second_factor
from renkei.accounts.models import Invitation
from renkei.accounts.todo import waiting_for


def titles(user):
    return {item.title: item for item in waiting_for(user)}


def test_an_invitation_to_ones_address_waits_to_be_accepted(secretariat, outsider, nagaoka):
    actions.invite_person(
        actions.InvitationRequest(email=outsider.email, kind="coordinator", community=nagaoka.pk),
        by=secretariat,
    )
    assert titles(outsider)["あなた宛ての招待"].count == 1


def test_staff_without_a_second_factor_are_told_to_set_it_up(reviewer):
    item = titles(reviewer)["2段階認証を設定してください"]
    assert item.urgent


def test_running_out_of_recovery_codes_is_shown(reviewer):
    TOTPDevice.objects.create(user=reviewer, name="authenticator", confirmed=True)
    second_factor.new_recovery_codes(reviewer)
    assert "回復コードが残り少なくなっています" not in titles(reviewer)
    second_factor.new_recovery_codes(reviewer)
    from django_otp.plugins.otp_static.models import StaticToken

    StaticToken.objects.filter(pk__in=StaticToken.objects.values("pk")[:8]).delete()
    assert titles(reviewer)["回復コードが残り少なくなっています"].count == 2


def test_the_secretariat_sees_invitations_waiting_and_expired(secretariat, coordinator, nagaoka):
    request = actions.InvitationRequest
    actions.invite_person(request(email="a@example.jp", kind="reviewer"), by=secretariat)
    expired, _link = actions.invite_person(
        request(email="b@example.jp", kind="coordinator", community=nagaoka.pk), by=coordinator
    )
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(days=1))
    items = titles(secretariat)
    assert items["受諾待ちの招待"].count == 1
    assert items["期限切れで受諾されなかった招待"].count == 1
    assert titles(coordinator)["期限切れで受諾されなかった招待"].count == 1
    assert "あなたが送った受諾待ちの招待" not in titles(coordinator)


def test_an_outsider_has_nothing_waiting(outsider):
    assert waiting_for(outsider) == []
