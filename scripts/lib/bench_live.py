"""Step 6b of the bench (issue 12): the central metrics route under 100 connections (wrk), on a still log and while a
second station pushes a small batch every second, against nginx (Debian's package) serving the same JSON body as a
static file under the same wrk settings, in the same run; and the central server's CPU time for one push.

On a 2-core machine one 10-second wrk run's p99 moves by ±25 % from run to run, so the step runs ROUNDS rounds, each of
nginx, the route on a still log, the route while the same kind of station pushes to another central endpoint (the
anchor: the station's processes take CPU from this machine, the route's server receives no write), and the route while
the station pushes to it; the ratios are of the medians of the rounds. The station's batches are recorded before the timed runs (one
station file each): during them the station only pushes, as a station on its own machine would be seen by the
server; its sync processes still run on this machine, which is what the anchor measures.

Issue 12's targets, printed as ratios of the run:
  - p99 of the route while a station pushes ≤ 3× nginx's p99, and no request over 1 s;
  - p99 of the route on the live log within 1.25× of the still log's;
  - the CPU cost of one push on the central does not grow with the registry (compare the runs at 100k and 1M rows).

Standard library only; called by bench.py with the running central endpoint and its tokens.
"""
from __future__ import annotations

import json
import os
import socket
import subprocess
import threading
import time
from pathlib import Path

import dragnet_scripts as lib
from dragnet_scripts import say

CONNECTIONS = 100
DURATION = 10  # seconds of each wrk run
PUSH_EVERY = 1.0  # seconds between the second station's pushes
BATCH = 5  # wanted cases a push (a person and a case each: 10 events)
CPU_PUSHES = 30  # pushes timed alone for the server's CPU time per push (/proc counts CPU in 10-ms ticks)
ROUNDS = 3  # rounds of nginx, still, elsewhere and live runs: the ratios are of the medians
NGINX = "/usr/sbin/nginx"
WANTED_HEADER = ("case_ref,unit,full_name,birth_date,sex,national_id,decision_no,decision_date,offense,danger,abroad,"
                 "closing,closing_date,closed_by")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wrk(url: str, token: str) -> dict:
    """One wrk run of DURATION seconds at CONNECTIONS connections: requests, req/s, p50/p90/p99 and max in ms."""
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}s", "--latency", "--timeout", f"{DURATION}s", "-H",
               f"Authorization: Bearer {token}", url]
    say(f"$ wrk -t2 -c{CONNECTIONS} -d{DURATION}s --latency --timeout {DURATION}s -H \"Authorization: Bearer …\" "
        f"\"{url}\"")
    text = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False).stdout.decode(
        "utf-8", errors="replace")
    lib.print_indented(text)
    return lib.wrk_figures(text)


def describe(found: dict) -> str:
    if not found.get("requests"):
        return "no request finished"
    text = (f"{found.get('rps', 0):,.0f} req/s, p50 {found.get('p50', 0):.2f} ms, p99 {found.get('p99', 0):.2f} ms, "
            f"max {found.get('max', 0):.1f} ms ({found['requests']} requests)")
    if found.get("non_2xx"):
        text += f"; {found['non_2xx']} non-2xx"
    if found.get("socket_errors"):
        text += f"; socket errors: {found['socket_errors']}"
    return text


class Nginx:
    """Debian's nginx in the foreground, serving one folder on a loopback port, everything inside `home`."""

    def __init__(self, home: Path):
        self.home = home
        self.root = home / "www"
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> bool:
        for folder in (self.root, self.home / "tmp", self.home / "logs"):
            folder.mkdir(parents=True, exist_ok=True)
        temp = self.home / "tmp"
        # As root, nginx's workers take the user named here; the bench's folder is private to its owner.
        user = "user root;\n" if os.geteuid() == 0 else ""
        (self.home / "nginx.conf").write_text(
            f"{user}worker_processes auto;\ndaemon off;\npid {self.home}/nginx.pid;\nerror_log {self.home}/logs/error.log;\n"
            "events { worker_connections 1024; }\n"
            "http {\n  access_log off;\n"
            f"  client_body_temp_path {temp}/body;\n  proxy_temp_path {temp}/proxy;\n"
            f"  fastcgi_temp_path {temp}/fastcgi;\n  uwsgi_temp_path {temp}/uwsgi;\n  scgi_temp_path {temp}/scgi;\n"
            f"  server {{\n    listen 127.0.0.1:{self.port};\n    root {self.root};\n"
            "    default_type application/json;\n  }\n}\n", encoding="utf-8")
        with open(self.home / "logs" / "stderr.log", "ab") as log:
            self.process = subprocess.Popen(
                [NGINX, "-p", str(self.home), "-c", str(self.home / "nginx.conf"), "-e",
                 str(self.home / "logs" / "error.log")], stdout=log, stderr=log)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return True
            except OSError:
                time.sleep(0.1)
        return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class LiveStation:
    """A second station of the province that pushes BATCH new wanted cases of the bench's year at a time (new cases,
    so every push changes the route's figures).

    A station records its events on its own machine; here it shares two cores with the server and wrk, so what it
    records is recorded before the timed runs (`record`): each batch in a station file of its own (all of unit 79,
    with the same token), and a push is then one `dragnet sync --push-only` of the next file — what the central
    server receives is the same as from one station recording and pushing each second. When the recorded batches run
    out, a batch is recorded on the spot (import, then sync) and counted in `recorded_late`."""

    def __init__(self, dragnet: str, server_url: str, year: str, name: str = "live",
                 token_file: str = "station.token"):
        self.dragnet, self.url, self.year, self.name = dragnet, server_url, year, name
        self.token_file = token_file
        Path(name).mkdir(exist_ok=True)
        self.pushes = 0
        self.cases = 0
        self.recorded_late = 0
        self.failures: list[str] = []
        # Case references of this run only, so that the step can be run again against a kept central.
        self.tag = time.strftime("%H%M%S")
        self.seconds: list[float] = []
        self.ready: list[str] = []
        self.made = 0

    def record(self, batches: int) -> None:
        """Records `batches` batches ahead, each in a station file of its own; failures are kept in `failures`."""
        for _ in range(batches):
            db = self.record_one()
            if db:
                self.ready.append(db)

    def record_one(self) -> str | None:
        self.made += 1
        n = self.made
        ref = f"LIVE{self.tag}-{n}"
        db, csv = f"{self.name}/{n}.sqlite", f"{self.name}/{n}.csv"
        rows = [f"{ref}-{k},79.9{k},Người Thử {n} {k},1990,M,,QĐ-{ref}-{k},{self.year}-06-01,Điều 173,,,,,"
                for k in range(BATCH)]
        Path(csv).write_text(WANTED_HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
        for command in (["init", "--db", db, "--unit", "79"], ["import", "wanted", csv, "--db", db]):
            done = subprocess.run([self.dragnet, *command], capture_output=True, check=False)
            if done.returncode != 0:
                self.failures.append(f"{command[0]}: {done.stderr.decode(errors='replace').strip()[:300]}")
                return None
        return db

    def push_once(self) -> None:
        started = time.monotonic()
        if self.ready:
            db = self.ready.pop(0)
        else:
            db = self.record_one()
            self.recorded_late += 1
            if db is None:
                return
        try:
            sync, done = lib.dragnet_json(
                self.dragnet, ["sync", "--db", db, "--server", self.url, "--token-file", self.token_file,
                               "--push-only", "--format", "json"])
        except ValueError as error:
            self.failures.append(f"sync: {error}")
            return
        if done.returncode != 0 or sync.get("rejected") or sync.get("created") != 2 * BATCH:
            self.failures.append(f"sync: exit {done.returncode}, {sync}")
            return
        self.seconds.append(time.monotonic() - started)
        self.pushes += 1
        self.cases += BATCH

    def run_every_second(self, stop: threading.Event) -> None:
        while not stop.is_set():
            started = time.monotonic()
            self.push_once()
            stop.wait(max(0.0, PUSH_EVERY - (time.monotonic() - started)))


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (/proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def new_count(body: str) -> int | None:
    try:
        return json.loads(body)["wanted"]["new"]["count"]
    except (ValueError, KeyError, TypeError):
        return None


def measure(dragnet: str, server, route: str, token: str, year: str, apt, http_get) -> dict:
    """Runs the step; returns its record (with `lines` to print in the summary and `ratios`)."""
    record: dict = {"connections": CONNECTIONS, "duration_s": DURATION}
    if not apt.ensure_command(NGINX, "nginx"):
        say("bench: nginx could not be installed; step 6b is skipped.")
        return dict(record, skipped="nginx could not be installed")
    code, body = http_get(route, token)
    if code != 200:
        return dict(record, skipped=f"the route answered HTTP {code}")
    base_new = new_count(body)

    say(f"nginx serves the route's body ({len(body.encode())} bytes) as a static file (measured in every round).")
    nginx = Nginx(Path("nginx").resolve())
    (nginx.root).mkdir(parents=True, exist_ok=True)
    (nginx.root / "metrics.json").write_text(body, encoding="utf-8")
    if not nginx.start():
        nginx.stop()
        return dict(record, skipped="nginx did not start (see nginx/logs in the bench's folder)")
    try:
        return measure_with(record, nginx, dragnet, server, route, token, year, http_get, base_new)
    finally:
        nginx.stop()


def measure_with(record: dict, nginx: Nginx, dragnet: str, server, route: str, token: str, year: str, http_get,
                 base_new: int | None) -> dict:
    # The server's CPU time for one push, nothing else running: a push stores the events and updates the kept facts
    # of the records they touch (the reports are computed when asked for, by the requests).
    station = LiveStation(dragnet, server.url, year)
    # Enough batches for the pushes timed alone and every live run (one a second, and a little more).
    per_rounds = ROUNDS * (int(DURATION / PUSH_EVERY) + 3)
    say(f"    recording {CPU_PUSHES + per_rounds} batches of {BATCH} cases ahead, each in a station file of its own "
        "(a station records on its own machine; here the cores are shared)")
    station.record(CPU_PUSHES + per_rounds)
    before = cpu_seconds(server.pid)
    for _ in range(CPU_PUSHES):
        station.push_once()
        time.sleep(0.2)
    cpu_push_ms = (cpu_seconds(server.pid) - before) / max(1, CPU_PUSHES) * 1000
    say(f"    the central server's CPU time per push of {BATCH} cases ({2 * BATCH} events), alone: "
        f"{cpu_push_ms:.1f} ms (mean of {CPU_PUSHES}; the station's sync processes not counted)")
    started = time.monotonic()
    code, _ = http_get(route, token)
    first_after_push_s = time.monotonic() - started
    say(f"    the first request after a push (the report computed again from the kept facts): "
        f"{first_after_push_s * 1000:.0f} ms")
    record.update(cpu_per_push_ms=round(cpu_push_ms, 2), first_request_after_push_ms=round(first_after_push_s * 1000))

    # The anchor for the station's own cost: the same kind of station pushing the same batches to another central
    # endpoint on this machine, so that the route's server receives no write but the machine runs the station's
    # processes (on 2 cores they take CPU from the server and from wrk alike).
    anchor = AnchorCentral(dragnet)
    elsewhere = LiveStation(dragnet, anchor.server.url, year, name="elsewhere",
                            token_file=anchor.token_file) if anchor.start() else None
    if elsewhere is None:
        say("    the anchor central did not start: the rounds go on without the run pushing elsewhere")
    else:
        elsewhere.record(per_rounds)
    try:
        runs: dict[str, list[dict]] = {"nginx": [], "still": [], "elsewhere": [], "live": []}
        pushes_before = station.pushes
        for round_number in range(1, ROUNDS + 1):
            say(f"Round {round_number} of {ROUNDS}: nginx, the route on a still log, while a station pushes to another "
                f"central endpoint, while the station pushes {BATCH} new cases every {PUSH_EVERY:g} s to this one:")
            runs["nginx"].append(wrk(f"http://127.0.0.1:{nginx.port}/metrics.json", token))
            runs["still"].append(wrk(route, token))
            if elsewhere is not None:
                runs["elsewhere"].append(while_pushing(elsewhere, route, token))
            runs["live"].append(while_pushing(station, route, token))
    finally:
        anchor.stop()
    record["live_pushes"] = station.pushes - pushes_before
    record["recorded_late"] = station.recorded_late + (elsewhere.recorded_late if elsewhere else 0)
    failures = station.failures + (elsewhere.failures if elsewhere else [])
    if failures:
        record["push_failures"] = failures[:5]
        say(f"    pushes that failed: {failures[:5]}")
    record["rounds"] = runs
    for name, found in runs.items():
        if found:
            record[name] = median_run(found)

    # Freshness: after the pushes, the route counts every case pushed.
    code, after = http_get(route, token)
    seen = new_count(after)
    expected = None if base_new is None else base_new + station.cases
    record["live_figures"] = "MATCH" if code == 200 and seen == expected else "MISMATCH"
    say(f"    new wanted cases after {station.pushes} pushes: {seen} (expected {base_new} + {station.cases} = "
        f"{expected}): {record['live_figures']}")

    nginx_p99 = record["nginx"].get("p99", 0)
    still, live = record["still"], record["live"]
    live_to_nginx = live.get("p99", float("inf")) / nginx_p99 if nginx_p99 else float("inf")
    live_to_still = live.get("p99", float("inf")) / still["p99"] if still.get("p99") else float("inf")
    # No request over 1 s in any run of the route (wrk's max); a run where nothing finished counts as infinite.
    slowest = max(run.get("max", float("inf")) for name in ("still", "elsewhere", "live") for run in runs[name])
    record["ratios"] = {"live_p99_to_nginx_p99": round(live_to_nginx, 3), "live_p99_to_still_p99": round(
        live_to_still, 3), "max_ms": round(slowest, 1)}
    def p99s(name: str) -> str:
        return ", ".join(f"{run.get('p99', 0):.1f}" for run in runs[name]) or "not measured"
    record["lines"] = [
        ("nginx", describe(record["nginx"]) + f"; p99 of the {ROUNDS} rounds: {p99s('nginx')} ms"),
        ("route still", describe(still) + f"; p99 of the rounds: {p99s('still')} ms"),
        ("route live", describe(live) + f"; p99 of the rounds: {p99s('live')} ms; {record['live_pushes']} pushes of "
                       f"{2 * BATCH} events during the live runs ({record['recorded_late']} recorded during a run)"),
    ]
    if "elsewhere" in record:
        elsewhere_run = record["elsewhere"]
        record["ratios"]["live_p99_to_elsewhere_p99"] = round(
            live.get("p99", float("inf")) / elsewhere_run["p99"], 3) if elsewhere_run.get("p99") else None
        record["lines"].append(
            ("anchor", describe(elsewhere_run) + f"; p99 of the rounds: {p99s('elsewhere')} ms (the station pushing to "
                       "another central endpoint: the machine's share of the live tail)"))
    record["lines"] += [
        ("push CPU", f"{cpu_push_ms:.1f} ms of the server's CPU per push of {2 * BATCH} events; first request after "
                     f"a push {first_after_push_s * 1000:.0f} ms"),
        ("freshness", f"{record['live_figures']} (the route counts every pushed case once the pushes stop)"),
    ]
    record["targets"] = [
        ("live/nginx p99", f"{live.get('p99', 0):.2f} ms / {nginx_p99:.2f} ms = {live_to_nginx:.2f}× (medians of "
                           f"{ROUNDS} rounds)", "(target ≤ 3×)", live_to_nginx <= 3),
        ("live/still p99", f"{live.get('p99', 0):.2f} ms / {still.get('p99', 0):.2f} ms = {live_to_still:.2f}× "
                           f"(medians of {ROUNDS} rounds)", "(target ≤ 1.25×)", live_to_still <= 1.25),
        ("slowest", f"{slowest:.0f} ms (every run of the route)", "(target ≤ 1000 ms)", slowest <= 1000),
    ]
    return record


def median_run(runs: list[dict]) -> dict:
    """The run whose p99 is the median of the runs' (the lower middle one of an even number); a run where no request
    finished counts as the slowest."""
    ordered = sorted(runs, key=lambda run: run.get("p99", float("inf")) if run.get("requests") else float("inf"))
    return ordered[(len(ordered) - 1) // 2]


def while_pushing(station: LiveStation, route: str, token: str) -> dict:
    """One wrk run of the route while `station` pushes a batch every PUSH_EVERY seconds."""
    stop = threading.Event()
    pusher = threading.Thread(target=station.run_every_second, args=(stop,), daemon=True)
    pusher.start()
    try:
        return wrk(route, token)
    finally:
        stop.set()
        pusher.join(60)


class AnchorCentral:
    """A second central endpoint on this machine, with an empty registry of its own and a station token for unit 79,
    which the anchor station pushes to (in the folder `elsewhere-central`)."""

    def __init__(self, dragnet: str):
        self.dragnet = dragnet
        self.home = Path("elsewhere-central").resolve()
        self.token_file = str(self.home / "station.token")
        self.server = lib.CentralServer(dragnet, str(self.home / "central.sqlite"), out=str(self.home / "server.out"),
                                        log=str(self.home / "server.log"))

    def start(self) -> bool:
        self.home.mkdir(parents=True, exist_ok=True)
        done = subprocess.run([self.dragnet, "token", "add", "--db", str(self.home / "central.sqlite"), "--unit", "79",
                               "--role", "station", "--label", "bench anchor station"], capture_output=True,
                              check=False)
        if done.returncode != 0:
            return False
        Path(self.token_file).write_bytes(done.stdout)
        return self.server.start(wait_seconds=60)

    def stop(self) -> None:
        self.server.stop(wait_seconds=30)
