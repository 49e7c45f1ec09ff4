"""A small glossary of lay words and the technical terms that mean the same thing (死ぬ →
へい死, えさ → 飼料), read from glossary.tsv beside this module, where each line cites the
public source that explains the term in those words. Matching adds a need's technical terms
to its own words (renkei.matching.engine); search does not use it."""

from functools import lru_cache
from pathlib import Path

from renkei.ja.tokenize import analyze

GLOSSARY = Path(__file__).with_name("glossary.tsv")


def _key(word: str) -> str:
    """A lay word's matching form, as analyze() gives it for the word in running text."""
    found = [term.form for term in analyze(word) if not term.long_unit]
    return found[0] if len(found) == 1 else word


@lru_cache(maxsize=1)
def glossary() -> dict[str, tuple[str, ...]]:
    """Matching form of a lay word → the technical terms it stands for."""
    table: dict[str, tuple[str, ...]] = {}
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        lay, technical, _source = line.split("\t", 2)
        terms = tuple(t.strip() for t in technical.split(",") if t.strip())
        for word in lay.split(","):
            key = _key(word.strip())
            table[key] = tuple(dict.fromkeys(table.get(key, ()) + terms))
    return table


def technical_terms(form: str) -> tuple[str, ...]:
    """The technical terms for a lay word's matching form (empty if it has none)."""
    return glossary().get(form, ())
