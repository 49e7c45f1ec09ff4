import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from renkei.communities.models import Community
from renkei.communities.rules import coordinated_community_ids, is_coordinator_of
from renkei.lib import spreadsheets
from renkei.lib.charts import horizontal_bars, line_chart
from renkei.lib.formats import (
    readable_yen,
    wareki_fiscal_year,
    wareki_fiscal_year_short,
)
from renkei.lib.forms import add_errors
from renkei.lib.imports import DataImportError
from renkei.maturity import actions, exchange
from renkei.maturity.comparable import MIN_MEDIAN_COUNT
from renkei.maturity.forms import NewReportForm, ReviewForm, UploadForm, ValuesForm
from renkei.maturity.models import Indicator, Report
from renkei.maturity.snapshots import STAGES, community_view, national_view
from renkei.regions.maps import map_of
from renkei.regions.models import Sector

UPLOAD_COLUMNS = ["indicator", "value", "unit", "comment"]


def _format(indicator):
    if indicator.unit == "thousand_yen":
        return readable_yen  # 5,000万円, 1億円, 約34.7億円
    return lambda v: f"{v:,.0f}" if v == int(v) else f"{v:,}"


def indicators(request):
    return render(request, "maturity/indicators.html", {"indicators": Indicator.objects.all()})


def _year_range(series):
    """first_year and last_year of the years in some {year: …} mappings (for _as_of.html)."""
    years = sorted({int(year) for mapping in series for year in mapping})
    return {"first_year": years[0], "last_year": years[-1]} if years else {}


def _names(pairs):
    return "、".join(name for _slug, name, *_rest in pairs)


def _trend(indicator, trend):
    """A national trend as the page shows it: the chart over one set of communities with
    the count under every year, the table with the same counts, and what changed."""
    years = trend["years"]
    reporting = trend["reporting"]
    size = trend["communities"]
    counts = {year: f"n={size}" for year in years}
    rows = [
        (year, trend["totals"].get(year), size if year in years else None, reporting[year])
        for year in sorted(reporting, key=int)
    ]
    first, last = wareki_fiscal_year(years[0]), wareki_fiscal_year(years[-1])
    if len(years) > 1:
        scope = ngettext(
            "%(first)s〜%(last)sの各年度に報告した %(n)s コミュニティ（%(names)s）の合計です。",
            "%(first)s〜%(last)sの各年度に報告した %(n)s コミュニティ（%(names)s）の合計です。",
            size,
        )
    else:
        scope = ngettext(
            "%(first)sに報告した %(n)s コミュニティ（%(names)s）の合計です。",
            "%(first)sに報告した %(n)s コミュニティ（%(names)s）の合計です。",
            size,
        )
    changes = [scope % {"first": first, "last": last, "n": size, "names": _names(trend["panel"])}]
    for _slug, name, left_years in trend["left_out"]:
        changes.append(
            _(
                "%(name)sは%(years)sに報告していますが、上の各年度には揃っていないため含めていません。"
            )
            % {"name": name, "years": "・".join(wareki_fiscal_year(y) for y in left_years)}
        )
    for year in trend["years_left_out"]:
        changes.append(
            ngettext(
                "%(year)sは %(n)s コミュニティの報告で、"
                "上のコミュニティと揃わないため線に含めていません。",
                "%(year)sは %(n)s コミュニティの報告で、"
                "上のコミュニティと揃わないため線に含めていません。",
                reporting[year],
            )
            % {"year": wareki_fiscal_year(year), "n": reporting[year]}
        )
    for year in trend["gaps"]:
        changes.append(
            _("%(year)sはどのコミュニティも報告していません。") % {"year": wareki_fiscal_year(year)}
        )
    return {
        "indicator": indicator,
        "rows": rows,
        "changes": changes,
        "communities": size,
        "chart": line_chart(
            _("%(name)s：同じ %(n)s コミュニティの合計")
            % {"name": indicator.display_name, "n": size},
            years,
            [(_("同じコミュニティの合計"), trend["totals"])],
            value_format=_format(indicator),
            counts=counts,
            x_format=wareki_fiscal_year,
            x_short=wareki_fiscal_year_short,
        ),
    }


def national(request):
    view = national_view()
    data = view["data"]
    by_code = {i.code: i for i in view["indicators"]}
    status_labels = dict(Community.Status.choices)
    kind_labels = dict(Community.Kind.choices)
    status_rows = [
        (status_labels.get(s, s), kind_labels.get(k, k), n)
        for s, k, n in data.get("status_kind", [])
    ]
    reported = data.get("members_reported") or {}
    by_sector = reported.get("by_sector") or {}
    sector_rows = [
        (
            Sector(sector).label,
            data.get("members_named", {}).get(sector, 0),
            by_sector.get(sector),
        )
        for sector in ("industry", "academia", "government", "finance", "other")
    ]
    trends = [
        _trend(by_code[code], trend)
        for code, trend in data.get("trends", {}).items()
        if code in by_code
    ]
    trends.sort(key=lambda t: (t["indicator"].order, t["indicator"].code))
    stage_rows = [(STAGES.get(int(k), _("未評価")), v) for k, v in data.get("stages", {}).items()]
    communities = list(Community.objects.prefetch_related("prefectures"))
    return render(
        request,
        "maturity/national.html",
        {
            "data": data,
            "status_rows": status_rows,
            "status_chart": horizontal_bars(
                _("状態・種別ごとのコミュニティ数"),
                [(f"{s}（{k}）", n, str(n)) for s, k, n in status_rows],
            ),
            "sector_rows": sector_rows,
            "sector_reported": reported,
            "sector_reported_names": _names(reported.get("communities") or []),
            "sector_chart": horizontal_bars(
                _("名簿に載る構成機関（産・学・官・金）"),
                [(str(label), named, str(named)) for label, named, _r in sector_rows],
            ),
            "stage_rows": stage_rows,
            "trends": trends,
            "map": map_of(communities),
            "computed_at": view["computed_at"],
            **_year_range(data.get("reporting", {}).values()),
        },
    )


def dashboard(request, slug):
    community = get_object_or_404(Community, slug=slug)
    view = community_view(community)
    panels = []
    for panel in view["panels"]:
        if not panel["values"]:
            continue
        indicator = panel["indicator"]
        own = {y: float(v) for y, v in panel["values"].items()}
        median = {y: float(v) for y, v in panel["medians"].items() if v is not None}
        series = [(community.name, own)]
        if median:
            series.append((_("同じ種別の中央値"), median))
        panels.append(
            {
                **panel,
                "withheld": [y for y in panel["years"] if panel["medians"][y] is None and y in own],
                "chart": line_chart(
                    indicator.display_name,
                    panel["years"],
                    series,
                    value_format=_format(indicator),
                    counts={y: f"n={n}" for y, n in panel["median_counts"].items()},
                    x_format=wareki_fiscal_year,
                    x_short=wareki_fiscal_year_short,
                ),
            }
        )
    return render(
        request,
        "maturity/dashboard.html",
        {
            "community": community,
            "panels": panels,
            "maturity": view["maturity"],
            # each indicator's unit, so thresholds read 1,000万円 / 1億円 (not 10000.0)
            "units": {p["indicator"].code: p["indicator"].unit for p in view["panels"]},
            "missing": [p["indicator"] for p in view["panels"] if not p["values"]],
            "stages": STAGES,
            "min_median": MIN_MEDIAN_COUNT,
            "computed_at": view["computed_at"],
            **_year_range(p["values"] for p in panels),
        },
    )


def _csv_response(filename, header, rows):
    """An open-data CSV download (with the licence line, as the exports have it)."""
    stream = io.StringIO()
    spreadsheets.write_open_data_csv(stream, header, rows)
    response = HttpResponse(stream.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def dashboard_csv(request, slug):
    """The dashboard's figures: each value with the median of the community's kind (only where
    at least three communities of the kind reported) and how many did."""
    community = get_object_or_404(Community, slug=slug)
    view = community_view(community)
    rows = []
    for panel in view["panels"]:
        indicator = panel["indicator"]
        for year in panel["years"]:
            value = panel["values"].get(year)
            median = panel["medians"].get(year)
            rows.append(
                [
                    community.slug,
                    indicator.code,
                    indicator.name,
                    indicator.unit,
                    year,
                    "" if value is None else value,
                    "" if median is None else median,
                    panel["median_counts"].get(year, 0),
                ]
            )
    header = [
        "community",
        "indicator",
        "indicator_name",
        "unit",
        "fiscal_year",
        "value",
        "median_of_kind",
        "communities_of_kind_reporting",
    ]
    return _csv_response(f"renkei-{community.slug}-indicators.csv", header, rows)


def open_values_csv(request):
    return _csv_response("renkei-maturity-values.csv", exchange.COLUMNS, exchange.accepted_values())


def national_csv(request):
    return _csv_response(
        "renkei-maturity-national.csv", exchange.NATIONAL_COLUMNS, exchange.national_rows()
    )


# --- reports ------------------------------------------------------------------------------


def _my_communities(user):
    return Community.objects.filter(pk__in=coordinated_community_ids(user))


@login_required
def reports(request):
    user = request.user
    if user.is_secretariat:
        queryset = Report.objects.exclude(state=Report.State.DRAFT)
    else:
        queryset = Report.objects.filter(community__in=_my_communities(user))
    communities = _my_communities(user)
    return render(
        request,
        "maturity/reports.html",
        {
            "reports": queryset.select_related("community").order_by("state", "-fiscal_year"),
            "form": NewReportForm(communities=communities) if communities.exists() else None,
        },
    )


@login_required
@require_POST
def report_new(request):
    form = NewReportForm(request.POST, communities=_my_communities(request.user))
    if form.is_valid():
        try:
            report = actions.create_report(
                form.cleaned_data["community"], form.cleaned_data["fiscal_year"], by=request.user
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            return redirect(report)
    if (
        not form.is_valid()
        and "community" in form.errors
        and not _my_communities(request.user).exists()
    ):
        raise PermissionDenied(_("このコミュニティのコーディネーターだけが報告できます。"))
    return render(
        request,
        "maturity/reports.html",
        {
            "reports": Report.objects.filter(community__in=_my_communities(request.user)),
            "form": form,
        },
        status=400,
    )


def _report_for(request, pk):
    return get_object_or_404(
        Report.objects.visible_to(request.user).select_related("community"), pk=pk
    )


def render_report(request, report, status=200, values_form=None, upload_errors=None):
    user = request.user
    editable = user.is_authenticated and actions.can_edit(user, report)
    values = {v.indicator_id: v for v in report.values.select_related("indicator")}
    previous = actions.previous_values(report)
    rows = [
        (indicator, values.get(indicator.pk), previous.get(indicator.pk))
        for indicator in Indicator.objects.active()
    ]
    return render(
        request,
        "maturity/report.html",
        {
            "report": report,
            "rows": rows,
            "editable": editable,
            "values_form": values_form or (ValuesForm(report=report) if editable else None),
            "upload_form": UploadForm() if editable else None,
            "upload_errors": upload_errors,
            "review_form": ReviewForm()
            if user.is_authenticated
            and user.is_secretariat
            and report.state == Report.State.SUBMITTED
            else None,
            "is_coordinator": is_coordinator_of(user, report.community),
            "columns": UPLOAD_COLUMNS,
        },
        status=status,
    )


def report_detail(request, pk):
    return render_report(request, _report_for(request, pk))


@login_required
@require_POST
def report_values(request, pk):
    report = _report_for(request, pk)
    form = ValuesForm(request.POST, report=report)
    if not form.is_valid():
        return render_report(request, report, status=400, values_form=form)
    try:
        actions.save_values(report, form.rows(), by=request.user)
    except DataImportError as exc:
        form.add_row_errors(exc.errors)
        return render_report(request, report, status=400, values_form=form)
    messages.success(request, _("値を保存しました。"))
    return redirect(report)


@login_required
@require_POST
def report_upload(request, pk):
    report = _report_for(request, pk)
    if not actions.can_edit(request.user, report):
        raise PermissionDenied(_("この報告は編集できません。"))
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render_report(
            request, report, status=400, upload_errors=[str(e) for e in form.errors.get("file", [])]
        )
    upload = form.cleaned_data["file"]
    try:
        rows = spreadsheets.read_table(upload.read(), upload.name, ["indicator", "value"])
        actions.save_values(report, rows, by=request.user, source=upload.name)
    except DataImportError as exc:
        return render_report(
            request, report, status=400, upload_errors=[str(e) for e in exc.errors]
        )
    messages.success(request, _("ファイルの値を取り込みました。"))
    return redirect(report)


def _step(request, pk, action, success, **kwargs):
    report = _report_for(request, pk)
    try:
        action(report, by=request.user, **kwargs)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return render_report(request, Report.objects.get(pk=report.pk), status=400)
    messages.success(request, success)
    return redirect(report)


@login_required
@require_POST
def report_submit(request, pk):
    return _step(
        request, pk, actions.submit_report, _("報告を提出しました。事務局の確認をお待ちください。")
    )


@login_required
@require_POST
def report_accept(request, pk):
    return _step(
        request,
        pk,
        actions.accept_report,
        _("報告を受理しました。ダッシュボードには間もなく反映されます。"),
    )


@login_required
@require_POST
def report_request_changes(request, pk):
    return _step(
        request,
        pk,
        actions.request_changes,
        _("修正を依頼しました。"),
        note=request.POST.get("note", ""),
    )


def report_template_csv(request):
    """An upload template: one row per indicator to report, with its unit."""
    if not request.user.is_authenticated:
        raise Http404
    stream = io.StringIO()
    spreadsheets.write_csv(
        stream,
        UPLOAD_COLUMNS,
        [
            {"indicator": i.code, "value": "", "unit": i.unit, "comment": ""}
            for i in Indicator.objects.active()
            if not i.automatic
        ],
    )
    response = HttpResponse(stream.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="renkei-report-template.csv"'
    return response
