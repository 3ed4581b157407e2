"""Mesa agents: companies (thin handles onto population rows) and facilitator teams."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa

from xbsim.config.schema import SIZE_CLASSES
from xbsim.mechanisms import poles

if TYPE_CHECKING:
    from xbsim.model import XBSimModel


class Company(mesa.Agent):
    """A company of one territory; every attribute reads the model's arrays at row ``row``."""

    model: XBSimModel

    def __init__(self, model: XBSimModel, row: int) -> None:
        super().__init__(model)
        self.row = row

    @property
    def company_id(self) -> str:
        return str(self.model.population.ids[self.row])

    @property
    def territory(self) -> str:
        return self.model.domain.territories.codes[self.model.population.territory[self.row]]

    @property
    def area(self) -> str:
        return self.model.domain.areas.names[self.model.population.area[self.row]]

    @property
    def segment(self) -> str:
        pop = self.model.population
        return self.model.domain.areas.segments[pop.area[self.row]][pop.segment[self.row]]

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
        """Names of the poles the company is a member of."""
        return [p for k, p in enumerate(self.model.domain.pole_names) if self.model.state.member[self.row, k]]

    def capability(self) -> dict[str, float]:
        return dict(zip(self.model.domain.dimensions.names, self.model.population.capability[self.row].tolist(),
                        strict=True))

    def need(self) -> dict[str, float]:
        return dict(zip(self.model.domain.dimensions.names, self.model.population.need[self.row].tolist(),
                        strict=True))


class Facilitator(mesa.Agent):
    """A facilitator team of one pole, accompanying up to ``capacity`` companies a month."""

    model: XBSimModel

    def __init__(self, model: XBSimModel, pole: int, capacity: int) -> None:
        super().__init__(model)
        self.pole = pole
        self.capacity = capacity

    def accompany(self) -> None:
        """Accompany this month's candidates if the feasibility study approved the pole."""
        m = self.model
        status = m.poles[self.pole]
        if not status.in_formation:
            return
        poles.accompany(m.population, m.state, status, self.capacity, m.cfg["accompaniment"], m.cfg["joining"],
                        m.month)
