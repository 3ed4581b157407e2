"""Capability/need dimensions (CIS hampering factors, IMP3rove innovation-management areas)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Dimensions:
    """Named dimensions with how capability and need vary with company size."""

    names: tuple[str, ...]
    labels: tuple[str, ...]
    size_gradient: np.ndarray  # capability gain per size class step, shape (D,)
    sme_need: np.ndarray  # extra need of micro and small firms, shape (D,)
    large_need: np.ndarray  # extra need of large firms, shape (D,)

    @classmethod
    def from_config(cls, dims: dict[str, Any]) -> Dimensions:
        names = tuple(dims)
        return cls(
            names=names,
            labels=tuple(str(dims[d]["label"]) for d in names),
            size_gradient=np.array([float(dims[d]["size_gradient"]) for d in names]),
            sme_need=np.array([float(dims[d]["sme_need"]) for d in names]),
            large_need=np.array([float(dims[d]["large_need"]) for d in names]),
        )

    def __len__(self) -> int:
        return len(self.names)

    def index(self, name: str) -> int:
        return self.names.index(name)
