"""The secretariat's uploads of program lists (CSV, XLSX, JSON) and jGrants responses.

The same validation as `renkei programs import|import-jgrants` (exchange.py, jgrants.py):
every problem of the file is reported by row and column and nothing is written. A valid file
is kept as a ``ProgramUpload`` with a preview of what it changes — each program new, changed
(and which fields) or unchanged — and the catalogue version it was compared with. Applying
writes the new and changed programs in one transaction, and only while the catalogue is
still at that version: a preview older than another write is stale and refused.
"""

import hashlib

from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renkei.accounts import audit
from renkei.programs.actions.catalogue import resolve_ministries, upsert_programs
from renkei.programs.exchange import parse_file
from renkei.programs.jgrants import parse_jgrants
from renkei.programs.models import Program, ProgramUpload
from renkei.programs.records import program_data
from renkei.programs.search.index import current_version

NEW, CHANGED, UNCHANGED = "new", "changed", "unchanged"


def _require_secretariat(user):
    if not (user and user.is_authenticated and user.is_secretariat):
        raise PermissionDenied(_("施策のアップロードは事務局だけが行えます。"))


def parse(kind, data, name):
    """(records, ministries) of an uploaded file, or DataImportError with every problem."""
    if kind == ProgramUpload.Kind.JGRANTS:
        records = parse_jgrants(data, name)
        ministries, _errors = resolve_ministries(records, name)
        return records, ministries
    return parse_file(data, name)


def _strip(value):
    """A record's plain data without its bookkeeping ``line``, lists of records sorted, so
    two records of the same program compare equal whatever the file's order."""
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k != "line"}
    if isinstance(value, list):
        items = [_strip(v) for v in value]
        if items and all(isinstance(v, dict) for v in items):
            return sorted(items, key=repr)
        return items
    return value


def field_label(name):
    """The label of a field of ProgramData: the model's verbose name where there is one."""
    labels = {
        "applicant_types": _("申請主体"),
        "aliases": _("別名"),
        "budget_lines": _("予算額"),
        "contacts": _("連絡先"),
        "call_periods": _("公募"),
        "pathways": _("次の一手"),
        "ministry": _("府省・実施機関"),
    }
    if name in labels:
        return str(labels[name])
    try:
        return str(Program._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:  # a field the model does not have keeps its own name
        return name


def changes(records, ministries):
    """One row per record: {code, name, status, fields}, against the current catalogue."""
    existing = {
        p.code: p for p in Program.objects.with_details().filter(code__in=[r.code for r in records])
    }
    rows = []
    for record in records:
        program = existing.get(record.code)
        if program is None:
            rows.append({"code": record.code, "name": record.name, "status": NEW, "fields": []})
            continue
        new, old = _strip(record.model_dump()), _strip(program_data(program).model_dump())
        ministry = ministries.get(record.ministry)
        new["ministry"] = ministry.pk if ministry else None
        old["ministry"] = program.ministry_id
        if not record.pathways:  # a record without pathways keeps the program's (upsert)
            new["pathways"] = old["pathways"]
        fields = [name for name in new if new[name] != old.get(name)]
        rows.append(
            {
                "code": record.code,
                "name": record.name,
                "status": CHANGED if fields else UNCHANGED,
                "fields": [field_label(f) for f in fields],
            }
        )
    return rows


def _counts(rows):
    return {
        status: sum(1 for r in rows if r["status"] == status)
        for status in (NEW, CHANGED, UNCHANGED)
    }


@transaction.atomic
def preview_upload(kind, data, name, *, by):
    """Validate a whole file and keep it with its preview; DataImportError lists every
    problem and nothing is kept."""
    _require_secretariat(by)
    records, ministries = parse(kind, data, name)
    rows = changes(records, ministries)
    upload = ProgramUpload.objects.create(
        kind=kind,
        name=name[:200],
        content=data,
        sha256=hashlib.sha256(data).hexdigest(),
        catalogue_version=current_version(),
        summary={"counts": _counts(rows), "rows": rows},
        created_by=by,
    )
    audit.record(
        audit.Action.UPLOAD_PROGRAMS,
        actor=by,
        target=upload,
        after={"file": upload.name, "kind": kind, **_counts(rows)},
    )
    return upload


@transaction.atomic
def apply_upload(upload, *, by):
    """Write the new and changed programs of a previewed upload, or refuse: applied or
    discarded already, or stale (the catalogue changed since the preview)."""
    _require_secretariat(by)
    upload = ProgramUpload.objects.select_for_update().get(pk=upload.pk)
    if upload.state != ProgramUpload.State.PREVIEWED:
        raise ValidationError(_("このアップロードはすでに反映したか、取りやめています。"))
    if current_version() != upload.catalogue_version:
        raise ValidationError(
            _(
                "確認した後に支援施策のカタログが変わったため、この確認は古くなりました。もう一度アップロードして、変更内容を確認し直してください。"
            )
        )
    records, ministries = parse(upload.kind, bytes(upload.content), upload.name)
    rows = {row["code"]: row["status"] for row in changes(records, ministries)}
    writes = [r for r in records if rows[r.code] != UNCHANGED]
    counts = {"created": 0, "updated": 0}
    if writes:
        source = (
            f"jgrants:{upload.name}" if upload.kind == ProgramUpload.Kind.JGRANTS else upload.name
        )
        counts = upsert_programs(writes, actor=by, source=source, ministries=ministries)
    upload.state = ProgramUpload.State.APPLIED
    upload.applied_at = timezone.now()
    upload.save(update_fields=["state", "applied_at"])
    return counts


@transaction.atomic
def discard_upload(upload, *, by):
    _require_secretariat(by)
    updated = ProgramUpload.objects.filter(
        pk=upload.pk, state=ProgramUpload.State.PREVIEWED
    ).update(state=ProgramUpload.State.DISCARDED, content=b"")
    if not updated:
        raise ValidationError(_("このアップロードはすでに反映したか、取りやめています。"))
