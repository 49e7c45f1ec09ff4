"""Yearly reports, the maturity assessment, dashboards and open data.

Personas: 小林 coordinates Nagaoka, 山本 coordinates Tokai, 佐藤 is the secretariat.
"""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from renkei.accounts.models import AuditLog, Role
from renkei.communities.models import Community
from renkei.conftest import _user
from renkei.lib.imports import DataImportError
from renkei.maturity import actions
from renkei.maturity.models import Indicator, MaturitySnapshot, Report
from renkei.maturity.snapshots import assess, community_view, national_view, refresh


@pytest.fixture
def other_coordinator():
    user = _user("yamamoto", "山本（東海コーディネーター）")
    Role.objects.create(
        user=user, kind=Role.Kind.COORDINATOR, community=Community.objects.get(slug="tokai")
    )
    return user


@pytest.fixture
def report_2026(nagaoka, coordinator):
    return actions.create_report(nagaoka, 2026, by=coordinator)


def accept(community, year, *, by, **values):
    """An accepted report of ``community`` for ``year`` with ``values`` by indicator code."""
    report = Report.objects.create(community=community, fiscal_year=year)
    for code, value in values.items():
        report.values.create(indicator=Indicator.objects.get(code=code), value=value)
    Report.objects.filter(pk=report.pk).update(state=Report.State.SUBMITTED)
    report.refresh_from_db()
    actions.accept_report(report, by=by)
    refresh()  # what the job queued on commit does
    return report


def rows(*items):
    return [
        (n, dict(zip(["indicator", "value", "unit", "comment"], item, strict=False)))
        for n, item in enumerate(items, start=2)
    ]


def test_nagaokas_published_member_counts_are_accepted_history_with_sources():
    reports = Report.objects.filter(community__slug="nagaoka").order_by("fiscal_year")
    counts = [(r.fiscal_year, r.values.get().value) for r in reports]
    assert counts == [(2021, 29), (2023, 42), (2024, 54), (2025, 65)]
    assert all(r.state == "accepted" and "nagaoka-biocommunity.jp" in r.source for r in reports)


def test_a_coordinator_reports_a_year_and_the_secretariat_accepts_it_end_to_end(
    login, client, nagaoka, coordinator, secretariat, django_capture_on_commit_callbacks
):
    kobayashi = login(coordinator)
    response = kobayashi.post(
        reverse("maturity:report_new"), {"community": nagaoka.pk, "fiscal_year": 2026}
    )
    report = Report.objects.get(community=nagaoka, fiscal_year=2026)
    assert response["Location"] == report.get_absolute_url()
    form = {"value_members_total": "70", "value_members_industry": "41", "value_members_academia": "4",
            "value_joint_research": "12", "value_external_funding": "152,000", "value_events_held": "9"}  # fmt: skip
    assert (
        kobayashi.post(reverse("maturity:report_values", args=[report.pk]), form).status_code == 302
    )
    kobayashi.post(reverse("maturity:report_submit", args=[report.pk]))
    # Until accepted, nothing is public.
    assert "152" not in client.get(reverse("maturity:dashboard", args=["nagaoka"])).content.decode()
    sato = login(secretariat)
    with django_capture_on_commit_callbacks(execute=True):  # the snapshots' rebuild job
        assert sato.post(reverse("maturity:report_accept", args=[report.pk])).status_code == 302
    report.refresh_from_db()
    assert report.state == "accepted"
    dashboard = client.get(reverse("maturity:dashboard", args=["nagaoka"])).content.decode()
    assert (
        "共同研究件数" in dashboard
        and "段階 1：形成期" in dashboard
        and "この段階になった理由" in dashboard
    )
    national = client.get(reverse("maturity:national")).content.decode()
    assert "外部資金獲得額" in national
    csv_text = client.get(reverse("maturity:values_csv")).content.decode()
    assert csv_text.startswith("\ufeff# licence: CC BY 4.0")
    assert (
        "nagaoka,長岡バイオコミュニティ,external_funding,外部資金獲得額,thousand_yen,2026,152000"
        in csv_text
    )
    assert AuditLog.objects.filter(action="maturity.accept", target_id=str(report.pk)).exists()


class TestValidation:
    def test_every_bad_row_is_reported_and_nothing_is_written(self, report_2026, coordinator):
        bad = rows(
            ("members_total", "70", "件"),  # wrong unit
            ("joint_research", "十二"),  # not a number
            ("events_held", "-3"),  # negative count
            ("no_such_indicator", "1"),  # unknown code
            ("patents_filed", "2.5"),  # counts are whole numbers
            ("renkei_matches", "3"),  # counted automatically
            ("startups_founded", "1"), ("startups_founded", "2"),  # duplicate row
        )  # fmt: skip
        with pytest.raises(DataImportError) as excinfo:
            actions.save_values(report_2026, bad, by=coordinator, source="upload.csv")
        messages = [str(e) for e in excinfo.value.errors]
        assert (
            "upload.csv:2行:unit列: 単位「件」は使えません。「構成機関数（合計）」の単位は 機関 です。"
            in messages
        )
        assert "upload.csv:3行:value列: 値「十二」は数値ではありません。" in messages
        assert "upload.csv:4行:value列: 負の値は使えません。" in messages
        assert (
            "upload.csv:5行:indicator列: 指標コード「no_such_indicator」はありません。" in messages
        )
        assert any(m.startswith("upload.csv:6行:value列") for m in messages)
        assert any(m.startswith("upload.csv:7行:indicator列") and "自動" in m for m in messages)
        assert any(m.startswith("upload.csv:9行:indicator列") and "重複" in m for m in messages)
        assert not report_2026.values.exists()

    def test_a_large_jump_from_last_year_needs_an_explanation(self, report_2026, coordinator):
        with pytest.raises(DataImportError, match="前年の 65 から 200 へ大きく変化"):
            actions.save_values(report_2026, rows(("members_total", "200")), by=coordinator)
        actions.save_values(
            report_2026,
            rows(("members_total", "200", "", "県内の酒蔵組合が一括加入")),
            by=coordinator,
        )
        assert report_2026.values.get().value == 200

    @pytest.mark.parametrize("year", [2014, 2030, 1926])
    def test_a_fiscal_year_that_does_not_exist_is_refused(self, nagaoka, coordinator, year):
        with pytest.raises(ValidationError, match="年度は 2015〜"):
            actions.create_report(nagaoka, year, by=coordinator)

    def test_a_second_report_for_the_same_year_is_refused(self, nagaoka, coordinator):
        with pytest.raises(ValidationError, match="既にあります"):
            actions.create_report(nagaoka, 2025, by=coordinator)

    def test_an_upload_with_an_unknown_code_writes_nothing(self, login, report_2026, coordinator):
        upload = SimpleUploadedFile(
            "r.csv",
            b"indicator,value,unit,comment\nmembers_total,70,organizations,\nmistery,1,,\n",
        )
        response = login(coordinator).post(
            reverse("maturity:report_upload", args=[report_2026.pk]), {"file": upload}
        )
        assert response.status_code == 400
        assert (
            "r.csv:3行:indicator列: 指標コード「mistery」はありません。"
            in response.content.decode()
        )
        assert not report_2026.values.exists()

    def test_an_xlsx_upload_is_read(self, login, report_2026, coordinator):
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.append(["indicator", "value", "unit", "comment"])
        sheet.append(["members_total", 66, "organizations", ""])
        sheet.append(["external_funding", 12000.5, "thousand_yen", ""])
        stream = io.BytesIO()
        workbook.save(stream)
        upload = SimpleUploadedFile("r.xlsx", stream.getvalue())
        assert (
            login(coordinator)
            .post(reverse("maturity:report_upload", args=[report_2026.pk]), {"file": upload})
            .status_code
            == 302
        )
        assert report_2026.values.get(indicator__code="external_funding").value == Decimal(
            "12000.50"
        )


class TestWhoSeesWhat:
    def test_another_communitys_coordinator_cannot_read_or_write_an_unpublished_report(
        self, login, report_2026, other_coordinator
    ):
        client = login(other_coordinator)
        assert client.get(report_2026.get_absolute_url()).status_code == 404
        assert (
            client.post(
                reverse("maturity:report_values", args=[report_2026.pk]),
                {"value_members_total": "1"},
            ).status_code
            == 404
        )
        with pytest.raises(PermissionDenied):
            actions.save_values(report_2026, rows(("members_total", "1")), by=other_coordinator)

    def test_anonymous_visitors_see_accepted_reports_only(self, client, report_2026):
        assert client.get(report_2026.get_absolute_url()).status_code == 404
        accepted = Report.objects.get(community__slug="nagaoka", fiscal_year=2025)
        assert client.get(accepted.get_absolute_url()).status_code == 200

    def test_only_the_secretariat_accepts_or_sends_back(self, report_2026, coordinator):
        actions.save_values(report_2026, rows(("members_total", "66")), by=coordinator)
        actions.submit_report(report_2026, by=coordinator)
        with pytest.raises(PermissionDenied):
            actions.accept_report(report_2026, by=coordinator)
        with pytest.raises(PermissionDenied):
            actions.request_changes(report_2026, "x", by=coordinator)

    def test_changes_requested_reopen_the_report_for_the_coordinator(
        self, report_2026, coordinator, secretariat
    ):
        actions.save_values(report_2026, rows(("members_total", "66")), by=coordinator)
        actions.submit_report(report_2026, by=coordinator)
        with pytest.raises(ValidationError):
            actions.save_values(report_2026, rows(("members_total", "67")), by=coordinator)
        actions.request_changes(report_2026, "会員名簿の時点を3月末にしてください", by=secretariat)
        actions.save_values(report_2026, rows(("members_total", "67")), by=coordinator)
        assert report_2026.values.get().value == 67


class TestAssessment:
    def test_levels_categories_and_stage_follow_the_documented_method(self):
        indicators = list(Indicator.objects.active())
        by_code = {i.code: i.pk for i in indicators}
        values = [
            (by_code["members_total"], 2025, Decimal(65)),
            (by_code["external_funding"], 2025, Decimal(600000)),
        ]
        result = assess(indicators, values)
        levels = {r["code"]: r["level"] for r in result["rows"]}
        assert (
            levels["members_total"] == 3
            and levels["external_funding"] == 4
            and levels["jobs_created"] == 0
        )
        money = next(c for c in result["categories"] if c["category"] == "money")
        assert money["score"] == 2.0  # (4 + 0) / 2
        people = next(c for c in result["categories"] if c["category"] == "people")
        assert people["score"] == round(3 / 7, 2)
        assert result["score"] == round((round(3 / 7, 2) + 2.0) / 4, 2)
        assert result["stage"] == 1

    def test_a_community_without_accepted_values_is_not_assessed(self):
        assert assess(list(Indicator.objects.active()), [])["stage"] is None

    def test_snapshots_and_live_computation_agree(self, nagaoka):
        snap = community_view(nagaoka)
        live = community_view(nagaoka, live=True)
        assert [p["values"] for p in snap["panels"]] == [p["values"] for p in live["panels"]]
        assert [p["medians"] for p in snap["panels"]] == [p["medians"] for p in live["panels"]]
        assert snap["maturity"]["score"] == live["maturity"]["score"]
        snap_data, live_data = national_view()["data"], national_view(live=True)["data"]
        assert snap_data["trends"] == live_data["trends"]
        assert snap_data["reporting"] == live_data["reporting"]

    def test_a_median_of_two_communities_is_withheld_and_their_count_given(self):
        view = community_view(Community.objects.get(slug="nagaoka"))
        panel = next(p for p in view["panels"] if p["indicator"].code == "members_total")
        # 29 (Nagaoka) and 37 (Hokkaido) are the only regional values of 2021
        assert panel["medians"][2021] is None and panel["median_counts"][2021] == 2
        assert panel["median_counts"][2025] == 1
        assert MaturitySnapshot.objects.get(community__slug="nagaoka").stage == 1

    def test_a_community_is_compared_with_the_median_of_three_of_its_kind(
        self, nagaoka, secretariat
    ):
        tokai = Community.objects.get(slug="tokai")
        accept(tokai, 2021, members_total=50, by=secretariat)
        view = community_view(nagaoka)
        panel = next(p for p in view["panels"] if p["indicator"].code == "members_total")
        assert (panel["medians"][2021], panel["median_counts"][2021]) == (Decimal(37), 3)


class TestIndicatorsAreData:
    def test_the_secretariat_adds_an_indicator_in_the_admin_with_an_audit_row(
        self, login, secretariat
    ):
        response = login(secretariat).post(
            reverse("admin:maturity_indicator_add"),
            {
                "code": "trainees",
                "name": "研修修了者数",
                "name_en": "Trainees",
                "unit": "people",
                "category": "people",
                "higher_is_better": "on",
                "how_counted": "年度中に研修を修了した人数",
                "thresholds": "[5, 10, 20, 40]",
                "jump_ratio": "2.00",
                "automatic": "",
                "order": "20",
            },
        )
        assert response.status_code == 302
        assert Indicator.objects.filter(code="trainees").exists()
        assert AuditLog.objects.filter(
            action="admin.add", target_type="maturity.indicator"
        ).exists()

    def test_the_public_list_shows_every_definition(self, client):
        page = client.get(reverse("maturity:indicators")).content.decode()
        assert (
            "members_industry" in page
            and "ヒト（人材・組織）" in page
            and "renkei が自動で数えます" in page
        )


class TestOpenData:
    def test_the_api_publishes_definitions_values_and_dashboards_with_the_licence(self, client):
        assert len(client.get("/api/maturity/indicators").json()) == Indicator.objects.count()
        values = client.get("/api/maturity/values", {"community": "nagaoka"}).json()
        assert values["licence"].startswith("CC BY 4.0")
        assert [(v["fiscal_year"], v["value"]) for v in values["values"]] == [
            (2021, 29),
            (2023, 42),
            (2024, 54),
            (2025, 65),
        ]
        dashboard = client.get("/api/maturity/communities/nagaoka").json()
        assert dashboard["stage"] == 1 and dashboard["indicators"][0]["values"]["2025"] == 65
        national = client.get("/api/maturity/national").json()
        assert "status_kind" in national["figures"]
        assert national["reporting"]["members_total"] == {
            "2021": 3,
            "2023": 1,
            "2024": 1,
            "2025": 1,
        }

    def test_the_community_csv_carries_the_licence_the_median_and_its_count(self, client):
        text = client.get(reverse("maturity:dashboard_csv", args=["nagaoka"])).content.decode()
        lines = text.splitlines()
        assert (
            lines[0]
            == "\ufeff# licence: CC BY 4.0 (renkei / 出典: 内閣府 バイオコミュニティ関連資料 ほか)"
        )
        assert lines[1].endswith(",median_of_kind,communities_of_kind_reporting")
        # two regional communities reported 2021: no median, and the count says why; a count
        # is written as a whole number (29, not 29.00: issue 12)
        assert "nagaoka,members_total,構成機関数（合計）,organizations,2021,29,,2" in lines

    def test_the_download_and_the_export_are_the_same_file(self, client):
        from django.core.management import call_command

        out = io.StringIO()
        call_command("maturity", "export", "--format", "csv", stdout=out, stderr=io.StringIO())
        assert out.getvalue().splitlines()[0].startswith("\ufeff# licence: CC BY 4.0")
        download = client.get(reverse("maturity:values_csv")).content.decode()
        assert download == out.getvalue()

    def test_export_and_snapshot_commands(self):
        from django.core.management import call_command

        out = io.StringIO()
        call_command("maturity", "export", "--format", "csv", stdout=out, stderr=io.StringIO())
        assert "# licence: CC BY 4.0" in out.getvalue().splitlines()[0]
        out = io.StringIO()
        call_command("maturity", "snapshot", stdout=out)
        assert "コミュニティの集計を作り直しました" in out.getvalue()
