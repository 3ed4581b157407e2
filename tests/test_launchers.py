"""Launchers beyond the basic one: submitit_local and a local Ray cluster give the basic launcher's results
(replication r always uses SeedSequence([seed, r])); a launcher whose plugin is missing, or SLURM off a cluster,
is refused with one line and exit status 2; a launcher that cannot start leaves no sweep folder behind."""

from __future__ import annotations

import importlib.util
import os
import secrets
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.cli import exe, run
from tests.helpers.outputs import read_json, scenario_dirs
from tests.helpers.scenarios import TINY
from xbsim.cli.launchers import chosen_launcher, launcher_problem

# two scenarios (different seeds, so their results differ) of two replications each
SWEEP = [*TINY, "replications=2", "study.replication_files=summary", "seed=1,2"]


def results(sweep: Path) -> dict[str, dict[str, bytes]]:
    """Every scenario's tables and replication summaries (no timings, dates or paths), by scenario folder."""
    out = {}
    for d in scenario_dirs(sweep):
        files = sorted([*d.glob("*.csv"), *d.glob("rep-*/summary.json")])
        out[d.name] = {str(f.relative_to(d)): f.read_bytes() for f in files}
    return out


@pytest.fixture(scope="module")
def basic(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, bytes]]:
    """The sweep's results with the basic launcher (one job after the other, in the xbsim process)."""
    tmp = tmp_path_factory.mktemp("basic")
    res = run(["-m", f"hydra.sweep.dir={tmp / 'sw'}", *SWEEP], cwd=tmp)
    assert res.returncode == 0, res.stderr
    out = results(tmp / "sw")
    assert len(out) == 2 and all(len(files) >= 6 for files in out.values())
    a, b = out.values()
    assert a["replications.csv"] != b["replications.csv"]  # so that equal sweeps below mean something
    return out


def test_submitit_local_gives_the_basic_launchers_results(tmp_path: Path, basic: dict) -> None:
    out = tmp_path / "sw"
    res = run(["-m", "hydra/launcher=submitit_local", f"hydra.sweep.dir={out}", *SWEEP], cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert "2 scenario(s) finished, 0 failed" in res.stdout
    assert (out / ".submitit").is_dir()  # the jobs really went through submitit
    assert results(out) == basic


# --- Ray: a cluster of this machine only (loopback), started and stopped by the test ---------------------------

def _ray_missing() -> list[str]:
    return [dist for module, dist in (("ray", "ray"), ("hydra_plugins.hydra_ray_launcher", "hydra-ray-launcher"))
            if importlib.util.find_spec(module) is None]


# Loopback only: Ray on Linux would replace 127.0.0.1 by the address of the machine's network interface unless
# its single-machine mode is on; no dashboard and no usage statistics (which would be sent out); the cluster's
# token is the test's, not one saved in ~/.ray.
RAY_ENV = {"RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0", "RAY_USAGE_STATS_ENABLED": "0", "RAY_AUTH_MODE": "token",
           "RAY_AUTH_TOKEN": secrets.token_hex(32)}
RAY_HEAD = """
import sys
import ray
ctx = ray.init(address="local", num_cpus=2, include_dashboard=False, object_store_memory=100 * 2**20,
               log_to_driver=False)
print(ctx.address_info["gcs_address"], flush=True)
sys.stdin.read()  # until the test closes stdin
ray.shutdown()
"""


@pytest.fixture
def ray_cluster(tmp_path: Path) -> Iterator[str]:
    """A local Ray cluster (2 CPUs, loopback) in its own process group; yields its address."""
    ray_tmp = tempfile.mkdtemp(prefix="xbray-", dir="/tmp")  # short: Ray's socket paths must fit in 107 bytes
    env = {**os.environ, **RAY_ENV, "RAY_TMPDIR": ray_tmp}
    env.pop("RAY_ADDRESS", None)
    head = subprocess.Popen([sys.executable, "-c", RAY_HEAD], cwd=tmp_path, env=env, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        ready, _, _ = select.select([head.stdout], [], [], 120)
        address = head.stdout.readline().strip() if ready else ""
        if not address:
            head.kill()
            pytest.fail(f"the Ray cluster did not start within 120 s: {head.communicate(timeout=30)[1][-2000:]}")
        assert address.startswith("127.0.0.1:"), address
        yield address
    finally:
        if head.poll() is None:
            head.stdin.close()  # ray.shutdown() in the head process, which stops the processes it started
            try:
                head.wait(timeout=60)
            except subprocess.TimeoutExpired:
                head.kill()
        _end_group(head.pid)
        shutil.rmtree(ray_tmp, ignore_errors=True)


def _end_group(pgid: int) -> None:
    """End whatever is left of the cluster's process group (the test's own processes only)."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(pgid, sig)
        except ProcessLookupError:
            return
        time.sleep(1)


@pytest.mark.skipif(bool(_ray_missing()), reason=f"the ray extra is not installed ({', '.join(_ray_missing())} "
                    "missing): pip install -e '.[ray]'")
def test_ray_cluster_gives_the_basic_launchers_results(tmp_path: Path, basic: dict, ray_cluster: str) -> None:
    # the default (relative) sweep folder, from another folder than the cluster's: Ray's workers run where the
    # cluster was started, yet the scenarios land in this command's multirun/
    driver = tmp_path / "driver"
    driver.mkdir()
    env = {**os.environ, "HYDRA_FULL_ERROR": "0", **RAY_ENV, "RAY_ADDRESS": ray_cluster}
    res = subprocess.run([exe("xbsim"), "-m", "hydra/launcher=ray_cluster", *SWEEP], cwd=driver, capture_output=True,
                         text=True, timeout=300, env=env)
    assert res.returncode == 0, res.stderr[-3000:]
    assert "Ray Launcher is launching 2 jobs" in res.stdout + res.stderr
    assert "2 scenario(s) finished, 0 failed" in res.stdout
    (record,) = driver.glob("multirun/*/*/multirun.yaml")
    assert results(record.parent) == basic
    assert not (tmp_path / "multirun").exists()
    for d in scenario_dirs(record.parent):  # the provenance names xbsim's command, not the Ray worker's
        assert read_json(d / "scenario.json")["provenance"]["command"].startswith("xbsim -m hydra/launcher=ray")


# --- refused launchers: one line, exit status 2, nothing left behind ---------------------------------------------

HIDE = """
import sys
hidden = sys.argv.pop(1).split(",")
class Hide:
    def find_spec(self, name, path=None, target=None):
        if any(name == h or name.startswith(h + ".") for h in hidden):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
sys.meta_path.insert(0, Hide())
from xbsim.cli.main import main
sys.argv = ["xbsim", *sys.argv[1:]]
main()
"""


@pytest.mark.parametrize(("launcher", "hidden", "expected"), [
    ("ray_cluster", "hydra_plugins.hydra_ray_launcher,ray",
     "xbsim: the Ray launcher (hydra/launcher=ray_cluster) needs the ray extra: pip install -e '.[ray]' in the "
     "xbsim folder (hydra-ray-launcher, ray not installed)"),
    ("submitit_local", "hydra_plugins.hydra_submitit_launcher",
     "xbsim: the submitit launcher (hydra/launcher=submitit_local) needs hydra-submitit-launcher and submitit, "
     "dependencies of xbsim: pip install -e . in the xbsim folder (hydra-submitit-launcher not installed)"),
])
def test_missing_plugin_is_one_line(tmp_path: Path, launcher: str, hidden: str, expected: str) -> None:
    res = run([hidden, "-m", f"hydra/launcher={launcher}", *SWEEP], cwd=tmp_path,
              prefix=[sys.executable, "-c", HIDE])
    assert res.returncode == 2
    assert res.stderr.strip().splitlines() == [expected]
    assert res.stdout == ""
    assert list(tmp_path.iterdir()) == []  # no multirun/ folder


def _path_without_srun(tmp_path: Path, fake_srun: bool) -> str:
    """A PATH with the venv's commands and the system's, and an srun that does nothing when asked for."""
    dirs = [str(Path(sys.executable).parent), "/usr/bin", "/bin"]
    if fake_srun:
        bin_dir = tmp_path.parent / f"{tmp_path.name}-bin"
        bin_dir.mkdir()
        (bin_dir / "srun").write_text("#!/bin/sh\nexit 1\n")
        (bin_dir / "srun").chmod(0o755)
        dirs.insert(0, str(bin_dir))
    path = os.pathsep.join(dirs)
    if any(Path(d, name).exists() for d in dirs[-2:] for name in ("srun", "sbatch")):
        pytest.skip("this machine is a SLURM node (srun or sbatch in /usr/bin)")
    return path


def test_slurm_off_cluster_is_refused_and_leaves_no_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", _path_without_srun(tmp_path, fake_srun=False))
    res = run(["-m", "hydra/launcher=slurm", *SWEEP], cwd=tmp_path)
    assert res.returncode == 2
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and "needs a SLURM cluster" in lines[0] and "hydra/launcher=submitit_local" in lines[0]
    assert list(tmp_path.iterdir()) == []


def test_launcher_that_fails_to_start_leaves_no_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # srun is there (so xbsim lets the SLURM launcher try) but sbatch is not: submitit fails to submit, after
    # Hydra created the sweep folder and submitit pickled the jobs into it
    monkeypatch.setenv("PATH", _path_without_srun(tmp_path, fake_srun=True))
    res = run(["-m", "hydra/launcher=slurm", *SWEEP], cwd=tmp_path)
    assert res.returncode == 1
    assert "sbatch" in res.stderr and "the launcher started no job; removed its sweep folder" in res.stderr
    assert list(tmp_path.iterdir()) == []
    # a folder that was there before the sweep (a rerun into it) is kept
    existing = tmp_path / "earlier"
    existing.mkdir()
    res = run(["-m", "hydra/launcher=slurm", f"hydra.sweep.dir={existing}", *SWEEP], cwd=tmp_path)
    assert res.returncode == 1 and "removed" not in res.stderr
    assert existing.is_dir()


def test_chosen_launcher() -> None:
    assert chosen_launcher(["-m", "hydra/launcher=ray_cluster", "seed=1,2"]) == "ray_cluster"
    assert chosen_launcher(["--multirun", "+hydra/launcher=slurm", "hydra/launcher=joblib"]) == "joblib"
    assert chosen_launcher(["hydra/launcher=ray_cluster"]) is None  # not a sweep: no launcher starts
    assert chosen_launcher(["-m", "hydra/launcher=slurm", "--cfg", "job"]) is None  # only prints
    assert chosen_launcher(["hydra.mode=MULTIRUN", "hydra/launcher=ray"]) == "ray"
    assert chosen_launcher(["-m", "seed=1,2"]) is None
    assert launcher_problem(["-m", "hydra/launcher=basic"]) is None
    assert launcher_problem(["-m", "hydra/launcher=joblib"]) is None
    assert launcher_problem(["-m", "hydra/launcher=my_own_cluster"]) is None  # unknown: Hydra's to judge


def test_a_relative_sweep_folder_is_made_absolute_for_every_job(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from omegaconf import OmegaConf

    from xbsim.study.callbacks import absolute_sweep_dir

    monkeypatch.chdir(tmp_path)
    cfg = OmegaConf.create({"hydra": {"sweep": {"dir": "multirun/x"}, "overrides": {"hydra": ["hydra.mode=MULTIRUN"]}}})
    assert absolute_sweep_dir(cfg) == tmp_path / "multirun" / "x"
    assert cfg.hydra.sweep.dir == str(tmp_path / "multirun" / "x")
    # each job's configuration is composed again from these overrides
    assert list(cfg.hydra.overrides.hydra) == ["hydra.mode=MULTIRUN", f"hydra.sweep.dir='{tmp_path}/multirun/x'"]
    assert absolute_sweep_dir(cfg) == tmp_path / "multirun" / "x"  # absolute already: unchanged
    assert len(cfg.hydra.overrides.hydra) == 2
