"""Every figure of the source document's tables can be found on a public page.

The test reads the source document shipped with the data set, pulls out every amount, phone
number, e-mail address and count, and looks for each on the pages that show that table.
"""

import re

import pytest
from django.urls import reverse

from renkei.portal.dataset import DATA_DIR
from renkei.programs.models import Program

SOURCE = (DATA_DIR / "source" / "source_document.txt").read_text()


def _section(start, end):
    return SOURCE[SOURCE.index(start) : SOURCE.index(end)]


def _pages(client, urls):
    return "".join(client.get(url).content.decode() for url in urls)


@pytest.fixture
def program_pages(client):
    urls = [p.get_absolute_url() for p in Program.objects.all()]
    return _pages(client, [*urls, reverse("programs:list"), reverse("regions:windows")])


def test_every_contact_table_figure_is_shown(program_pages):
    tables = _section(
        "# R4年度地域バイオコミュニティの形成に向けた支援メニューの連絡先", "## 5. 參考資料"
    )
    amounts = re.findall(r"\d{1,3}(?:,\d{3})+", tables)
    phones = re.findall(r"0\d{1,3}-\d{3,4}-\d{4}", tables)
    emails = re.findall(r"[\w.-]+@[\w.-]+\.jp", tables)
    extensions = re.findall(r"内線(\d+)", tables)
    assert len(amounts) == 12 and len(phones) == 12 and len(emails) == 8 and len(extensions) == 2
    for figure in amounts + phones + emails + extensions:
        assert figure in program_pages, figure


def test_every_budget_table_figure_is_shown(client):
    table = _section(
        "## バイオコミュニティの形成に関する予算",
        "# R4年度地域バイオコミュニティの形成に向けた支援メニュー",
    )
    page = client.get(reverse("programs:budget")).content.decode()
    figures = re.findall(r"\d+億円(?:の内数)?", table)
    assert len(figures) == 14
    for figure in figures:
        assert figure in page, figure
    assert page.count("(-)") == table.count("(-)")


def test_every_menu_amount_is_shown(program_pages):
    menu = _section(
        "# R4年度地域バイオコミュニティの形成に向けた支援メニュー\n",
        "# R4年度地域バイオコミュニティの形成に向けた支援メニューの連絡先",
    )
    labels = re.findall(r"：(\d[\d.]*億円(?:（[^）]*）)?)\*\*", menu.replace("\n", ""))
    assert len(labels) == 11
    for label in labels:
        assert label.replace("（内数）", "") in program_pages, label


def test_the_survey_and_interview_counts_are_shown(client):
    html = _pages(
        client,
        [
            reverse("councils:index"),
            reverse("councils:survey", args=["prefectures-designated-cities-2021"]),
        ],
    )
    assert "28 団体" in html and "67 団体" in html
    assert "20 名以上" in html
