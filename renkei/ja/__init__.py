"""The shared Japanese text pipeline: one normaliser and one tokenizer.

Search, matching and imports all call these functions so that the same text always turns
into the same terms, whichever database or feature reads them (see docs/adr/0001).
"""

from renkei.ja.normalize import normalize
from renkei.ja.tokenize import Term, analyze, terms

__all__ = ["Term", "analyze", "normalize", "terms"]
