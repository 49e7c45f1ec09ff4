"""Try a deployment beyond one machine on this one: two web nodes and a job worker on
shared PostgreSQL and Redis (docs/deploy.md).

    .venv/bin/python scripts/two_nodes.py [--keep]

Each node is a `renkei serve` with its own var directory (as a separate machine would have:
its own index files, static files and nothing shared on disk), the worker a `renkei worker`
with a third. All three share one PostgreSQL database (renkei_two_nodes, created afresh),
one Redis database (cache and job queue, RENKEI_REDIS_URL) and one secret key. Then:

1. a liaison officer signs in through node A and imports a seed file there (the page's
   upload form, as a person would);
2. the seed is searched through node B (GET /api/seeds?q=…, anonymous) until it shows;
3. the session made on node A is used on node B (sessions in the shared database);
4. a program is written (`renkei programs import`) and found through node B's API at once
   (node B's catalogue overlay), then node B's own index keeper brings its files up to the
   database's version;
5. the worker's log shows the jobs it ran from the shared queue (embeddings, the catalogue
   build).

Prints a summary; exits non-zero if a step fails. Needs PostgreSQL at 127.0.0.1:5432 (user
postgres) and Redis at 127.0.0.1:6379 (RENKEI_TWO_NODES_POSTGRES / RENKEI_TWO_NODES_REDIS to
point elsewhere; Redis database 5 is emptied).
"""

import argparse
import http.cookiejar
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RENKEI = str(Path(sys.executable).parent / "renkei")
POSTGRES = os.environ.get("RENKEI_TWO_NODES_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
REDIS = os.environ.get("RENKEI_TWO_NODES_REDIS", "redis://127.0.0.1:6379/5")
DATABASE = "renkei_two_nodes"
PORTS = {"A": 8601, "B": 8602}
LIAISON = "liaison-" + secrets.token_hex(3)  # a new account each run
PASSWORD = "two-nodes-" + secrets.token_hex(8)


def step(message):
    print(f"\n== {message}", flush=True)


def run(args, env, **kwargs):
    return subprocess.run(args, env=env, check=True, text=True, **kwargs)  # noqa: S603  # nosec B603


def fresh_database(drop=True):
    import psycopg

    if drop:
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{DATABASE}"')
    import redis

    redis.Redis.from_url(REDIS).flushdb()


class Browser:
    """A person's browser: cookies, CSRF tokens, forms."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def request(self, url, data=None, headers=None):
        request = urllib.request.Request(url, data=data, headers=headers or {})  # noqa: S310
        try:
            with self.opener.open(request, timeout=60) as response:  # nosec B310
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode(errors="replace")

    def csrf(self):
        return next(c.value for c in self.jar if c.name.endswith("csrftoken"))

    def post_form(self, url, fields, referer):
        body = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": self.csrf()}).encode()
        return self.request(url, body, {"Referer": referer})

    def post_file(self, url, fields, name, content, referer):
        boundary = uuid.uuid4().hex
        parts = []
        for key, value in {**fields, "csrfmiddlewaretoken": self.csrf()}.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'
            )
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: text/csv\r\n\r\n"
        )
        body = "".join(parts).encode() + content + f"\r\n--{boundary}--\r\n".encode()
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}", "Referer": referer}
        return self.request(url, body, headers)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def get_json(url):
    with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310  # nosec B310
        return json.loads(response.read())


def wait_for(url, seconds=180):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310  # nosec B310
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer in {seconds} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keep", action="store_true", help="leave the directories behind")
    parser.add_argument(
        "--existing-database",
        action="store_true",
        help=f"use {DATABASE} as it is (created and migrated beforehand) instead of a fresh one",
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="renkei-two-nodes-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"{POSTGRES}/{DATABASE}",
        "RENKEI_REDIS_URL": REDIS,
        "RENKEI_SECRET_KEY": secrets.token_urlsafe(50),
        "RENKEI_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "RENKEI_WORKERS": "2",
        "RENKEI_INDEX_POLL": "1",
        "RENKEI_LOG_LEVEL": "WARNING",
    }
    node_env = {name: {**env, "RENKEI_VAR_DIR": str(work / f"node-{name}")} for name in PORTS}
    worker_env = {**env, "RENKEI_VAR_DIR": str(work / "worker")}
    processes, logs = {}, {}
    failures = []
    summary = []
    try:
        step(f"database {DATABASE}, Redis {REDIS} emptied, directories under {work}")
        fresh_database(drop=not args.existing_database)
        run([RENKEI, "migrate", "--noinput", "-v", "0"], node_env["A"])
        run([RENKEI, "bootstrap"], node_env["A"], stdout=subprocess.DEVNULL)
        run(
            [RENKEI, "shell", "-c",
             "from renkei.accounts.models import Role, User; "
             "from renkei.regions.models import Organization; "
             f"u = User.objects.create_user(username='{LIAISON}', email='{LIAISON}@example.jp', password='{PASSWORD}'); "  # noqa: E501
             "Role.objects.create(user=u, kind=Role.Kind.ORGANIZATION_MEMBER, "
             "organization=Organization.objects.get(name='長岡技術科学大学'))"],
            node_env["A"],
        )  # fmt: skip
        for name, port in PORTS.items():
            var = node_env[name]["RENKEI_VAR_DIR"]
            step(f"node {name}: renkei serve on 127.0.0.1:{port}, var {var}")
            for sub in ("static",):
                (Path(node_env[name]["RENKEI_VAR_DIR"]) / sub).mkdir(parents=True, exist_ok=True)
            run([RENKEI, "collectstatic", "--noinput", "-v", "0"], node_env[name])
            logs[name] = open(work / f"node-{name}.log", "w")  # noqa: SIM115 - closed in finally
            processes[name] = subprocess.Popen(  # noqa: S603  # nosec B603
                [RENKEI, "serve", "--host", "127.0.0.1", "--port", str(port)],
                env=node_env[name],
                stdout=logs[name],
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        step("worker: renkei worker (jobs from the Redis queue)")
        logs["worker"] = open(work / "worker.log", "w")  # noqa: SIM115
        processes["worker"] = subprocess.Popen(  # noqa: S603  # nosec B603
            [RENKEI, "worker"],
            env=worker_env,
            stdout=logs["worker"],
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        a, b = (f"http://127.0.0.1:{PORTS[n]}" for n in ("A", "B"))
        for base in (a, b):
            wait_for(f"{base}/api/programs?page_size=1")

        step("1. a liaison officer signs in through node A and uploads a seed file there")
        word = "量子発酵" + secrets.token_hex(2)
        browser = Browser()
        browser.request(f"{a}/accounts/login/")
        status, headers, _body = browser.post_form(
            f"{a}/accounts/login/",
            {"username": LIAISON, "password": PASSWORD},
            f"{a}/accounts/login/",
        )
        print(f"   sign-in on A: {status} → {headers.get('Location')}")
        status, _headers, page = browser.request(f"{a}/matching/seeds/mine/")
        organization = re.search(r'name="organization" value="(\d+)"', page)
        csv = (
            "code,title,summary,stage,visibility\n"
            f"two-nodes-1,{word}による未利用バイオマスの高付加価値化,"
            f"{word}で食品残渣から機能性素材を作る技術。,applied,public\n"
        ).encode()
        fields = {"organization": organization.group(1)} if organization else {}
        started = time.monotonic()
        status, headers, body = browser.post_file(
            f"{a}/matching/seeds/import/", fields, "seeds.csv", csv, f"{a}/matching/seeds/mine/"
        )
        print(f"   import on A: {status} → {headers.get('Location')}")
        if status != 302:
            failures.append(f"the import through node A answered {status}")
            main_text = re.sub(r"<[^>]+>", " ", body.split("<main", 1)[-1])
            print(re.sub(r"\s+", " ", main_text)[:1500])

        step(f"2. the seed searched through node B: GET /api/seeds?q={word}")
        found_after = None
        while time.monotonic() - started < 120:
            items = get_json(f"{b}/api/seeds?q={urllib.parse.quote(word)}").get("results", [])
            if any(word in item.get("title", "") for item in items):
                found_after = time.monotonic() - started
                break
            time.sleep(0.5)
        if found_after is None:
            failures.append("the seed imported through node A was not found through node B")
        else:
            print(f"   found through node B {found_after:.1f} s after the upload on node A")
            summary.append(
                f"seed uploaded through node A found through node B after {found_after:.1f} s"
            )

        step("3. node A's session used on node B")
        status, headers, _page = browser.request(f"{b}/matching/seeds/mine/")
        print(f"   GET /matching/seeds/mine/ on B with A's cookie: {status}")
        if status != 200:
            failures.append(f"node A's session was refused by node B ({status})")
        else:
            summary.append("a session signed in on node A is valid on node B (200)")

        step("4. a program written, found through node B, node B's files brought up to date")
        program = {
            "code": "two-nodes-program",
            "name": f"{word}実証事業",
            "ministry": "maff",
            "description": f"{word}の実証を支援する。",
            "stage": "demonstration",
            "applicant_types": ["company"],
        }
        path = work / "program.json"
        path.write_text(json.dumps([program], ensure_ascii=False))
        run([RENKEI, "programs", "import", str(path)], node_env["A"], stdout=subprocess.DEVNULL)
        written = time.monotonic()  # the import has committed
        total = get_json(f"{b}/api/programs?q={urllib.parse.quote(word)}")["count"]
        print(f"   GET /api/programs?q={word} on B right after the write: total {total}")
        if total != 1:
            failures.append(f"node B found {total} programs for the new one, not 1")
        else:
            summary.append("a program written is found through node B at once (its overlay)")
        import psycopg

        with psycopg.connect(env["DATABASE_URL"]) as connection:
            (version,) = connection.execute(
                "SELECT version FROM programs_catalogueversion WHERE id = 1"
            ).fetchone()
        caught_up = None
        index = Path(node_env["B"]["RENKEI_VAR_DIR"]) / "index" / "programs"
        while time.monotonic() - written < 60:
            for pointer in index.glob("*/CURRENT"):
                meta = json.loads(
                    (pointer.parent / pointer.read_text().strip() / "meta.json").read_text()
                )
                if meta["version"] == version:
                    caught_up = time.monotonic() - written
            if caught_up is not None:
                print(
                    f"   node B's files at the database's version ({meta['count']} programs) "
                    f"{caught_up:.1f} s after the write"
                )
                break
            time.sleep(0.2)
        if caught_up is None:
            failures.append("node B's index keeper did not bring its files up to date in 60 s")
        else:
            summary.append(
                f"node B's own keeper rebuilt its catalogue files {caught_up:.1f} s after the write"
            )

        step("5. what the worker ran from the shared queue")
        time.sleep(3)
        done = subprocess.run(  # noqa: S603  # nosec B603
            [RENKEI, "shell", "-v", "0", "-c",
             "from collections import Counter; from django_q.models import Task; "
             "print(dict(Counter(Task.objects.values_list('func', flat=True))))"],
            env=worker_env, capture_output=True, text=True, check=True,
        ).stdout.strip().splitlines()  # fmt: skip
        counts = done[-1] if done else "{}"
        print(f"   {counts}")
        summary.append(f"jobs run by the worker: {counts}")
    finally:
        for process in processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        for log in logs.values():
            log.close()
        if not args.keep and not failures:
            shutil.rmtree(work, ignore_errors=True)
    print("\n== summary")
    for line in summary:
        print(f"   ok   {line}")
    for line in failures:
        print(f"   FAIL {line}")
    if failures:
        print(f"   logs kept in {work}")
        sys.exit(1)


if __name__ == "__main__":
    main()
