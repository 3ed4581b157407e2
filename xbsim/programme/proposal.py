"""Poles proposed from the evidence of the identification stage: communities of the cross-border clue graph.

At the end of the identification stage every known actor has its ``clues.k`` best matches (the clues). The
cross-border clue graph links two known actors of different countries when one is among the other's clues,
weighted by the clue score (summed when each is among the other's). Louvain community detection
(``networkx.community.louvain_communities``, resolution ``proposal.resolution``, seeded from the run's streams)
splits it into groups of actors that are each other's best cross-border matches. A community becomes a
candidate pole over the areas holding at least ``proposal.area_share`` of its actors (at most
``proposal.max_areas``, largest first), with the community's actors of those areas as candidate members; it
must have candidate members in at least two countries. Communities giving the same areas are one candidate.
Candidates are ranked by their cross-border tie weight (the summed clue scores inside them) times the mean
stage-1 convergence score of their areas, and the best ``proposal.k`` with pairwise disjoint areas are
proposed, each with its reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np

from xbsim.core.config.schema import ProposalConfig
from xbsim.programme.relations import KEY_BASE, pair_key


@dataclass
class Candidate:
    """One proposed pole: its areas and segments, candidate members and why."""

    areas: list[str]
    members: np.ndarray  # actor rows
    weight: float  # summed cross-border clue scores among the members
    ties: int  # cross-border clue links among the members
    convergence: float  # mean stage-1 convergence score of the areas
    segments: dict[str, list[str]] = field(default_factory=dict)  # segments the members cover, by area
    by_territory: dict[str, int] = field(default_factory=dict)
    by_type: dict[str, int] = field(default_factory=dict)
    area_shares: dict[str, float] = field(default_factory=dict)  # share of the community in each area
    name: str = ""
    reason: str = ""

    @property
    def score(self) -> float:
        return self.weight * self.convergence

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "areas": list(self.areas), "segments": self.segments,
                "candidate_members": int(self.members.size), "members_by_territory": self.by_territory,
                "members_by_type": self.by_type, "cross_border_ties": self.ties, "tie_weight": round(self.weight, 4),
                "convergence": round(self.convergence, 4), "score": round(self.score, 4), "reason": self.reason}


def clue_graph(rows: np.ndarray, idx: np.ndarray, score: np.ndarray, country: np.ndarray) -> nx.Graph:
    """The cross-border clue graph: one node per row, an edge where one actor is among the other's clues and the
    two are in different countries, weighted by the clue score (both directions summed)."""
    src = np.repeat(np.asarray(rows), idx.shape[1])
    dst, s = idx.ravel(), score.ravel()
    ok = (dst >= 0) & np.isfinite(s) & (s > 0)
    src, dst, s = src[ok], dst[ok], s[ok]
    xb = country[src] != country[dst]
    keys, inverse = np.unique(pair_key(src[xb], dst[xb]), return_inverse=True)
    weights = np.bincount(inverse, weights=s[xb], minlength=keys.size)
    g = nx.Graph()
    g.add_nodes_from(np.asarray(rows).tolist())
    g.add_weighted_edges_from(zip((keys // KEY_BASE).tolist(), (keys % KEY_BASE).tolist(), weights.tolist(),
                                  strict=True))
    return g


def propose(rows: np.ndarray, idx: np.ndarray, score: np.ndarray, *, area: np.ndarray, segment: np.ndarray,
            territory: np.ndarray, country: np.ndarray, kind: np.ndarray, area_names: list[str],
            segment_names: list[list[str]], territory_codes: list[str], type_names: list[str],
            convergence: dict[str, float], params: ProposalConfig, seed: int) -> list[Candidate]:
    """Up to ``params.k`` candidate poles from the clues ``idx``/``score`` (one row per actor of ``rows``),
    best first (see the module docstring); ``area``, ``segment``... are per-actor arrays of the population."""
    g = clue_graph(rows, idx, score, country)
    if g.number_of_edges() == 0:
        return []
    communities = nx.community.louvain_communities(g, weight="weight", resolution=float(params.resolution),
                                                   seed=seed)
    by_areas: dict[tuple[int, ...], np.ndarray] = {}
    for com in sorted(communities, key=lambda c: min(c)):  # a fixed order, whatever the set order
        members = np.array(sorted(com), dtype=np.int64)
        if members.size < 2:
            continue
        share = np.bincount(area[members], minlength=len(area_names)) / members.size
        order = np.argsort(-share, kind="stable")
        chosen = tuple(sorted(int(a) for a in order[:int(params.max_areas)] if share[a] >= params.area_share))
        if not chosen:
            continue
        members = members[np.isin(area[members], chosen)]
        by_areas[chosen] = np.union1d(by_areas.get(chosen, members[:0]), members)
    cands = []
    for areas, members in by_areas.items():
        if np.unique(country[members]).size < 2:
            continue
        sub = g.subgraph(members.tolist())
        names = [area_names[a] for a in areas]
        cands.append(Candidate(
            areas=names, members=members, weight=float(sub.size(weight="weight")), ties=sub.number_of_edges(),
            convergence=float(np.mean([convergence.get(n, 0.0) for n in names]))))
    cands.sort(key=lambda c: (-c.score, c.areas))
    chosen_cands: list[Candidate] = []
    for c in cands:
        if len(chosen_cands) == int(params.k):
            break
        if all(not set(c.areas) & set(o.areas) for o in chosen_cands):
            chosen_cands.append(c)
    for rank, c in enumerate(chosen_cands, start=1):
        _describe(c, rank, area, segment, territory, kind, area_names, segment_names, territory_codes, type_names)
    return chosen_cands


def _describe(c: Candidate, rank: int, area: np.ndarray, segment: np.ndarray, territory: np.ndarray,
              kind: np.ndarray, area_names: list[str], segment_names: list[list[str]], territory_codes: list[str],
              type_names: list[str]) -> None:
    """Fill the candidate's name, segments, composition and reason."""
    m = c.members
    c.name = f"proposed_{rank}"
    per_t = np.bincount(territory[m], minlength=len(territory_codes))
    per_k = np.bincount(kind[m], minlength=len(type_names))
    c.by_territory = {code: int(per_t[t]) for t, code in enumerate(territory_codes)}
    c.by_type = {name: int(per_k[k]) for k, name in enumerate(type_names) if per_k[k]}
    for name in c.areas:
        a = area_names.index(name)
        segs = np.unique(segment[m][(area[m] == a) & (segment[m] >= 0)])
        c.segments[name] = [segment_names[a][s] for s in segs]
        c.area_shares[name] = round(float((area[m] == a).mean()), 4)
    terr = ", ".join(f"{k} {v}" for k, v in c.by_territory.items())
    types = ", ".join(f"{k} {v}" for k, v in c.by_type.items())
    what = f"area {c.areas[0]} has a" if len(c.areas) == 1 else f"areas {' and '.join(c.areas)} have a mean"
    c.reason = (f"a community of {m.size} known actors ({terr}; {types}) that are each other's best cross-border "
                f"matches: {c.ties} cross-border clues among them (summed score {c.weight:.1f}); its {what} "
                f"stage-1 convergence score of {c.convergence:.2f}")


__all__ = ["Candidate", "clue_graph", "propose"]
