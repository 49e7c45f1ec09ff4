"""Kobayashi marks ranked seeds useful or not; with the pipeline's evidence these become
graded judgements, exported in the `renkei match eval` format and evaluated by
`renkei match eval --from-portal`."""

from io import StringIO

import pytest
from django.core.management import call_command

from renkei.matching import actions, files, indexes, judgements
from renkei.matching.models import Seed
from renkei.matching.tests.conftest import walk_to_introduction


@pytest.fixture
def judged(taken_need, portal_seeds, nut_seed, coordinator, liaison, nagaokaut):
    """Seeds of one need: agreed (2), marked useful (1), marked not useful, declined for the
    technology after a useful mark, declined for timing after a useful mark (1)."""
    agreed = walk_to_introduction(taken_need, nut_seed, coordinator, liaison)
    actions.record_outcome(agreed, by=coordinator, outcome="joint_research")
    s001, s002, s003, s004 = (portal_seeds[k] for k in ("s001", "s002", "s003", "s004"))
    actions.judge_seed(taken_need, s001, useful=True, by=coordinator, rank=1)
    actions.judge_seed(taken_need, s002, useful=True, by=coordinator, rank=2)
    actions.judge_seed(taken_need, s002, useful=False, by=coordinator, rank=2)  # changed mind
    for seed, reason in ((s003, "technology"), (s004, "timing")):
        Seed.objects.filter(pk=seed.pk).update(organization=nagaokaut)
        seed.refresh_from_db()
        actions.judge_seed(taken_need, seed, useful=True, by=coordinator)
        proposal = actions.propose_seed(taken_need, seed, by=coordinator)
        actions.answer_proposal(proposal, interested=False, by=liaison, reason=reason)
    return taken_need


def test_marks_and_evidence_become_graded_judgements(judged, portal_seeds, nut_seed):
    grades = judgements.grades()[judged.pk]
    assert grades[nut_seed.pk] == 2
    assert grades[portal_seeds["s001"].pk] == 1
    assert grades[portal_seeds["s002"].pk] == 0  # the newest mark counts
    assert grades[portal_seeds["s003"].pk] == 0  # 技術が合わない
    assert grades[portal_seeds["s004"].pk] == 1  # timing says nothing against relevance
    assert judgements.gold()[str(judged.pk)] == {
        str(nut_seed.pk): 2,
        str(portal_seeds["s001"].pk): 1,
        str(portal_seeds["s004"].pk): 1,
    }


def test_they_export_in_the_eval_format_and_read_back(judged, tmp_path):
    out = StringIO()
    call_command("seeds", "export-judgements", "--output", str(tmp_path), stdout=out)
    assert "判定 3 件を書き出しました" in out.getvalue()
    needs = files.read_needs(tmp_path / "needs.jsonl")
    seeds = files.read_seeds(tmp_path / "seeds.jsonl")
    gold = files.read_gold(tmp_path / "gold.jsonl", {n.id for n in needs}, {s.id for s in seeds})
    assert gold == judgements.gold()


@pytest.mark.slow  # runs the embedding model or every route as every persona
def test_match_eval_from_portal_reports_ndcg_on_them(judged):
    out = StringIO()
    call_command("match", "eval", "--from-portal", stdout=out)
    text = out.getvalue()
    assert "== portal: 3 judgements ==" in text
    hybrid = next(line for line in text.splitlines() if line.startswith("hybrid"))
    assert "hybrid" in hybrid.split()[1] and float(hybrid.split()[-1]) > 0


@pytest.mark.slow  # runs the embedding model or every route as every persona
def test_feedback_is_measured_on_held_out_needs_and_is_off(
    judged, confirmed_need, coordinator, portal_seeds, need_form_data
):
    from renkei.matching.forms import NeedForm

    form = NeedForm({**need_form_data, "title": "牡蠣の海の酸素を測りたい"})
    assert form.is_valid(), form.errors
    other = actions.submit_need(form.cleaned_data)
    other.confirm_token_hash = actions._token_hash("other")
    other.save()
    other = actions.confirm_need("other")
    actions.take_need(other, by=coordinator)
    actions.judge_seed(other, portal_seeds["s001"], useful=True, by=coordinator)
    measured = judgements.measure_feedback(folds=2)
    assert measured["needs"] == 2 and measured["folds"] == 2
    assert 0 <= measured["ranker"]["ndcg@10"] <= 1
    assert 0 <= measured["with_feedback"]["ndcg@10"] <= 1
    out = StringIO()
    call_command("match", "eval", "--from-portal", "--feedback", stdout=out)
    assert "with_feedback" in out.getvalue()
    assert judgements.FEEDBACK_ENABLED is False


@pytest.mark.slow  # runs the embedding model or every route as every persona
def test_the_feedback_path_ranks_a_new_need_when_turned_on(
    judged, confirmed_need, coordinator, monkeypatch
):
    plain, _engine = indexes.rank_seeds(judged, user=coordinator, scope="nationwide", top=10)
    monkeypatch.setattr(judgements, "FEEDBACK_ENABLED", True)
    moved, _engine = indexes.rank_seeds(judged, user=coordinator, scope="nationwide", top=10)
    assert sorted(s.pk for s, _r in moved) == sorted(s.pk for s, _r in plain)
    assert [r.rank for _s, r in moved] == list(range(1, len(moved) + 1))
