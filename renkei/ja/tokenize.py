"""Tokenise normalised Japanese text into search terms with SudachiPy (core dictionary).

``analyze`` returns every content word twice over where it differs: the short units
(SplitMode.A, what a user types: 養殖, 創薬) and the long units (SplitMode.C, compounds such as
人材育成). Sudachi's normalised forms fold spelling variants (コンピュータ → コンピューター,
づくり → 作り). Katakana runs the dictionary does not know (ベンチャータータルサポート) are
split at the known words inside them so that ベンチャー and サポート still match.
"""

import threading
from dataclasses import dataclass
from functools import lru_cache

from sudachipy import Dictionary, SplitMode

from renkei.ja.normalize import normalize

# Parts of speech that carry meaning for search; particles, auxiliaries, symbols and
# affixes do not.
_CONTENT_POS = {"名詞", "動詞", "形容詞", "形状詞", "副詞", "代名詞"}
_STOP_TERMS = {
    # light verbs and the verbs inside における / による / として, which say nothing alone
    "為る",
    "居る",
    "有る",
    "成る",
    "おく",
    "よる",
    "因る",
    "依る",
    "行う",
    "れる",
    "られる",
    # formal nouns
    "こと",
    "事",
    "もの",
    "物",
    "ため",
    "為",
    "よう",
    "様",
    "等",
    "的",
}
_MAX_OOV_SPLIT = 40
_MIN_KNOWN_PIECE = 3

_local = threading.local()


@lru_cache(maxsize=1)
def _dictionary():
    return Dictionary(dict="core")


def _tokenizer(long_units):
    """One tokenizer per thread and mode (Sudachi tokenizers are not shared across threads)."""
    name = "long" if long_units else "short"
    tokenizer = getattr(_local, name, None)
    if tokenizer is None:
        mode = SplitMode.C if long_units else SplitMode.A
        tokenizer = _dictionary().tokenizer(mode=mode)
        setattr(_local, name, tokenizer)
    return tokenizer


@dataclass(frozen=True)
class Term:
    """One analysed word: what was written and the form used for matching."""

    surface: str
    form: str
    pos: str
    long_unit: bool = False
    synonym_groups: tuple = ()
    detail: tuple = ()  # Sudachi's finer parts of speech: ("普通名詞", "副詞可能")


def _is_katakana(text):
    return all("ァ" <= ch <= "ヺ" or ch == "ー" for ch in text)


def _split_unknown_katakana(word):
    """Split an unknown katakana run at the dictionary words inside it.

    Dynamic programming over the run: each known word of three or more characters scores
    the square of its length (long words win over chains of short ones), each uncovered
    character costs 2. Adjacent uncovered characters form one piece; a leftover of one or two
    characters is glued to its neighbour (ベンチャー|タータ|ル → ベンチャー|タータル).
    """
    n = len(word)
    if n > _MAX_OOV_SPLIT:
        return [word]
    dictionary = _dictionary()
    # best[i] = (score, pieces) for word[:i]
    best: list[tuple[int, list[tuple[str, bool]]] | None] = [(0, [])] + [None] * n
    for i in range(n):
        here = best[i]
        if here is None:
            continue
        score, pieces = here
        options = [(i + 1, False)]
        options += [
            (j, True)
            for j in range(i + _MIN_KNOWN_PIECE, n + 1)
            if any(not m.is_oov() for m in dictionary.lookup(word[i:j]))
        ]
        for j, known in options:
            candidate = score + ((j - i) ** 2 if known else -2)
            there = best[j]
            if there is None or candidate > there[0]:
                best[j] = (candidate, [*pieces, (word[i:j], known)])
    end = best[n]
    assert end is not None  # one character at a time always reaches the end
    merged: list[tuple[str, bool]] = []
    for piece, known in end[1]:
        if merged and not known and not merged[-1][1]:
            merged[-1] = (merged[-1][0] + piece, False)
        else:
            merged.append((piece, known))
    parts: list[str] = []
    for piece, known in merged:
        if parts and not known and len(piece) <= 2:
            parts[-1] += piece
        else:
            parts.append(piece)
    return parts


def _content_terms(normalized, long_units):
    found: list[Term] = []
    for morpheme in _tokenizer(long_units).tokenize(normalized):
        pos = morpheme.part_of_speech()[0]
        form = morpheme.normalized_form().casefold()
        surface = morpheme.surface()
        if pos not in _CONTENT_POS or form in _STOP_TERMS or not form.strip():
            continue
        if morpheme.part_of_speech()[1] == "非自立可能":
            continue
        if len(form) == 1 and not ("一" <= form <= "龥" or form.isalnum()):
            continue  # a lone kana is noise, a lone kanji (知, 場) is a word
        if morpheme.is_oov() and _is_katakana(surface) and not long_units:
            parts = _split_unknown_katakana(surface)
            if len(parts) > 1:
                found.extend(Term(part, part, pos) for part in parts)
                found.append(Term(surface, form, pos, long_unit=True))
                continue
        found.append(
            Term(
                surface,
                form,
                pos,
                long_unit=long_units,
                synonym_groups=tuple(morpheme.synonym_group_ids()),
                detail=tuple(morpheme.part_of_speech()[1:3]),
            )
        )
    return found


def analyze(text):
    """Analyse ``text`` into content terms: short units first, then distinct long units."""
    normalized = normalize(text)
    if not normalized:
        return []
    short = _content_terms(normalized, long_units=False)
    seen = {term.form for term in short}
    long = [t for t in _content_terms(normalized, long_units=True) if t.form not in seen]
    return short + long


def terms(text, *, long_units=True):
    """The matching forms of ``text``'s content words, in order, without repeats."""
    out = []
    for term in analyze(text):
        if term.long_unit and not long_units:
            continue
        if term.form not in out:
            out.append(term.form)
    return out
