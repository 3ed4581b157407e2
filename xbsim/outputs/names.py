"""Human names for what the figures and reports show: configuration keys (swept parameters), territories
("Aquitaine (FR61)") and poles (their configured label), so a reader never has to decode a config key."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from typing import Any

#: Configuration key -> the name a reader sees (the keys the shipped experiments and the app sweep).
PARAMETER_NAMES: dict[str, str] = {
    "seed": "seed",
    "horizon_months": "horizon (months)",
    "replications": "replications",
    "population.n_companies": "companies simulated",
    "b2b.events": "B2B event months",
    "b2b.max_meetings_per_participant": "B2B meetings per participant (max)",
    "b2b.scope": "B2B matching scope",
    "b2b.slots": "B2B meeting slots per event",
    "accompaniment.capacity": "accompaniment capacity (actors per team per month)",
    "outreach.contacts_per_month": "outreach contacts per month",
    "feasibility.month": "month of the feasibility study",
    "feasibility.reassessment_month": "month of the feasibility reassessment",
    "feasibility.min_interested": "feasibility: interested actors needed",
    "joining.cost": "cost of joining a pole",
    "joining.rate": "monthly joining reconsideration rate",
    "clues.language_friction": "language friction",
    "clues.friction_scale": "border friction (x default)",
    "workshops.end": "last month of workshops",
}
#: Critical-mass criterion (summary.json) -> what a reader calls it.
CRITERION_LABELS: dict[str, str] = {
    "members": "members",
    "members_per_territory": "members in the smallest territory",
    "member_types": "actor types among the members",
    "sme_share": "SME share",
    "value_chain_coverage": "value-chain coverage",
    "cross_border_partner_share": "share with a cross-border partner",
}
#: Critical-mass threshold key -> its name (poles.<pole>.critical_mass.<key>).
CRITERION_NAMES: dict[str, str] = {
    "min_members": "members needed",
    "min_members_per_territory": "members needed in every territory",
    "min_member_types": "actor types needed",
    "min_sme_share": "SME share needed",
    "min_value_chain_coverage": "value-chain coverage needed",
    "min_cross_border_partner_share": "share with a cross-border partner needed",
}


#: How a feasibility verdict reads in every console line, figure, app view and report ("conditional" alone is
#: the verdict's code, not a phrase).
VERDICT_TEXT: dict[str, str] = {"go": "go", "conditional": "conditional go", "no-go": "no-go",
                                "pending": "not yet studied"}


def verdict_text(verdicts: str | list[str] | None) -> str:
    """'conditional go then go': the feasibility verdict(s) of a pole as words ('not yet studied' for none)."""
    codes = [verdicts] if isinstance(verdicts, str) else list(verdicts or [])
    return " then ".join(VERDICT_TEXT.get(v, v) for v in codes) or VERDICT_TEXT["pending"]


def parameter_name(key: str) -> str:
    """The reader's name of a configuration key: from :data:`PARAMETER_NAMES`, a critical-mass criterion as
    "<pole>: members needed", otherwise the key's last two parts in words ("joining: cost")."""
    if key in PARAMETER_NAMES:
        return PARAMETER_NAMES[key]
    parts = key.split(".")
    if len(parts) == 4 and parts[0] == "poles" and parts[2] == "critical_mass":
        return f"{parts[1]}: {CRITERION_NAMES.get(parts[3], parts[3].replace('_', ' '))}"
    words = [p.replace("_", " ") for p in parts[-2:]]
    return ": ".join(words)


def format_value(value: Any) -> str:
    """A parameter value as a reader writes it (lists without brackets' noise: "6, 12, 18")."""
    if isinstance(value, list | tuple):
        return "months " + ", ".join(map(str, value)) if all(isinstance(v, int) for v in value) else str(value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def scenario_label(params: Mapping[str, Any], keys: list[str]) -> str:
    """The whole label of a scenario: every swept parameter's name and value, "; "-separated."""
    return "; ".join(f"{parameter_name(k)} = {format_value(params.get(k, 'default'))}" for k in keys)


def wrap(text: str, width: int = 38) -> str:
    """``text`` broken into lines of at most ``width`` characters (never cut: labels stay whole)."""
    return "\n".join(textwrap.wrap(text, width, break_on_hyphens=False)) or text


def _entry(node: Any, key: str) -> Any:
    """``node[key]`` of a plain config section, ``node.key`` of a typed one (None when absent)."""
    return node.get(key) if isinstance(node, Mapping) else getattr(node, key, None)


def territory_name(territories: Mapping[str, Any], code: str) -> str:
    """"Aquitaine (FR61)" from the configured territories, plain or typed (the code alone when it has no name)."""
    name = _entry(territories.get(code), "name") if isinstance(territories, Mapping) else None
    return f"{name} ({code})" if name else code


def pole_label(poles: Mapping[str, Any], name: str) -> str:
    """A pole's configured label ("Cross-border pole for agri-food and health"), its id when it has none."""
    label = _entry(poles.get(name), "label") if isinstance(poles, Mapping) and poles.get(name) is not None else None
    return str(label) if label else name


def pole_short(poles: Mapping[str, Any], name: str) -> str:
    """A pole's label without the common prefix "Cross-border pole for " (figure titles)."""
    label = pole_label(poles, name)
    for prefix in ("Cross-border pole for ", "cross-border pole for "):
        if label.startswith(prefix):
            rest = label[len(prefix):]
            return rest[0].upper() + rest[1:]
    return label
