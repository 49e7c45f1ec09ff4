"""The portal's public address when nobody configured one (pure; used by the settings)."""

import socket

EVERY_INTERFACE = {"", "0.0.0.0", "::", "[::]"}  # noqa: S104 - names compared, nothing bound  # nosec B104


def site_url(host, port, *, scheme="http"):
    """``http://host:port`` as a browser on another machine would open it: a server that
    listens on every interface is reached by the machine's name, an IPv6 address is
    bracketed and the scheme's own port is left out.

    >>> site_url("127.0.0.1", 8000)
    'http://127.0.0.1:8000'
    """
    host = str(host).strip()
    if host in EVERY_INTERFACE:
        host = socket.gethostname() or "localhost"  # no DNS lookup at start-up
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    port = str(port).strip()
    default = {"http": "80", "https": "443"}.get(scheme)
    return f"{scheme}://{host}" + ("" if not port or port == default else f":{port}")
