"""The report's proposed poles (``poles=auto``): the candidates of each scenario ranked by their estimated
P(viable) with its interval, with their areas, candidate members and the reason they were proposed."""

from __future__ import annotations

import pandas as pd

from xbsim.io.atomic import read_json
from xbsim.io.document import Block, Bullets, Heading, Para, Table
from xbsim.study.collect import Collection
from xbsim.study.proposal import PROPOSAL_FILE  # written by xbsim.study.job next to scenario.json


def ranked_candidates(col: Collection, labels: dict[str, str]) -> pd.DataFrame:
    """One row per scenario x proposed pole, ranked within the scenario by P(viable) (ties: the proposal's
    order), with its interval, areas and candidate members by territory."""
    rows = []
    for s in col.scenarios:
        path = s.dir / PROPOSAL_FILE
        if not path.is_file():
            continue
        record = read_json(path)
        for order, c in enumerate(record["candidates"]):
            p = s.doc["poles"].get(c["name"], {})
            rows.append({"scenario": labels.get(s.key, s.key), "pole": c["name"], "order": order,
                         "areas": " + ".join(c["areas"]), "p_viable": p.get("p_viable"), "ci_low": p.get("ci_low"),
                         "ci_high": p.get("ci_high"), "n": p.get("n"),
                         "candidate_members": c["candidate_members"],
                         **{f"candidates_{t}": v for t, v in c["members_by_territory"].items()},
                         "reason": c["reason"]})
    if not rows:
        return pd.DataFrame()
    df = pd.DataFrame(rows).sort_values(["scenario", "p_viable", "order"], ascending=[True, False, True])
    df.insert(1, "rank", df.groupby("scenario").cumcount() + 1)
    return df.drop(columns="order").reset_index(drop=True)


def proposal_blocks(col: Collection, labels: dict[str, str]) -> list[Block]:
    """The report section on proposed poles (empty when no scenario proposed its poles)."""
    df = ranked_candidates(col, labels)
    if df.empty:
        return []
    show = df[["scenario", "rank", "pole", "areas", "p_viable", "ci_low", "ci_high", "candidate_members"]]
    return [Heading("Proposed poles (poles=auto)", 3),
            Para("The poles were proposed after the identification stage from the communities of the cross-border "
                 "clue graph and the stage-1 convergence (docs/indicators.md), then run through the programme; "
                 "ranked by their estimated P(viable) with its Wilson interval."),
            Table(show, "Proposed poles ranked by P(viable)"),
            Bullets([f"{r['scenario']}: {r['pole']} ({r['areas']}): {r['reason']}" for _, r in df.iterrows()])]
