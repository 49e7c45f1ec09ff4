"""Benchmark: requests/s of program search over HTTP, renkei beside Datasette (issue 17).

    .venv/bin/python bench/throughput.py [--programs 50000] [--rounds 3] [--duration 10]
                                         [--connections 8]

Serves one catalogue two ways on loopback and drives both with wrk at a fixed concurrency:

  * renkei      – `renkei serve` (gunicorn, its default worker count) on the benchmark's
                  SQLite catalogue (bench/programs_search.py generates it), GET /api/programs?q=
                  (match, facet counts, first page of 20, JSON);
  * datasette   – Datasette 0.65 (installed from PyPI into bench/out/datasette-venv, never a
                  renkei dependency) on a copy of the same programs (name, description,
                  keywords, aliases, department) with an FTS5 table, asked two ways:
                  ``_search=`` (FTS5 with its default tokenizer) and substring ``LIKE`` over
                  the same columns (``_where=``), first page of 20 with the count.

For each term the three measures alternate (renkei, FTS, LIKE, then again) for ``--rounds``
rounds; the table gives the median requests/s and p95 of the rounds and each side's hit
count. renkei's per-worker request counts come from its access log (the pid of each line).
Results go to bench/out/throughput.json too.
"""

import argparse
import json
import os
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
BIN = Path(sys.executable).parent
TERMS = ["養殖", "事業", "ワクチン", "ﾊﾞｲｵﾏｽ", "研究推進課", "微生物 酵素"]
WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %.3f %.3f %.3f %.3f\\n", summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read +
    summary.errors.write + summary.errors.timeout, summary.duration / 1e6,
    latency:percentile(50) / 1e3, latency:percentile(95) / 1e3, latency:percentile(99) / 1e3))
end
"""


def sh(*args, **kwargs):
    return subprocess.run(args, check=True, **kwargs)  # noqa: S603 - fixed programs  # nosec B603


def renkei_database():
    path = OUT / "renkei_bench_programs.sqlite3"
    if not path.exists():
        sys.exit("run bench/programs_search.py --engine sqlite first (it generates the catalogue)")
    return path


def datasette_bin():
    venv = OUT / "datasette-venv"
    if not (venv / "bin" / "datasette").exists():
        print("installing Datasette into bench/out/datasette-venv…", file=sys.stderr)
        sh(sys.executable, "-m", "venv", str(venv))
        sh(str(venv / "bin" / "pip"), "install", "-q", "datasette==0.65.*")
    return venv / "bin" / "datasette"


def export_for_datasette(source, target):
    """The programs of the renkei database as one plain table with an FTS5 table beside it
    (what `sqlite-utils enable-fts` makes: default tokenizer, content table)."""
    if target.exists() and target.stat().st_mtime > source.stat().st_mtime:
        return
    target.unlink(missing_ok=True)
    db = sqlite3.connect(target)
    db.execute(f"ATTACH DATABASE '{source}' AS renkei")
    db.executescript(
        """
        CREATE TABLE programs (id INTEGER PRIMARY KEY, code TEXT, name TEXT, ministry TEXT,
            department TEXT, description TEXT, keywords TEXT, aliases TEXT);
        INSERT INTO programs
        SELECT p.id, p.code, p.name, o.code, p.department, p.description, p.keywords,
               coalesce((SELECT group_concat(a.name, ' ') FROM renkei.programs_programalias a
                         WHERE a.program_id = p.id), '')
        FROM renkei.programs_program p JOIN renkei.regions_organization o ON o.id = p.ministry_id;
        CREATE VIRTUAL TABLE programs_fts USING fts5(name, description, keywords, aliases,
            department, content="programs", content_rowid="id");
        INSERT INTO programs_fts (rowid, name, description, keywords, aliases, department)
        SELECT id, name, description, keywords, aliases, department FROM programs;
        """
    )
    db.commit()
    db.close()


def wait_for(url, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310  # nosec B310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer")


def get_json(url):
    with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310  # nosec B310
        return json.loads(response.read())


def wrk(url, duration, connections, script):
    result = subprocess.run(  # noqa: S603 - wrk with our arguments  # nosec B603
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "-s", script, url],  # noqa: S607
        check=True,
        capture_output=True,
        text=True,
    )
    line = next(x for x in result.stdout.splitlines() if x.startswith("RESULT"))
    requests, errors, elapsed, p50, p95, p99 = line.split()[1:]
    return {
        "rps": int(requests) / float(elapsed),
        "errors": int(errors),
        "p50": float(p50),
        "p95": float(p95),
        "p99": float(p99),
    }


def like_where(term):
    words = [w.replace("'", "''") for w in term.split()]
    columns = ("name", "description", "keywords", "aliases", "department")
    return " and ".join(
        "(" + " or ".join(f"{c} like '%{w}%'" for c in columns) + ")" for w in words
    )


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--renkei-port", type=int, default=8717)
    parser.add_argument("--datasette-port", type=int, default=8718)
    parser.add_argument(
        "--gc",
        action="store_true",
        help="also serve renkei with RENKEI_GC_FREEZE=false (port +2) and measure it alike",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install -y wrk")
    source = renkei_database()
    datasette_db = OUT / "programs.db"
    export_for_datasette(source, datasette_db)
    datasette = datasette_bin()
    work = Path(tempfile.mkdtemp(prefix="renkei-throughput-"))
    script = work / "report.lua"
    script.write_text(WRK_SCRIPT)
    access_log = work / "renkei-access.log"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{source}",
        "RENKEI_VAR_DIR": str(OUT / "var"),
        "RENKEI_API_RATE_PER_MINUTE": "100000000",
        "RENKEI_LOG_LEVEL": "WARNING",
        "RENKEI_INDEX_KEEPER": "false",
    }
    env.pop("RENKEI_WORKERS", None)  # the default worker count
    servers = []
    try:
        with open(access_log, "w") as log:
            servers.append(
                subprocess.Popen(  # noqa: S603  # nosec B603
                    [
                        str(BIN / "renkei"),
                        "serve",
                        "--host",
                        "127.0.0.1",
                        "--port",
                        str(args.renkei_port),
                    ],
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        if args.gc:
            servers.append(
                subprocess.Popen(  # noqa: S603  # nosec B603
                    [str(BIN / "renkei"), "serve", "--host", "127.0.0.1",
                     "--port", str(args.renkei_port + 2)],
                    env={**env, "RENKEI_GC_FREEZE": "false"},
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    start_new_session=True,
                )
            )  # fmt: skip
        servers.append(
            subprocess.Popen(  # noqa: S603  # nosec B603
                [
                    str(datasette),
                    "serve",
                    str(datasette_db),
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(args.datasette_port),
                    "--setting",
                    "suggest_facets",
                    "off",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        )
        renkei_base = f"http://127.0.0.1:{args.renkei_port}"
        datasette_base = f"http://127.0.0.1:{args.datasette_port}"
        wait_for(f"{renkei_base}/api/programs?page_size=1")
        unfrozen_base = f"http://127.0.0.1:{args.renkei_port + 2}"
        if args.gc:
            wait_for(f"{unfrozen_base}/api/programs?page_size=1")
        wait_for(f"{datasette_base}/programs/programs.json?_size=1")
        rows = []
        for term in TERMS:
            q = urllib.parse.quote(term)
            urls = {
                "renkei": f"{renkei_base}/api/programs?q={q}",
                "datasette FTS5": f"{datasette_base}/programs/programs.json?_search={q}&_size=20",
                "datasette LIKE": f"{datasette_base}/programs/programs.json?_size=20&_where="
                + urllib.parse.quote(like_where(term)),
            }
            if args.gc:
                urls["renkei, gc.freeze off"] = f"{unfrozen_base}/api/programs?q={q}"
            hits = {
                "renkei": get_json(urls["renkei"])["count"],
                "datasette FTS5": get_json(urls["datasette FTS5"])["filtered_table_rows_count"],
                "datasette LIKE": get_json(urls["datasette LIKE"])["filtered_table_rows_count"],
            }
            if args.gc:
                hits["renkei, gc.freeze off"] = hits["renkei"]
            runs = {name: [] for name in urls}
            for round_ in range(args.rounds):
                order = list(urls) if round_ % 2 == 0 else list(reversed(urls))
                for name in order:  # alternating, never one measure after another
                    runs[name].append(wrk(urls[name], args.duration, args.connections, script))
            for name in urls:
                rows.append(
                    {
                        "term": term,
                        "server": name,
                        "hits": hits[name],
                        "rps": statistics.median(r["rps"] for r in runs[name]),
                        "p50": statistics.median(r["p50"] for r in runs[name]),
                        "p95": statistics.median(r["p95"] for r in runs[name]),
                        "p99": statistics.median(r["p99"] for r in runs[name]),
                        "errors": sum(r["errors"] for r in runs[name]),
                        "rounds": runs[name],
                    }
                )
                row = rows[-1]
                print(
                    f"{term}\t{name}\thits={row['hits']}\t{row['rps']:.1f} req/s\t"
                    f"p50 {row['p50']:.1f} ms\tp95 {row['p95']:.1f} ms\tp99 {row['p99']:.1f} ms\t"
                    f"errors {row['errors']}",
                    file=sys.stderr,
                    flush=True,
                )
    finally:
        for server in servers:
            if server.poll() is None:
                os.killpg(server.pid, signal.SIGTERM)
        for server in servers:
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
    per_worker = Counter(
        m.group(1)
        for line in access_log.read_text(errors="replace").splitlines()
        if "/api/programs" in line and (m := re.search(r"\bpid=<?(\d+)", line))
    )
    workers = int(env.get("RENKEI_WORKERS") or min(4, (os.cpu_count() or 1) + 1))
    print(f"\n{source.name}: renkei serve with {workers} workers × 2 threads; wrk -t2 "
          f"-c{args.connections} -d{args.duration}s, median of {args.rounds} alternating rounds")  # fmt: skip
    print(
        "| term | server | hits | requests/s | p50 (ms) | p95 (ms) | p99 (ms) "
        "| renkei ÷ server (req/s) |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        mine = next(r for r in rows if r["term"] == row["term"] and r["server"] == "renkei")
        ratio = "" if row["server"] == "renkei" else f"{mine['rps'] / row['rps']:.2f}×"
        print(
            f"| {row['term']} | {row['server']} | {row['hits']:,} | {row['rps']:.1f} | "
            f"{row['p50']:.1f} | {row['p95']:.1f} | {row['p99']:.1f} | {ratio} |"
        )
    total = sum(per_worker.values())
    print(
        "\nrenkei requests per worker (pid: count, share): "
        + ", ".join(f"{pid}: {n} ({n / total:.0%})" for pid, n in sorted(per_worker.items()))
        if total
        else "\n(no per-worker counts: the access log has no pid)"
    )
    (OUT / "throughput.json").write_text(
        json.dumps({"rows": rows, "per_worker": per_worker}, ensure_ascii=False, indent=1)
    )
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
