"""The vectorised model function of a sensitivity analysis: a design matrix in, per-pole outcomes out.

``ModelFunction(base, params, replications)(x)`` takes ``x`` of shape (d, m), one column per design point, and
returns shape (s, m): for each pole, P(viable) over ``replications`` replications and the mean number of members.
Every point uses replications 0..k-1, i.e. the same random streams (common random numbers), so differences
between points come from the parameters, not from the draws. Points run in parallel with joblib; the result does
not depend on the number of workers.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from omegaconf import DictConfig, OmegaConf

from xbsim.core.config import validate
from xbsim.study.replicate import run_replication
from xbsim.study.sensitivity.params import Param


class ModelFunction:
    """Callable f(x) -> outcomes, as scipy.stats.sobol_indices expects."""

    def __init__(self, base: DictConfig, params: list[Param], replications: int = 1, workers: int = 1,
                 progress: bool = False) -> None:
        self.base, self.params, self.replications = base, params, replications
        self.workers, self.progress = workers, progress
        c = OmegaConf.to_container(base, resolve=True)
        assert isinstance(c, dict)
        self.poles: list[str] = list(c["poles"])
        self.outputs: list[str] = [f"{p}.p_viable" for p in self.poles] + [f"{p}.members" for p in self.poles]
        self.evaluations = 0

    def config(self, point: np.ndarray) -> dict[str, Any]:
        """The resolved, validated config of one design point (interpolations such as study.vars follow)."""
        cfg = self.base.copy()
        for param, x in zip(self.params, point, strict=True):
            OmegaConf.update(cfg, param.key, param.value(float(x)), merge=False, force_add=False)
        c = OmegaConf.to_container(cfg, resolve=True)
        assert isinstance(c, dict)
        validate(c)
        return c

    def values(self, x: np.ndarray) -> list[dict[str, int | float]]:
        """The parameter values of each column of x, as the config receives them."""
        return [{p.key: p.value(float(v)) for p, v in zip(self.params, col, strict=True)} for col in x.T]

    def __call__(self, x: np.ndarray) -> np.ndarray:
        from joblib import Parallel, delayed
        from tqdm.auto import tqdm

        x = np.atleast_2d(np.asarray(x, dtype=float))
        configs = [self.config(x[:, j]) for j in range(x.shape[1])]
        tasks = [(j, r) for j in range(len(configs)) for r in range(self.replications)]
        bar = tqdm(total=len(tasks), desc="sensitivity runs", unit="run", disable=None if self.progress else True,
                   leave=False)
        if self.workers == 1:
            records = []
            for j, r in tasks:
                records.append(run_replication(configs[j], r, None))
                bar.update()
        else:
            records = []
            for rec in Parallel(n_jobs=self.workers, return_as="generator")(
                    delayed(run_replication)(configs[j], r, None) for j, r in tasks):
                records.append(rec)
                bar.update()
        bar.close()
        self.evaluations += len(tasks)
        out = np.zeros((len(self.outputs), x.shape[1]))
        k = len(self.poles)
        for (j, _), rec in zip(tasks, records, strict=True):
            for i, pole in enumerate(self.poles):
                out[i, j] += rec["poles"][pole]["viable"] / self.replications
                out[k + i, j] += rec["poles"][pole]["members"] / self.replications
        return out
