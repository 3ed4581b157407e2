"""Relations between actors: trust (sparse, symmetric), negotiations in progress and partnerships.

Stores are column arrays so that every monthly update is a handful of vector operations. A pair's key is
``pair_key(i, j)`` (one integer per unordered pair).
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

PARTNERSHIP_TYPES: tuple[str, ...] = ("supply_chain", "co_innovation", "market_access")
SOURCES: tuple[str, ...] = ("b2b", "workshop", "introduction")
KEY_BASE = 1 << 32  # pair keys: min * KEY_BASE + max (populations far below 2**32 actors)


def ordered(i: np.ndarray, j: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The pair (min, max) of each (i, j), so that a pair has one key whichever way it is written."""
    i, j = np.asarray(i, dtype=np.int64), np.asarray(j, dtype=np.int64)
    return np.minimum(i, j), np.maximum(i, j)


def pair_key(i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """One integer per unordered pair."""
    a, b = ordered(i, j)
    return a * KEY_BASE + b


class Trust:
    """Symmetric trust in [0, 1] between companies, stored as a sparse upper triangle."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.matrix = sparse.csr_array((n, n), dtype=float)

    def add(self, i: np.ndarray, j: np.ndarray, delta: float | np.ndarray) -> None:
        """Raise the trust of each pair by ``delta`` (capped at 1); repeated pairs add up."""
        a, b = ordered(i, j)
        if a.size == 0:
            return
        d = np.broadcast_to(np.asarray(delta, dtype=float), a.shape)
        update = sparse.coo_array((d, (a, b)), shape=(self.n, self.n)).tocsr()
        self.matrix = (self.matrix + update).tocsr()
        np.minimum(self.matrix.data, 1.0, out=self.matrix.data)

    def get(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Trust of each pair (0 where the two never met)."""
        a, b = ordered(i, j)
        if a.size == 0:
            return np.zeros(0)
        return np.asarray(self.matrix[a, b]).ravel().astype(float)

    @property
    def pairs(self) -> int:
        return int(self.matrix.nnz)


class Negotiations:
    """Pairs in negotiation after a follow-up: who, since when, where they met, for which pole's activity."""

    FIELDS = ("i", "j", "start", "source", "pole")

    def __init__(self) -> None:
        self.i = np.zeros(0, dtype=np.int64)
        self.j = np.zeros(0, dtype=np.int64)
        self.start = np.zeros(0, dtype=np.int64)  # month of the meeting that opened it
        self.source = np.zeros(0, dtype=np.int8)
        self.pole = np.zeros(0, dtype=np.int64)  # index of the pole whose activity opened it

    def __len__(self) -> int:
        return int(self.i.size)

    def open(self, i: np.ndarray, j: np.ndarray, month: int, source: str, exclude: np.ndarray,
             pole: int = 0) -> int:
        """Start negotiations for new pairs (skipping pairs already negotiating or in ``exclude`` keys)."""
        a, b = ordered(i, j)
        keys, first = np.unique(pair_key(a, b), return_index=True)
        a, b = a[first], b[first]
        busy = np.concatenate([pair_key(self.i, self.j), exclude])
        fresh = ~np.isin(keys, busy)
        a, b = a[fresh], b[fresh]
        self.i = np.concatenate([self.i, a])
        self.j = np.concatenate([self.j, b])
        self.start = np.concatenate([self.start, np.full(a.size, month)])
        self.source = np.concatenate([self.source, np.full(a.size, SOURCES.index(source), dtype=np.int8)])
        self.pole = np.concatenate([self.pole, np.full(a.size, pole, dtype=np.int64)])
        return int(a.size)

    def drop(self, mask: np.ndarray) -> None:
        """Remove the negotiations where ``mask`` is True."""
        keep = ~mask
        for name in self.FIELDS:
            setattr(self, name, getattr(self, name)[keep])


class Partnerships:
    """Every partnership ever formed, with its state; row k is partnership k (its id)."""

    def __init__(self, n_companies: int) -> None:
        self.n = n_companies
        self.i = np.zeros(0, dtype=np.int64)
        self.j = np.zeros(0, dtype=np.int64)
        self.formed = np.zeros(0, dtype=np.int64)
        self.dissolved = np.zeros(0, dtype=np.int64)  # -1 while active
        self.kind = np.zeros(0, dtype=np.int8)
        self.source = np.zeros(0, dtype=np.int8)
        self.origin_month = np.zeros(0, dtype=np.int64)
        self.cross_border = np.zeros(0, dtype=bool)  # the partners are in different countries
        self.interregional = np.zeros(0, dtype=bool)  # different regions of one country
        self.pole = np.zeros(0, dtype=np.int64)  # the pole whose activity led to it

    def __len__(self) -> int:
        return int(self.i.size)

    @property
    def active(self) -> np.ndarray:
        return self.dissolved < 0

    def keys(self, active_only: bool = True) -> np.ndarray:
        sel = self.active if active_only else np.ones(len(self), dtype=bool)
        return pair_key(self.i[sel], self.j[sel])

    def add(self, i: np.ndarray, j: np.ndarray, month: int, kind: np.ndarray, source: np.ndarray,
            origin_month: np.ndarray, cross_border: np.ndarray, interregional: np.ndarray,
            pole: np.ndarray | None = None) -> np.ndarray:
        """Record new partnerships; returns their ids."""
        a, b = ordered(i, j)
        if np.any(a == b):
            raise ValueError("a company cannot partner with itself")
        ids = np.arange(len(self), len(self) + a.size)
        self.i = np.concatenate([self.i, a])
        self.j = np.concatenate([self.j, b])
        self.formed = np.concatenate([self.formed, np.full(a.size, month)])
        self.dissolved = np.concatenate([self.dissolved, np.full(a.size, -1)])
        self.kind = np.concatenate([self.kind, kind.astype(np.int8)])
        self.source = np.concatenate([self.source, source.astype(np.int8)])
        self.origin_month = np.concatenate([self.origin_month, origin_month])
        self.cross_border = np.concatenate([self.cross_border, cross_border])
        self.interregional = np.concatenate([self.interregional, interregional])
        self.pole = np.concatenate([self.pole, np.zeros(a.size, dtype=np.int64) if pole is None else pole])
        return ids

    def dissolve(self, ids: np.ndarray, month: int) -> None:
        self.dissolved[ids] = month

    def degree(self, cross_border_only: bool = False) -> np.ndarray:
        """Active partners of each actor, shape (N,)."""
        sel = self.active & (self.cross_border if cross_border_only else True)
        return (np.bincount(self.i[sel], minlength=self.n) + np.bincount(self.j[sel], minlength=self.n))

    def ever_partnered(self) -> np.ndarray:
        """True for actors that had at least one partnership, shape (N,)."""
        return (np.bincount(self.i, minlength=self.n) + np.bincount(self.j, minlength=self.n)) > 0

    def adjacency(self) -> sparse.csr_array:
        """Symmetric 0/1 adjacency of active partnerships."""
        sel = self.active
        a, b = self.i[sel], self.j[sel]
        data = np.ones(2 * a.size)
        return sparse.coo_array((data, (np.concatenate([a, b]), np.concatenate([b, a]))),
                                shape=(self.n, self.n)).tocsr()
