"""What ``xbsim-calibrate`` writes: the posterior (parquet + summary), the figures (marginals, pairs,
posterior-predictive checks, forecast) and the report section ``calibration.md``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from xbsim.calibration.abc import Posterior
from xbsim.calibration.forecast import BASELINE, fmt_month
from xbsim.calibration.monitoring import INDICATORS
from xbsim.io.atomic import write_figure, write_text


def _plt() -> Any:
    import matplotlib.pyplot as plt

    return plt


def marginals_figure(
    path: Path, posterior: Posterior, priors: dict[str, dict[str, float]], truth: dict[str, float] | None = None
) -> Path:
    """One weighted histogram per calibrated parameter over its prior range (the prior is the flat line)."""
    plt = _plt()
    k = len(posterior.keys)
    fig, axes = plt.subplots(1, k, figsize=(3.2 * k, 2.8), squeeze=False)
    w = posterior.particles["weight"].to_numpy(float)
    for ax, key in zip(axes[0], posterior.keys, strict=True):
        lo, hi = priors[key]["low"], priors[key]["high"]
        ax.hist(
            posterior.particles[key],
            bins=15,
            range=(lo, hi),
            weights=w,
            density=True,
            color="#4c72b0",
            alpha=0.8,
            label="posterior",
        )
        ax.axhline(1 / (hi - lo), color="grey", ls="--", lw=1, label="prior")
        if truth and key in truth:
            ax.axvline(truth[key], color="#c44e52", lw=1.5, label="true value")
        ax.set_title(key, fontsize=9)
        ax.set_yticks([])
    axes[0][0].legend(fontsize=7)
    fig.tight_layout()
    path = write_figure(path, fig)
    plt.close(fig)
    return path


def pairs_figure(path: Path, posterior: Posterior, priors: dict[str, dict[str, float]]) -> Path:
    """Pairwise scatter of the particles (size by weight) for every pair of calibrated parameters."""
    plt = _plt()
    keys, k = posterior.keys, len(posterior.keys)
    fig, axes = plt.subplots(k, k, figsize=(2.0 * k + 1, 2.0 * k + 1), squeeze=False)
    w = posterior.particles["weight"].to_numpy(float)
    size = 40 * w / w.max()
    for r, a in enumerate(keys):
        for c, b in enumerate(keys):
            ax = axes[r][c]
            if r == c:
                ax.hist(
                    posterior.particles[a],
                    bins=15,
                    range=(priors[a]["low"], priors[a]["high"]),
                    weights=w,
                    color="#4c72b0",
                )
                ax.set_yticks([])
            elif r > c:
                ax.scatter(posterior.particles[b], posterior.particles[a], s=size, alpha=0.5, color="#4c72b0")
                ax.set_xlim(priors[b]["low"], priors[b]["high"])
                ax.set_ylim(priors[a]["low"], priors[a]["high"])
            else:
                ax.axis("off")
            if r == k - 1:
                ax.set_xlabel(b.split(".")[-1], fontsize=8)
            if c == 0 and r > 0:
                ax.set_ylabel(a.split(".")[-1], fontsize=8)
            ax.tick_params(labelsize=6)
    fig.tight_layout()
    path = write_figure(path, fig)
    plt.close(fig)
    return path


def predictive_bands(series: pd.DataFrame, level: float) -> pd.DataFrame:
    """Per month and indicator: the posterior-predictive median and central ``level`` band of the counts."""
    long = series.melt(id_vars=["draw", "month"], value_vars=list(INDICATORS), var_name="indicator")
    q = long.groupby(["month", "indicator"])["value"]
    return pd.DataFrame(
        {"median": q.median(), "low": q.quantile((1 - level) / 2), "high": q.quantile((1 + level) / 2)}
    ).reset_index()


def predictive_check(observed: pd.DataFrame, bands: pd.DataFrame) -> pd.DataFrame:
    """Per indicator: the share of observed months inside the predictive band."""
    merged = (
        observed.reset_index()
        .melt(id_vars="month", var_name="indicator", value_name="observed")
        .merge(bands, on=["month", "indicator"])
    )
    merged["inside"] = (merged["observed"] >= merged["low"]) & (merged["observed"] <= merged["high"])
    return (
        merged.groupby("indicator", sort=False)
        .agg(months=("inside", "size"), inside=("inside", "mean"), observed_total=("observed", "sum"))
        .reindex(list(INDICATORS))
        .reset_index()
    )


def predictive_figure(path: Path, observed: pd.DataFrame, bands: pd.DataFrame, level: float) -> Path:
    """Observed monthly counts against the posterior-predictive band, to the horizon."""
    plt = _plt()
    fig, axes = plt.subplots(2, 3, figsize=(12, 6), squeeze=False)
    last = int(observed.index.max()) if len(observed) else 0
    for ax, ind in zip(axes.flat, INDICATORS, strict=True):
        b = bands[bands["indicator"] == ind]
        ax.fill_between(
            b["month"], b["low"], b["high"], color="#4c72b0", alpha=0.25, label=f"{level:.0%} predictive band"
        )
        ax.plot(b["month"], b["median"], color="#4c72b0", lw=1, label="predictive median")
        if last:
            ax.plot(observed.index, observed[ind], "o", color="#c44e52", ms=3, label="observed")
            ax.axvline(last + 0.5, color="grey", ls=":", lw=1)
        ax.set_title(ind, fontsize=9)
        ax.tick_params(labelsize=7)
    axes[0][0].legend(fontsize=7)
    fig.supxlabel("month")
    fig.tight_layout()
    path = write_figure(path, fig)
    plt.close(fig)
    return path


def forecast_figure(path: Path, summary: pd.DataFrame) -> Path:
    """P(viable) per pole and action with its credible interval."""
    plt = _plt()
    poles = list(dict.fromkeys(summary["pole"]))
    actions = list(dict.fromkeys(summary["action"]))
    fig, ax = plt.subplots(figsize=(2.2 + 2.2 * len(poles), 3.2))
    width = 0.8 / len(actions)
    for a, action in enumerate(actions):
        s = summary[summary["action"] == action].set_index("pole").reindex(poles)
        x = np.arange(len(poles)) + (a - (len(actions) - 1) / 2) * width
        ax.bar(
            x,
            s["p_viable"],
            width,
            label=action,
            yerr=[s["p_viable"] - s["p_viable_low"], s["p_viable_high"] - s["p_viable"]],
            capsize=3,
        )
    ax.set_xticks(np.arange(len(poles)), poles)
    ax.set_ylim(0, 1)
    ax.set_ylabel("P(viable by the horizon)")
    ax.legend(fontsize=7)
    fig.tight_layout()
    path = write_figure(path, fig)
    plt.close(fig)
    return path


def method(info: dict[str, Any]) -> str:
    """One sentence: the ABC scheme and its size (see :mod:`xbsim.calibration.abc`)."""
    if not info["simulations"]:
        return "no observed month, so the posterior is the prior (a sample of `abc.simulations` prior draws)"
    summaries = (
        "semi-automatic summaries (linear regression of the parameters on the statistics)"
        if info["projection"] == "linear"
        else "statistics scaled by their median absolute deviation"
    )
    adjusted = (
        "local-linear regression adjustment (Epanechnikov weights)"
        if info["adjustment"] == "local_linear"
        else "no adjustment (equal weights)"
    )
    return (
        f"rejection ABC on a reference table of {info['simulations']} prior-predictive simulations, "
        f"{info['block_months']}-month block totals as statistics, {summaries}, the closest {info['accept']:.0%} "
        f"accepted ({info['accepted']} simulations, tolerance {info['tolerance']:.3g}), {adjusted}, "
        f"effective sample size {info['ess']:.1f}"
    )


def markdown(
    info: dict[str, Any],
    posterior_table: pd.DataFrame,
    check: pd.DataFrame,
    forecast: pd.DataFrame,
    level: float,
    horizon: int,
) -> str:
    """The report section ``calibration.md``."""
    lines = [
        "## Calibration to the monitoring data and forecast",
        "",
        f"Data: `{info['data']}`, months 1-{info['observed_months']} of {horizon}. Scenario overrides: "
        f"`{' '.join(info['model_overrides']) or '(none)'}`. Method: {method(info)}, seed {info['seed']}, "
        f"{info['seconds']:.0f} s.",
        "",
        *(
            [
                f"**Few effective particles** (effective sample size {info['ess']:.1f}, below 10): the intervals "
                "below rest on a few points; raise `abc.simulations` or `abc.accept`.",
                "",
            ]
            if info["ess"] < 10
            else []
        ),
        f"### Posterior ({level:.0%} credible intervals)",
        "",
        "| parameter | prior | mean | median | interval |",
        "|---|---|---|---|---|",
    ]
    for r in posterior_table.itertuples():
        p = info["priors"][r.parameter]
        lines.append(
            f"| `{r.parameter}` | U({p['low']:g}, {p['high']:g}) | {r.mean:.3f} | {r.median:.3f} | "
            f"[{r.low:.3f}, {r.high:.3f}] |"
        )
    lines += [
        "",
        f"### Posterior-predictive check (share of observed months inside the {level:.0%} band)",
        "",
        "| indicator | months | inside | observed total |",
        "|---|---|---|---|",
    ]
    for r in check.itertuples():
        lines.append(f"| {r.indicator} | {r.months} | {r.inside:.0%} | {r.observed_total:.0f} |")
    lines += [
        "",
        f"### Forecast to month {horizon} ({forecast['draws'].iloc[0]} posterior-predictive draws per action)",
        "",
        "| action | pole | P(viable) | difference to baseline | months to critical mass: median "
        f"[{level:.0%} interval] |",
        "|---|---|---|---|---|",
    ]
    for r in forecast.itertuples():
        diff = (
            "" if r.action == BASELINE else f"{r.difference:+.2f} [{r.difference_low:+.2f}, {r.difference_high:+.2f}]"
        )
        lines.append(
            f"| {r.action} | {r.pole} | {r.p_viable:.2f} [{r.p_viable_low:.2f}, {r.p_viable_high:.2f}] | "
            f"{diff} | {fmt_month(r.months_median, horizon)} [{fmt_month(r.months_low, horizon)}, "
            f"{fmt_month(r.months_high, horizon)}] |"
        )
    lines += [
        "",
        "Figures: `figures/posterior_marginals.png`, `figures/posterior_pairs.png`, "
        "`figures/posterior_predictive.png`, `figures/forecast.png`. Tables: `posterior.parquet`, "
        "`reference_table.parquet`, "
        "`posterior_summary.csv`, `forecast.csv`, `forecast_draws.parquet`, `predictive_check.csv`.",
        "",
    ]
    return "\n".join(lines)


def write_all(
    out: Path,
    info: dict[str, Any],
    posterior: Posterior,
    observed: pd.DataFrame,
    draws: pd.DataFrame,
    series: pd.DataFrame,
    forecast: pd.DataFrame,
    level: float,
    horizon: int,
) -> list[Path]:
    """Every output file of a calibration into ``out``."""
    from xbsim.io.atomic import write_csv, write_json, write_parquet

    table = posterior.interval(level)
    bands = predictive_bands(series, level)
    check = predictive_check(observed, bands)
    figs = out / "figures"
    paths = [
        write_parquet(out / "posterior.parquet", posterior.particles),
        *([write_parquet(out / "reference_table.parquet", posterior.table)] if posterior.table is not None else []),
        write_csv(out / "posterior_summary.csv", table),
        write_csv(out / "observed.csv", observed.reset_index()),
        write_csv(out / "predictive_bands.csv", bands),
        write_csv(out / "predictive_check.csv", check),
        write_csv(out / "forecast.csv", forecast),
        write_parquet(out / "forecast_draws.parquet", draws),
        marginals_figure(figs / "posterior_marginals.png", posterior, info["priors"]),
        pairs_figure(figs / "posterior_pairs.png", posterior, info["priors"]),
        predictive_figure(figs / "posterior_predictive.png", observed, bands, level),
        forecast_figure(figs / "forecast.png", forecast),
        write_text(out / "calibration.md", markdown(info, table, check, forecast, level, horizon)),
    ]
    paths.append(write_json(out / "calibration.json", info))
    return paths
