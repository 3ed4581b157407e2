"""Random streams: every draw in xbsim comes from one seed through named numpy Generators.

``RandomStreams(seed, replication)`` roots a ``numpy.random.SeedSequence`` at (seed, replication); each
mechanism asks for its own stream by name, so adding a draw in one mechanism never shifts the draws of another,
and replication r of every scenario uses the same streams (common random numbers).

Mechanisms whose number of draws depends on the state (who registers, who negotiates, who reconsiders) take a
*keyed* stream, ``streams.at(name, *keys)``: a fresh generator for each (name, pole, month), so a change in one
month's or one pole's draws never shifts another's. Per-actor decisions draw one number for every actor row
(``rng.random(n_actors)``), so the number drawn for actor i does not depend on who else is deciding.
"""

from __future__ import annotations

import zlib

import numpy as np


def _key(part: str | int) -> int:
    return int(part) if isinstance(part, int) else zlib.crc32(str(part).encode("utf-8"))


class RandomStreams:
    """Named, independent ``numpy.random.Generator`` streams derived from one seed."""

    def __init__(self, seed: int, replication: int = 0) -> None:
        self.seed = int(seed)
        self.replication = int(replication)
        self.root = np.random.SeedSequence([self.seed, self.replication])
        self._streams: dict[str, np.random.Generator] = {}

    def __call__(self, name: str) -> np.random.Generator:
        """The generator for ``name`` (created on first use, then the same object)."""
        if name not in self._streams:
            self._streams[name] = self.at(name)
        return self._streams[name]

    def at(self, name: str, *keys: str | int) -> np.random.Generator:
        """A fresh generator for ``(name, *keys)``, e.g. ``at("joining", pole, month)``; the same keys always
        give the same draws, whatever was drawn elsewhere."""
        child = np.random.SeedSequence(self.root.entropy, spawn_key=(_key(name), *(_key(k) for k in keys)))
        return np.random.default_rng(child)

