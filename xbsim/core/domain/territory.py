"""Territories: identity, languages, location and sector sizes of the regions in the programme."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

EARTH_RADIUS_KM = 6371.0


@dataclass(frozen=True)
class Territories:
    """The programme's territories as aligned arrays (index t = position in ``codes``)."""

    codes: tuple[str, ...]
    names: tuple[str, ...]
    countries: tuple[str, ...]
    languages: tuple[tuple[str, ...], ...]
    lat: np.ndarray
    lon: np.ndarray
    total_employment: np.ndarray  # persons employed, whole business economy, shape (T,)

    @classmethod
    def from_config(cls, territories: dict[str, Any]) -> Territories:
        codes = tuple(territories)
        return cls(
            codes=codes,
            names=tuple(str(territories[c]["name"]) for c in codes),
            countries=tuple(str(territories[c]["country"]) for c in codes),
            languages=tuple(tuple(territories[c]["languages"]) for c in codes),
            lat=np.array([float(territories[c]["lat"]) for c in codes]),
            lon=np.array([float(territories[c]["lon"]) for c in codes]),
            total_employment=np.array([float(territories[c]["total_employment"]) for c in codes]),
        )

    def __len__(self) -> int:
        return len(self.codes)

    def distance_km(self) -> np.ndarray:
        """Great-circle distances between territory centres, shape (T, T)."""
        lat, lon = np.radians(self.lat), np.radians(self.lon)
        dlat = lat[:, None] - lat[None, :]
        dlon = lon[:, None] - lon[None, :]
        a = np.sin(dlat / 2) ** 2 + np.cos(lat[:, None]) * np.cos(lat[None, :]) * np.sin(dlon / 2) ** 2
        return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))

    def cross_country(self) -> np.ndarray:
        """1 where two territories lie in different countries (a national border), shape (T, T)."""
        c = np.array(self.countries)
        return (c[:, None] != c[None, :]).astype(float)

    def country_index(self) -> np.ndarray:
        """Index of each territory's country in the sorted list of countries, shape (T,)."""
        return np.unique(np.array(self.countries), return_inverse=True)[1].ravel()
