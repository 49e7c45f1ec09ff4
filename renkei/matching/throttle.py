"""Per-client rate limits for public forms and the API, keyed by an address a client cannot
forge (:func:`renkei.lib.clients.client_address`). IPv6 clients are bucketed by their /64,
which one household or server usually holds whole.

The count is atomic, so parallel requests cannot slip past the limit: with Redis
(``RENKEI_REDIS_URL``) it is Redis' INCR; with the default file cache, which reads and writes
a file without a lock, the read-increment-write holds an exclusive lock on the counter's
file (``fcntl.flock``: every process of the one machine that cache serves); the in-memory
cache of tests takes its own lock.
"""

import fcntl
import ipaddress
import os
import time
import zlib
from contextlib import contextmanager

from django.core.cache import caches
from django.core.cache.backends.filebased import FileBasedCache

from renkei.lib.clients import client_address

__all__ = ["client_address", "client_key", "count", "hit"]


def client_key(request):
    address = client_address(request)
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


@contextmanager
def _locked(cache, key):
    """An exclusive lock for ``key`` across the processes sharing the file cache (one of 64
    lock files beside the cache's, chosen by the key, so they do not pile up)."""
    os.makedirs(cache._dir, exist_ok=True)
    path = os.path.join(cache._dir, f"rate-{zlib.crc32(key.encode()) % 64}.lock")
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _increment(key, timeout):
    """Add one to the counter at ``key`` (created at 1) and return it, atomically."""
    cache = caches["default"]
    if isinstance(cache, FileBasedCache):
        with _locked(cache, key):
            value = (cache.get(key) or 0) + 1
            cache.set(key, value, timeout=timeout)
            return value
    if cache.add(key, 1, timeout=timeout):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 0, timeout=timeout)
        return cache.incr(key)


def _key(request, scope, window):
    bucket = int(time.time() // window)
    return f"renkei:rate:{scope}:{client_key(request)}:{bucket}"


def hit(request, scope, *, limit, window):
    """Count one attempt; False once the client has made more than ``limit`` in ``window``
    seconds (a fixed window, shared by every process through the cache)."""
    return _increment(_key(request, scope, window), window + 5) <= limit


def count(request, scope, *, window):
    """How many attempts the client made in the current window (nothing is counted)."""
    return caches["default"].get(_key(request, scope, window)) or 0
