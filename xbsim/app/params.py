"""The app's controls (Mesa ``model_params``) and the Hydra overrides each control stands for.

Each control is a keyword parameter of :class:`~xbsim.app.appmodel.AppModel`; its default is the value in the
configuration the command line composed, so the page starts on exactly the scenario ``xbsim`` would run.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from omegaconf import DictConfig, OmegaConf

#: Control name -> the configuration key it sets (poles.* means every pole).
KEYS: dict[str, str] = {
    "n_companies": "population.n_companies",
    "b2b_events": "b2b.events",
    "max_meetings_per_participant": "b2b.max_meetings_per_participant",
    "accompaniment_capacity": "accompaniment.capacity",
    "friction_scale": "clues.friction_scale",
    "min_members": "poles.*.critical_mass.min_members",
    "seed": "seed",
}
LABELS: dict[str, str] = {
    "n_companies": "Companies (0: the real population)",
    "b2b_events": "B2B event months (e.g. 6, 12, 18)",
    "max_meetings_per_participant": "B2B meetings each",
    "accompaniment_capacity": "Accompaniment",
    "friction_scale": "Border friction",
    "min_members": "Critical mass",
    "seed": "Random seed",
}
MAX_COMPANIES = 20_000  # the companies slider's range: 0 (the real target population) .. 20,000


def _plain(cfg: DictConfig | Mapping[str, Any]) -> dict[str, Any]:
    return OmegaConf.to_container(cfg, resolve=True) if isinstance(cfg, DictConfig) else dict(cfg)


def format_months(months: Sequence[int]) -> str:
    """``[6, 12]`` -> ``"6, 12"`` (the text of the B2B months control)."""
    return ", ".join(str(int(m)) for m in months)


def parse_months(text: str | Sequence[int]) -> list[int]:
    """``"6, 12 18"`` -> ``[6, 12, 18]``; an empty text means no event. ValueError names a bad item."""
    if not isinstance(text, str):
        return [int(m) for m in text]
    items = [t for t in re.split(r"[,;\s]+", text.strip().strip("[]")) if t]
    months = []
    for item in items:
        if not re.fullmatch(r"\d+", item):
            raise ValueError(f"'{item}' is not a month number (write e.g. 6, 12, 18)")
        months.append(int(item))
    return months


def parse_seed(value: int | str) -> int:
    """A seed from the seed box (an integer >= 0); raises ValueError otherwise."""
    text = str(value).strip()
    if not re.fullmatch(r"\d+", text):
        raise ValueError(f"'{value}' is not a whole number >= 0")
    return int(text)


def uniform_min_members(cfg: DictConfig | Mapping[str, Any]) -> int | None:
    """The poles' common critical mass (min_members), or None when the poles differ."""
    values = {int(p["critical_mass"]["min_members"]) for p in _plain(cfg)["poles"].values()}
    return values.pop() if len(values) == 1 else None


def controls(cfg: DictConfig | Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Mesa user parameters (sliders and text boxes), each defaulting to the composed configuration."""
    c = _plain(cfg)
    n, b2b, acc = c["population"]["n_companies"] or 0, c["b2b"], c["accompaniment"]["capacity"]
    friction = float(c["clues"]["friction_scale"])
    common = uniform_min_members(c)
    cm_label = LABELS["min_members"] if common is not None else LABELS["min_members"] + " (0: as configured)"
    return {
        "n_companies": {"type": "SliderInt", "label": LABELS["n_companies"], "value": n, "min": 0,
                        "max": max(MAX_COMPANIES, n), "step": 50},
        "b2b_events": {"type": "InputText", "label": LABELS["b2b_events"],
                       "value": format_months(b2b["events"])},
        "max_meetings_per_participant": {
            "type": "SliderInt", "label": LABELS["max_meetings_per_participant"],
            "value": b2b["max_meetings_per_participant"], "min": 1, "max": b2b["slots"], "step": 1},
        "accompaniment_capacity": {"type": "SliderInt", "label": LABELS["accompaniment_capacity"],
                                   "value": acc, "min": 0, "max": max(50, acc), "step": 1},
        "friction_scale": {"type": "SliderFloat", "label": LABELS["friction_scale"], "value": friction,
                           "min": 0.0, "max": max(3.0, friction), "step": 0.1},
        "min_members": {"type": "SliderInt", "label": cm_label, "value": common if common is not None else 0,
                        "min": 1 if common is not None else 0, "max": max(60, common or 0), "step": 1},
        "seed": {"type": "InputText", "label": LABELS["seed"], "value": str(c["seed"])},
    }


def model_params(cfg: DictConfig | Mapping[str, Any], overrides: Sequence[str]) -> dict[str, Any]:
    """SolaraViz ``model_params``: the controls plus the command line's overrides as a fixed parameter."""
    return {**controls(cfg), "overrides": list(overrides)}


def initial_values(params: Mapping[str, Any]) -> dict[str, Any]:
    """The keyword arguments of the first model: each control's default and each fixed parameter."""
    return {k: (v["value"] if isinstance(v, dict) and "type" in v else v) for k, v in params.items()}


def to_overrides(name: str, value: Any, pole_names: Sequence[str]) -> list[str]:
    """The Hydra overrides that set control ``name`` to ``value``; raises ValueError for an unreadable value.
    ``min_members`` 0 (poles configured differently) sets nothing; ``n_companies`` 0 is the real target
    population (``population.n_companies=null``)."""
    if name == "b2b_events":
        return [f"b2b.events=[{','.join(str(m) for m in parse_months(value))}]"]
    if name == "seed":
        return [f"seed={parse_seed(value)}"]
    if name == "min_members":
        if int(value) == 0:
            return []
        return [f"poles.{p}.critical_mass.min_members={int(value)}" for p in pole_names]
    if name == "friction_scale":
        return [f"{KEYS[name]}={round(float(value), 6)!r}"]  # a slider's 0.30000000000000004 -> 0.3
    if name == "n_companies" and int(value) == 0:
        return [f"{KEYS[name]}=null"]
    return [f"{KEYS[name]}={int(value)}"]
