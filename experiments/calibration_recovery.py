"""Recovery study of the calibration: simulate monitoring data from known parameters, calibrate, and measure
how often the 90% credible intervals cover the truth and how well the forecast predicts the truth's outcome.

``nice -n 10 python experiments/calibration_recovery.py [--datasets 20] [--workers 2]`` draws each dataset's
true parameters from the shipped priors (``xbsim/configs/calibrate.yaml``), runs the scenario to the horizon,
keeps the first ``--months`` months of its monitoring indicators as the data, calibrates them with reduced ABC
settings (``--population``, ``--generations``) and forecasts the baseline with ``--draws`` posterior-predictive
runs. Datasets run in parallel (one process each, so each calibration stays bit-reproducible). Writes
``experiments/results/calibration_recovery.csv`` (one row per dataset x parameter), ``..._forecast.csv`` (one
row per dataset x pole) and the markdown table ``docs/calibration_recovery.md``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]


def one_dataset(i: int, settings: dict[str, Any], months: int) -> tuple[list[dict], list[dict]]:
    """Truth, calibration and forecast of dataset ``i``: (parameter rows, pole rows)."""
    from xbsim.calibration.abc import Simulator, prior_sample
    from xbsim.calibration.monitoring import indicators_of
    from xbsim.calibration.run import calibrate_and_forecast, scenario

    base = scenario(settings)
    keys = list(settings["priors"])
    horizon = int(base["horizon_months"])
    truth = prior_sample(settings["priors"], 1, np.random.default_rng([int(settings["seed"]), 99, i]))
    theta = truth[keys].to_numpy(float)[0]
    truth_model = Simulator(base, keys, 10_000 + i, months, 3).model(theta, to_month=horizon)
    observed = indicators_of(truth_model, months)
    s = {**settings, "seed": int(settings["seed"]) + i}
    res = calibrate_and_forecast(observed, s, None)
    level = float(settings["forecast"]["credible_level"])
    post = res["posterior"]
    table = post.interval(level)
    w = post.particles["weight"].to_numpy(float)
    params = []
    for r, key in zip(table.itertuples(), keys, strict=True):
        lo, hi = settings["priors"][key]["low"], settings["priors"][key]["high"]
        sd = float(np.sqrt(np.average((post.particles[key] - r.mean) ** 2, weights=w)))
        params.append(
            {
                "dataset": i,
                "parameter": key,
                "truth": float(theta[keys.index(key)]),
                "mean": r.mean,
                "low": r.low,
                "high": r.high,
                "covered": bool(r.low <= theta[keys.index(key)] <= r.high),
                "width_share": (r.high - r.low) / (hi - lo),
                "sd_ratio": sd / ((hi - lo) / np.sqrt(12)),
                "simulations": res["simulations"],
                "ess": res["ess"],
                "seconds": res["seconds"],
            }
        )
    poles = []
    f = res["forecast"].set_index("pole")
    for pole in truth_model.poles:
        row = f.loc[pole.name]
        month = pole.constitution_month
        t = np.inf if month is None else float(month)
        poles.append(
            {
                "dataset": i,
                "pole": pole.name,
                "true_viable": bool(pole.constituted),
                "true_month": month,
                "p_viable": float(row["p_viable"]),
                "brier": (float(row["p_viable"]) - float(pole.constituted)) ** 2,
                "months_median": float(row["months_median"]),
                "month_covered": bool(row["months_low"] <= t <= row["months_high"]),
            }
        )
    return params, poles


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--datasets", type=int, default=20)
    p.add_argument("--months", type=int, default=12, help="observed months of each synthetic dataset")
    p.add_argument("--population", type=int, default=40, help="ABC particles per generation")
    p.add_argument("--generations", type=int, default=3)
    p.add_argument("--draws", type=int, default=20, help="posterior-predictive runs of the forecast")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument(
        "--scale",
        type=int,
        default=None,
        help="population.n_companies of the scenario (default: the calibration settings' own)",
    )
    p.add_argument("--resume", action="store_true", help="keep the datasets already in the result files")
    p.add_argument("--out", default=str(ROOT / "experiments" / "results"))
    p.add_argument("--doc", default=str(ROOT / "docs" / "calibration_recovery.md"))
    args = p.parse_args()
    from joblib import Parallel, delayed

    from xbsim.calibration.settings import load
    from xbsim.io.atomic import write_csv, write_text

    settings = load(
        overrides=[
            f"abc.population_size={args.population}",
            f"abc.generations={args.generations}",
            f"forecast.draws={args.draws}",
            "abc.workers=1",
        ]
    )
    settings["forecast"]["actions"] = {}
    if args.scale is not None:
        settings["model_overrides"] = [*settings["model_overrides"], f"population.n_companies={args.scale}"]
    out = Path(args.out)
    files = out / "calibration_recovery.csv", out / "calibration_recovery_forecast.csv"
    params = pd.read_csv(files[0]) if args.resume and files[0].is_file() else pd.DataFrame()
    poles = pd.read_csv(files[1]) if args.resume and files[1].is_file() else pd.DataFrame()
    done = set(params["dataset"]) if len(params) else set()
    start = time.perf_counter()
    todo = [i for i in range(args.datasets) if i not in done]
    for res in Parallel(n_jobs=args.workers, verbose=10, return_as="generator_unordered")(
        delayed(one_dataset)(i, settings, args.months) for i in todo
    ):
        params = pd.concat([params, pd.DataFrame(res[0])], ignore_index=True).sort_values(["dataset"], kind="stable")
        poles = pd.concat([poles, pd.DataFrame(res[1])], ignore_index=True).sort_values(["dataset"], kind="stable")
        write_csv(files[0], params)  # after every dataset, so that an interrupted study can --resume
        write_csv(files[1], poles)
    seconds = time.perf_counter() - start
    cov = params.groupby("parameter", sort=False).agg(
        coverage=("covered", "mean"),
        width=("width_share", "mean"),
        sd_ratio=("sd_ratio", "mean"),
        bias=("mean", "mean"),
        truth=("truth", "mean"),
    )
    cov["bias"] = cov["bias"] - cov["truth"]
    fc = poles.groupby("pole", sort=False).agg(
        viable_share=("true_viable", "mean"),
        p_viable=("p_viable", "mean"),
        brier=("brier", "mean"),
        month_covered=("month_covered", "mean"),
    )
    # The forecast's reference: a constant forecast equal to the base rate of viability over the datasets.
    fc["brier_base_rate"] = poles.groupby("pole", sort=False)["true_viable"].agg(
        lambda v: float(v.mean() * (1 - v.mean()))
    )
    lines = [
        f"{args.datasets} synthetic datasets (true parameters drawn from the priors), {args.months} observed "
        f"months each, ABC-SMC with {args.population} particles x {args.generations} generations, "
        f"{args.draws} forecast draws, scenario `{' '.join(settings['model_overrides'])}`; "
        f"{params['simulations'].iloc[:: len(cov)].mean():.0f} simulations and "
        f"{params['seconds'].iloc[:: len(cov)].mean():.0f} s (wall, on a shared machine) per dataset, "
        f"{seconds / 60:.0f} min for this invocation ({args.workers} workers). Generated by "
        f"`experiments/calibration_recovery.py {' '.join(sys.argv[1:])}`.",
        "",
        "| parameter | coverage of the 90% interval | interval width / prior width | posterior SD / prior SD "
        "| mean bias |",
        "|---|---|---|---|---|",
    ]
    for name, r in cov.iterrows():
        lines.append(f"| `{name}` | {r.coverage:.0%} | {r.width:.2f} | {r.sd_ratio:.2f} | {r.bias:+.3f} |")
    lines += [
        "",
        "| pole | truly viable (share of datasets) | mean forecast P(viable) | Brier score | Brier score of "
        "the base rate | true month inside the 90% predictive interval |",
        "|---|---|---|---|---|---|",
    ]
    for name, r in fc.iterrows():
        lines.append(
            f"| {name} | {r.viable_share:.0%} | {r.p_viable:.2f} | {r.brier:.3f} | "
            f"{r.brier_base_rate:.3f} | {r.month_covered:.0%} |"
        )
    write_text(args.doc, "\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
