"""Retrieval metrics for the matching engine: MRR, recall@k and nDCG@k from graded judgements,
and how well the cut-off separates what is shown as a match from 関連が弱い候補."""

import math


def mrr(ranked, relevant):
    for rank, doc in enumerate(ranked, start=1):
        if doc in relevant:
            return 1.0 / rank
    return 0.0


def recall_at(ranked, relevant, k):
    if not relevant:
        return 0.0
    return len(set(ranked[:k]) & set(relevant)) / len(relevant)


def ndcg_at(ranked, grades, k):
    """grades: doc → grade (1 or 2); gain 2^grade − 1, log2 discount."""
    dcg = sum(
        (2 ** grades.get(doc, 0) - 1) / math.log2(rank + 1)
        for rank, doc in enumerate(ranked[:k], start=1)
    )
    ideal = sorted(grades.values(), reverse=True)[:k]
    idcg = sum((2**g - 1) / math.log2(rank + 1) for rank, g in enumerate(ideal, start=1))
    return dcg / idcg if idcg else 0.0


def evaluate(rankings, gold):
    """rankings: need → [doc ids]; gold: need → {doc: grade}. Means over needs with judgements."""
    needs = [n for n in gold if gold[n]]
    if not needs:
        return {"needs": 0, "mrr": 0.0, "recall@5": 0.0, "recall@10": 0.0, "ndcg@10": 0.0}
    totals = {"mrr": 0.0, "recall@5": 0.0, "recall@10": 0.0, "ndcg@10": 0.0}
    for need in needs:
        ranked, grades = rankings.get(need, []), gold[need]
        totals["mrr"] += mrr(ranked, grades)
        totals["recall@5"] += recall_at(ranked, grades, 5)
        totals["recall@10"] += recall_at(ranked, grades, 10)
        totals["ndcg@10"] += ndcg_at(ranked, grades, 10)
    return {"needs": len(needs), **{k: round(v / len(needs), 4) for k, v in totals.items()}}


def cutoff(shown, gold, k=10):
    """shown: need → [(doc, weak)] best first; gold: need → {doc: grade}. Over the top k of
    the needs with judgements: the precision of the results above the cut-off, that of the
    whole top k for comparison ("base"), the share of the relevant results in the top k that
    it keeps above it, and the needs left with nothing above it."""
    needs = [n for n in gold if gold[n]]
    above = relevant_above = relevant = empty = shown_in_all = 0
    for need in needs:
        results, grades = shown.get(need, [])[:k], gold[need]
        strong = [doc for doc, weak in results if not weak]
        above += len(strong)
        relevant_above += sum(1 for doc in strong if doc in grades)
        relevant += sum(1 for doc, _weak in results if doc in grades)
        shown_in_all += len(results)
        empty += not strong
    return {
        "precision": round(relevant_above / above, 4) if above else 0.0,
        "base": round(relevant / shown_in_all, 4) if shown_in_all else 0.0,
        "kept": round(relevant_above / relevant, 4) if relevant else 0.0,
        "no_strong": empty,
    }
