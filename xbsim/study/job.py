"""One Hydra job of ``xbsim``: a scenario run into the job's output directory, skipped when already finished,
and, inside a sweep, a failure recorded in failed.json instead of stopping the other jobs.

Why not let the exception through in a sweep: Hydra's launchers only raise a failed job's exception after the
whole batch, which then skips ``on_multirun_end``; and ``sys.exit`` inside a job would kill the basic launcher's
process (or a joblib worker) with every job after it. So a sweep job always returns normally and its failure is
data; :class:`xbsim.study.callbacks.SweepEnd` lists the failures and sets the exit status at the end of the sweep.
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from typing import Any

from hydra.core.hydra_config import HydraConfig
from hydra.types import RunMode
from omegaconf import DictConfig, OmegaConf

from xbsim.core.config.resolvers import register_resolvers
from xbsim.core.errors import InputError, OutputFolderError, fault
from xbsim.core.logs import quiet_mesa
from xbsim.io.atomic import read_json, write_json
from xbsim.study import ownership
from xbsim.study.hydra_support import parameters, scenario_key
from xbsim.study.provenance import now_utc, provenance
from xbsim.study.scenario import FAILED_FILE, finished_scenario, is_single_run, run_scenario

register_resolvers()


def run(cfg: DictConfig) -> dict[str, Any] | None:
    """Run the job of the current Hydra context; returns its scenario.json content (None when it failed in a
    sweep). Outside a sweep, errors propagate (InputError is turned into one line and exit 2 by the CLI)."""
    hc = HydraConfig.get()
    sweep = hc.mode == RunMode.MULTIRUN
    outdir = Path(hc.runtime.output_dir)
    overrides = list(hc.overrides.task)
    key = scenario_key(overrides, hc.job.config.override_dirname.exclude_keys)
    global current_dir
    current_dir = outdir
    if not sweep:
        return _execute(cfg, outdir, key, overrides, sweep=False)
    own = {ownership.HYDRA_DIR, f"{hc.job.name}.log"}
    try:
        return _execute(cfg, outdir, key, overrides, sweep=True, own=own)
    except OutputFolderError:
        raise  # another run's folder, or one being written: nothing of this job may be written there
    except Exception as err:  # noqa: BLE001 - a sweep job's failure is recorded, never raised
        if fault(err) is not None:
            raise  # a full disk or an unwritable path ends the sweep in one line (xbsim.cli.main)
        record_failure(outdir, key, overrides, err)
        print(f"xbsim: scenario {key} failed: {_one_line(err)} (see {outdir / FAILED_FILE})", file=sys.stderr)
        return None


#: the output folder of the job this process runs (for the one-line message of an interrupt)
current_dir: Path | None = None


def _execute(cfg: DictConfig, outdir: Path, key: str, overrides: list[str], sweep: bool,
             own: set[str] = frozenset()) -> dict[str, Any]:
    """Validate, claim the folder, skip if already finished, run, print the summary; the report too for a plain
    run that asks (and a stale report of the folder refreshed)."""
    from xbsim.core.config import validate

    quiet_mesa()
    validate(cfg)
    c = OmegaConf.to_container(cfg, resolve=True)
    assert isinstance(c, dict)
    from xbsim.core.config import typed
    from xbsim.study.scenario import scenario_hash

    typed(c, composed=cfg)  # the models' typed config, from the composition (cached; faster than from c)

    ownership.claim(outdir, key, scenario_hash(c), bool(c["study"].get("overwrite", False)), own)
    try:
        return _claimed(c, outdir, key, overrides, sweep)
    finally:
        if sweep:
            ownership.release(outdir)


def _claimed(c: dict[str, Any], outdir: Path, key: str, overrides: list[str], sweep: bool) -> dict[str, Any]:
    from xbsim.outputs.console import console_summary
    from xbsim.study.scenario import scenario_summary

    (outdir / FAILED_FILE).unlink(missing_ok=True)
    if c.get("proposal", {}).get("auto"):  # poles=auto: propose the poles, then run the programme with them
        from xbsim.study.proposal import PROPOSAL_FILE, proposal_lines, propose_poles

        c, proposal = propose_poles(c)
        outdir.mkdir(parents=True, exist_ok=True)
        write_json(outdir / PROPOSAL_FILE, proposal)
        print("\n".join(proposal_lines(proposal)))
    if c["search"]["enabled"]:  # xbsim experiment=intervention_search
        from xbsim.study.intervention_search import search_summary

        return search_summary(c, outdir)
    done = finished_scenario(outdir, c)
    if done is not None:
        print(f"xbsim: scenario {key} already finished in {outdir}: skipped (delete scenario.json to rerun)")
        return done
    doc = run_scenario(c, outdir, key, overrides, parameters(overrides))
    if is_single_run(c):
        summary = read_json(outdir / "summary.json")
        print(console_summary(summary, str(outdir)))
    else:
        print(scenario_summary(doc, str(outdir)))
    if c["study"]["report"] and not sweep:  # a sweep's report is written once, at its end (SweepEnd)
        from xbsim.study.collect import collect

        report = ownership.write_recorded_report(collect(outdir))
        print(f"report: {report / 'report.html'}")
    elif not sweep and (report := ownership.refresh_stale_report(outdir)) is not None:
        print(f"report: {report / 'report.html'} (refreshed: it predated this run)")
    return doc


def record_failure(outdir: Path, key: str, overrides: list[str], err: BaseException) -> Path:
    """Write failed.json: the scenario, its error (one line and the traceback) and the provenance."""
    user_error = isinstance(err, InputError)
    return write_json(outdir / FAILED_FILE, {
        "status": "failed",
        "scenario": key,
        "overrides": overrides,
        "parameters": parameters(overrides),
        "error_type": type(err).__name__,
        "error": _one_line(err),
        "traceback": None if user_error else "".join(traceback.format_exception(err)),
        "date": now_utc(),
        "provenance": provenance(),
    })


def _one_line(err: BaseException) -> str:
    text = " ".join(str(err).split()) or type(err).__name__
    notes = "; ".join(getattr(err, "__notes__", []))
    return f"{text} ({notes})" if notes else text
