"""Ctrl-C or SIGTERM on `make run` stops everything it started and exits 0, without an error line from make.

The first run is `make run` at a terminal (a pseudo-terminal the test owns) stopped with Ctrl-C, as a person does it;
the second is bin/devserver stopped with SIGTERM to its process group, as a supervisor does it. Both on a SQLite file
in a temporary directory, on free ports, with the Redis server bin/devserver starts itself when none answers.
"""

from __future__ import annotations

import fcntl
import os
import re
import signal
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.makerun_support import (
    ROOT,
    alive,
    descendants,
    make_run_env,
    one_make_run_at_a_time,
    request,
    wait_for_health,
)
from tests.ports import free_port


@pytest.fixture(autouse=True)
def _one_make_run_at_a_time() -> Iterator[None]:
    with one_make_run_at_a_time():
        yield


def stopped_cleanly(process: subprocess.Popen[bytes], started: set[int], output: str) -> None:
    assert process.returncode == 0, output[-4000:]
    assert "make: ***" not in output, output[-4000:]
    assert "Traceback" not in output, output[-4000:]
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(alive(pid) for pid in started):
        time.sleep(0.2)
    left = [pid for pid in started if alive(pid)]
    assert left == [], [Path(f"/proc/{pid}/cmdline").read_bytes() for pid in left if alive(pid)]


# honcho prefixes each line with the time and the process name: "06:11:44 web    | ..."
WEB_LINE = re.compile(r"\bweb\s+\|")


def make_run_env_for(tmp_path: Path) -> tuple[dict[str, str], str]:
    port = free_port()
    env = make_run_env(tmp_path / "db.sqlite3", tmp_path, port=port, redis_port=free_port())
    return env, f"http://127.0.0.1:{port}"


def running(process: subprocess.Popen[bytes], base: str, output: Callable[[], str]) -> set[int]:
    """The processes below `process` once web, worker, beat and Redis run; else what it printed."""
    pid = process.pid
    try:
        wait_for_health(base, process, printed=output)
    except AssertionError as error:
        printed = output()
        # the web server's lines first: the worker's and the mail printer's would fill the tail
        web = "\n".join(line for line in printed.splitlines() if WEB_LINE.search(line[:60]))
        raise AssertionError(
            f"{error}; the web server printed:\n{web[:4000]}\n[...]\n{web[-4000:]}\n\nthe tail:\n{printed[-3000:]}"
        ) from None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        below = descendants(pid)
        commands = " ".join(Path(f"/proc/{p}/cmdline").read_bytes().decode(errors="replace") for p in below if alive(p))
        if all(word in commands for word in ("runserver", "worker", "beat", "redis-server")):
            return below
        time.sleep(0.5)
    raise AssertionError(f"web, worker, beat and redis-server did not all start; it printed:\n{output()[-6000:]}")


@pytest.mark.timeout(1200)  # two starts, each may wait up to 420 s for /health/
def test_ctrl_c_at_the_terminal_stops_make_run_which_exits_0_and_then_sigterm_stops_devserver(tmp_path):
    env, base = make_run_env_for(tmp_path)
    env.pop("DEBUG")  # make run sets it itself
    primary, secondary = os.openpty()

    def controlling_terminal() -> None:
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    make = subprocess.Popen(
        ["make", "--no-print-directory", "run"],  # noqa: S607
        cwd=ROOT,
        env=env,
        stdin=secondary,
        stdout=secondary,
        stderr=secondary,
        start_new_session=True,
        preexec_fn=controlling_terminal,  # the terminal becomes make's controlling terminal
    )
    os.close(secondary)
    chunks: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                data = os.read(primary, 65536)
            except OSError:
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        started = running(make, base, lambda: b"".join(chunks).decode(errors="replace"))
        os.write(primary, b"\x03")  # Ctrl-C, as typed
        make.wait(timeout=60)
    finally:
        if make.poll() is None:
            os.killpg(make.pid, signal.SIGKILL)
            make.wait()
        reader.join(timeout=5)
        os.close(primary)
    output = b"".join(chunks).decode(errors="replace")
    assert "SIGINT received" in output, output[-4000:]
    stopped_cleanly(make, started, output)
    assert not answers(base)

    # Second run on the same database (already migrated and seeded): SIGTERM to bin/devserver's process group
    log = tmp_path / "devserver.log"
    with log.open("wb") as out:
        devserver = subprocess.Popen(
            [sys.executable, "bin/devserver"],
            cwd=ROOT,
            env={**env, "DEBUG": "true"},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        started = running(devserver, base, lambda: log.read_text(errors="replace"))
        os.killpg(devserver.pid, signal.SIGTERM)
        devserver.wait(timeout=60)
        output = log.read_text(errors="replace")
    finally:
        if devserver.poll() is None:
            os.killpg(devserver.pid, signal.SIGKILL)
            devserver.wait()
    assert "SIGTERM received" in output, output[-4000:]
    stopped_cleanly(devserver, started, output)
    assert not answers(base)


def answers(base: str) -> bool:
    try:
        request(base, "GET", "/health/", timeout=2)
    except OSError:
        return False
    return True
