"""The report's Interreg indicators: one row per scenario x indicator (report/indicators.csv) and the report
section (means with intervals, each planner's target with the probability that it is met)."""

from __future__ import annotations

import pandas as pd

from xbsim.io.document import Block, Bullets, Heading, Para, Table
from xbsim.study.collect import Collection

DOC = "docs/indicators.md"


def indicators_table(col: Collection, labels: dict[str, str]) -> pd.DataFrame:
    """One row per finished scenario x indicator key with its statistics (scenario.json ``indicators``)."""
    rows = [{"scenario": s.key, "label": labels.get(s.key, s.key), "indicator": key, **r}
            for s in col.scenarios for key, r in (s.doc.get("indicators") or {}).items()]
    return pd.DataFrame(rows)


def _ci(low: float, high: float, digits: int = 1) -> str:
    return "n/a" if pd.isna(low) or pd.isna(high) else f"{low:.{digits}f}-{high:.{digits}f}"


def indicator_blocks(col: Collection, labels: dict[str, str], confidence: float = 0.95) -> list[Block]:
    """The report section: the indicators of every scenario (not the size breakdowns) with their intervals,
    then every target with P(met) and its Wilson interval. Empty when no scenario has indicators."""
    table = indicators_table(col, labels)
    if table.empty:
        return []
    conf = round(100 * confidence)
    settings = next((s.doc.get("indicator_settings") for s in col.scenarios if s.doc.get("indicator_settings")), {})
    blocks: list[Block] = [Heading("Interreg indicators", 3), Para(
        "Interreg common indicators (Commission staff working document SWD(2021) 198) counted from each run's "
        f"events, as defined in `{DOC}`: mean over the replications with its {conf}% Student-t interval "
        "(clipped at 0) and the 5% and 95% quantiles (indicators.csv)."
        + (f" RCR84 counts the partnerships still active {settings['after_months']} months after the "
           f"programme's end; RCO116 the cross-border co-innovation partnerships active at least "
           f"{settings['solution_months']} months that deliver (probability {settings['solution_probability']})."
           if settings else ""))]
    main = table[~table["indicator"].str.contains(".", regex=False)]
    show = pd.DataFrame({"scenario": main["label"], "indicator": main["indicator"], "name": main["name"],
                         "mean": main["mean"].round(1),
                         "CI": [_ci(a, b) for a, b in zip(main["ci_low"], main["ci_high"], strict=True)],
                         "q05": main["q05"], "q95": main["q95"]})
    blocks.append(Table(show, f"Interreg indicators at the programme's end: mean [{conf}% CI] and quantiles"))
    sizes = table[table["indicator"].str.startswith("RCO01.")]
    if not sizes.empty:
        blocks.append(Table(pd.DataFrame({"scenario": sizes["label"], "size class": sizes["indicator"].str[6:],
                                          "mean": sizes["mean"].round(1),
                                          "CI": [_ci(a, b) for a, b in zip(sizes["ci_low"], sizes["ci_high"],
                                                                           strict=True)]}),
                            "RCO01 = RCO04 enterprises supported (non-financial support) by size class"))
    if "target" in table and table["target"].notna().any():
        items = []
        for _, r in table[table["target"].notna()].iterrows():
            verdict = "met" if r["p_met"] >= 0.5 else "not met"
            items.append(f"{r['label']}: {r['indicator']} >= {r['target']:g}: {verdict.upper()}, P(met) "
                         f"{r['p_met']:.2f} [{conf}% CI {_ci(r['p_met_low'], r['p_met_high'], 2)}] (reached in "
                         f"{int(r['met'])} of {int(r['n'])} replications; mean {r['mean']:.1f})")
        blocks += [Para("Planner's targets (`indicators.targets`): a target is met in a replication when the "
                        "indicator reaches it; it is called met when P(met) >= 0.5."), Bullets(items)]
    else:
        blocks.append(Para("No planner's target is set (`indicators.targets.RCO87=40`, ... sets one)."))
    return blocks
