"""bin/devserver's own Redis: started when none answers, given up (for the filesystem fallback) when it cannot start."""

from __future__ import annotations

import contextlib
import shutil
import socket
from pathlib import Path

import pytest

from tests.makerun_support import devserver
from tests.ports import free_port

pytestmark = pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed")


def test_a_local_redis_server_is_started_and_answers_when_the_port_is_free():
    server = devserver()
    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"
    assert not server.redis_answers(url)
    process = server.start_redis(url, str(port))
    try:
        assert process is not None
        assert server.redis_answers(url)
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=10)


def test_a_port_held_by_something_else_gives_no_redis_and_leaves_nothing_running(capsys):
    server = devserver()
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()  # accepts connections, never answers PING
        port = holder.getsockname()[1]
        url = f"redis://127.0.0.1:{port}/0"
        assert not server.redis_answers(url)
        assert server.start_redis(url, str(port)) is None
    assert "did not answer (is the port taken?)" in capsys.readouterr().out
    # redis-server renames itself "redis-server 127.0.0.1:<port>" once it runs
    assert not [line for line in command_lines() if b"redis-server" in line and str(port).encode() in line]


def command_lines() -> list[bytes]:
    lines = []
    for path in Path("/proc").glob("[0-9]*/cmdline"):
        with contextlib.suppress(OSError):  # the process ended meanwhile
            lines.append(path.read_bytes().replace(b"\0", b" "))
    return lines
