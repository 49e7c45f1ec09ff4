"""Issue 11 (4): links and text from imports are safe. Only http/https addresses (and mailto
where a mail address is meant) become links; a javascript: address in a jGrants response or
a programs CSV is refused at import with the row named, and one stored before is shown as
text, never as a link."""

import json

import pytest
from django.template import Context, Template

from renkei.lib import links
from renkei.lib.imports import DataImportError
from renkei.programs.exchange import import_programs
from renkei.programs.jgrants import import_jgrants
from renkei.programs.models import Program


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "\x01javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "//evil.example/x",
        "/relative/path",
        "https:///no-host",
        "ftp://files.example.jp/x",
        "mailto:a@example.jp",
    ],
)
def test_only_web_addresses_may_be_links(url):
    assert not links.is_web_url(url)
    assert links.safe_url(url) == ""


@pytest.mark.parametrize(
    "url", ["https://www.jgrants-portal.go.jp/subsidy/a0W", "http://example.jp/?q=稲"]
)
def test_web_addresses_are_kept(url):
    assert links.safe_url(url) == url


def test_mailto_only_for_a_mail_address():
    assert links.safe_mailto("sato@example.go.jp") == "mailto:sato@example.go.jp"
    assert links.safe_mailto("javascript:alert(1)//@x") == ""


def test_a_stored_javascript_address_is_shown_as_text_never_as_a_link():
    template = Template(
        '{% load renkei %}{% weblink url %}|{% if url|safe_url %}<a href="{{ url|safe_url }}">'
        "link</a>{% endif %}"
    )
    html = template.render(Context({"url": "javascript:alert(document.cookie)"}))
    assert "<a" not in html and "javascript:alert(document.cookie)|" in html
    good = template.render(Context({"url": "https://example.jp/"}))
    assert good.count('href="https://example.jp/"') == 2


def test_a_program_page_never_links_a_stored_javascript_address(client):
    program = Program.objects.order_by("code").first()
    Program.objects.filter(pk=program.pk).update(url="javascript:alert(1)")
    page = client.get(program.get_absolute_url()).content.decode()
    assert "javascript:" not in page


def test_a_programs_csv_with_a_javascript_address_is_refused_naming_the_row():
    data = "code,name,ministry,url\nsafe-1,安全な施策,mext,https://example.jp/\nbad-1,危ない施策,mext,javascript:alert(1)\n"
    with pytest.raises(DataImportError) as refused:
        import_programs(data.encode(), "programs.csv")
    (error,) = refused.value.errors
    assert (error.row, error.column) == (3, "url")
    assert "http:// か https://" in error.message
    assert not Program.objects.filter(code__in=["safe-1", "bad-1"]).exists()


def test_a_jgrants_response_with_a_javascript_address_is_refused_naming_the_item():
    item = {
        "id": "a0W5h00000UbCdEAAV",
        "name": "S-00001",
        "title": "危ない補助金",
        "front_subsidy_detail_page_url": "javascript:alert(1)",
    }
    payload = json.dumps({"result": [item]}).encode()
    with pytest.raises(DataImportError) as refused:
        import_jgrants(payload, "jgrants.json", dry_run=True)
    (error,) = refused.value.errors
    assert error.row == 1 and error.column == "url"
    assert not Program.objects.filter(code__startswith="jgrants-a0w5h").exists()
