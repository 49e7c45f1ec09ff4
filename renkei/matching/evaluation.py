"""Retrieval metrics for the matching engine: MRR, recall@k and nDCG@k from graded judgements."""

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
