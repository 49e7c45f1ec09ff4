"""One grammar for the command line, noun first: `renkei <noun> <verb>`. The spellings that
came before (`renkei export X`, `renkei import X`, `renkei send-alerts`, `renkei rounds`)
still work as aliases and print exactly what the noun-first command prints."""

import io

import pytest
from django.core.management import call_command

from renkei.accounts.models import User


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (["export", "programs", "--format", "csv"], ["programs", "export", "--format", "csv"]),
        (["export", "communities", "--format", "json"], ["communities", "export", "--format", "json"]),
        (["export", "maturity", "--format", "csv"], ["maturity", "export", "--format", "csv"]),
        (["send_alerts", "--dry-run"], ["programs", "send-alerts", "--dry-run"]),
        (["rounds"], ["communities", "rounds"]),
    ],
)  # fmt: skip
def test_an_old_spelling_prints_what_the_noun_first_command_prints(old, new):
    assert run(*old) == run(*new)


def test_the_old_import_spellings_reach_the_programs_command(tmp_path):
    path = tmp_path / "programs.json"
    run("programs", "export", "--format", "json", "--output", str(path))
    assert run("import", "programs", str(path), "--dry-run") == run(
        "programs", "import", str(path), "--dry-run"
    )
    assert "新規 0 件、更新 12 件" in run("import", "programs", str(path), "--dry-run")[0]


def test_the_maturity_export_carries_the_licence_line():
    out, _err = run("maturity", "export", "--format", "csv")
    assert (
        out.splitlines()[0]
        == "\ufeff# licence: CC BY 4.0 (renkei / 出典: 内閣府 バイオコミュニティ関連資料 ほか)"
    )


def test_users_create_secretariat_is_create_secretariat(monkeypatch):
    monkeypatch.setenv("RENKEI_SECRETARIAT_PASSWORD", "a long and unusual passphrase 42")
    out, _err = run("users", "create-secretariat", "suzuki", "--email", "s@example.jp", "--noinput")
    assert "事務局アカウント「suzuki」を作成しました" in out
    assert User.objects.get(username="suzuki").is_secretariat
