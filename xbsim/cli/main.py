"""``xbsim``: run one scenario of the programme, or a sweep of scenarios (a Hydra app over ``xbsim/configs/``).

``xbsim`` runs one replication (``replications=1``); ``xbsim replications=100`` or ``xbsim +experiment=feasibility``
a replicated scenario; ``xbsim -m key=a,b ...`` a sweep. The work is done by :mod:`xbsim.study.job`.
"""

from __future__ import annotations

import sys

import hydra
from omegaconf import DictConfig

from xbsim.cli.launchers import launcher_problem
from xbsim.cli.run_mode import compose_once
from xbsim.config import CONFIG_DIR, register_configs
from xbsim.errors import InputError
from xbsim.study import job
from xbsim.study.callbacks import discard_unstarted_sweep
from xbsim.study.provenance import record_command

register_configs()


@hydra.main(version_base="1.3", config_path=str(CONFIG_DIR), config_name="config")
def app(cfg: DictConfig) -> None:
    try:
        job.run(cfg)
    except InputError as err:  # ConfigError included; a sweep job records its errors instead of raising
        print(str(err), file=sys.stderr)
        sys.exit(2)


def main() -> None:
    if "--version" in sys.argv[1:]:
        from xbsim import __version__

        print(f"xbsim {__version__}")
        return
    problem = launcher_problem(sys.argv[1:])
    if problem:  # a launcher that cannot start here: one line, before Hydra creates the sweep folder
        print(f"xbsim: {problem}", file=sys.stderr)
        sys.exit(2)
    record_command()
    try:
        with compose_once(sys.argv[1:]):
            app()
    finally:
        removed = discard_unstarted_sweep()  # the launcher failed before any job: no empty folder left behind
        if removed is not None:
            print(f"xbsim: the launcher started no job; removed its sweep folder {removed}", file=sys.stderr)


if __name__ == "__main__":
    main()
