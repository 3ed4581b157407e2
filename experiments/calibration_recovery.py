"""Recovery study of the calibration: simulate monitoring data from known parameters, calibrate, and measure
how often the 90% credible intervals cover the truth and how well the forecast predicts the truth's outcome.

``nice -n 10 python experiments/calibration_recovery.py [--datasets 100] [--workers 2]`` builds one
prior-predictive reference table of the calibration scenario (``xbsim/configs/calibrate.yaml``, its
``abc.simulations`` runs of ``--months`` months), then for each dataset draws true parameters from the shipped
priors, runs the scenario to the horizon with its own model seed, keeps the first ``--months`` months of its
monitoring indicators as the data and calibrates them against the shared table -- once per regression adjustment
(``local_linear`` and ``none``), which costs no simulation -- and forecasts the baseline with ``--draws``
posterior-predictive runs of the shipped adjustment. Rejection ABC does not simulate anything per dataset, so the
table is the same one a calibration of each dataset alone would build (same seed, same scenario); sharing it makes
many datasets cheap. Datasets run in parallel (one process each). Writes
``experiments/results/calibration_recovery.csv`` (one row per dataset x adjustment x parameter),
``..._forecast.csv`` (one row per dataset x pole) and the markdown table ``docs/calibration_recovery.md``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

ROOT = Path(__file__).resolve().parents[1]


def one_dataset(
    i: int, settings: dict[str, Any], months: int, table: Any, adjustments: list[str]
) -> tuple[list[dict], list[dict]]:
    """Truth, calibration (per adjustment) and forecast of dataset ``i``: (parameter rows, pole rows)."""
    from xbsim.calibration.abc import Simulator, posterior_of, prior_sample
    from xbsim.calibration.monitoring import indicators_of
    from xbsim.calibration.run import calibrate_and_forecast, scenario

    base = scenario(settings)
    keys = list(settings["priors"])
    horizon = int(base["horizon_months"])
    truth = prior_sample(settings["priors"], 1, np.random.default_rng([int(settings["seed"]), 99, i]))
    theta = truth[keys].to_numpy(float)[0]
    truth_model = Simulator(base, keys, 10_000 + i, months, 3).model(theta, to_month=horizon)
    observed = indicators_of(truth_model, months)
    level = float(settings["forecast"]["credible_level"])
    shipped = settings["abc"]["adjustment"]
    res = calibrate_and_forecast(observed, settings, None, table=table)
    params = []
    for adjustment in adjustments:
        s = {**settings, "abc": {**settings["abc"], "adjustment": adjustment}}
        post = res["posterior"] if adjustment == shipped else posterior_of(table, observed, s)
        table_iv = post.interval(level)
        w = post.particles["weight"].to_numpy(float)
        for r, key in zip(table_iv.itertuples(), keys, strict=True):
            lo, hi = settings["priors"][key]["low"], settings["priors"][key]["high"]
            sd = float(np.sqrt(np.average((post.particles[key] - r.mean) ** 2, weights=w)))
            params.append(
                {
                    "dataset": i,
                    "adjustment": adjustment,
                    "parameter": key,
                    "truth": float(theta[keys.index(key)]),
                    "mean": r.mean,
                    "low": r.low,
                    "high": r.high,
                    "covered": bool(r.low <= theta[keys.index(key)] <= r.high),
                    # the same for the prior's own central interval: what a posterior equal to the prior covers
                    "prior_covered": bool(
                        lo + (1 - level) / 2 * (hi - lo) <= theta[keys.index(key)] <= lo + (1 + level) / 2 * (hi - lo)
                    ),
                    "width_share": (r.high - r.low) / (hi - lo),
                    "sd_ratio": sd / ((hi - lo) / np.sqrt(12)),
                    "ess": post.ess,
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


def reused_table(path: Path, settings: dict[str, Any], months: int) -> Any:
    """The reference table of an earlier ``xbsim-calibrate`` run, checked to be the one this study would build:
    its parameters are the prior draws of ``settings`` (same seed and size) and its statistics cover ``months``."""
    from xbsim.calibration.abc import ReferenceTable, blocks, prior_sample

    keys = list(settings["priors"])
    frame = pd.read_parquet(path)
    n = int(settings["abc"]["simulations"])
    draws = prior_sample(settings["priors"], n, np.random.default_rng([int(settings["seed"]), 0]))[keys]
    last = blocks(months, int(settings["abc"]["block_months"]))[-1]
    cols = [c for c in frame.columns if c not in (*keys, "distance", "accepted")]
    if len(frame) != n or not np.array_equal(frame[keys].to_numpy(), draws.to_numpy()):
        raise SystemExit(f"{path}: not the reference table of these settings (seed, abc.simulations, priors)")
    if not any(c.endswith(f".m{last[0]}-{last[1]}") for c in cols):
        raise SystemExit(f"{path}: not a table of {months} observed months")
    return ReferenceTable(
        frame[keys].reset_index(drop=True), frame[cols].reset_index(drop=True), months, int(settings["seed"])
    )


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--datasets", type=int, default=100)
    p.add_argument("--months", type=int, default=12, help="observed months of each synthetic dataset")
    p.add_argument("--simulations", type=int, default=None, help="reference table size (default: abc.simulations)")
    p.add_argument("--accept", type=float, default=None, help="accepted share (default: abc.accept)")
    p.add_argument("--draws", type=int, default=20, help="posterior-predictive runs of the forecast")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument(
        "--scale",
        type=int,
        default=None,
        help="population.n_companies of the scenario (default: the calibration settings' own)",
    )
    p.add_argument(
        "--table",
        default=None,
        help="reuse the reference_table.parquet of an xbsim-calibrate run with the same settings and months "
        "(checked: its parameters must be this study's prior draws)",
    )
    p.add_argument("--out", default=str(ROOT / "experiments" / "results"))
    p.add_argument("--doc", default=str(ROOT / "docs" / "calibration_recovery.md"))
    args = p.parse_args()
    from joblib import Parallel, delayed

    from xbsim.calibration.abc import Simulator, reference_table
    from xbsim.calibration.run import scenario
    from xbsim.calibration.settings import ADJUSTMENTS, load
    from xbsim.io.atomic import write_csv, write_text

    overrides = [f"forecast.draws={args.draws}", "abc.workers=1"]
    overrides += [f"abc.simulations={args.simulations}"] if args.simulations is not None else []
    overrides += [f"abc.accept={args.accept}"] if args.accept is not None else []
    settings = load(overrides=overrides)
    settings["forecast"]["actions"] = {}
    if args.scale is not None:
        settings["model_overrides"] = [*settings["model_overrides"], f"population.n_companies={args.scale}"]
    a = settings["abc"]
    adjustments = [a["adjustment"], *(x for x in ADJUSTMENTS if x != a["adjustment"])]
    start = time.perf_counter()
    sim = Simulator(scenario(settings), list(settings["priors"]), int(settings["seed"]), args.months, a["block_months"])
    if args.table:
        table = reused_table(Path(args.table), settings, args.months)
    else:
        table = reference_table(
            sim,
            settings["priors"],
            int(a["simulations"]),
            args.workers,
            lambda m: print(m, file=sys.stderr, flush=True),
        )
    table_seconds = time.perf_counter() - start
    out = Path(args.out)
    files = out / "calibration_recovery.csv", out / "calibration_recovery_forecast.csv"
    params, poles = pd.DataFrame(), pd.DataFrame()
    for res in Parallel(n_jobs=args.workers, verbose=5, return_as="generator_unordered")(
        delayed(one_dataset)(i, settings, args.months, table, adjustments) for i in range(args.datasets)
    ):
        params = pd.concat([params, pd.DataFrame(res[0])], ignore_index=True)
        poles = pd.concat([poles, pd.DataFrame(res[1])], ignore_index=True)
    params = params.sort_values(["dataset", "adjustment"], kind="stable")
    poles = poles.sort_values(["dataset"], kind="stable")
    write_csv(files[0], params)
    write_csv(files[1], poles)
    seconds = time.perf_counter() - start
    cov = params.groupby(["adjustment", "parameter"], sort=False).agg(
        coverage=("covered", "mean"),
        prior_coverage=("prior_covered", "mean"),
        width=("width_share", "mean"),
        sd_ratio=("sd_ratio", "mean"),
        bias=("mean", "mean"),
        truth=("truth", "mean"),
        ess=("ess", "mean"),
    )
    cov["bias"] = cov["bias"] - cov["truth"]
    # Binomial 95% interval of a coverage over n datasets, were the true coverage 90% (the nominal level).
    n = args.datasets
    band = stats.binom.ppf([0.025, 0.975], n, 0.9) / n
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
    reused = f" (read from {args.table})" if args.table else ""
    lines = [
        f"{n} synthetic datasets (true parameters drawn from the priors, each run with its own model seed), "
        f"{args.months} observed months each; rejection ABC on one shared reference table of {a['simulations']} "
        f"prior-predictive simulations (`abc.projection={a['projection']}`, `abc.accept={a['accept']}`: "
        f"{int(np.ceil(a['accept'] * a['simulations']))} accepted), {args.draws} forecast draws of the "
        f"`{a['adjustment']}` posterior; scenario `{' '.join(settings['model_overrides'])}`. Wall time "
        f"(shared 2-core machine): {table_seconds / 60:.1f} min for the table{reused}, "
        f"{seconds / 60:.1f} min in all "
        f"({args.workers} workers). Generated by `experiments/calibration_recovery.py {' '.join(sys.argv[1:])}`.",
        "",
        f"Were the intervals exactly calibrated, a coverage over {n} datasets would fall in "
        f"[{band[0]:.0%}, {band[1]:.0%}] with 95% probability (binomial).",
        "",
        "The column *prior's own 90% interval* is the share of the same true values inside the prior's central "
        "90% interval: what a posterior equal to the prior would cover. For a parameter the data do not inform, "
        "it is the coverage to expect on these datasets.",
        "",
        "| parameter | adjustment | coverage of the 90% interval | prior's own 90% interval "
        "| interval width / prior width | posterior SD / prior SD | mean bias | mean ESS |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for (adj, name), r in cov.iterrows():
        lines.append(
            f"| `{name}` | {adj} | {r.coverage:.0%} | {r.prior_coverage:.0%} | {r.width:.2f} | {r.sd_ratio:.2f} | "
            f"{r.bias:+.3f} | {r.ess:.0f} |"
        )
    lines += [
        "",
        f"Forecast from month {args.months} (`{a['adjustment']}` run; its draws re-run accepted simulations):",
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
