"""Normalise Japanese text the way a reader would consider two strings "the same".

* neologdn, then NFKC: full-width ASCII → half-width, half-width kana → full-width, hyphen and
  long-vowel variants unified (ス－パ－ → スーパー), spaces between Japanese words removed;
* middle dots and similar separators inside words removed (バイオ・マス → バイオマス);
* katakana spelling variants folded (ヴァ → バ, ヴ → ブ, ヰ → イ, ヱ → エ);
* katakana words written in hiragana (ばいおます → バイオマス, げのむ → ゲノム): a whole run of
  three or more hiragana (a particle after it allowed) that the dictionary knows only as a
  katakana noun, never as a hiragana word (ところ and いちご stay as they are);
* case folded, runs of spaces collapsed.
"""

import re
import unicodedata
from functools import lru_cache

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
_HIRAGANA_RUN = re.compile(r"[ぁ-ゖー]{3,}")


def _katakana(text):
    return "".join(chr(ord(ch) + 0x60) if "ぁ" <= ch <= "ゖ" else ch for ch in text)


@lru_cache(maxsize=65536)
def _is_word(text, noun=False):
    """Whether the dictionary has ``text`` as it is written (as a noun, if asked)."""
    # Imported here: tokenize imports this module for normalize().
    from renkei.ja.tokenize import _dictionary

    return any(
        not m.is_oov() and (not noun or m.part_of_speech()[0] == "名詞")
        for m in _dictionary().lookup(text)
    )


# particles that may follow a word a person typed (ばいおますを, げのむの)
_PARTICLES = ("から", "まで", "より", "を", "が", "に", "の", "で", "と", "は", "も", "や", "へ")


def _loanword_spelling(run):
    """A run of hiragana that is a katakana noun (with a particle after it) in katakana:
    ばいおます → バイオマス, ばいおますを → バイオマスを. Only whole runs, as people type a word
    they do not know how to write; hiragana inside sentences (ようになった) stays as it is."""
    for particle in ("", *_PARTICLES):
        word = run[: len(run) - len(particle)] if particle else run
        if particle and not run.endswith(particle):
            continue
        loanword = len(word) >= 3 and not word.startswith("ー")
        if loanword and _is_word(_katakana(word), noun=True) and not _is_word(word):
            return _katakana(word) + particle
    return run


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
    if _HIRAGANA_RUN.search(text):
        text = _HIRAGANA_RUN.sub(lambda m: _loanword_spelling(m.group()), text)
    text = text.casefold()
    return _SPACES_RE.sub(" ", text).strip()
