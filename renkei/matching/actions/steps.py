"""Appending to a need's history: one step per thing that happened (ADR 0009).

Apps above matching write their part of a need's story (an expert assigned, a consultation
held) through :func:`record_step`, so the need's page tells it in one timeline."""

from django.utils import timezone
from django.utils.translation import gettext as _

from renkei.matching.models import Step


def label_of(by):
    """Who did it, as the history keeps it: a person's name, or what stood for them."""
    if by is None:
        return _("システム")
    if isinstance(by, str):
        return by
    return str(by)


def record_step(
    need,
    kind,
    *,
    proposal=None,
    by=None,
    on=None,
    note="",
    reason="",
    reason_text="",
    outcome="",
    by_organization=False,
):
    """Append one step to ``need``'s history. ``by`` is a User, or a label for someone
    without an account (「相談者」, a window's link). Call inside the action's transaction."""
    user = by if by is not None and not isinstance(by, str) else None
    return Step.objects.create(
        need=need,
        proposal=proposal,
        kind=Step.Kind(kind),
        on=on or timezone.localdate(),
        by=user if user is not None and user.is_authenticated else None,
        by_label=label_of(by)[:200],
        note=note or "",
        reason=reason or "",
        reason_text=reason_text or "",
        outcome=outcome or "",
        by_organization=by_organization,
    )
