"""Matching on files: what `renkei match` does, callable from tests and scripts."""

from pathlib import Path

from renkei.matching import files
from renkei.matching.engine import MODES, Engine
from renkei.matching.evaluation import cutoff, evaluate

# The development sets `renkei match eval` measures when no files are given (ADR 0004):
# every method is chosen on both, never on one alone.
DEVELOPMENT_SETS = {name: Path(__file__).resolve().parent / name for name in ("devset", "devset2")}


def read_set(folder):
    """(needs, seeds, judgements) of a development set's folder."""
    folder = Path(folder)
    needs = files.read_needs(folder / "needs.jsonl")
    seeds = files.read_seeds(folder / "seeds.jsonl")
    gold = files.read_gold(folder / "gold.jsonl", {n.id for n in needs}, {s.id for s in seeds})
    return needs, seeds, gold


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
    """mode → metrics (MRR, recall@5, recall@10, nDCG@10) on graded judgements, the
    cut-off's precision and the share of relevant results it keeps ("cut", see
    evaluation.cutoff), plus the mode the engine really used (lexical where the model could
    not load)."""
    engine = build_engine(seeds, mode="hybrid", cache=cache, embedder=embedder)
    report = {}
    for mode in modes:
        shown = {
            need.id: [
                (r.document.id, r.explanation["weak"])
                for r in engine.match(need, top=max(top, 10), mode=mode)
            ]
            for need in needs
        }
        rankings = {need: [doc for doc, _weak in results] for need, results in shown.items()}
        used = mode if engine.semantic is not None else "lexical"
        report[mode] = {"used": used, **evaluate(rankings, gold), "cut": cutoff(shown, gold)}
    return report, engine.notice
