"""The layers point one way (docs/architecture.md): import-linter's layers contract of pyproject.toml holds."""

from __future__ import annotations

import os
import subprocess

from tests.helpers.cli import ROOT, exe


def test_layers_contract_is_kept() -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    res = subprocess.run([exe("lint-imports"), "--config", str(ROOT / "pyproject.toml"), "--no-cache"], cwd=ROOT,
                         capture_output=True, text=True, timeout=300, env=env)
    assert res.returncode == 0, f"lint-imports failed:\n{res.stdout}\n{res.stderr}"
    assert " 0 broken." in res.stdout, res.stdout
