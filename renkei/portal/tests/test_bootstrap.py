"""`renkei bootstrap` loads the default data set whole, once, or writes nothing."""

import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from renkei.accounts.models import AuditLog
from renkei.communities.models import Community
from renkei.councils.models import CaseStudy, Interview, Survey
from renkei.lib.imports import DataImportError
from renkei.portal.dataset import DATA_DIR, load_default_dataset
from renkei.programs.models import Program
from renkei.regions.models import ContactWindow, Municipality, Organization, Prefecture


@pytest.fixture
def empty_database():
    """Remove the default data inside the test's transaction (rolled back afterwards)."""
    from renkei.communities.models import Application, CertificationRound, StrategyMarketArea
    from renkei.maturity.models import Indicator, Report

    Report.objects.all().delete()
    Indicator.objects.all().delete()
    Application.objects.all().delete()
    CertificationRound.objects.all().delete()
    for model in (
        Community,
        StrategyMarketArea,
        Program,
        CaseStudy,
        Survey,
        Interview,
        ContactWindow,
    ):
        model.objects.all().delete()
    Organization.objects.all().delete()
    Municipality.objects.filter(parent__isnull=False).delete()
    Municipality.objects.all().delete()
    Prefecture.objects.all().delete()


@pytest.fixture
def data_dir(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def test_a_second_bootstrap_changes_nothing():
    out = StringIO()
    before = (Program.objects.count(), AuditLog.objects.count())
    call_command("bootstrap", stdout=out)
    assert "読み込み済み" in out.getvalue()
    assert (Program.objects.count(), AuditLog.objects.count()) == before


def test_check_validates_everything_and_writes_nothing():
    out = StringIO()
    before = (Organization.objects.count(), AuditLog.objects.count())
    call_command("bootstrap", "--check", stdout=out)
    assert "問題はありません" in out.getvalue()
    assert (Organization.objects.count(), AuditLog.objects.count()) == before


def test_bootstrap_loads_an_empty_database_and_records_it(empty_database):
    out = StringIO()
    call_command("bootstrap", stdout=out)
    assert "[regions] prefectures=47, municipalities=1916, schools=1207" in out.getvalue()
    assert Program.objects.count() == 12
    assert AuditLog.objects.filter(action="dataset.bootstrap").exists()


def test_an_error_in_the_last_file_leaves_the_database_empty(empty_database, data_dir):
    path = data_dir / "source" / "survey_2021.yaml"
    path.write_text(path.read_text().replace("with_council: 28", "with_council: 99"))
    with pytest.raises(DataImportError) as excinfo:
        load_default_dataset(data_dir)
    assert "協議会等を設置している団体数が対象団体数を超えています" in str(excinfo.value)
    assert Prefecture.objects.count() == 0 and Program.objects.count() == 0


def test_the_command_prints_each_error_with_row_and_column(empty_database, data_dir):
    path = data_dir / "source" / "programs.yaml"
    text = path.read_text()
    text = text.replace("phone: 03-6910-2049", "phone: 6910-2049")
    text = text.replace(
        "amount_thousand_yen: 300000, is_headline: true}",
        "amount_thousand_yen: -300000, is_headline: true}",
    )
    path.write_text(text)
    err = StringIO()
    with pytest.raises(CommandError, match="2 件のエラー"):
        call_command("bootstrap", "--data-dir", str(data_dir), stderr=err, stdout=StringIO())
    lines = err.getvalue().splitlines()
    assert any(
        line.startswith("programs.yaml:") and "contacts[0].phone列" in line and "6910-2049" in line
        for line in lines
    )
    assert any(
        "budget_lines[0].amount_thousand_yen列: 0 以上の値を入力してください。" in line
        for line in lines
    )
    assert Prefecture.objects.count() == 0


def test_duplicate_yaml_keys_and_unknown_fields_are_refused(empty_database, data_dir):
    path = data_dir / "source" / "programs.yaml"
    text = path.read_text()
    text = text.replace(
        "    ministry: 文部科学省\n", "    ministry: 文部科学省\n    ministry: 内閣府\n", 1
    )
    path.write_text(text)
    with pytest.raises(DataImportError, match="キー「ministry」が重複しています"):
        load_default_dataset(data_dir)
    path.write_text(path.read_text().replace("    ministry: 内閣府\n", "    ministri: 内閣府\n", 1))
    with pytest.raises(DataImportError, match="ministri列: この項目は使えません"):
        load_default_dataset(data_dir)


def test_a_json_member_left_unresolved_is_refused(empty_database, data_dir):
    path = data_dir / "source" / "communities.yaml"
    path.write_text(path.read_text().replace("{json_name: 長岡商工会議所, ", "{"))
    with pytest.raises(DataImportError, match="長岡商工会議所」が members で扱われていません"):
        load_default_dataset(data_dir)


def test_check_on_a_loaded_database_finds_errors_in_every_file(data_dir):
    reference = data_dir / "reference" / "localgovjp-utf8.csv"
    reference.write_text(reference.read_text().replace(",011002\n", ",011003\n"))
    communities = data_dir / "source" / "communities.yaml"
    communities.write_text(
        communities.read_text().replace("university: 岐阜大学", "university: 岐阜大")
    )
    err = StringIO()
    with pytest.raises(CommandError, match="何も書き込んでいません"):
        call_command(
            "bootstrap", "--check", "--data-dir", str(data_dir), stderr=err, stdout=StringIO()
        )
    assert "localgovjp-utf8.csv:2行:lgcode列" in err.getvalue()
    assert "学校コード一覧に「岐阜大」がありません" in err.getvalue()
