"""Many stations syncing at once against one central endpoint (issue 14): scripts/bench-stations runs this, and
scripts/bench runs it as its last step.

Every unit of one generated province becomes a station: the rows of `dragnet generate --province P` are split by
their `unit` column (wanted.csv, releases.csv and supervision.csv alike), each station imports its own rows, and then
all of them run `dragnet sync --format json` at the same moment against one `dragnet serve`. The run checks that
nothing is lost or doubled (every sync exits 0; the central log holds as many events as the stations pushed, each
id once, and for each unit as many as that station recorded) and that the central figures for the province equal
those of one station holding every row (`dragnet metrics --format json`, the same `--as-of`). It prints the wall time
of the simultaneous sync against one station pushing every row to a fresh central (the ratio: at most 3 times), in
rounds (3 by default, each on fresh copies of the imported databases and a fresh central; the ratio is the median
of the rounds' ratios), the CPU time of both and the floor it sets (that CPU over the machine's cores), the events pushed and
served per second, and what each station received. Then it serves the same pulls again to a small
client that only counts (no station storing what it receives), which measures the server's own serving rate and the
bytes on the wire with and without gzip.

    python3 scripts/lib/bench_stations.py [--rows N] [--rounds R] [--province P] [--json FILE]

Environment: DRAGNET_BIN (skip the build), STATIONS_ROWS (default 60000), STATIONS_ROUNDS (default 3), BENCH_KEEP=1
(keep the temporary folder).
Exit status: 0 when nothing was lost or doubled and the figures are equal (a target not met does not change it),
1 otherwise.
"""
from __future__ import annotations

import argparse
import concurrent.futures
import csv
import gzip
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import dragnet_scripts as lib  # noqa: E402
from dragnet_scripts import say  # noqa: E402

SEED = 42
TODAY = "2026-11-30"  # the generator's day, so that the same rows come out on any day
YEAR = "2020"
DEFAULT_ROWS = 60_000
DEFAULT_ROUNDS = 3
RATIO_TARGET = 3.0
SERVED_TARGET = 50_000
LISTS = ("wanted", "releases", "supervision")
TAIL = re.compile(rb'"more":(true|false),"next":([0-9]+)}$')


def split_by_unit(source: Path, out: Path, name: str) -> dict[str, int]:
    """Writes the rows of `source` into out/UNIT/NAME.csv, one file per value of its `unit` column; the rows per unit."""
    counts: dict[str, int] = {}
    writers: dict[str, tuple] = {}
    with open(source, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        at = header.index("unit")
        try:
            for row in reader:
                unit = row[at]
                if unit not in writers:
                    (out / unit).mkdir(parents=True, exist_ok=True)
                    file = open(out / unit / f"{name}.csv", "w", newline="", encoding="utf-8")
                    writer = csv.writer(file, lineterminator="\n")
                    writer.writerow(header)
                    writers[unit] = (file, writer)
                writers[unit][1].writerow(row)
                counts[unit] = counts.get(unit, 0) + 1
        finally:
            for file, _ in writers.values():
                file.close()
    return counts


def differences(a, b, path: str = "") -> list[str]:
    """Where two JSON values differ, as `path: a != b` lines."""
    if isinstance(a, dict) and isinstance(b, dict):
        return [line for key in sorted(set(a) | set(b)) for line in differences(a.get(key), b.get(key), f"{path}.{key}")]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [line for i, (x, y) in enumerate(zip(a, b)) for line in differences(x, y, f"{path}[{i}]")]
    return [] if a == b else [f"{path or '.'}: central {a!r} != one station {b!r}"]


def rounds_from_environment() -> int:
    """`STATIONS_ROUNDS`, or the default: the rounds when neither `--rounds` nor a caller says."""
    return int(os.environ.get("STATIONS_ROUNDS", str(DEFAULT_ROUNDS)))


def copy_database(source: Path, target: Path, name: str) -> None:
    """Copies the SQLite file `name` from `source` to `target`, with its WAL when it has one (committed pages not yet
    in the main file), and no stale WAL or shared-memory file of an earlier copy left beside it."""
    for suffix in ("-wal", "-shm"):
        (target / (name + suffix)).unlink(missing_ok=True)
    shutil.copy(source / name, target / name)
    if (source / (name + "-wal")).exists():
        shutil.copy(source / (name + "-wal"), target / (name + "-wal"))


def usable_cores() -> float:
    """The cores this process may run on: its CPU affinity, and a cgroup v2 quota (`cpu.max`) when one is set."""
    cores = float(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))
    try:
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text(encoding="utf-8").split()[:2]
        if quota != "max":
            cores = min(cores, int(quota) / int(period))
    except (OSError, ValueError):
        pass
    return max(cores, 1.0)


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a running process so far (Linux /proc), in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def sqlite_value(db: str, query: str) -> str:
    return subprocess.run(["sqlite3", db, query], capture_output=True, text=True, check=True).stdout.strip()


def held_runs(db: str) -> str:
    """The runs of server sequence numbers at which the central stored this station's own events (its receipts), as
    its pull names them (`held=`, docs/protocol.md): so that a client pulling for it is sent what it was sent."""
    sequences = [int(x) for x in sqlite_value(
        db, "SELECT sequence FROM push_receipt WHERE status = 'created' AND sequence IS NOT NULL "
            "ORDER BY sequence").split()]
    runs: list[list[int]] = []
    for sequence in sequences:
        if runs and runs[-1][1] + 1 == sequence:
            runs[-1][1] = sequence
        else:
            runs.append([sequence, sequence])
    return ",".join(f"{a}-{b}" for a, b in runs[:64])


class Pages:
    """Pulls everything a token may see, page by page, as a station does, counting events and bytes (the body as
    received, gzip-compressed when `gzip`, and as JSON); `held`, the runs the station names."""

    def __init__(self, url: str, token: str, gzip_wanted: bool, held: str = ""):
        self.url, self.token, self.gzip_wanted, self.held = url, token, gzip_wanted, held

    def run(self) -> dict:
        after, events, wire, plain, requests = 0, 0, 0, 0, 0
        while True:
            headers = {"Authorization": "Bearer " + self.token}
            if self.gzip_wanted:
                headers["Accept-Encoding"] = "gzip"
            # A client that holds nothing is a new station (`first=1`): the unit's horizon, set by its station's
            # first pull, is kept as it is (without it, the server would stop withholding the cases that reached
            # the central closed: docs/protocol.md).
            first = "&first=1" if after == 0 else ""
            held = f"&held={self.held}" if self.held else ""
            request = urllib.request.Request(
                f"{self.url}/v1/events?after={after}&limit=500{first}{held}", headers=headers)
            with urllib.request.urlopen(request, timeout=300) as response:
                body = response.read()
                encoding = response.headers.get("Content-Encoding", "")
            requests += 1
            wire += len(body)
            if encoding == "gzip":
                body = gzip.decompress(body)
            plain += len(body)
            # The answer's keys are sorted: `"more"` and `"next"` end it. Counted without decoding the events, so that
            # this client costs little next to the server (a quote inside a JSON string is escaped: `{"event":`
            # occurs only where an event begins).
            tail = TAIL.search(body[-100:])
            if tail is None:
                raise ValueError(f"a pull answer without more/next at its end: {body[-100:]!r}")
            events += body.count(b'{"event":')
            after = int(tail.group(2))
            if tail.group(1) == b"false":
                return {"events": events, "wire_bytes": wire, "json_bytes": plain, "requests": requests}


class StationsBench:
    def __init__(self, rows: int, province: str, keep: bool, record_path: str | None, binary: str | None = None,
                 work: Path | None = None, title: str = "", rounds: int = DEFAULT_ROUNDS):
        self.title = title
        self.rounds = max(rounds, 1)
        self.rows, self.province, self.keep, self.record_path = rows, province, keep, record_path
        self.dragnet = binary or ""
        self.work = work
        self.own_work = work is None
        self.caller_dir = os.getcwd()
        self.servers: list[lib.CentralServer] = []
        self.record: dict = {"rows": rows, "province": province, "seed": SEED}
        self.problems: list[str] = []

    def main(self) -> int:
        def on_error(error: Exception) -> int | None:
            if not isinstance(error, (OSError, ValueError, subprocess.CalledProcessError)):
                return None
            say(f"bench-stations: {error}")
            return 1

        return lib.exit_status(self.run, self.cleanup, on_error)

    def cleanup(self, status: int) -> None:
        for server in self.servers:
            if server.running():
                server.stop(15)
        if self.own_work and self.work is not None and self.work.is_dir():
            os.chdir("/")
            if self.keep:
                say(f"BENCH_KEEP=1: the temporary folder stays, {self.work}")
            else:
                shutil.rmtree(self.work, ignore_errors=True)

    def start_server(self, db: str, name: str) -> lib.CentralServer:
        server = lib.CentralServer(self.dragnet, db, out=f"{name}.out", log=f"{name}.log")
        self.servers.append(server)
        if not server.start(wait_seconds=60):
            say(f"bench-stations: the central endpoint ({db}) did not start:")
            lib.print_indented(server.printed())
            raise lib.Stop(1)
        return server

    def json_of(self, arguments: list[str]) -> dict:
        value, done = lib.dragnet_json(self.dragnet, [*arguments, "--format", "json"])
        if done.returncode != 0:
            raise ValueError(f"dragnet {' '.join(arguments[:2])} exited with status {done.returncode}")
        return value

    def import_station(self, db: str, unit: str, folder: Path) -> int:
        """`dragnet init` and the import of the station's lists; the events recorded."""
        subprocess.run([self.dragnet, "init", "--db", db, "--unit", unit], stdout=subprocess.DEVNULL, check=True)
        events = 0
        for name in LISTS:
            path = folder / f"{name}.csv"
            if path.exists():
                summary = self.json_of(["import", "--db", db, name, str(path)])
                if not summary.get("committed"):
                    raise ValueError(f"the import of {path} was not committed")
                events += summary["events"]
        return events

    def run(self) -> None:
        lib.heading(f"{self.title}Stations: every unit of province {self.province} syncing at once ({self.rows} rows)")
        if self.work is None:
            self.work = lib.temporary_folder("stations")
        if not lib.Apt("bench-stations").ensure_command("sqlite3", "sqlite3"):
            say("bench-stations: the sqlite3 shell could not be installed (it counts the events of each database).")
            raise lib.Stop(1)
        if not self.dragnet:
            self.dragnet = lib.find_or_build(
                "bench-stations", release=True, work=self.work, caller_dir=self.caller_dir,
                build_note="Building dragnet in release mode (swift build -c release).")
        os.chdir(self.work)
        cores = os.cpu_count() or 0
        load = os.getloadavg()
        say(f"Machine: {cores} cores, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} at the start. "
            f"Working in {self.work}.")
        self.record.update(cores=cores, load_at_start=[round(x, 2) for x in load])

        subprocess.run(
            [self.dragnet, "generate", "--out", "data", "--rows", str(self.rows), "--seed", str(SEED), "--province",
             self.province, "--today", TODAY], stdout=subprocess.DEVNULL, check=True)
        rows_per_unit: dict[str, int] = {}
        for name in LISTS:
            if (Path("data") / f"{name}.csv").exists():
                for unit, count in split_by_unit(Path("data") / f"{name}.csv", Path("split"), name).items():
                    rows_per_unit[unit] = rows_per_unit.get(unit, 0) + count
        units = sorted(rows_per_unit)
        say(f"    {len(units)} stations, {min(rows_per_unit.values())}-{max(rows_per_unit.values())} rows each")

        # One station holding every row: the figures to compare with, and the push it makes alone.
        started = time.monotonic()
        Path("all").mkdir(exist_ok=True)
        for name in LISTS:
            if (Path("data") / f"{name}.csv").exists():
                shutil.copy(Path("data") / f"{name}.csv", Path("all") / f"{name}.csv")
        reference_events = self.import_station("reference.sqlite", self.province, Path("all"))
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(cores, 1)) as pool:
            recorded = dict(zip(units, pool.map(
                lambda unit: self.import_station(f"station-{unit}.sqlite", unit, Path("split") / unit), units)))
        say(f"    imports: {reference_events} events into one station of {self.province}, "
            f"{sum(recorded.values())} into the {len(units)} stations ({time.monotonic() - started:.1f} s)")
        if sum(recorded.values()) != reference_events:
            self.problems.append(f"the stations recorded {sum(recorded.values())} events, the one station "
                                 f"{reference_events}")

        # Rounds: the one push alone, then every station at once, each on fresh copies of the imported databases and
        # a fresh central. One run of either moves by a tenth to a fifth on a shared machine (the one push most); the
        # figure is the median of the rounds' own ratios (see below).
        Path("pristine").mkdir(exist_ok=True)
        databases = ["reference.sqlite"] + [f"station-{unit}.sqlite" for unit in units]
        for db in databases:
            copy_database(Path("."), Path("pristine"), db)
        rounds: list[dict] = []
        central: lib.CentralServer | None = None
        for number in range(1, self.rounds + 1):
            if number > 1:
                for db in databases:
                    copy_database(Path("pristine"), Path("."), db)
            if central is not None:
                central.stop(15)
            say(f"    round {number} of {self.rounds}:")
            single = self.one_push(number)
            central, onboarding = self.onboarding(number, units, recorded, last=number == self.rounds)
            rounds.append({**single, **onboarding,
                           "ratio": round(onboarding["onboarding_s"] / single["single_push_s"], 3)})
            say(f"      this round: {onboarding['onboarding_s']:.2f} s / {single['single_push_s']:.2f} s = "
                f"{rounds[-1]['ratio']:.2f}x")
        assert central is not None

        # The server's own serving rate: the same pulls again (each token from 0), to a client that only counts.
        say("    the last round's pulls again, 4 at a time, to a client that only counts (gzip asked, as libcurl does):")
        tokens = {unit: lib.read_token(f"{unit}.token") for unit in units}
        held = {unit: held_runs(f"station-{unit}.sqlite") for unit in units}
        lock = threading.Lock()
        served: dict[str, dict] = {}

        def pull(unit: str, gzip_wanted: bool) -> None:
            result = Pages(central.url, tokens[unit], gzip_wanted, held[unit]).run()
            with lock:
                served[unit] = result

        start = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(lambda unit: pull(unit, True), units))
        serve_s = time.monotonic() - start
        served_events = sum(s["events"] for s in served.values())
        wire = sorted(s["wire_bytes"] for s in served.values())
        plain = sorted(s["json_bytes"] for s in served.values())
        say(f"      {served_events} events in {serve_s:.2f} s = {served_events / serve_s:,.0f} events/s served")
        say(f"      bytes each station received: median {wire[len(wire) // 2]:,} on the wire "
            f"({plain[len(plain) // 2]:,} as JSON), max {wire[-1]:,} ({plain[-1]:,})")
        Pages(central.url, tokens[units[0]], False, held[units[0]]).run()  # warm, then one station without gzip, alone
        start = time.monotonic()
        one = Pages(central.url, tokens[units[0]], False, held[units[0]]).run()
        one_s = time.monotonic() - start
        say(f"      one station alone, no gzip: {one['events']} events in {one_s:.2f} s = "
            f"{one['events'] / one_s:,.0f} events/s, {one['wire_bytes']:,} bytes")
        central.stop(15)

        def median(key: str) -> float:
            return statistics.median(r[key] for r in rounds)

        # The ratio is the median of the rounds' own ratios: each round's two runs are next to each other in time,
        # so the machine's speed, which drifts by a fifth over minutes here, cancels out of each; the ratio of the
        # medians (whose two medians may come from different rounds) is printed beside it.
        for r in rounds:
            r["floor_ratio"] = round(r["cpu_floor_s"] / r["single_push_s"], 3) if r["single_push_s"] > 0 else 0.0
        single_s, all_s = median("single_push_s"), median("onboarding_s")
        ratio = median("ratio")
        of_medians = all_s / single_s if single_s > 0 else 0.0
        served_rate = median("served_during_onboarding_per_s")
        floor_ratio = median("floor_ratio")
        each = ", ".join(f"{r['ratio']:.2f}x" for r in rounds)
        say("")
        say(f"    onboarding of {len(units)} stations / one station's push of every row, the median of {len(rounds)} "
            f"rounds' ratios ({each}): {ratio:.2f}x (target <= {RATIO_TARGET:.0f}x: "
            f"{'met' if ratio <= RATIO_TARGET else 'not met'}); medians {all_s:.2f} s / {single_s:.2f} s = "
            f"{of_medians:.2f}x; the floor (the onboarding's CPU over the cores, against the one push): "
            f"{floor_ratio:.2f}x")
        say(f"    events served to the stations during the onboarding: {served_rate:,.0f} events/s; by the server "
            f"alone: {served_events / serve_s:,.0f} events/s (target >= {SERVED_TARGET:,}: "
            f"{'met' if served_events / serve_s >= SERVED_TARGET else 'not met'})")
        for problem in self.problems:
            say(f"    PROBLEM: {problem}")
        say(f"    nothing lost or doubled, figures equal: {'yes' if not self.problems else 'NO'}")
        last = rounds[-1]
        self.record.update(
            stations=len(units), station_events=sum(recorded.values()), rounds=rounds,
            single_push_s=round(single_s, 3), single_pushed=last["single_pushed"], onboarding_s=round(all_s, 3),
            pushed=last["pushed"], pulled=last["pulled"], pulled_per_station=last["pulled_per_station"],
            ratio=round(ratio, 3), ratio_of_medians=round(of_medians, 3),
            served_during_onboarding_per_s=round(served_rate),
            serve_again_s=round(serve_s, 3), served_events=served_events,
            served_per_s=round(served_events / serve_s), wire_bytes_median=wire[len(wire) // 2],
            json_bytes_median=plain[len(plain) // 2], wire_bytes_max=wire[-1], json_bytes_max=plain[-1],
            server_cpu_s=round(median("server_cpu_s"), 1), stations_cpu_s=round(median("stations_cpu_s"), 1),
            single_push_server_cpu_s=round(median("single_push_server_cpu_s"), 1),
            single_push_station_cpu_s=round(median("single_push_station_cpu_s"), 1),
            cpu_floor_s=round(median("cpu_floor_s"), 2), cpu_floor_ratio=round(floor_ratio, 3),
            pull_seconds_median=last["pull_seconds_median"], figures_equal=all(r["figures_equal"] for r in rounds),
            problems=self.problems)
        if self.record_path:
            Path(self.record_path).write_text(json.dumps(self.record, indent=2) + "\n", encoding="utf-8")
        if self.problems:
            raise lib.Stop(1)

    def one_push(self, number: int) -> dict:
        """The reference station pushes every row to a fresh central, alone: the time to compare with."""
        alone = self.start_server(f"alone-{number}.sqlite", f"alone-{number}")
        lib.add_token(self.dragnet, f"alone-{number}.sqlite", self.province, "station", "alone", "alone.token")
        server_cpu, station_cpu = cpu_seconds(alone.pid), children_cpu()
        start = time.monotonic()
        single = self.json_of(["sync", "--db", "reference.sqlite", "--server", alone.url, "--token-file",
                               "alone.token", "--push-only"])
        single_s = time.monotonic() - start
        server_cpu = cpu_seconds(alone.pid) - server_cpu
        station_cpu = children_cpu() - station_cpu
        alone.stop(15)
        say(f"      one station pushing {single['pushed']} events to a fresh central: {single_s:.2f} s "
            f"({single['pushed'] / single_s:,.0f} events/s); CPU: the server {server_cpu:.1f} s, the station "
            f"{station_cpu:.1f} s")
        return {"single_push_s": round(single_s, 3), "single_pushed": single["pushed"],
                "single_push_server_cpu_s": round(server_cpu, 2), "single_push_station_cpu_s": round(station_cpu, 2)}

    def onboarding(self, number: int, units: list[str], recorded: dict[str, int], last: bool
                   ) -> tuple[lib.CentralServer, dict]:
        """Every station syncs at once against a fresh central; the checks; the server is left running."""
        db = f"central-{number}.sqlite"
        central = self.start_server(db, f"central-{number}")
        for unit in units:
            lib.add_token(self.dragnet, db, unit, "station", f"station {unit}", f"{unit}.token")
        lib.add_token(self.dragnet, db, self.province, "hq", "hq", "hq.token")
        load_before = os.getloadavg()[0]
        server_cpu, stations_cpu = cpu_seconds(central.pid), children_cpu()
        start = time.monotonic()
        processes = {}
        for unit in units:
            processes[unit] = subprocess.Popen(
                [self.dragnet, "sync", "--db", f"station-{unit}.sqlite", "--server", central.url, "--token-file",
                 f"{unit}.token", "--format", "json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        results: dict[str, dict] = {}
        ended: dict[str, float] = {}

        def wait(unit: str) -> tuple[str, bytes, bytes, int]:
            out, err = processes[unit].communicate()
            ended[unit] = time.monotonic() - start
            return unit, out, err, processes[unit].returncode

        with concurrent.futures.ThreadPoolExecutor(max_workers=len(units)) as pool:
            finished = list(pool.map(wait, units))
        for unit, out, err, status in finished:
            if status != 0:
                self.problems.append(f"round {number}: the sync of {unit} exited with status {status}: "
                                     f"{err.decode(errors='replace')[-300:]}")
                continue
            results[unit] = json.loads(out)
        all_s = time.monotonic() - start
        load_after = os.getloadavg()[0]
        server_cpu, stations_cpu = cpu_seconds(central.pid) - server_cpu, children_cpu() - stations_cpu
        pushed = sum(r["pushed"] for r in results.values())
        created = sum(r["created"] for r in results.values())
        pulled = sum(r["pulled"] for r in results.values())
        say(f"      {len(results)}/{len(units)} syncs exited 0; all done in {all_s:.2f} s (the first after "
            f"{min(ended.values()):.2f} s); load average {load_before:.2f} before, {load_after:.2f} after")
        say(f"      pushed {pushed} events ({created} stored): {pushed / all_s:,.0f} events/s; pulled {pulled} events "
            f"into the stations: {pulled / all_s:,.0f} events/s")
        # The floor: every process of the onboarding shares this machine's cores, so its CPU time over the cores is
        # the least wall time any scheduling could give.
        cores = usable_cores()
        cpu_floor_s = (server_cpu + stations_cpu) / cores
        say(f"      CPU during the onboarding: the server {server_cpu:.1f} s, the {len(units)} stations "
            f"{stations_cpu:.1f} s; over {cores:g} cores at least {cpu_floor_s:.2f} s of wall time (the floor)")
        outcome = {"onboarding_s": round(all_s, 3), "pushed": pushed, "pulled": pulled,
                   "served_during_onboarding_per_s": round(pulled / all_s) if all_s > 0 else 0,
                   "server_cpu_s": round(server_cpu, 2), "stations_cpu_s": round(stations_cpu, 2),
                   "cpu_floor_s": round(cpu_floor_s, 2), "load_before": round(load_before, 2),
                   "load_after": round(load_after, 2)}
        # Where the wall time goes: which station ended last, and its push and pull (the tail of the onboarding).
        if results:
            last_unit = max(results, key=lambda unit: ended[unit])
            r = results[last_unit]
            ends = sorted(ended[unit] for unit in results)
            say(f"      last to end: {last_unit} after {ended[last_unit]:.2f} s (push {r['push_seconds']:.2f} s, pull "
                f"{r['pull_seconds']:.2f} s, {r['pulled']} events pulled); the median station ended after "
                f"{ends[len(ends) // 2]:.2f} s")
            outcome["onboarding_last"] = {"unit": last_unit, "ended_s": round(ended[last_unit], 2),
                                          "push_s": r["push_seconds"], "pull_s": r["pull_seconds"],
                                          "median_ended_s": round(ends[len(ends) // 2], 2)}
        per_station = sorted(r["pulled"] for r in results.values())
        outcome["pulled_per_station"] = {"min": per_station[0], "median": per_station[len(per_station) // 2],
                                         "max": per_station[-1]} if per_station else {}
        outcome["pull_seconds_median"] = sorted(
            r["pull_seconds"] for r in results.values())[len(results) // 2] if results else 0
        if last and per_station:
            say(f"      events each station pulled: min {per_station[0]}, median {per_station[len(per_station) // 2]}, "
                f"max {per_station[-1]}")

        # Nothing lost, nothing doubled.
        central_count = int(sqlite_value(db, "SELECT count(*) FROM event"))
        distinct = int(sqlite_value(db, "SELECT count(DISTINCT id) FROM event"))
        if central_count != sum(recorded.values()) or distinct != central_count or created != central_count:
            self.problems.append(f"round {number}: the central holds {central_count} events ({distinct} ids), the "
                                 f"stations recorded {sum(recorded.values())}, the pushes stored {created}")
        by_unit = dict(line.split("|") for line in sqlite_value(
            db, "SELECT unit, count(*) FROM event GROUP BY unit").splitlines())
        for unit in units:
            local = int(sqlite_value(f"station-{unit}.sqlite", "SELECT count(*) FROM event WHERE origin = 'local'"))
            if int(by_unit.get(unit, 0)) != local:
                self.problems.append(f"round {number}: {unit}: recorded {local} events, the central holds "
                                     f"{by_unit.get(unit, 0)}")

        # The central figures against one station holding every row.
        as_of = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 1))  # after every event recorded
        figures_args = ["metrics", "--unit", self.province, "--year", YEAR, "--as-of", as_of]
        central_figures = self.json_of([*figures_args, "--server", central.url, "--token-file", "hq.token"])
        reference_figures = self.json_of([*figures_args, "--db", "reference.sqlite"])
        figures_equal = central_figures == reference_figures
        say(f"      central: {central_count} events, {distinct} distinct ids; stations recorded "
            f"{sum(recorded.values())}; figures of {self.province} for {YEAR} against one station holding every "
            f"row: {'EQUAL' if figures_equal else 'DIFFERENT'}")
        if not figures_equal:
            for line in differences(central_figures, reference_figures)[:10]:
                say(f"        {line}")
            self.problems.append(f"round {number}: the central figures differ from one station's holding every row")
        outcome["figures_equal"] = figures_equal
        return central, outcome


def main() -> int:
    parser = argparse.ArgumentParser(prog="scripts/bench-stations", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=int(os.environ.get("STATIONS_ROWS", str(DEFAULT_ROWS))))
    parser.add_argument("--province", default="79")
    parser.add_argument("--rounds", type=int, default=rounds_from_environment())
    parser.add_argument("--json", metavar="FILE")
    arguments = parser.parse_args()
    record = os.path.abspath(arguments.json) if arguments.json else None
    return StationsBench(arguments.rows, arguments.province, os.environ.get("BENCH_KEEP") == "1", record,
                         rounds=arguments.rounds).main()


if __name__ == "__main__":
    lib.setup_output()
    lib.on_signals()
    lib.with_swift_on_path()
    sys.exit(main())
