"""Free TCP ports for the servers a test starts itself (make run's web server, its own Redis, gunicorn).

A port the kernel hands out for `bind(0)` lies in the ephemeral range, the same range it draws the source ports of
outgoing connections from. Under a parallel test run thousands of connections to PostgreSQL and Redis come and go, so
such a port can be taken as a source port between the moment it is chosen and the moment the server binds it, and the
server then fails to start. Ports are therefore drawn at random from below the ephemeral range, where only servers
bind, and each is checked free on the spot.
"""

from __future__ import annotations

import random
import socket
from pathlib import Path

_RANGE_FILE = Path("/proc/sys/net/ipv4/ip_local_port_range")
_LOWEST = 20000


def _ephemeral_floor() -> int:
    try:
        return int(_RANGE_FILE.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def free_port() -> int:
    """A port on 127.0.0.1 below the ephemeral range that nothing is bound to now."""
    top = _ephemeral_floor()
    if top <= _LOWEST + 1000:  # an unusual port range: let the kernel choose
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            return int(sock.getsockname()[1])
    for _ in range(200):
        port = random.randrange(_LOWEST, top)
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port between {_LOWEST} and {top}")
