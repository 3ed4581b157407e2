"""Hydra callback closing a sweep: list the finished, skipped and failed scenarios, write the report when the
study asks for one, and exit with status 1 when a scenario failed (after every other job has finished).

At the start of a sweep it makes a relative sweep folder absolute, for the sweep and for every job (a Ray worker
runs in the folder its cluster was started from, and would write its scenario there), and notes the folders the
sweep creates, so that a launcher that cannot start leaves no empty sweep folder behind
(:func:`discard_unstarted_sweep`)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hydra.experimental.callback import Callback
from omegaconf import DictConfig, OmegaConf, open_dict, read_write

# the sweep of this process that started and has not ended: its folder and the folders it is about to create
_started: list[tuple[Path, list[Path]]] = []


#: set by ``xbsim``'s main: plain runs validate and claim their folder before Hydra creates it (RunStart)
claim_run_folders = False


class RunStart(Callback):
    """``on_run_start`` of a plain run (``xbsim`` without -m), before Hydra creates the run folder: validate the
    configuration and claim the folder (:func:`xbsim.study.ownership.claim`), so that a refused configuration or an
    output folder owned by another run leaves nothing behind (not even Hydra's ``.hydra/``). Active only in the
    ``xbsim`` command (:data:`claim_run_folders`), whose main turns its :class:`~xbsim.core.errors.Refused` into one
    line;
    other Hydra apps over the same configs (``xbsim-analyse``) keep their own handling."""

    def on_run_start(self, config: DictConfig, **kwargs: Any) -> None:
        if not claim_run_folders:
            return
        import copy

        from xbsim.core.config import validate
        from xbsim.core.errors import InputError, Refused, fault
        from xbsim.study import ownership
        from xbsim.study.hydra_support import scenario_key
        from xbsim.study.scenario import scenario_hash

        task = copy.deepcopy(config)
        with read_write(task), open_dict(task):
            del task["hydra"]
        try:
            validate(task)
            c = OmegaConf.to_container(task, resolve=True)
            assert isinstance(c, dict)
            outdir = Path(str(config.hydra.run.dir))
            key = scenario_key(list(config.hydra.overrides.task), config.hydra.job.config.override_dirname.exclude_keys)
            ownership.claim(outdir, key, scenario_hash(c), bool(c["study"].get("overwrite", False)))
        except Exception as err:  # Hydra would turn an Exception into a warning and run the job anyway
            if isinstance(err, InputError) or fault(err) is not None:
                raise Refused(err) from None
            raise


class SweepEnd(Callback):
    """``on_multirun_end``: summary, optional report, exit status. Jobs never raise (see xbsim.study.job), so
    Hydra always reaches this hook unless the launcher itself fails."""

    def on_multirun_start(self, config: DictConfig, **kwargs: Any) -> None:
        # called before Hydra's sweeper creates the folder (and before the launcher is instantiated)
        sweep_dir = absolute_sweep_dir(config)
        _started[:] = [(sweep_dir, [p for p in (sweep_dir, *sweep_dir.parents) if not p.exists()])]

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        from xbsim.study.collect import collect

        _started.clear()
        sweep_dir = Path(str(config.hydra.sweep.dir))
        if not sweep_dir.is_dir():
            return
        col = collect(sweep_dir)
        print(f"xbsim: sweep {sweep_dir}: {len(col.scenarios)} scenario(s) finished, {len(col.failures)} failed, "
              f"{len(col.unfinished)} unfinished")
        for f in col.failures:
            print(f"  failed: {f.get('scenario')}: {f.get('error')}", file=sys.stderr)
        from xbsim.study.ownership import refresh_stale_report, write_recorded_report

        if OmegaConf.select(config, "study.report", default=False) and col.scenarios:
            out = write_recorded_report(col)
            print(f"report: {out / 'report.html'}")
        elif (out := refresh_stale_report(sweep_dir)) is not None:  # written before the sweep resumed: refresh it
            print(f"report: {out / 'report.html'} (refreshed: it predated scenarios of this sweep)")
        else:
            print(f"report: run  xbsim-report {sweep_dir}")
        if col.failures:
            sys.exit(1)


def absolute_sweep_dir(config: DictConfig) -> Path:
    """The sweep folder, made absolute (against this process's working directory) in the sweep's configuration
    and, through a Hydra override, in every job's: Hydra composes each job's configuration again from the sweep's
    overrides, and a job resolves a relative folder in its own working directory."""
    given = Path(str(config.hydra.sweep.dir))  # resolves ${now:} and ${xbsim.pid:} (cached for the whole sweep)
    path = given.absolute()
    if given.is_absolute() or any(c in str(path) for c in "'\\$"):  # absolute already, or not safely quotable
        return path
    with read_write(config.hydra), open_dict(config.hydra):
        config.hydra.sweep.dir = str(path)
        config.hydra.overrides.hydra.append(f"hydra.sweep.dir='{path}'")
    return path


def _launcher_only(sweep_dir: Path, path: Path) -> bool:
    """Whether a file of the sweep folder is only the launcher's: Hydra's multirun.yaml, or what submitit writes
    before a job exists (the pickled jobs and the sbatch script, directly in .submitit/; a job's logs are in its
    own .submitit/<job id>/)."""
    return path == sweep_dir / "multirun.yaml" or path.parent == sweep_dir / ".submitit"


def discard_unstarted_sweep() -> Path | None:
    """After a sweep that never reached its end: remove the folders it created when they hold nothing but the
    launcher's own files (the launcher could not start any job). Returns the removed sweep folder, if any."""
    if not _started:
        return None
    sweep_dir, created = _started.pop()
    if sweep_dir not in created or not sweep_dir.is_dir():
        return None  # a rerun into an existing folder keeps it
    def files() -> Iterator[Path]:
        return (p for p in sweep_dir.rglob("*") if p.is_symlink() or not p.is_dir())

    if not all(_launcher_only(sweep_dir, p) for p in files()):
        return None  # a job started (Hydra wrote its .hydra/), failed.json, submitit's logs...: keep it all
    for p in list(files()):
        p.unlink()
    dirs = [p for p in sweep_dir.rglob("*") if p.is_dir() and not p.is_symlink()]
    for d in sorted(dirs, key=lambda p: len(p.parts), reverse=True):  # the deepest first
        d.rmdir()
    for d in created:  # the sweep folder, then the parents it created, while they are empty
        try:
            d.rmdir()
        except OSError:
            break
    return sweep_dir
