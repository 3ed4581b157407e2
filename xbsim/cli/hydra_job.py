"""The body shared by the Hydra commands that do one job in their run folder (``xbsim-analyse``,
``xbsim-propose-poles``): run it, print its lines; a config or input error is one line and exit status 2."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig

from xbsim.core.config import ConfigError
from xbsim.core.errors import InputError
from xbsim.core.logs import quiet_mesa


def run_job(work: Callable[[DictConfig, str | Path], list[str]], cfg: DictConfig) -> None:
    """``work(cfg, run folder)`` in the Hydra job's output folder, its console lines printed."""
    quiet_mesa()
    try:
        lines = work(cfg, HydraConfig.get().runtime.output_dir)
    except (ConfigError, InputError) as err:
        print(str(err), file=sys.stderr)
        sys.exit(2)
    print("\n".join(lines))
