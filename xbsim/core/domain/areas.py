"""Specialisation areas and their value chains (ordered segments, upstream first)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Areas:
    """Areas as aligned tuples (index a = position in ``names``)."""

    names: tuple[str, ...]
    labels: tuple[str, ...]
    segments: tuple[tuple[str, ...], ...]
    segment_shares: tuple[np.ndarray, ...]  # per area, normalised to sum 1
    relatedness: np.ndarray  # (A, A) symmetric in [0, 1], 1 on the diagonal

    @classmethod
    def from_config(cls, areas: dict[str, Any]) -> Areas:
        names = tuple(areas)
        segments = tuple(tuple(areas[a]["segments"]) for a in names)
        shares = []
        for a, segs in zip(names, segments, strict=True):
            raw = np.asarray(areas[a]["segment_shares"] or [1.0] * len(segs), dtype=float)
            shares.append(raw / raw.sum())
        rel = np.eye(len(names))
        for a, name in enumerate(names):
            for other, value in (areas[name].get("related") or {}).items():
                b = names.index(other)
                rel[a, b] = rel[b, a] = float(value)
        return cls(names, tuple(str(areas[a]["label"]) for a in names), segments, tuple(shares), rel)

    def __len__(self) -> int:
        return len(self.names)

    def n_segments(self) -> np.ndarray:
        """Number of value-chain segments of each area, shape (A,)."""
        return np.array([len(s) for s in self.segments])

    def cell_index(self) -> list[tuple[int, int]]:
        """All (area, segment) cells of all value chains, in a fixed order."""
        return [(a, s) for a, segs in enumerate(self.segments) for s in range(len(segs))]
