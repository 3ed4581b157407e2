"""The actor table: static attributes of every actor (companies and the other actor types) as aligned arrays.

Row i is actor i everywhere in the model (agents, mechanisms, outputs). Mechanisms work on whole columns;
the Mesa ``Actor`` agent is a thin handle onto one row.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import numpy as np
import pandas as pd

from xbsim.core.config.schema import SIZE_CLASSES
from xbsim.core.domain import Domain


@dataclass
class ActorRows:
    """Who and where the actors are, one entry per actor (shape (N,)): the columns a survey file and the
    population share."""

    ids: np.ndarray  # str company identifiers
    names: np.ndarray  # str display names
    territory: np.ndarray  # int index into domain.territories
    area: np.ndarray  # int index into domain.areas
    segment: np.ndarray  # int position in the area's value chain (0 = most upstream; -1 = outside the chain)
    size: np.ndarray  # int size class index into SIZE_CLASSES
    employees: np.ndarray  # int head count (-1 in a survey row that gives only the size class)


@dataclass
class Population(ActorRows):
    """Static actor attributes (shape (N,) unless stated)."""

    capability: np.ndarray  # float (N, D) in [0, 1]
    need: np.ndarray  # float (N, D) in [0, 1]
    openness: np.ndarray  # float in [0, 1], propensity to cooperate across the border
    absorptive: np.ndarray  # float in [0, 1], capacity to turn external knowledge into value
    languages: np.ndarray  # bool (N, L), languages spoken, columns = domain.languages()
    origin: np.ndarray  # str "synthetic" or "surveyed"
    kind: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # actor type, 0 = company
    interviewed_in_survey: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))

    def __post_init__(self) -> None:
        if self.interviewed_in_survey.shape[0] != self.n:
            self.interviewed_in_survey = np.zeros(self.n, dtype=bool)
        if self.kind.shape[0] != self.n:
            self.kind = np.zeros(self.n, dtype=np.int64)

    @property
    def n(self) -> int:
        return int(self.territory.shape[0])

    def subset(self, mask: np.ndarray) -> Population:
        """The rows where ``mask`` is True, as a population of their own (e.g. the companies only)."""
        rows = np.flatnonzero(mask)
        return Population(**{f.name: getattr(self, f.name)[rows] for f in fields(self)})

    @property
    def is_company(self) -> np.ndarray:
        return self.kind == 0

    @property
    def is_sme(self) -> np.ndarray:
        """True for micro, small and medium companies (fewer than 250 employees); never for other actors."""
        return self.is_company & (self.size < SIZE_CLASSES.index("large"))

    @property
    def is_large_company(self) -> np.ndarray:
        return self.is_company & (self.size == SIZE_CLASSES.index("large"))

    def to_frame(self, domain: Domain) -> pd.DataFrame:
        """One row per company with readable codes, for companies.csv and inspection."""
        langs = np.array(domain.languages())
        df = pd.DataFrame(
            {
                "company_id": self.ids,
                "name": self.names,
                "actor_type": np.array(domain.actor_types.names)[self.kind],
                "territory": np.array(domain.territories.codes)[self.territory],
                "country": np.array(domain.territories.countries)[self.territory],
                "area": np.array(domain.areas.names)[self.area],
                "segment": [domain.areas.segments[a][s] if s >= 0 else ""
                            for a, s in zip(self.area, self.segment, strict=True)],
                "size_class": np.array(SIZE_CLASSES)[self.size],
                "employees": self.employees,
                "openness": self.openness.round(4),
                "absorptive_capacity": self.absorptive.round(4),
                "languages": ["|".join(langs[row]) for row in self.languages],
                "origin": self.origin,
            }
        )
        for d, name in enumerate(domain.dimensions.names):
            df[f"cap_{name}"] = self.capability[:, d].round(4)
        for d, name in enumerate(domain.dimensions.names):
            df[f"need_{name}"] = self.need[:, d].round(4)
        return df
