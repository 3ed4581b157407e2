"""``poles=auto``: run the identification stage without poles (scouting teams over every area), propose
``proposal.k`` cross-border poles from the clues and the stage-1 convergence (:mod:`xbsim.programme.proposal`),
and return the configuration whose poles are the proposed ones, with the proposal's record (proposal.json)."""

from __future__ import annotations

import copy
from typing import Any

from xbsim.core.logs import quiet_mesa
from xbsim.programme.proposal import propose

PROPOSAL_FILE = "proposal.json"


def scouting_config(cfg: dict[str, Any]) -> dict[str, Any]:
    """``cfg`` with ``proposal.scouting_teams`` scouting poles over every area in place of the poles: the
    programme's outreach before any pole is chosen."""
    out = copy.deepcopy(cfg)
    pr = cfg["proposal"]
    out["poles"] = {f"scouting_{t + 1}": {"label": "Identification stage over every area", "areas": list(cfg["areas"]),
                                          "critical_mass": copy.deepcopy(pr["critical_mass"]), "markets": {}}
                    for t in range(pr["scouting_teams"])}
    out["proposal"] = {**pr, "auto": False}
    return out


def propose_poles(cfg: dict[str, Any], replication: int = 0) -> tuple[dict[str, Any], dict[str, Any]]:
    """Propose the poles of a resolved config (``proposal.auto``); returns the config with those poles (and
    ``proposal.auto`` kept, so that its digest says how the poles came) and the proposal's record. The
    identification stage runs on replication ``replication``'s streams; Louvain is seeded from its
    ``proposal`` stream. A programme without a cross-border community is a one-line :class:`InputError`."""
    from xbsim.core.errors import InputError
    from xbsim.model import XBSimModel

    quiet_mesa()
    pr = cfg["proposal"]
    model = XBSimModel(scouting_config(cfg), replication=replication)
    while model.clues is None and model.month < model.horizon:
        model.step()
    if model.clues is None:
        raise InputError(f"poles=auto: no clues within the horizon (outreach.end={cfg['outreach']['end']} > "
                         f"horizon_months={cfg['horizon_months']})")
    pop, dom = model.population, model.domain
    conv = model.stage1.convergence
    convergence = dict(zip(conv.loc[conv["kind"] == "area", "unit"], conv.loc[conv["kind"] == "area", "score"],
                           strict=True))
    seed = int(model.streams.at("proposal").integers(0, 2**31 - 1))
    idx, score = model.clues
    cands = propose(model.clue_rows, idx, score, area=pop.area, segment=pop.segment, territory=pop.territory,
                    country=model.comp.country, kind=pop.kind, area_names=list(dom.areas.names),
                    segment_names=[list(s) for s in dom.areas.segments],
                    territory_codes=list(dom.territories.codes), type_names=list(dom.actor_types.names),
                    convergence=convergence, params=model.cfg.proposal, seed=seed)
    if not cands:
        raise InputError("poles=auto: no cross-border community among the known actors' clues at the end of the "
                         f"identification stage (month {model.month}); allowed: a programme whose actors have "
                         "cross-border clues (check the territories' countries and clues.k)")
    labels = dict(zip(dom.areas.names, dom.areas.labels, strict=True))
    out = copy.deepcopy(cfg)
    out["poles"] = {c.name: {"label": "Proposed cross-border pole: " + " + ".join(labels[a] for a in c.areas),
                             "areas": list(c.areas), "critical_mass": copy.deepcopy(pr["critical_mass"]),
                             "markets": {}} for c in cands}
    record = {"month": model.month, "known_actors": int(model.clue_rows.size), "k": pr["k"],
              "proposed": len(cands), "louvain_seed": seed, "replication": replication,
              "candidates": [c.as_dict() for c in cands]}
    return out, record


def proposal_lines(record: dict[str, Any]) -> list[str]:
    """The proposal in a few console lines."""
    lines = [f"poles=auto: {record['proposed']} pole(s) proposed from {record['known_actors']} known actors at "
             f"month {record['month']}"]
    for c in record["candidates"]:
        lines.append(f"  {c['name']}: {' + '.join(c['areas'])}; {c['reason']}")
    return lines
