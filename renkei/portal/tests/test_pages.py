"""Every public page of the portal shell renders in Japanese, and in English on request."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

PUBLIC_PAGES = [
    ("portal:home", []),
    ("portal:data", []),
    ("programs:list", []),
    ("programs:budget", []),
    ("programs:detail", ["mext-co-creation-platform"]),
    ("communities:list", []),
    ("communities:detail", ["nagaoka"]),
    ("communities:rounds", []),
    ("communities:results", [1]),
    ("programs:search", []),
    ("programs:compare", []),
    ("programs:budget_overview", []),
    ("programs:pathways", []),
    ("regions:index", []),
    ("portal:prefecture", ["15"]),
    ("portal:city", ["151009"]),
    ("portal:ask", []),
    ("regions:organizations", []),
    ("regions:windows", []),
    ("councils:index", []),
    ("councils:interview", ["stakeholder-interviews-2022"]),
    ("councils:survey", ["prefectures-designated-cities-2021"]),
    ("councils:case", ["shizuoka-maoi"]),
    ("councils:cases", []),
    ("councils:councils", []),
    ("councils:surveys", []),
    ("councils:findings", []),
    ("accounts:login", []),
]


@pytest.mark.parametrize(("name", "args"), PUBLIC_PAGES)
def test_an_anonymous_visitor_sees_each_public_page_in_japanese(client, name, args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ja">' in html
    assert 'href="#content"' in html  # skip link for keyboard users


def test_the_language_switch_turns_the_portal_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Support programs" in html


def test_the_language_switch_form_works_without_javascript(client):
    html = client.get(reverse("portal:home")).content.decode()
    assert 'action="/i18n/setlang/"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert "<script" not in html


def test_the_top_page_says_what_the_portal_is_for_and_links_the_sections(client):
    html = client.get(reverse("portal:home")).content.decode()
    assert "支援施策を探す" in html
    for name in ("programs:list", "communities:list", "regions:index", "regions:windows"):
        assert f'href="{reverse(name)}"' in html


def test_unknown_objects_are_404(client):
    assert client.get(reverse("programs:detail", args=["no-such-program"])).status_code == 404
    assert client.get(reverse("communities:detail", args=["atlantis"])).status_code == 404
    assert client.get(reverse("portal:prefecture", args=["99"])).status_code == 404


def test_health_check_reports_the_database(client):
    assert client.get(reverse("portal:healthz")).json() == {"status": "ok"}


def test_pages_stay_japanese_for_an_english_browser_until_english_is_chosen(client):
    page = client.get(reverse("portal:home"), headers={"accept-language": "en-US,en;q=0.9"})
    assert '<html lang="ja">' in page.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert '<html lang="en">' in client.get(reverse("portal:home")).content.decode()


def test_every_english_translation_keeps_the_placeholders_of_its_japanese_original():
    import gettext
    import re

    from django.conf import settings

    path = settings.LOCALE_PATHS[0] / "en" / "LC_MESSAGES" / "django.mo"
    with path.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog
    placeholder = re.compile(r"%\((\w+)\)s")
    plurals = {}
    for key, text in catalog.items():
        if isinstance(key, tuple):
            plurals.setdefault(key[0], []).append(text)
    mismatched = [
        source
        for source, text in catalog.items()
        if isinstance(source, str)
        and source
        and set(placeholder.findall(source)) != set(placeholder.findall(text))
    ]
    mismatched += [
        source
        for source, texts in plurals.items()
        if any(set(placeholder.findall(source)) != set(placeholder.findall(t)) for t in texts)
    ]
    assert mismatched == []
    assert len(catalog) > 700


@pytest.mark.parametrize(("name", "args"), PUBLIC_PAGES)
def test_a_table_too_wide_for_a_phone_scrolls_in_a_region_the_keyboard_can_reach(
    client, name, args
):
    html = client.get(reverse(name, args=args)).content.decode()
    for wrapper in re.findall(r'<div class="table-scroll[^"]*"[^>]*>', html):
        assert 'role="region"' in wrapper
        assert 'aria-label="' in wrapper
        assert 'tabindex="0"' in wrapper


def test_table_cells_let_japanese_wrap_between_characters_and_keep_columns_readable():
    css = (Path(settings.BASE_DIR) / "portal/static/renkei/renkei.css").read_text()
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    # keep-all makes a Japanese sentence one unbreakable word; overflow-wrap: anywhere on a
    # cell lets the table squeeze its column to one character a line.
    assert "keep-all" not in css
    for rule in re.findall(r"([^{}]*)\{([^}]*)\}", css):
        selectors = {s.strip() for s in rule[0].split(",")}
        if selectors & {"td", "th"}:
            assert "anywhere" not in rule[1]
    assert "min-width: 4.5em" in css
