"""What the membership and funnel views show: a matplotlib figure of the data collector's monthly series, and
HTML bars of the model's funnel."""

from __future__ import annotations

import html

from xbsim.model import XBSimModel
from xbsim.outputs.names import verdict_text

FUNNEL_LABELS = {"actors": "actors", "contacted": "contacted", "known": "known", "engaged": "engaged",
                 "met": "met", "partnered": "partnered", "members": "pole members"}


def verdict(model: XBSimModel, pole_index: int) -> str:
    """'constituted at month m', 'feasibility go' or 'conditional go' (not yet constituted), 'feasibility no-go'
    or 'feasibility study at month m'."""
    pole = model.poles[pole_index]
    if pole.constituted:
        return f"constituted at month {pole.constitution_month}"
    if pole.feasibility is None:
        return f"feasibility study at month {model.cfg.feasibility.month}"
    text = f"feasibility {verdict_text(pole.verdict)}"
    return text if pole.verdict == "no-go" else f"{text}, not yet constituted"


def funnel_rows(funnel: dict[str, int]) -> list[dict[str, object]]:
    """Each stage of the funnel: label, count, share of all actors (0..1)."""
    total = max(funnel.get("actors", max(funnel.values(), default=0)), 1)
    return [{"stage": key, "label": FUNNEL_LABELS.get(key, key), "count": int(n), "share": n / total}
            for key, n in funnel.items()]


def funnel_html(funnel: dict[str, int]) -> str:
    """Actors -> contacted -> known -> engaged -> met -> partnered -> pole members as horizontal bars (HTML), on
    the scale of all actors."""
    rows = []
    for r in funnel_rows(funnel):
        share = float(r["share"])  # type: ignore[arg-type]
        colour = "#2ca02c" if r["stage"] == "members" else "#1f77b4"
        rows.append(
            f'<div class="xbsim-funnel-row" data-stage="{html.escape(str(r["stage"]))}">'
            f'<span class="xbsim-funnel-label">{html.escape(str(r["label"]))}</span>'
            f'<span class="xbsim-funnel-track"><span class="xbsim-funnel-bar" '
            f'style="width: {100 * share:.1f}%; background: {colour};"></span></span>'
            f'<span class="xbsim-funnel-count">{r["count"]} ({100 * share:.0f}%)</span></div>')
    return "".join(rows)


FUNNEL_CSS = """
.xbsim-funnel-row { display: flex; align-items: center; gap: 8px; margin: 7px 0; font-size: 0.9em; }
.xbsim-funnel-label { width: 95px; text-align: right; color: #333; }
.xbsim-funnel-track { flex: 1; height: 22px; background: #f1f1f1; }
.xbsim-funnel-bar { display: block; height: 100%; }
.xbsim-funnel-count { width: 95px; font-variant-numeric: tabular-nums; }
"""
