"""Export and import of the catalogue, jGrants responses, and the command line around them."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from renkei.accounts.models import AuditLog
from renkei.lib.imports import DataImportError
from renkei.programs.exchange import export_programs, import_programs
from renkei.programs.jgrants import CREDIT, import_jgrants
from renkei.programs.models import Program

HERE = Path(__file__).parent


def export(fmt):
    if fmt == "xlsx":
        stream = io.BytesIO()
        export_programs("xlsx", stream)
        return stream.getvalue()
    stream = io.StringIO()
    export_programs(fmt, stream)
    return stream.getvalue().encode("utf-8")


def snapshot():
    stream = io.StringIO()
    export_programs("json", stream)
    return json.loads(stream.getvalue())


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_export_then_import_into_an_empty_catalogue_gives_the_same_catalogue(fmt):
    before = snapshot()
    data = export(fmt)
    Program.objects.all().delete()
    assert Program.objects.count() == 0
    counts = import_programs(data, f"programs.{fmt}")
    assert counts == {"created": 12, "updated": 0}
    assert snapshot() == before


def test_a_second_import_updates_in_place_by_code():
    data = export("json")
    assert import_programs(data, "programs.json") == {"created": 0, "updated": 12}
    assert Program.objects.count() == 12


def test_csv_export_is_excel_friendly_and_safe_against_formulas():
    program = Program.objects.get(code="mext-co-creation-platform")
    program.description = '=HYPERLINK("http://evil.example","click")'
    program.save()
    text = export("csv").decode("utf-8")
    assert text.startswith("\ufeffcode,name,")
    assert "'=HYPERLINK" in text
    Program.objects.all().delete()
    import_programs(text.encode("utf-8"), "programs.csv")
    assert Program.objects.get(code="mext-co-creation-platform").description.startswith(
        "=HYPERLINK"
    )


def _csv(rows, header="code,name,ministry,budget_lines"):
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


def test_import_rejects_every_bad_row_with_row_and_column_and_writes_nothing():
    data = _csv(
        [
            "test-ok,正しい施策,mext,",
            'test-negative,負の予算,mext,"[{""fiscal_year"": 2023, ""kind"": ""initial"", ""amount_thousand_yen"": -5}]"',
            'test-text,文字の予算,mext,"[{""fiscal_year"": 2023, ""kind"": ""initial"", ""amount_thousand_yen"": ""十億""}]"',
            "test-unknown,未知の府省,ministry-of-magic,",
            "test-ok,重複,mext,",
            "Bad Code,大文字,mext,",
        ]
    )
    with pytest.raises(DataImportError) as excinfo:
        import_programs(data, "bad.csv")
    errors = [str(e) for e in excinfo.value.errors]
    assert (
        "bad.csv:3行:budget_lines[0].amount_thousand_yen列: 0 以上の値を入力してください。"
        in errors
    )
    assert "bad.csv:4行:budget_lines[0].amount_thousand_yen列: 整数で入力してください。" in errors
    assert any(e.startswith("bad.csv:5行:ministry列: 府省「ministry-of-magic」") for e in errors)
    assert any(
        e.startswith("bad.csv:6行:code列: 施策コード「test-ok」が 2 行目と重複") for e in errors
    )
    assert any(e.startswith("bad.csv:7行:code列: 識別子「Bad Code」") for e in errors)
    assert not Program.objects.filter(code__startswith="test-").exists()


def test_import_rejects_missing_columns_and_wrong_encodings():
    with pytest.raises(DataImportError, match="必須の列「ministry」がありません"):
        import_programs(_csv([], header="code,name"), "x.csv")
    cp932 = "code,name,ministry\ntest-x,漢字,mext\n".encode("cp932")
    with pytest.raises(DataImportError, match="文字コードが UTF-8 ではありません"):
        import_programs(cp932, "x.csv")
    with pytest.raises(DataImportError, match="CSV・XLSX・JSON"):
        import_programs(b"", "x.txt")


def test_a_pathway_to_an_unknown_program_is_refused():
    data = json.dumps(
        [
            {
                "code": "test-a",
                "name": "A",
                "ministry": "mext",
                "pathways": [{"to": "nowhere", "kind": "next_stage", "reason": "x"}],
            }
        ]
    )
    with pytest.raises(DataImportError, match="次の一手の施策コード「nowhere」がありません"):
        import_programs(data.encode(), "x.json")


class TestJgrants:
    def test_subsidies_become_programs_for_companies_with_their_call_and_credit(self):
        counts = import_jgrants((HERE / "jgrants_sample.json").read_bytes(), "jgrants.json")
        assert counts == {"created": 2, "updated": 0}
        program = Program.objects.get(code="jgrants-a0w5h00000testxyza")
        assert program.applicant_types == ["company"]
        assert program.credit == CREDIT
        assert program.ministry.code == "maff" and program.stage == "facilities"
        assert program.subsidy_max_thousand_yen == 5000 and program.subsidy_rate == "1/2以内"
        assert "自動給餌機" in program.description and "<b>" not in program.description
        call = program.call_periods.get()
        assert call.closes_at.isoformat() == "2026-12-15T08:00:00+00:00"
        other = Program.objects.get(code="jgrants-a0wj200000cddbomat")
        assert other.ministry is None and other.subsidy_max_thousand_yen is None

    def test_the_credit_line_is_shown_on_the_program_page(self, client):
        import_jgrants((HERE / "jgrants_sample.json").read_bytes(), "jgrants.json")
        page = client.get("/programs/jgrants-a0w5h00000testxyza/").content.decode()
        assert "Jグランツ（jGrants）からの出典" in page

    def test_bad_items_are_reported_and_nothing_is_written(self):
        payload = {
            "result": [
                {"id": "bad id!", "title": "x"},
                {"id": "a0W5h00000Ok1234", "title": ""},
                {"id": "a0W5h00000Ok5678", "title": "y", "subsidy_max_limit": -1},
            ]
        }
        with pytest.raises(DataImportError) as excinfo:
            import_jgrants(json.dumps(payload).encode(), "j.json")
        assert len(excinfo.value.errors) == 3
        assert not Program.objects.filter(code__startswith="jgrants-").exists()


class TestCommandLine:
    def test_programs_search_prints_a_table(self):
        out = io.StringIO()
        call_command("programs", "search", "--applicant", "local_government", stdout=out)
        lines = out.getvalue().splitlines()
        assert len(lines) == 5 and lines[-1] == "4 件を表示（該当 4 件）"

    def test_programs_search_json_prints_the_api_objects(self):
        out = io.StringIO()
        call_command("programs", "search", "養殖", "--format", "json", stdout=out)
        assert json.loads(out.getvalue()) == []
        out = io.StringIO()
        call_command("programs", "search", "--ministry", "mhlw", "--format", "json", stdout=out)
        (program,) = json.loads(out.getvalue())
        assert program["name"] == "医療系ベンチャートータルサポート事業"
        assert program["applicant_types"] == ["university", "company"]

    def test_programs_search_refuses_a_limit_over_100(self):
        with pytest.raises(CommandError, match="--limit"):
            call_command("programs", "search", "--limit", "101")

    def test_export_and_import_round_trip_through_files(self, tmp_path):
        path = tmp_path / "programs.xlsx"
        call_command(
            "programs", "export", "--format", "xlsx", "--output", str(path), stderr=io.StringIO()
        )
        out = io.StringIO()
        call_command("programs", "import", str(path), "--dry-run", stdout=out)
        assert "新規 0 件、更新 12 件" in out.getvalue()
        call_command("programs", "import", str(path), stdout=io.StringIO())
        assert AuditLog.objects.filter(action="programs.import", note="programs.xlsx").exists()

    def test_export_to_standard_output_writes_only_the_data(self):
        out, err = io.StringIO(), io.StringIO()
        call_command("programs", "export", "--format", "json", stdout=out, stderr=err)
        assert len(json.loads(out.getvalue())) == 12 and "12 件を書き出しました" in err.getvalue()

    def test_xlsx_needs_an_output_file(self):
        with pytest.raises(CommandError, match="--output"):
            call_command("programs", "export", "--format", "xlsx", stderr=io.StringIO())

    def test_import_prints_errors_and_fails(self, tmp_path):
        path = tmp_path / "bad.csv"
        path.write_bytes(_csv(["test-x,名前,nowhere,"]))
        err = io.StringIO()
        with pytest.raises(CommandError, match="何も書き込んでいません"):
            call_command("programs", "import", str(path), stderr=err)
        assert "bad.csv:2行:ministry列" in err.getvalue()

    def test_import_jgrants_from_a_file(self):
        out = io.StringIO()
        call_command("programs", "import-jgrants", str(HERE / "jgrants_sample.json"), stdout=out)
        assert "新規 2 件" in out.getvalue()


def test_reindex_rebuilds_the_index_with_progress():
    out = io.StringIO()
    call_command("programs", "reindex", stdout=out)
    assert "索引 12 / 12 件" in out.getvalue()
    from renkei.programs.search import SearchParams, search_programs

    assert search_programs(SearchParams(q="タータル")).total == 1


def test_every_plain_field_of_the_record_is_a_column_of_the_program_model():
    from renkei.programs.records import PLAIN_FIELDS

    assert set(PLAIN_FIELDS) <= {field.name for field in Program._meta.concrete_fields}


def test_the_export_has_a_column_for_every_field_of_the_record_and_carries_pathways():
    from renkei.programs.exchange import COLUMNS, REQUIRED
    from renkei.programs.records import ProgramData, fields_of

    assert sorted(COLUMNS) == sorted(fields_of(ProgramData))
    assert REQUIRED == ["code", "name", "ministry"]
    (program,) = [
        p for p in snapshot() if p["code"] == "mext-regional-revitalization-human-resources"
    ]
    assert {p["to"] for p in program["pathways"]} == {
        "mext-co-creation-platform",
        "cao-regional-university-industry-grant",
    }
