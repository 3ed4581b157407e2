"""``xbsim``: run one scenario of the programme, or a sweep of scenarios (a Hydra app over ``xbsim/configs/``).

``xbsim`` runs one replication (``replications=1``); ``xbsim replications=100`` or ``xbsim experiment=feasibility``
a replicated scenario; ``xbsim -m key=a,b ...`` a sweep. The work is done by :mod:`xbsim.study.job`.
``--overwrite`` (``study.overwrite=true``) clears an output folder that holds another run's files instead of
refusing it. Every fault ends in one line and its exit status (:mod:`xbsim.core.errors`, docs/experiments.md).
"""

from __future__ import annotations

import os
import signal
import sys
from typing import Any, NoReturn

import hydra
from omegaconf import DictConfig

from xbsim.cli.launchers import launcher_problem
from xbsim.cli.run_mode import compose_once
from xbsim.core.config import CONFIG_DIR, register_configs
from xbsim.core.config.yaml_check import config_dirs, yaml_problem
from xbsim.core.errors import (
    EXIT_BUSY,
    EXIT_INPUT,
    EXIT_INTERRUPTED,
    EXIT_TERMINATED,
    FolderBusyError,
    InputError,
    Refused,
    fault_in_chain,
)
from xbsim.study import callbacks, job
from xbsim.study.callbacks import discard_unstarted_sweep
from xbsim.study.provenance import record_command

register_configs()


@hydra.main(version_base="1.3", config_path=str(CONFIG_DIR), config_name="config")
def app(cfg: DictConfig) -> None:
    try:
        job.run(cfg)
    except InputError as err:  # ConfigError, SurveyError, an output folder of another run (a sweep job records
        _refuse(err)  # its other errors instead of raising)
    except Exception as err:
        found = fault_in_chain(err)
        if found is None:
            raise
        _exit(*found)


def _refuse(err: InputError) -> NoReturn:
    print(str(err), file=sys.stderr)
    sys.exit(EXIT_BUSY if isinstance(err, FolderBusyError) else EXIT_INPUT)


def _exit(code: int, line: str) -> NoReturn:
    print(f"xbsim: {line}", file=sys.stderr)
    sys.exit(code)


class Terminated(KeyboardInterrupt):
    """SIGTERM (a scheduler's cancel, ``kill``), ended as an interrupt is."""


def _terminate(signum: int, frame: Any) -> None:
    raise Terminated()


def main() -> None:
    argv = sys.argv[1:]
    if "--version" in argv:
        from xbsim import __version__

        print(f"xbsim {__version__}")
        return
    if "--overwrite" in argv:  # a flag of xbsim, not Hydra's: the config flag study.overwrite
        sys.argv = [sys.argv[0], *(a for a in argv if a != "--overwrite"), "study.overwrite=true"]
        argv = sys.argv[1:]
    problem = launcher_problem(argv)
    if problem:  # a launcher that cannot start here: one line, before Hydra creates the sweep folder
        _exit(EXIT_INPUT, problem)
    broken = yaml_problem(config_dirs(argv, CONFIG_DIR))
    if broken:
        _exit(EXIT_INPUT, f"YAML error: {broken}")
    record_command()
    os.environ["HYDRA_FULL_ERROR"] = "1"  # Hydra re-raises instead of printing a traceback: the errors end here
    callbacks.claim_run_folders = True
    signal.signal(signal.SIGTERM, _terminate)
    import gc

    gc.freeze()  # the modules loaded so far live as long as the process: the collector need not scan them again
    try:
        with compose_once(argv):
            app()
    except Refused as err:  # refused before the run folder was created (xbsim.study.callbacks.RunStart)
        if isinstance(err.error, InputError):
            _refuse(err.error)
        _report_fault(err.error)
    except InputError as err:
        _refuse(err)
    except BaseException as err:
        if isinstance(err, SystemExit):
            raise
        _report_fault(err)
    finally:
        removed = discard_unstarted_sweep()  # the launcher failed before any job: no empty folder left behind
        if removed is not None:
            print(f"xbsim: the launcher started no job; removed its sweep folder {removed}", file=sys.stderr)
        gc.freeze()  # the command is over: the exit frees what is left without the collector tracing it again


def _report_fault(err: BaseException) -> None:
    """One line and a distinct exit status for an interrupt, a full disk, an unwritable path, a Hydra usage error;
    anything else is a bug and keeps its traceback."""
    from xbsim.core.errors import config_error_line

    if isinstance(err, KeyboardInterrupt):
        where = f"; the partial run in {job.current_dir} is left unfinished (no scenario.json)" \
            if job.current_dir is not None else ""
        if isinstance(err, Terminated):
            _exit(EXIT_TERMINATED, f"terminated (SIGTERM){where}")
        _exit(EXIT_INTERRUPTED, f"interrupted{where}")
    found = fault_in_chain(err)
    if found is not None:
        _exit(*found)
    line = config_error_line(err)  # a Hydra usage error, as Hydra prints it, without its traceback
    if line is not None:
        _exit(1, line)
    raise err


if __name__ == "__main__":
    main()
