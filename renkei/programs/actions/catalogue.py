"""Writes to the catalogue and to users' saved searches and followed programs: each is one
transaction with one audit row."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renkei.accounts import audit
from renkei.lib.imports import Errors
from renkei.programs.models import (
    BudgetLine,
    CallPeriod,
    Program,
    ProgramAlias,
    ProgramContact,
    ProgramRelation,
    SavedProgram,
    SavedSearch,
)
from renkei.programs.records import program_values
from renkei.programs.search.index import deferred_indexing
from renkei.regions.models import ContactWindow, Organization


def resolve_ministries(records, source, errors=None):
    """code/name → Organization for every record's ministry; unknown ones are row errors."""
    errors = errors if errors is not None else Errors(source)
    names = {r.ministry for r in records if r.ministry}
    found = {}
    for organization in Organization.objects.filter(code__in=names):
        found[organization.code] = organization
    for organization in Organization.objects.filter(name__in=names, is_active=True):
        found.setdefault(organization.name, organization)
    for record in records:
        if record.ministry and record.ministry not in found:
            errors.add(
                record.line,
                "ministry",
                _("府省「%(m)s」が見つかりません（コード mext 等か名称で指定）。")
                % {"m": record.ministry},
            )
    return found, errors


def _window(ministry, contact, source):
    window, _created = ContactWindow.objects.get_or_create(
        organization=ministry,
        department=contact.department,
        phone=contact.phone,
        email=contact.email,
        defaults={"extension": contact.extension, "source": source},
    )
    return window


def _save_one(record, ministry):
    fields = program_values(record, ministry)
    program, created = Program.objects.update_or_create(code=record.code, defaults=fields)
    if not created:
        program.aliases.all().delete()
        program.budget_lines.all().delete()
        program.contacts.all().delete()
        program.call_periods.all().delete()
    ProgramAlias.objects.bulk_create(
        ProgramAlias(program=program, **a.model_dump(exclude={"line"})) for a in record.aliases
    )
    BudgetLine.objects.bulk_create(
        BudgetLine(program=program, **b.model_dump(exclude={"line"})) for b in record.budget_lines
    )
    CallPeriod.objects.bulk_create(
        CallPeriod(program=program, **c.model_dump(exclude={"line"})) for c in record.call_periods
    )
    for order, contact in enumerate(record.contacts):
        if ministry is None:
            continue
        ProgramContact.objects.create(
            program=program,
            contact_window=_window(ministry, contact, record.source_reference),
            label=contact.label,
            order=order,
        )
    return created


def check_pathways(records, source, errors=None):
    """Every pathway must point at a program of the file or of the catalogue."""
    errors = errors if errors is not None else Errors(source)
    targets = {p.to for r in records for p in r.pathways}
    known = {r.code for r in records} | set(
        Program.objects.filter(code__in=targets).values_list("code", flat=True)
    )
    for record in records:
        for pathway in record.pathways:
            if pathway.to not in known:
                errors.add(
                    record.line,
                    "pathways",
                    _("次の一手の施策コード「%(c)s」がありません。") % {"c": pathway.to},
                )
    return errors


def _save_pathways(records):
    codes = {r.code for r in records}
    ids = dict(
        Program.objects.filter(
            code__in=codes | {p.to for r in records for p in r.pathways}
        ).values_list("code", "pk")
    )
    ProgramRelation.objects.filter(from_program_id__in=[ids[c] for c in codes]).delete()
    ProgramRelation.objects.bulk_create(
        ProgramRelation(
            from_program_id=ids[record.code],
            to_program_id=ids[pathway.to],
            kind=pathway.kind,
            reason=pathway.reason,
            order=order,
        )
        for record in records
        for order, pathway in enumerate(record.pathways)
    )


def upsert_programs(records, *, actor=None, source="import", ministries=None):
    """Create or replace programs by their stable code, in one transaction.

    A program already in the catalogue gets the record's values and its aliases, budget
    lines, contacts and call periods are replaced by the record's; so are its pathways when
    the record lists any. Pathways pointing at it and users' saved programs are kept. One
    audit row records the whole write.
    """
    if ministries is None:
        ministries, errors = resolve_ministries(records, source)
        check_pathways(records, source, errors).raise_if_any()
    created = updated = 0
    with transaction.atomic(), deferred_indexing():
        for record in records:
            if _save_one(record, ministries.get(record.ministry)):
                created += 1
            else:
                updated += 1
        if any(r.pathways for r in records):
            _save_pathways([r for r in records if r.pathways])
        counts = {"created": created, "updated": updated}
        audit.record(
            audit.Action.IMPORT_PROGRAMS,
            actor=actor,
            after={**counts, "codes": [r.code for r in records][:1000]},
            note=str(source),
        )
    return counts


# --- a user's saved searches and followed programs ------------------------------------------


@transaction.atomic
def save_search(user, params, name, *, now=None):
    """Keep a navigator search for ``user``; alerts report what changes from ``now`` on."""
    saved_search = SavedSearch.objects.create(
        user=user,
        name=name,
        query=params.model_dump(mode="json", exclude={"page", "page_size"}),
        last_notified_at=now or timezone.now(),
    )
    audit.record(
        audit.Action.SAVE_SEARCH, actor=user, target=saved_search, after=saved_search.query
    )
    return saved_search


@transaction.atomic
def delete_saved_search(saved_search, *, by):
    audit.record(
        audit.Action.DELETE_SAVED_SEARCH, actor=by, target=saved_search, before=saved_search.query
    )
    saved_search.delete()


@transaction.atomic
def follow_program(user, program):
    """Follow a program (reminders before its calls close); True if it was not followed yet."""
    _saved, created = SavedProgram.objects.get_or_create(user=user, program=program)
    if created:
        audit.record(audit.Action.FOLLOW_PROGRAM, actor=user, target=program)
    return created


@transaction.atomic
def unfollow_program(user, program):
    """Stop following a program; True if it was followed."""
    deleted, _rows = SavedProgram.objects.filter(user=user, program=program).delete()
    if deleted:
        audit.record(audit.Action.UNFOLLOW_PROGRAM, actor=user, target=program)
    return bool(deleted)
