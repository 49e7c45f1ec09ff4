"""Normalise Japanese text the way a reader would consider two strings "the same".

* neologdn, then NFKC: full-width ASCII → half-width, half-width kana → full-width, hyphen and
  long-vowel variants unified (ス－パ－ → スーパー), spaces between Japanese words removed;
* middle dots and similar separators inside words removed (バイオ・マス → バイオマス);
* katakana spelling variants folded (ヴァ → バ, ヴ → ブ, ヰ → イ, ヱ → エ);
* case folded, runs of spaces collapsed.
"""

import re
import unicodedata

import neologdn

_DOTS = "・·•‧∙⋅･"
_DOT_RE = re.compile(rf"(?<=\S)[{_DOTS}](?=\S)")
_LONE_DOT_RE = re.compile(rf"[{_DOTS}]")
_KATAKANA_VARIANTS = [
    ("ヴァ", "バ"),
    ("ヴィ", "ビ"),
    ("ヴェ", "ベ"),
    ("ヴォ", "ボ"),
    ("ヴュ", "ビュ"),
    ("ヴ", "ブ"),
    ("ヰ", "イ"),
    ("ヱ", "エ"),
]
_SPACES_RE = re.compile(r"\s+")


def normalize(text):
    """Return the canonical form of ``text`` used for comparing and indexing."""
    if not text:
        return ""
    # neologdn first: it reads full-width dashes after katakana as long-vowel marks, which
    # NFKC would turn into ASCII hyphens.
    text = neologdn.normalize(str(text))
    text = unicodedata.normalize("NFKC", text)
    text = _DOT_RE.sub("", text)
    text = _LONE_DOT_RE.sub(" ", text)
    for variant, canonical in _KATAKANA_VARIANTS:
        text = text.replace(variant, canonical)
    text = text.casefold()
    return _SPACES_RE.sub(" ", text).strip()
