"""Per-client rate limits for public forms, keyed by an address a client cannot forge.

The client address is REMOTE_ADDR. ``X-Forwarded-For`` is read only when the request comes
from a proxy listed in ``RENKEI_TRUSTED_PROXIES``, and then from the right: the first
address not itself a trusted proxy is the client (anything further left was written by the
client and may be made up). IPv6 clients are bucketed by their /64, which one household or
server usually holds whole.
"""

import ipaddress
import time

from django.conf import settings
from django.core.cache import cache


def _parse(value):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(address):
    return any(address in network for network in settings.RENKEI_TRUSTED_PROXIES)


def client_address(request):
    remote = _parse(request.META.get("REMOTE_ADDR", "")) or ipaddress.ip_address("0.0.0.0")  # noqa: S104 - a placeholder for an unreadable address, never bound to
    if not _trusted(remote):
        return remote
    hops = [_parse(part) for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed(hops):
        if hop is None:
            break  # a malformed entry: trust nothing to its left
        if not _trusted(hop):
            return hop
    return remote


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
