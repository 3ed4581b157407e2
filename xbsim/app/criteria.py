"""The criteria view's content: each pole's critical-mass criteria (value, threshold, met) and its verdicts,
read from :func:`xbsim.outputs.summary.pole_summary` (the same numbers as the run's summary.json)."""

from __future__ import annotations

from typing import Any

from xbsim.app.params import format_months
from xbsim.model import XBSimModel
from xbsim.outputs.summary import pole_summary

CRITERION_LABELS = {
    "members": "members",
    "members_per_territory": "members in the smallest territory",
    "sme_share": "SME share",
    "value_chain_coverage": "value-chain coverage",
    "cross_border_partner_share": "share with a cross-border partner",
}


def _fmt(x: Any) -> str:
    if isinstance(x, bool) or x is None:
        return str(x)
    x = float(x)
    return f"{x:.0f}" if x.is_integer() else f"{x:.2f}"


def pole_verdicts(model: XBSimModel) -> list[dict[str, Any]]:
    """Per pole: name, label, members, criteria rows, feasibility verdict and reasons, constitution month."""
    feas_month = model.cfg["feasibility"]["month"]
    out = []
    for pole in model.poles:
        s = pole_summary(model, pole)
        if pole.feasibility is None:
            feasibility = f"not yet studied (month {feas_month})"
        else:
            feasibility = "go" if s["feasibility"]["go"] else "no-go"
        out.append({
            "name": pole.name,
            "label": s["label"],
            "members": s["members"],
            "by_territory": s["members_by_territory"],
            "criteria": [{"criterion": CRITERION_LABELS.get(k, k), "value": _fmt(v["value"]),
                          "threshold": _fmt(v["threshold"]), "met": bool(v["met"])}
                         for k, v in s["criteria"].items()],
            "feasibility": feasibility,
            "reasons": list(s["feasibility"]["reasons"]) if pole.feasibility is not None else [],
            "viable": bool(s["viable"]),
            "constitution_month": s["constitution_month"],
        })
    return out


def programme_line(model: XBSimModel) -> str:
    """What the model runs with, from its own configuration (so the controls' effect can be read)."""
    c = model.cfg
    months = c["b2b"]["events"]
    events = f"{len(months)} B2B event{'s' if len(months) != 1 else ''}"
    events += f" (months {format_months(months)})" if months else ""
    cms = sorted({p["critical_mass"]["min_members"] for p in c["poles"].values()})
    return (f"{model.population.n} companies · {events}, up to {c['b2b']['max_meetings_per_participant']} "
            f"meetings each · accompaniment {c['accompaniment']['capacity']} companies/team/month · "
            f"border friction x{c['clues']['friction_scale']:g} · critical mass {'/'.join(map(str, cms))} "
            f"members · seed {c['seed']}")


def criteria_markdown(model: XBSimModel) -> str:
    """The programme and one table of criteria per pole, as Markdown (the month is shown apart)."""
    lines = [programme_line(model), ""]
    for p in pole_verdicts(model):
        status = f"constituted at month {p['constitution_month']}" if p["viable"] else "not constituted"
        terr = ", ".join(f"{code} {n}" for code, n in p["by_territory"].items())
        lines += [f"#### {p['name']}: {status}", "",
                  f"{p['label']}. Feasibility: **{p['feasibility']}**. Members: {p['members']} ({terr}).", "",
                  "| criterion | value | threshold | met |", "|---|---:|---:|:---:|"]
        lines += [f"| {r['criterion']} | {r['value']} | {r['threshold']} | {'✔' if r['met'] else '✘'} |"
                  for r in p["criteria"]]
        if p["reasons"]:
            lines += ["", "Feasibility study: " + "; ".join(p["reasons"]) + "."]
        lines.append("")
    return "\n".join(lines)
