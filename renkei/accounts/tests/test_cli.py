"""``renkei users``: invite from the command line (one person or a file), list people as
JSON, and create the first secretariat account (also as ``renkei create-secretariat``)."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from renkei.accounts.models import Invitation, User
from renkei.accounts.models.invitations import token_hash


def users(*args):
    out = io.StringIO()
    call_command("users", *args, stdout=out)
    return out.getvalue().strip().splitlines()


def test_invite_prints_the_link_on_its_last_line(secretariat):
    lines = users(
        "invite",
        "kato@example.jp",
        "--role",
        "coordinator",
        "--community",
        "nagaoka",
        "--by",
        "sato",
    )
    link = lines[-1]
    assert link.startswith("http") and "/accounts/invitations/accept/" in link
    invitation = Invitation.objects.get(email="kato@example.jp")
    assert invitation.token_hash == token_hash(link.rstrip("/").rsplit("/", 1)[1])
    assert invitation.community.slug == "nagaoka"


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("F115110105055", "長岡技術科学大学"),
        ("150002", "新潟県"),
        ("151009", "新潟市"),
    ],
)
def test_organisations_are_named_by_their_public_codes(secretariat, code, name):
    users(
        "invite",
        "x@example.jp",
        "--role",
        "organization_member",
        "--organization",
        code,
        "--by",
        "sato",
    )
    assert Invitation.objects.get().organization.name == name


def test_an_unknown_community_or_organisation_is_named_and_nothing_is_created(secretariat):
    with pytest.raises(CommandError, match="「atlantis」が見つかりません"):
        users(
            "invite",
            "x@example.jp",
            "--role",
            "coordinator",
            "--community",
            "atlantis",
            "--by",
            "sato",
        )
    with pytest.raises(CommandError, match="機関コード「999999」"):
        users(
            "invite",
            "x@example.jp",
            "--role",
            "organization_member",
            "--organization",
            "999999",
            "--by",
            "sato",
        )
    assert not Invitation.objects.exists()


def test_an_inviter_who_does_not_hold_the_role_is_refused(coordinator):
    with pytest.raises(CommandError, match="あなたが付与できる役割ではありません"):
        users("invite", "x@example.jp", "--role", "reviewer", "--by", "kobayashi")


def test_a_file_invites_everyone_or_nobody(secretariat, tmp_path):
    good = tmp_path / "offices.csv"
    good.write_text(
        "email,role,organization\nbio@pref.niigata.lg.jp,organization_member,150002\n"
        "sangyo@pref.yamagata.jp,organization_member,060003\n",
        encoding="utf-8",
    )
    lines = users("invite", "--file", str(good), "--by", "sato")
    assert lines[-1] == "2 人に招待を送りました。" and Invitation.objects.count() == 2
    bad = tmp_path / "bad.csv"
    bad.write_text("email,role\nnope,reviewer\nok@example.jp,reviewer\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"bad\.csv:2行:email列"):
        users("invite", "--file", str(bad), "--by", "sato")
    assert Invitation.objects.count() == 2


def test_list_prints_one_json_object_per_person(secretariat, coordinator, outsider):
    outsider.is_active = False
    outsider.save()
    people = {row["username"]: row for row in map(json.loads, users("list", "--format", "json"))}
    assert people["kobayashi"]["roles"] == [
        {"kind": "coordinator", "community": "nagaoka", "organization": None}
    ]
    assert people["sato"]["email"] == "sato@example.jp" and people["sato"]["active"] is True
    assert people["ito"]["state"] == "deactivated" and people["ito"]["active"] is False


@pytest.mark.parametrize("command", [("users", "create-secretariat"), ("create_secretariat",)])
def test_the_first_secretariat_account_reads_its_password_from_the_environment(
    monkeypatch, command
):
    monkeypatch.setenv("RENKEI_SECRETARIAT_PASSWORD", "a long and unusual passphrase 42")
    call_command(
        *command, "suzuki", "--email", "suzuki@example.jp", "--noinput", stdout=io.StringIO()
    )
    suzuki = User.objects.get(username="suzuki")
    assert suzuki.is_secretariat and suzuki.is_staff
    assert suzuki.check_password("a long and unusual passphrase 42")


def test_the_hyphenated_names_reach_the_commands():
    from renkei.cli import main

    with pytest.raises(SystemExit):
        main(["renkei", "users", "create-secretariat", "--help"])
