"""Global sensitivity analysis of pole viability: Sobol' indices (first and total order, bootstrap intervals) on
a scrambled Sobol' design, and Latin hypercube exploration, over chosen model parameters.

    xbsim-sensitivity --param accompaniment.capacity=2:30:int --n 64 --lhs 32 [overrides...]

See ``experiments/sensitivity.md``; the command is :mod:`xbsim.cli.sensitivity`.
"""

from __future__ import annotations

from xbsim.study.sensitivity.params import Param, parse_param
from xbsim.study.sensitivity.run import Settings, run_sensitivity

__all__ = ["Param", "Settings", "parse_param", "run_sensitivity"]
