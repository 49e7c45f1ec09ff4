"""Writes about seeds: a liaison office keeps its organisation's seeds (pages and CSV/XLSX
import, all or nothing); each write is audited and queues the seeds' embeddings."""

import re
import unicodedata
from collections import Counter

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from renkei.accounts import audit
from renkei.communities.models import StrategyMarketArea
from renkei.lib import spreadsheets
from renkei.lib.imports import DataImportError, Errors, Headers
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
# The Japanese header of each column, as the template writes it (a required column is
# marked （必須） there; the mark, width and spaces do not matter on import). Headers are a
# file's format, not text of a page: the same in every language, and the English names are
# accepted as well.
SEED_HEADERS = {
    "code": ["番号"],
    "title": ["名称"],
    "summary": ["概要"],
    "problem": ["解決する課題"],
    "advantage": ["従来技術に対する優位性"],
    "uses": ["想定される用途"],
    "stage": ["開発段階"],
    "keywords": ["キーワード"],
    "market_areas": ["市場領域"],
    "patents": ["知的財産"],
    "researcher_name": ["研究者名"],
    "researcher_affiliation": ["研究者の所属"],
    "researchmap_id": ["researchmap ID"],
    "kaken_id": ["KAKEN 研究者番号"],
    "researcher_email": ["研究者のメールアドレス"],
    "prefecture": ["都道府県"],
    "visibility": ["公開範囲"],
}
# The template's example row: a seed as a liaison office would write it. Left in a file, it
# is refused (by its number) rather than imported.
SEED_EXAMPLE = {
    "code": "記入例-001",
    "title": "消化汚泥からのリン回収技術",
    "summary": "下水処理場の消化汚泥からリンを結晶として回収し、肥料の原料にする技術です。",
    "problem": "輸入に頼るリン肥料の価格高騰",
    "advantage": "薬品を使わず、回収したリンをそのまま肥料にできる",
    "uses": "下水処理場、肥料メーカー",
    "stage": "実証",
    "keywords": "リン回収、下水汚泥、肥料",
    "market_areas": "4、生活習慣改善ヘルスケア、機能性食品、デジタルヘルス",
    "patents": "特許第1234567号",
    "researcher_name": "長岡 太郎",
    "researcher_affiliation": "工学研究科",
    "researchmap_id": "",
    "kaken_id": "",
    "researcher_email": "",
    "prefecture": "新潟県",
    "visibility": "公開",
}


def seed_template_header():
    """The template's header row: Japanese, required columns marked."""
    return [
        SEED_HEADERS[c][0] + ("（必須）" if c in REQUIRED_SEED_COLUMNS else "")
        for c in SEED_COLUMNS
    ]


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
    return data, data.pop("market_areas")


def _area_key(text):
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).casefold()


def market_area_names():
    """{how a market area may be written: the area}: its number (1, １, ①), name, code and
    the site's 「5. name」, compared without width, case or spaces."""
    keys = {}
    for area in StrategyMarketArea.objects.all():
        for text in (str(area.number), area.name, area.code, str(area)):
            keys[_area_key(text)] = area
    return keys


# What separates market areas in a cell. 「、」 separates them too, but one area's name has
# 「、」 inside it (5. 生活習慣改善ヘルスケア、機能性食品、デジタルヘルス): pieces are joined back
# when together they name an area.
_AREA_SEPARATORS = re.compile(r"[,，、;；\n|｜/／]")


def parse_market_areas(text, keys):
    """(areas, pieces not understood) of a cell: areas by number, name or both, separated by
    「、」 commas, semicolons, slashes or line breaks, longest name first."""
    pieces = [p.strip() for p in _AREA_SEPARATORS.split(text or "") if p.strip()]
    areas, unknown = [], []
    start = 0
    while start < len(pieces):
        for end in range(len(pieces), start, -1):
            area = keys.get(_area_key("、".join(pieces[start:end])))
            if area is not None:
                if area not in areas:
                    areas.append(area)
                start = end
                break
        else:
            unknown.append(pieces[start])
            start += 1
    return areas, unknown


def import_seeds(payload, name, *, organization, by):
    """Create or update (by ``code``) the organisation's seeds from CSV/XLSX: every row is
    checked first; one error anywhere and nothing is written. Headers in Japanese (the
    template's) or English; a CSV in UTF-8 or Shift_JIS (CP932, as Excel saves it)."""
    _require(can_manage_seeds(by, organization))
    headers = Headers(SEED_HEADERS)
    rows = spreadsheets.read_table(
        payload, name, REQUIRED_SEED_COLUMNS, headers=headers, excel=True
    )
    errors = Errors(name)

    def add(line, column, message):
        errors.add(line, headers.label(column) if column else "", message)

    if not rows:
        add(None, "", _("データの行がありません。"))
    areas = market_area_names()
    existing = {s.code: s for s in Seed.objects.filter(organization=organization).exclude(code="")}
    codes = Counter(row.get("code", "") for _line, row in rows)
    forms = []
    for line, row in rows:
        data, area_text = _import_row(row, organization)
        if data["code"] == SEED_EXAMPLE["code"]:
            add(
                line,
                "code",
                _("ひな形の記入例の行です。消すか、書き換えてから取り込んでください。"),
            )
            continue
        if codes[data["code"]] > 1:
            add(
                line,
                "code",
                _("番号「%(code)s」がファイル内で重複しています。") % {"code": data["code"]},
            )
            continue
        if not data["code"]:
            add(line, "code", _("取り込みでは番号（code）が必要です。"))
            continue
        found, unknown = parse_market_areas(area_text, areas)
        for n in unknown:
            add(
                line,
                "market_areas",
                _(
                    "市場領域「%(name)s」はありません。番号（1〜9）か、サイトに表示される名称で"
                    "書いてください。"
                )
                % {"name": n},
            )
        data["market_areas"] = [a.pk for a in found]
        form = SeedForm(data=data, organization=organization, instance=existing.get(data["code"]))
        if not form.is_valid():
            for field, messages in form.errors.items():
                for message in messages:
                    add(line, field if field != "__all__" else "", message)
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
