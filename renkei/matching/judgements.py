"""Coordinators' judgements as graded judgements, and what they can teach the ranker
(ADR 0009 §3).

Grades, per need × seed (the newest mark counts; the pipeline's steps are further evidence):

- 2: an agreement came of it, or the submitter was introduced or met the seed's people;
- 1: marked useful, or proposed, or the seed's organisation said it was interested;
- not relevant (left out of the gold, whose format has no grade 0): marked not useful, or
  declined / 不成立 because 技術が合わない. Other reasons (timing, cost, capacity, IP, a partner
  already) say nothing against the seed's relevance and leave the rest as it was.

``export`` writes them in the `renkei match eval` format; ``evaluate_portal`` measures the
portal's ranker on them (`renkei match eval --from-portal`); ``rerank`` is the feedback the
judgements could give new needs, measured by ``measure_feedback`` on held-out needs and
left off (``FEEDBACK_ENABLED``) until that measurement says it helps.
"""

import json
from collections import defaultdict
from pathlib import Path

from renkei.matching import indexes
from renkei.matching.engine import MODES, Document, Engine, Query
from renkei.matching.evaluation import evaluate
from renkei.matching.models import AGREEMENTS, Judgement, Need, Reason, Seed, Step

# Measured on held-out needs (ADR 0009, "Measurements"): not yet.
FEEDBACK_ENABLED = False
NEIGHBOURS = 5  # judged needs most like a new need
# The best of the settings measured (ADR 0009): a small nudge by similar needs' relevant
# seeds; their "not relevant" judgements counted nothing but harm.
FEEDBACK_WEIGHT = 0.05  # against the ranker's reciprocal rank
PENALTY = 0.0  # what a "not relevant" judgement of a similar need weighs against a grade 1
RRF_K = 20
STRONG = {Step.Kind.INTRODUCED, Step.Kind.MEETING}


def _evidence():
    """(need, seed) → the step kinds, outcomes and reasons of its proposal."""
    found = defaultdict(lambda: {"kinds": set(), "outcome": "", "reasons": set()})
    rows = Step.objects.filter(proposal__isnull=False).values_list(
        "proposal__need_id", "proposal__seed_id", "kind", "outcome", "reason"
    )
    for need_id, seed_id, kind, outcome, reason in rows:
        entry = found[(need_id, seed_id)]
        entry["kinds"].add(kind)
        if outcome:
            entry["outcome"] = outcome
        if reason and kind in (Step.Kind.DECLINED, Step.Kind.OUTCOME):
            entry["reasons"].add(reason)
    return found


def grades():
    """{need id: {seed id: grade}} with grades 0 (not relevant), 1 and 2, for every need ×
    seed a coordinator marked or proposed."""
    marks = {pair: j.useful for pair, j in Judgement.objects.all().latest_per_pair().items()}
    evidence = _evidence()
    graded = defaultdict(dict)
    for pair in set(marks) | set(evidence):
        entry = evidence.get(pair, {"kinds": set(), "outcome": "", "reasons": set()})
        mark = marks.get(pair)
        if entry["outcome"] in AGREEMENTS:
            grade = 2
        elif mark is False or Reason.TECHNOLOGY in entry["reasons"]:
            grade = 0
        elif entry["kinds"] & STRONG:
            grade = 2
        else:
            grade = 1  # marked useful, proposed, or the organisation was interested
        graded[pair[0]][pair[1]] = grade
    return dict(graded)


def gold():
    """The graded judgements as the eval format has them: only grades 1 and 2."""
    return {
        str(need): {str(seed): g for seed, g in seeds.items() if g}
        for need, seeds in grades().items()
        if any(seeds.values())
    }


def seed_text(seed):
    return "\n".join(v for k, v in seed.matching_fields().items() if k != "title" and v)


def export(directory):
    """Write needs.jsonl, seeds.jsonl and gold.jsonl (the `renkei match eval` format) for the
    judged needs and every active seed; returns (needs, seeds, judgements) written."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    judged = gold()
    needs = Need.objects.filter(pk__in=[int(n) for n in judged]).order_by("pk")
    seeds = Seed.objects.active().select_related("organization").order_by("pk")
    seed_ids = set()
    with open(directory / "needs.jsonl", "w", encoding="utf-8") as out:
        for need in needs:
            line = {
                "id": str(need.pk),
                "title": need.title,
                "text": need.description,
                "prefecture": need.prefecture_id,
            }
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
    with open(directory / "seeds.jsonl", "w", encoding="utf-8") as out:
        for seed in seeds:
            seed_ids.add(str(seed.pk))
            line = {
                "id": str(seed.pk),
                "title": seed.title,
                "text": seed_text(seed),
                "prefecture": seed.prefecture_id,
                "stage": seed.stage,
                "organization": seed.organization.name,
            }
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
    count = 0
    with open(directory / "gold.jsonl", "w", encoding="utf-8") as out:
        for need in needs:
            for seed, grade in sorted(judged[str(need.pk)].items()):
                if seed in seed_ids:  # an archived seed is not in seeds.jsonl
                    line = {"need_id": str(need.pk), "seed_id": seed, "grade": grade}
                    out.write(json.dumps(line) + "\n")
                    count += 1
    return needs.count(), len(seed_ids), count


def _query(need):
    return indexes.need_query(need, scope="nationwide", visibility="coordinators")


def portal_rankings(needs, *, mode, top=10):
    """need id → ranked seed ids, from the portal's own seed index (its field weights)."""
    engine = indexes.seeds_index.get()
    return {
        str(need.pk): [r.document.id for r in engine.match(_query(need), top=top, mode=mode)]
        for need in needs
    }


def evaluate_portal(*, modes=MODES, top=10):
    """mode → metrics of the portal's ranker on the coordinators' judgements (as
    `renkei match eval` reports them), and the number of judgements."""
    judged = gold()
    needs = list(Need.objects.filter(pk__in=[int(n) for n in judged]))
    engine = indexes.seeds_index.get()
    report = {}
    for mode in modes:
        rankings = portal_rankings(needs, mode=mode, top=max(top, 10))
        used = mode if engine.semantic is not None else "lexical"
        report[mode] = {"used": used, **evaluate(rankings, judged)}
    return report, sum(len(g) for g in judged.values()), engine.notice


# --- feedback for new needs (measured, off) -----------------------------------------------


def _needs_engine(needs):
    """An engine over judged needs' texts, to find those most like a new need (the seeds'
    embedding cache serves it: the needs' texts are cached there as passages)."""
    semantic = indexes.seeds_index.get().semantic
    engine = Engine(
        mode="hybrid" if semantic is not None else "lexical",
        embedder=semantic.embedder if semantic is not None else None,
        cache=semantic.cache if semantic is not None else None,
        field_weights=indexes.NEED_FIELD_WEIGHTS,
    )
    engine.add_many(
        Document(id=str(n.pk), fields={"title": n.title, "description": n.description})
        for n in needs
    )
    return engine


def rerank(
    need,
    ranked,
    graded,
    needs_engine,
    *,
    neighbours=NEIGHBOURS,
    weight=FEEDBACK_WEIGHT,
    penalty=PENALTY,
):
    """``ranked`` (seed ids, best first) for a new ``need``, moved by the judgements of the
    judged needs most like it (``graded``: need id → {seed id: grade}, ``needs_engine`` over
    those needs): a seed judged relevant for a similar need moves up by its grade, one
    judged not relevant moves down, each in proportion to that need's similarity rank."""
    query = Query(id=f"need-{need.pk}", fields={"title": need.title, "text": need.description})
    similar = [  # needs the engine finds only weakly related are no evidence
        r
        for r in needs_engine.match(query, top=neighbours)
        if r.document.id != str(need.pk) and not r.explanation.get("weak")
    ]
    scores = {seed: 1.0 / (RRF_K + rank) for rank, seed in enumerate(ranked, start=1)}
    for neighbour in similar:
        closeness = 1.0 / (RRF_K + neighbour.rank)
        for seed, grade in graded.get(neighbour.document.id, {}).items():
            change = closeness * (grade if grade else -penalty) * weight
            scores[seed] = scores.get(seed, 0.0) + change
    return [seed for seed, _score in sorted(scores.items(), key=lambda item: (-item[1], item[0]))]


def measure_feedback(
    *,
    folds=5,
    mode="hybrid",
    top=10,
    weight=FEEDBACK_WEIGHT,
    neighbours=NEIGHBOURS,
    penalty=PENALTY,
):
    """nDCG@10 (and the other metrics) of the ranker and of the ranker moved by feedback, on
    needs held out of the judgements that move it: k-fold over the judged needs."""
    graded_all = {str(n): {str(s): g for s, g in seeds.items()} for n, seeds in grades().items()}
    relevant = {n: {s: g for s, g in seeds.items() if g} for n, seeds in graded_all.items()}
    relevant = {n: seeds for n, seeds in relevant.items() if seeds}
    need_ids = sorted(relevant, key=int)
    if len(need_ids) < 2:
        return None
    needs = {str(n.pk): n for n in Need.objects.filter(pk__in=[int(n) for n in need_ids])}
    folds = min(folds, len(need_ids))
    base, moved = {}, {}
    for fold in range(folds):
        held = [n for i, n in enumerate(need_ids) if i % folds == fold]
        train = {n: graded_all[n] for n in graded_all if n not in held}
        if not train:
            continue
        engine = _needs_engine([needs[n] for n in train if n in needs])
        ranked = portal_rankings([needs[n] for n in held], mode=mode, top=50)
        for n in held:
            base[n] = ranked[n][:top]
            moved[n] = rerank(
                needs[n],
                ranked[n],
                train,
                engine,
                neighbours=neighbours,
                weight=weight,
                penalty=penalty,
            )[:top]
    gold_held = {n: relevant[n] for n in base}
    return {
        "needs": len(gold_held),
        "judgements": sum(len(g) for g in gold_held.values()),
        "folds": folds,
        "ranker": evaluate(base, gold_held),
        "with_feedback": evaluate(moved, gold_held),
    }


def apply_feedback(need, results):
    """The portal's ranking for ``need`` moved by the judgements of other needs (the code
    path indexes.rank_seeds takes when FEEDBACK_ENABLED)."""
    graded = {
        str(n): {str(s): g for s, g in seeds.items()}
        for n, seeds in grades().items()
        if n != need.pk
    }
    if not graded:
        return results
    judged = Need.objects.filter(pk__in=[int(n) for n in graded])
    order = rerank(need, [r.document.id for r in results], graded, _needs_engine(judged))
    position = {seed: i for i, seed in enumerate(order)}
    moved = sorted(results, key=lambda r: position.get(r.document.id, len(position)))
    for rank, result in enumerate(moved, start=1):
        result.rank = rank
    return moved


def eval_command(command, *, feedback=False):
    """What `renkei match eval --from-portal [--feedback]` prints (the table of
    `renkei match eval`, on the portal's seeds and its coordinators' judgements)."""
    report, count, notice = evaluate_portal()
    if notice:
        command.stderr.write(notice)
    command.stdout.write(f"== portal: {count} judgements ==")
    command.stdout.write(
        f"{'mode':<10}{'used':<10}{'needs':>6}{'MRR':>8}{'R@5':>8}{'R@10':>8}{'nDCG@10':>9}"
    )
    for name, row in report.items():
        command.stdout.write(
            f"{name:<10}{row['used']:<10}{row['needs']:>6}{row['mrr']:>8.4f}"
            f"{row['recall@5']:>8.4f}{row['recall@10']:>8.4f}{row['ndcg@10']:>9.4f}"
        )
    if feedback:
        measured = measure_feedback()
        if measured is None:
            command.stdout.write("feedback: fewer than 2 judged needs, nothing to hold out")
            return
        command.stdout.write(
            f"== feedback, {measured['folds']}-fold over {measured['needs']} held-out needs =="
        )
        for name in ("ranker", "with_feedback"):
            row = measured[name]
            command.stdout.write(
                f"{name:<14}{row['needs']:>6}{row['mrr']:>8.4f}{row['recall@10']:>8.4f}"
                f"{row['ndcg@10']:>9.4f}"
            )
