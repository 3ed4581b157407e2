"""The tests' small scenarios (xbsim/configs/debug/) and a builder of replicated scenarios.

- ``TINY`` (``debug=tiny``): 150 companies over 18 months; no pole is ever viable; the cheapest configuration that
  runs everything (~0.2 s a run).
- ``VARIED`` (``debug=varied``): 300 companies over 24 months with relaxed feasibility and critical-mass criteria
  (~0.3 s a run); the first pole is viable in 5 of replications 0-9, so viability varies between replications.
- ``SMALL``: the default scenario with 400 companies (the shared runs of conftest.py).

They are lists of Hydra overrides, to be spread into an override list: ``[*TINY, "replications=2"]``.
"""

from __future__ import annotations

from pathlib import Path

TINY = ["debug=tiny"]
VARIED = ["debug=varied"]
SMALL = ["population.n_companies=400"]


def write_scenario(tmp: Path, name: str, overrides: list[str], key_overrides: list[str]) -> Path:
    """Write a replicated scenario into tmp/name as a sweep job would (key and parameters from key_overrides)."""
    from tests.helpers.configs import plain
    from xbsim.study.hydra_support import parameters, scenario_key
    from xbsim.study.scenario import run_scenario

    run_scenario(plain([*overrides, *key_overrides]), tmp / name, scenario_key(key_overrides), key_overrides,
                 parameters(key_overrides))
    return tmp / name
