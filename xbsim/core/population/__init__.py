"""The company population: the table, the synthetic generator and (optionally) a survey file."""

from __future__ import annotations

from typing import Any

import numpy as np

from xbsim.core.config.schema import PopulationSource
from xbsim.core.domain import Domain
from xbsim.core.population.synthetic import generate
from xbsim.core.population.table import Population

__all__ = ["Population", "build_population", "generate"]


def build_population(domain: Domain, pop_cfg: dict[str, Any], rng: np.random.Generator) -> Population:
    """The population a scenario asks for (``population.source``)."""
    if pop_cfg["source"] == PopulationSource.synthetic:
        return generate(domain, pop_cfg, rng)
    from xbsim.core.population.survey import population_from_survey

    return population_from_survey(domain, pop_cfg, rng)
