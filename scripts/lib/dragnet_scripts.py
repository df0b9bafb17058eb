"""What scripts/demo and scripts/bench share: Debian packages, the dragnet binary, running it, a central endpoint on a
loopback port, access tokens, and the way both print (headings, indented output).

Only the standard library, so that it runs wherever Debian's python3 does. Nothing here reads a clock other than to
time or wait, and nothing is left behind: the server is stopped and the temporary folder removed by the callers'
`finally`.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# The repository's root: scripts/lib/.. /..
ROOT = Path(__file__).resolve().parent.parent.parent
SWIFT_BIN = "/opt/swift/usr/bin"


class Stop(Exception):
    """Ends a script early with an exit status; the message (if any) has been printed already."""

    def __init__(self, status: int):
        super().__init__(status)
        self.status = status


def exit_status(body, cleanup, on_error) -> int:
    """Runs `body` and returns the exit status its end means: 0, a `Stop`'s status, 130 for Ctrl-C, a `SystemExit`'s
    code, or what `on_error(error)` says of any other error (None: the error goes on up). `cleanup(status)` runs in
    every case."""
    status = 0
    try:
        body()
    except Stop as stop:
        status = stop.status
    except KeyboardInterrupt:
        status = 130
    except SystemExit as end:
        status = end.code if isinstance(end.code, int) else 1
    except Exception as error:  # noqa: BLE001 - on_error decides which errors end the script here
        handled = on_error(error)
        if handled is None:
            raise
        status = handled
    finally:
        cleanup(status)
    return status


def setup_output() -> None:
    """UTF-8 output whatever the locale, flushed at each line so that it interleaves with the children's."""
    for stream in (sys.stdout, sys.stderr):
        stream.reconfigure(encoding="utf-8", errors="replace", line_buffering=True)


def on_signals() -> None:
    """SIGTERM ends the script like Ctrl-C does (with the shell's exit statuses, 143 and 130), through `finally`."""

    def terminate(_signum, _frame):
        raise SystemExit(143)

    signal.signal(signal.SIGTERM, terminate)


def with_swift_on_path() -> None:
    """Puts the project machines' Swift (/opt/swift) first on the PATH, as the bash scripts did."""
    os.environ["PATH"] = SWIFT_BIN + os.pathsep + os.environ.get("PATH", "")


def say(text: str = "") -> None:
    print(text)


def heading(text: str) -> None:
    print(f"\n== {text}")


def indent(text: str) -> str:
    """Four spaces before every non-empty line, and a trailing empty line dropped (like `sed -e 's/^./    &/'
    -e '${/^$/d;}'`); a last line without a newline stays without one."""
    if text == "\n" or text.endswith("\n\n"):
        text = text[:-1]
    return "\n".join("    " + line if line else line for line in text.split("\n"))


def print_indented(text: str) -> None:
    sys.stdout.write(indent(text))
    sys.stdout.flush()


def shown(words: list[str]) -> str:
    """A command the way one would type it, quoting only the words that need it; `&` and `>` are shown as the shell
    operators they stand for."""
    out = []
    for word in words:
        if word not in ("&", ">") and (word == "" or re.search(r"[^A-Za-z0-9_./:=@%+,-]", word)):
            word = "'" + word.replace("'", "'\\''") + "'"
        out.append(word)
    return " ".join(out)


def temporary_folder(name: str) -> Path:
    """A new folder under $TMPDIR (else /tmp) named `dragnet-NAME.XXXXXXXX`."""
    return Path(tempfile.mkdtemp(prefix=f"dragnet-{name}.", dir=os.environ.get("TMPDIR") or "/tmp"))


# ---------------------------------------------------------------------------------------------------------------------
# Debian packages


class Apt:
    """Installs Debian packages with apt-get (through sudo when not root), updating the lists once."""

    def __init__(self, who: str):
        self.who = who
        self.updated = False

    def install(self, *packages: str) -> bool:
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        say(f"{self.who}: installing {' '.join(packages)} (apt-get)")
        if not self.updated:
            if subprocess.run(sudo + ["apt-get", "update", "-qq"], check=False).returncode != 0:
                return False
            self.updated = True
        environment = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        return subprocess.run(
            sudo + ["apt-get", "install", "-y", "-qq", *packages], env=environment, stdout=subprocess.DEVNULL,
            check=False).returncode == 0

    def ensure_command(self, command: str, package: str) -> bool:
        """Installs `package` unless `command` is already on the PATH (or is an absolute path that exists)."""
        if shutil.which(command):
            return True
        return self.install(package) and shutil.which(command) is not None


# ---------------------------------------------------------------------------------------------------------------------
# The binary


def resolve_binary(given: str, caller_dir: str) -> str:
    """DRAGNET_BIN as the user meant it: absolute, relative to where they were, or a command on the PATH."""
    if given.startswith("/"):
        return given
    if "/" in given:
        return os.path.join(caller_dir, given)
    return shutil.which(given) or given


def find_or_build(who: str, release: bool, work: Path, caller_dir: str, build_note: str) -> str:
    """The dragnet binary: DRAGNET_BIN when set (no build), else `swift build` (in release mode when `release`) in
    the repository, showing the build on a terminal and only its last lines on failure otherwise."""
    given = os.environ.get("DRAGNET_BIN", "")
    if given:
        binary = resolve_binary(given, caller_dir)
        say(f"Using DRAGNET_BIN={binary} (no build)." + (
            " Give a release build: a debug build is many times slower." if release else ""))
    else:
        mode = ["-c", "release"] if release else []
        say(build_note)
        command = ["swift", "build", *mode]
        if sys.stdout.isatty():
            status = subprocess.run(command, cwd=ROOT, check=False).returncode
            if status != 0:
                raise Stop(1)
        else:
            log = work / "build.log"
            with open(log, "wb") as out:
                status = subprocess.run(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, check=False).returncode
            if status != 0:
                say("The build failed. Its last lines:")
                lines = log.read_text(encoding="utf-8", errors="replace").splitlines(keepends=True)
                sys.stdout.write("".join(lines[-40:]))
                raise Stop(1)
        folder = subprocess.run(
            [*command, "--show-bin-path"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
        binary = os.path.join(folder, "dragnet")
    if not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
        print(f"{who}: {binary} is not an executable file.", file=sys.stderr)
        raise Stop(1)
    return binary


def dragnet_json(binary: str, arguments: list[str], **options) -> tuple[dict, subprocess.CompletedProcess]:
    """Runs `dragnet ARGUMENTS` (which should include `--format json`), standard error passed through, and returns
    the one JSON object it printed on standard output with the finished process. Raises ValueError when standard
    output is not one JSON object."""
    done = subprocess.run([binary, *arguments], stdout=subprocess.PIPE, check=False, **options)
    text = done.stdout.decode("utf-8", errors="replace")
    try:
        value = json.loads(text)
    except ValueError as error:
        raise ValueError(f"dragnet {' '.join(arguments[:2])} printed no JSON object ({error}): {text[:500]!r}")
    if not isinstance(value, dict):
        raise ValueError(f"dragnet {' '.join(arguments[:2])} printed JSON that is not an object")
    return value, done


def add_token(binary: str, central_db: str, unit: str, role: str, label: str, path: str) -> None:
    """`dragnet token add` into a file only its owner may read (the token is shown once)."""
    old = os.umask(0o077)
    try:
        with open(path, "wb") as out:
            subprocess.run(
                [binary, "token", "add", "--db", central_db, "--unit", unit, "--role", role, "--label", label],
                stdout=out, check=True)
    finally:
        os.umask(old)
    os.chmod(path, 0o600)


def read_token(path: str) -> str:
    return Path(path).read_text(encoding="utf-8").strip()


# ---------------------------------------------------------------------------------------------------------------------
# A central endpoint on a free loopback port


class CentralServer:
    """`dragnet serve --port 0` in the background: its first line on standard output names the port it listens on.
    Standard output goes to `out`, standard error is appended to `log`."""

    LISTENING = re.compile(r"listening on http://127\.0\.0\.1:([0-9]+)")

    def __init__(self, binary: str, db: str, out: str = "server.out", log: str = "server.log"):
        self.binary, self.db, self.out, self.log = binary, db, out, log
        self.process: subprocess.Popen | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        return self.process.pid if self.process else 0

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self, wait_seconds: float) -> bool:
        """Starts the server and waits until it names its port; False when it did not within `wait_seconds`."""
        with open(self.out, "wb") as out, open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [self.binary, "serve", "--db", self.db, "--port", "0"], stdout=out, stderr=log)
        deadline = time.monotonic() + wait_seconds
        while time.monotonic() < deadline:
            first = Path(self.out).read_text(encoding="utf-8", errors="replace").split("\n", 1)[0]
            found = self.LISTENING.search(first)
            if found:
                self.port = int(found.group(1))
                return True
            if not self.running():
                return False
            time.sleep(0.1)
        return False

    def printed(self) -> str:
        """What the server wrote so far, standard output then standard error."""
        return "".join(
            Path(path).read_text(encoding="utf-8", errors="replace") if Path(path).exists() else ""
            for path in (self.out, self.log))

    def stop(self, wait_seconds: float) -> int:
        """SIGTERM, up to `wait_seconds` for it to end (then SIGKILL), and its exit status (0 when not running)."""
        if self.process is None:
            return 0
        process, self.process = self.process, None
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=wait_seconds)
            except subprocess.TimeoutExpired:
                say(f"The central endpoint did not stop within {wait_seconds:.0f} seconds of SIGTERM; killing it.")
                process.kill()
                process.wait()
        status = process.returncode
        return 128 - status if status < 0 else status  # a signal's death as the shell says it: 128 + the signal


def wrk_figures(text: str) -> dict:
    """What wrk printed, read: requests, req/s, the p50/p90/p99 latencies and the slowest (its durations given as
    812.00us, 1.23ms, 2.50s or 1.00m), in ms; non-2xx answers and socket errors when it names them."""

    def ms(value: str) -> float:
        number = float(re.match(r"[0-9.]+", value).group(0))
        for suffix, factor in (("us", 0.001), ("ms", 1), ("m", 60000), ("s", 1000)):
            if value.endswith(suffix):
                return number * factor
        return number

    found: dict = {"requests": 0}
    for line in text.splitlines():
        words = line.split()
        if not words:
            continue
        if words[0] == "Latency" and len(words) >= 4:
            found["max"] = ms(words[3])
        elif words[0] in ("50%", "90%", "99%") and len(words) > 1:
            found["p" + words[0][:-1]] = ms(words[1])
        elif words[0] == "Requests/sec:":
            found["rps"] = float(words[1])
        elif " requests in " in line:
            found["requests"] = int(words[0])
        elif "Non-2xx or 3xx responses:" in line:
            found["non_2xx"] = int(words[-1])
        elif "Socket errors:" in line:
            found["socket_errors"] = line.split("Socket errors:", 1)[1].strip()
    return found
