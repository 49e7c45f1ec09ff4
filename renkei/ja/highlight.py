"""Mark the words of a text that match analysed query terms, for result snippets."""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe
from sudachipy import SplitMode

from renkei.ja.normalize import normalize
from renkei.ja.tokenize import _dictionary, _is_katakana, _split_unknown_katakana

_ASCII_PUNCT = re.compile(r"[\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]+")


def _form(text):
    return _ASCII_PUNCT.sub("", normalize(text))


def spans(text, terms):
    """(start, end) character spans of ``text`` whose words are among ``terms``."""
    wanted = set(terms)
    if not text or not wanted:
        return []
    found = []
    tokenizer = _dictionary().tokenizer(mode=SplitMode.A)
    for m in tokenizer.tokenize(text):
        forms = {_form(m.normalized_form()), _form(m.surface())}
        if m.is_oov() and _is_katakana(normalize(m.surface())):
            forms |= {_form(p) for p in _split_unknown_katakana(normalize(m.surface()))}
        if forms & wanted:
            found.append((m.begin(), m.end()))
    return found


def highlight(text, terms, limit=None):
    """HTML of ``text`` with matching words in <mark>, cut around the first match if
    ``limit`` characters are exceeded."""
    text = text or ""
    found = spans(text, terms)
    start, end = 0, len(text)
    if limit and len(text) > limit:
        first = found[0][0] if found else 0
        start = max(0, min(first - limit // 4, len(text) - limit))
        end = start + limit
    pieces: list[str] = []
    cursor = start
    for begin, finish in found:
        if begin < start or finish > end:
            continue
        pieces.append(escape(text[cursor:begin]))
        pieces.append(f"<mark>{escape(text[begin:finish])}</mark>")
        cursor = finish
    pieces.append(escape(text[cursor:end]))
    html = "".join(pieces)
    if start > 0:
        html = "…" + html
    if end < len(text):
        html += "…"
    return mark_safe(html)  # noqa: S308 - every piece of text is escaped above  # nosec B308, B703
