"""Shared fixtures: small composed configurations and finished runs (cached per session)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from xbsim.core.config import compose
from xbsim.model import XBSimModel

ROOT = Path(__file__).resolve().parents[1]
XBSIM = str(Path(sys.executable).with_name("xbsim"))
SMALL = ["population.n_companies=400"]


def run_cli(args: list[str], cwd: Path, exe: str = XBSIM, timeout: int = 300) -> subprocess.CompletedProcess:
    """Run a console command of the project and capture its output."""
    env = {**os.environ, "HYDRA_FULL_ERROR": "0"}
    return subprocess.run([exe, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)


@pytest.fixture(scope="session")
def default_model() -> XBSimModel:
    """The shipped default scenario, run to the horizon."""
    return XBSimModel(compose()).run()


@pytest.fixture(scope="session")
def small_models() -> list[XBSimModel]:
    """Five small runs with different seeds."""
    return [XBSimModel(compose([*SMALL, f"seed={s}"])).run() for s in range(5)]
