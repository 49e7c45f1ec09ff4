"""Writes about contribution records: registering a researcher, their consent to publish,
their council roles. Each checks permission, writes in one transaction and is audited."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renkei.accounts import audit
from renkei.contributions.rules import is_the_researcher, keeps


def _require(condition, message=None):
    if not condition:
        raise PermissionDenied(message or _("この操作を行う権限がありません。"))


@transaction.atomic
def register_researcher(form, *, by):
    """The liaison office registers one of its researchers (or corrects the entry)."""
    researcher = form.save(commit=False)
    _require(
        keeps(by, researcher.organization_id),
        _("研究者を登録できるのは、その機関の産学連携担当者と事務局です。"),
    )
    created = researcher.pk is None
    if created:
        researcher.created_by = by
    researcher.full_clean()
    researcher.save()
    audit.record(
        audit.Action.REGISTER_RESEARCHER,
        actor=by,
        target=researcher,
        after=audit.snapshot(researcher, ["organization", "name", "researchmap_id", "kaken_id"]),
        note="" if created else "update",
    )
    return researcher


@transaction.atomic
def set_public(researcher, public, *, by):
    """Only the researcher decides whether their record is public."""
    _require(
        is_the_researcher(by, researcher),
        _("記録を公開するかどうかは、研究者本人だけが決められます。"),
    )
    researcher.public_since = timezone.now() if public else None
    researcher.save(update_fields=["public_since"])
    audit.record(
        audit.Action.PUBLISH_RECORD, actor=by, target=researcher, after={"public": bool(public)}
    )
    return researcher


@transaction.atomic
def add_council_role(researcher, form, *, by):
    _require(keeps(by, researcher) or is_the_researcher(by, researcher))
    role = form.save(commit=False)
    if role.until and role.until < role.since:
        raise ValidationError({"until": _("退任日は就任日より後にしてください。")})
    role.researcher = researcher
    role.recorded_by = by
    role.save()
    audit.record(
        audit.Action.ADD_COUNCIL_ROLE,
        actor=by,
        target=researcher,
        after={"council": role.council_id, "role": role.role, "since": role.since.isoformat()},
    )
    return role
