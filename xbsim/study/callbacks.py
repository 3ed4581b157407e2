"""Hydra callback closing a sweep: list the finished, skipped and failed scenarios, write the report when the
study asks for one, and exit with status 1 when a scenario failed (after every other job has finished)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from hydra.experimental.callback import Callback
from omegaconf import DictConfig, OmegaConf


class SweepEnd(Callback):
    """``on_multirun_end``: summary, optional report, exit status. Jobs never raise (see xbsim.study.job), so
    Hydra always reaches this hook."""

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        from xbsim.study.collect import collect

        sweep_dir = Path(str(config.hydra.sweep.dir))
        if not sweep_dir.is_dir():
            return
        col = collect(sweep_dir)
        print(f"xbsim: sweep {sweep_dir}: {len(col.scenarios)} scenario(s) finished, {len(col.failures)} failed, "
              f"{len(col.unfinished)} unfinished")
        for f in col.failures:
            print(f"  failed: {f.get('scenario')}: {f.get('error')}", file=sys.stderr)
        if OmegaConf.select(config, "study.report", default=False) and col.scenarios:
            from xbsim.study.report import write_report

            out = write_report(col)
            print(f"report: {out / 'report.html'}")
        else:
            print(f"report: run  xbsim-report {sweep_dir}")
        if col.failures:
            sys.exit(1)
