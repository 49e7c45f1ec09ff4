"""Writes about seeds: a liaison office keeps its organisation's seeds (pages and CSV/XLSX
import, all or nothing); each write is audited and queues the seeds' embeddings."""

from collections import Counter

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from renkei.accounts import audit
from renkei.communities.models import StrategyMarketArea
from renkei.lib import spreadsheets
from renkei.lib.imports import DataImportError, Errors
from renkei.lib.jobs import later
from renkei.matching.forms import SeedForm
from renkei.matching.models import Seed
from renkei.matching.rules import can_manage_seeds
from renkei.regions.models import Prefecture

EMBED_BATCH = 100  # seeds per job: two texts each, 0.05–0.8 s a text, well within the timeout
SEED_COLUMNS = [
    "code",
    "title",
    "summary",
    "problem",
    "advantage",
    "uses",
    "stage",
    "keywords",
    "market_areas",
    "patents",
    "researcher_name",
    "researcher_affiliation",
    "researchmap_id",
    "kaken_id",
    "researcher_email",
    "prefecture",
    "visibility",
]
REQUIRED_SEED_COLUMNS = ["code", "title", "summary", "stage"]


def _require(condition, message=None):
    if not condition:
        raise PermissionDenied(message or _("この操作を行う権限がありません。"))


@transaction.atomic
def save_seed(form, *, by, embed=True):
    """Create or update a seed from a validated SeedForm of the user's organisation; its
    embedding is computed by a background job (``embed=False``: the caller queues it)."""
    organization = form.organization
    _require(can_manage_seeds(by, organization))
    seed = form.instance
    before = audit.snapshot(Seed.objects.get(pk=seed.pk)) if seed.pk else None
    seed = form.save(commit=False)
    seed.organization = organization
    if not seed.pk:
        seed.created_by = by
    if seed.contact_window_id is None:
        seed.contact_window = organization.contact_windows.order_by("-is_primary", "pk").first()
    seed.save()
    form.save_m2m()
    after = audit.snapshot(seed)
    if before is None:
        audit.record(audit.Action.CREATE_SEED, actor=by, target=seed, after=after)
    else:
        old, new = audit.changed_fields(before, after)
        audit.record(audit.Action.UPDATE_SEED, actor=by, target=seed, before=old, after=new)
    if embed:
        later("renkei.matching.jobs.embed_seeds", [seed.pk], group="embeddings")
    return seed


@transaction.atomic
def archive_seed(seed, *, by):
    _require(can_manage_seeds(by, seed.organization))
    seed.archived = True
    seed.save(update_fields=["archived", "updated_at"])
    audit.record(audit.Action.ARCHIVE_SEED, actor=by, target=seed, after={"archived": True})
    return seed


def _choice(value, choices):
    """A choice by its value or its (Japanese) label."""
    for key, label in choices:
        if value in (key, str(label)):
            return key
    return value


def _import_row(row, organization):
    """A SeedForm's data from an import row (labels and names accepted)."""
    data = {column: row.get(column, "") for column in SEED_COLUMNS}
    data["stage"] = _choice(data["stage"], Seed.Stage.choices)
    data["visibility"] = _choice(
        data["visibility"] or "public", Seed._meta.get_field("visibility").choices
    )
    prefecture = data["prefecture"]
    if not prefecture:
        data["prefecture"] = organization.prefecture_id
    else:
        match = Prefecture.objects.filter(code=prefecture.zfill(2)).first() or (
            Prefecture.objects.filter(name=prefecture).first()
        )
        data["prefecture"] = match.pk if match else prefecture
    names = [
        n.strip() for n in data.pop("market_areas").replace(",", "、").split("、") if n.strip()
    ]
    return data, names


def import_seeds(payload, name, *, organization, by):
    """Create or update (by ``code``) the organisation's seeds from CSV/XLSX: every row is
    checked first; one error anywhere and nothing is written."""
    _require(can_manage_seeds(by, organization))
    rows = spreadsheets.read_table(payload, name, REQUIRED_SEED_COLUMNS)
    errors = Errors(name)
    if not rows:
        errors.add(None, "", _("データの行がありません。"))
    areas = {a.name: a for a in StrategyMarketArea.objects.all()}
    areas.update({str(a.number): a for a in areas.values()})
    existing = {s.code: s for s in Seed.objects.filter(organization=organization).exclude(code="")}
    codes = Counter(row.get("code", "") for _line, row in rows)
    forms = []
    for line, row in rows:
        data, names = _import_row(row, organization)
        if codes[data["code"]] > 1:
            errors.add(
                line,
                "code",
                _("番号「%(code)s」がファイル内で重複しています。") % {"code": data["code"]},
            )
            continue
        if not data["code"]:
            errors.add(line, "code", _("取り込みでは番号（code）が必要です。"))
            continue
        unknown = [n for n in names if n not in areas]
        for n in unknown:
            errors.add(line, "market_areas", _("市場領域「%(name)s」はありません。") % {"name": n})
        data["market_areas"] = [areas[n].pk for n in names if n in areas]
        form = SeedForm(data=data, organization=organization, instance=existing.get(data["code"]))
        if not form.is_valid():
            for field, messages in form.errors.items():
                for message in messages:
                    errors.add(line, field if field != "__all__" else "", message)
            continue
        forms.append(form)
    if errors:
        raise DataImportError(errors.items)
    created = updated = 0
    with transaction.atomic():
        saved = []
        for form in forms:
            is_new = form.instance.pk is None
            saved.append(save_seed(form, by=by, embed=False).pk)
            created += is_new
            updated += not is_new
        for start in range(0, len(saved), EMBED_BATCH):  # each job well within its timeout
            batch = saved[start : start + EMBED_BATCH]
            later("renkei.matching.jobs.embed_seeds", batch, group="embeddings")
        audit.record(
            audit.Action.IMPORT_SEEDS,
            actor=by,
            target=organization,
            after={"file": name, "created": created, "updated": updated},
        )
    return created, updated
