"""Fixtures for the dashboard's tests in a real browser (Debian's chromium driven by Playwright).

A session-wide central endpoint is built the way scripts/demo builds it (steps 1-4): `dragnet serve --port 0` in a
temporary folder, a station token for each ward of Ho Chi Minh City (79.26734, 79.26737) and headquarters tokens for
79 and for the whole country (`*`), the two wards created from Fixtures/ and synced. A station of a second province
(01.00004, Hanoi) records a few cases by hand and syncs too, so that the national dashboard has two province rows.
The server is stopped at the end of the session, also when a test or the set-up fails.

Environment:
  DRAGNET_BIN      the dragnet binary (default: .build/debug/dragnet in the repository)
  CHROMIUM         the browser (default: chromium on the PATH, as scripts/browser-setup installs it)
  BROWSER_SHOTS    where screenshots go (default: .build-browser-shots/ in the repository)
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "Fixtures"
WARDS = ("79.26734", "79.26737")
HANOI = "01.00004"


def dragnet_binary() -> Path:
    given = os.environ.get("DRAGNET_BIN")
    path = Path(given) if given else REPO / ".build" / "debug" / "dragnet"
    if not path.is_absolute():
        path = (Path.cwd() / path).resolve()
    if not os.access(path, os.X_OK):
        pytest.exit(f"the dragnet binary {path} is missing or not executable (set DRAGNET_BIN)", returncode=1)
    return path


def chromium_binary() -> str:
    given = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.access(given, os.X_OK):
        pytest.exit(f"chromium is not at {given}: run scripts/browser-setup (or set CHROMIUM)", returncode=1)
    return given


# ---------------------------------------------------------------------------------------------------------------------
# The central endpoint


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: D401 - urllib's signature
        return None


@dataclass
class Answer:
    status: int
    headers: object
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def header_list(self, name: str) -> list[str]:
        return self.headers.get_all(name) or []


@dataclass
class Central:
    work: Path
    url: str
    binary: Path
    process: subprocess.Popen
    out_path: Path
    log_path: Path
    tokens: dict[str, str] = field(default_factory=dict)
    national_refused: str | None = None  # why `token add --unit '*'` failed, when it did

    def http(self, method: str, path: str, *, token: str | None = None, form: dict | None = None,
             cookie: str | None = None) -> Answer:
        """One request with urllib, redirects not followed (so a 303 is seen as a 303)."""
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        request = urllib.request.Request(self.url + path, data=data, method=method)
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        if cookie:
            request.add_header("Cookie", cookie)
        if form is not None:
            request.add_header("Content-Type", "application/x-www-form-urlencoded")
        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(request, timeout=30) as response:
                return Answer(response.status, response.headers, response.read())
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.headers, error.read())

    def metrics(self, query: dict, token: str) -> dict:
        answer = self.http("GET", "/v1/metrics?" + urllib.parse.urlencode(query), token=token)
        assert answer.status == 200, f"/v1/metrics?{urllib.parse.urlencode(query)}: {answer.status} {answer.text}"
        return json.loads(answer.body)

    def server_output(self) -> str:
        return self.out_path.read_text("utf-8", "replace") + self.log_path.read_text("utf-8", "replace")

    def all_tokens(self) -> list[str]:
        return [token for token in self.tokens.values() if token]


def run(binary: Path, *args: str, cwd: Path, check: bool = True) -> subprocess.CompletedProcess:
    env = dict(os.environ, DRAGNET_AUTHOR="browser-tests")
    env.pop("DRAGNET_DB", None)
    env.pop("DRAGNET_TOKEN", None)
    done = subprocess.run([str(binary), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    if check and done.returncode != 0:
        raise RuntimeError(f"dragnet {' '.join(args)} exited {done.returncode}:\n{done.stdout}{done.stderr}")
    return done


def server_alive(process: subprocess.Popen) -> bool:
    return process.poll() is None


def stop_server(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def start_server(binary: Path, work: Path) -> tuple[subprocess.Popen, str, Path, Path]:
    out_path, log_path = work / "server.out", work / "server.log"
    with open(out_path, "wb") as out, open(log_path, "wb") as log:
        process = subprocess.Popen(
            [str(binary), "serve", "--db", "central.sqlite", "--port", "0"], cwd=work, stdout=out, stderr=log,
            stdin=subprocess.DEVNULL, start_new_session=True)
    pattern = re.compile(r"listening on (http://127\.0\.0\.1:\d+)")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        first = out_path.read_text("utf-8", "replace").split("\n", 1)[0]
        found = pattern.search(first)
        if found:
            return process, found.group(1), out_path, log_path
        if not server_alive(process):
            break
        time.sleep(0.05)
    stop_server(process)
    raise RuntimeError("the central endpoint did not start:\n" + out_path.read_text() + log_path.read_text())


def add_token(central: Central, unit: str, role: str, label: str) -> str:
    done = run(central.binary, "token", "add", "--db", "central.sqlite", "--unit", unit, "--role", role,
               "--label", label, cwd=central.work)
    token = done.stdout.strip()
    assert token and "\n" not in token, f"token add printed {done.stdout!r}"
    return token


def sync(central: Central, unit: str, db: str) -> None:
    token_file = central.work / f"{unit}.token"
    token_file.write_text(central.tokens[unit] + "\n")
    token_file.chmod(0o600)
    run(central.binary, "sync", "--server", central.url, "--token-file", str(token_file), "--db", db, cwd=central.work)


def build_hanoi_station(central: Central) -> None:
    """A station of province 01 with a few cases of 2019-2020: two existing, two new, one release that reoffends, and
    three released persons under supervision at the end of 2020, with their supervision recorded:

    On 31/12/2020 ward 01.00004 supervises three released persons (Phùng Đức Thắng's case ended on 5 October):
    - TT-2020-102, sentence completed 20/03: reported in 23/03, last contact 10/08 (143 days before 31/12, more than 92:
      overdue), whereabouts unknown since 02/11, wanted again (TN-01-005, opened 20/11, arising from this release);
    - TD-2020-103, early release 15/06 on probation to 15/06/2021: reported in 17/06, last contact 20/12 (11 days,
      within 31: on time);
    - DX-2020-104, amnesty 22/12: not reported in, 9 days after the release (more than 5): arrival overdue.
    """
    db = "ward-00004.sqlite"
    b, w = central.binary, central.work

    def dragnet(*args: str) -> None:
        run(b, *args, "--db", db, cwd=w)

    dragnet("init", "--unit", HANOI)
    dragnet("wanted", "add", "--ref", "TN-01-001", "--name", "Trần Văn Hải", "--birth", "1980", "--sex", "Nam",
            "--decision", "12/QĐ-CSHS", "--decision-date", "2019-06-10", "--offense", "Điều 168", "--danger",
            "dangerous")
    dragnet("wanted", "close", f"{HANOI}/TN-01-001", "--as", "arrested", "--on", "2020-05-20")
    dragnet("wanted", "add", "--ref", "TN-01-002", "--name", "Đỗ Thị Hồng Nhung", "--birth", "1991-03-15", "--sex",
            "F", "--decision", "31/QĐ-CSHS", "--decision-date", "2019-11-02", "--offense", "Điều 174")
    dragnet("wanted", "add", "--ref", "TN-01-003", "--name", "Hoàng Văn Lợi", "--birth", "1987", "--sex", "M",
            "--decision", "05/QĐ-CSHS", "--decision-date", "2020-02-14", "--offense", "Điều 173")
    dragnet("wanted", "close", f"{HANOI}/TN-01-003", "--as", "surrendered", "--on", "2020-09-10")
    dragnet("wanted", "add", "--ref", "TN-01-004", "--name", "Nguyễn Thị Ngọc Ánh", "--birth", "1996", "--sex", "Nữ",
            "--decision", "44/QĐ-CSHS", "--decision-date", "2020-08-01", "--offense", "Điều 171")
    dragnet("release", "add", "--ref", "DX-2019-101", "--name", "Phùng Đức Thắng", "--birth", "1975", "--sex", "M",
            "--type", "amnesty", "--released-on", "2019-09-02", "--facility", "Trại giam Ba Sao")
    dragnet("release", "reoffend", f"{HANOI}/DX-2019-101", "--on", "2020-10-05", "--offense", "Điều 173")
    dragnet("release", "add", "--ref", "TT-2020-102", "--name", "Vũ Thị Thanh Hương", "--birth", "1983", "--sex",
            "F", "--type", "sentence_completed", "--released-on", "2020-03-20", "--facility", "Trại giam Thanh Xuân")
    dragnet("release", "add", "--ref", "TD-2020-103", "--name", "Lã Văn Cường", "--birth", "1989", "--sex", "M",
            "--type", "early_release", "--released-on", "2020-06-15", "--probation-until", "2021-06-15",
            "--facility", "Trại giam Ba Sao")
    dragnet("release", "add", "--ref", "DX-2020-104", "--name", "Kha Văn Bình", "--birth", "1978", "--sex", "M",
            "--type", "amnesty", "--released-on", "2020-12-22", "--facility", "Trại giam Ba Sao")
    huong, cuong = f"{HANOI}/TT-2020-102", f"{HANOI}/TD-2020-103"
    dragnet("release", "report-in", huong, "--on", "2020-03-23")
    dragnet("release", "contact", huong, "--on", "2020-08-10", "--kind", "home_visit", "--note", "gặp tại nhà")
    dragnet("release", "missing", huong, "--on", "2020-11-02", "--note", "bỏ đi khỏi nơi cư trú")
    person = re.findall(r"\[([0-9a-f-]{36})\]", run(b, "release", "show", huong, "--db", db, cwd=w).stdout)[1]
    dragnet("wanted", "add", "--ref", "TN-01-005", "--person", person, "--release", huong, "--decision",
            "61/QĐ-CSHS", "--decision-date", "2020-11-20", "--offense", "Điều 173")
    dragnet("release", "report-in", cuong, "--on", "2020-06-17")
    dragnet("release", "assign", cuong, "--officer", "Thượng úy Nguyễn Minh Tâm", "--on", "2020-06-17")
    dragnet("release", "contact", cuong, "--on", "2020-12-20", "--kind", "in_person")
    sync(central, HANOI, db)


@contextlib.contextmanager
def running_central():
    """The central endpoint with its stations synced, for as long as the `with` lasts (also usable outside pytest)."""
    binary = dragnet_binary()
    work = Path(tempfile.mkdtemp(prefix="dragnet-browser."))
    process = None
    try:
        process, url, out_path, log_path = start_server(binary, work)
        central = Central(work=work, url=url, binary=binary, process=process, out_path=out_path, log_path=log_path)
        for _ in range(100):
            if central.http("GET", "/v1/health").status == 200:
                break
            time.sleep(0.1)
        for unit in (*WARDS, HANOI):
            central.tokens[unit] = add_token(central, unit, "station", f"station {unit}")
        central.tokens["hq79"] = add_token(central, "79", "hq", "HCMC headquarters")
        try:
            central.tokens["national"] = add_token(central, "*", "hq", "national headquarters")
        except (RuntimeError, AssertionError) as error:
            lines = [line.strip() for line in str(error).splitlines()[1:] if line.strip()]
            central.national_refused = next((line for line in lines if line.startswith("Error")), " ".join(lines[:1]))
        for unit in WARDS:
            db = f"ward-{unit.split('.')[1]}.sqlite"
            run(binary, "init", "--unit", unit, "--db", db, cwd=work)
            run(binary, "import", "wanted", str(FIXTURES / f"station-{unit}" / "wanted.csv"), "--db", db, cwd=work)
            run(binary, "import", "releases", str(FIXTURES / f"station-{unit}" / "releases.csv"), "--db", db, cwd=work)
            sync(central, unit, db)
        build_hanoi_station(central)
        # The token files were only needed for sync; nothing else on disk should hold a token.
        for unit in (*WARDS, HANOI):
            (work / f"{unit}.token").unlink()
        yield central
    finally:
        if process is not None:
            stop_server(process)
        if os.environ.get("BROWSER_KEEP_WORK"):
            print(f"\nbrowser tests: the central's folder is kept at {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


@pytest.fixture(scope="session")
def central():
    with running_central() as central:
        yield central


@pytest.fixture
def national_token(central) -> str:
    """The national (`*`) headquarters token; the test is an expected failure while the binary refuses that scope."""
    if central.national_refused is not None:
        pytest.xfail(f"this dragnet binary refuses `token add --unit '*'` (the national scope, SPEC §9, is not in it "
                     f"yet): {central.national_refused}")
    return central.tokens["national"]


# ---------------------------------------------------------------------------------------------------------------------
# The browser


@pytest.fixture(scope="session")
def visited_urls() -> list[str]:
    """Every URL any page of any context asked for, in the whole session (the token must be in none)."""
    return []


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_binary(), headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def new_context(browser, visited_urls):
    """A factory of fresh browser contexts (no cookies), each recording the URLs it requests; closed after the test."""
    made = []

    def make(**options):
        options.setdefault("locale", "vi-VN")
        options.setdefault("accept_downloads", True)
        context = browser.new_context(**options)
        context.set_default_timeout(5_000)  # every page is local and small
        context.on("request", lambda request: visited_urls.append(request.url))
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


@pytest.fixture
def page(new_context):
    return new_context().new_page()


@pytest.fixture(scope="session")
def shots_dir() -> Path:
    path = Path(os.environ.get("BROWSER_SHOTS") or REPO / ".build-browser-shots")
    path.mkdir(parents=True, exist_ok=True)
    return path
