"""Matching on files: what `renkei match` does, callable from tests and scripts."""

from renkei.matching.engine import MODES, Engine
from renkei.matching.evaluation import evaluate


def build_engine(seeds, *, mode="hybrid", cache=None, embedder=None):
    engine = Engine(mode=mode, cache=cache, embedder=embedder)
    engine.add_many(seeds)
    return engine


def match_all(engine, needs, *, top=10):
    """One {"need_id", "results"} dict per need, in the needs' order."""
    lines = []
    for need in needs:
        results = engine.match(need, top=top)
        lines.append(
            {
                "need_id": need.id,
                "results": [
                    {
                        "seed_id": r.document.id,
                        "rank": r.rank,
                        "score": r.score,
                        "explanation": r.explanation,
                    }
                    for r in results
                ],
            }
        )
    return lines


def evaluate_modes(needs, seeds, gold, *, modes=MODES, cache=None, embedder=None, top=10):
    """mode → metrics (MRR, recall@5, recall@10, nDCG@10) on graded judgements, plus the
    mode the engine really used (lexical where the model could not load)."""
    engine = build_engine(seeds, mode="hybrid", cache=cache, embedder=embedder)
    report = {}
    for mode in modes:
        rankings = {
            need.id: [r.document.id for r in engine.match(need, top=max(top, 10), mode=mode)]
            for need in needs
        }
        used = mode if engine.semantic is not None else "lexical"
        report[mode] = {"used": used, **evaluate(rankings, gold)}
    return report, engine.notice
