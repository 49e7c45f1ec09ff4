"""What a role is bound to (a community, an organisation) and what an invitation may name
(a certification round), as the apps that own those models tell accounts.

Those models live on floors above accounts, so accounts never imports them: Role and
Invitation name them by string foreign keys and accounts handles their ids. Each owning app
registers a :class:`Binding` here (regions ``organization``, communities ``community`` and
``round``, in their rules.py) saying how one is found by the identifier people type (a
community's slug, an organisation's code), named, listed for a form, and what happens when
an invitation that names one is accepted.
"""

from collections.abc import Callable
from dataclasses import dataclass

FIELDS = ("community", "organization", "round")


@dataclass(frozen=True)
class Binding:
    field: str  # the Role/Invitation field: "community", "organization" or "round"
    find: Callable[[str], int | None]  # identifier people type → id, or None
    name: Callable[[int], str | None]  # id → its name, or None when there is none (any more)
    choices: Callable[[], list[tuple[int, str]]]  # (id, name) for a form's select
    # Run inside accept_invitation's transaction: (the person, the id, the inviter).
    on_accept: Callable[..., None] | None = None


_registry: dict[str, Binding] = {}


def register(binding):
    if binding.field not in FIELDS:
        raise ValueError(binding.field)
    _registry[binding.field] = binding


def get(field):
    """The binding of ``field``; a KeyError names the app that did not register it."""
    try:
        return _registry[field]
    except KeyError:
        raise KeyError(
            f"no binding registered for {field!r} (see renkei/accounts/bindings.py)"
        ) from None


def find(field, identifier):
    identifier = (identifier or "").strip()
    return get(field).find(identifier) if identifier else None


def name(field, pk):
    return get(field).name(pk) if pk else None


def choices(field):
    return get(field).choices()
