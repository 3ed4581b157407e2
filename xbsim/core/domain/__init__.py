"""The programme's domain: territories, specialisation areas with value chains, capability dimensions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from omegaconf import DictConfig, OmegaConf

from xbsim.core.config.schema import CluesConfig
from xbsim.core.domain.actors import ActorTypes
from xbsim.core.domain.areas import Areas
from xbsim.core.domain.dimensions import Dimensions
from xbsim.core.domain.territory import Territories

__all__ = ["ActorTypes", "Areas", "Dimensions", "Domain", "Territories"]


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
    pole_themes: np.ndarray  # True where the area is in the pole's theme (its areas and related ones), (P, A)
    actor_types: ActorTypes

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
        pole_areas = np.array([[a in c["poles"][p]["areas"] for a in areas.names] for p in poles],
                              dtype=bool).reshape(len(poles), len(areas))
        related = areas.relatedness[pole_areas.argmax(axis=1)] if poles else np.zeros((0, len(areas)))
        for p in range(len(poles)):  # the theme: the pole's areas and every area related enough to one of them
            related[p] = areas.relatedness[pole_areas[p]].max(axis=0)
        theme_min = (c.get("clues") or {}).get("theme_relatedness", CluesConfig.theme_relatedness)
        themes = pole_areas | (related >= float(theme_min))
        actors = ActorTypes.from_config(c, terr.codes, areas.names, dims.names)
        return cls(terr, areas, dims, emp, s3, poles, pole_areas, themes, actors)

    def languages(self) -> tuple[str, ...]:
        """All languages spoken in the programme, plus English, in a fixed order."""
        seen: dict[str, None] = {}
        for langs in self.territories.languages:
            seen.update(dict.fromkeys(langs))
        seen.setdefault("en", None)
        return tuple(seen)
