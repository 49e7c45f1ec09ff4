"""Per-client rate limits for public forms, keyed by an address a client cannot forge
(:func:`renkei.lib.clients.client_address`). IPv6 clients are bucketed by their /64, which
one household or server usually holds whole.
"""

import ipaddress
import time

from django.core.cache import cache

from renkei.lib.clients import client_address

__all__ = ["client_address", "client_key", "hit"]


def client_key(request):
    address = client_address(request)
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def hit(request, scope, *, limit, window):
    """Count one attempt; False once the client has made more than ``limit`` in ``window``
    seconds (a fixed window, shared by every process through the cache)."""
    bucket = int(time.time() // window)
    key = f"renkei:rate:{scope}:{client_key(request)}:{bucket}"
    cache.add(key, 0, timeout=window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 5)
        count = 1
    return count <= limit
