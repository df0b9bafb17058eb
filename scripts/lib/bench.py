"""Dragnet's benchmark (scripts/bench checks what is installed, then runs this with python3).

On synthetic data of one province (79), so that one station (`dragnet init --unit 79`) can import all of it, one run
measures and prints, as figures and as ratios against plain SQLite:

  1. import:  `dragnet import wanted` + `dragnet import releases` against the sqlite3 shell's `.import` of the same CSV
              files into plain tables (target: at most 3 times as long), and against the floor: the same shell storing
              dragnet's own event rows into a table like its log (step 3b; issue 10 aims at 3 times the floor);
  2. metrics: `dragnet metrics --year Y --unit 79 --format json` against one hand-written SQL query over those plain
              tables computing the same three figures with the sqlite3 shell (target: no slower), and checks that both
              give the same six counts (MATCH or MISMATCH; a mismatch makes the exit status 1);
  3. memory:  the peak resident memory of the imports (their JSON's peak_memory_bytes; target: under 512 MiB);
  4. sync:    events per second of `dragnet sync --push-only` of the imported station to a central endpoint on the
              loopback interface (issue 10's target: 20,000 events/s, i.e. the push no slower than the import);
  5. route:   requests per second and latency percentiles of the central endpoint's metrics route under 16 concurrent
              connections (wrk; a small Python client when wrk cannot be installed);
  6b. live:  issue 12: the same route under 100 connections on a still log and while a second station pushes a small
              batch every second, against nginx serving the same JSON body as a static file, in three rounds whose
              medians make the ratios, with an anchor run (the station pushing to another central endpoint: what the
              station's processes alone cost this machine; the station's batches recorded before the timed runs)
              (scripts/lib/bench_live.py), and the central server's CPU time for one push;
  7. dashboard: the headquarters dashboard page for the whole country (unit=*) against the JSON route for the same
              query, first request after a start (cold) and warm (target: the page at most 2x the route), and whether
              both show the same figures.

The counts come from the machine output of dragnet (`import --format json`, `sync --format json`, `metrics --format
json`), never from its sentences. Every time in the ratios is the wall-clock time of a whole process as this script
measures it, for dragnet as for the sqlite3 shell (the shell can be timed no other way, and the earlier results in
docs/performance.md were measured so); dragnet's own `seconds` are printed beside them and kept in the JSON record.

    scripts/bench [--json FILE]       FILE: the whole run's results as one JSON object, for the record

Environment: BENCH_ROWS (rows of both files together, default 1000000: about 40 % wanted, 60 % releases), BENCH_YEAR
(the period of the figures, default 2020), DRAGNET_BIN (skip the build and use this binary: give a release build),
BENCH_KEEP=1 (keep the temporary folder). Exit status: 0 when the run finished and the figures match (targets not
met do not change it), 1 when dragnet's figures differ from the SQL's or a step failed, 64 for a bad setting.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_dashboard  # noqa: E402
import bench_live  # noqa: E402
import bench_stations  # noqa: E402
import dragnet_scripts as lib  # noqa: E402
from dragnet_scripts import say  # noqa: E402

UNIT = "79"
SEED = 42
CONNECTIONS = 16
DURATION = 10  # seconds of load on the metrics route
RUNS = 3  # the metrics are timed this many times each; the best time counts
DASHBOARD_WARM = 10  # warm requests of the dashboard page and of the route (step 7)
PUSH_TARGET = 20_000  # events a second (issue 10)

# The six counts of the figures, as named in dragnet's JSON, in the order of the SQL's columns.
FIGURES = [("wanted.existing.count", ("wanted", "existing", "count")),
           ("wanted.existing.captured", ("wanted", "existing", "captured")),
           ("wanted.new.count", ("wanted", "new", "count")),
           ("wanted.new.captured", ("wanted", "new", "captured")),
           ("reoffending.population", ("reoffending", "population")),
           ("reoffending.reoffended", ("reoffending", "reoffended"))]


# ---------------------------------------------------------------------------------------------------------------------
# Numbers for people


def fmt_s(seconds: float) -> str:
    """A duration: 2 decimals under 10 s, 1 decimal above."""
    return f"{seconds:.2f} s" if seconds < 10 else f"{seconds:.1f} s"


def fmt_rough(seconds: float) -> str:
    if seconds < 90:
        return f"about {int(seconds + 0.5)} seconds"
    if seconds < 5400:
        return f"about {int(seconds / 60 + 0.5)} minutes"
    return f"about {seconds / 3600:.1f} hours"


def ratio(a: float, b: float) -> float:
    return a / b if b > 0 else float("inf")


def fmt_ratio(r: float) -> str:
    """77.1×, 0.56×."""
    if r == float("inf"):
        return "inf"
    return f"{r:.1f}×" if r >= 10 else f"{r:.2f}×"


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT MET"


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - len(text))


def mib(size_bytes: int) -> int:
    return round(size_bytes / 1048576)


def wall(command: list[str], **options) -> tuple[float, subprocess.CompletedProcess]:
    """Runs a command and returns its wall-clock seconds with the finished process."""
    start = time.monotonic()
    done = subprocess.run(command, check=False, **options)
    return time.monotonic() - start, done


class Ticker:
    """Prints a line every minute while long work runs with its progress hidden (standard error not a terminal)."""

    def __init__(self):
        self.stop_event: threading.Event | None = None
        self.thread: threading.Thread | None = None

    def start(self, what: str) -> None:
        self.stop()
        if sys.stderr.isatty():
            return
        stop_event, began = threading.Event(), time.monotonic()

        def tick():
            while not stop_event.wait(60):
                say(f"    ... still {what}, {int(time.monotonic() - began)} s so far")

        self.stop_event, self.thread = stop_event, threading.Thread(target=tick, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        if self.stop_event is not None:
            self.stop_event.set()
            self.thread.join()
            self.stop_event = self.thread = None


# ---------------------------------------------------------------------------------------------------------------------


class Bench:
    def __init__(self, rows: int, year: str, keep: bool, record_path: str | None):
        self.rows, self.year, self.keep, self.record_path = rows, year, keep, record_path
        self.period = (f"{year}-01-01", f"{year}-12-31")
        self.caller_dir = os.getcwd()
        self.work: Path | None = None
        self.server: lib.CentralServer | None = None
        self.ticker = Ticker()
        self.step = "getting ready"
        self.finished = False
        self.notes: list[str] = []
        self.record: dict = {"rows": rows, "year": int(year), "unit": UNIT, "seed": SEED}
        self.dragnet = ""

    def heading(self, text: str) -> None:
        self.step = text
        lib.heading(text)

    def fail(self, text: str) -> None:
        say(text)
        raise lib.Stop(1)

    def main(self) -> int:
        def on_error(error: Exception) -> int | None:
            if not isinstance(error, (OSError, ValueError, subprocess.CalledProcessError)):
                return None
            say(f"bench: {error}")
            return 1

        return lib.exit_status(self.run, self.cleanup, on_error)

    def cleanup(self, status: int) -> None:
        self.ticker.stop()
        if self.server is not None and self.server.running():
            log = Path(self.server.log)
            if status != 0 and log.exists() and log.stat().st_size > 0:
                say("The central endpoint's log (last lines):")
                lines = log.read_text(encoding="utf-8", errors="replace").splitlines(keepends=True)
                lib.print_indented("".join(lines[-15:]))
            self.server.stop(15)
        if self.work is not None and self.work.is_dir():
            os.chdir("/")
            if self.keep:
                say(f"BENCH_KEEP=1: the temporary folder stays, {self.work}")
            else:
                shutil.rmtree(self.work, ignore_errors=True)
        if status != 0 and not self.finished:
            sys.stderr.write(f'\nbench: stopped with exit status {status} during "{self.step}".\n')

    def dragnet_json(self, arguments: list[str], what: str) -> tuple[dict, float, int]:
        """Runs dragnet with `--format json` (progress on standard error when it is a terminal, a line a minute
        otherwise) and returns its JSON, the wall-clock seconds and the exit status."""
        self.ticker.start(what)
        start = time.monotonic()
        try:
            summary, done = lib.dragnet_json(self.dragnet, [*arguments, "--format", "json"])
        except ValueError as error:
            self.ticker.stop()
            self.fail(f"bench: {error}")
        seconds = time.monotonic() - start
        self.ticker.stop()
        return summary, seconds, done.returncode

    # -----------------------------------------------------------------------------------------------------------------

    def run(self) -> None:
        self.heading("Getting ready")
        self.work = lib.temporary_folder("bench")

        self.step = "installing the benchmark's tools"
        apt = lib.Apt("bench")
        if not apt.ensure_command("sqlite3", "sqlite3"):
            self.fail("bench: sqlite3 could not be installed.")
        have_wrk = apt.ensure_command("wrk", "wrk")
        if not have_wrk:
            say("bench: wrk could not be installed; the metrics route is measured with a small Python client instead.")

        self.step = "building dragnet"
        self.dragnet = lib.find_or_build(
            "bench", release=True, work=self.work, caller_dir=self.caller_dir,
            build_note="Building dragnet in release mode (swift build -c release). The first build takes several "
                       "minutes.")

        cores = os.cpu_count() or 0
        memory_gib = memory_total_gib()
        os.chdir(self.work)
        version = subprocess.run([self.dragnet, "--version"], capture_output=True, text=True, check=False)
        dragnet_version = version.stdout.strip() if version.returncode == 0 else "version unknown"
        sqlite_version = " ".join(subprocess.run(
            ["sqlite3", "--version"], capture_output=True, text=True, check=True).stdout.split()[:2])
        say(f"dragnet: {dragnet_version}")
        say(f"sqlite3: {sqlite_version}")
        fate = "kept: BENCH_KEEP=1" if self.keep else "removed at the end"
        say(f"Machine: {cores} cores, {memory_gib} GiB. Working in {self.work} ({fate}).")
        self.record.update(
            dragnet=dragnet_version, sqlite3=sqlite_version, machine={"cores": cores, "memory_gib": memory_gib})

        # -------------------------------------------------------------------------------------------------------------
        self.heading(f"1. Generating {self.rows} rows for province {UNIT} (seed {SEED})")
        generated = subprocess.run(
            [self.dragnet, "generate", "--out", "data", "--rows", str(self.rows), "--seed", str(SEED), "--province",
             UNIT], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
        lib.print_indented(generated.stdout.decode("utf-8", errors="replace"))
        if generated.returncode != 0:
            raise lib.Stop(1)

        # -------------------------------------------------------------------------------------------------------------
        self.heading("2. Import: sqlite3 .import into plain tables")
        sqlite_import_s, done = wall(
            ["sqlite3", "base.sqlite", ".import --csv data/wanted.csv wanted",
             ".import --csv data/releases.csv releases"])
        if done.returncode != 0:
            self.fail("bench: the sqlite3 shell's .import failed.")
        counts = sqlite(["base.sqlite", "SELECT (SELECT count(*) FROM wanted), (SELECT count(*) FROM releases)"])
        wanted_rows, release_rows = (int(x) for x in counts.split())
        total_rows = wanted_rows + release_rows
        say(f"    {wanted_rows} wanted rows + {release_rows} release rows in {fmt_s(sqlite_import_s)}")
        self.record.update(
            wanted_rows=wanted_rows, release_rows=release_rows, sqlite_import_s=round(sqlite_import_s, 3))

        self.heading(f"3. Import: dragnet import into a station of unit {UNIT}")
        init = subprocess.run([self.dragnet, "init", "--db", "station.sqlite", "--unit", UNIT],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
        lib.print_indented(init.stdout.decode("utf-8", errors="replace"))
        if init.returncode != 0:
            raise lib.Stop(1)
        say(f"dragnet's import takes about 0.1 ms a row in a release build: {total_rows} rows should take")
        say(f"{fmt_rough(total_rows * 0.0001)}, and the sync after it (about 2.5 events a row, 12,000 a second) "
            f"{fmt_rough(total_rows * 2.5 / 12000)}.")
        if sys.stderr.isatty():
            say("dragnet shows its progress below.")
        else:
            say("(dragnet shows its progress only on a terminal; a line every minute says the work goes on.)")

        imports = {}
        for name, path in (("wanted", "data/wanted.csv"), ("releases", "data/releases.csv")):
            summary, seconds, status = self.dragnet_json(
                ["import", "--db", "station.sqlite", name, path], f"importing {name}")
            if status != 0 or not summary.get("committed"):
                self.fail(f"bench: dragnet import {name} failed with exit status {status}.")
            imports[name] = dict(summary, wall_s=round(seconds, 3))
            say(f"    {name}: {summary['rows']} rows, {summary['cases_created']} new cases, {summary['persons']} new "
                f"persons, {summary['events']} events in {fmt_s(seconds)} (dragnet's own: "
                f"{fmt_s(summary['seconds'])}), peak {mib(summary['peak_memory_bytes'])} MiB")
        import_s = imports["wanted"]["wall_s"] + imports["releases"]["wall_s"]
        events_imported = imports["wanted"]["events"] + imports["releases"]["events"]
        peak_mib = max(mib(imports[name]["peak_memory_bytes"]) for name in imports)
        say(f"    both lists {fmt_s(import_s)}: {import_s * 1000 / total_rows:.2f} ms a row, {events_imported} events")
        self.record["import"] = {"seconds": round(import_s, 3), "events": events_imported, "peak_mib": peak_mib,
                                 "lists": imports}

        # -------------------------------------------------------------------------------------------------------------
        self.heading(
            "3b. The floor: the sqlite3 shell writing dragnet's own event rows into a table like dragnet's log")
        # What the same shell needs just to store the events dragnet's import recorded (one a change: a person
        # registered, a case opened, a decision, a closing…) into a table with the event log's columns, CHECKs and
        # indexes — before any rule is judged and before any projection is written. It shows how much of dragnet's
        # time the log itself costs.
        columns = "id, record_id, record_kind, kind, effective_date, recorded_at, unit, author, data, origin"
        with open("events.csv", "wb") as out:
            subprocess.run(["sqlite3", "-csv", "-header", "station.sqlite", f"SELECT {columns} FROM event"],
                           stdout=out, check=True)
        with open("event-schema.sql", "wb") as out:
            subprocess.run(["sqlite3", "station.sqlite", ".schema event"], stdout=out, check=True)
        # The rows are first loaded into a plain table (not timed); what is timed is SQLite storing them into the
        # log's table.
        subprocess.run(["sqlite3", "floor.sqlite", "PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL",
                        ".read event-schema.sql", ".import --csv events.csv plain"],
                       stdout=subprocess.DEVNULL, check=True)
        floor_s, done = wall(["sqlite3", "floor.sqlite", "PRAGMA synchronous = FULL",
                              f"INSERT INTO event ({columns}) SELECT * FROM plain"], stdout=subprocess.DEVNULL)
        if done.returncode != 0:
            self.fail("bench: the sqlite3 shell could not store the event rows.")
        floor_events = int(sqlite(["floor.sqlite", "SELECT count(*) FROM event"]))
        say(f"    {floor_events} events in {fmt_s(floor_s)}: {fmt_ratio(ratio(floor_s, sqlite_import_s))} the shell's "
            f"import of the CSV files; dragnet's whole import took {fmt_ratio(ratio(import_s, floor_s))} this")
        for name in ("events.csv", "floor.sqlite", "floor.sqlite-wal", "floor.sqlite-shm"):
            Path(name).unlink(missing_ok=True)
        self.record["floor"] = {"seconds": round(floor_s, 3), "events": floor_events}

        # -------------------------------------------------------------------------------------------------------------
        self.heading("3c. Supervision: dragnet import supervision (issue 13)")
        # The generator's supervision events (reporting in, officers, contacts, whereabouts) of the release cases, in
        # a file of their own: imported after the floor so that steps 2-3b compare the same two lists as before; the
        # metrics (step 4) count them and the push (step 6) sends them.
        summary, supervision_s, status = self.dragnet_json(
            ["import", "--db", "station.sqlite", "supervision", "data/supervision.csv"], "importing supervision")
        if status != 0 or not summary.get("committed"):
            self.fail(f"bench: dragnet import supervision failed with exit status {status}.")
        say(f"    {summary['rows']} rows, {summary['events']} events in {fmt_s(supervision_s)} "
            f"({summary['events'] / max(supervision_s, 1e-9):,.0f} events/s)")
        self.record["supervision_import"] = {"seconds": round(supervision_s, 3), "events": summary["events"]}

        # -------------------------------------------------------------------------------------------------------------
        start, end = self.period
        self.heading(f"4. Metrics for {start} .. {end}, scope {UNIT}: dragnet against SQL (best of {RUNS} runs each)")
        Path("metrics.sql").write_text(metrics_sql(start, end, UNIT), encoding="utf-8")
        dragnet_metrics_s, metrics_out = best_of(
            [self.dragnet, "metrics", "--db", "station.sqlite", "--year", self.year, "--unit", UNIT, "--format",
             "json"])
        sql_metrics_s, sql_out = best_of(["sqlite3", "-separator", " ", "base.sqlite", ".read metrics.sql"])
        say(f"    dragnet metrics {fmt_s(dragnet_metrics_s)}, SQL {fmt_s(sql_metrics_s)}")
        sql_counts = [int(x) for x in sql_out.split()]
        local_figures = compare_figures(metrics_out, "dragnet", sql_counts)
        say(f"    dragnet metrics against SQL: {local_figures}")
        self.record["metrics"] = {"dragnet_s": round(dragnet_metrics_s, 3), "sql_s": round(sql_metrics_s, 3),
                                  "sql_counts": dict(zip((name for name, _ in FIGURES), sql_counts)),
                                  "dragnet": local_figures}

        # -------------------------------------------------------------------------------------------------------------
        self.heading("5. Sync: the station pushes everything to a central endpoint")
        self.start_server()
        lib.print_indented(Path(self.server.out).read_text(encoding="utf-8", errors="replace"))
        lib.add_token(self.dragnet, "central.sqlite", UNIT, "station", "bench-station", "station.token")
        lib.add_token(self.dragnet, "central.sqlite", UNIT, "hq", "bench-hq", "hq.token")
        say(f"    {events_imported} events to push (from the imports' JSON)")
        sync, sync_s, status = self.dragnet_json(
            ["sync", "--db", "station.sqlite", "--server", self.server.url, "--token-file", "station.token",
             "--push-only"], "syncing")
        if status != 0:
            self.fail(f"bench: dragnet sync failed with exit status {status}.")
        pushed = sync["pushed"]
        push_rate = pushed / sync_s if sync_s > 0 else 0.0
        say(f"    pushed {pushed} events: {sync['created']} stored, {sync['duplicates']} already there, "
            f"{sync['rejected']} rejected")
        say(f"    {pushed} events in {fmt_s(sync_s)} = {push_rate:,.0f} events/s (dragnet's own: push "
            f"{fmt_s(sync['push_seconds'])})")
        if pushed != events_imported + self.record["supervision_import"]["events"]:
            self.notes.append(
                f"sync pushed {pushed} events, the imports reported {events_imported} + "
                f"{self.record['supervision_import']['events']} supervision events")
        if sync["rejected"]:
            self.notes.append(f"the central endpoint rejected {sync['rejected']} pushed event(s)")
        self.record["sync"] = dict(sync, wall_s=round(sync_s, 3), events_per_second_wall=round(push_rate))

        # -------------------------------------------------------------------------------------------------------------
        self.heading(f"6. The central metrics route under {CONNECTIONS} concurrent connections")
        route = f"{self.server.url}/v1/metrics?unit={UNIT}&year={self.year}"
        hq_token = lib.read_token("hq.token")
        start_time = time.monotonic()
        code, body = http_get(route, hq_token)
        alone_s = time.monotonic() - start_time
        say(f"    one request alone: HTTP {code} in {fmt_s(alone_s)}")
        if code != 200:
            say(f"    the route answered HTTP {code}:")
            lib.print_indented(body[:2000] + "\n")
            central_figures = "MISMATCH"
        else:
            central_figures = compare_figures(body, "central", sql_counts)
        say(f"    central endpoint's figures against SQL: {central_figures}")
        if have_wrk:
            # wrk gives up on a request after 2 s by default and leaves it out of the latencies; a slow route would
            # then show no latency at all, so the timeout is the whole run.
            say(f"$ wrk -t2 -c{CONNECTIONS} -d{DURATION}s --latency --timeout {DURATION}s "
                f"-H \"Authorization: Bearer $(cat hq.token)\" \"{route}\"")
            done = subprocess.run(
                ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}s", "--latency", "--timeout", f"{DURATION}s", "-H",
                 f"Authorization: Bearer {hq_token}", route], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                check=False)
            wrk_text = done.stdout.decode("utf-8", errors="replace")
            lib.print_indented(wrk_text)
            route_line, route_record = wrk_summary(wrk_text)
        else:
            say(f"$ python3 (a client of {CONNECTIONS} threads, {DURATION} s, at most 5000 requests)")
            route_line, route_record = python_load(route, hq_token)
        route_line += f"; one request alone {fmt_s(alone_s)}"
        say(f"    {route_line}")
        self.record["route"] = dict(route_record, alone_s=round(alone_s, 3), figures=central_figures)

        # -------------------------------------------------------------------------------------------------------------
        self.step = "measuring the route while a station pushes"
        self.heading(f"6b. The route under {bench_live.CONNECTIONS} connections, on a still log and while a station "
                     "pushes, against nginx")
        live = bench_live.measure(self.dragnet, self.server, route, hq_token, self.year, apt, http_get)
        self.record["live"] = live
        if live.get("live_figures") == "MISMATCH":
            central_figures = "MISMATCH"

        # -------------------------------------------------------------------------------------------------------------
        self.heading(f"7. The headquarters dashboard for the whole country (*) against the JSON route, {self.year}")
        say("Each is measured on a central endpoint just started, so that its first request reads the facts (cold), "
            "then")
        say(f"{DASHBOARD_WARM} more requests (warm: the median). Same query: unit=*, year={self.year}.")
        lib.add_token(self.dragnet, "central.sqlite", "*", "hq", "bench-national", "national.token")
        national = lib.read_token("national.token")
        measured = {}
        for what in ("route", "page"):
            self.server.stop(15)
            self.start_server()
            try:
                measured[what] = bench_dashboard.measure(
                    self.server.url, national, "*", self.year, what, DASHBOARD_WARM)
                lib.print_indented(json.dumps(measured[what]) + "\n")
            except (OSError, ValueError, KeyError) as error:
                say(f"    the {what} could not be measured ({error})")
        dashboard_line = "not measured"
        if len(measured) == 2:
            dashboard_line, same = bench_dashboard.compare(measured["route"], measured["page"])
            if not same:
                central_figures = "MISMATCH"
        say(f"    {dashboard_line}")
        self.record["dashboard"] = dict(measured, summary=dashboard_line)

        self.step = "stopping the central endpoint"
        server_status = self.server.stop(15)
        if server_status != 0:
            self.notes.append(f"the central endpoint stopped with exit status {server_status}")

        # -------------------------------------------------------------------------------------------------------------
        # 8. Every unit of a province as a station, all syncing at once (issue 14): scripts/lib/bench_stations.py, on
        # data of its own (STATIONS_ROWS, default 60,000 rows; 0 skips it), in a folder of its own.
        stations_rows = int(os.environ.get("STATIONS_ROWS", str(bench_stations.DEFAULT_ROWS)))
        stations = None
        if stations_rows > 0:
            self.step = "8. stations syncing at once"
            (self.work / "stations").mkdir()
            stations = bench_stations.StationsBench(
                stations_rows, UNIT, keep=False, record_path=None, binary=self.dragnet, work=self.work / "stations",
                title="8. ", rounds=bench_stations.rounds_from_environment())
            if stations.main() != 0:
                self.notes.append("step 8: the stations' sync lost, doubled or changed something (see above)")
            os.chdir(self.work)
            self.record["stations"] = stations.record

        # -------------------------------------------------------------------------------------------------------------
        self.step = "summing up"
        import_ratio = ratio(import_s, sqlite_import_s)
        floor_ratio = ratio(floor_s, sqlite_import_s)
        metrics_ratio = ratio(dragnet_metrics_s, sql_metrics_s)
        # The push sends the supervision events too: it is compared with the import of everything it sends.
        all_import_s = import_s + supervision_s
        push_import_ratio = ratio(sync_s, all_import_s)
        import_floor_ratio = ratio(import_s, floor_s)
        figures = "MATCH" if local_figures == "MATCH" and central_figures == "MATCH" else "MISMATCH"
        say(f"\n== Summary ({total_rows} rows: {wanted_rows} wanted, {release_rows} releases; machine: {cores} cores, "
            f"{memory_gib} GiB; year {self.year}, unit {UNIT})")

        def line(label: str, *fields: str) -> None:
            widths = (19, 25, 15, 21)
            text = pad(label, 12) + "".join(pad(f, w) for f, w in zip(fields[:-1], widths))
            say(text + fields[-1])

        line("import", f"dragnet {fmt_s(import_s)}", f"sqlite3 .import {fmt_s(sqlite_import_s)}",
             f"ratio {fmt_ratio(import_ratio)}", "(target ≤ 3×)", verdict(import_ratio <= 3))
        line("floor", f"events {fmt_s(floor_s)}", f"sqlite3 .import {fmt_s(sqlite_import_s)}",
             f"ratio {fmt_ratio(floor_ratio)}", "(the shell storing dragnet's event rows alone: step 3b)")
        line("metrics", f"dragnet {fmt_s(dragnet_metrics_s)}", f"SQL {fmt_s(sql_metrics_s)}",
             f"ratio {fmt_ratio(metrics_ratio)}", "(target ≤ 1×)", verdict(metrics_ratio <= 1))
        say(pad("memory", 12) + pad(f"import peak {peak_mib} MiB", 59) + pad("(target < 512 MiB)", 21)
            + verdict(peak_mib < 512))
        say(pad("sync", 12) + f"{pushed} events in {fmt_s(sync_s)} = {push_rate:,.0f} events/s")
        say(pad("route", 12) + route_line)
        say(pad("dashboard", 12) + dashboard_line)
        say(pad("figures", 12) + f"{figures} (against the SQL: dragnet metrics {local_figures}, central route "
            f"{central_figures})")
        for label, text in live.get("lines", []):
            say(pad(label, 12) + text)
        for note in self.notes:
            say(pad("note", 12) + note)

        say("\n== Issue 10's speed targets, as ratios of this run")
        targets = [
            ("push rate", f"{push_rate:,.0f} events/s ({pushed} events in {fmt_s(sync_s)})",
             f"(target ≥ {PUSH_TARGET:,} events/s)", push_rate >= PUSH_TARGET),
            ("push/import", f"push {fmt_s(sync_s)} / import of the three files {fmt_s(all_import_s)} = "
             f"{fmt_ratio(push_import_ratio)}",
             "(target ≤ 1×: the push no slower than the import)", push_import_ratio <= 1),
            ("import/floor", f"import {fmt_s(import_s)} / floor {fmt_s(floor_s)} = {fmt_ratio(import_floor_ratio)}",
             "(aim ≤ 3×)", import_floor_ratio <= 3),
            ("figures/SQL", f"dragnet {fmt_s(dragnet_metrics_s)} / SQL {fmt_s(sql_metrics_s)} = "
             f"{fmt_ratio(metrics_ratio)}", "(target ≤ 1×)", metrics_ratio <= 1),
        ]
        for label, value, target, ok in targets:
            say(pad(label, 14) + pad(value, 52) + pad(target, 50) + verdict(ok))

        if stations is not None and "ratio" in stations.record:
            r = stations.record
            say(pad("stations", 14) + pad(f"{r['stations']} at once {r['onboarding_s']:.1f} s / one push "
                                          f"{r['single_push_s']:.1f} s; median ratio {r['ratio']:.2f}×", 52)
                + pad("(issue 14: ≤ 3×)", 50) + verdict(r["ratio"] <= bench_stations.RATIO_TARGET))
            say(pad("served", 14) + pad(f"{r['served_per_s']:,} events/s (server alone)", 52)
                + pad(f"(issue 14: ≥ {bench_stations.SERVED_TARGET:,})", 50)
                + verdict(r["served_per_s"] >= bench_stations.SERVED_TARGET))

        say(f"\n== Issue 12's targets, as ratios of this run ({bench_live.CONNECTIONS} connections, wrk)")
        if live.get("skipped"):
            say(f"not measured: {live['skipped']}")
        for label, value, target, ok in live.get("targets", []):
            say(pad(label, 16) + pad(value, 50) + pad(target, 22) + verdict(ok))
        if live.get("cpu_per_push_ms") is not None:
            say(pad("push CPU", 16) + pad(f"{live['cpu_per_push_ms']:.1f} ms per push at {total_rows} rows", 50)
                + "(to compare between sizes: it should not grow with the registry)")

        def rounded(r: float):
            return None if r == float("inf") else round(r, 4)

        self.record.update(
            ratios={"import_to_sqlite_import": rounded(import_ratio), "floor_to_sqlite_import": rounded(floor_ratio),
                    "import_to_floor": rounded(import_floor_ratio), "push_to_import": rounded(push_import_ratio),
                    "push_events_per_second": round(push_rate), "metrics_to_sql": rounded(metrics_ratio)},
            figures=figures, notes=self.notes)
        if self.record_path:
            Path(self.record_path).write_text(json.dumps(self.record, indent=2, ensure_ascii=False) + "\n",
                                              encoding="utf-8")
            say(f"\nThe whole run's results, as JSON: {self.record_path}")

        self.finished = True
        if figures != "MATCH":
            sys.stderr.write("bench: dragnet's figures differ from the SQL's (see the tables in steps 4 and 6).\n")
            raise lib.Stop(1)

    def start_server(self) -> None:
        self.server = lib.CentralServer(self.dragnet, "central.sqlite")
        if not self.server.start(wait_seconds=60):
            say("The central endpoint did not start. It printed:")
            lib.print_indented(self.server.printed())
            raise lib.Stop(1)


# ---------------------------------------------------------------------------------------------------------------------
# The steps' pieces


def memory_total_gib() -> int:
    """The machine's memory in whole GiB, rounded down (as `free -g` says it)."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) // (1024 * 1024)
    except OSError:
        pass
    return 0


def sqlite(arguments: list[str]) -> str:
    return subprocess.run(["sqlite3", "-separator", " ", *arguments], capture_output=True, text=True,
                          check=True).stdout.strip()


def best_of(command: list[str]) -> tuple[float, str]:
    """Runs the command RUNS times; the best wall-clock time in seconds and the last output."""
    best, output = float("inf"), ""
    for _ in range(RUNS):
        seconds, done = wall(command, stdout=subprocess.PIPE)
        if done.returncode != 0:
            raise lib.Stop(1)
        best, output = min(best, seconds), done.stdout.decode("utf-8")
    return best, output


def metrics_sql(start: str, end: str, unit: str) -> str:
    """SPEC §5 over the plain tables. A wanted case is the rows with one case_ref + unit (one row a decision; person
    and closing columns repeat), opened on its first decision's date. sqlite3 .import stores blanks as '' (not NULL).
    ISO dates compare correctly as text."""
    return f"""WITH p(f, t, s) AS (SELECT '{start}', '{end}', '{unit}'),
cases AS (
    SELECT min(decision_date) AS opened, max(closing) AS closing, max(closing_date) AS closing_date
    FROM wanted, p
    WHERE unit = s OR substr(unit, 1, length(s) + 1) = s || '.'
    GROUP BY case_ref, unit
),
w AS (
    SELECT
        coalesce(sum(opened < f AND (closing = '' OR closing_date >= f)), 0) AS existing,
        coalesce(sum(opened < f AND (closing = '' OR closing_date >= f)
                     AND closing IN ('arrested', 'surrendered') AND closing_date BETWEEN f AND t), 0)
            AS existing_captured,
        coalesce(sum(opened BETWEEN f AND t), 0) AS new,
        coalesce(sum(opened BETWEEN f AND t
                     AND closing IN ('arrested', 'surrendered') AND closing_date <= t), 0) AS new_captured
    FROM cases, p
),
r AS (
    SELECT
        coalesce(sum(released_on <= t AND (ending = '' OR ending_date >= f)), 0) AS population,
        coalesce(sum(released_on <= t AND (ending = '' OR ending_date >= f)
                     AND ending = 'reoffended' AND ending_date BETWEEN f AND t), 0) AS reoffended
    FROM releases, p
    WHERE unit = s OR substr(unit, 1, length(s) + 1) = s || '.'
)
SELECT existing, existing_captured, new, new_captured, population, reoffended FROM w, r;
"""


def compare_figures(text: str, label: str, sql_counts: list[int]) -> str:
    """Prints the six counts of a metrics JSON beside the SQL's; MATCH or MISMATCH."""
    try:
        data = json.loads(text)
    except ValueError as error:
        say(f"    {label}: cannot read its JSON ({error})")
        return "MISMATCH"
    same = True
    say(f"    {'figure':<26} {label:>12} {'SQL':>12}")
    for (name, keys), expected in zip(FIGURES, sql_counts):
        value = data
        try:
            for key in keys:
                value = value[key]
        except (KeyError, TypeError):
            value = None
        mark = "" if value == expected else "   <-- differs"
        same = same and value == expected
        say(f"    {name:<26} {str(value):>12} {expected:>12}{mark}")
    return "MATCH" if same else "MISMATCH"


def http_get(url: str, token: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Authorization": "Bearer " + token})
    try:
        with urllib.request.urlopen(request, timeout=600) as answer:
            return answer.status, answer.read().decode("utf-8", errors="replace")
    except urllib.error.HTTPError as answer:
        return answer.code, answer.read().decode("utf-8", errors="replace")
    except OSError as error:
        return 0, str(error)


def wrk_summary(text: str) -> tuple[str, dict]:
    """wrk's requests a second and latency percentiles in ms (`lib.wrk_figures`), and a line saying them."""
    found = lib.wrk_figures(text)
    if not found.get("requests"):
        text = f"no request finished within the run ({CONNECTIONS} connections)"
        if found.get("socket_errors"):
            text += f"; socket errors: {found['socket_errors']}"
        return text, found
    text = (f"{found.get('rps', 0):.1f} req/s, p50 {found.get('p50', 0):.1f} ms, p90 {found.get('p90', 0):.1f} ms, "
            f"p99 {found.get('p99', 0):.1f} ms ({CONNECTIONS} connections, {found['requests']} requests, wrk)")
    if found.get("non_2xx"):
        text += f"; {found['non_2xx']} non-2xx"
    if found.get("socket_errors"):
        text += f"; socket errors: {found['socket_errors']}"
    return text, found


def python_load(url: str, token: str) -> tuple[str, dict]:
    """A small load of CONNECTIONS threads for DURATION seconds, at most 5000 requests, when wrk is missing."""
    limit = 5000
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + DURATION

    def worker():
        while time.monotonic() < deadline:
            with lock:
                if len(latencies) + failures[0] >= limit:
                    return
            start = time.monotonic()
            code, _ = http_get(url, token)
            elapsed = time.monotonic() - start
            with lock:
                if code == 200:
                    latencies.append(elapsed)
                else:
                    failures[0] += 1

    began = time.monotonic()
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(DURATION + 70)
    elapsed = time.monotonic() - began
    if not latencies:
        return f"no request succeeded ({failures[0]} failed; {CONNECTIONS} connections, python)", {}
    latencies.sort()

    def pct(p):
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000

    record = {"rps": len(latencies) / elapsed, "p50": pct(50), "p90": pct(90), "p99": pct(99),
              "requests": len(latencies), "failed": failures[0]}
    text = (f"{record['rps']:.1f} req/s, p50 {record['p50']:.1f} ms, p90 {record['p90']:.1f} ms, "
            f"p99 {record['p99']:.1f} ms ({CONNECTIONS} connections, {len(latencies)} requests, python client)")
    if failures[0]:
        text += f"; {failures[0]} failed"
    return text, record


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="scripts/bench", description="Dragnet's benchmark (see docs/performance.md).",
        epilog="Environment: BENCH_ROWS (default 1000000), BENCH_YEAR (default 2020), DRAGNET_BIN, BENCH_KEEP=1.")
    parser.add_argument("--json", metavar="FILE", help="also write the whole run's results to FILE as one JSON object")
    arguments = parser.parse_args()
    rows = os.environ.get("BENCH_ROWS", "1000000")
    year = os.environ.get("BENCH_YEAR", "2020")
    if not re.fullmatch(r"[1-9][0-9]*", rows):
        print(f'bench: BENCH_ROWS must be a positive whole number, not "{rows}"', file=sys.stderr)
        return 64
    if not re.fullmatch(r"[12][0-9]{3}", year):
        print(f'bench: BENCH_YEAR must be a year such as 2020, not "{year}"', file=sys.stderr)
        return 64
    record_path = os.path.abspath(arguments.json) if arguments.json else None
    return Bench(int(rows), year, os.environ.get("BENCH_KEEP") == "1", record_path).main()


if __name__ == "__main__":
    lib.setup_output()
    lib.on_signals()
    lib.with_swift_on_path()
    sys.exit(main())
