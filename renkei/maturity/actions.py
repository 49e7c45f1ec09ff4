"""Yearly reports: create, fill (form or upload), submit, accept or send back.

Values are validated as a whole: wrong unit, non-numeric or negative values, unknown or
retired indicators, duplicate rows, and large jumps from the previous accepted year without
an explanation are each reported by row and column, and nothing is written.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renkei.accounts import audit
from renkei.accounts.models import User
from renkei.communities.rules import is_coordinator_of
from renkei.lib.formats import fiscal_year_of, wareki_fiscal_year
from renkei.lib.imports import DataImportError, Errors
from renkei.lib.jobs import later
from renkei.maturity.models import CountedValue, Indicator, Report, ReportValue
from renkei.notifications import tell
from renkei.notifications.models import Kind

FIRST_FISCAL_YEAR = 2015  # the Bio Strategy's communities start after this; earlier years are typos


def refresh_later(community_ids):
    """Rebuild the dashboards' snapshots of these communities in a background job once the
    transaction commits (a request does not wait for it)."""
    later("renkei.maturity.jobs.refresh_snapshots", list(community_ids), group="snapshots")


def _require(condition, message=None):
    if not condition:
        raise PermissionDenied(message or _("この操作を行う権限がありません。"))


def can_edit(user, report):
    return report.editable and (is_coordinator_of(user, report.community) or user.is_secretariat)


def valid_fiscal_years(today=None):
    return range(FIRST_FISCAL_YEAR, fiscal_year_of(today or timezone.localdate()) + 1)


@transaction.atomic
def create_report(community, fiscal_year, *, by, today=None):
    _require(
        is_coordinator_of(by, community),
        _("このコミュニティのコーディネーターだけが報告できます。"),
    )
    years = valid_fiscal_years(today)
    if fiscal_year not in years:
        raise ValidationError(
            {
                "fiscal_year": _("年度は %(first)s〜%(last)s の間で指定してください。")
                % {"first": years[0], "last": years[-1]}
            }
        )
    if Report.objects.filter(community=community, fiscal_year=fiscal_year).exists():
        raise ValidationError(
            {"fiscal_year": _("この年度の報告は既にあります。既存の報告を開いてください。")}
        )
    report = Report.objects.create(community=community, fiscal_year=fiscal_year, created_by=by)
    audit.record(audit.Action.CREATE_REPORT, actor=by, target=report)
    return report


def previous_values(report):
    """indicator id → the latest accepted value before this report's year."""
    rows = (
        ReportValue.objects.filter(
            report__community=report.community,
            report__state=Report.State.ACCEPTED,
            report__fiscal_year__lt=report.fiscal_year,
        )
        .order_by("report__fiscal_year")
        .values_list("indicator_id", "value")
    )
    return dict(rows)


def check_rows(report, rows, source):
    """Validate (row number, {indicator, value, unit, comment}) rows; return
    {indicator: (Decimal value, comment)} or raise DataImportError with every problem."""
    errors = Errors(source)
    indicators = {i.code: i for i in Indicator.objects.all()}
    previous = previous_values(report)
    result, seen = {}, {}
    for number, row in rows:
        code = (row.get("indicator") or "").strip()
        indicator = indicators.get(code)
        if indicator is None:
            errors.add(number, "indicator", _("指標コード「%(c)s」はありません。") % {"c": code})
            continue
        if indicator.retired_on:
            errors.add(
                number, "indicator", _("指標「%(n)s」は廃止されています。") % {"n": indicator.name}
            )
            continue
        if indicator.automatic:
            errors.add(
                number,
                "indicator",
                _("指標「%(n)s」は renkei が自動で数えます。") % {"n": indicator.name},
            )
            continue
        if code in seen:
            errors.add(
                number,
                "indicator",
                _("指標「%(c)s」が %(l)s 行目と重複しています。") % {"c": code, "l": seen[code]},
            )
            continue
        seen[code] = number
        unit = (row.get("unit") or "").strip()
        if unit and unit not in (indicator.unit, str(indicator.get_unit_display())):
            errors.add(
                number,
                "unit",
                _("単位「%(u)s」は使えません。「%(n)s」の単位は %(want)s です。")
                % {"u": unit, "n": indicator.name, "want": indicator.get_unit_display()},
            )
            continue
        raw = str(row.get("value") or "").strip().replace(",", "")
        try:
            value = Decimal(raw)
            if not value.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            errors.add(number, "value", _("値「%(v)s」は数値ではありません。") % {"v": raw})
            continue
        if value < 0:
            errors.add(number, "value", _("負の値は使えません。"))
            continue
        if indicator.unit != "thousand_yen" and value != value.to_integral_value():
            errors.add(
                number, "value", _("「%(n)s」は整数で入力してください。") % {"n": indicator.name}
            )
            continue
        comment = (row.get("comment") or "").strip()
        before = previous.get(indicator.pk)
        ratio = indicator.jump_ratio
        if before and not comment and (value >= before * ratio or value * ratio <= before):
            errors.add(
                number,
                "comment",
                _("前年の %(before)s から %(value)s へ大きく変化しています。説明を書いてください。")
                % {
                    "before": format(before.normalize(), "f"),
                    "value": format(value.normalize(), "f"),
                },
            )
            continue
        result[indicator] = (value, comment)
    if errors:
        raise DataImportError(errors.items)
    return result


@transaction.atomic
def save_values(report, rows, *, by, source="form"):
    _require(
        is_coordinator_of(by, report.community) or by.is_secretariat,
        _("この報告は編集できません。"),
    )
    if not report.editable:
        raise ValidationError(
            _("「%(state)s」の報告は編集できません。") % {"state": report.get_state_display()}
        )
    checked = check_rows(report, rows, source)
    before = {v.indicator.code: str(v.value) for v in report.values.select_related("indicator")}
    for indicator, (value, comment) in checked.items():
        ReportValue.objects.update_or_create(
            report=report, indicator=indicator, defaults={"value": value, "comment": comment}
        )
    after = {v.indicator.code: str(v.value) for v in report.values.select_related("indicator")}
    changed_before, changed_after = audit.changed_fields(before, after)
    audit.record(
        audit.Action.SAVE_REPORT_VALUES,
        actor=by,
        target=report,
        before=changed_before,
        after=changed_after,
        note=source,
    )
    report.save(update_fields=["updated_at"])
    return report


def _move(report, allowed, target, action, by, **changes):
    if report.state not in allowed:
        raise ValidationError(
            _("「%(state)s」の報告にはこの操作ができません。")
            % {"state": report.get_state_display()}
        )
    before = {"state": report.state}
    report.state = target
    for field, value in changes.items():
        setattr(report, field, value)
    report.save()
    audit.record(
        f"maturity.{action}",
        actor=by,
        target=report,
        before=before,
        after={"state": target, **{k: str(v) for k, v in changes.items()}},
    )


@transaction.atomic
def submit_report(report, *, by):
    _require(is_coordinator_of(by, report.community))
    if not report.values.exists():
        raise ValidationError(_("値が1つもありません。"))
    _move(
        report,
        {Report.State.DRAFT, Report.State.CHANGES_REQUESTED},
        Report.State.SUBMITTED,
        "submit",
        by,
        submitted_at=timezone.now(),
    )
    tell(
        Kind.MATURITY_REPORT,
        User.objects.secretariat(),
        gettext_lazy("【renkei】%(c)s の%(fy)sの報告が提出されました"),
        "maturity/email/submitted.txt",
        {"c": report.community, "fy": wareki_fiscal_year(report.fiscal_year), "report": report},
        link=report.get_absolute_url(),
    )
    return report


@transaction.atomic
def request_changes(report, note, *, by):
    _require(by.is_secretariat, _("確認は事務局だけが行えます。"))
    if not note.strip():
        raise ValidationError({"note": _("修正してほしい点を書いてください。")})
    _move(
        report,
        {Report.State.SUBMITTED},
        Report.State.CHANGES_REQUESTED,
        "request_changes",
        by,
        review_note=note.strip(),
        reviewed_by=by,
    )
    tell(
        Kind.MATURITY_REPORT,
        User.objects.coordinators_of(report.community),
        gettext_lazy("【renkei】%(fy)sの報告に修正のお願いがあります"),
        "maturity/email/changes.txt",
        {"fy": wareki_fiscal_year(report.fiscal_year), "report": report},
        link=report.get_absolute_url(),
    )
    return report


@transaction.atomic
def accept_report(report, *, by):
    _require(by.is_secretariat, _("受理は事務局だけが行えます。"))
    _move(
        report,
        {Report.State.SUBMITTED},
        Report.State.ACCEPTED,
        "accept",
        by,
        accepted_at=timezone.now(),
        reviewed_by=by,
    )
    refresh_later([report.community_id])
    tell(
        Kind.MATURITY_REPORT,
        User.objects.coordinators_of(report.community),
        gettext_lazy("【renkei】%(fy)sの報告を受理しました"),
        "maturity/email/accepted.txt",
        {"fy": wareki_fiscal_year(report.fiscal_year), "report": report},
        link=reverse("maturity:dashboard", args=[report.community.slug]),
    )
    return report


@transaction.atomic
def record_counted_values(source, community, values_by_year, *, by=None):
    """Replace what renkei counts for ``community`` on the indicator counted by ``source``
    (``Indicator.automatic``, e.g. "matching") with ``values_by_year`` (fiscal year → value),
    then refresh the community's snapshots. The app that counts calls this; maturity never
    reads that app's tables. Returns False when no active indicator is counted by ``source``."""
    indicator = Indicator.objects.active().filter(automatic=source).first()
    if indicator is None:
        return False
    values = {int(year): Decimal(value) for year, value in values_by_year.items() if value}
    current = {
        row.fiscal_year: row
        for row in CountedValue.objects.filter(community=community, indicator=indicator)
    }
    before = {str(year): str(row.value) for year, row in sorted(current.items())}
    for year, row in current.items():
        if year not in values:
            row.delete()
    for year, value in values.items():
        CountedValue.objects.update_or_create(
            community=community,
            indicator=indicator,
            fiscal_year=year,
            defaults={"value": value},
        )
    after = {str(year): str(value) for year, value in sorted(values.items())}
    if before != after:
        audit.record(
            audit.Action.RECORD_COUNTED_VALUES,
            actor=by,
            target=community,
            before={"indicator": indicator.code, "values": before},
            after={"indicator": indicator.code, "values": after},
            note=source,
        )
        refresh_later([community.pk])
    return True
