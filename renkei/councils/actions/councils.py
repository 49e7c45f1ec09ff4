"""Councils: their pages, members, meetings (minutes, attendance, decisions) and actions."""

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from renkei.accounts import audit
from renkei.accounts.permissions import require
from renkei.councils.models import ActionItem, Attendance, Council, Decision

COUNCIL_FIELDS = [
    "name",
    "purpose",
    "prefecture",
    "municipality",
    "community",
    "organization",
    "established_on",
    "website",
    "is_public",
]


@transaction.atomic
def save_council(form, *, by):
    """Create or update a council from a validated CouncilForm. Whoever saves it must keep it
    afterwards too (through the organisation that runs it, or its community)."""
    council = form.instance
    is_new = council.pk is None
    require(by, "councils.add_council" if is_new else "councils.change_council", council)
    before = None if is_new else audit.snapshot(Council.objects.get(pk=council.pk), COUNCIL_FIELDS)
    council = form.save(commit=False)
    if is_new:
        council.created_by = by
    council.save()
    require(by, "councils.change_council", council)
    after = audit.snapshot(council, COUNCIL_FIELDS)
    if is_new:
        audit.record(audit.Action.CREATE_COUNCIL, actor=by, target=council, after=after)
    else:
        old, new = audit.changed_fields(before, after)
        audit.record(audit.Action.UPDATE_COUNCIL, actor=by, target=council, before=old, after=new)
    return council


@transaction.atomic
def add_council_member(form, *, by):
    member = form.instance
    require(by, "councils.add_councilmember", member.council)
    member = form.save()
    audit.record(
        audit.Action.ADD_COUNCIL_MEMBER,
        actor=by,
        target=member.council,
        after=audit.snapshot(member, ["organization", "sector", "role", "joined_on"]),
    )
    return member


@transaction.atomic
def remove_council_member(member, *, by):
    """Take a member off the council. One who attended meetings or owns action items stays
    on the record: their leaving date is set instead."""
    require(by, "councils.delete_councilmember", member.council)
    before = audit.snapshot(member, ["organization", "sector", "role", "left_on"])
    if member.attendance.exists() or member.action_items.exists():
        member.left_on = member.left_on or timezone.localdate()
        member.save(update_fields=["left_on"])
    else:
        member.delete()
    audit.record(audit.Action.REMOVE_COUNCIL_MEMBER, actor=by, target=member.council, before=before)


@transaction.atomic
def record_meeting(form, *, by):
    """Save a meeting with its attendance, decisions and minutes (text, or a PDF checked by
    its content by the form: anything else never reaches this point)."""
    meeting = form.instance
    council = meeting.council
    require(by, "councils.add_meeting", council)
    upload = form.cleaned_data.get("minutes_upload")
    checked = form.checked_minutes  # (kind, content, sha256), checked by the form
    meeting = form.save(commit=False)
    meeting.created_by = by
    if checked and checked[0] == "text":
        meeting.minutes_text = "\n\n".join(filter(None, [meeting.minutes_text, checked[1]]))
    elif checked:
        meeting.minutes_name = upload.name[-255:]
        meeting.minutes_sha256 = checked[2]
        meeting.minutes_file.save(upload.name, ContentFile(checked[1]), save=False)
    meeting.save()
    attendees = list(form.cleaned_data.get("attendees") or [])
    Attendance.objects.bulk_create(Attendance(meeting=meeting, member=m) for m in attendees)
    decisions = form.decision_lines()
    Decision.objects.bulk_create(
        Decision(meeting=meeting, text=text, order=order) for order, text in enumerate(decisions)
    )
    audit.record(
        audit.Action.RECORD_MEETING,
        actor=by,
        target=meeting,
        after={
            **audit.snapshot(meeting, ["council", "held_on", "title", "is_public"]),
            "attendees": [m.pk for m in attendees],
            "decisions": decisions,
            "minutes": meeting.minutes_sha256 or bool(meeting.minutes_text),
        },
    )
    return meeting


ITEM_FIELDS = ["title", "owner", "due_on", "meeting", "status", "done_on", "evidence"]


@transaction.atomic
def add_action_item(form, *, by):
    item = form.instance
    require(by, "councils.add_actionitem", item.council)
    item = form.save()
    audit.record(
        audit.Action.ADD_ACTION_ITEM, actor=by, target=item, after=audit.snapshot(item, ITEM_FIELDS)
    )
    return item


@transaction.atomic
def update_action_item(form, *, by):
    """Move an action item on (対応中, 完了 with its date and evidence, 取りやめ)."""
    item = form.instance
    require(by, "councils.change_actionitem", item.council)
    before = audit.snapshot(ActionItem.objects.get(pk=item.pk), ITEM_FIELDS)
    item = form.save()
    old, new = audit.changed_fields(before, audit.snapshot(item, ITEM_FIELDS))
    audit.record(audit.Action.UPDATE_ACTION_ITEM, actor=by, target=item, before=old, after=new)
    return item
