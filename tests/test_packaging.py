"""A non-editable install (a wheel in a fresh venv) runs ``xbsim`` from another directory: the configs and data
ship inside the package; ``--config-dir`` adds a user's own config files."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(cmd: list[str], cwd: Path, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # the installed copy, never a source tree
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with xbsim installed from its wheel (dependencies seen through a .pth line to this venv's
    site-packages, which is not processed as a site directory, so this tree's editable install stays out)."""
    tmp = tmp_path_factory.mktemp("pkg")
    res = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp / "dist"), str(ROOT)], tmp)
    assert res.returncode == 0, res.stderr[-2000:]
    wheel = next((tmp / "dist").glob("xbsim-*.whl"))
    venv = tmp / "venv"
    assert _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], tmp).returncode == 0
    py = venv / "bin" / "python"
    res = _run([sys.executable, "-m", "pip", "--python", str(py), "install", "--no-deps", "-q", str(wheel)], tmp)
    assert res.returncode == 0, res.stderr[-2000:]
    site = _run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], tmp).stdout.strip()
    (Path(site) / "zz_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return venv


def test_wheel_ships_configs_data_and_py_typed(installed: Path) -> None:
    py = installed / "bin" / "python"
    code = ("import xbsim, pathlib; from xbsim.core.config import CONFIG_DIR; p = pathlib.Path(xbsim.__file__).parent; "
            "print(p); print(CONFIG_DIR.is_relative_to(p), (CONFIG_DIR / 'config.yaml').is_file(), "
            "(CONFIG_DIR / 'experiment' / 'feasibility.yaml').is_file(), (p / 'py.typed').is_file(), "
            "(p / 'data' / 'sector_employment.csv').is_file())")
    res = _run([str(py), "-c", code], installed.parent)
    assert res.returncode == 0, res.stderr
    where, flags = res.stdout.split("\n")[:2]
    assert str(installed) in where and str(ROOT) not in where  # the installed copy, not this source tree
    assert flags == "True True True True True"


def test_installed_xbsim_runs_from_another_directory(installed: Path, tmp_path: Path) -> None:
    user = tmp_path / "somewhere"
    (user / "my_configs" / "poles").mkdir(parents=True)
    (user / "my_configs" / "poles" / "one_pole.yaml").write_text(
        "health_alone:\n  label: Health alone\n  areas: [health]\n")
    exe = str(installed / "bin" / "xbsim")
    res = _run([exe, "population.n_companies=300", "figures=false", "hydra.run.dir=out"], user)
    assert res.returncode == 0, res.stderr[-3000:]
    assert (user / "out" / "summary.json").is_file() and "pole industry_energy" in res.stdout
    res = _run([exe, "--config-dir", "my_configs", "poles=one_pole", "population.n_companies=300", "figures=false",
                "hydra.run.dir=out2"], user)
    assert res.returncode == 0, res.stderr[-3000:]
    assert "pole health_alone" in res.stdout and "industry_energy" not in res.stdout
    assert _run([exe, "--version"], user).stdout.startswith("xbsim ")
