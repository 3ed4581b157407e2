"""Provenance of a result: software versions, the git commit of the source tree, the command line and the date,
so that a reader of a report can reproduce every number."""

from __future__ import annotations

import os
import platform
import shlex
import subprocess
import sys
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

COMMAND_ENV = "XBSIM_COMMAND"
PACKAGES = ("numpy", "scipy", "pandas", "mesa", "hydra-core", "omegaconf", "joblib")


def record_command(argv: list[str] | None = None) -> str:
    """Remember the command line of this process for the jobs it launches (inherited through the environment
    by joblib, submitit and Ray workers, whose own argv is the worker's)."""
    args = list(sys.argv if argv is None else argv)
    command = shlex.join([Path(args[0]).name, *args[1:]]) if args else ""
    os.environ[COMMAND_ENV] = command
    return command


def command_line() -> str:
    return os.environ.get(COMMAND_ENV) or shlex.join([Path(sys.argv[0]).name, *sys.argv[1:]])


def git_commit(root: Path | None = None) -> dict[str, Any]:
    """Commit and dirty flag of the source tree xbsim runs from (None outside a git checkout)."""
    root = root or Path(__file__).resolve().parents[2]
    if not (root / ".git").exists():
        return {"commit": None, "dirty": None}
    try:
        commit = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True,
                                timeout=10, check=True).stdout.strip()
        status = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
                                capture_output=True, text=True, timeout=10, check=True).stdout
        return {"commit": commit or None, "dirty": bool(status.strip())}
    except (OSError, subprocess.SubprocessError):
        return {"commit": None, "dirty": None}


def versions() -> dict[str, str | None]:
    from xbsim import __version__

    out: dict[str, str | None] = {"xbsim": __version__, "python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = None
    return out


def now_utc() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def provenance() -> dict[str, Any]:
    """Everything about the software and the invocation that produced a result."""
    return {"versions": versions(), "git": git_commit(), "command": command_line(), "date": now_utc(),
            "platform": platform.platform(), "cwd": os.getcwd()}
