"""The programme's domain: territories, specialisation areas with value chains, capability dimensions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from omegaconf import DictConfig, OmegaConf

from xbsim.domain.areas import Areas
from xbsim.domain.dimensions import Dimensions
from xbsim.domain.territory import Territories

__all__ = ["Areas", "Dimensions", "Domain", "Territories"]


@dataclass(frozen=True)
class Domain:
    """Everything about the programme that does not depend on the companies."""

    territories: Territories
    areas: Areas
    dimensions: Dimensions
    employment: np.ndarray  # persons employed per territory x area, shape (T, A)
    s3: np.ndarray  # True where the area is an S3 priority of the territory, shape (T, A)
    pole_names: tuple[str, ...]
    pole_areas: np.ndarray  # True where the area belongs to the pole, shape (P, A)

    @classmethod
    def from_config(cls, cfg: DictConfig | dict[str, Any]) -> Domain:
        c = OmegaConf.to_container(cfg, resolve=True) if isinstance(cfg, DictConfig) else cfg
        terr = Territories.from_config(c["territories"])
        areas = Areas.from_config(c["areas"])
        dims = Dimensions.from_config(c["dimensions"])
        emp = np.array([[float(c["territories"][t]["employment"].get(a, 0.0)) for a in areas.names]
                        for t in terr.codes])
        s3 = np.array([[a in c["territories"][t]["s3_areas"] for a in areas.names] for t in terr.codes])
        poles = tuple(c["poles"])
        pole_areas = np.array([[a in c["poles"][p]["areas"] for a in areas.names] for p in poles])
        return cls(terr, areas, dims, emp, s3, poles, pole_areas)

    def languages(self) -> tuple[str, ...]:
        """All languages spoken in the programme, plus English, in a fixed order."""
        seen: dict[str, None] = {}
        for langs in self.territories.languages:
            seen.update(dict.fromkeys(langs))
        seen.setdefault("en", None)
        return tuple(seen)
