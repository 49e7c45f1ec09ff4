"""End-to-end journeys in a real browser (Debian's Chromium driven by Playwright) against a
real server: a fresh database migrated and loaded with the default data set, `renkei serve`
(gunicorn) and `renkei worker` started as a user would, mails written to files.

Run with `make e2e`. Every page a journey visits is checked with axe-core (WCAG 2.0/2.1 A and
AA) and, at phone width, for sideways scrolling.
"""

import base64
import email
import hashlib
import hmac
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from email import policy
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
AXE = (Path(__file__).resolve().parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
AXE_INSTALL = f"() => {{ {AXE}\n; return typeof window.axe; }}"
CHROMIUM = os.environ.get("RENKEI_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
PASSWORD = "a long and unusual passphrase 42"
CHECKED = []  # (viewport width, address) of every page check() passed


def pytest_terminal_summary(terminalreporter):
    if CHECKED:
        phones = sum(1 for width, _url in CHECKED if width <= PHONE["width"])
        terminalreporter.write_line(
            f"checked {len(CHECKED)} pages ({len(CHECKED) - phones} on a desktop, {phones} on a"
            " phone of 390 px): 0 axe violations (WCAG 2.0/2.1 A and AA), nothing refused by"
            " the Content-Security-Policy, no sideways scroll on the phone"
        )


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """The portal as `make run` serves it, on a database of its own."""

    def __init__(self, var_dir):
        self.var_dir = var_dir
        self.mail_dir = var_dir / "mail"
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("RENKEI_")},
            "RENKEI_VAR_DIR": str(var_dir),
            "RENKEI_EMAIL_FILE_PATH": str(self.mail_dir),
            "RENKEI_SITE_URL": self.url,
            "RENKEI_SECRETARIAT_PASSWORD": PASSWORD,
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
        }
        self.env.pop("DATABASE_URL", None)
        self.processes = []

    def renkei(self, *args, check=True):
        return subprocess.run(
            [str(BIN / "renkei"), *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=check,
        )

    def start(self):
        self.renkei("migrate", "--noinput", "-v", "0")
        self.renkei("bootstrap")
        self.renkei("collectstatic", "--noinput", "-v", "0")
        log = (self.var_dir / "server.log").open("w")
        self.processes.append(
            subprocess.Popen(
                [str(BIN / "renkei"), "serve", "--workers", "2"],
                env=self.env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
        if (ROOT / "renkei" / "portal" / "management" / "commands" / "worker.py").exists():
            self.processes.append(
                subprocess.Popen(
                    [str(BIN / "renkei"), "worker"],
                    env=self.env,
                    cwd=ROOT,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2):
                    return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError((self.var_dir / "server.log").read_text())

    def stop(self):
        # The leaders only: the server and the worker stop their own children (the worker's
        # cluster hangs when its children are signalled with it). Killed if they linger.
        for process in self.processes:
            process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)

    def link_in_mail(self, address, containing=""):
        """The portal's own link (a path) in the newest mail to ``address`` containing
        ``containing``: what the recipient would click."""
        body = self.wait_for_mail(address, containing)
        # The first link; the foot of every mail links the start page.
        links = [link for link in re.findall(re.escape(self.url) + r"(/\S*)", body) if link != "/"]
        assert links, body
        return links[0]

    def mails_to(self, address):
        """The mails sent to ``address`` so far, oldest first (email.message objects)."""
        found = []
        if not self.mail_dir.exists():
            return found
        for path in sorted(self.mail_dir.glob("*.log"), key=lambda p: p.stat().st_mtime):
            for chunk in path.read_text(encoding="utf-8").split("-" * 79):
                if not chunk.strip():
                    continue
                # Bytes, not a string: the body is 8-bit UTF-8, which a parsed string
                # would hand back as escapes.
                message = email.message_from_bytes(
                    chunk.strip().encode("utf-8"), policy=policy.default
                )
                if address in str(message.get("To", "")):
                    found.append(message)
        return found

    def wait_for_mail(self, address, containing="", timeout=30):
        """The body of the newest mail to ``address`` whose subject or body contains
        ``containing`` (mails are sent by the background worker, so they arrive a moment after
        the page answers)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in reversed(self.mails_to(address)):
                body = message.get_body(preferencelist=("plain",)).get_content()
                if containing in body or containing in str(message.get("Subject", "")):
                    return body
            time.sleep(0.3)
        raise AssertionError(f"no mail to {address} containing {containing!r}")


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    running = Server(tmp_path_factory.mktemp("renkei-e2e"))
    running.start()
    yield running
    running.stop()


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def _context(browser, server, viewport):
    return browser.new_context(
        viewport=viewport, locale="ja-JP", timezone_id="Asia/Tokyo", base_url=server.url
    )


def new_page(context):
    """A tab in ``context`` that records what the Content-Security-Policy refused."""
    page = context.new_page()
    page.set_default_timeout(20_000)
    # What the Content-Security-Policy refused (an inline script or style, a handler): the
    # page would look or work otherwise than its template says. check() fails on any.
    page.csp_refusals = []
    page.on(
        "console",
        lambda message: (
            page.csp_refusals.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return page


def _page(browser, server, viewport):
    context = _context(browser, server, viewport)
    yield new_page(context)
    context.close()


@pytest.fixture
def page(browser, server):
    yield from _page(browser, server, DESKTOP)


@pytest.fixture
def phone(browser, server):
    yield from _page(browser, server, PHONE)


def axe_violations(page):
    """axe-core's WCAG 2.0/2.1 A and AA violations on the page as it stands."""
    # Evaluated by the browser's own protocol, as a developer's console would, rather than
    # added as a <script>: the portal's Content-Security-Policy refuses inline scripts.
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_INSTALL)
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
    )
    return [
        f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']} {v['help']}"
        for v in result["violations"]
    ]


def sideways_scroll(page):
    """How many pixels the page is wider than the screen (0 when nothing scrolls sideways)."""
    return page.evaluate(
        "() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth)"
    )


def check(page):
    """Every page a journey visits: no axe violation, nothing the Content-Security-Policy
    refused, no sideways scroll on a phone. Records the page for the run's summary."""
    page.wait_for_load_state("load")
    assert axe_violations(page) == [], page.url
    assert page.csp_refusals == [], page.csp_refusals
    if page.viewport_size["width"] <= PHONE["width"]:
        assert sideways_scroll(page) == 0, page.url
    CHECKED.append((page.viewport_size["width"], page.url))


def totp(secret, at=None):
    """The six digits an authenticator app shows for ``secret`` (RFC 6238: SHA-1, 30 s)."""
    secret = secret.replace(" ", "").upper()
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, counter.to_bytes(8, "big"), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = int.from_bytes(digest[offset : offset + 4], "big") & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


class Person:
    """Someone with a browser of their own (cookies kept between journeys): the secretariat,
    a coordinator, a reviewer, a liaison office. ``tab()`` opens a fresh tab at the desktop
    size, ``phone()`` one at 390 px sharing the same sign-in."""

    def __init__(self, browser, server, username, email):
        self.username, self.email = username, email
        self.secret = None  # the second factor's key, once set up
        self.context = _context(browser, server, DESKTOP)
        self._browser, self._server = browser, server

    def tab(self):
        return new_page(self.context)

    def phone(self):
        state = self.context.storage_state()
        context = self._browser.new_context(
            viewport=PHONE,
            locale="ja-JP",
            timezone_id="Asia/Tokyo",
            base_url=self._server.url,
            storage_state=state,
        )
        return new_page(context)

    def set_up_second_factor(self, page):
        """On the setup page: read the key as a person would type it, enter the code, keep
        going past the recovery codes."""
        check(page)
        self.secret = page.locator("figure code").inner_text().strip()
        page.get_by_label("認証アプリに表示された6桁の数字").fill(totp(self.secret))
        page.get_by_role("button", name="設定する").click()
        page.wait_for_load_state()
        check(page)
        assert page.locator("ul.codes li").count() == 10
        page.get_by_role("link", name="保管したので先へ進む").click()
        page.wait_for_load_state()

    def second_factor(self, page):
        """The six digits at sign-in, a fresh period's so a code is never used twice."""
        check(page)
        if time.time() % 30 > 27:
            time.sleep(30 - time.time() % 30 + 0.5)
        page.get_by_label("確認コード").fill(totp(self.secret))
        page.get_by_role("button", name="確認する").click()
        page.wait_for_load_state()


@pytest.fixture(scope="session")
def people(browser, server):
    """Everyone who signs in during the run, by name; journeys add the people they create."""
    everyone = {}
    yield everyone
    for person in everyone.values():
        person.context.close()


SECRETARIAT = ("sato", "sato@example.go.jp")
COORDINATOR = ("kobayashi", "kobayashi@nagaoka.example.jp")
REVIEWER = ("tanaka", "tanaka@example.ac.jp")
LIAISON = ("yamada", "sangaku@nagaokaut.example.ac.jp")
NAGAOKA_UT = "F115110105055"  # 長岡技術科学大学's MEXT school code (the invite form's example)


def choose(select, text):
    """Select the option of ``select`` (a locator) whose label contains ``text``."""
    options = select.locator("option").filter(has_text=text)
    assert options.count() >= 1, f"no option {text!r}"
    select.select_option(value=options.first.get_attribute("value"))


def sign_in(person, page):
    """From the start page: ログイン, name and password, the second factor (set up on the
    first sign-in)."""
    page.goto("/")
    page.get_by_role("link", name="ログイン").first.click()
    page.wait_for_load_state()
    check(page)
    page.get_by_label("ユーザー名またはメールアドレス").fill(person.email)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="ログイン").click()
    page.wait_for_load_state()
    if person.secret is None:
        person.set_up_second_factor(page)
    else:
        person.second_factor(page)
    check(page)


def accept_invitation(person, page, server):
    """The invitee opens the mailed link, chooses a name and a password; staff roles go on to
    the second factor."""
    page.goto(server.link_in_mail(person.email, "招待"))
    check(page)
    page.get_by_role("textbox", name="ユーザー名").fill(person.username)
    page.get_by_label("パスワード", exact=True).fill(PASSWORD)
    page.get_by_label("パスワード（確認）").fill(PASSWORD)
    page.get_by_role("button", name="アカウントを作って招待を受ける").click()
    page.wait_for_load_state()
    if "2段階認証の設定" in page.locator("h1").inner_text():
        person.set_up_second_factor(page)
    check(page)


@pytest.fixture(scope="session")
def team(browser, server, people):
    """The secretariat account `renkei users create-secretariat` makes signs in from the start
    page and, from 人と役割 in the header, invites a coordinator of 長岡, a reviewer and the
    liaison office of 長岡技科大; each accepts from the mail and sets a password. Every page is
    checked."""
    server.renkei(
        "users",
        "create-secretariat",
        SECRETARIAT[0],
        "--email",
        SECRETARIAT[1],
        "--display-name",
        "佐藤（事務局）",
        "--noinput",
    )
    sato = people["sato"] = Person(browser, server, *SECRETARIAT)
    page = sato.tab()
    sign_in(sato, page)

    def invite(email, role, **fields):
        page.get_by_role("link", name="人と役割").first.click()
        page.wait_for_load_state()
        check(page)
        page.get_by_role("link", name="新しく招待する").click()
        page.wait_for_load_state()
        check(page)
        page.get_by_role("textbox", name="メールアドレス").fill(email)
        choose(page.get_by_label("役割"), role)
        if "community" in fields:
            choose(page.get_by_label("バイオコミュニティ"), fields["community"])
        if "organization" in fields:
            page.get_by_role("textbox", name="機関コード").fill(fields["organization"])
        page.get_by_role("button", name="招待を送る").click()
        page.wait_for_load_state()
        check(page)
        assert f"{email} さんに招待を送りました" in page.locator("main").inner_text()

    invite(COORDINATOR[1], "コーディネーター", community="長岡")
    invite(REVIEWER[1], "審査委員")
    invite(LIAISON[1], "所属機関の担当者", organization=NAGAOKA_UT)
    page.close()

    for username, address in (COORDINATOR, REVIEWER, LIAISON):
        person = people[username] = Person(browser, server, username, address)
        tab = person.tab()
        accept_invitation(person, tab, server)
        tab.close()
    return people
