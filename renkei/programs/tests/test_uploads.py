"""The secretariat uploads program lists and jGrants responses from the portal: the whole
file is validated, what would change is previewed (new / changed / unchanged), and applying
writes it all — unless the preview went stale, when nothing is written.

Personas: 佐藤 is the secretariat; 伊藤 is a signed-in outsider."""

import csv
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from renkei.accounts.models import AuditLog
from renkei.programs.exchange import export_programs
from renkei.programs.models import Program, ProgramUpload

HERE = Path(__file__).parent


def html(response):
    return response.content.decode()


def catalogue_csv(edit=None, extra=()):
    """The catalogue as the export writes it, with ``edit(row)`` applied and ``extra`` rows."""
    stream = io.StringIO()
    export_programs("csv", stream)
    rows = list(csv.DictReader(io.StringIO(stream.getvalue().lstrip("\ufeff"))))
    header = list(rows[0])
    for row in rows:
        if edit:
            edit(row)
    out = io.StringIO()
    writer = csv.DictWriter(out, header, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows + [{**dict.fromkeys(header, ""), **r} for r in extra])
    return out.getvalue().encode("utf-8")


def upload(client, data, name="programs.csv", kind="programs"):
    return client.post(
        reverse("programs:upload_new"), {"kind": kind, "file": SimpleUploadedFile(name, data)}
    )


def rename_co_creation(row):
    if row["code"] == "mext-co-creation-platform":
        row["name"] = "共創の場形成支援プログラム（改称）"


NEW_PROGRAM = {"code": "test-new-program", "name": "新しい支援施策", "ministry": "mext"}


def test_a_re_uploaded_export_changes_nothing(login, secretariat):
    sato = login(secretariat)
    response = upload(sato, catalogue_csv())
    found = ProgramUpload.objects.get()
    assert response["Location"] == found.get_absolute_url()
    assert found.summary["counts"] == {"new": 0, "changed": 0, "unchanged": 12}


def test_the_preview_says_what_is_new_changed_and_unchanged_then_applying_writes_it(
    login, secretariat
):
    sato = login(secretariat)
    untouched = Program.objects.get(code="cao-prism-bio-community").updated_at
    upload(sato, catalogue_csv(rename_co_creation, [NEW_PROGRAM]))
    found = ProgramUpload.objects.get()
    page = html(sato.get(found.get_absolute_url()))
    assert "新しく載る施策（1）" in page and "変わる施策（1）" in page
    assert "変わらない施策（11）" in page and "変わる項目: 事業名" in page
    assert not Program.objects.filter(code="test-new-program").exists()  # nothing yet

    response = sato.post(reverse("programs:upload_apply", args=[found.pk]))
    assert response.status_code == 302
    assert Program.objects.get(code="test-new-program").name == "新しい支援施策"
    assert (
        Program.objects.get(code="mext-co-creation-platform").name
        == "共創の場形成支援プログラム（改称）"
    )
    assert Program.objects.get(code="cao-prism-bio-community").updated_at == untouched
    found.refresh_from_db()
    assert found.state == "applied"
    assert AuditLog.objects.filter(action="programs.upload").exists()
    assert AuditLog.objects.filter(action="programs.import", note="programs.csv").exists()


def test_a_stale_preview_is_refused_and_nothing_is_written(login, secretariat):
    sato = login(secretariat)
    upload(sato, catalogue_csv(extra=[NEW_PROGRAM]))
    first = ProgramUpload.objects.get()
    # another write to the catalogue after the preview
    upload(sato, catalogue_csv(rename_co_creation))
    second = ProgramUpload.objects.exclude(pk=first.pk).get()
    assert sato.post(reverse("programs:upload_apply", args=[second.pk])).status_code == 302

    response = sato.post(reverse("programs:upload_apply", args=[first.pk]))
    assert response.status_code == 409
    assert "この確認は古くなりました" in html(response)
    assert not Program.objects.filter(code="test-new-program").exists()
    first.refresh_from_db()
    assert first.state == "previewed"


def test_an_upload_is_applied_once(login, secretariat):
    sato = login(secretariat)
    upload(sato, catalogue_csv(extra=[NEW_PROGRAM]))
    found = ProgramUpload.objects.get()
    sato.post(reverse("programs:upload_apply", args=[found.pk]))
    again = sato.post(reverse("programs:upload_apply", args=[found.pk]))
    assert again.status_code == 409 and "すでに反映したか" in html(again)


def test_every_bad_row_is_reported_and_nothing_is_kept_or_written(login, secretariat):
    sato = login(secretariat)
    data = (
        "code,name,ministry,budget_lines\n"
        'test-negative,負の予算,mext,"[{""fiscal_year"": 2023, ""kind"": ""initial"", ""amount_thousand_yen"": -5}]"\n'
        "test-unknown,未知の府省,ministry-of-magic,\n"
    ).encode()
    response = upload(sato, data, "bad.csv")
    assert response.status_code == 400
    page = html(response)
    assert "何も書き込んでいません" in page
    assert (
        "bad.csv:2行:budget_lines[0].amount_thousand_yen列: 0 以上の値を入力してください。" in page
    )
    assert "bad.csv:3行:ministry列: 府省「ministry-of-magic」" in page
    assert not ProgramUpload.objects.exists()
    assert not Program.objects.filter(code__startswith="test-").exists()


@pytest.mark.parametrize(
    ("kind", "name", "message"),
    [("programs", "programs.pdf", ".csv・.xlsx・.json"), ("jgrants", "jgrants.csv", ".json")],
)
def test_a_file_of_the_wrong_kind_is_refused(login, secretariat, kind, name, message):
    response = upload(login(secretariat), b"x", name, kind)
    assert response.status_code == 400 and message in html(response)
    assert not ProgramUpload.objects.exists()


def test_a_jgrants_response_is_previewed_then_applied_with_its_credit(login, secretariat):
    sato = login(secretariat)
    data = (HERE / "jgrants_sample.json").read_bytes()
    upload(sato, data, "jgrants.json", "jgrants")
    found = ProgramUpload.objects.get()
    assert found.summary["counts"] == {"new": 2, "changed": 0, "unchanged": 0}
    sato.post(reverse("programs:upload_apply", args=[found.pk]))
    assert Program.objects.get(code="jgrants-a0w5h00000testxyza").credit == (
        "Jグランツ（jGrants）からの出典"
    )
    upload(sato, data, "jgrants.json", "jgrants")
    again = ProgramUpload.objects.exclude(pk=found.pk).get()
    assert again.summary["counts"] == {"new": 0, "changed": 0, "unchanged": 2}


def test_a_discarded_upload_writes_nothing(login, secretariat):
    sato = login(secretariat)
    upload(sato, catalogue_csv(extra=[NEW_PROGRAM]))
    found = ProgramUpload.objects.get()
    assert sato.post(reverse("programs:upload_discard", args=[found.pk])).status_code == 302
    assert sato.post(reverse("programs:upload_apply", args=[found.pk])).status_code == 409
    assert not Program.objects.filter(code="test-new-program").exists()


def test_only_the_secretariat_uploads(login, outsider):
    ito = login(outsider)
    assert ito.get(reverse("programs:uploads")).status_code == 403
    assert upload(ito, catalogue_csv()).status_code == 403
    assert not ProgramUpload.objects.exists()
