"""Writing the audit log: one function every action calls inside its transaction."""

import datetime
import decimal
import uuid

from django.db import models

from renkei.accounts.models import AuditAction as Action
from renkei.accounts.models import AuditLog
from renkei.lib import context

__all__ = ["Action", "changed_fields", "record", "snapshot"]


def snapshot(obj, fields=None):
    """A JSON-safe dict of a model instance's concrete fields (and many-to-many ids)."""
    if obj is None:
        return None
    data = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if getattr(field, "auto_now", False) or (not field.editable and field.name != "id"):
            continue  # timestamps and derived columns say nothing about the change
        data[field.name] = _jsonable(field.value_from_object(obj))
    if obj.pk:
        for field in obj._meta.many_to_many:
            if fields is not None and field.name not in fields:
                continue
            data[field.name] = sorted(_jsonable(v.pk) for v in getattr(obj, field.name).all())
    return data


def _jsonable(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if hasattr(value, "name") and hasattr(value, "url"):  # a FieldFile
        return value.name or ""
    return value


def record(
    action,
    *,
    actor=None,
    target=None,
    before=None,
    after=None,
    note="",
    target_type="",
    address=None,
):
    """Append one audit row. Call it inside the transaction that makes the change.

    ``action`` is an :class:`Action`; ``target_type`` names the model when there is no target
    object (a deleted row keeps its own); ``address`` is the client's address where a person
    did it through the portal (:func:`renkei.lib.clients.client_ip`); without it, a row
    written while answering a request (the admin, any action) gets that request's client."""
    action = Action(action)  # ValueError for a name that is not in the enumeration
    address = address or context.client_address()
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditLog.objects.create(
        action=action.value,
        actor=actor,
        actor_label=str(actor) if actor else "system",
        target_type=target._meta.label_lower if target is not None else target_type,
        target_id=str(target.pk) if target is not None and target.pk is not None else "",
        target_label=str(target)[:300] if target is not None else "",
        before=before,
        after=after,
        note=note,
        address=str(address) if address else None,
    )


def changed_fields(before, after):
    """Only the keys whose values differ, as (before, after) dicts, for compact audit rows."""
    before, after = before or {}, after or {}
    keys = [k for k in after if before.get(k) != after.get(k)]
    keys += [k for k in before if k not in after]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}
