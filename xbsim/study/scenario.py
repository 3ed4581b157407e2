"""One scenario: its replications (a fixed number, or adaptively until the intervals are narrow enough), their
statistics and the files of the run directory.

Layout. With ``replications=1`` (and no adaptive mode) the run directory holds the single run's files exactly as
``xbsim.outputs.write_run`` writes them. Otherwise each replication has its own ``rep-NNN/`` and the run directory
holds the scenario-level results: config.yaml, tidy tables (CSV and Parquet) and scenario.json; a single run
adds only scenario.json (its statistics, n = 1) to its files. In both cases scenario.json is written last: its
presence, with the same configuration digest, marks a finished scenario, which a rerun of the same sweep skips.

Inside a sweep, the per-replication tables (replications, replications_poles) and scenario.json
(``swept_parameters``) carry the scenario's id and the values of the parameters the sweep varies, so that the
tables of every scenario concatenate into one tidy table (:func:`xbsim.study.collect.load_sweep`).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from omegaconf import OmegaConf

from xbsim.core.config.schema import ReplicationFiles
from xbsim.io.atomic import read_json, write_csv, write_json, write_parquet, write_text
from xbsim.study.aggregate import count_results, max_half_width, pole_results, tables
from xbsim.study.hydra_support import current_sweep_keys, swept_values
from xbsim.study.indicators import indicator_results, indicator_table
from xbsim.study.provenance import provenance
from xbsim.study.records import Record
from xbsim.study.replicate import config_hash, model_config, run_replication, run_replications

SCENARIO_FILE = "scenario.json"
FAILED_FILE = "failed.json"
SCHEMA = "xbsim.scenario/1"
RESULT_STUDY_KEYS = ("adaptive", "target_half_width", "batch", "max_replications", "confidence")


def scenario_hash(cfg: dict[str, Any]) -> str:
    """Digest of everything that decides a scenario's results (not its workers, progress bars or figures),
    including the bytes of a survey file, so that an edited survey is never taken for a finished scenario."""
    study = {k: cfg["study"][k] for k in RESULT_STUDY_KEYS}
    return config_hash({"model": model_config(cfg), "replications": cfg["replications"], "study": study,
                        "inputs": input_digest(cfg)})


def input_digest(cfg: dict[str, Any]) -> str | None:
    """SHA-256 of the survey file a scenario reads (None for a synthetic population or an unreadable file)."""
    pop = cfg["population"]
    if pop["source"] != "survey" or not pop["path"]:
        return None
    import hashlib

    from xbsim.core.population.survey import resolve  # imported for a survey only: its parser is slow to import

    try:
        return hashlib.sha256(resolve(pop["path"]).read_bytes()).hexdigest()
    except OSError:
        return None


def is_single_run(cfg: dict[str, Any]) -> bool:
    return cfg["replications"] == 1 and not cfg["study"]["adaptive"]


def finished_scenario(outdir: Path, cfg: dict[str, Any]) -> dict[str, Any] | None:
    """The scenario.json of ``outdir`` if it holds this very scenario, finished; else None."""
    path = outdir / SCENARIO_FILE
    try:
        doc = read_json(path)
    except (OSError, ValueError):
        return None
    return doc if doc.get("config_hash") == scenario_hash(cfg) else None


def replicate(cfg: dict[str, Any], outdir: Path | None, desc: str = "replications") -> tuple[list[Record], str]:
    """Run the replications of a scenario; returns their records and why they stopped."""
    st = cfg["study"]
    files, figs, workers, progress = st["replication_files"], st["replication_figures"], st["workers"], st["progress"]

    def run(reps: range) -> list[Record]:
        return run_replications(cfg, reps, outdir, workers=workers, progress=progress, files=files, figures=figs,
                                desc=desc)

    if not st["adaptive"]:
        return run(range(cfg["replications"])), "fixed number of replications"
    n = min(cfg["replications"] if cfg["replications"] > 1 else st["batch"], st["max_replications"])
    records = run(range(n))
    while True:
        width = max_half_width(pole_results(records, st["confidence"]))
        if width <= st["target_half_width"]:
            return records, f"target half-width {st['target_half_width']} reached ({width:.3f})"
        if n >= st["max_replications"]:
            return records, f"maximum of {st['max_replications']} replications reached (half-width {width:.3f})"
        step = min(n + st["batch"], st["max_replications"])
        records += run(range(n, step))
        n = step


def run_scenario(cfg: dict[str, Any], outdir: Path, key: str = "default", overrides: list[str] | None = None,
                 parameters: dict[str, Any] | None = None, swept: list[str] | None = None) -> dict[str, Any]:
    """Run the scenario of the resolved config ``cfg`` into ``outdir``; returns the content of scenario.json.

    ``swept``: the keys the sweep varies (default: those of the Hydra sweep this job belongs to, none outside a
    sweep); their values, taken from ``cfg``, go into the per-replication tables and scenario.json."""
    outdir.mkdir(parents=True, exist_ok=True)
    swept_now = swept_values(cfg, current_sweep_keys() if swept is None else swept, dict(parameters or {}))
    start = time.perf_counter()
    st = cfg["study"]
    single = is_single_run(cfg)
    if single:
        records = [run_replication(cfg, 0, str(outdir), ReplicationFiles.full, figures=bool(cfg["figures"]))]
        stop = "single run"
    else:
        records, stop = replicate(cfg, outdir, desc=f"{key} replications" if key != "default" else "replications")
        write_text(outdir / "config.yaml", OmegaConf.to_yaml(OmegaConf.create(cfg)))
    poles = pole_results(records, st["confidence"])
    counts = count_results(records)
    indicators = indicator_results(records, cfg["indicators"]["targets"], st["confidence"])
    if not single:  # a single run keeps its own files only; scenario.json carries its statistics
        for stem, df in {**tables(records, poles, counts, key, swept_now),
                         "indicators": indicator_table(indicators)}.items():
            write_csv(outdir / f"{stem}.csv", df)
            write_parquet(outdir / f"{stem}.parquet", df)
    doc = {
        "schema": SCHEMA,
        "status": "finished",
        "scenario": key,
        "overrides": list(overrides or []),
        "parameters": dict(parameters or {}),
        "swept_parameters": swept_now,
        "experiment": st["name"],
        "question": st["question"],
        "config_hash": scenario_hash(cfg),
        "seed": cfg["seed"],
        "horizon_months": cfg["horizon_months"],
        "layout": "single run" if single else "replications in rep-NNN/",
        "replications": {"n": len(records), "first": 0, "last": len(records) - 1, "requested": cfg["replications"],
                         "adaptive": st["adaptive"], "target_half_width": st["target_half_width"],
                         "batch": st["batch"], "max_replications": st["max_replications"], "stop_reason": stop,
                         "seeds": f"numpy SeedSequence([{cfg['seed']}, r]) for r = 0..{len(records) - 1}"},
        "confidence": st["confidence"],
        "poles": poles,
        **counts,
        "indicators": indicators,
        "indicator_settings": {k: cfg["indicators"][k] for k in ("after_months", "solution_months",
                                                                 "solution_probability")},
        "wall_seconds": round(time.perf_counter() - start, 3),
        "provenance": provenance(),
    }
    write_json(outdir / SCENARIO_FILE, doc)
    return doc


def scenario_summary(doc: dict[str, Any], outdir: str) -> str:
    """The short human summary of a replicated scenario, printed at the end of ``xbsim`` runs with R > 1."""
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
