"""Writes of the matching app: needs from the public form, seeds from liaison offices, and
the matches coordinators follow up. Each checks permission, writes in one transaction and
appends an audit row."""

import hashlib
import secrets
from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renkei.accounts import audit
from renkei.accounts.models import User
from renkei.communities.models import Community, StrategyMarketArea
from renkei.communities.rules import coordinated_community_ids
from renkei.lib import spreadsheets
from renkei.lib.formats import fiscal_year_of
from renkei.lib.imports import DataImportError, Errors
from renkei.lib.jobs import later
from renkei.matching.forms import SeedForm
from renkei.matching.models import MatchRecord, Need, Seed
from renkei.matching.rules import can_manage_seeds, is_coordinator
from renkei.maturity.actions import record_counted_values
from renkei.notifications import tell
from renkei.notifications.actions import Address
from renkei.notifications.models import Kind
from renkei.regions.models import Prefecture

CONFIRM_WITHIN = timedelta(hours=72)
EMBED_BATCH = 100  # seeds per job: two texts each, 0.05–0.8 s a text, well within the timeout
# What the audit log keeps of a need: never the submitter's e-mail, phone or name.
NEED_AUDIT_FIELDS = ["title", "prefecture", "submitter_kind", "status", "community"]
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
    "prefecture",
    "visibility",
]
REQUIRED_SEED_COLUMNS = ["code", "title", "summary", "stage"]


def _require(condition, message=None):
    if not condition:
        raise PermissionDenied(message or _("この操作を行う権限がありません。"))


def _token_hash(token):
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


# --- needs --------------------------------------------------------------------------------


@transaction.atomic
def submit_need(data, *, now=None):
    """Save a need from the public form (unconfirmed) and mail its confirmation link.

    ``data`` is the form's cleaned data; consent must be given. Returns the need."""
    now = now or timezone.now()
    if not data.get("consent"):
        raise ValidationError({"consent": _("個人情報の取扱いへの同意が必要です。")})
    fields = {k: v for k, v in data.items() if k not in {"consent", "website"}}
    need = Need(**fields, consent_at=now, status=Need.Status.UNCONFIRMED)
    token = secrets.token_urlsafe(32)
    need.confirm_token_hash = _token_hash(token)
    need.full_clean()
    need.save()
    audit.record(
        audit.Action.SUBMIT_NEED, target=need, after=audit.snapshot(need, NEED_AUDIT_FIELDS)
    )
    tell(
        Kind.NEED_STATUS,
        [submitter(need, language=translation.get_language() or settings.LANGUAGE_CODE)],
        gettext_lazy("【renkei】ご相談の受付確認のお願い"),
        "matching/email/confirm.txt",
        {
            "need": need,
            "hours": int(CONFIRM_WITHIN.total_seconds() // 3600),
            "link_intro": gettext_lazy("受付を確定するページ:"),
        },
        link=reverse("matching:need_confirm", args=[token]),
    )
    return need


def submitter(need, language=""):
    """The person who submitted ``need`` (no account: their address on the need)."""
    return Address(need.email, name=need.submitter_name, language=language)


def need_for_token(token):
    need = Need.objects.filter(confirm_token_hash=_token_hash(token)).first() if token else None
    if need is None:
        raise ValidationError(
            _("この確認リンクは無効です。メールに書かれたリンクをそのまま開いてください。")
        )
    return need


@transaction.atomic
def confirm_need(token, *, now=None):
    """Confirm the e-mail address: the need enters the coordinators' queue. Confirming
    twice changes nothing; a link older than 72 hours has expired."""
    now = now or timezone.now()
    need = need_for_token(token)
    need = Need.objects.select_for_update().get(pk=need.pk)
    if need.confirmed_at:
        return need
    if now - need.created_at > CONFIRM_WITHIN:
        raise ValidationError(
            _("確認の期限（%(hours)s時間）を過ぎました。お手数ですが、もう一度ご相談ください。")
            % {"hours": int(CONFIRM_WITHIN.total_seconds() // 3600)}
        )
    need.confirmed_at = now
    need.status = Need.Status.QUEUED
    need.save(update_fields=["confirmed_at", "status", "updated_at"])
    audit.record(audit.Action.CONFIRM_NEED, target=need, after={"status": need.status})
    communities = Community.objects.filter(prefectures=need.prefecture_id)
    recipients = [u for c in communities for u in User.objects.coordinators_of(c)] or list(
        User.objects.secretariat()
    )
    tell(
        Kind.NEED_QUEUE,
        recipients,
        gettext_lazy("【renkei】新しいご相談（ニーズ）が届きました"),
        "matching/email/need_queued.txt",
        {"need": need},
        link=need.get_absolute_url(),
    )
    tell(
        Kind.NEED_STATUS,
        [submitter(need)],
        gettext_lazy("【renkei】ご相談「%(title)s」を受け付けました"),
        "matching/email/need_received.txt",
        {"title": need.title, "need": need},
        link=need.get_absolute_url(),
    )
    later("renkei.matching.jobs.embed_needs", [need.pk], group="embeddings")
    return need


def _coordinator_community(user):
    ids = coordinated_community_ids(user)
    return Community.objects.filter(pk=ids[0]).first() if ids else None


@transaction.atomic
def take_need(need, *, by):
    """A coordinator takes a need on: it is theirs (and their community's) to follow up."""
    _require(is_coordinator(by))
    _require(need.confirmed_at is not None, _("メール確認の済んでいないニーズです。"))
    before = audit.snapshot(need, ["assigned_to", "community", "status"])
    need.assigned_to = by
    need.community = need.community or _coordinator_community(by)
    if need.status == Need.Status.QUEUED:
        need.status = Need.Status.IN_PROGRESS
    need.save(update_fields=["assigned_to", "community", "status", "updated_at"])
    audit.record(
        audit.Action.TAKE_NEED,
        actor=by,
        target=need,
        before=before,
        after=audit.snapshot(need, ["assigned_to", "community", "status"]),
    )
    if before["assigned_to"] != by.pk:
        tell(
            Kind.NEED_STATUS,
            [submitter(need)],
            gettext_lazy("【renkei】ご相談「%(title)s」の担当コーディネーターが決まりました"),
            "matching/email/need_taken.txt",
            {"title": need.title, "need": need, "coordinator": by},
            link=need.get_absolute_url(),
        )
    return need


@transaction.atomic
def set_need_status(need, status, *, by):
    _require(is_coordinator(by))
    if status not in Need.Status.values or status == Need.Status.UNCONFIRMED:
        raise ValidationError({"status": _("この状態には変更できません。")})
    _require(need.confirmed_at is not None, _("メール確認の済んでいないニーズです。"))
    before = need.status
    need.status = status
    need.save(update_fields=["status", "updated_at"])
    audit.record(
        audit.Action.SET_NEED_STATUS,
        actor=by,
        target=need,
        before={"status": before},
        after={"status": status},
    )
    if status != before:
        tell(
            Kind.NEED_STATUS,
            [submitter(need)],
            gettext_lazy("【renkei】ご相談「%(title)s」の状況が変わりました"),
            "matching/email/need_status.txt",
            {"title": need.title, "need": need},
            # a closed need leaves the public pages
            link="" if status == Need.Status.CLOSED else need.get_absolute_url(),
        )
    return need


@transaction.atomic
def record_match(need, seed, *, by, status, agreement="", agreed_on=None, note="", today=None):
    """Record where the follow-up of one seed for one need stands. An agreement counts
    toward the community's automatic maturity indicator (renkei_matches) at once."""
    _require(is_coordinator(by))
    _require(need.confirmed_at is not None, _("メール確認の済んでいないニーズです。"))
    if status == MatchRecord.Status.AGREED:
        if not agreement:
            raise ValidationError({"agreement": _("合意の内容を選んでください。")})
        agreed_on = agreed_on or today or timezone.localdate()
    else:
        agreement, agreed_on = "", None
    record = MatchRecord.objects.filter(need=need, seed=seed).first()
    before = audit.snapshot(record) if record else None
    community = need.community or _coordinator_community(by)
    if record is None:
        record = MatchRecord(need=need, seed=seed, created_by=by)
    record.status, record.agreement, record.agreed_on = status, agreement, agreed_on
    record.note = note
    record.community = record.community or community
    record.full_clean()
    record.save()
    if status == MatchRecord.Status.AGREED and need.status != Need.Status.MATCHED:
        need.status = Need.Status.MATCHED
        need.save(update_fields=["status", "updated_at"])
    audit.record(
        audit.Action.RECORD_MATCH,
        actor=by,
        target=record,
        before=before,
        after=audit.snapshot(record),
    )
    if record.community_id and (
        status == MatchRecord.Status.AGREED or (before or {}).get("status") == "agreed"
    ):
        report_agreements(record.community, by=by)
    if status != (before or {}).get("status"):
        _tell_about_match(record, by)
    return record


def seed_organization(seed):
    """Who hears about a seed of an organisation: its members with an account, or else the
    address of the seed's contact window."""
    people = list(User.objects.members_of(seed.organization))
    if not people and seed.contact_window and seed.contact_window.email:
        people = [Address(seed.contact_window.email)]
    return people


def _tell_about_match(record, by):
    """The seed's organisation hears of every step of its seed for a need; the submitter of
    the need hears of an introduction and of an agreement."""
    context = {
        "need": record.need,
        "seed": record.seed,
        "record": record,
        "coordinator": by,
        "title": record.seed.title,
    }
    tell(
        Kind.SEED_PROPOSAL,
        seed_organization(record.seed),
        gettext_lazy("【renkei】シーズ「%(title)s」: %(status)s"),
        "matching/email/match_for_seed.txt",
        {**context, "status": record.get_status_display()},
        link=record.need.get_absolute_url(),
    )
    if record.status in (MatchRecord.Status.PROPOSED, MatchRecord.Status.AGREED):
        tell(
            Kind.NEED_STATUS,
            [submitter(record.need)],
            gettext_lazy("【renkei】ご相談「%(title)s」の進み具合のお知らせ"),
            "matching/email/match_for_submitter.txt",
            {**context, "title": record.need.title},
            link=record.need.get_absolute_url(),
        )


def report_agreements(community, *, by=None):
    """Tell maturity how many agreements the community reached through renkei, per fiscal
    year (its automatic indicator counts them)."""
    days = (
        MatchRecord.objects.agreed().filter(community=community).values_list("agreed_on", flat=True)
    )
    counts = Counter(fiscal_year_of(day) for day in days)
    record_counted_values("matching", community, counts, by=by)


# --- seeds --------------------------------------------------------------------------------


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
