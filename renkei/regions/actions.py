"""Writes of regions: contact windows kept by their organisations and verified by the
secretariat. Each checks permission, writes in one transaction and appends one audit row."""

import datetime
import re
from collections import Counter

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renkei.accounts import audit
from renkei.accounts.models import User
from renkei.accounts.permissions import require
from renkei.lib import spreadsheets
from renkei.lib.imports import DataImportError, Errors
from renkei.notifications import tell
from renkei.notifications.models import Kind
from renkei.regions.forms import WindowForm
from renkei.regions.models import ContactWindow, Language, Organization, Topic, WindowTopic
from renkei.regions.rules import can_keep_windows

# What a change to re-verify: the ways to reach the window. A new hours line does not.
CONTACT_FIELDS = ["department", "phone", "extension", "email", "form_url", "url"]
WINDOW_COLUMNS = [
    "organization",
    "department",
    "topics",
    "description",
    "phone",
    "extension",
    "email",
    "form_url",
    "url",
    "hours",
    "languages",
    "scope",
    "is_primary",
]
REQUIRED_WINDOW_COLUMNS = ["department", "topics"]
TRUE_WORDS = {"true", "1", "yes", "はい", "○", "代表"}
# A stale window's owners are reminded at most this often.
REMIND_EVERY = datetime.timedelta(days=30)


def window_snapshot(window):
    data = audit.snapshot(window)
    data["topics"] = [t.value for t in window.topics] if window.pk else []
    return data


def _set_topics(window, topics):
    wanted = set(topics)
    window.topic_links.exclude(topic__in=wanted).delete()
    have = set(window.topic_links.values_list("topic", flat=True))
    WindowTopic.objects.bulk_create(
        WindowTopic(window=window, topic=topic) for topic in sorted(wanted - have)
    )
    if hasattr(window, "_prefetched_objects_cache"):
        window._prefetched_objects_cache.pop("topic_links", None)


def _apply(form, *, by, now):
    """Save a validated WindowForm: confirmed now; contact details changed by an owner wait
    for the secretariat's verification again."""
    window = form.instance
    previous = ContactWindow.objects.filter(pk=window.pk).first() if window.pk else None
    window = form.save(commit=False)
    window.organization = form.organization
    changed = previous is None or any(
        getattr(previous, f) != getattr(window, f) for f in CONTACT_FIELDS
    )
    if by is None or by.is_secretariat:  # the secretariat's (or an operator's) own entry
        window.verified_at, window.verified_by = now, by
    elif changed:
        window.verified_at, window.verified_by = None, None
    window.confirmed_at, window.confirmed_by = now, by
    window.reminded_at = None
    window.save()
    _set_topics(window, form.cleaned_data["topics"])
    return window


@transaction.atomic
def save_window(form, *, by, now=None):
    """Create or update a window from a validated WindowForm of the form's organisation."""
    now = now or timezone.now()
    organization = form.organization
    is_new = form.instance.pk is None
    require(
        by, "regions.add_contactwindow" if is_new else "regions.change_contactwindow", organization
    )
    before = window_snapshot(ContactWindow.objects.get(pk=form.instance.pk)) if not is_new else None
    window = _apply(form, by=by, now=now)
    after = window_snapshot(window)
    if is_new:
        audit.record(audit.Action.CREATE_WINDOW, actor=by, target=window, after=after)
    else:
        old, new = audit.changed_fields(before, after)
        audit.record(audit.Action.UPDATE_WINDOW, actor=by, target=window, before=old, after=new)
    return window


@transaction.atomic
def confirm_window(window, *, by, now=None):
    """The owner says the window is still right as it is (最終確認日を更新)."""
    require(by, "regions.change_contactwindow", window)
    now = now or timezone.now()
    before = window.confirmed_at.isoformat() if window.confirmed_at else None
    window.confirmed_at, window.confirmed_by, window.reminded_at = now, by, None
    window.save(update_fields=["confirmed_at", "confirmed_by", "reminded_at", "updated_at"])
    audit.record(
        audit.Action.CONFIRM_WINDOW,
        actor=by,
        target=window,
        before={"confirmed_at": before},
        after={"confirmed_at": now.isoformat()},
    )
    return window


@transaction.atomic
def verify_window(window, *, by, now=None):
    """The secretariat checked the window's details with its organisation."""
    require(by, "regions.verify_contactwindow", window)
    now = now or timezone.now()
    window.verified_at, window.verified_by = now, by
    window.confirmed_at, window.confirmed_by, window.reminded_at = now, by, None
    window.save(
        update_fields=[
            "verified_at",
            "verified_by",
            "confirmed_at",
            "confirmed_by",
            "reminded_at",
            "updated_at",
        ]
    )
    audit.record(
        audit.Action.VERIFY_WINDOW, actor=by, target=window, after={"verified_at": now.isoformat()}
    )
    return window


@transaction.atomic
def archive_window(window, *, by):
    """Take a window off the portal (it stays in the records of the programs that cite it)."""
    require(by, "regions.delete_contactwindow", window)
    window.archived = True
    window.save(update_fields=["archived", "updated_at"])
    audit.record(audit.Action.ARCHIVE_WINDOW, actor=by, target=window, after={"archived": True})
    return window


# --- import --------------------------------------------------------------------------------


def _split(value):
    return [part.strip() for part in re.split(r"[、,，;；\n]", value or "") if part.strip()]


def _choice_codes(values, choices, errors, line, column, what):
    codes = []
    for value in values:
        code = next((key for key, label in choices if value in (key, str(label))), None)
        if code is None:
            errors.add(
                line,
                column,
                _("%(what)s「%(value)s」はありません（使える値: %(labels)s）。")
                % {
                    "what": what,
                    "value": value,
                    "labels": "、".join(str(label) for _key, label in choices),
                },
            )
        else:
            codes.append(code)
    return codes


def _existing(organization, data):
    """The window a row updates: the one with the same name, phone and e-mail, else the only
    one with the same name (a row that changes its phone); None for a new window."""
    same_name = ContactWindow.objects.filter(
        organization=organization, department=data["department"]
    ).order_by("pk")
    exact = same_name.filter(phone=data["phone"], email=data["email"]).first()
    if exact is not None:
        return exact
    candidates = list(same_name[:2])
    return candidates[0] if len(candidates) == 1 else None


def _import_rows(rows, name, *, by, organization):
    """Validate every row; return (forms, errors)."""
    errors = Errors(name)
    if not rows:
        errors.add(None, "", _("データの行がありません。"))
    keys = Counter()
    forms = []
    for line, row in rows:
        target = organization
        if row.get("organization", "").strip():
            target = Organization.objects.identified(row["organization"])
            if target is None:
                errors.add(
                    line,
                    "organization",
                    _(
                        "機関「%(v)s」が見つかりません（機関のコード・学校コード・地方公共団体コード・正式名称で指定）。"
                    )
                    % {"v": row["organization"]},
                )
                continue
        if target is None:
            errors.add(line, "organization", _("機関を指定してください。"))
            continue
        if by is not None and not can_keep_windows(by, target):
            errors.add(
                line,
                "organization",
                _("「%(o)s」の窓口は編集できません。") % {"o": target.name},
            )
            continue
        key = tuple(row.get(c, "").strip() for c in ("department", "phone", "email"))
        keys[(target.pk, *key)] += 1
        if keys[(target.pk, *key)] > 1:
            errors.add(
                line,
                "department",
                _("窓口名「%(d)s」（同じ電話番号・メールアドレス）がファイル内で重複しています。")
                % {"d": key[0]},
            )
            continue
        reported = len(errors.items)
        topics = _choice_codes(
            _split(row.get("topics", "")), Topic.choices, errors, line, "topics", _("分野")
        )
        languages = _choice_codes(
            _split(row.get("languages", "")),
            Language.choices,
            errors,
            line,
            "languages",
            _("対応言語"),
        )
        scope = _choice_codes(
            _split(row.get("scope", "")) or [ContactWindow.Scope.REGIONAL],
            ContactWindow.Scope.choices,
            errors,
            line,
            "scope",
            _("受け付ける範囲"),
        )
        already = {e.column for e in errors.items[reported:]}
        data = {column: row.get(column, "").strip() for column in WINDOW_COLUMNS}
        data.update(
            topics=topics,
            languages=languages,
            scope=scope[0] if scope else ContactWindow.Scope.REGIONAL,
            is_primary=data["is_primary"].lower() in TRUE_WORDS,
        )
        existing = _existing(target, data)
        form = WindowForm(data=data, organization=target, instance=existing)
        if not form.is_valid() or already:
            for field, messages in form.errors.items():
                if field in already:
                    continue
                for message in messages:
                    errors.add(line, field if field != "__all__" else "", message)
            continue
        forms.append(form)
    return forms, errors


def import_windows(payload, name, *, by, organization=None, now=None, dry_run=False):
    """Create or update windows (by organisation and window name) from CSV/XLSX. Every row is
    checked first; one error anywhere and nothing is written. A member imports for their own
    organisation (the ``organization`` column may be left empty); the secretariat, or an
    operator on the command line (``by=None``), names the organisation on each row.
    Returns {"created": n, "updated": n}."""
    if by is not None:
        if organization is not None and not can_keep_windows(by, organization):
            raise PermissionDenied(_("この機関の窓口は編集できません。"))
        if organization is None and not by.is_secretariat:
            raise PermissionDenied(_("この操作を行う権限がありません。"))
    now = now or timezone.now()
    rows = spreadsheets.read_table(payload, name, REQUIRED_WINDOW_COLUMNS)
    forms, errors = _import_rows(rows, name, by=by, organization=organization)
    if errors:
        raise DataImportError(errors.items)
    if dry_run:
        new = sum(1 for form in forms if form.instance.pk is None)
        return {"created": new, "updated": len(forms) - new}
    created, updated = [], []
    with transaction.atomic():
        for form in forms:
            is_new = form.instance.pk is None
            window = _apply(form, by=by, now=now)
            (created if is_new else updated).append(window.pk)
        audit.record(
            audit.Action.IMPORT_WINDOWS,
            actor=by,
            target=organization,
            target_type="" if organization else "regions.contactwindow",
            after={"file": name, "created": created, "updated": updated},
        )
    return {"created": len(created), "updated": len(updated)}


def export_windows(format, stream_or_path):
    """Every listed window in the import's columns (CSV or XLSX): export → import
    round-trips. Returns the number of windows."""
    rows = [
        {
            "organization": w.organization.code
            or w.organization.school_code
            or w.organization.lg_code
            or w.organization.name,
            "department": w.department,
            "topics": "、".join(str(t.label) for t in w.topics),
            "description": w.description,
            "phone": w.phone,
            "extension": w.extension,
            "email": w.email,
            "form_url": w.form_url,
            "url": w.url,
            "hours": w.hours,
            "languages": "、".join(str(label) for label in w.language_labels),
            "scope": str(ContactWindow.Scope(w.scope).label),
            "is_primary": "true" if w.is_primary else "false",
        }
        for w in ContactWindow.objects.listed()
        .select_related("organization")
        .with_topics()
        .order_by("organization__kind", "organization__name", "department")
    ]
    if format == "xlsx":
        spreadsheets.write_xlsx(stream_or_path, WINDOW_COLUMNS, rows, title="windows")
    else:
        spreadsheets.write_csv(stream_or_path, WINDOW_COLUMNS, rows)
    return len(rows)


def template_rows():
    """One example row for the import template."""
    return [
        {
            "organization": "",
            "department": _("産学連携本部 技術相談窓口"),
            "topics": "、".join(
                str(Topic(t).label) for t in (Topic.TECHNICAL, Topic.JOINT_RESEARCH)
            ),
            "description": _("企業からの技術相談と共同研究の窓口です。"),
            "phone": "0258-00-0000",
            "extension": "",
            "email": "sangaku@example.ac.jp",
            "form_url": "",
            "url": "",
            "hours": _("平日 9:00〜17:00"),
            "languages": "、".join(str(Language(x).label) for x in (Language.JA, Language.EN)),
            "scope": str(ContactWindow.Scope.REGIONAL.label),
            "is_primary": "true",
        }
    ]


# --- reminders -----------------------------------------------------------------------------

REMINDER_SUBJECT = gettext_lazy("【renkei】窓口情報の確認のお願い（%(organization)s）")


def remind_stale_windows(now=None):
    """Remind each organisation's members of its windows unconfirmed for 12 months (each
    window at most every 30 days). Run daily; returns the number of people told."""
    now = now or timezone.now()
    stale = (
        ContactWindow.objects.listed()
        .stale(now)
        .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=now - REMIND_EVERY))
        .select_related("organization")
        .order_by("organization_id", "department")
    )
    by_organization = {}
    for window in stale:
        by_organization.setdefault(window.organization, []).append(window)
    told = 0
    with transaction.atomic():
        for organization, windows in by_organization.items():
            members = list(User.objects.members_of(organization))
            if not members:
                continue  # the secretariat sees these on its start page
            tell(
                Kind.WINDOW_REMINDER,
                members,
                REMINDER_SUBJECT,
                "regions/email/window_reminder.txt",
                {"organization": organization.name, "windows": windows, "count": len(windows)},
                link=reverse("regions:my_windows") + f"?organization={organization.pk}",
            )
            ContactWindow.objects.filter(pk__in=[w.pk for w in windows]).update(reminded_at=now)
            told += len(members)
        if by_organization:
            audit.record(
                audit.Action.REMIND_WINDOWS,
                target_type="regions.contactwindow",
                after={"organizations": len(by_organization), "people": told},
            )
    return told
