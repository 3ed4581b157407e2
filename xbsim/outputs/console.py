"""The short human summary printed at the end of a run."""

from __future__ import annotations

from typing import Any


def console_summary(summary: dict[str, Any], outdir: str) -> str:
    f, b = summary["funnel"], summary["b2b"]
    lines = [f"xbsim: {summary['horizon_months']} months, seed {summary['seed']}"]
    pop = summary.get("population", {})
    if pop.get("surveyed"):
        lines.append(f"population: {pop['surveyed']} surveyed companies, {pop['synthetic']} synthetic, "
                     f"{pop.get('other_actors', 0)} other actors")
    lines.append("funnel: " + " -> ".join(f"{k} {v}" for k, v in f.items()))
    r = b["rates"]
    lines.append(
        f"B2B: {b['events']} events, {b['participants']} registrations, {b['held']} meetings held "
        f"(accepted {_pct(r['acceptance_rate'])} of requests, held {_pct(r['held_rate'])} of booked, "
        f"follow-up {_pct(r['follow_up_rate'])}), {b['partnerships']} partnerships from B2B")
    for name, p in summary["poles"].items():
        verdict = (f"VIABLE, constituted in month {p['constitution_month']}" if p["viable"]
                   else "not viable within the horizon")
        feas = " -> ".join(a["verdict"] for a in p["feasibility"].get("assessments", [])) or "pending"
        unmet = [k for k, c in p["criteria"].items() if not c["met"]]
        terr = ", ".join(f"{k} {v}" for k, v in p["members_by_territory"].items())
        lines.append(f"pole {name}: {verdict}; feasibility {feas}; {p['members']} members "
                     f"({p.get('member_companies', p['members'])} companies; {terr})"
                     + (f"; unmet: {', '.join(unmet)}" if unmet else ""))
        for cond in p["feasibility"].get("conditions", []):
            lines.append(f"  condition: {cond}")
        if p["reachable_markets"]:
            lines.append(f"  reachable markets: {', '.join(p['reachable_markets'])}")
    if "indicators" in summary:
        lines.append(indicator_line(summary))
    lines.append(f"outputs: {outdir}")
    return "\n".join(lines)


def indicator_line(summary: dict[str, Any]) -> str:
    """The Interreg indicators of a run in one line, with each planner's target met or not."""
    v, targets = summary["indicators"], summary.get("indicator_targets", {})
    after = summary.get("indicator_settings", {}).get("after_months")
    parts = []
    for key in ("RCO87", "RCR84", "RCO01", "RCO10", "RCO83", "RCO116"):
        text = f"{key} {v[key]}" + (f" ({after} months after)" if key == "RCR84" and after is not None else "")
        if key in targets:
            text += f" [target {targets[key]['target']:g} {'met' if targets[key]['met'] else 'not met'}]"
        parts.append(text)
    sizes = ", ".join(f"{s} {v[f'RCO01.{s}']}" for s in ("micro", "small", "medium", "large"))
    return f"Interreg indicators: {'; '.join(parts)} (RCO01 = RCO04: {sizes})"


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:.0f}%"
