"""Keeping the search index and the catalogue version in step with every write.

Signals reindex a program when it or its aliases change and bump ``CatalogueVersion`` when
anything the facets read changes (programs, aliases, budget lines, call periods), marking the
program written (``updated_at``) so the catalogue's overlay finds it. Bulk writers wrap
their work in ``deferred_indexing()`` so the index is rebuilt once, in batches, at the end.
Every transaction that changes the catalogue queues, once it commits, one background job
that builds the catalogue files (catalogue.py, jobs.py) and, once programs have vectors, one
that embeds the programs whose text changed (semantic.py).
"""

import secrets
import threading
from contextlib import contextmanager

from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from django.utils import timezone

from renkei.ja import terms
from renkei.lib.jobs import later
from renkei.programs.models import (
    BudgetLine,
    CallPeriod,
    CatalogueVersion,
    Program,
    ProgramAlias,
    ProgramVector,
    SearchDocument,
)
from renkei.programs.search.backends import backend, index_term
from renkei.programs.search.semantic import EMBED_JOB

_state = threading.local()


def field_terms(text):
    """Space-separated index terms of one field (short units, each once)."""
    seen = []
    for term in terms(text, long_units=False):
        term = index_term(term)
        if term and term not in seen:
            seen.append(term)
    return " ".join(seen)


def document_for(program, aliases=None):
    aliases = [a.name for a in program.aliases.all()] if aliases is None else aliases
    return SearchDocument(
        program_id=program.pk,
        name=field_terms(program.name),
        aliases=field_terms(" ".join(aliases)),
        keywords=field_terms(program.keywords),
        department=field_terms(program.department),
        description=field_terms(program.description),
    )


def index_programs(programs):
    """(Re)build the search documents and engine index rows of ``programs``."""
    documents = [document_for(p) for p in programs]
    if not documents:
        return 0
    SearchDocument.objects.filter(program_id__in=[d.program_id for d in documents]).delete()
    SearchDocument.objects.bulk_create(documents)
    with connection.cursor() as cursor:
        backend().index(cursor, documents)
    return len(documents)


def rebuild_search_index(batch_size=1000, progress=None):
    """Rebuild every program's document, in batches, reporting (done, total) as it goes."""
    queryset = Program.objects.prefetch_related("aliases").order_by("pk")
    total = queryset.count()
    with transaction.atomic():
        SearchDocument.objects.all().delete()
        with connection.cursor() as cursor:
            backend().clear(cursor)
        done, last = 0, 0
        while True:
            batch = list(queryset.filter(pk__gt=last)[:batch_size])
            if not batch:
                break
            done += index_programs(batch)
            last = batch[-1].pk
            if progress:
                progress(done, total)
        bump_version()
    # The command waits for its result: the files too, here rather than in a job. Imported
    # here because catalogue.py imports this module.
    from renkei.programs.search.catalogue import build_files

    build_files(force=True)
    return done


VERSION_ROW = 1
# A second row names the database for the catalogue files (catalogue.py): files built from
# another database (another test run, a copy) sharing the directory are never read as ours.
IDENTITY_ROW = 2
BUILD_JOB = "renkei.programs.search.jobs.build_catalogue"


def bump_version():
    """Give the catalogue a new, never-repeated version (a rolled-back write's number must
    not come back for a later write, or a process could keep a stale facet index), and
    queue the build of the catalogue files for when the transaction commits."""
    CatalogueVersion.objects.update_or_create(
        pk=VERSION_ROW, defaults={"version": secrets.randbits(62)}
    )
    queue_build()


def queue_build():
    """Queue one build of the catalogue files per transaction, after it commits."""
    if any(func is _queue_build_now for _sids, func, _robust in connection.run_on_commit):
        return
    transaction.on_commit(_queue_build_now)


def _queue_build_now():
    later(BUILD_JOB)
    # Once programs have vectors (a search asked for 意味の近い支援施策), keep them current;
    # a database never searched that way never loads the model.
    if ProgramVector.objects.exists():
        later(EMBED_JOB, group="embeddings")


def current_version():
    return (
        CatalogueVersion.objects.filter(pk=VERSION_ROW).values_list("version", flat=True).first()
        or 0
    )


def catalogue_state():
    """(version, identity) of the catalogue in one primary-key read (identity None before the
    first build)."""
    rows = dict(
        CatalogueVersion.objects.filter(pk__in=(VERSION_ROW, IDENTITY_ROW)).values_list(
            "pk", "version"
        )
    )
    return rows.get(VERSION_ROW, 0), rows.get(IDENTITY_ROW)


def ensure_identity():
    row, _created = CatalogueVersion.objects.get_or_create(
        pk=IDENTITY_ROW, defaults={"version": secrets.randbits(62)}
    )
    return row.version


@contextmanager
def deferred_indexing():
    """Collect the programs touched inside the block and index them once at its end."""
    outer = getattr(_state, "pending", None)
    if outer is not None:
        yield
        return
    _state.pending = set()
    try:
        yield
        pending = _state.pending
    finally:
        _state.pending = None
    for start in range(0, len(pending), 1000):
        ids = sorted(pending)[start : start + 1000]
        index_programs(Program.objects.filter(pk__in=ids).prefetch_related("aliases"))
    bump_version()


def _changed(program_id, reindex):
    pending = getattr(_state, "pending", None)
    if pending is not None:
        pending.add(program_id)
        return
    if reindex:
        program = Program.objects.filter(pk=program_id).prefetch_related("aliases").first()
        if program is not None:
            index_programs([program])
    bump_version()


def _on_program_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _changed(instance.pk, reindex=True)


def _deleting():
    if not hasattr(_state, "deleting"):
        _state.deleting = set()
    return _state.deleting


def _on_program_deleting(sender, instance, **kwargs):
    """Django sends pre_delete for a program before deleting its aliases and documents, so
    their signals know not to re-index a program that is about to disappear."""
    _deleting().add(instance.pk)


def _on_alias_changed(sender, instance, raw=False, **kwargs):
    if not raw and instance.program_id and instance.program_id not in _deleting():
        _touch(instance.program_id)
        _changed(instance.program_id, reindex=True)


def _touch(program_id):
    """Mark the program written, so the catalogue's overlay reads it again."""
    Program.objects.filter(pk=program_id).update(updated_at=timezone.now())


def _on_detail_changed(sender, instance, raw=False, **kwargs):
    """Budget lines and call periods change what the facets and alerts see."""
    if raw or not instance.program_id or instance.program_id in _deleting():
        return
    _touch(instance.program_id)
    _changed(instance.program_id, reindex=False)


def _on_program_deleted(sender, instance, **kwargs):
    _deleting().discard(instance.pk)
    with connection.cursor() as cursor:
        backend().delete(cursor, [instance.pk])
    bump_version()


def connect():
    post_save.connect(_on_program_saved, sender=Program, dispatch_uid="programs.index.program")
    pre_delete.connect(_on_program_deleting, sender=Program, dispatch_uid="programs.index.deleting")
    post_delete.connect(_on_program_deleted, sender=Program, dispatch_uid="programs.index.delete")
    for model in (ProgramAlias,):
        post_save.connect(
            _on_alias_changed, sender=model, dispatch_uid=f"programs.index.{model.__name__}.save"
        )
        post_delete.connect(
            _on_alias_changed, sender=model, dispatch_uid=f"programs.index.{model.__name__}.delete"
        )
    for model in (BudgetLine, CallPeriod):
        post_save.connect(
            _on_detail_changed, sender=model, dispatch_uid=f"programs.index.{model.__name__}.save"
        )
        post_delete.connect(
            _on_detail_changed, sender=model, dispatch_uid=f"programs.index.{model.__name__}.delete"
        )
