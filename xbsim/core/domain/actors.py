"""Actor types: companies (by size class) and the configured non-company types (research, intermediaries)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from xbsim.core.config.schema import COMPANY, OutreachConfig, PartnershipsConfig, PopulationConfig


@dataclass(frozen=True)
class ActorTypes:
    """Actor types as aligned arrays; index 0 is always ``company``, the others follow the ``actors`` config.

    Profile arrays are (K, D): mean capability and need of each non-company type (row 0, companies, is unused:
    company profiles come from their segment and size, see :mod:`xbsim.core.population.synthetic`).
    """

    names: tuple[str, ...]
    labels: tuple[str, ...]
    counts: np.ndarray  # (K, T, A) actors per type, territory and area (row 0: 0, companies are derived)
    segment: tuple[str | None, ...]
    employees: np.ndarray  # (K,)
    capability: np.ndarray  # (K, D)
    need: np.ndarray  # (K, D)
    openness_mean: np.ndarray  # (K,)
    known_at_start: np.ndarray  # (K,) bool
    mission_gain: np.ndarray  # (K,)
    max_partners: np.ndarray  # (K,) int; row 0 is partnerships.max_partners
    referrals_per_month: np.ndarray  # (K,); row 0 is outreach.referral_prob
    introductions_per_month: np.ndarray  # (K,) int
    anchor: np.ndarray  # (K,) bool; row 0 False (large companies are anchors by size)

    @classmethod
    def from_config(cls, c: dict[str, Any], territories: tuple[str, ...], areas: tuple[str, ...],
                    dimensions: tuple[str, ...]) -> ActorTypes:
        cfg = c.get("actors") or {}
        names = (COMPANY, *cfg)
        k, t, a, d = len(names), len(territories), len(areas), len(dimensions)
        counts = np.zeros((k, t, a), dtype=np.int64)
        cap, need = np.zeros((k, d)), np.zeros((k, d))
        for i, name in enumerate(names[1:], start=1):
            typ = cfg[name]
            for ti, code in enumerate(territories):
                for ai, area in enumerate(areas):
                    counts[i, ti, ai] = int((typ["counts"].get(code) or {}).get(area, 0))
            cap[i] = [float(typ["capability"].get(dim, typ["default_capability"])) for dim in dimensions]
            need[i] = [float(typ["need"].get(dim, typ["default_need"])) for dim in dimensions]

        def col(key: str, company: Any) -> list[Any]:
            return [company] + [cfg[n][key] for n in names[1:]]

        # Row 0 (companies) takes its values from the sections that govern companies (schema defaults if absent).
        part = (c.get("partnerships") or {}).get("max_partners", PartnershipsConfig.max_partners)
        openness = (c.get("population") or {}).get("openness_mean", PopulationConfig.openness_mean)
        referral = (c.get("outreach") or {}).get("referral_prob", OutreachConfig.referral_prob)
        return cls(
            names=names,
            labels=("Company", *(str(cfg[n]["label"]) for n in names[1:])),
            counts=counts,
            segment=(None, *(cfg[n]["segment"] for n in names[1:])),
            employees=np.array(col("employees", 0), dtype=np.int64),
            capability=cap,
            need=need,
            openness_mean=np.array(col("openness_mean", openness), dtype=float),
            known_at_start=np.array(col("known_at_start", False), dtype=bool),
            mission_gain=np.array(col("mission_gain", 0.0), dtype=float),
            max_partners=np.array(col("max_partners", part), dtype=np.int64),
            referrals_per_month=np.array(col("referrals_per_month", referral), dtype=float),
            introductions_per_month=np.array(col("introductions_per_month", 0), dtype=np.int64),
            anchor=np.array(col("anchor", False), dtype=bool),
        )

    def __len__(self) -> int:
        return len(self.names)
