"""The short human summary printed at the end of a run: per pole the verdict and the one reason that decided
it, the funnel with equal stages merged (so "357 -> 357 -> 357" reads as one stage), B2B registrations apart
from the actors they count, and the population warnings of summary.json."""

from __future__ import annotations

import re
from typing import Any

from xbsim.outputs.names import CRITERION_LABELS, verdict_text
from xbsim.programme.feasibility import CHECKS

#: A feasibility reason that fell short: "label: value < threshold".
SHORTFALL = re.compile(r"^([^:]+):\s*(.+?)\s<\s(.+)$")
#: Labels of the feasibility checks whose shortfall is always a no-go (never a condition of a conditional go).
HARD_CHECKS = {label for label, _key, conditional in CHECKS.values() if not conditional}


def decisive_shortfalls(feas: dict[str, Any]) -> tuple[list[re.Match[str]], int]:
    """What decided a no-go (summary.json's feasibility record): the shortfalls of the checks that are never a
    condition, or every shortfall when there is none of those; and how many other shortfalls a conditional go
    could have accepted. Each match holds the check's label, the value and the threshold."""
    failed = [m for m in (SHORTFALL.match(r) for r in feas.get("reasons", [])) if m]
    decisive = [m for m in failed if m.group(1) in HARD_CHECKS] or failed
    return decisive, len(failed) - len(decisive)


def deciding_reason(pole: dict[str, Any], horizon: int) -> str:
    """Why a pole is or is not viable, in one clause: the month it was constituted; otherwise the feasibility
    no-go and its failed checks; the study not reached yet; or the critical-mass criteria still unmet."""
    if pole["viable"]:
        return f"constituted in month {pole['constitution_month']}"
    feas = pole["feasibility"]
    if feas.get("verdict") == "pending":
        return f"the feasibility study (month {feas.get('month')}) had not taken place by month {horizon}"
    if feas.get("verdict") == "no-go":
        decisive, others = decisive_shortfalls(feas)
        more = f" (and {others} shortfall(s) a conditional go could have accepted)" if others else ""
        text = "; ".join(m.group(0) for m in decisive)
        return "feasibility no-go: " + (text or "the study refused it") + more
    unmet = [(k, c) for k, c in pole["criteria"].items() if not c["met"]]
    if not unmet:
        return "critical mass not reached within the horizon"
    text = "; ".join(f"{CRITERION_LABELS.get(k, k)} {_num(c['value'])} < {_num(c['threshold'])}" for k, c in unmet)
    verdict = verdict_text(feas.get("verdict", "go"))
    return f"feasibility {verdict}, then critical mass not reached by month {horizon}: {text}"


def funnel_line(funnel: dict[str, int]) -> str:
    """'actors 354 -> contacted 350 -> known = engaged 333 -> met 330 ...' (equal neighbours merged)."""
    groups: list[tuple[list[str], int]] = []
    for stage, n in funnel.items():
        if groups and groups[-1][1] == n:
            groups[-1][0].append(stage)
        else:
            groups.append(([stage], n))
    return " -> ".join(f"{' = '.join(names)} {n}" for names, n in groups)


def console_summary(summary: dict[str, Any], outdir: str) -> str:
    f, b = summary["funnel"], summary["b2b"]
    lines = [f"xbsim: {summary['horizon_months']} months, seed {summary['seed']}"]
    pop = summary.get("population", {})
    if pop.get("surveyed"):
        lines.append(f"population: {pop['surveyed']} surveyed companies, {pop['synthetic']} synthetic, "
                     f"{pop.get('other_actors', 0)} other actors")
    for warning in summary.get("warnings", []):
        lines.append(f"WARNING: {warning}")
    lines.append("funnel (actors at each stage): " + funnel_line(f))
    r = b["rates"]
    actors = b.get("distinct_participants")
    who = f" by {actors} distinct actors" if actors is not None else ""
    lines.append(
        f"B2B: {b['events']} events, {b['participants']} registrations{who}, {b['held']} meetings held "
        f"(accepted {_pct(r['acceptance_rate'])} of requests, held {_pct(r['held_rate'])} of booked, "
        f"follow-up {_pct(r['follow_up_rate'])}), {b['partnerships']} partnerships from B2B")
    for name, p in summary["poles"].items():
        verdict = "VIABLE" if p["viable"] else "not viable"
        terr = ", ".join(f"{k} {v}" for k, v in p["members_by_territory"].items())
        lines.append(f"pole {name}: {verdict} — {deciding_reason(p, summary['horizon_months'])}; "
                     f"{p['members']} members ({p.get('member_companies', p['members'])} companies; {terr})")
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


def _num(x: Any) -> str:
    x = float(x)
    return f"{x:.0f}" if x.is_integer() else f"{x:.2f}"


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:.0f}%"
