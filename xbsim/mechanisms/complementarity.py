"""Clues for collaboration: complementarity between companies minus border frictions, vectorised.

The benefit company i expects from company j is what j's capabilities answer of i's needs,
``offer[i, j] = cap[j] . need[i] / D``, plus a bonus for the same specialisation area and for adjacent links of
the same value chain, minus border frictions (no shared language, distance, a national border). The clue score of
a pair is the mean of both directions. Top-k candidates are computed block by block (rows x all columns), so
memory is O(block * N + N * k) and no Python loop runs over pairs.

Bonus and friction depend only on each company's (territory, area, segment, language set), so blocks use a small
precomputed matrix over those "keys" (a few hundred) and one matrix product for the profiles: a block costs one
float32 product, one gather and one partial sort.

Search is bounded: a company weighs at most ``clues.max_candidates`` candidates; from a larger pool each block of
rows gets its own uniform random sample (a browsing limit, as on brokerage platforms), which keeps the cost linear
in the number of companies at large N and changes nothing when the pool is smaller.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from xbsim.domain import Domain
from xbsim.population.table import Population

BLOCK_ROWS = 256


class Complementarity:
    """Scores of company pairs from (possibly observed, i.e. noisy) capability and need profiles."""

    def __init__(self, domain: Domain, pop: Population, clues: dict[str, Any],
                 rng: np.random.Generator | None = None) -> None:
        self.territory, self.area, self.segment = pop.territory, pop.area, pop.segment
        self.max_candidates = int(clues["max_candidates"])
        self.sample_rng = rng if rng is not None else np.random.default_rng(0)
        self.lang = pop.languages.astype(np.float32)
        self.n_dims = pop.capability.shape[1]
        self.need_weight = float(clues["need_weight"])
        self.adjacency_bonus = float(clues["chain_adjacency_bonus"])
        self.area_bonus = float(clues["same_area_bonus"])
        scale = float(clues["friction_scale"])
        self.language_friction = scale * float(clues["language_friction"])
        terr = domain.territories
        # Territory-pair friction (T, T): distance and national border.
        self.place_friction = scale * (
            float(clues["distance_friction_per_100km"]) * terr.distance_km() / 100.0
            + float(clues["country_friction"]) * terr.cross_country()
        )
        self._build_keys(pop)

    def _build_keys(self, pop: Population) -> None:
        """Key of each company = its (territory, area, segment, language set); ``structure[key_a, key_b]`` is
        bonus - friction of any pair with those keys, and ``same_territory`` marks pairs of one territory."""
        _, lang_sig = np.unique(pop.languages, axis=0, return_inverse=True)
        fields = np.stack([pop.territory, pop.area, pop.segment, lang_sig.ravel()], axis=1)
        uniq, self.key = np.unique(fields, axis=0, return_inverse=True)
        self.key = self.key.ravel()
        rep = np.array([np.flatnonzero(self.key == k)[0] for k in range(uniq.shape[0])])  # one company per key
        a, b = np.meshgrid(rep, rep, indexing="ij")
        a, b = a.ravel(), b.ravel()
        n_keys = rep.size
        self.structure = (self.bonus(a, b) - self.friction(a, b)).reshape(n_keys, n_keys).astype(np.float32)
        self.same_territory = (self.territory[a] == self.territory[b]).reshape(n_keys, n_keys)

    # ---- pair-aligned (vectors of pairs) -------------------------------------------------------------
    def friction(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Border friction of each pair (i[k], j[k])."""
        shared = (self.lang[i] * self.lang[j]).sum(axis=1) > 0
        return self.place_friction[self.territory[i], self.territory[j]] + self.language_friction * ~shared

    def bonus(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Same-area and value-chain adjacency bonus of each pair."""
        same = self.area[i] == self.area[j]
        adjacent = same & (np.abs(self.segment[i] - self.segment[j]) == 1)
        return self.area_bonus * same + self.adjacency_bonus * adjacent

    def offer(self, cap: np.ndarray, need: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """What j's capabilities answer of i's needs, in [0, 1], for each pair."""
        return self.need_weight * np.einsum("kd,kd->k", cap[j], need[i]) / self.n_dims

    def benefit(self, cap: np.ndarray, need: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Benefit i expects from partnering j: offer + bonus - friction."""
        return self.offer(cap, need, i, j) + self.bonus(i, j) - self.friction(i, j)

    def score(self, cap: np.ndarray, need: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Symmetric clue score of each pair: mean of both directions' offers, plus bonus, minus friction."""
        mutual = 0.5 * (self.offer(cap, need, i, j) + self.offer(cap, need, j, i))
        return mutual + self.bonus(i, j) - self.friction(i, j)

    # ---- blocks (rows x columns) -------------------------------------------------------------------
    def score_block(self, cap: np.ndarray, need: np.ndarray, rows: np.ndarray, cols: np.ndarray,
                    cross_border_only: bool = False) -> np.ndarray:
        """Clue scores (float32) of every (row, column) pair, shape (len(rows), len(cols)); -inf for pairs of
        one territory when ``cross_border_only``."""
        w = 0.5 * self.need_weight / self.n_dims
        left = np.hstack([need[rows], cap[rows]]).astype(np.float32)
        right = np.hstack([cap[cols], need[cols]]).astype(np.float32)
        s = left @ right.T
        s *= np.float32(w)
        kr, kc = self.key[rows][:, None], self.key[cols][None, :]
        s += self.structure[kr, kc]
        if cross_border_only:
            s[self.same_territory[kr, kc]] = -np.inf
        return s

    def top_k(
        self,
        cap: np.ndarray,
        need: np.ndarray,
        rows: np.ndarray,
        cols: np.ndarray,
        k: int,
        cross_border_only: bool = False,
        noise: float = 0.0,
        rng: np.random.Generator | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Best ``k`` candidates in ``cols`` for each company in ``rows`` (never itself), best first.

        With ``noise`` > 0 each score gets Gumbel noise of that scale before ranking (a logit choice: people
        do not all pick the same best candidate); the returned scores are the noiseless ones.
        Returns company indices (len(rows), k) and their scores; missing candidates are -1 with score -inf.
        """
        rows, all_cols = np.asarray(rows), np.sort(np.asarray(cols))
        pool = all_cols.size
        k_eff = max(0, min(k, pool, self.max_candidates))
        idx = np.full((rows.size, k), -1, dtype=np.int64)
        val = np.full((rows.size, k), -np.inf)
        if k_eff == 0 or rows.size == 0:
            return idx, val
        for start in range(0, rows.size, BLOCK_ROWS):
            r = rows[start:start + BLOCK_ROWS]
            cols = all_cols
            if pool > self.max_candidates:  # bounded search: this block's random sample of the pool
                cols = all_cols[np.sort(self.sample_rng.choice(pool, self.max_candidates, replace=False))]
            s = self.score_block(cap, need, r, cols, cross_border_only)
            # Never oneself: find each row's own column (if present) by binary search.
            at = np.minimum(np.searchsorted(cols, r), cols.size - 1)
            mine = cols[at] == r
            s[np.flatnonzero(mine), at[mine]] = -np.inf
            rank = s
            if noise > 0 and rng is not None:
                u = rng.random(s.shape, dtype=np.float32)
                np.maximum(u, np.float32(1e-30), out=u)
                rank = s - np.float32(noise) * np.log(-np.log(u))  # + noise x standard Gumbel
            part = np.argpartition(rank, cols.size - k_eff, axis=1)[:, cols.size - k_eff:]
            part_rank = np.take_along_axis(rank, part, axis=1)
            order = np.argsort(-part_rank, axis=1, kind="stable")
            best = np.take_along_axis(part, order, axis=1)
            best_val = np.take_along_axis(s, best, axis=1)
            found = np.isfinite(best_val)
            idx[start:start + r.size, :k_eff] = np.where(found, cols[best], -1)
            # Report exact (float64) scores of the chosen pairs.
            exact = self.score(cap, need, np.repeat(r, k_eff), cols[best].ravel()).reshape(best.shape)
            val[start:start + r.size, :k_eff] = np.where(found, exact, -np.inf)
        return idx, val
