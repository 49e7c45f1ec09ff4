"""The matching index in files: built once per machine outside requests, mapped read-only
by every worker (ADR 0004, "One index per machine").

A build (``build``) writes, through ``renkei.programs.search.store`` (the catalogue's files,
ADR 0002), one directory of ``.npy`` arrays:

* **postings** in CSR form — the terms sorted by a 64-bit hash (``term_hash``, with their
  UTF-8 text in ``term_blob``/``term_offsets`` to confirm a hit), ``post_offsets`` into
  ``post_low`` (each row's low 16 bits, uint16; ``post_blocks`` says where each term's list
  enters the next block of 65,536 rows) and ``post_impacts`` (uint8 steps of IMPACT_SCALE
  of BM25's saturated term frequency (k1 + 1)·tf / (tf + k1·(1 − b + b·length / average
  length)), computed at build time with the build's average length; float32 on request) —
  so a query's score is Σ idf × weight × impact — and ``term_max``, each term's highest
  impact, the bound that lets a query look up a common term for its candidates only
  (MaxScore, ``LexicalScores``): three bytes a posting instead of eight. A term held by at
  least DENSE_SHARE of the rows is stored **dense** instead (``dense``, one impact a row, 0
  where absent; ``dense_of`` says which): no more bytes than its postings, added to the
  scores as one vector operation and looked up for a candidate in one read;
* the **statistics** (rows, average length in ``meta.json``; document frequencies in
  ``term_df``);
* the **vectors** in int8 with one scale each (``VECTOR_DTYPE``), scanned by a query, and
  a float16 copy (``vectors_exact``) from which its RESCORED best are scored again; ordered
  by inverted list when there are more than ``EXACT_UP_TO`` (``centroids``,
  ``list_offsets``, ``vec_row``; ``row_pos`` maps a row to its vector, −1 for a row not
  yet embedded);
* the small **per-row metadata** the filters read: ``ids``, ``prefecture``, ``stage``,
  ``visibility`` — no texts: an explanation reads its seed from the database;
* for the next build and for the delta only (workers touch a few entries): ``updated``
  (each row's ``updated_at`` in microseconds), ``lengths`` and the forward index
  ``fwd_offsets``/``fwd_terms``/``fwd_tf`` (row → its terms). A build reuses the previous
  build's rows whose ``updated_at`` has not moved (their terms and vectors), so only new and
  changed rows are tokenised again; dead rows are left out and the statistics recomputed.

Between builds a process reads what changed since (new, edited, archived rows) into a
``Delta``: those rows replace theirs in the build, document frequencies and the number of
rows are corrected exactly (the forward index says which terms a replaced row had), the
average length stays the build's. Nothing here reads the database: ``renkei.matching.
indexes`` gives the rows, texts and vectors.
"""

import hashlib
import logging
import multiprocessing
import os
import time
import weakref
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from renkei.matching.engine import (
    BLOCK_ENDS,
    BM25_B,
    BM25_K1,
    CANDIDATES,
    RRF_K,
    STAGES,
    VISIBILITY,
    Document,
    Query,
    Result,
    block_of,
    explain,
    idf,
    is_weak,
    text_hash,
    tokens_of_fields,
    weighted_counts,
)

log = logging.getLogger(__name__)

FORMAT = 3
# Builds whose terms and forward index a new build may reuse (formats 1 and 2 had the same
# forward index; format 1's postings were int32 rows and float32 impacts, format 2 had no
# dense terms).
REUSABLE_FORMATS = (1, 2, 3)
# Builds a query can read: a format-2 build (no dense terms) serves until the next build
# replaces it, so an upgrade never leaves the portal without results.
READABLE_FORMATS = (2, 3)
# Vectors are scanned in int8 (one scale per vector) and the best RESCORED of a query are
# scored again from a float16 copy: nDCG@10 of both development sets unchanged (ADR 0004,
# "Reduced precision"). "float16" and "float32" (no copy, no re-scoring) are kept for
# measuring.
VECTOR_DTYPE = "int8"
RESCORED = 50
# Postings: a row is stored as its low 16 bits (uint16) with each term's list cut in blocks
# of 65,536 rows; impacts in uint8 (IMPACT_SCALE steps), or float32 for exact comparisons.
IMPACT_DTYPE = "uint8"
IMPACT_SCALE = (BM25_K1 + 1) / 255
BLOCK_BITS = 16
# A term in at least this share of the rows is stored dense, one impact a row: adding it is
# a vector operation and looking it up for a candidate one read (~50× cheaper than a search
# in its list), in no more bytes than its postings.
DENSE_SHARE = 1 / 3
EXACT_UP_TO = 50_000  # up to this many vectors every query scans them all
LIST_ROWS = 1024  # above it, inverted lists of about this many vectors each …
PROBE_ROWS = 48_000  # … and a query scans the nearest lists up to about this many vectors
EXACT_MASKED = 30_000  # a filter leaving fewer rows than this is scanned exactly
KMEANS_SAMPLE, KMEANS_ROUNDS = 48, 6  # vectors per list in the sample, and rounds
CHUNK = 2_000  # rows tokenised per task of a parallel build


def term_hash(term):
    return int.from_bytes(hashlib.blake2b(term.encode(), digest_size=8).digest(), "little")


def _hashes(terms):
    return np.fromiter((term_hash(t) for t in terms), dtype=np.uint64, count=len(terms))


# --- building ----------------------------------------------------------------------------


@dataclass
class Rows:
    """What a build knows of the rows before reading any text, sorted by id."""

    ids: np.ndarray  # int64
    updated: np.ndarray  # int64, microseconds
    prefecture: np.ndarray  # int8, 0 none
    stage: np.ndarray  # int8, -1 none
    visibility: np.ndarray  # int8

    @classmethod
    def of(cls, items):
        """From (id, updated µs, prefecture code or None, stage or None, visibility)."""
        items = sorted(items)
        return cls(
            ids=np.array([r[0] for r in items], dtype=np.int64),
            updated=np.array([r[1] for r in items], dtype=np.int64),
            prefecture=np.array([int(r[2]) if r[2] else 0 for r in items], dtype=np.int8),
            stage=np.array(
                [STAGES.index(r[3]) if r[3] in STAGES else -1 for r in items], dtype=np.int8
            ),
            visibility=np.array([VISIBILITY.index(r[4] or "public") for r in items], np.int8),
        )

    def __len__(self):
        return len(self.ids)


def _tokenise(task):
    """(ids, fields) → the rows' terms, weighted frequencies and lengths (in a pool too)."""
    field_weights, chunk = task
    out = []
    for identifier, fields in chunk:
        counts, length = weighted_counts(fields, field_weights)
        out.append((identifier, list(counts), np.fromiter(counts.values(), np.float32), length))
    return out


def _tokenised(pairs, field_weights, processes):
    """Yield (id, terms, tfs, length) of (id, fields) pairs, with ``processes`` processes
    (the pairs are read here, in the caller's thread: they may come from the database)."""
    if processes <= 1:
        for chunk in _chunks(pairs, CHUNK):
            yield from _tokenise((field_weights, chunk))
        return
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        for block in _chunks(pairs, CHUNK * processes * 4):
            tasks = [(field_weights, chunk) for chunk in _chunks(block, CHUNK)]
            for done in pool.map(_tokenise, tasks):
                yield from done


def _chunks(iterable, size):
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _ranges(starts, ends):
    """Indices of the concatenated ranges [start, end)."""
    lengths = ends - starts
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    shift = np.repeat(starts - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths)
    return np.arange(total, dtype=np.int64) + shift


def _quantised(vectors, dtype):
    """Vectors as stored: float16/float32 as they are, int8 with one scale per vector."""
    if dtype == "int8":
        scale = np.abs(vectors).max(axis=1, initial=1e-12) / 127.0
        return np.round(vectors / scale[:, None]).astype(np.int8), scale.astype(np.float32)
    return vectors.astype(dtype), None


def _kmeans(matrix, scales, lists, rng):
    chosen = np.sort(rng.choice(len(matrix), min(len(matrix), lists * KMEANS_SAMPLE), False))
    sample = _dequantised(matrix[chosen], scales[chosen])
    centroids = sample[rng.choice(len(sample), lists, replace=False)].copy()
    for _round in range(KMEANS_ROUNDS):
        nearest = np.argmax(sample @ centroids.T, axis=1)
        for k in range(lists):
            members = sample[nearest == k]
            if len(members):
                centroid = members.sum(axis=0)
                centroids[k] = centroid / max(float(np.linalg.norm(centroid)), 1e-12)
    return centroids


def _assign(vectors, centroids, step=20_000):
    out = np.empty(len(vectors), dtype=np.int32)
    for start in range(0, len(vectors), step):
        block = np.asarray(vectors[start : start + step], dtype=np.float32)
        out[start : start + step] = np.argmax(block @ centroids.T, axis=1)
    return out


def build(
    store,
    *,
    rows,
    texts,
    vectors,
    field_weights,
    meta=None,
    processes=1,
    vector_dtype=VECTOR_DTYPE,
    impact_dtype=IMPACT_DTYPE,
    reuse=True,
    progress=None,
):
    """Write a build of ``rows`` (Rows) into ``store`` and make it current.

    ``texts(ids)`` yields (id, fields) of the rows whose text is needed (new and changed
    rows, and rows whose vector is still missing); ``vectors(pairs)`` takes [(id, the
    embedding text's ``text_hash``)] and returns {id: float32 vector} of those already
    embedded (it never embeds anything). Rows whose ``updated`` equals the previous
    build's are taken from it. Returns the build's meta (with ``build_seconds``)."""
    started = time.perf_counter()
    report = progress or (lambda stage, done, total: None)
    n = len(rows)
    previous = store.current() if reuse else None
    if previous is not None and (
        previous.meta.get("format") not in REUSABLE_FORMATS
        or previous.meta.get("field_weights") != dict(field_weights)
        or previous.meta.get("model") != (meta or {}).get("model")
    ):
        previous = None
    # rows taken from the previous build: same id, same updated_at
    reused = np.zeros(n, dtype=bool)
    prev_row = np.full(n, -1, dtype=np.int64)
    if previous is not None and len(previous["ids"]) and n:
        prev_ids = previous["ids"]
        at = np.minimum(np.searchsorted(prev_ids, rows.ids), len(prev_ids) - 1)
        same = (prev_ids[at] == rows.ids) & (previous["updated"][at] == rows.updated)
        reused, prev_row = same, np.where(same, at, -1)
    fresh = np.flatnonzero(~reused)

    # -- terms: the previous vocabulary (in its hash order), then the new rows' terms
    vocabulary: dict[str, int] = {}
    prev_terms: list[str] = []
    if previous is not None:
        blob = bytes(previous["term_blob"])
        offsets = previous["term_offsets"]
        prev_terms = [blob[offsets[i] : offsets[i + 1]].decode() for i in range(len(offsets) - 1)]
        vocabulary = {t: i for i, t in enumerate(prev_terms)}
    new_terms: list[str] = []
    counts = np.zeros(n, dtype=np.int64)
    lengths = np.zeros(n, dtype=np.float32)
    if previous is not None and reused.any():
        fwd = previous["fwd_offsets"]
        taken = prev_row[reused]
        counts[reused] = fwd[taken + 1] - fwd[taken]
        lengths[reused] = previous["lengths"][taken]
    fresh_terms: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    position = {int(rows.ids[i]): int(i) for i in fresh}
    missing_vector = np.ones(n, dtype=bool)
    if previous is not None and reused.any():
        missing_vector[reused] = previous["row_pos"][prev_row[reused]] < 0
    found: dict[int, np.ndarray] = {}  # id → its stored float32 vector
    asked: list[tuple[int, str]] = []

    def look_up():
        for identifier, vector in vectors(asked).items():
            found[int(identifier)] = np.asarray(vector, np.float32)
        asked.clear()

    def wanted_texts():
        need = np.flatnonzero(~reused | missing_vector)
        for identifier, fields in texts([int(i) for i in rows.ids[need]]):
            row = int(np.searchsorted(rows.ids, identifier))
            if missing_vector[row]:
                asked.append((identifier, text_hash("\n".join(v for v in fields.values() if v))))
                if len(asked) >= 2_000:
                    look_up()
            if not reused[row]:
                yield identifier, fields

    done = 0
    for identifier, terms, tfs, length in _tokenised(wanted_texts(), field_weights, processes):
        row = position[identifier]
        ids_of = np.empty(len(terms), dtype=np.int64)
        for k, term in enumerate(terms):
            index = vocabulary.get(term)
            if index is None:
                index = vocabulary[term] = len(prev_terms) + len(new_terms)
                new_terms.append(term)
            ids_of[k] = index
        fresh_terms[row] = (ids_of, tfs)
        counts[row] = len(terms)
        lengths[row] = length
        done += 1
        if done % 10_000 == 0:
            report("tokenised", done, len(fresh))
    report("tokenised", done, len(fresh))

    # -- the forward index in row order, in vocabulary ids
    fwd_offsets = np.zeros(n + 1, dtype=np.int64)
    fwd_offsets[1:] = np.cumsum(counts)
    total = int(fwd_offsets[-1])
    fwd_terms = np.empty(total, dtype=np.int64)
    fwd_tf = np.empty(total, dtype=np.float32)
    if previous is not None and reused.any():
        taken = prev_row[reused]
        source = _ranges(previous["fwd_offsets"][taken], previous["fwd_offsets"][taken + 1])
        target = _ranges(fwd_offsets[:-1][reused], fwd_offsets[1:][reused])
        fwd_terms[target] = previous["fwd_terms"][source]
        fwd_tf[target] = previous["fwd_tf"][source]
    for row, (term_ids, tfs) in fresh_terms.items():
        fwd_terms[fwd_offsets[row] : fwd_offsets[row + 1]] = term_ids
        fwd_tf[fwd_offsets[row] : fwd_offsets[row + 1]] = tfs
    del fresh_terms
    report("forward index", n, n)

    # -- the vocabulary kept (terms some row holds), sorted by hash
    all_count = len(prev_terms) + len(new_terms)
    df_all = np.bincount(fwd_terms, minlength=all_count) if total else np.zeros(all_count, int)
    hashes = np.empty(all_count, dtype=np.uint64)
    if previous is not None:
        hashes[: len(prev_terms)] = previous["term_hash"]
    hashes[len(prev_terms) :] = _hashes(new_terms)
    kept = np.flatnonzero(df_all > 0)
    order = kept[np.argsort(hashes[kept], kind="stable")]
    final = np.full(all_count, -1, dtype=np.int64)
    final[order] = np.arange(len(order))
    fwd_terms = final[fwd_terms].astype(np.int32)
    terms_sorted = [
        prev_terms[i] if i < len(prev_terms) else new_terms[i - len(prev_terms)] for i in order
    ]
    encoded = [t.encode() for t in terms_sorted]
    term_offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    term_offsets[1:] = np.cumsum([len(e) for e in encoded])
    term_blob = np.frombuffer(b"".join(encoded), dtype=np.uint8)
    del prev_terms, new_terms, vocabulary, terms_sorted, encoded

    # -- postings: the forward index sorted by term (rows ascending within a term)
    average = float(lengths.mean()) if n else 1.0
    norm = (BM25_K1 * (1 - BM25_B + BM25_B * lengths / max(average, 1e-9))).astype(np.float32)
    by_term = np.argsort(fwd_terms, kind="stable")
    row_of_entry = np.repeat(np.arange(n, dtype=np.int32), counts)
    post_rows = row_of_entry[by_term]
    del row_of_entry
    post_tf = fwd_tf[by_term]
    del by_term
    post_impacts = ((BM25_K1 + 1) * post_tf / (post_tf + norm[post_rows])).astype(np.float32)
    del post_tf
    post_offsets = np.zeros(len(order) + 1, dtype=np.int64)
    post_offsets[1:] = np.cumsum(np.bincount(fwd_terms, minlength=len(order)))
    impact_scale = 1.0
    if impact_dtype == "uint8":
        impact_scale = IMPACT_SCALE
        post_impacts = np.clip(np.rint(post_impacts / impact_scale), 1, 255).astype(np.uint8)
    # each term's highest impact: the bound that lets a query skip reading common terms
    term_max = (
        np.maximum.reduceat(post_impacts, post_offsets[:-1]).astype(np.float32) * impact_scale
        if len(order)
        else np.zeros(0, dtype=np.float32)
    )
    # a term in at least DENSE_SHARE of the rows is stored dense (its impact for every row,
    # 0 where absent: one byte a row, no more than its three a posting), taken out of the
    # sparse lists
    term_df = np.diff(post_offsets).astype(np.int32)
    dense_terms = np.flatnonzero(term_df >= max(1.0, n * DENSE_SHARE))
    dense_of = np.full(len(order), -1, dtype=np.int32)
    dense_of[dense_terms] = np.arange(len(dense_terms), dtype=np.int32)
    dense = np.zeros((len(dense_terms), n), dtype=post_impacts.dtype)
    if len(dense_terms):
        for k, term in enumerate(dense_terms):
            first, last = post_offsets[term], post_offsets[term + 1]
            dense[k, post_rows[first:last]] = post_impacts[first:last]
        sparse = np.repeat(dense_of < 0, term_df)
        post_rows, post_impacts = post_rows[sparse], post_impacts[sparse]
        del sparse
        post_offsets[1:] = np.cumsum(np.where(dense_of < 0, term_df, 0))
    # rows as their low 16 bits, each term's list cut where a block of 65,536 rows begins
    blocks = max(1, (n + (1 << BLOCK_BITS) - 1) >> BLOCK_BITS)
    post_blocks = np.zeros((len(order), blocks + 1), dtype=np.uint32)
    if len(post_rows):
        per_block = np.bincount(
            np.repeat(np.arange(len(order), dtype=np.int64) * blocks, np.diff(post_offsets))
            + (post_rows >> BLOCK_BITS),
            minlength=len(order) * blocks,
        )
        post_blocks[:, 1:] = np.cumsum(per_block.reshape(len(order), blocks), axis=1)
        del per_block
    post_low = (post_rows & ((1 << BLOCK_BITS) - 1)).astype(np.uint16)
    del post_rows
    report("postings", n, n)

    # -- vectors: the previous build's for reused rows, the database's for the others
    if asked:
        look_up()
    dim = int(previous.meta.get("dim", 0)) if previous is not None else 0
    if found:
        dim = len(next(iter(found.values())))
    has = ~missing_vector.copy()
    for identifier in found:
        has[int(np.searchsorted(rows.ids, identifier))] = True
    vec_rows = np.flatnonzero(has).astype(np.int32)
    full = np.zeros((len(vec_rows), dim), dtype=np.float32)  # the most precise we have
    if len(vec_rows):
        from_previous = reused[vec_rows] & ~missing_vector[vec_rows]
        if from_previous.any() and previous is not None:  # rows are reused only from a build
            old = previous["row_pos"][prev_row[vec_rows[from_previous]]]
            where = np.flatnonzero(from_previous)
            for at in range(0, len(old), 50_000):
                full[where[at : at + 50_000]] = _exact_of(previous, old[at : at + 50_000])
        for i in np.flatnonzero(~from_previous):
            full[i] = found.pop(int(rows.ids[vec_rows[i]]))
    # inverted lists above EXACT_UP_TO vectors: centroids by k-means on a sample
    lists = len(vec_rows) // LIST_ROWS if len(vec_rows) > EXACT_UP_TO else 0
    if lists:
        rng = np.random.default_rng(17)
        if previous is not None and previous.meta.get("lists") == lists:
            centroids = np.asarray(previous["centroids"], dtype=np.float32)
        else:
            centroids = _kmeans(full, np.ones(len(full), dtype=np.float32), lists, rng)
        assignment = _assign(full, centroids)
        by_list = np.argsort(assignment, kind="stable")
        full, vec_rows = full[by_list], vec_rows[by_list]
        list_offsets = np.zeros(lists + 1, dtype=np.int64)
        list_offsets[1:] = np.cumsum(np.bincount(assignment, minlength=lists))
    else:
        centroids = np.zeros((0, dim), dtype=np.float32)
        list_offsets = np.zeros(1, dtype=np.int64)
    row_pos = np.full(n, -1, dtype=np.int32)
    row_pos[vec_rows] = np.arange(len(vec_rows), dtype=np.int32)
    # as stored; int8 vectors keep a float16 copy in the same order, read only to score a
    # query's best candidates again
    matrix, scales = _quantised(full, vector_dtype)
    if scales is None:
        scales = np.ones(len(vec_rows), dtype=np.float32)
    exact = full.astype(np.float16) if vector_dtype == "int8" else np.zeros((0, dim), np.float16)
    del full
    report("vectors", len(vec_rows), n)

    arrays = {
        "ids": rows.ids,
        "updated": rows.updated,
        "prefecture": rows.prefecture,
        "stage": rows.stage,
        "visibility": rows.visibility,
        "lengths": lengths,
        "term_hash": hashes[order],
        "term_blob": term_blob,
        "term_offsets": term_offsets,
        "post_offsets": post_offsets,
        "post_blocks": post_blocks,
        "post_low": post_low,
        "post_impacts": post_impacts,
        "term_max": term_max,
        "term_df": term_df,
        "dense_of": dense_of,
        "dense": dense,
        "fwd_offsets": fwd_offsets,
        "fwd_terms": fwd_terms,
        "fwd_tf": fwd_tf,
        "vectors": matrix,
        "scales": scales,
        "vectors_exact": exact,
        "vec_row": vec_rows,
        "row_pos": row_pos,
        "centroids": centroids,
        "list_offsets": list_offsets,
    }
    info = {
        **(meta or {}),
        "format": FORMAT,
        "count": n,
        "average_length": average,
        "field_weights": dict(field_weights),
        "vector_dtype": vector_dtype,
        "impact_dtype": impact_dtype,
        "impact_scale": impact_scale,
        "blocks": blocks,
        "dim": dim,
        "embedded": len(vec_rows),
        "lists": lists,
        "terms": len(order),
        "postings": total,
        "dense_terms": len(dense_terms),
        "reused": int(reused.sum()),
        "tokenised": len(fresh),
        "max_updated": int(rows.updated.max()) if n else 0,
    }
    info["build_seconds"] = round(time.perf_counter() - started, 3)
    path = store.write(arrays, info)
    info["bytes"] = sum(p.stat().st_size for p in path.iterdir())
    log.info(
        "matching index %s: %s rows (%s tokenised, %s embedded) in %.1f s",
        path,
        n,
        info["tokenised"],
        info["embedded"],
        info["build_seconds"],
    )
    return info


def _dequantised(matrix, scales):
    return matrix.astype(np.float32) * scales[:, None]


def _exact_of(build, positions):
    """float32 vectors at ``positions`` of a build, from its most precise copy."""
    if build.meta.get("vector_dtype") == "int8" and build.meta.get("format", 1) >= 2:
        return np.asarray(build["vectors_exact"][positions], dtype=np.float32)
    return _dequantised(build["vectors"][positions], build["scales"][positions])


# --- reading -------------------------------------------------------------------------------


class RowReader:
    """Rows of a 2-D ``.npy`` file read with ``pread``, not mapped: a query re-scores its 50
    best vectors from the float16 copy, 50 rows spread over the whole file. Mapped, each of
    those reads maps the page-cache folio around it (up to 2 MB on today's kernels), and
    after a few thousand queries the whole copy counted in every worker's memory (732 MB
    at a million seeds) for 38 KB a query. Read, the pages stay in the shared page cache
    and no process maps them. The file stays readable when a newer build replaces it."""

    def __init__(self, path):
        with open(path, "rb") as handle:
            version = np.lib.format.read_magic(handle)
            if version == (1, 0):
                shape, _fortran, dtype = np.lib.format.read_array_header_1_0(handle)
            else:
                shape, _fortran, dtype = np.lib.format.read_array_header_2_0(handle)
            self.start = handle.tell()
        self.shape, self.dtype = shape, dtype
        self.row_bytes = int(np.prod(shape[1:], dtype=np.int64)) * dtype.itemsize
        self.fd = os.open(path, os.O_RDONLY)
        weakref.finalize(self, os.close, self.fd)

    def __len__(self):
        return self.shape[0]

    def rows(self, positions):
        """The rows at ``positions`` (an array of row numbers), in that order."""
        out = np.empty((len(positions), *self.shape[1:]), dtype=self.dtype)
        if not len(positions):
            return out
        flat = out.reshape(len(positions), -1).view(np.uint8)
        for k, position in enumerate(np.asarray(positions, dtype=np.int64).tolist()):
            flat[k] = np.frombuffer(
                os.pread(self.fd, self.row_bytes, self.start + position * self.row_bytes),
                dtype=np.uint8,
            )
        return out


class Base:
    """A build's arrays as a searcher reads them (mapped; nothing copied)."""

    def __init__(self, build):
        self.build = build
        self.meta = build.meta
        self.name = build.name
        self.ids = build["ids"]
        self.count = len(self.ids)
        self.average = float(self.meta["average_length"])
        self.term_hash = build["term_hash"]
        self.term_offsets = build["term_offsets"]
        self.term_blob = build["term_blob"]
        self.post_offsets = build["post_offsets"]
        self.post_blocks = build["post_blocks"]
        self.post_low = build["post_low"]
        self.post_impacts = build["post_impacts"]
        self.term_max = build["term_max"]
        if self.meta.get("format") == 2:  # every list sparse
            self.term_df = np.diff(self.post_offsets).astype(np.int32)
            self.dense_of = np.full(len(self.term_df), -1, dtype=np.int32)
            self.dense = np.zeros((0, self.count), dtype=self.post_impacts.dtype)
        else:
            self.term_df = build["term_df"]
            self.dense_of = build["dense_of"]
            self.dense = build["dense"]
        self.impact_scale = float(self.meta["impact_scale"])
        self.blocks = int(self.meta["blocks"])
        self.prefecture = build["prefecture"]
        self.stage = build["stage"]
        self.visibility = build["visibility"]
        self.vectors = build["vectors"]
        self.scales = build["scales"]
        self.vec_row = build["vec_row"]
        self.row_pos = build["row_pos"]
        self.centroids = build["centroids"]
        self.list_offsets = build["list_offsets"]
        self.int8 = self.meta["vector_dtype"] == "int8"
        self.vectors_exact = RowReader(build.path / "vectors_exact.npy") if self.int8 else None

    def term(self, token):
        """The index of ``token`` in the build's vocabulary, or -1."""
        wanted = np.uint64(term_hash(token))
        at = int(np.searchsorted(self.term_hash, wanted))
        encoded = token.encode()
        while at < len(self.term_hash) and self.term_hash[at] == wanted:
            start, end = self.term_offsets[at], self.term_offsets[at + 1]
            if bytes(self.term_blob[start:end]) == encoded:
                return at
            at += 1
        return -1

    def df(self, term):
        """How many rows of the build hold the term."""
        return int(self.term_df[term])

    def postings(self, term):
        """(rows, impacts) of a term: rows int32 ascending, impacts as stored (× impact_scale
        gives BM25's saturated term frequency)."""
        if self.dense_of[term] >= 0:
            impacts = self.dense[self.dense_of[term]]
            rows = np.flatnonzero(impacts).astype(np.int32)
            return rows, impacts[rows]
        start, end = int(self.post_offsets[term]), int(self.post_offsets[term + 1])
        rows = self.post_low[start:end].astype(np.int32)
        if self.blocks > 1:
            cuts = self.post_blocks[term]
            for block in range(1, self.blocks):
                if cuts[block] < cuts[block + 1]:
                    rows[cuts[block] : cuts[block + 1]] += block << BLOCK_BITS
        return rows, self.post_impacts[start:end]

    def add_into(self, total, pending):
        """total[row] += factor × impact over the lists of [(term, factor)] (``pending`` is
        emptied). Block by block of 65,536 rows, the lists' low 16 bits index a view of
        ``total`` that stays in the processor's cache (``np.add.at``): about 8× faster
        than one bincount over the lists decoded to full row numbers."""
        if not pending:
            return
        spans = [
            (int(self.post_offsets[t]), self.post_blocks[t], np.float32(f * self.impact_scale))
            for t, f in pending
            if self.dense_of[t] < 0
        ]
        dense = [
            (self.dense[self.dense_of[t]], np.float32(f * self.impact_scale))
            for t, f in pending
            if self.dense_of[t] >= 0
        ]
        pending.clear()
        span = 1 << BLOCK_BITS
        scratch = np.empty(min(span, self.count), dtype=np.float32) if dense else None
        for block in range(self.blocks):
            view = total[block * span : (block + 1) * span]
            for impacts, factor in dense:  # a vector operation on the block
                part = scratch[: len(view)]
                np.multiply(impacts[block * span : (block + 1) * span], factor, out=part)
                view += part
            for start, cuts, factor in spans:
                first, last = start + int(cuts[block]), start + int(cuts[block + 1])
                if first < last:
                    np.add.at(
                        view, self.post_low[first:last], self.post_impacts[first:last] * factor
                    )

    def blocks_of(self, rows):
        """``rows`` (sorted ascending) as ``impacts_at`` reads them: per block of 65,536
        rows, (block, where its rows begin and end in ``rows``, their low 16 bits)."""
        rows = np.asarray(rows, dtype=np.int64)
        edges = np.searchsorted(rows >> BLOCK_BITS, np.arange(self.blocks + 1))
        low = (rows & ((1 << BLOCK_BITS) - 1)).astype(np.uint16)
        return rows, [
            (block, int(edges[block]), int(edges[block + 1]), low[edges[block] : edges[block + 1]])
            for block in range(self.blocks)
            if edges[block] < edges[block + 1]
        ]

    def impacts_at(self, term, blocks):
        """The term's impacts (as stored; 0 where absent) at the rows ``blocks_of`` gave,
        reading only the parts of its list where they would be (a dense term: one read a
        row)."""
        rows, parts = blocks
        if self.dense_of[term] >= 0:
            return self.dense[self.dense_of[term]][rows]
        start = int(self.post_offsets[term])
        cuts = self.post_blocks[term]
        out = np.zeros(len(rows), dtype=self.post_impacts.dtype)
        for block, low_end, high_end, wanted in parts:
            first, last = start + int(cuts[block]), start + int(cuts[block + 1])
            if first == last:
                continue
            part = self.post_low[first:last]
            at = np.minimum(np.searchsorted(part, wanted), len(part) - 1)
            hit = part[at] == wanted
            out[low_end:high_end][hit] = self.post_impacts[first:last][at[hit]]
        return out

    def terms_of(self, rows):
        """term index → how many of ``rows`` hold it (from the forward index)."""
        offsets, terms = self.build["fwd_offsets"], self.build["fwd_terms"]
        found: Counter[int] = Counter()
        for row in rows:
            found.update(terms[offsets[row] : offsets[row + 1]].tolist())
        return found

    def similarities(self, positions, vector):
        block = self.vectors[positions]
        scores = block.astype(np.float32) @ vector
        if self.int8:
            scores *= self.scales[positions]
        return scores

    def exact_similarities(self, positions, vector):
        """Cosines from the float16 copy of int8 vectors (``positions`` sorted)."""
        if self.vectors_exact is None:
            return self.similarities(positions, vector)
        return self.vectors_exact.rows(positions).astype(np.float32) @ vector

    def updated_of(self, identifiers):
        """{id: updated µs} of those ids the build holds."""
        if not self.count:
            return {}
        ids = np.asarray(identifiers, dtype=np.int64)
        at = np.minimum(np.searchsorted(self.ids, ids), self.count - 1)
        updated = self.build["updated"]
        return {int(i): int(updated[a]) for i, a in zip(ids, at, strict=True) if self.ids[a] == i}


@dataclass
class Changed:
    """A row written since the build, as the delta takes it: ``document`` None when it left
    the index (archived, closed, deleted)."""

    id: int | str
    updated: int
    document: Document | None = None
    vector: np.ndarray | None = None


class Delta:
    """The rows written since a build, in this process: they replace the build's rows of the
    same id; statistics corrected exactly but for the average length (the build's)."""

    def __init__(self, base, changed, field_weights, average=None):
        self.base = base
        count = base.count if base is not None else 0
        self.alive = np.ones(count, dtype=bool)
        # one change per id, the last given (a row listed twice must not be removed twice)
        changed = list({str(c.id): c for c in changed}.values())
        removed: list[int] = []
        if base is not None and count and changed:
            ids = np.array([int(c.id) for c in changed], dtype=np.int64)
            at = np.minimum(np.searchsorted(base.ids, ids), count - 1)
            removed = [int(a) for a, i in zip(at, ids, strict=True) if base.ids[a] == i]
            self.alive[removed] = False
        self.removed_terms = base.terms_of(removed) if removed else Counter()
        self.average = average if average is not None else (base.average if base else None)
        self.documents = [c for c in changed if c.document is not None]
        self.ids = [c.id for c in self.documents]
        self.lengths = np.zeros(len(self.documents), dtype=np.float32)
        self.postings: dict[str, tuple[list[int], list[float]]] = defaultdict(lambda: ([], []))
        for row, change in enumerate(self.documents):
            counts, length = weighted_counts(change.document.fields, field_weights)
            self.lengths[row] = length
            for token, tf in counts.items():
                self.postings[token][0].append(row)
                self.postings[token][1].append(tf)
        if self.average is None:
            self.average = float(self.lengths.mean()) if len(self.lengths) else 1.0
        self.postings = dict(self.postings)
        self.norm = BM25_K1 * (1 - BM25_B + BM25_B * self.lengths / max(self.average, 1e-9))
        self.prefecture = np.array(
            [int(c.document.prefecture or 0) for c in self.documents], dtype=np.int16
        )
        self.stage = np.array(
            [STAGES.index(c.document.stage) if c.document.stage in STAGES else -1
             for c in self.documents], dtype=np.int16,
        )  # fmt: skip
        self.visibility = np.array(
            [VISIBILITY.index(c.document.visibility) for c in self.documents], dtype=np.int16
        )
        self.vector_rows = np.array(
            [r for r, c in enumerate(self.documents) if c.vector is not None], dtype=np.int64
        )
        self.vectors = (
            np.vstack([self.documents[r].vector for r in self.vector_rows]).astype(np.float32)
            if len(self.vector_rows)
            else None
        )
        self.count = count - len(removed) + len(self.documents)

    def __len__(self):
        return len(self.documents)


class Ranking(list):
    """Results, best first, with the mode the query was ranked in and why (``notice``)."""

    mode = "lexical"
    notice = ""

    @property
    def effective_mode(self):
        """The mode this query was ranked in (as ``Engine.effective_mode`` says it)."""
        return self.mode


NO_QUERY_VECTOR = (
    "このニーズの意味の近さはまだ計算中です（数秒〜数分）。それまでは語の一致だけで順位を"
    "付けています。"
)
NOT_EMBEDDED = "意味の近さをまだ計算していない候補は、語の一致の順位で並べています。"


class LexicalScores:
    """A query's best rows by words (``rows``, ``scores``, best first) and, for any row,
    its exact score (``of``), as ``Searcher.lexical`` computes them."""

    LONG_SHARE = 1 / 8  # a list of more than this share of the rows is long …
    PROBE_COST = 32  # … and a lookup in it costs about this many postings read in a row
    DENSE_READ_COST = 0.25  # a dense term's row added costs this share of a posting read …
    DENSE_PROBE_COST = 1  # … and a dense term looked up for a candidate about one
    RECHECK_SHARE = 1.0  # check again after reading this share of the rows' worth of postings

    def __init__(self, searcher, terms, ceiling):
        self.base = searcher.base
        self.terms = terms
        self.ceiling = ceiling
        self.known: dict[int, float] = {}
        self.rows = np.zeros(0, dtype=np.int64)
        self.scores = np.zeros(0, dtype=np.float32)
        self.delta_scores = np.zeros(0, dtype=np.float32)
        self.n_base = self.base.count if self.base is not None else 0

    def rank_base(self, mask, limit):
        """Read the lists whole, shortest first. Before the first long one (and again each
        time as many postings as rows were read since), if what the lists left could add
        (the sum of their bounds) is below the ``limit``-th best score so far, stop: only
        the rows that may still reach the best are scored with the lists left, each looked
        up for them or read, whichever costs less.

        "The ``limit``-th best so far" is taken among the rows of the shortest lists (up to
        SAMPLE rows): a lower bound of the true one, found without sorting every row."""
        base = self.base
        order = sorted(self.terms, key=lambda t: t[1])
        left = sum(t[0] for t in order)
        done = 0.0  # the most any row can hold so far (the sum of the lists read's bounds)
        long = base.count * self.LONG_SHARE
        total = np.zeros(base.count, dtype=np.float32)
        pending: list[tuple[int, float]] = []
        sample = self._sample(order)
        floor = 0.0
        read, next_check = 0, 0
        at = 0
        while at < len(order):
            bound, size, term, factor = order[at]
            if read >= next_check and size > long and done > left:  # (else none can be sure)
                next_check = read + base.count * self.RECHECK_SHARE
                base.add_into(total, pending)
                floor = self._floor(total, mask, limit, sample)
                if left < floor * (1 - 1e-5):
                    break
            pending.append((term, factor))
            left -= bound
            done += bound
            read += self._read_cost(term, size)
            at += 1
        rest = order[at:]
        if rest:  # the rows that may still reach the best, scored with the lists left
            candidates = np.flatnonzero((total + left >= floor * (1 - 1e-5)) & mask)
            probed = []
            for _bound, size, term, factor in rest:
                if len(candidates) * self._probe_cost(term) < self._read_cost(term, size):
                    probed.append((term, factor))
                else:
                    pending.append((term, factor))
            base.add_into(total, pending)
            partial = total[candidates]
            blocks = base.blocks_of(candidates) if probed else None
            for term, factor in probed:
                partial += np.float32(factor * base.impact_scale) * base.impacts_at(term, blocks)
            rows, scores = _top(candidates, partial, limit)
        else:
            base.add_into(total, pending)
            floor = self._floor(total, mask, limit, sample)
            if floor > 0:  # every one of the best holds at least the floor
                candidates = np.flatnonzero((total >= floor * (1 - 1e-5)) & mask)
            else:
                candidates = np.flatnonzero((total > 0) & mask)
            rows, scores = _top(candidates, total[candidates], limit)
        self.rows, self.scores = rows.astype(np.int64), scores
        self.known = {int(r): float(v) for r, v in zip(rows, scores, strict=True)}

    def _read_cost(self, term, size):
        """What reading a term's list whole costs, in postings read."""
        if self.base.dense_of[term] >= 0:
            return self.base.count * self.DENSE_READ_COST
        return size

    def _probe_cost(self, term):
        """What looking a term up for one row costs, in postings read."""
        return self.DENSE_PROBE_COST if self.base.dense_of[term] >= 0 else self.PROBE_COST

    SAMPLE = 50_000

    def _sample(self, order):
        """Distinct rows of the shortest lists, up to SAMPLE (sorted)."""
        parts: list[np.ndarray] = []
        count = 0
        for _bound, size, term, _factor in order:
            if count >= self.SAMPLE:
                break
            rows, _impacts = self.base.postings(term)
            parts.append(rows[: self.SAMPLE - count])
            count += min(size, self.SAMPLE - count)
        seen = np.zeros(self.base.count, dtype=bool)
        for rows in parts:
            seen[rows] = True
        return np.flatnonzero(seen)

    @staticmethod
    def _floor(total, mask, limit, sample):
        """A lower bound of the ``limit``-th best score among the allowed rows: the
        ``limit``-th best among the sample's (0 when it holds fewer)."""
        scores = total[sample][mask[sample]]
        scores = scores[scores > 0]
        if len(scores) < limit:
            return 0.0
        return float(np.partition(scores, -limit)[-limit])

    def add_delta(self, n_base, delta_scores, limit):
        self.delta_scores = delta_scores
        extra = np.flatnonzero(delta_scores > 0)
        if len(extra):
            rows = np.concatenate([self.rows, n_base + extra])
            scores = np.concatenate([self.scores, delta_scores[extra]])
            self.rows, self.scores = _top(rows, scores, limit)
        self.known = {int(r): float(v) for r, v in zip(self.rows, self.scores, strict=True)}

    def of(self, rows):
        """{row: exact score} of ``rows`` (any rows, allowed by the mask or not), those
        outside the best looked up in every list of the query at once."""
        out = {}
        wanted = []
        for row in rows:
            if row in self.known:
                out[row] = self.known[row]
            elif row >= self.n_base:
                out[row] = float(self.delta_scores[row - self.n_base])
            else:
                wanted.append(row)
        if wanted:
            at = np.array(sorted(set(wanted)), dtype=np.int64)
            blocks = self.base.blocks_of(at)
            values = np.zeros(len(at), dtype=np.float32)
            for _bound, _size, term, factor in self.terms:
                values += np.float32(factor * self.base.impact_scale) * self.base.impacts_at(
                    term, blocks
                )
            out.update({int(r): float(v) for r, v in zip(at, values, strict=True)})
        return out


class Searcher:
    """Ranks the rows of a build plus its delta for a query. Never embeds, never builds:
    a query's vector is given (None: not embedded yet, ranked by words)."""

    def __init__(self, base, delta, *, mode="hybrid", documents=None, query_vector=None, notice=""):
        self.base = base
        self.delta = delta
        self.mode = mode  # "lexical": an index searched by words only
        self._documents = documents  # ids → {id: Document}, for explanations
        self._query_vector = query_vector  # Query → vector or None (never computed here)
        self.notice = notice  # why this index cannot rank as asked (e.g. no files yet)

    @property
    def effective_mode(self):
        return self.mode

    def __len__(self):
        return self.delta.count

    # the statistics over the build and the delta
    def _df(self, token, term):
        df = 0
        if term >= 0:
            df = self.base.df(term)
            df -= self.delta.removed_terms.get(term, 0)
        extra = self.delta.postings.get(token)
        return df + (len(extra[0]) if extra else 0)

    def _mask(self, query, prefecture, stage, visibility):
        mask = visibility <= VISIBILITY.index(query.visibility)
        if query.stages:
            mask &= np.isin(stage, [STAGES.index(s) for s in query.stages])
        if query.scope != "nationwide" and query.prefecture:
            if query.scope == "same_prefecture":
                mask &= prefecture == int(query.prefecture)
            else:
                block = block_of(query.prefecture)
                lows = 1 + (BLOCK_ENDS[block - 1] if block else 0)
                mask &= (prefecture >= lows) & (prefecture <= BLOCK_ENDS[block])
        return mask

    def masks(self, query):
        base = self.base
        if base is not None and base.count:
            base_mask = self.delta.alive & self._mask(
                query, base.prefecture, base.stage, base.visibility
            )
        else:
            base_mask = np.zeros(0, dtype=bool)
        d = self.delta
        return base_mask, self._mask(query, d.prefecture, d.stage, d.visibility)

    def lexical(self, counts, base_mask, delta_mask, limit=CANDIDATES):
        """The ``limit`` best rows by BM25F over the build's rows and the delta's (rows of the
        delta numbered after the build's), exactly, best first; and the ceiling.

        Every row of a rare term's list is scored. A common term's list is read whole only
        while the sum of what the common terms left could still add (each term's highest
        impact × its weight, ``term_max``) reaches the ``limit``-th best score so far
        (MaxScore); past that, a row can only enter the best through the rare terms, and
        the common terms are looked up for those rows alone."""
        base = self.base
        n_base = base.count if base is not None else 0
        n = self.delta.count
        ceiling = 0.0
        d = self.delta
        delta_scores = np.zeros(len(d), dtype=np.float32)
        terms = []  # (bound, list length, term, factor)
        for token, weight in counts.items():
            term = base.term(token) if base is not None else -1
            df = self._df(token, term)
            if not df:
                continue
            token_idf = idf(n, df)
            ceiling += weight * token_idf * (BM25_K1 + 1)
            if term >= 0:
                size = base.df(term)
                bound = token_idf * weight * float(base.term_max[term])
                terms.append((bound, size, term, token_idf * weight))
            extra = d.postings.get(token)
            if extra:
                rows = np.asarray(extra[0], dtype=np.int64)
                tfs = np.asarray(extra[1], dtype=np.float32)
                delta_scores[rows] += (
                    (token_idf * weight * (BM25_K1 + 1)) * tfs / (tfs + d.norm[rows])
                )
        delta_scores[~delta_mask] = 0
        scores = LexicalScores(self, terms, ceiling)
        if n_base:
            scores.rank_base(base_mask, limit)
        scores.add_delta(n_base, delta_scores, limit)
        return scores

    def semantic(self, vector, base_mask, delta_mask, limit=CANDIDATES):
        """(rows, cosine) of the ``limit`` nearest rows with vectors, among the masked ones
        (exact below EXACT_UP_TO vectors or for a narrow filter; inverted lists above)."""
        parts_rows, parts_scores, parts_positions = [], [], []
        base = self.base
        n_base = base.count if base is not None else 0
        if base is not None and len(base.vec_row):
            lists = len(base.list_offsets) - 1
            allowed = int(np.count_nonzero(base_mask)) if lists else 0
            if not lists or allowed <= EXACT_MASKED:
                if not lists:  # vectors in row order: every allowed one
                    positions = np.flatnonzero(base_mask[base.vec_row])
                else:
                    rows = np.flatnonzero(base_mask)
                    positions = base.row_pos[rows]
                    positions = positions[positions >= 0]
                if len(positions):
                    parts_rows.append(np.asarray(base.vec_row[positions], dtype=np.int64))
                    parts_scores.append(base.similarities(positions, vector))
                    parts_positions.append(np.asarray(positions, dtype=np.int64))
            else:
                share = allowed / n_base
                wanted_rows = PROBE_ROWS / max(share, 0.05)
                closeness = base.centroids @ vector
                order = np.argsort(-closeness)
                sizes = np.diff(base.list_offsets)[order]
                probes = int(np.searchsorted(np.cumsum(sizes), wanted_rows)) + 1
                for k in order[:probes]:
                    start, end = int(base.list_offsets[k]), int(base.list_offsets[k + 1])
                    if start == end:
                        continue
                    rows = np.asarray(base.vec_row[start:end], dtype=np.int64)
                    keep = base_mask[rows]
                    if not keep.any():
                        continue
                    scores = base.similarities(slice(start, end), vector)
                    parts_rows.append(rows[keep])
                    parts_scores.append(scores[keep])
                    parts_positions.append(start + np.flatnonzero(keep))
        d = self.delta
        if d.vectors is not None:
            keep = delta_mask[d.vector_rows]
            if keep.any():
                parts_rows.append(n_base + d.vector_rows[keep])
                parts_scores.append(d.vectors[keep] @ vector)
                parts_positions.append(np.full(int(keep.sum()), -1, dtype=np.int64))
        if not parts_rows:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        rows = np.concatenate(parts_rows)
        scores = np.concatenate(parts_scores).astype(np.float32)
        positions = np.concatenate(parts_positions)
        if base is not None and base.int8 and len(rows):
            # the best by int8, scored again from the float16 copy (the delta's are exact)
            best = (
                np.argpartition(-scores, RESCORED)[:RESCORED]
                if len(scores) > RESCORED
                else np.arange(len(scores))
            )
            again = best[positions[best] >= 0]
            if len(again):
                again = again[np.argsort(positions[again])]
                scores[again] = base.exact_similarities(positions[again], vector)
        return _top(rows, scores, limit)

    def embedded(self, rows):
        """Whether each row has a vector."""
        n_base = self.base.count if self.base is not None else 0
        out = np.zeros(len(rows), dtype=bool)
        for k, row in enumerate(rows):
            if row < n_base:
                out[k] = self.base.row_pos[row] >= 0
            else:
                out[k] = self.delta.documents[row - n_base].vector is not None
        return out

    def id_of(self, row):
        n_base = self.base.count if self.base is not None else 0
        return str(int(self.base.ids[row])) if row < n_base else str(self.delta.ids[row - n_base])

    def match(self, query, top=10, mode=None, query_vector=None, explained=True):
        """The top rows for a query, best first, with explanations (Engine.match's results:
        same signals, fusion, cut-off and explanations)."""
        mode = self.mode if mode is None else mode
        ranking = Ranking()
        ranking.notice = self.notice
        if self.mode == "lexical":
            mode = "lexical"
        vector = None
        if mode in ("semantic", "hybrid"):
            vector = query_vector if query_vector is not None else self._vector(query)
            if vector is None:
                mode = "lexical"
                ranking.notice = ranking.notice or NO_QUERY_VECTOR
        ranking.mode = mode
        query_tokens = tokens_of_fields(query.fields)
        counts: Counter[str] = Counter()
        for token, _surface, _word, weight in query_tokens:
            counts[token] += weight
        base_mask, delta_mask = self.masks(query)
        ranks: dict[str, dict[int, int]] = {}
        lexical_scores = None
        ceiling = 0.0
        if mode in ("lexical", "hybrid"):
            # ranked by words alone, the best ``top`` (and 10 more, for rows deleted since
            # the build) are all a page shows; fused with meaning, the CANDIDATES best count
            limit = CANDIDATES if mode == "hybrid" else min(CANDIDATES, top + 10)
            lexical_scores = self.lexical(counts, base_mask, delta_mask, limit)
            ceiling = lexical_scores.ceiling
            ranks["lexical"] = {int(r): k for k, r in enumerate(lexical_scores.rows, start=1)}
        pending: set[int] = set()
        if vector is not None:
            rows, _scores = self.semantic(np.asarray(vector, np.float32), base_mask, delta_mask)
            ranks["semantic"] = {int(r): k for k, r in enumerate(rows, start=1)}
            if mode == "hybrid":  # rows not embedded yet rank by their words alone
                lexical_rows = list(ranks["lexical"])
                for row, has in zip(lexical_rows, self.embedded(lexical_rows), strict=True):
                    if not has:
                        pending.add(row)
        fused: defaultdict[int, float] = defaultdict(float)
        for signal, ranking_of in ranks.items():
            for row, rank in ranking_of.items():
                fused[row] += 1.0 / (RRF_K + rank)
                if signal == "lexical" and row in pending:
                    fused[row] += 1.0 / (RRF_K + rank)
        ordered = sorted(fused.items(), key=lambda item: (-item[1], self.id_of(item[0])))
        documents: Callable[[list[str]], dict] = self._documents or (lambda ids: {})
        results: list[Result] = []
        shown = 0
        for start in range(0, len(ordered), max(top, 1) + 10):
            if shown >= top:
                break
            batch = ordered[start : start + top + 10]
            found = documents([self.id_of(row) for row, _score in batch])
            words = lexical_scores.of([r for r, _s in batch]) if lexical_scores else {}
            for row, score in batch:
                document = found.get(self.id_of(row))
                if document is None:  # deleted since the build: the next one takes its place
                    continue
                coverage = words[row] / ceiling if lexical_scores is not None and ceiling else 0.0
                signal_ranks = {s: r.get(row) for s, r in ranks.items()}
                if row in pending:
                    signal_ranks.pop("semantic", None)
                explanation = (
                    explain(query_tokens, document, signal_ranks, ranking.notice)
                    if explained
                    else {}
                )
                explanation["coverage"] = round(coverage, 3)
                explanation["weak"] = is_weak(
                    "lexical" if row in pending else mode, score, coverage
                )
                if row in pending:
                    explanation["embedded"] = False
                    explanation["pending_notice"] = NOT_EMBEDDED
                shown += 1
                results.append(
                    Result(document=document, rank=shown, score=round(score, 6),
                           explanation=explanation)
                )  # fmt: skip
                if shown >= top:
                    break
        ranking.extend(results)
        return ranking

    def _vector(self, query):
        return self._query_vector(query) if self._query_vector is not None else None


def _top(rows, scores, limit):
    """The ``limit`` best (rows, scores), best first, ties by row."""
    if len(rows) > limit:
        keep = np.argpartition(-scores, limit)[:limit]
        rows, scores = rows[keep], scores[keep]
    order = np.lexsort((rows, -scores))
    return rows[order], scores[order]


def build_documents(
    store, documents, *, field_weights, vectors=None, vector_dtype=VECTOR_DTYPE, **options
):
    """Build files of documents in memory (ids must be integers): for tests, measurements
    and `renkei match`-like runs on files. ``vectors`` maps id → float32 vector."""
    documents = list(documents)
    by_id = {int(d.id): d for d in documents}
    rows = Rows.of([(int(d.id), 0, d.prefecture, d.stage, d.visibility) for d in documents])
    vectors = vectors or {}
    return build(
        store,
        rows=rows,
        texts=lambda ids: ((i, by_id[i].fields) for i in ids),
        vectors=lambda pairs: {i: vectors[str(i)] for i, _hash in pairs if str(i) in vectors},
        field_weights=field_weights,
        vector_dtype=vector_dtype,
        **options,
    )


def searcher_for_documents(documents, *, field_weights, mode="hybrid", vectors=None):
    """A searcher over documents in memory (no files): everything is the delta. For tests
    and measurements that compare the file index's ranking with the engine's."""
    changed = [
        Changed(id=d.id, updated=0, document=d, vector=(vectors or {}).get(d.id)) for d in documents
    ]
    delta = Delta(None, changed, field_weights)
    by_id = {d.id: d for d in documents}
    return Searcher(
        None, delta, mode=mode, documents=lambda ids: {i: by_id[i] for i in ids if i in by_id}
    )


__all__ = [
    "Base",
    "Changed",
    "Delta",
    "Query",
    "Ranking",
    "Rows",
    "Searcher",
    "build",
    "build_documents",
]
