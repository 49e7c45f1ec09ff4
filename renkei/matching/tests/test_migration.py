"""Today's match records become proposals and their steps, nothing lost (migration 0004):
a database at matching 0002 with one record of each status is migrated forward, then back."""

import os
import subprocess
import sys
import textwrap

import pytest

BEFORE = textwrap.dedent(
    """
    import datetime
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django.utils import timezone

    apps = MigrationExecutor(connection).loader.project_state(
        ("matching", "0002_report_agreements_to_maturity")
    ).apps
    Prefecture = apps.get_model("regions", "Prefecture")
    Organization = apps.get_model("regions", "Organization")
    User = apps.get_model("accounts", "User")
    Need = apps.get_model("matching", "Need")
    Seed = apps.get_model("matching", "Seed")
    MatchRecord = apps.get_model("matching", "MatchRecord")
    prefecture = Prefecture.objects.create(code="34", name="広島県", name_en="Hiroshima")
    university = Organization.objects.create(name="広島大学", kind="university", search_name="広島大学")
    kobayashi = User.objects.create(username="kobayashi", display_name="小林")
    need = Need.objects.create(
        title="牡蠣", description="牡蠣が死ぬ", submitter_name="山本", submitter_kind="sme",
        email="y@example.jp", prefecture=prefecture, consent_at=timezone.now(),
        confirmed_at=timezone.now(), status="in_progress",
    )
    for n, (status, agreement) in enumerate(
        [("proposed", ""), ("contacted", ""), ("agreed", "consultation"), ("declined", "")]
    ):
        seed = Seed.objects.create(
            organization=university, title=f"シーズ{n}", summary="概要", stage="applied",
            prefecture=prefecture,
        )
        MatchRecord.objects.create(
            need=need, seed=seed, status=status, agreement=agreement,
            agreed_on=datetime.date(2026, 5, 1) if agreement else None,
            note=f"メモ{n}", created_by=kobayashi,
        )
    """
)
AFTER = textwrap.dedent(
    """
    from renkei.matching.models import Proposal

    for p in Proposal.objects.order_by("seed__title"):
        steps = [
            (s.kind, s.outcome, s.reason, s.note, s.by_label, s.legacy, str(s.on))
            for s in p.steps.order_by("pk")
        ]
        print(p.seed.title, p.state, steps)
    """
)


def _run(env, *args, stdin=None):
    result = subprocess.run(
        [sys.executable, "-m", "renkei", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


@pytest.mark.slow
def test_match_records_become_proposals_with_their_history_and_back(tmp_path):
    env = {
        **os.environ,
        "RENKEI_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    _run(env, "migrate", "-v0")
    _run(env, "migrate", "matching", "0002", "-v0")
    _run(env, "shell", stdin=BEFORE)
    _run(env, "migrate", "-v0")
    output = _run(env, "shell", stdin=AFTER).splitlines()
    lines = [line for line in output if line.startswith("シーズ")]
    assert len(lines) == 4
    assert "シーズ0 proposed [('proposed', '', '', 'メモ0', '小林', True" in lines[0]
    assert "シーズ1 meeting" in lines[1] and "('meeting', '', '', 'メモ1', '小林', True" in lines[1]
    assert "シーズ2 agreed" in lines[2]
    assert "('outcome', 'technical_advice', '', 'メモ2', '小林', True, '2026-05-01')" in lines[2]
    assert "シーズ3 withdrawn" in lines[3] and "'other'" in lines[3] and "メモ3" in lines[3]
    _run(env, "migrate", "matching", "0002", "-v0")  # and back: the records are rebuilt
