"""The story scripts/demo tells (scripts/demo checks what is installed, then runs this with python3).

Two ward stations of Ho Chi Minh City police load their lists, sync with a central endpoint, one catches the other's
fugitive, a ward officer works through the list of released persons to see (`dragnet due`), headquarters reads the
plan's figures, and national headquarters opens the dashboard (screenshots into
.build-demo/ when a browser is present). Everything happens in a temporary folder that is removed at the end; the
central endpoint it starts is stopped at the end, also when a step fails. Exit status 0 when every step did what it
should, non-zero otherwise.
"""
from __future__ import annotations

import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import dragnet_scripts as lib  # noqa: E402
from dragnet_scripts import say  # noqa: E402


class Demo:
    def __init__(self, caller_dir: str):
        self.caller_dir = caller_dir
        self.work: Path | None = None
        self.server: lib.CentralServer | None = None
        self.dragnet = ""
        self.problems = 0
        self.step = "getting ready"  # the step under way, and the last command shown, for the message on failure
        self.last_command = ""
        self.finished = False

    # -----------------------------------------------------------------------------------------------------------------
    # Helpers

    def heading(self, text: str) -> None:
        self.step = text
        self.last_command = ""
        lib.heading(text)

    def problem(self, text: str) -> None:
        say(f"PROBLEM: {text}")
        self.problems += 1

    def show(self, *words: str) -> None:
        """Prints a command the way one would type it."""
        self.last_command = lib.shown(list(words))
        say("$ " + self.last_command)

    def real(self, words: tuple[str, ...]) -> list[str]:
        """The command to run for a shown one: `dragnet` is the binary in use."""
        return [self.dragnet, *words[1:]] if words[0] == "dragnet" else list(words)

    def output_of(self, *words: str) -> tuple[int, str]:
        """Runs a command, standard error into standard output, and returns its status and what it printed."""
        done = subprocess.run(self.real(words), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
        return done.returncode, done.stdout.decode("utf-8", errors="replace")

    def run(self, *words: str, may_fail: bool = False) -> int:
        """Shows a command, runs it and prints what it prints, indented. A failure stops the demo unless `may_fail`."""
        self.show(*words)
        status, text = self.output_of(*words)
        lib.print_indented(text)
        if status != 0 and not may_fail:
            raise lib.Stop(status)
        return status

    def captured(self, *words: str) -> str:
        """What a command prints, its trailing line breaks removed (as `$(…)` does); a failure stops the demo."""
        status, text = self.output_of(*words)
        if status != 0:
            raise lib.Stop(status)
        return text.rstrip("\n")

    def due_items(self, db: tuple[str, ...]) -> list[dict]:
        """The items of `dragnet due` for a station, from its JSON (SPEC §10)."""
        text = self.captured("dragnet", "due", "--format", "json", *db)
        try:
            return json.loads(text)["items"]
        except (ValueError, KeyError, TypeError):
            self.problem(f"dragnet due --format json did not print the worklist's JSON: {text[:200]}")
            return []

    def add_token(self, path: str, unit: str, role: str, label: str) -> None:
        self.show("dragnet", "token", "add", "--db", "central.sqlite", "--unit", unit, "--role", role, "--label",
                  label, ">", path)
        lib.add_token(self.dragnet, "central.sqlite", unit, role, label, path)

    # -----------------------------------------------------------------------------------------------------------------

    def main(self) -> int:
        def on_error(error: Exception) -> int | None:
            if isinstance(error, subprocess.CalledProcessError):
                return error.returncode or 1
            return None

        return lib.exit_status(self.story, self.cleanup, on_error)

    def cleanup(self, status: int) -> None:
        if self.server is not None and self.server.running():
            log = Path(self.server.log)
            if status != 0 and log.exists():
                lines = log.read_text(encoding="utf-8", errors="replace").splitlines(keepends=True)
                if any(" info " not in line for line in lines):
                    say("The central endpoint's log (last lines):")
                    lib.print_indented("".join(lines[-15:]))
            self.server.stop(10)
        if self.work is not None:
            os.chdir("/")
            shutil.rmtree(self.work, ignore_errors=True)
        if status != 0 and not self.finished:
            message = f'\nThe demo stopped early, with exit status {status}, at "{self.step}"'
            message += f", after this command:\n  {self.last_command}\n" if self.last_command else ".\n"
            sys.stderr.write(message)

    def story(self) -> None:
        # Build (or take the binary given); scripts/bootstrap has run already.
        self.work = lib.temporary_folder("demo")
        self.step = "building dragnet"
        self.dragnet = lib.find_or_build(
            "demo", release=False, work=self.work, caller_dir=self.caller_dir,
            build_note="Building dragnet (swift build). The first build takes a few minutes; later ones are quick.")

        self.step = "getting ready"
        os.chdir(self.work)
        os.symlink(lib.ROOT / "Fixtures", "Fixtures")
        say(f"Working in a temporary folder, {self.work} (removed at the end).")
        say('Lines starting with "$" are the commands the demo runs; what they print is indented below them.')

        # -------------------------------------------------------------------------------------------------------------
        self.heading("1. The central endpoint starts")
        say("Headquarters runs one central endpoint. Stations send it what they record and get back what others "
            "recorded.")
        self.show("dragnet", "serve", "--db", "central.sqlite", "--port", "0", "&")
        self.server = lib.CentralServer(self.dragnet, "central.sqlite")
        if not self.server.start(wait_seconds=15):
            say("The central endpoint did not start. It printed:")
            lib.print_indented(self.server.printed())
            self.server.stop(10)
            raise lib.Stop(1)
        lib.print_indented(Path(self.server.out).read_text(encoding="utf-8", errors="replace"))
        url = self.server.url
        for _ in range(100):
            if subprocess.run(["curl", "-s", "-o", "/dev/null", f"{url}/v1/health"], check=False).returncode == 0:
                break
            time.sleep(0.1)
        say("It answers when asked whether it is healthy:")
        self.run("curl", "-s", f"{url}/v1/health")
        say()

        # -------------------------------------------------------------------------------------------------------------
        self.heading("2. Headquarters gives out access tokens")
        say("Each station's token lets it send and receive records; headquarters of Ho Chi Minh City (unit 79) gets a")
        say("read-only token for every unit under 79. A token is shown only once: it goes straight into a private "
            "file.")
        self.add_token("ward-26734.token", "79.26734", "station", "ward 26734 station")
        self.add_token("ward-26737.token", "79.26737", "station", "ward 26737 station")
        self.add_token("hq.token", "79", "hq", "HCMC headquarters")
        self.run("ls", "-l", "ward-26734.token", "ward-26737.token", "hq.token")
        say("The server keeps only a fingerprint of each token:")
        self.run("dragnet", "token", "list", "--db", "central.sqlite")

        # -------------------------------------------------------------------------------------------------------------
        def station_setup(unit: str) -> None:
            ward = unit.split(".", 1)[1]
            db = f"ward-{ward}.sqlite"
            self.run("dragnet", "init", "--unit", unit, "--db", db)
            self.run("dragnet", "import", "wanted", f"Fixtures/station-{unit}/wanted.csv", "--db", db)
            self.run("dragnet", "import", "releases", f"Fixtures/station-{unit}/releases.csv", "--db", db)
            self.run("dragnet", "wanted", "list", "--db", db)
            self.run("dragnet", "sync", "--server", url, "--token-file", f"ward-{ward}.token", "--db", db)

        self.heading("3. Station 79.26734 (ward 26734) loads its lists and syncs")
        say("The station creates its own database, loads its wanted list and its list of released persons,")
        say("looks at its open wanted cases, then syncs with the central endpoint.")
        station_setup("79.26734")
        say("(A pull also brings back the station's own events; none of them is new to it.)")

        self.heading("4. Station 79.26737 (ward 26737) does the same")
        station_setup("79.26737")
        say("Ward 26737 now also holds ward 26734's open wanted cases: the wanted list is national, anyone may catch a")
        say("fugitive. Cases already closed elsewhere are not sent to it (it could no longer catch anyone there), and")
        say("released persons stay with the station that supervises them.")

        # -------------------------------------------------------------------------------------------------------------
        catch_date = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()
        self.heading("5. Ward 26737 catches ward 26734's fugitive")
        say("Officers of ward 26737 stop a woman named Lý Thị Thu and look her name up, without diacritics:")
        self.run("dragnet", "person", "find", "ly", "thi", "thu", "--db", "ward-26737.sqlite")
        say(f"She is wanted by ward 26734 (case TN-00034). Ward 26737 records the arrest, dated {catch_date}, and "
            "syncs:")
        self.run("dragnet", "wanted", "close", "79.26734/TN-00034", "--as", "arrested", "--on", catch_date, "--db",
                 "ward-26737.sqlite")
        self.run("dragnet", "sync", "--server", url, "--token-file", "ward-26737.token", "--db", "ward-26737.sqlite")
        say("Ward 26734 syncs and sees the capture, recorded by the other station, in the case's history:")
        self.run("dragnet", "sync", "--server", url, "--token-file", "ward-26734.token", "--db", "ward-26734.sqlite")
        show_case = ("dragnet", "wanted", "show", "79.26734/TN-00034", "--db", "ward-26734.sqlite")
        self.show(*show_case)
        case_text = self.captured(*show_case)
        lib.print_indented(case_text + "\n")
        if not any(re.search(r"79.26737 .*arrested by 79.26737", line) for line in case_text.split("\n")):
            self.problem("the history of TN-00034 at ward 26734 does not show the arrest recorded by 79.26737")

        # -------------------------------------------------------------------------------------------------------------
        self.heading("6. A records officer's search")
        say("Names are found whatever the case and the diacritics. Two different men are called Nguyễn Văn Đức:")
        self.run("dragnet", "person", "find", "nguyen", "van", "duc", "--db", "ward-26734.sqlite")

        # -------------------------------------------------------------------------------------------------------------
        today = datetime.date.today()
        self.heading("7. A ward officer's worklist: whom to see")
        say("The officer of ward 26734 who supervises released persons reads what is due today (in Vietnamese;")
        say("--lang en for English). Nothing of their supervision came with the imported list, so nobody has reported")
        say("in yet:")
        ward = ("--db", "ward-26734.sqlite")
        self.run("dragnet", "due", "--lang", "vi", *ward)
        before = self.due_items(ward)
        kieu, khai = "79.26734/TD-2018-001", "79.26734/DX-2019-011"
        reported = (today - datetime.timedelta(days=100)).isoformat()
        say(f"Võ Thị Kiều ({kieu}) reported in on {reported}, on paper; the officer records it. Her probation ended in")
        say("2020, so she must be checked on every 92 days: the list now says her contact is overdue (100 days):")
        self.run("dragnet", "release", "report-in", kieu, "--on", reported, *ward)
        self.run("dragnet", "due", "--lang", "vi", *ward)
        said = [item["due"] for item in self.due_items(ward) if item["case"] == kieu]
        if said != ["contact_overdue"]:
            self.problem(f"after her reporting in 100 days ago, {kieu} shows {said}, not contact_overdue")
        say("The officer visits her at home today and records the contact; she leaves the list:")
        self.run("dragnet", "release", "contact", kieu, "--on", today.isoformat(), "--kind", "home_visit", "--note",
                 "Đang làm việc tại xưởng mộc của gia đình", *ward)
        say(f"Trần Văn Khải ({khai}) is not at his address and his family does not know where he is:")
        self.run("dragnet", "release", "missing", khai, "--on", today.isoformat(), "--note",
                 "Gia đình không biết đi đâu", *ward)
        self.run("dragnet", "due", "--lang", "vi", *ward)
        after = self.due_items(ward)
        if any(item["case"] == kieu for item in after):
            self.problem(f"{kieu} is still on the list after her contact today")
        missing = [item for item in after if item["case"] == khai and item["due"] == "whereabouts_unknown"]
        if len(missing) != 1 or missing[0]["days"] != 0:
            self.problem(f"{khai} is not listed as whereabouts unknown since today (0 days)")
        if len(after) != len(before):
            self.problem(f"the list should keep {len(before)} items (one fewer for Kiều, one more for Khải), "
                         f"not {len(after)}")
        say("Both are in each case's history (dragnet release show), and reach the central endpoint at the next sync.")

        self.heading("8. A list with mistakes is refused, with every mistake named")
        say("Fixtures/bad/wanted-bad.csv has 7 rows, 5 of them wrong. Nothing is imported until all are fixed.")
        import_status = self.run(
            "dragnet", "import", "wanted", "Fixtures/bad/wanted-bad.csv", "--db", "ward-26734.sqlite", may_fail=True)
        if import_status == 65:
            say(f"Exit status {import_status}, as expected: bad input data, nothing imported.")
        else:
            self.problem(f"the bad list gave exit status {import_status}; 65 (bad input data) was expected")

        # -------------------------------------------------------------------------------------------------------------
        self.heading("9. Headquarters reads the figures with plain curl")
        say("Anything that speaks HTTP can read the plan's figures, for example for the whole city (79) in 2020:")
        self.last_command = f'curl -s -H "Authorization: Bearer $(cat hq.token)" "{url}/v1/metrics?unit=79&year=2020"'
        say("$ " + self.last_command)
        hq_token = lib.read_token("hq.token")
        text = self.captured(
            "curl", "-s", "-H", f"Authorization: Bearer {hq_token}", f"{url}/v1/metrics?unit=79&year=2020")
        # Pretty-printed with the innermost objects on one line and without the per-unit part (shown in step 10).
        try:
            lib.print_indented(pretty_figures(json.loads(text)) + "\n")
        except (ValueError, AttributeError, KeyError, TypeError):
            lib.print_indented(text + "\n")
        compact = text.replace(" ", "").replace("\n", "")
        for expected in ('"existing":{"count":16,"captured":7,', '"new":{"count":14,"captured":4,',
                         '"reoffending":{"population":31,"reoffended":8,'):
            if expected not in compact:
                self.problem(f"the 2020 figures for 79 differ from Fixtures/README.md (expected {expected})")

        self.heading("10. The same figures as a table, with dragnet")
        self.run("dragnet", "metrics", "--server", url, "--token-file", "hq.token", "--unit", "79", "--year", "2020")
        say("And for the first half of 2021:")
        self.run("dragnet", "metrics", "--server", url, "--token-file", "hq.token", "--unit", "79", "--from",
                 "2021-01-01", "--to", "2021-06-30")
        say("Fixtures/README.md expects for 79 in 2020: existing wanted captured 7 of 16, new wanted captured 4 of 14,")
        say(f"reoffended 8 of 31. The arrest of step 5 happened on {catch_date}, in the present, so it changes neither")
        say("2020 nor the first half of 2021: TN-00034 still counts as open on 2021-06-30.")

        # -------------------------------------------------------------------------------------------------------------
        self.heading("11. National headquarters opens the dashboard")
        say("Headquarters of the whole country gets a read-only token for the national scope '*'. In a browser it "
            "opens the")
        say("central endpoint's address, types the token into the sign-in form, and reads the figures in Vietnamese "
            "(English")
        say("with the link at the top), with the provinces ranked and the cases behind each number.")
        self.add_token("national.token", "*", "hq", "national headquarters")
        say(f"The dashboard is at {url}/ (sign in with the token in national.token; this demo's server stops at its "
            "end).")
        # What a browser gets, checked with curl: sign in through the form, then the national page for 2020.
        self.last_command = f'curl -s -c cookies --data-urlencode "token=$(cat national.token)" {url}/session'
        say("$ " + self.last_command)
        signin_status = self.captured(
            "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-c", "cookies", "--data-urlencode",
            "token=" + lib.read_token("national.token"), f"{url}/session")
        self.show("curl", "-s", "-b", "cookies", f"{url}/dashboard?unit=*&year=2020")
        page = self.captured("curl", "-s", "-b", "cookies", f"{url}/dashboard?unit=%2A&year=2020")
        rates = "\n".join(
            f"{figure} {numerator}/{denominator}" for figure, numerator, denominator in re.findall(
                r'data-figure="([a-z]*)" data-rate="[^"]*" data-numerator="([0-9]*)" data-denominator="([0-9]*)"',
                page))
        lib.print_indented(rates + "\n")
        if signin_status != "303":
            self.problem(f"signing in to the dashboard answered HTTP {signin_status}, not 303")
        # All of the fixture is in province 79: the national figures are 79's (step 8).
        if rates != "existing 7/16\nnew 4/14\nreoffending 8/31":
            self.problem("the national dashboard does not show 7/16, 4/14 and 8/31 for 2020 (Fixtures/README.md)")
        shots = lib.ROOT / ".build-demo"
        if shutil.which("chromium"):
            say(f"A browser is present: screenshots of the national dashboard (Vietnamese, then English) go to "
                f"{shots}/.")
            with open(self.work / "browser-setup.log", "wb") as log:
                ready = subprocess.run(
                    [str(lib.ROOT / "scripts" / "browser-setup")], stdout=log, stderr=subprocess.STDOUT,
                    check=False).returncode == 0
            taken = False
            if ready:
                done = subprocess.run(
                    [str(lib.ROOT / ".build-venv" / "bin" / "python"), str(lib.ROOT / "scripts" /
                                                                          "dashboard-screenshot.py"),
                     url, "national.token", str(shots), "unit=*&year=2020", "unit=*&year=2020&lang=en"],
                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
                lib.print_indented(done.stdout.decode("utf-8", errors="replace"))
                taken = done.returncode == 0
            if not taken:
                say("The screenshots could not be taken (see scripts/browser-setup); the dashboard itself is fine.")
        else:
            say("No browser here (chromium): no screenshot. scripts/browser-setup installs one.")

        # -------------------------------------------------------------------------------------------------------------
        self.heading("12. Conflicts, and the central endpoint stops")
        say("When two stations record contradictory events (say both close a case, on different days), both are kept "
            "and")
        say("listed here for a person to resolve. Only one station closed TN-00034, so there is none:")
        self.run("dragnet", "conflicts", "--db", "ward-26734.sqlite")
        say("The central endpoint is stopped the clean way (SIGTERM), and the demo waits for it:")
        self.show("kill", "-TERM", str(self.server.pid))
        server_status = self.server.stop(10)
        if server_status == 0:
            say("The central endpoint stopped (exit status 0).")
        else:
            self.problem(f"the central endpoint stopped with exit status {server_status}")

        # -------------------------------------------------------------------------------------------------------------
        say()
        self.finished = True
        if self.problems:
            say(f"The demo ran to the end, but {self.problems} thing(s) did not go as expected (see PROBLEM above).")
            raise lib.Stop(1)
        say("Demo finished: every step did what it should. The temporary folder is removed now.")
        say("Next: scripts/test runs every test; docs/figures.md explains who is counted in the figures.")


def pretty_figures(data: dict) -> str:
    """The figures' JSON with two-space indentation, objects holding only plain values on one line, and the per-unit
    part left out (its units named on a last line)."""
    units = data.pop("units", [])

    def fmt(value, depth):
        if isinstance(value, dict) and any(isinstance(v, (dict, list)) for v in value.values()):
            pad = "  " * (depth + 1)
            items = [pad + json.dumps(k) + ": " + fmt(v, depth + 1) for k, v in value.items()]
            return "{\n" + ",\n".join(items) + "\n" + "  " * depth + "}"
        return json.dumps(value, ensure_ascii=False)

    text = fmt(data, 0)
    if units:
        text += "\n(\"units\" follows, with the same figures for " + ", ".join(u["unit"] for u in units) + \
            "; see step 9)"
    return text


if __name__ == "__main__":
    lib.setup_output()
    lib.on_signals()
    lib.with_swift_on_path()
    sys.exit(Demo(os.environ.get("DRAGNET_CALLER_DIR") or os.getcwd()).main())
