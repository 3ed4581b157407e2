"""The criteria view's content: each pole's critical-mass criteria (value, threshold, met) and its verdicts
(the feasibility study's go / conditional / no-go, and the reassessment of a conditional go), read from
:func:`xbsim.outputs.summary.pole_summary` (the same numbers as the run's summary.json)."""

from __future__ import annotations

import html
from typing import Any

from xbsim.app.params import format_months
from xbsim.model import XBSimModel
from xbsim.outputs.names import CRITERION_LABELS, verdict_text
from xbsim.outputs.summary import pole_summary
from xbsim.programme.poles import number_text


def pole_verdicts(model: XBSimModel) -> list[dict[str, Any]]:
    """Per pole: name, label, members, criteria rows, feasibility verdict (every assessment's, in order, e.g.
    'conditional -> go'), its reasons and conditions, constitution month."""
    feas_month = model.cfg.feasibility.month
    out = []
    for pole in model.poles:
        s = pole_summary(model, pole)
        if pole.feasibility is None:
            feasibility = f"not yet studied (month {feas_month})"
        else:
            feasibility = verdict_text([a["verdict"] for a in s["feasibility"]["assessments"]])
        out.append({
            "name": pole.name,
            "label": s["label"],
            "members": s["members"],
            "member_companies": s["member_companies"],
            "by_territory": s["members_by_territory"],
            "criteria": [{"criterion": CRITERION_LABELS.get(k, k), "value": number_text(v["value"]),
                          "threshold": number_text(v["threshold"]), "met": bool(v["met"])}
                         for k, v in s["criteria"].items()],
            "feasibility": feasibility,
            "reasons": list(s["feasibility"]["reasons"]) if pole.feasibility is not None else [],
            "conditions": list(s["feasibility"]["conditions"]),
            "viable": bool(s["viable"]),
            "constitution_month": s["constitution_month"],
        })
    return out


def programme_line(model: XBSimModel) -> str:
    """What the model runs with, from its own configuration (so the controls' effect can be read)."""
    c = model.cfg
    months = c.b2b.events
    events = f"{len(months)} B2B event{'s' if len(months) != 1 else ''}"
    events += f" (months {format_months(months)})" if months else ""
    cms = sorted({p.critical_mass.min_members for p in c.poles.values()})
    pop = model.population
    companies = int(pop.is_company.sum())
    return (f"{companies} companies and {pop.n - companies} other actors · {events}, up to "
            f"{c.b2b.max_meetings_per_participant} meetings each · accompaniment "
            f"{c.accompaniment.capacity} actors/team/month · "
            f"border friction x{c.clues.friction_scale:g} · critical mass {'/'.join(map(str, cms))} "
            f"members · seed {c.seed}")


def criteria_html(model: XBSimModel) -> str:
    """The programme and a table of criteria per pole, as HTML (text escaped; the month is shown apart)."""
    e = html.escape
    parts = [f'<p class="xbsim-programme">{e(programme_line(model))}</p>']
    for p in pole_verdicts(model):
        status = f"constituted at month {p['constitution_month']}" if p["viable"] else "not constituted"
        terr = ", ".join(f"{code} {n}" for code, n in p["by_territory"].items())
        rows = "".join(
            f'<tr class="{"met" if r["met"] else "unmet"}"><td>{e(r["criterion"])}</td>'
            f'<td>{e(r["value"])}</td>'
            f'<td>{e(r["threshold"])}</td><td>{"&#10004; yes" if r["met"] else "&#10008; no"}</td></tr>'
            for r in p["criteria"])
        reasons = (f'<p class="xbsim-reasons">Feasibility study: {e("; ".join(p["reasons"]))}.</p>'
                   if p["reasons"] else "")
        reasons += (f'<p class="xbsim-conditions">Conditions: {e("; ".join(p["conditions"]))}.</p>'
                    if p["conditions"] else "")
        parts.append(
            f'<div class="xbsim-pole" data-pole="{e(p["name"])}">'
            f'<h4>{e(p["name"])}: {e(status)}</h4>'
            f'<p>{e(p["label"])}. Feasibility: <b class="xbsim-feasibility">{e(p["feasibility"])}</b>. '
            f"Members: {p['members']}, {p['member_companies']} of them companies ({e(terr)}).</p>"
            '<table class="xbsim-criteria-table"><thead><tr><th>criterion</th><th>value</th>'
            f"<th>threshold</th><th>met</th></tr></thead><tbody>{rows}</tbody></table>{reasons}</div>")
    return "\n".join(parts)


CRITERIA_CSS = """
.xbsim-criteria h4 { margin: 10px 0 2px 0; font-size: 1em; }
.xbsim-criteria p { margin: 2px 0; font-size: 0.85em; }
.xbsim-criteria-table { border-collapse: collapse; font-size: 0.85em; margin: 4px 0; }
.xbsim-criteria-table th, .xbsim-criteria-table td { padding: 1px 10px; border-bottom: 1px solid #ddd; }
.xbsim-criteria-table td:nth-child(2), .xbsim-criteria-table td:nth-child(3) { text-align: right; }
.xbsim-criteria-table tr.met td:last-child { color: #2e7d32; }
.xbsim-criteria-table tr.unmet td:last-child { color: #c62828; }
.xbsim-reasons { color: #555; }
.xbsim-conditions { color: #8a5a00; }
"""
