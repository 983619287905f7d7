"""`sayso serve` in a child process on a free local port, for benchmarks and browser tests."""
from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path


class Served(str):
    """The base URL of a running server, with the server's process id."""
    pid: int


@contextlib.contextmanager
def serving(db: Path, wait_seconds: float = 30.0, reviewers: Path | None = None) -> Iterator[Served]:
    """Start `sayso serve --db DB` (with `reviewers`: `--allow-write --reviewers FILE`), wait until
    it accepts connections, yield its base URL (with `.pid`), stop it."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    command = [sys.executable, "-m", "sayso.cli", "serve", "--db", str(db), "--port", str(port)]
    if reviewers is not None:
        command += ["--allow-write", "--reviewers", str(reviewers)]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"sayso serve did not start on port {port}") from None
                time.sleep(0.1)
        served = Served(f"http://127.0.0.1:{port}")
        served.pid = proc.pid
        yield served
    finally:
        proc.terminate()
        proc.wait(timeout=10)
