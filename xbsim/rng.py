"""Random streams: every draw in xbsim comes from one seed through named numpy Generators.

``RandomStreams(seed, replication)`` roots a ``numpy.random.SeedSequence`` at (seed, replication); each
mechanism asks for its own stream by name, so adding a draw in one mechanism never shifts the draws of another,
and replication r of every scenario uses the same streams (common random numbers).
"""

from __future__ import annotations

import zlib

import numpy as np


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
            key = zlib.crc32(name.encode("utf-8"))
            child = np.random.SeedSequence(self.root.entropy, spawn_key=(key,))
            self._streams[name] = np.random.default_rng(child)
        return self._streams[name]
