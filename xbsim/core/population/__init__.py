"""The company population: the table, the synthetic generator and (optionally) a survey file."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from xbsim.core.config.schema import PopulationSource
from xbsim.core.domain import Domain
from xbsim.core.population.synthetic import generate
from xbsim.core.population.table import Population
from xbsim.core.rng import RandomStreams

__all__ = ["Population", "build_population", "generate", "scenario_actors"]


def build_population(domain: Domain, pop_cfg: dict[str, Any], rng: np.random.Generator) -> Population:
    """The population a scenario asks for (``population.source``)."""
    if pop_cfg["source"] == PopulationSource.synthetic:
        return generate(domain, pop_cfg, rng)
    from xbsim.core.population.survey import population_from_survey

    return population_from_survey(domain, pop_cfg, rng)


def scenario_actors(c: Mapping[str, Any], replication: int = 0) -> tuple[Domain, Population]:
    """The domain and the actors of a plain, validated scenario config, as its run ``replication`` builds them
    (from that replication's "population" stream): the model and ``xbsim-analyse`` share them."""
    domain = Domain.from_config(dict(c))
    return domain, build_population(domain, c["population"], RandomStreams(c["seed"], replication)("population"))
