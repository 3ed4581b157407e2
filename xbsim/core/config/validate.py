"""Domain checks of a composed configuration, run before any simulation.

Hydra and the dataclass schema refuse wrong types and unknown keys; this module refuses values outside their
domain (negative counts, probabilities outside [0, 1], months beyond the horizon, references to areas or
territories that do not exist), non-finite numbers anywhere, keys a config file left without a value (``???``),
values that contradict each other (a territory's sectors employing more than the territory), sizes above the
documented caps and runs whose memory estimate exceeds the memory available (:mod:`xbsim.core.config.resources`).
Each problem is one line naming the key, the value and what is allowed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import fields, is_dataclass
from functools import cache
from typing import Any, get_args, get_origin, get_type_hints

from omegaconf import DictConfig, OmegaConf

from xbsim.core.config import resources
from xbsim.core.config.schema import (
    COMPANY,
    EMPLOYEE_RANGES,
    SIZE_CLASSES,
    Check,
    XBSimConfig,
    indicator_keys,
)
from xbsim.core.errors import InputError


class ConfigError(InputError):
    """A configuration value outside its domain; ``str(err)`` is one line for the user."""

    def __init__(self, key: str, value: Any, allowed: str) -> None:
        self.key, self.value, self.allowed = key, value, allowed
        super().__init__(f"config error: {key}={value!r} is not allowed; allowed: {allowed}")


def _check(ok: bool, key: str, value: Any, allowed: str) -> None:
    if not ok:
        raise ConfigError(key, value, allowed)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


MISSING_VALUE = "???"


def _leaves(node: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """(dotted key, value) of every leaf of a plain config (list items as key[i])."""
    if isinstance(node, Mapping):
        for k, v in node.items():
            yield from _leaves(v, f"{path}.{k}" if path else str(k))
    elif isinstance(node, list | tuple):
        for i, v in enumerate(node):
            yield from _leaves(v, f"{path}[{i}]")
    else:
        yield path, node


def _complete_and_finite(c: Mapping[str, Any]) -> None:
    """Every key has a value (a config file may not leave a required key out) and every number is finite."""
    missing = [k for k, v in _leaves(c) if isinstance(v, str) and v == MISSING_VALUE]  # OmegaConf's MISSING
    if missing:
        raise ConfigError(missing[0], MISSING_VALUE, "a value: this key is required (add it to the config file that "
                          "defines its section, or give it on the command line)")
    for key, v in _leaves(c):
        if isinstance(v, float) and not math.isfinite(v):
            raise ConfigError(key, v, "a finite number")


def _probability(key: str, value: Any) -> None:
    _check(_is_number(value) and 0.0 <= value <= 1.0, key, value, "a probability in [0, 1]")


def _non_negative(key: str, value: Any) -> None:
    _check(_is_number(value) and value >= 0, key, value, "a number >= 0")


def _int_at_least(key: str, value: Any, low: int) -> None:
    _check(isinstance(value, int) and not isinstance(value, bool) and value >= low, key, value,
           f"an integer >= {low}")


def _month(key: str, value: Any, horizon: int, low: int = 0) -> None:
    _check(isinstance(value, int) and low <= value <= horizon, key, value,
           f"a month in {low}..{horizon} (horizon_months)")


def _known(key: str, values: Iterable[str], known: Iterable[str], what: str) -> None:
    known = list(known)
    for v in values:
        _check(v in known, key, v, f"one of the configured {what}: {', '.join(known)}")


def _at_least_one(key: str, value: Any) -> None:
    _check(_is_number(value) and value >= 1, key, value, "a number >= 1")


def _declared(key: str, value: Any, check: Check, horizon: int) -> None:
    """Enforce a field's declared domain (:class:`~xbsim.core.config.schema.Check`)."""
    if check is Check.probability:
        _probability(key, value)
    elif check is Check.non_negative:
        _non_negative(key, value)
    elif check is Check.count:
        _int_at_least(key, value, 0)
    elif check is Check.positive:
        _int_at_least(key, value, 1)
    elif check is Check.at_least_one:
        _at_least_one(key, value)
    else:
        _month(key, value, horizon, low=1)


@cache
def _declarations(cls: type) -> tuple[tuple[str, Check | None, Any, type | None, bool], ...]:
    """(field, check, choices, dataclass type, one per dict key) of every field of a schema dataclass."""
    hints = get_type_hints(cls)
    out = []
    for f in fields(cls):
        typ, mapped = hints[f.name], False
        if get_origin(typ) is dict and is_dataclass(get_args(typ)[1]):
            typ, mapped = get_args(typ)[1], True
        out.append((f.name, f.metadata.get("check"), f.metadata.get("choices"), typ if is_dataclass(typ) else None,
                    mapped))
    return tuple(out)


def _declared_domains(cls: type, node: Any, horizon: int, path: str = "") -> None:
    """Walk the schema's fields over a plain config and enforce each declared check and choice (keys a config
    saved before a section existed lacks are skipped)."""
    if not isinstance(node, Mapping):
        return
    for name, check, choices, sub, mapped in _declarations(cls):
        if name not in node:
            continue
        key, value = f"{path}{name}", node[name]
        if check is not None:
            _declared(key, value, check, horizon)
        if choices is not None:
            _check(value in tuple(choices), key, value, ", ".join(choices))
        if sub is not None and mapped:
            for item, child in (value or {}).items():
                _declared_domains(sub, child, horizon, f"{key}.{item}.")
        elif sub is not None:
            _declared_domains(sub, value, horizon, f"{key}.")


def validate(cfg: DictConfig | Mapping[str, Any]) -> None:
    """Raise :class:`ConfigError` for the first value outside its domain; return None when all is well."""
    c = OmegaConf.to_container(cfg, resolve=True) if isinstance(cfg, DictConfig) else dict(cfg)
    _complete_and_finite(c)
    _int_at_least("horizon_months", c["horizon_months"], 1)
    horizon = c["horizon_months"]
    _check(horizon <= resources.MAX_HORIZON_MONTHS, "horizon_months", horizon,
           f"at most {resources.MAX_HORIZON_MONTHS} months (a documented cap, docs/ODD.md section 8)")

    areas, dims, territories = c["areas"], c["dimensions"], c["territories"]
    _check(len(areas) >= 1, "areas", areas, "at least one specialisation area")
    _check(len(dims) >= 1, "dimensions", dims, "at least one capability/need dimension")
    _check(len(territories) >= 2, "territories", list(territories), "at least two territories")
    for name, area in areas.items():
        _check(len(area["segments"]) >= 1, f"areas.{name}.segments", area["segments"],
               "a non-empty list of value-chain segments")
        _check(len(set(area["segments"])) == len(area["segments"]), f"areas.{name}.segments",
               area["segments"], "distinct segment names")
        shares = area["segment_shares"]
        _check(len(shares) in (0, len(area["segments"])), f"areas.{name}.segment_shares", shares,
               f"empty (equal shares) or one share per segment ({len(area['segments'])})")
        for i, s in enumerate(shares):
            _non_negative(f"areas.{name}.segment_shares[{i}]", s)
        _check(not shares or sum(shares) > 0, f"areas.{name}.segment_shares", shares, "shares summing to > 0")
        for other, value in (area.get("related") or {}).items():
            _known(f"areas.{name}.related", [other], areas, "areas")
            _check(other != name, f"areas.{name}.related.{other}", value, "another area (an area is related to "
                   "itself by definition)")
            _probability(f"areas.{name}.related.{other}", value)
            back = (areas[other].get("related") or {}).get(name)
            _check(back is None or back == value, f"areas.{other}.related.{name}", back,
                   f"the same value as areas.{name}.related.{other} ({value}): relatedness is symmetric")
    for code, terr in territories.items():
        _check(len(terr["languages"]) >= 1, f"territories.{code}.languages", terr["languages"],
               "at least one language code")
        _known(f"territories.{code}.s3_areas", terr["s3_areas"], areas, "areas")
        _known(f"territories.{code}.employment", terr["employment"], areas, "areas")
        _check(_is_number(terr["total_employment"]) and terr["total_employment"] > 0,
               f"territories.{code}.total_employment", terr["total_employment"], "a number > 0")
        for area, value in terr["employment"].items():
            _non_negative(f"territories.{code}.employment.{area}", value)
        employed = sum(terr["employment"].values())
        _check(employed > 0, f"territories.{code}.employment", terr["employment"],
               "persons employed in at least one configured area (a territory without employment gets no companies)")
        _check(employed <= terr["total_employment"], f"territories.{code}.total_employment",
               terr["total_employment"], f"at least the sum of territories.{code}.employment ({employed:g}): the "
               "areas are part of the territory's business economy")
        _check(-90 <= terr["lat"] <= 90, f"territories.{code}.lat", terr["lat"], "a latitude in [-90, 90]")
        _check(-180 <= terr["lon"] <= 180, f"territories.{code}.lon", terr["lon"], "a longitude in [-180, 180]")
    _check(sum(sum(t["employment"].values()) for t in territories.values()) > 0, "territories.*.employment",
           0, "some employment in at least one area")

    searched = bool((c.get("search") or {}).get("enabled"))  # the search is checked only when it runs
    _declared_domains(XBSimConfig, {k: v for k, v in c.items() if k != "search" or searched}, horizon)

    pop = c["population"]
    _check(pop["source"] != "survey" or bool(pop["path"]), "population.path", pop["path"],
           "the path of a survey file (CSV or XLSX) when population.source=survey")
    _check(pop["n_companies"] is None or (isinstance(pop["n_companies"], int)
                                          and 1 <= pop["n_companies"] <= resources.MAX_COMPANIES),
           "population.n_companies", pop["n_companies"],
           f"null (the real target population) or an integer in 1..{resources.MAX_COMPANIES:,} (a documented cap)")
    _check(pop["openness_concentration"] > 0, "population.openness_concentration",
           pop["openness_concentration"], "a number > 0")
    _check(0 < pop["openness_mean"] < 1, "population.openness_mean", pop["openness_mean"],
           "a number strictly between 0 and 1 (the mean of a Beta distribution)")
    _check(set(pop["size_classes"]) == set(SIZE_CLASSES), "population.size_classes", sorted(pop["size_classes"]),
           f"exactly the size classes {', '.join(SIZE_CLASSES)}")
    for size, sc in pop["size_classes"].items():
        low, high = EMPLOYEE_RANGES[size]
        _check(_is_number(sc["mean_employees"]) and low <= sc["mean_employees"] <= high,
               f"population.size_classes.{size}.mean_employees", sc["mean_employees"],
               f"a head count in the class's range {low}..{high}")
    _check(sum(sc["employment_share"] for sc in pop["size_classes"].values()) > 0,
           "population.size_classes.*.employment_share", 0, "shares summing to > 0")
    _check(set(pop["english_prob"]) == set(SIZE_CLASSES), "population.english_prob",
           sorted(pop["english_prob"]), f"exactly the size classes {', '.join(SIZE_CLASSES)}")
    for size, p in pop["english_prob"].items():
        _probability(f"population.english_prob.{size}", p)
    _validate_actors(c, areas, dims, territories)

    out = c["outreach"]
    _check(out["start"] <= out["end"], "outreach.end", out["end"], f"a month >= outreach.start ({out['start']})")
    sv = c["survey"]
    _check(sv["interview_start"] <= sv["interview_end"], "survey.interview_end", sv["interview_end"],
           f"a month >= survey.interview_start ({sv['interview_start']})")
    m = c["workshops"]
    _check(m["start"] <= m["end"], "workshops.end", m["end"], f"a month >= workshops.start ({m['start']})")
    feas = c["feasibility"]
    re = feas["reassessment_month"]
    _check(re is None or (isinstance(re, int) and feas["month"] < re <= horizon), "feasibility.reassessment_month",
           re, f"null or a month in {feas['month'] + 1}..{horizon} (after feasibility.month)")

    b2b = c["b2b"]
    for i, month in enumerate(b2b["events"]):
        _month(f"b2b.events[{i}]", month, horizon, low=1)
    _check(len(set(b2b["events"])) == len(b2b["events"]), "b2b.events", b2b["events"], "distinct months")
    _check(b2b["max_meetings_per_participant"] <= b2b["slots"], "b2b.max_meetings_per_participant",
           b2b["max_meetings_per_participant"], f"at most b2b.slots ({b2b['slots']})")
    acc = c["accompaniment"]
    _check(acc["boost"] <= acc["max_boost"], "accompaniment.boost", acc["boost"],
           f"at most accompaniment.max_boost ({acc['max_boost']})")

    poles = c["poles"]
    auto = bool((c.get("proposal") or {}).get("auto"))
    _check(len(poles) >= 1 or auto, "poles", poles, "at least one proposed pole, or poles=auto (proposed after the "
           "identification stage by the xbsim command or xbsim.study.proposal.propose_poles)")
    for name, pole in poles.items():
        _check(len(pole["areas"]) >= 1, f"poles.{name}.areas", pole["areas"], "a non-empty list of areas")
        _known(f"poles.{name}.areas", pole["areas"], areas, "areas")
        for mname, market in pole["markets"].items():
            _check(len(market["requirements"]) >= 1, f"poles.{name}.markets.{mname}.requirements",
                   market["requirements"], "at least one capability dimension with its level")
            _known(f"poles.{name}.markets.{mname}.requirements", market["requirements"], dims, "dimensions")
            for dim, level in market["requirements"].items():
                _probability(f"poles.{name}.markets.{mname}.requirements.{dim}", level)
    clues = c["clues"]
    _check(clues["k"] <= clues["max_candidates"], "clues.k", clues["k"],
           f"at most clues.max_candidates ({clues['max_candidates']}): the k best among the candidates weighed")
    _validate_indicators(c)
    _validate_proposal(c)
    _validate_search(c)
    _validate_figures(c)
    _validate_study(c)
    _validate_memory(c)


def _validate_memory(c: dict[str, Any]) -> None:
    """Refuse a run whose memory estimate exceeds the memory available now, with the estimate."""
    need, key = resources.memory_estimate(c)
    free = resources.available_memory()
    if free is not None and need > free:
        value: Any = c
        for part in key.split("."):
            value = value[part]
        raise ConfigError(key, value, f"a smaller run: this one needs about {resources.gb(need)} of memory "
                          f"({resources.n_actors(c):,} actors, clues.k={c['clues']['k']}), "
                          f"{resources.gb(free)} are available")


def _validate_actors(c: Mapping[str, Any], areas: Mapping[str, Any], dims: Mapping[str, Any],
                     territories: Mapping[str, Any]) -> None:
    """The non-company actor types: names, counts by known territory and area, profiles, roles."""
    for name, typ in (c.get("actors") or {}).items():
        _check(name != COMPANY, f"actors.{name}", name, f"a type name other than '{COMPANY}' (built in)")
        _known(f"actors.{name}.counts", typ["counts"], territories, "territories")
        for code, per_area in typ["counts"].items():
            _known(f"actors.{name}.counts.{code}", per_area or {}, areas, "areas")
            for area, n in (per_area or {}).items():
                _int_at_least(f"actors.{name}.counts.{code}.{area}", n, 0)
        seg = typ["segment"]
        _check(seg is None or any(seg in a["segments"] for a in areas.values()), f"actors.{name}.segment", seg,
               "null or a segment of at least one area's value chain")
        for key in ("capability", "need"):
            _known(f"actors.{name}.{key}", typ[key], dims, "dimensions")
            for dim, v in typ[key].items():
                _probability(f"actors.{name}.{key}.{dim}", v)
        _check(0 < typ["openness_mean"] < 1, f"actors.{name}.openness_mean", typ["openness_mean"],
               "a number strictly between 0 and 1 (the mean of a Beta distribution)")


def _validate_indicators(c: Mapping[str, Any]) -> None:
    """The indicators section (configs saved before it existed lack it: nothing to check)."""
    ind = c.get("indicators")
    if not ind:
        return
    _known("indicators.research_types", ind["research_types"], c.get("actors") or {}, "actor types (actors)")
    keys = indicator_keys()
    for key, target in (ind["targets"] or {}).items():
        _check(key in keys, f"indicators.targets.{key}", target, f"a target for one of {', '.join(keys)}")
        if target is not None:
            _non_negative(f"indicators.targets.{key}", target)


def _validate_proposal(c: Mapping[str, Any]) -> None:
    """The proposal section (configs saved before it existed lack it: nothing to check)."""
    pr = c.get("proposal")
    if not pr:
        return
    _check(_is_number(pr["resolution"]) and pr["resolution"] > 0, "proposal.resolution", pr["resolution"],
           "a number > 0")


FIGURE_FORMATS = ("png", "svg", "pdf")


def _validate_figures(c: Mapping[str, Any]) -> None:
    """figure_format: one of FIGURE_FORMATS or a non-empty list of them; figure_dpi: an integer in [50, 1200]."""
    fmt = c.get("figure_format", ["png"])
    formats = [fmt] if isinstance(fmt, str) else fmt
    _check(isinstance(formats, list | tuple) and len(formats) >= 1 and all(f in FIGURE_FORMATS for f in formats),
           "figure_format", fmt, f"one of {', '.join(FIGURE_FORMATS)} or a list of them, e.g. [png,pdf]")
    dpi = c.get("figure_dpi", 150)
    _check(isinstance(dpi, int) and not isinstance(dpi, bool) and 50 <= dpi <= 1200, "figure_dpi", dpi,
           "an integer from 50 to 1200")


def _validate_study(c: Mapping[str, Any]) -> None:
    """Replications and the study section (configs saved before they existed lack them: nothing to check)."""
    st = c.get("study")
    if not st:
        return
    _check(_is_number(st["target_half_width"]) and 0 < st["target_half_width"] <= 0.5,
           "study.target_half_width", st["target_half_width"], "a number in (0, 0.5]")
    reps = c.get("replications", 1)
    _check(not st["adaptive"] or st["max_replications"] >= reps, "study.max_replications",
           st["max_replications"], f"at least replications ({reps}) in adaptive mode")
    _check(_is_number(st["confidence"]) and 0 < st["confidence"] < 1, "study.confidence", st["confidence"],
           "a level in (0, 1), e.g. 0.95")
    _check(isinstance(st["workers"], int) and not isinstance(st["workers"], bool) and st["workers"] != 0,
           "study.workers", st["workers"], "a non-zero integer (1 = sequential, -1 = all cores)")




def _int_range(key: str, value: Any, low: int) -> None:
    ok = (isinstance(value, list | tuple) and len(value) == 2
          and all(isinstance(v, int) and not isinstance(v, bool) for v in value) and low <= value[0] <= value[1])
    _check(ok, key, value, f"a range [low, high] of integers with {low} <= low <= high")


def _validate_search(c: Mapping[str, Any]) -> None:
    """The intervention search (when enabled): budget, target, lever ranges over existing integer keys."""
    se = c.get("search")
    if not se or not se["enabled"]:  # checked only when the search runs: a short scenario keeps its own months
        return
    for key in ("trials", "replications", "top", "fresh_replications", "bootstrap"):
        _int_at_least(f"search.{key}", se[key], 1)
    _int_at_least("search.startup_trials", se["startup_trials"], 0)
    _probability("search.target.p_viable", se["target"]["p_viable"])
    for key, bounds in se["levers"].items():
        node: Any = c
        for part in key.split("."):
            node = node.get(part, None) if isinstance(node, Mapping) else None
        _check(isinstance(node, int) and not isinstance(node, bool), f"search.levers.{key}", bounds,
               "levers over existing integer keys of the configuration, e.g. accompaniment.capacity")
        _int_range(f"search.levers.{key}", bounds, 0)
    ev = se["events"]
    _int_range("search.events.count", ev["count"], 0)
    _int_range("search.events.first", ev["first"], 1)
    _int_range("search.events.interval", ev["interval"], 1)
    names = [*se["levers"], "b2b.event_count", "b2b.first_event", "b2b.event_interval"]
    for i, package in enumerate(se.get("packages") or []):
        for key, value in package.items():
            _known(f"search.packages[{i}]", [key], names, "levers")
            _int_at_least(f"search.packages[{i}].{key}", value, 0)
    _check(ev["first"][1] <= c["horizon_months"], "search.events.first", ev["first"],
           f"months within the horizon (1..{c['horizon_months']})")
