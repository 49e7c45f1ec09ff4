"""Background jobs: one call every app uses to run work outside the request (ADR 0006).

``later("renkei.matching.jobs.embed_seeds", [seed.pk])`` queues the job once the current
transaction commits (nothing is queued for a write that rolls back). The queue is django-q2:
jobs live in the database by default and in Redis when ``RENKEI_REDIS_URL`` is set;
`renkei worker` runs them. A failed job is retried and stays visible to the secretariat.
Job functions take plain values (ids, not objects) and must be safe to run twice.
"""

from multiprocessing import Queue, Value
from unittest import mock

from django.db import transaction
from django_q import monitor as monitor_module
from django_q import worker as worker_module
from django_q.brokers import get_broker
from django_q.monitor import monitor
from django_q.signing import SignedPackage
from django_q.tasks import async_task
from django_q.worker import worker


def later(function_path, *args, group=None, **kwargs):
    """Queue ``function_path(*args, **kwargs)`` after commit (at once outside a transaction)."""
    options = {"group": group} if group else {}
    transaction.on_commit(lambda: async_task(function_path, *args, **options, **kwargs))


def run_queued():
    """Run the jobs waiting in the queue here and now, one attempt each, as `renkei worker`
    would (results and failures recorded the same way). For tests, and for an operator
    without a worker at hand. Returns how many ran."""
    broker = get_broker()
    ran = 0
    # A worker process closes its database connections between jobs; here they are the
    # caller's (and, in tests, inside its transaction), so they stay open.
    with (
        mock.patch.object(worker_module, "close_old_django_connections"),
        mock.patch.object(monitor_module, "close_old_django_connections"),
    ):
        while broker.queue_size() and (batch := broker.dequeue()):
            ran += _run(batch, broker)
    return ran


def _run(batch, broker):
    """One batch through a worker and a monitor in this process, as the cluster runs it."""
    tasks: Queue = Queue()
    results: Queue = Queue()
    for ack_id, payload in batch:
        task = SignedPackage.loads(payload)
        task["ack_id"] = ack_id
        tasks.put(task)
    tasks.put("STOP")
    worker(tasks, results, Value("f", -1))
    results.put("STOP")
    monitor(results, broker)
    return len(batch)
