"""Mesa agents: actors (thin handles onto population rows) and facilitator teams.

Actor state lives in the model's arrays (``model.population``, ``model.state``); an ``Actor`` agent reads its
row, so Mesa's AgentSet API, the DataCollector and the app see ordinary agents while the mechanisms work on
whole arrays.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa

from xbsim.core.config.schema import SIZE_CLASSES
from xbsim.programme import joining

if TYPE_CHECKING:
    from xbsim.model.model import XBSimModel


class Actor(mesa.Agent):
    """A company, research organisation or intermediary of one territory; attributes read row ``row``."""

    model: XBSimModel

    def __init__(self, model: XBSimModel, row: int) -> None:
        super().__init__(model)
        self.row = row

    @property
    def actor_id(self) -> str:
        return str(self.model.population.ids[self.row])

    @property
    def actor_type(self) -> str:
        return self.model.domain.actor_types.names[self.model.population.kind[self.row]]

    @property
    def territory(self) -> str:
        return self.model.domain.territories.codes[self.model.population.territory[self.row]]

    @property
    def country(self) -> str:
        return self.model.domain.territories.countries[self.model.population.territory[self.row]]

    @property
    def area(self) -> str:
        return self.model.domain.areas.names[self.model.population.area[self.row]]

    @property
    def segment(self) -> str | None:
        """Value-chain segment, or None for actors outside the chain (intermediaries)."""
        pop = self.model.population
        s = pop.segment[self.row]
        return self.model.domain.areas.segments[pop.area[self.row]][s] if s >= 0 else None

    @property
    def size_class(self) -> str:
        return SIZE_CLASSES[self.model.population.size[self.row]]

    @property
    def openness(self) -> float:
        return float(self.model.population.openness[self.row])

    @property
    def known(self) -> bool:
        return bool(self.model.state.known[self.row])

    @property
    def partners(self) -> int:
        return int(self.model.state.partnerships.degree()[self.row])

    @property
    def poles(self) -> list[str]:
        """Names of the poles the actor is a member of."""
        return [p for k, p in enumerate(self.model.domain.pole_names) if self.model.state.member[self.row, k]]

    def capability(self) -> dict[str, float]:
        return dict(zip(self.model.domain.dimensions.names, self.model.population.capability[self.row].tolist(),
                        strict=True))

    def need(self) -> dict[str, float]:
        return dict(zip(self.model.domain.dimensions.names, self.model.population.need[self.row].tolist(),
                        strict=True))


class Facilitator(mesa.Agent):
    """A facilitator team of one pole, accompanying up to ``capacity`` actors a month."""

    model: XBSimModel

    def __init__(self, model: XBSimModel, pole: int, capacity: int) -> None:
        super().__init__(model)
        self.pole = pole
        self.capacity = capacity

    def accompany(self) -> None:
        """Accompany this month's candidates if the pole has a go or a conditional go."""
        m = self.model
        status = m.poles[self.pole]
        if not status.in_formation:
            return
        joining.accompany(m.domain, m.population, m.state, status, self.capacity, m.cfg.accompaniment,
                        m.cfg.joining, m.month)
