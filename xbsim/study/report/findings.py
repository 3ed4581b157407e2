"""The annex's "Key findings": plain sentences generated from the results, with their intervals. Which poles
become viable and how likely (in the baseline and across the scenarios), when (Kaplan-Meier median and
quartiles), what limits the weaker pole (feasibility no-go or the critical-mass criterion most often unmet,
counted over the baseline's replications) and which swept parameter moves P(viable) most, with the paired
interval of that difference."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd

from xbsim.io.atomic import read_json
from xbsim.outputs.console import decisive_shortfalls
from xbsim.outputs.names import CRITERION_LABELS, format_value, parameter_name
from xbsim.study import stats
from xbsim.study.collect import Scenario


def _ci(p: float, lo: float, hi: float, conf: float) -> str:
    return f"{p:.2f} ({100 * conf:.0f}% CI {lo:.2f}–{hi:.2f})"


def _likelihood(p: float) -> str:
    if p >= 0.8:
        return "very likely"
    if p >= 0.5:
        return "more likely than not"
    if p >= 0.2:
        return "possible but unlikely"
    return "unlikely" if p > 0 else "not reached in any run"


def pole_sentence(results: pd.DataFrame, ref_key: str, pole: str, label: str) -> str:
    """P(viable) of ``pole`` in the reference scenario, its range over the scenarios, and when."""
    r = results[results["pole"] == pole]
    row = r[r["scenario"] == ref_key].iloc[0]
    conf = float(row["confidence"])
    text = (f"**{label}**: P(viable) {_ci(row['p_viable'], row['ci_low'], row['ci_high'], conf)} in the "
            f"baseline — {_likelihood(float(row['p_viable']))}")
    if len(r) > 1 and r["p_viable"].nunique() == 1:
        text += f"; {row['p_viable']:.2f} in every one of the {len(r)} scenarios"
    elif len(r) > 1:
        lo, hi = r.loc[r["p_viable"].idxmin()], r.loc[r["p_viable"].idxmax()]
        text += (f"; from {lo['p_viable']:.2f} to {hi['p_viable']:.2f} across the {len(r)} scenarios "
                 f"(highest: {hi['label']})")
    k, n, h = int(row["reached_critical_mass"]), int(row["n"]), int(row["horizon_months"])
    if k == 0:
        when = f"No run reached critical mass within the {h}-month horizon"
    elif pd.notna(row["ttcm_median"]):
        q1, q3 = row["ttcm_q1"], row["ttcm_q3"]
        quart = f"quartiles {q1}–{q3 if pd.notna(q3) else f'beyond {h}'}"
        when = f"Critical mass in {k} of {n} runs, typically by month {row['ttcm_median']} ({quart})"
    else:
        first = (f"the earliest quarter by month {row['ttcm_q1']}" if pd.notna(row["ttcm_q1"])
                 else "fewer than a quarter")
        when = (f"Critical mass in {k} of {n} runs; the median month is beyond the {h}-month horizon "
                f"({first})")
    return f"{text}. {when}."


def limiting_reasons(s: Scenario, pole: str) -> tuple[Counter[str], int]:
    """Over the scenario's non-viable replications of ``pole``: how often each reason decided the outcome
    (a feasibility no-go's hard shortfall, else each critical-mass criterion still unmet at the horizon), read
    from the replications' summary.json (kept with ``study.replication_files``); and how many runs were read."""
    counts: Counter[str] = Counter()
    read = 0
    for path in sorted(Path(s.dir).glob("rep-*/summary.json")):
        try:
            p = read_json(path)["poles"][pole]
        except (OSError, ValueError, KeyError):
            continue
        if p.get("viable"):
            continue
        read += 1
        feas = p.get("feasibility", {})
        if feas.get("verdict") == "no-go":
            for m in decisive_shortfalls(feas)[0]:
                counts[f"feasibility no-go: {m.group(1)} below {m.group(3)}"] += 1
        elif feas.get("verdict") == "pending":
            counts["the feasibility study had not taken place"] += 1
        else:
            for k, c in p.get("criteria", {}).items():
                if not c.get("met"):
                    counts[f"{CRITERION_LABELS.get(k, k)} below its threshold of {c['threshold']:g}"] += 1
    return counts, read


def weaker_sentence(s: Scenario, results: pd.DataFrame, pole: str, label: str) -> str:
    """What limits the weaker pole in the reference scenario."""
    reps = s.replications[s.replications["pole"] == pole]
    n = len(reps)
    nogo = int((reps["feasibility_verdict"] == "no-go").sum()) if "feasibility_verdict" in reps else 0
    counts, read = limiting_reasons(s, pole)
    text = f"What limits **{label}**: "
    parts = []
    if n:
        parts.append(f"its feasibility study said no-go in {nogo} of {n} runs")
    if counts:
        top = counts.most_common(2)
        parts.append("of the runs where it was not viable, the deciding reason was most often "
                     + ", then ".join(f"{why} ({c} of {read} runs)" for why, c in top))
    elif read == 0 and n:
        parts.append("(keep the replications' summaries, `study.replication_files=summary`, to see which "
                     "criterion stays unmet)")
    return text + "; ".join(parts) + "."


def lever_sentence(scenarios: list[Scenario], results: pd.DataFrame, swept: list[str], ref: Scenario,
                   pole_labels: dict[str, str]) -> str | None:
    """The swept parameter whose levels move P(viable) most (other parameters at the baseline's values), with
    the paired interval of the difference between its best and worst level."""
    best: tuple[float, str, str, Scenario, Scenario] | None = None
    for key in swept:
        others = [k for k in swept if k != key]
        same = [s for s in scenarios if all(repr(s.parameters.get(k)) == repr(ref.parameters.get(k)) for k in others)]
        if len(same) < 2:
            continue
        for pole in ref.doc["poles"]:
            r = results[(results["pole"] == pole) & results["scenario"].isin([s.key for s in same])]
            if r.empty:
                continue
            hi, lo = r.loc[r["p_viable"].idxmax()], r.loc[r["p_viable"].idxmin()]
            gap = float(hi["p_viable"] - lo["p_viable"])
            if best is None or gap > best[0]:
                by_key = {s.key: s for s in same}
                best = (gap, key, pole, by_key[hi["scenario"]], by_key[lo["scenario"]])
    if best is None:
        return None
    gap, key, pole, s_hi, s_lo = best
    name = parameter_name(key)
    if gap == 0:
        return (f"No swept parameter changed P(viable) in this experiment: {name} and the others gave the same "
                "share of viable runs.")
    a, b = s_hi.outcomes(pole), s_lo.outcomes(pole)
    conf = float(s_hi.doc["confidence"])
    if s_hi.doc["seed"] == s_lo.doc["seed"]:
        common = a.index.intersection(b.index)
        d = stats.paired_difference(a.loc[common].to_numpy(), b.loc[common].to_numpy(), conf)
    else:
        d = stats.unpaired_difference(a.to_numpy(), b.to_numpy(), conf)
    signif = ("the interval excludes 0" if d.low > 0 or d.high < 0
              else "the interval includes 0: more replications are needed to tell")
    return (f"The lever that matters most in this experiment is **{name}**: for {pole_labels.get(pole, pole)}, "
            f"P(viable) is {d.diff:+.2f} ({100 * conf:.0f}% CI {d.low:+.2f} to {d.high:+.2f}, {d.method}) at "
            f"{format_value(s_hi.parameters.get(key))} against {format_value(s_lo.parameters.get(key))}, the "
            f"other parameters at the baseline's values; {signif}.")


def key_findings(scenarios: list[Scenario], results: pd.DataFrame, swept: list[str], ref: Scenario,
                 pole_labels: dict[str, str]) -> list[str]:
    """The findings as plain sentences (``**bold**`` marks the subject), strongest pole first."""
    poles = list(ref.doc["poles"])
    base = results[results["scenario"] == ref.key].set_index("pole")
    order = sorted(poles, key=lambda p: -float(base.loc[p, "p_viable"]) if p in base.index else 0.0)
    out = [pole_sentence(results, ref.key, p, pole_labels.get(p, p)) for p in order if p in base.index]
    if order:
        weak = order[-1]
        if float(base.loc[weak, "p_viable"]) < 0.8:
            out.append(weaker_sentence(ref, results, weak, pole_labels.get(weak, weak)))
    lever = lever_sentence(scenarios, results, swept, ref, pole_labels) if swept else None
    if lever:
        out.append(lever)
    reps = sorted({int(s.doc["replications"]["n"]) for s in scenarios})
    out.append(f"Each figure rests on {reps[0] if len(reps) == 1 else f'{reps[0]} to {reps[-1]}'} replications "
               "per scenario: read the intervals, not only the point estimates.")
    return [t for t in out if t]
