"""The English catalogue is complete: every Japanese msgid has a checked English msgstr.

Japanese is the source language; English is the second. After `make messages`, any new string
shows up here as empty or fuzzy until it is translated (CONTRIBUTING.md, recipe step 7).
"""

import ast
import gettext
import re
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings

MESSAGES = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
CATALOGUES = sorted(MESSAGES.glob("*.po"))

# What must come through a translation unchanged: Python %-placeholders (named or not, with
# any conversion such as %(s).1f), %%, str.format fields, HTML tags with their attributes and
# entities.
PLACEHOLDER = re.compile(
    r"%\(\w+\)[-#0 +]?\d*(?:\.\d+)?[sdfir]"
    r"|%[-#0 +]?\d*(?:\.\d+)?[sdfir]"
    r"|%%"
    r"|\{[\w.\[\]]*(?:![rsa])?(?::[^{}]*)?\}"
    r"|</?[a-zA-Z][^<>]*>"
    r"|&[a-z]+;|&#\d+;"
)


def read_po(path):
    """The entries of a .po file as dicts: msgctxt, msgid, msgid_plural, msgstr (a list, one per
    plural form), flags and the line the entry starts on. Obsolete entries (#~) are skipped."""
    entries, entry, field = [], None, None

    def finish():
        if entry is not None and "msgid" in entry:
            entries.append(entry)

    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line:
            finish()
            entry, field = None, None
            continue
        if line.startswith("#~"):
            continue
        if entry is None:
            entry = {"line": number, "flags": set(), "msgstr": {}}
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            text = ast.literal_eval(line)
            if isinstance(field, tuple):
                entry["msgstr"][field[1]] += text
            else:
                entry[field] += text
        else:
            keyword, _space, rest = line.partition(" ")
            text = ast.literal_eval(rest)
            plural = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            if plural:
                field = ("msgstr", int(plural.group(1)))
                entry["msgstr"][field[1]] = text
            elif keyword == "msgstr":
                field = ("msgstr", 0)
                entry["msgstr"][0] = text
            else:
                field = keyword
                entry[field] = text
    finish()
    return [e for e in entries if e["msgid"]]  # the header has an empty msgid


def placeholders(text):
    return Counter(PLACEHOLDER.findall(text))


def problems(entry):
    """What is wrong with one entry's English, as short phrases (empty when it is fine)."""
    found = []
    if "fuzzy" in entry["flags"]:
        found.append("fuzzy")
    sources = [entry["msgid"]]
    if "msgid_plural" in entry:
        sources.append(entry["msgid_plural"])
    forms = [entry["msgstr"].get(i, "") for i in range(len(sources))]
    for source, text in zip(sources, forms, strict=True):
        if not text.strip():
            found.append("empty")
            continue
        if placeholders(source) != placeholders(text):
            found.append(
                f"placeholders {sorted(placeholders(text).elements())}"
                f" != {sorted(placeholders(source).elements())}"
            )
        if source.startswith("\n") != text.startswith("\n"):
            found.append("leading newline")
        if source.endswith("\n") != text.endswith("\n"):
            found.append("trailing newline")
    return found


def test_there_is_an_english_catalogue():
    assert MESSAGES / "django.po" in CATALOGUES


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: path.name)
def test_every_japanese_string_has_a_checked_english_translation(path):
    wrong = [
        f"{path.name}:{entry['line']}: {entry['msgid'][:60]!r}: {', '.join(found)}"
        for entry in read_po(path)
        if (found := problems(entry))
    ]
    assert wrong == [], (
        f"{len(wrong)} entries need an English translation (run `make messages`, translate, "
        "remove #, fuzzy, run `make messages` again):\n" + "\n".join(wrong)
    )


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: path.name)
def test_the_compiled_catalogue_carries_every_translation(path):
    with path.with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog
    stale = []
    for entry in read_po(path):
        key = (
            entry["msgid"] if "msgctxt" not in entry else f"{entry['msgctxt']}\x04{entry['msgid']}"
        )
        if "msgid_plural" in entry:
            if any(compiled.get((key, i)) != text for i, text in entry["msgstr"].items()):
                stale.append(entry["msgid"][:60])
        elif compiled.get(key) != entry["msgstr"][0]:
            stale.append(entry["msgid"][:60])
    assert stale == [], (
        f"{path.with_suffix('.mo').name} is older than {path.name} (run `make messages`): {stale}"
    )


def test_the_reader_finds_plural_forms_flags_and_continued_lines(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
        '#: a.py\n#, fuzzy, python-format\n#| msgid "古い"\n'
        'msgid "%(n)s 件"\nmsgid_plural "%(n)s 件"\nmsgstr[0] "%(n)s item"\nmsgstr[1] ""\n\n'
        'msgid ""\n"長い"\n"文"\nmsgstr ""\n"A long "\n"<b>sentence</b>"\n\n'
        '#~ msgid "消えた"\n#~ msgstr ""\n',
        encoding="utf-8",
    )
    plural, long = read_po(po)
    assert plural["flags"] == {"fuzzy", "python-format"}
    assert plural["msgstr"] == {0: "%(n)s item", 1: ""}
    assert problems(plural) == ["fuzzy", "empty"]
    assert long["msgid"] == "長い文"
    assert problems(long) == ["placeholders ['</b>', '<b>'] != []"]


def test_choosing_english_with_the_switch_renders_the_home_page_in_english(client, db):
    from django.urls import reverse
    from django.utils import translation

    with translation.override("en"):
        sign_in = translation.gettext("ログイン")
    assert sign_in != "ログイン"
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("portal:home")).content.decode()
    assert '<html lang="en">' in page
    assert sign_in in page
