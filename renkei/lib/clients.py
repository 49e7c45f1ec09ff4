"""Who is on the other end of a request: the client's address (one a client cannot forge)
and a short description of their browser, for rate limits, login lockouts, audit rows and
the list of a person's sessions.

The client address is REMOTE_ADDR. ``X-Forwarded-For`` is read only when the request comes
from a proxy listed in ``RENKEI_TRUSTED_PROXIES``, and then from the right: the first
address not itself a trusted proxy is the client (anything further left was written by the
client and may be made up).
"""

import ipaddress

from django.conf import settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def _parse(value: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(address: IPAddress) -> bool:
    return any(address in network for network in settings.RENKEI_TRUSTED_PROXIES)


def client_address(request) -> IPAddress:
    remote = _parse(request.META.get("REMOTE_ADDR", "")) or ipaddress.ip_address("0.0.0.0")  # noqa: S104 - a placeholder for an unreadable address, never bound to  # nosec B104
    if not _trusted(remote):
        return remote
    hops = [_parse(part) for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed(hops):
        if hop is None:
            break  # a malformed entry: trust nothing to its left
        if not _trusted(hop):
            return hop
    return remote


def client_ip(request) -> str:
    """The client address as text (what django-axes and the audit log store)."""
    return str(client_address(request))


# Browser families and systems in the order they must be tested (Edge and Chrome both say
# "Chrome", Chrome and Safari both say "Safari").
_BROWSERS = [
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
]
_SYSTEMS = [
    ("iPhone", "iOS"),
    ("iPad", "iPadOS"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
]


def browser_label(user_agent: str) -> str:
    """「Firefox / Windows」 from a User-Agent header; the header itself when unknown."""
    browser = next((name for mark, name in _BROWSERS if mark in user_agent), "")
    system = next((name for mark, name in _SYSTEMS if mark in user_agent), "")
    if browser and system:
        return f"{browser} / {system}"
    return browser or system or user_agent[:100]
