"""Clues for collaboration: what two actors can give each other, against border frictions, vectorised.

What actor i can gain from actor j is what j knows and i lacks, where i needs it (a need-weighted capability
gap, in the spirit of the knowledge-gain partnering of Cowan, Jonard & Zimmermann 2007 and SKIN's
complementarity), discounted by how related their areas are (cognitive distance: related variety, Frenken et al.
2007), plus a bonus for adjacent links of one value chain and the actor type's own mission gain, minus border
frictions (distance, a national border, no shared language):

    comp(i<-j)     = sum_d need_id * max(0, cap_jd - cap_id) / sum_d need_id                  in [0, 1]
    benefit(i<-j)  = gain_scale * comp(i<-j) * relatedness(a_i, a_j) + adjacency(i, j) + mission(i)
                     - friction(i, j)
    score(i, j)    = (benefit(i<-j) + benefit(j<-i)) / 2                                       (clue score)

A pair of unrelated areas gains nothing from complementarity, a pair of related areas gains in proportion, and
adjacency within a chain is a bonus, not a gate. Blocks of rows x columns are scored with array operations
(one (rows, cols, D) gap tensor per block), so no Python loop runs over pairs; memory is O(block x columns x D).

Search is bounded: an actor weighs at most ``clues.max_candidates`` candidates; from a larger pool each block of
rows gets its own uniform random sample (a browsing limit, as on brokerage platforms), drawn from the caller's
stream, which keeps the cost linear in the number of actors and changes nothing when the pool is smaller.
"""

from __future__ import annotations

import numpy as np

from xbsim.core.config.schema import B2BScope, CluesConfig
from xbsim.core.domain import Domain
from xbsim.core.population.table import Population

BLOCK_ROWS = 256


class Complementarity:
    """Benefits and clue scores of actor pairs from (true or observed) capability and need profiles."""

    def __init__(self, domain: Domain, pop: Population, clues: CluesConfig) -> None:
        self.territory, self.area, self.segment = pop.territory, pop.area, pop.segment
        self.country = domain.territories.country_index()[pop.territory]
        self.max_candidates = int(clues.max_candidates)
        self.lang = pop.languages.astype(np.float32)
        self.gain_scale = float(clues.gain_scale)
        self.adjacency_bonus = float(clues.chain_adjacency_bonus)
        self.relatedness = domain.areas.relatedness.astype(np.float32)
        self.mission = domain.actor_types.mission_gain[pop.kind].astype(np.float32)
        scale = float(clues.friction_scale)
        self.language_friction = scale * float(clues.language_friction)
        terr = domain.territories
        # Territory-pair friction (T, T): distance and national border.
        self.place_friction = (scale * (
            float(clues.distance_friction_per_100km) * terr.distance_km() / 100.0
            + float(clues.country_friction) * terr.cross_country()
        )).astype(np.float32)

    # ---- relations of pairs ----------------------------------------------------------------------
    def cross_border(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """True where the two actors are in different countries (a national border between them)."""
        return self.country[i] != self.country[j]

    def interregional(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """True where the two actors are in different regions of one country."""
        return (self.country[i] == self.country[j]) & (self.territory[i] != self.territory[j])

    def in_scope(self, scope: str, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Pairs a participant may request under ``b2b.scope`` (broadcasts like numpy comparisons)."""
        if scope == B2BScope.cross_border:
            return self.country[i] != self.country[j]
        if scope == B2BScope.other_region:
            return self.territory[i] != self.territory[j]
        if scope == B2BScope.any:
            return np.ones(np.broadcast(i, j).shape, dtype=bool)
        raise ValueError(f"b2b.scope={scope!r}; allowed: {', '.join(B2BScope)}")

    # ---- pair-aligned (vectors of pairs) -------------------------------------------------------------
    def friction(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Border friction of each pair (i[k], j[k])."""
        shared = (self.lang[i] * self.lang[j]).sum(axis=1) > 0
        return self.place_friction[self.territory[i], self.territory[j]] + self.language_friction * ~shared

    def adjacency(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Bonus for adjacent links of one value chain (both actors in the chain)."""
        adj = ((self.area[i] == self.area[j]) & (self.segment[i] >= 0) & (self.segment[j] >= 0)
               & (np.abs(self.segment[i] - self.segment[j]) == 1))
        return self.adjacency_bonus * adj

    def fit(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Relatedness of the two actors' areas (1 for one area)."""
        return self.relatedness[self.area[i], self.area[j]]

    @staticmethod
    def complementarity(cap: np.ndarray, need: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """comp(i<-j): the need-weighted share of i's needs that j's capability gaps over i answer, in [0, 1]."""
        gap = np.maximum(cap[j] - cap[i], 0.0)
        w = need[i]
        total = w.sum(axis=1)
        return np.divide((gap * w).sum(axis=1), total, out=np.zeros(total.shape), where=total > 0)

    def gain(self, cap: np.ndarray, need: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """The complementarity part of benefit(i<-j): gain_scale x comp(i<-j) x relatedness."""
        return self.gain_scale * self.complementarity(cap, need, i, j) * self.fit(i, j)

    def benefit(self, cap: np.ndarray, need: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """What i expects from j: gain + adjacency + i's mission gain - friction."""
        return (self.gain(cap, need, i, j) + self.adjacency(i, j) + self.mission[i] - self.friction(i, j))

    def score(self, cap: np.ndarray, need: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Symmetric clue score of each pair: the mean of both directions' benefits."""
        return 0.5 * (self.benefit(cap, need, i, j) + self.benefit(cap, need, j, i))

    # ---- blocks (rows x columns) -------------------------------------------------------------------
    def score_block(self, cap: np.ndarray, need: np.ndarray, rows: np.ndarray, cols: np.ndarray,
                    scope: str = "any") -> np.ndarray:
        """Clue scores (float32) of every (row, column) pair, shape (len(rows), len(cols)); -inf for pairs
        outside ``scope`` (see :meth:`in_scope`)."""
        cr, cc = cap[rows].astype(np.float32), cap[cols].astype(np.float32)
        nr, nc = need[rows].astype(np.float32), need[cols].astype(np.float32)
        diff = cc[None, :, :] - cr[:, None, :]  # (R, C, D): what the column has over the row
        pos = np.maximum(diff, 0.0)
        to_row = np.einsum("rcd,rd->rc", pos, nr) / np.maximum(nr.sum(axis=1), 1e-9)[:, None]
        pos -= diff  # now max(0, cap_row - cap_col): what the row has over the column
        to_col = np.einsum("rcd,cd->rc", pos, nc) / np.maximum(nc.sum(axis=1), 1e-9)[None, :]
        ar, ac = self.area[rows], self.area[cols]
        s = np.float32(0.5 * self.gain_scale) * (to_row + to_col) * self.relatedness[ar[:, None], ac[None, :]]
        sr, sc = self.segment[rows], self.segment[cols]
        adj = ((ar[:, None] == ac[None, :]) & (sr[:, None] >= 0) & (sc[None, :] >= 0)
               & (np.abs(sr[:, None] - sc[None, :]) == 1))
        s += np.float32(self.adjacency_bonus) * adj
        s += 0.5 * (self.mission[rows][:, None] + self.mission[cols][None, :])
        s -= self.place_friction[self.territory[rows][:, None], self.territory[cols][None, :]]
        shared = (self.lang[rows] @ self.lang[cols].T) > 0
        s -= np.float32(self.language_friction) * ~shared
        if scope != "any":
            s[~self.in_scope(scope, rows[:, None], cols[None, :])] = -np.inf
        return s

    def top_k(
        self,
        cap: np.ndarray,
        need: np.ndarray,
        rows: np.ndarray,
        cols: np.ndarray,
        k: int,
        rng: np.random.Generator,
        scope: str = "any",
        noise: float = 0.0,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Best ``k`` candidates in ``cols`` for each actor in ``rows`` (never itself), best first.

        With ``noise`` > 0 each score gets Gumbel noise of that scale before ranking (a logit choice: people
        do not all pick the same best candidate); the returned scores are the noiseless ones. ``rng`` draws the
        noise and, for pools above ``max_candidates``, each block's sample.
        Returns actor indices (len(rows), k) and their scores; missing candidates are -1 with score -inf.
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
                cols = all_cols[np.sort(rng.choice(pool, self.max_candidates, replace=False))]
            s = self.score_block(cap, need, r, cols, scope)
            # Never oneself: find each row's own column (if present) by binary search.
            at = np.minimum(np.searchsorted(cols, r), cols.size - 1)
            mine = cols[at] == r
            s[np.flatnonzero(mine), at[mine]] = -np.inf
            rank = s
            if noise > 0:
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
