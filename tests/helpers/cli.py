"""Running the project's console commands from a test: one runner for every command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the repository (README.md, experiments/, benchmarks/...)

# A Python prefix (``prefix=[sys.executable, "-c", CRASH]``) that runs ``xbsim`` with the model crashing in the
# scenarios where accompaniment.capacity == 7 (the other scenarios of a sweep run normally).
CRASH = """
import sys
import xbsim.model as m
run = m.XBSimModel.run
def crash(self):
    if self.cfg.accompaniment.capacity == 7:
        raise RuntimeError("simulated crash")
    return run(self)
m.XBSimModel.run = crash
from xbsim.cli.main import main
sys.argv = ["xbsim", *sys.argv[1:]]
main()
"""


def exe(name: str = "xbsim") -> str:
    """A console command of the project, from the running interpreter's environment."""
    return str(Path(sys.executable).with_name(name))


def run(args: list[str], cwd: Path, *, command: str = "xbsim", prefix: list[str] | None = None,
        timeout: int = 300) -> subprocess.CompletedProcess[str]:
    """Run ``COMMAND ARGS`` (a console command of the project: xbsim, xbsim-report...) or ``PREFIX ARGS``
    (e.g. ``[sys.executable, "-c", CODE]``) in ``cwd`` and capture its output; Hydra's errors stay one line."""
    env = {**os.environ, "HYDRA_FULL_ERROR": "0"}
    cmd = [*(prefix or [exe(command)]), *args]
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)
