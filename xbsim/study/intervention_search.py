"""``xbsim experiment=intervention_search``: the cheapest intervention package for a target P(viable).

Optuna (multi-objective TPE) searches the programme's levers (``search.levers`` and the B2B event calendar,
``search.events``) for the Pareto front of the planned cost (:func:`xbsim.programme.costs.programme_cost`, exact)
against P(viable) of every pole (estimated from ``search.replications`` replications). Every candidate runs the same
replications r = 0..R-1, hence the same seeds ``SeedSequence([seed, r])``: common random numbers, so two
candidates differ by their levers, not by their luck. The default programme is the first trial.

Why Optuna directly and not Hydra's Optuna sweeper: hydra-optuna-sweeper 1.3 pins optuna 2.10 (it would downgrade
the installed optuna), and its objective is one Hydra job's return value, while a candidate here is a batch of
replications whose front is then re-evaluated with fresh replications and summarised in one report.

How sure the recommendation is: the ``search.top`` best candidates of the front (those meeting the target, the
cheapest first; else those closest to it) run ``search.fresh_replications`` new replications (r = R..R+F-1, the
same for all of them). The recommended package is the cheapest that meets the target on the fresh replications;
a bootstrap of those replications (resampled jointly, as they are paired) gives the share of resamples in which
each candidate meets the target and in which it would be the recommendation.
"""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from xbsim.core.config.schema import SearchRequire
from xbsim.core.rng import RandomStreams
from xbsim.io.atomic import read_json, write_csv, write_json
from xbsim.programme.costs import programme_cost
from xbsim.study.provenance import provenance
from xbsim.study.replicate import config_hash, model_config, run_replications
from xbsim.study.stats import paired_difference, wilson

SEARCH_FILE = "search.json"
SCHEMA = "xbsim.search/1"
EVENT_LEVERS = ("b2b.event_count", "b2b.first_event", "b2b.event_interval")


@dataclass
class Candidate:
    """One evaluated package: its lever values, its config, its cost and each pole's outcomes by replication."""

    number: int
    levers: dict[str, int]
    cfg: dict[str, Any]
    cost: float
    viable: dict[str, np.ndarray]  # pole -> (R,) bool, replication order
    fresh: dict[str, np.ndarray] = field(default_factory=dict)  # pole -> (F,) bool, the fresh replications

    @property
    def events(self) -> list[int]:
        return list(self.cfg["b2b"]["events"])

    def p(self, pole: str, fresh: bool = False) -> float:
        v = (self.fresh if fresh else self.viable)[pole]
        return float(v.mean()) if v.size else float("nan")


def event_months(count: int, first: int, interval: int, horizon: int) -> list[int]:
    """The B2B event months: ``count`` events every ``interval`` months from ``first``, those within the horizon."""
    return [m for m in range(first, first + count * interval, interval) if m <= horizon]


def candidate_config(base: dict[str, Any], levers: dict[str, int]) -> dict[str, Any]:
    """``base`` with the lever values set: dotted config keys, and the event levers (:data:`EVENT_LEVERS`)
    turned into ``b2b.events``."""
    cfg = copy.deepcopy(base)
    for key, value in levers.items():
        if key in EVENT_LEVERS:
            continue
        *path, last = key.split(".")
        node = cfg
        for part in path:
            node = node[part]
        node[last] = int(value)
    if all(k in levers for k in EVENT_LEVERS):
        cfg["b2b"]["events"] = event_months(
            levers["b2b.event_count"],
            levers["b2b.first_event"],
            levers["b2b.event_interval"],
            int(cfg["horizon_months"]),
        )
    return cfg


def lever_ranges(search: dict[str, Any]) -> dict[str, tuple[int, int]]:
    """Every lever with its [low, high] range: the config keys of ``search.levers``, then the event levers."""
    ev = search["events"]
    ranges = {k: (int(lo), int(hi)) for k, (lo, hi) in search["levers"].items()}
    ranges.update(
        {
            "b2b.event_count": tuple(ev["count"]),
            "b2b.first_event": tuple(ev["first"]),
            "b2b.event_interval": tuple(ev["interval"]),
        }
    )
    return ranges  # type: ignore[return-value]


def default_levers(base: dict[str, Any], ranges: dict[str, tuple[int, int]]) -> dict[str, int] | None:
    """The default programme's lever values, when its calendar is regular and every value is in its range."""
    events = sorted(base["b2b"]["events"])
    steps = set(np.diff(events).tolist())
    if len(steps) > 1:
        return None
    levers: dict[str, int] = {}
    for key in ranges:
        if key not in EVENT_LEVERS:
            node: Any = base
            for part in key.split("."):
                node = node[part]
            levers[key] = int(node)
    levers["b2b.event_count"] = len(events)
    levers["b2b.first_event"] = events[0] if events else ranges["b2b.first_event"][0]
    levers["b2b.event_interval"] = steps.pop() if steps else ranges["b2b.event_interval"][0]
    ok = all(ranges[k][0] <= v <= ranges[k][1] for k, v in levers.items())
    return levers if ok else None


def meets(p: np.ndarray, low: np.ndarray, target: dict[str, Any]) -> bool:
    """Whether every pole reaches the target: its estimate, or its CI's lower bound (``target.require``)."""
    values = low if target["require"] == SearchRequire.lower_bound else p
    return bool(np.all(values >= target["p_viable"]))


def run_search(cfg: dict[str, Any], outdir: Path) -> dict[str, Any]:
    """Search, re-evaluate the top of the front, write trials.csv, front.csv, reevaluation.csv, search.json and
    the report (``outdir/report``); returns the content of search.json."""
    import optuna

    from xbsim.core.config import validate

    start = time.perf_counter()
    outdir.mkdir(parents=True, exist_ok=True)
    se, st = cfg["search"], cfg["study"]
    poles = list(cfg["poles"])
    ranges = lever_ranges(se)
    check_ranges(cfg, ranges)
    reps = range(se["replications"])
    workers = st["workers"]
    cache: dict[str, Candidate] = {}
    candidates: list[Candidate] = []

    def evaluate(number: int, levers: dict[str, int]) -> Candidate:
        c = candidate_config(cfg, levers)
        key = config_hash(model_config(c))
        if key not in cache:
            validate(c)
            records = run_replications(c, reps, None, workers=workers, progress=False)
            viable = {p: np.array([r["poles"][p]["viable"] for r in records], dtype=bool) for p in poles}
            cache[key] = Candidate(number, levers, c, programme_cost(c).total, viable)
        cand = cache[key]
        candidates.append(Candidate(number, levers, cand.cfg, cand.cost, cand.viable))
        return cand

    def objective(trial: optuna.Trial) -> list[float]:
        levers = {k: trial.suggest_int(k, lo, hi) for k, (lo, hi) in ranges.items()}
        cand = evaluate(trial.number, levers)
        print(
            f"xbsim: trial {trial.number}: cost EUR {cand.cost:,.0f}, P(viable) "
            + ", ".join(f"{p} {cand.p(p):.2f}" for p in poles),
            flush=True,
        )
        return [cand.cost, *(cand.p(p) for p in poles)]

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    # Optuna draws from its own generator, seeded by the run's seed: the same config gives the same trials
    sampler = optuna.samplers.TPESampler(seed=int(cfg["seed"]), n_startup_trials=se["startup_trials"])
    study = optuna.create_study(directions=["minimize", *["maximize"] * len(poles)], sampler=sampler)
    baseline = default_levers(cfg, ranges)
    if baseline is not None:
        study.enqueue_trial(baseline)
    for package in se["packages"]:  # the planner's own packages (a lever left out: the default programme's)
        study.enqueue_trial({**(baseline or {}), **package})
    study.optimize(objective, n_trials=se["trials"])
    search_seconds = time.perf_counter() - start

    conf = st["confidence"]
    front_numbers = {t.number for t in study.best_trials}  # Optuna's Pareto front (ties all kept)
    on_front = np.array([c.number in front_numbers for c in candidates], dtype=bool)
    trials = trials_table(candidates, poles, on_front, conf)
    write_csv(outdir / "trials.csv", trials)
    write_csv(outdir / "front.csv", trials[trials["on_front"]].sort_values("cost_eur"))

    top = top_candidates(candidates, on_front, poles, se)
    fresh = range(se["replications"], se["replications"] + se["fresh_replications"])
    for cand in top:
        records = run_replications(cand.cfg, fresh, None, workers=workers, progress=False)
        cand.fresh = {p: np.array([r["poles"][p]["viable"] for r in records], dtype=bool) for p in poles}
    rng = RandomStreams(int(cfg["seed"])).at("search_bootstrap")  # a named stream of the run's seed
    reeval, recommended = reevaluation_table(top, poles, se, conf, rng)
    write_csv(outdir / "reevaluation.csv", reeval)
    doc = {
        "schema": SCHEMA,
        "status": "finished",
        "experiment": st["name"],
        "question": st["question"],
        "config_hash": search_hash(cfg),
        "seed": cfg["seed"],
        "poles": poles,
        "target": dict(se["target"]),
        "budget": {
            k: se[k] for k in ("trials", "replications", "startup_trials", "top", "fresh_replications", "bootstrap")
        },
        "levers": {k: list(v) for k, v in ranges.items()},
        "sampler": f"optuna {optuna.__version__} TPESampler (multi-objective, seed {cfg['seed']})",
        "seeds": {
            "search": f"numpy SeedSequence([{cfg['seed']}, r]) for r = 0..{se['replications'] - 1}, "
            "the same for every candidate",
            "fresh": f"r = {fresh.start}..{fresh.stop - 1}, the same for every re-evaluated candidate",
        },
        "population_n_companies": cfg["population"]["n_companies"],
        "default_programme": None if baseline is None else {"levers": baseline, "trial": 0},
        "candidates": len(candidates),
        "distinct_candidates": len(cache),
        "front": int(on_front.sum()),
        "recommended": recommended,
        "search_seconds": round(search_seconds, 3),
        "wall_seconds": round(time.perf_counter() - start, 3),
        "provenance": provenance(),
    }
    from xbsim.study.report.intervention import write_search_report

    write_search_report(outdir, doc, trials, reeval)
    write_json(outdir / SEARCH_FILE, doc)  # last: its presence marks a finished search
    return doc


def check_ranges(cfg: dict[str, Any], ranges: dict[str, tuple[int, int]]) -> None:
    """Refuse lever ranges whose lowest or highest package is not a valid configuration (one line)."""
    from xbsim.core.config import ConfigError, validate

    for end, name in ((0, "low"), (1, "high")):
        try:
            validate(candidate_config(cfg, {k: v[end] for k, v in ranges.items()}))
        except ConfigError as err:
            raise ConfigError(
                f"search.levers ({name} ends)",
                err.value,
                f"ranges whose every package is a valid configuration; at the {name} ends: "
                f"{err.key} must be {err.allowed}",
            ) from None


def search_hash(cfg: dict[str, Any]) -> str:
    """Digest of everything that decides a search's results (model, search settings, confidence, workers aside)."""
    return config_hash({"model": model_config(cfg), "search": cfg["search"], "confidence": cfg["study"]["confidence"]})


def finished_search(outdir: Path, cfg: dict[str, Any]) -> dict[str, Any] | None:
    """The search.json of ``outdir`` when it holds this very search, finished; else None."""
    try:
        doc = read_json(outdir / SEARCH_FILE)
    except (OSError, ValueError):
        return None
    return doc if doc.get("config_hash") == search_hash(cfg) else None


def _ci(v: np.ndarray, conf: float) -> tuple[float, float, float]:
    pr = wilson(int(v.sum()), int(v.size), conf)
    return pr.p, pr.low, pr.high


def trials_table(candidates: list[Candidate], poles: list[str], on_front: np.ndarray, conf: float) -> pd.DataFrame:
    """One row per trial: its levers, event months, cost, each pole's P(viable) with its CI, on the front."""
    rows = []
    for cand, front in zip(candidates, on_front, strict=True):
        row: dict[str, Any] = {
            "trial": cand.number,
            **cand.levers,
            "b2b.events": " ".join(map(str, cand.events)),
            "cost_eur": round(cand.cost, 2),
        }
        for p in poles:
            est, low, high = _ci(cand.viable[p], conf)
            row.update({f"p_viable_{p}": est, f"p_viable_{p}_low": low, f"p_viable_{p}_high": high})
        row["p_viable_every_pole"] = float(np.logical_and.reduce([cand.viable[p] for p in poles]).mean())
        row["on_front"] = bool(front)
        rows.append(row)
    return pd.DataFrame(rows)


def top_candidates(
    candidates: list[Candidate], on_front: np.ndarray, poles: list[str], se: dict[str, Any]
) -> list[Candidate]:
    """The front's distinct packages to re-evaluate: those meeting the target in the search (cheapest first),
    then those closest to it (highest worst-pole P(viable) first), ``search.top`` in all."""
    seen: dict[str, Candidate] = {}
    for cand, front in zip(candidates, on_front, strict=True):
        key = config_hash(model_config(cand.cfg))
        if front and key not in seen:
            seen[key] = cand
    target = se["target"]["p_viable"]

    def worst(c: Candidate) -> float:
        return min(c.p(p) for p in poles)

    meeting = sorted((c for c in seen.values() if worst(c) >= target), key=lambda c: (c.cost, c.number))
    others = sorted((c for c in seen.values() if worst(c) < target), key=lambda c: (-worst(c), c.cost, c.number))
    return (meeting + others)[: se["top"]]


def reevaluation_table(
    top: list[Candidate], poles: list[str], se: dict[str, Any], conf: float, rng: np.random.Generator
) -> tuple[pd.DataFrame, dict[str, Any] | None]:
    """The top candidates on their fresh replications: P(viable) with CI, whether they meet the target, the
    bootstrap share of resamples in which they meet it and in which they are the recommendation; and the
    recommended package (None when no candidate meets the target)."""
    target = se["target"]
    top = sorted(top, key=lambda c: (c.cost, c.number))
    if not top:
        return pd.DataFrame(), None
    fresh = np.array([[c.fresh[p] for p in poles] for c in top])  # (K, P, F)
    n = fresh.shape[2]
    idx = rng.integers(0, n, size=(se["bootstrap"], n))  # the same resampled replications for every candidate
    boot = fresh[:, :, idx].mean(axis=3)  # (K, P, B)
    z = _z(conf)
    # the bootstrap's target check uses the same rule as the recommendation (estimate, or Wilson lower bound)
    boot_low = _wilson_low(boot, n, z) if target["require"] == SearchRequire.lower_bound else boot
    boot_meets = (boot_low >= target["p_viable"]).all(axis=1)  # (K, B)
    first = np.where(boot_meets.any(axis=0), boot_meets.argmax(axis=0), -1)  # cheapest meeting, per resample
    rows, chosen = [], None
    for k, cand in enumerate(top):
        est = {p: _ci(cand.fresh[p], conf) for p in poles}
        ok = meets(np.array([est[p][0] for p in poles]), np.array([est[p][1] for p in poles]), target)
        if ok and chosen is None:
            chosen = k
        row: dict[str, Any] = {"trial": cand.number, "cost_eur": round(cand.cost, 2)}
        for p in poles:
            row.update(
                {
                    f"search_p_viable_{p}": cand.p(p),
                    f"fresh_p_viable_{p}": est[p][0],
                    f"fresh_p_viable_{p}_low": est[p][1],
                    f"fresh_p_viable_{p}_high": est[p][2],
                }
            )
        row.update(
            {
                "meets_target": ok,
                "bootstrap_p_meets_target": float(boot_meets[k].mean()),
                "bootstrap_p_recommended": float((first == k).mean()),
                **{k2: v for k2, v in cand.levers.items()},
                "b2b.events": " ".join(map(str, cand.events)),
            }
        )
        rows.append(row)
    df = pd.DataFrame(rows)
    if chosen is None:
        return df, None
    rec = top[chosen]
    cost = programme_cost(rec.cfg)
    doc: dict[str, Any] = {
        "trial": rec.number,
        "levers": rec.levers,
        "overrides": overrides(rec),
        "cost": cost.as_dict(),
        "p_viable": {p: dict(zip(("p", "low", "high"), _ci(rec.fresh[p], conf), strict=True)) for p in poles},
        "replications": n,
        "confidence": conf,
        "bootstrap_p_recommended": float((first == chosen).mean()),
        "bootstrap_p_meets_target": float(boot_meets[chosen].mean()),
    }
    if chosen > 0:  # the next cheaper re-evaluated package, which missed the target: by how much, paired
        prev = top[chosen - 1]
        doc["vs_cheaper"] = {
            "trial": prev.number,
            "cost_saved_eur": round(rec.cost - prev.cost, 2),
            **{p: paired_difference(rec.fresh[p], prev.fresh[p], conf).as_dict() for p in poles},
        }
    return df, doc


def overrides(cand: Candidate) -> list[str]:
    """The recommended package as command-line overrides of the programme (``xbsim KEY=VALUE ...``)."""
    out = [f"{k}={v}" for k, v in cand.levers.items() if k not in EVENT_LEVERS]
    return [*out, f"b2b.events=[{','.join(map(str, cand.events))}]"]


def _z(conf: float) -> float:
    from scipy.stats import norm

    return float(norm.ppf(0.5 + conf / 2))


def _wilson_low(p: np.ndarray, n: int, z: float) -> np.ndarray:
    """Wilson lower bounds of proportions ``p`` out of ``n`` (vectorised, for the bootstrap resamples)."""
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half


def search_summary(cfg: dict[str, Any], outdir: Path) -> dict[str, Any]:
    """The job of ``xbsim experiment=intervention_search``: run the search (or skip a finished one), print
    the recommendation and where the report is; returns search.json's content."""
    doc = finished_search(outdir, cfg)
    if doc is not None:
        print(f"xbsim: intervention search already finished in {outdir}: skipped (delete {SEARCH_FILE} to rerun)")
    else:
        doc = run_search(cfg, outdir)
    rec = doc["recommended"]
    print(
        f"xbsim: intervention search: {doc['candidates']} trials, {doc['front']} on the front, "
        f"{doc['wall_seconds']:.0f} s"
    )
    if rec is None:
        print(f"  no re-evaluated package reaches P(viable) >= {doc['target']['p_viable']:g} for every pole")
    else:
        print(
            f"  recommended (trial {rec['trial']}): EUR {rec['cost']['total']:,.0f}; "
            + "; ".join(
                f"{p} P(viable) {v['p']:.2f} [{v['low']:.2f}, {v['high']:.2f}]" for p, v in rec["p_viable"].items()
            )
        )
        print("  xbsim " + " ".join(rec["overrides"]))
    print(f"report: {outdir / 'report' / 'report.html'}")
    return doc
