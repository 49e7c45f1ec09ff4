"""Rolling the support menu into a new fiscal year (ADR 0008).

``start_rollover`` copies the menu of the published fiscal year into a draft edition: one
``ProgramDraft`` per program, with last year's figures beside each field. The secretariat
edits the drafts (``edit_draft``); ``publish_edition`` writes them all through the
catalogue's one write path (``upsert_programs``) in one transaction, or nothing: each
included program gets the new year's budget line as its headline, and each program left out
leaves the support menu. Until then the catalogue, search, the API and every page show the
published year only.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import ValidationError as PydanticError

from renkei.accounts import audit
from renkei.lib.formats import wareki_fiscal_year
from renkei.programs.actions.catalogue import upsert_programs
from renkei.programs.budget import program_lines
from renkei.programs.models import (
    BudgetLine,
    MenuEdition,
    Program,
    ProgramDraft,
    catalogue_fiscal_year,
)
from renkei.programs.records import BudgetData, ProgramData, dump, program_data

# The fields a draft carries over from the program and the secretariat edits.
COPIED_FIELDS = [
    "name",
    "description",
    "department",
    "for_university",
    "for_company",
    "for_local_government",
    "accepts_new_projects",
    "url",
    "menu_budget_label",
]


def _require_secretariat(user):
    if not (user and user.is_authenticated and user.is_secretariat):
        raise PermissionDenied(_("支援メニューの年度更新は事務局だけが行えます。"))


def menu_programs(fiscal_year):
    """The programs of a fiscal year's menu: those in the support menu, and those with a
    budget line shown for that year (the budget table's own items)."""
    with_lines = [line.program_id for line in program_lines(fiscal_year)]
    return (
        Program.objects.filter(Q(in_support_menu=True) | Q(pk__in=with_lines))
        .select_related("ministry")
        .order_by("menu_order", "code")
    )


def _previous(program, line, fiscal_year):
    """Last year's figures of a program, kept on its draft for comparison."""
    return {
        **{name: getattr(program, name) for name in COPIED_FIELDS},
        "in_support_menu": program.in_support_menu,
        "fiscal_year": fiscal_year,
        "amount_thousand_yen": line.amount_thousand_yen if line else None,
        "is_part_of_larger": line.is_part_of_larger if line else False,
        "budget_kind": line.kind if line else "",
        "budget_source": line.source if line else "",
    }


@transaction.atomic
def start_rollover(fiscal_year, *, by):
    """A draft edition of ``fiscal_year`` with a draft of every program of the published
    menu; refused for a year that has an edition or is not after the published one, and
    while another draft edition is open."""
    _require_secretariat(by)
    current = catalogue_fiscal_year()
    if MenuEdition.objects.filter(fiscal_year=fiscal_year).exists():
        raise ValidationError(
            _("%(fy)sの支援メニューはすでにあります。別の年度を選んでください。")
            % {"fy": wareki_fiscal_year(fiscal_year)}
        )
    if current is not None and fiscal_year <= current:
        raise ValidationError(
            _("%(fy)sは、公開中の支援メニュー（%(current)s）より後の年度ではありません。")
            % {"fy": wareki_fiscal_year(fiscal_year), "current": wareki_fiscal_year(current)}
        )
    open_draft = MenuEdition.objects.drafts().first()
    if open_draft:
        raise ValidationError(
            _("準備中の年度版（%(fy)s）があります。公開するか取りやめてから始めてください。")
            % {"fy": wareki_fiscal_year(open_draft.fiscal_year)}
        )
    if current is not None and not MenuEdition.objects.filter(fiscal_year=current).exists():
        # the menu of the source (令和4年度) becomes an edition of its own, as published
        MenuEdition.objects.create(fiscal_year=current, state=MenuEdition.State.PUBLISHED)
    edition = MenuEdition.objects.create(
        fiscal_year=fiscal_year, state=MenuEdition.State.DRAFT, based_on=current, created_by=by
    )
    lines = {line.program_id: line for line in program_lines(current)} if current else {}
    drafts = []
    for program in menu_programs(current):
        line = lines.get(program.pk)
        drafts.append(
            ProgramDraft(
                edition=edition,
                program=program,
                **{name: getattr(program, name) for name in COPIED_FIELDS},
                is_part_of_larger=line.is_part_of_larger if line else False,
                previous=_previous(program, line, current),
                updated_by=by,
            )
        )
    ProgramDraft.objects.bulk_create(drafts)
    audit.record(
        audit.Action.START_ROLLOVER,
        actor=by,
        target=edition,
        after={"fiscal_year": fiscal_year, "based_on": current, "programs": len(drafts)},
    )
    return edition


@transaction.atomic
def edit_draft(form, *, by):
    """Save a draft's form (a ModelForm of ProgramDraft) while its edition is a draft."""
    _require_secretariat(by)
    draft = form.instance
    if not MenuEdition.objects.filter(pk=draft.edition_id, state=MenuEdition.State.DRAFT).exists():
        raise ValidationError(_("公開済みの年度版は編集できません。"))
    before = audit.snapshot(ProgramDraft.objects.get(pk=draft.pk), form.changed_data)
    draft = form.save(commit=False)
    draft.updated_by = by
    draft.save()
    audit.record(
        audit.Action.EDIT_DRAFT,
        actor=by,
        target=draft,
        before=before,
        after=audit.snapshot(draft, form.changed_data),
    )
    return draft


def _record_of(draft, program, fiscal_year):
    """The program's record as the edition will publish it."""
    record = dump(program_data(program))
    if not draft.included:
        return ProgramData.model_validate({**record, "in_support_menu": False})
    lines = [
        {**line, "is_headline": False} if line["fiscal_year"] == fiscal_year else line
        for line in record["budget_lines"]
        if not (
            line["fiscal_year"] == fiscal_year
            and line["source"] == BudgetLine.Source.MENU
            and line["kind"] == draft.budget_kind
        )
    ]
    lines.append(
        dump(
            BudgetData(
                fiscal_year=fiscal_year,
                kind=draft.budget_kind,
                source=BudgetLine.Source.MENU,
                amount_thousand_yen=draft.amount_thousand_yen,
                is_part_of_larger=draft.is_part_of_larger,
                is_headline=True,
                notes=draft.budget_notes,
            )
        )
    )
    return ProgramData.model_validate(
        {
            **record,
            **{name: getattr(draft, name) for name in COPIED_FIELDS if not name.startswith("for_")},
            "applicant_types": draft.applicant_types,
            "budget_lines": lines,
        }
    )


@transaction.atomic
def publish_edition(edition, *, by):
    """Publish every draft of ``edition`` together, or nothing (a ValidationError lists what
    stops it: a program without its amount, a value the catalogue refuses)."""
    _require_secretariat(by)
    edition = MenuEdition.objects.select_for_update().get(pk=edition.pk)
    if not edition.is_draft:
        raise ValidationError(_("この年度版はすでに公開されています。"))
    drafts = list(edition.drafts.select_related("program"))
    missing = [d.name for d in drafts if not d.ready]
    if missing:
        raise ValidationError(
            _(
                "予算額が入っていない施策があります: %(names)s。"
                "額を入れるか、この年度の支援メニューから外してください。"
            )
            % {"names": "、".join(missing)}
        )
    programs = Program.objects.with_details().in_bulk([d.program_id for d in drafts])
    records, problems = [], []
    for draft in drafts:
        try:
            records.append(_record_of(draft, programs[draft.program_id], edition.fiscal_year))
        except PydanticError as exc:
            problems.append(
                _("%(name)s: %(error)s")
                % {"name": draft.name, "error": "; ".join(e["msg"] for e in exc.errors())}
            )
    if problems:
        raise ValidationError(problems)
    counts = upsert_programs(records, actor=by, source=f"rollover:{edition.fiscal_year}")
    edition.state = MenuEdition.State.PUBLISHED
    edition.published_by = by
    edition.published_at = timezone.now()
    edition.save(update_fields=["state", "published_by", "published_at"])
    audit.record(
        audit.Action.PUBLISH_EDITION,
        actor=by,
        target=edition,
        after={
            "fiscal_year": edition.fiscal_year,
            "included": sum(1 for d in drafts if d.included),
            "left_out": [d.program.code for d in drafts if not d.included],
            **counts,
        },
    )
    return edition


@transaction.atomic
def discard_edition(edition, *, by):
    """Drop a draft edition and its drafts (the catalogue never saw them)."""
    _require_secretariat(by)
    if not edition.is_draft:
        raise ValidationError(_("公開済みの年度版は取りやめられません。"))
    audit.record(
        audit.Action.DISCARD_EDITION,
        actor=by,
        target=edition,
        before={"fiscal_year": edition.fiscal_year, "drafts": edition.drafts.count()},
    )
    edition.delete()
