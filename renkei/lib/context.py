"""What the current request is, for log lines and audit rows written anywhere below it: its
id, the client's address, the signed-in user's id and the route.

``renkei.portal.middleware.RequestContextMiddleware`` sets these at the start of a request
and clears them at its end; outside a request (commands, background jobs) they are empty.
"""

import contextvars
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class RequestContext:
    request_id: str = ""
    address: str = ""
    user_id: int | None = None
    route: str = ""
    method: str = ""


_EMPTY = RequestContext()
_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "renkei_request", default=None
)


def current() -> RequestContext:
    return _current.get() or _EMPTY


def begin(**values) -> contextvars.Token:
    return _current.set(RequestContext(**values))


def update(**values) -> None:
    _current.set(replace(current(), **values))


def end(token: contextvars.Token) -> None:
    _current.reset(token)


def client_address() -> str | None:
    """The address of the client whose request is being answered, or None outside one."""
    return current().address or None
