"""Background jobs: one call every app uses to run work outside the request (ADR 0006).

``later("renkei.matching.jobs.embed_seed", seed.pk)`` queues the job once the current
transaction commits (nothing is queued for a write that rolls back). The queue is django-q2:
jobs live in the database by default and in Redis when ``RENKEI_REDIS_URL`` is set; a failed
job is retried and stays visible to the secretariat. Job functions take plain values (ids,
not objects) and must be safe to run twice.
"""

from django.db import transaction
from django_q.tasks import async_task


def later(function_path, *args, group=None, **kwargs):
    """Queue ``function_path(*args, **kwargs)`` after commit (at once outside a transaction)."""
    options = {"group": group} if group else {}
    transaction.on_commit(lambda: async_task(function_path, *args, **options, **kwargs))
