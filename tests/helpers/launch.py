"""Running the real ``xbsim-app`` command as a child process: start it, read its address, stop it cleanly.

Used by the browser test and by :mod:`tests.helpers.screenshot`. The child runs in its own process group, so
stopping it (SIGTERM, then SIGKILL after a grace period) leaves no process behind.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import IO

ADDRESS = re.compile(r"^xbsim app: (http://127\.0\.0\.1:\d+)\s*$")


def app_command() -> list[str]:
    """``xbsim-app`` installed next to this Python (the console script), else ``python -m xbsim.cli.app``."""
    script = Path(sys.executable).with_name("xbsim-app")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "xbsim.cli.app"]


class AppProcess:
    """``with AppProcess(overrides) as app: app.url`` -- the app served by a child ``xbsim-app``."""

    def __init__(self, overrides: Sequence[str] = (), timeout: float = 90.0, cwd: Path | None = None) -> None:
        self.overrides = list(overrides)
        self.timeout = timeout
        self.cwd = cwd
        self.url: str | None = None
        self.proc: subprocess.Popen[str] | None = None
        self.stderr_lines: list[str] = []

    def start(self) -> str:
        """Start the command and wait for the address it prints; returns the address."""
        self.proc = subprocess.Popen(
            [*app_command(), *self.overrides], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            cwd=self.cwd, start_new_session=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        self._stderr = threading.Thread(target=self._drain, args=(self.proc.stderr, self.stderr_lines),
                                        daemon=True)
        self._stderr.start()
        found: list[str] = []
        ready = threading.Event()
        args = (self.proc.stdout, found, ready)
        threading.Thread(target=self._read_address, args=args, daemon=True).start()
        ready.wait(self.timeout)
        if not found:
            self.stop()
            self._stderr.join(2.0)
            raise RuntimeError(f"xbsim-app printed no address within {self.timeout:.0f} s; stderr:\n"
                               + "".join(self.stderr_lines[-30:]))
        self.url = found[0]
        return self.url

    @staticmethod
    def _read_address(stream: IO[str], found: list[str], ready: threading.Event) -> None:
        """Find the address line, then keep reading to EOF so that the child never blocks on a full pipe."""
        for line in stream:
            match = ADDRESS.match(line)
            if match and not found:
                found.append(match.group(1))
                ready.set()
        ready.set()  # EOF: the child has ended

    @staticmethod
    def _drain(stream: IO[str], lines: list[str]) -> None:
        for line in stream:
            lines.append(line)

    def stop(self, grace: float = 10.0) -> int | None:
        """Stop the child's whole process group; returns its exit status."""
        proc = self.proc
        if proc is None:
            return None
        if proc.poll() is None:
            self._signal(signal.SIGTERM)
            try:
                proc.wait(grace)
            except subprocess.TimeoutExpired:
                self._signal(signal.SIGKILL)
                proc.wait(grace)
        self._signal(signal.SIGKILL)  # anything the child may have left in its group
        return proc.returncode

    def _signal(self, sig: int) -> None:
        assert self.proc is not None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, sig)

    def __enter__(self) -> AppProcess:
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


def wait_closed(pid: int, timeout: float = 5.0) -> bool:
    """True once no process of group ``pid`` is left (within ``timeout`` seconds)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False
