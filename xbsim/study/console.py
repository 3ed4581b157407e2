"""The short human summary of a replicated scenario, printed at the end of ``xbsim`` runs with R > 1."""

from __future__ import annotations

from typing import Any


def scenario_summary(doc: dict[str, Any], outdir: str) -> str:
    reps = doc["replications"]
    conf = round(100 * doc["confidence"])
    lines = [f"xbsim: scenario {doc['scenario']}, {reps['n']} replications ({reps['stop_reason']}), "
             f"seed {doc['seed']}, {doc['horizon_months']} months"]
    for name, p in doc["poles"].items():
        t = p["time_to_critical_mass"]
        if t["median"] is not None:
            when = f"median time to critical mass {t['median']:.0f} months"
            if t["q1"] is not None and t["q3"] is not None:
                when += f" (quartiles {t['q1']:.0f}-{t['q3']:.0f})"
            elif t["q1"] is not None:
                when += f" (first quartile {t['q1']:.0f}, third beyond the horizon)"
        else:
            when = f"critical mass reached in {t['events']} of {t['n']} runs (median beyond the horizon)"
        lines.append(f"pole {name}: P(viable) {p['p_viable']:.2f} [{conf}% CI {p['ci_low']:.2f}-{p['ci_high']:.2f}], "
                     f"{when}; {p['members']['mean']:.0f} members on average")
    ind = doc.get("indicators") or {}
    if ind:
        parts = []
        for key in ("RCO87", "RCR84", "RCO01", "RCO10", "RCO83", "RCO116"):
            r = ind[key]
            text = f"{key} {r['mean']:.1f} [{_ci(r)}]"
            if "target" in r:
                text += f" P(>= {r['target']:g}) {r['p_met']:.2f} [{r['p_met_low']:.2f}-{r['p_met_high']:.2f}]"
            parts.append(text)
        lines.append(f"Interreg indicators, mean [{conf}% CI]: " + "; ".join(parts))
    lines.append(f"outputs: {outdir}")
    return "\n".join(lines)


def _ci(r: dict[str, Any]) -> str:
    """The interval of a mean, or n/a when it is undefined (one replication)."""
    low, high = r["ci_low"], r["ci_high"]
    return "n/a" if low != low or high != high else f"{low:.1f}-{high:.1f}"
