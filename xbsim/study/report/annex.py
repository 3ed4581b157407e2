"""The text of the report, laid out as an annex of a feasibility study: key findings in plain language, the
question, the scenarios, the results and their figures, the method, failures, provenance and how to cite; the
full configuration is an appendix file linked from it (:data:`CONFIG_APPENDIX`). Pure assembly of blocks from
the collected results and figure paths.

Each section is one function of :class:`ReportInputs` returning its blocks, listed in :data:`SECTIONS` in
reading order: a new section (an indicator table, a search result) is one more function in that list."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from xbsim.io.document import Block, Bullets, Code, Figure, Heading, Para, Table
from xbsim.outputs.names import format_value, parameter_name
from xbsim.study.collect import Collection, Scenario, sweep_command
from xbsim.study.provenance import now_utc
from xbsim.study.report.indicators import indicator_blocks
from xbsim.study.report.proposal import proposal_blocks

ODD = "docs/ODD.md"
CONFIG_APPENDIX = "appendix-config.md"  # the baseline's composed configuration, written beside report.md


@dataclass
class ReportInputs:
    """What the annex is written from."""

    col: Collection
    results: pd.DataFrame
    diffs: pd.DataFrame
    swept: list[str]
    common: dict[str, Any]
    baseline: Scenario | None
    baseline_reason: str
    figures: dict[str, Path] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    pole_labels: dict[str, str] = field(default_factory=dict)  # pole id -> its configured label
    territory_names: dict[str, str] = field(default_factory=dict)  # NUTS code -> "Aquitaine (FR61)"
    map_caption: str = ""

    @property
    def reference(self) -> Scenario | None:
        """The baseline, or the first scenario when there is none."""
        return self.baseline or (self.col.scenarios[0] if self.col.scenarios else None)

    def pole(self, name: str) -> str:
        return self.pole_labels.get(name, name)


def _distinct(values: list[Any]) -> list[Any]:
    return list(dict.fromkeys(v for v in values if v not in (None, "")))


def title(inp: ReportInputs) -> str:
    names = _distinct([s.doc.get("experiment") for s in inp.col.scenarios])
    what = f"experiment {', '.join(names)}" if names else "xbsim scenarios"
    return f"Annex — {what}: viability of the proposed cross-border poles"


def _key_findings(inp: ReportInputs) -> list[Block]:
    """Plain-language findings generated from the results (:mod:`xbsim.study.report.findings`)."""
    from xbsim.study.report.findings import key_findings

    ref = inp.reference
    if ref is None:
        return []
    items = key_findings(inp.col.scenarios, inp.results, inp.swept, ref, inp.pole_labels)
    blocks: list[Block] = [Heading("Key findings"), Bullets(items)]
    if len(inp.col.scenarios) > 1:
        blocks.append(Para(f"Baseline: {inp.labels.get(ref.key, ref.key)} — {inp.baseline_reason}."))
    return blocks


def _question(inp: ReportInputs) -> str:
    asked = _distinct([s.doc.get("question") for s in inp.col.scenarios])
    if asked:
        return " ".join(asked)
    horizon = _distinct([s.doc["horizon_months"] for s in inp.col.scenarios])
    text = (f"What is the probability that each proposed pole ({'; '.join(inp.pole(p) for p in inp.col.poles)}) "
            "reaches critical mass, "
            f"and so becomes viable, within the programme's horizon of {', '.join(map(str, horizon))} months")
    if inp.swept:
        text += f", and how does it change with {', '.join(parameter_name(k) for k in inp.swept)}"
    return text + "?"


def _scenario_table(inp: ReportInputs) -> pd.DataFrame:
    rows = []
    for s in inp.col.scenarios:
        reps = s.doc["replications"]
        rows.append({"scenario": inp.labels.get(s.key, s.key), "replications": reps["n"],
                     "stopped because": reps["stop_reason"], "directory": _rel(s.dir, inp.col.root)})
    return pd.DataFrame(rows)


def _rel(path: Path, root: Path) -> str:
    try:
        rel = str(path.relative_to(root))
    except ValueError:
        return str(path)
    return rel if rel != "." else "(this directory)"


def _method(inp: ReportInputs) -> list[Block]:
    docs = [s.doc for s in inp.col.scenarios]
    versions = _distinct([d["provenance"]["versions"]["xbsim"] for d in docs])
    commits = _distinct([d["provenance"]["git"]["commit"] for d in docs])
    conf = _distinct([round(100 * d["confidence"]) for d in docs])
    reps = sorted({d["replications"]["n"] for d in docs})
    rep_text = f"{reps[0]}" if len(reps) == 1 else f"{reps[0]} to {reps[-1]}"
    items = [
        f"Model: xbsim {', '.join(versions)}"
        + (f" (git commit {', '.join(c[:12] for c in commits)})" if commits else "")
        + f", an agent-based model of the programme with one step per month, described with the ODD protocol "
        f"in `{ODD}`.",
        "Outcome: a pole is viable in a run when it meets all its critical-mass criteria at once within the "
        "horizon; its time to critical mass is the month it is constituted.",
        f"Replications: {rep_text} independent replications per scenario.",
    ]
    adaptive = [d for d in docs if d["replications"]["adaptive"]]
    if adaptive:
        r = adaptive[0]["replications"]
        items.append(f"Adaptive stopping: replications were added in batches of {r['batch']} until the "
                     f"{conf[0]}% interval half-width of every pole's P(viable) was at most "
                     f"{r['target_half_width']}, or {r['max_replications']} replications were reached.")
    items += [
        "Seeds and common random numbers: replication r of a scenario with seed s draws from "
        "`numpy.random.SeedSequence([s, r])`, split into one named stream per mechanism; replication r of "
        "every scenario uses the same streams, so scenarios are compared on the same random draws.",
        f"Confidence intervals: Wilson score intervals at {', '.join(map(str, conf))}% "
        "(`scipy.stats.binomtest(k, n).proportion_ci(method=\"wilson\")`).",
        "Time to critical mass: Kaplan-Meier estimate, runs that never reach critical mass being right-censored "
        "at the horizon (`scipy.stats.ecdf` with `CensoredData`); the median and quartiles are the first months "
        "at which the estimated share of runs at critical mass reaches 50%, 25% and 75% (– when that share is "
        "not reached within the horizon).",
    ]
    if len(docs) > 1:
        items.append("Differences against the baseline: Newcombe's hybrid score interval for paired proportions "
                     "(1998, method 10), pairing replication r of each scenario with replication r of the baseline "
                     "(common random numbers); the unpaired version when the seeds differ.")
    return [Heading("4. Method"), Bullets(items)]


RESULT_NAMES = {"label": "scenario", "pole": "pole", "n": "runs", "viable": "viable runs", "p_viable": "P(viable)",
                "ci_low": "CI low", "ci_high": "CI high", "reached_critical_mass": "runs at critical mass",
                "ttcm_median": "median month", "ttcm_q1": "Q1 month", "ttcm_q3": "Q3 month"}


def _results(inp: ReportInputs) -> list[Block]:
    blocks: list[Block] = [Heading("3. Results")]
    show = inp.results[list(RESULT_NAMES)].assign(pole=inp.results["pole"].map(inp.pole))
    blocks.append(Table(show.rename(columns=RESULT_NAMES),
                        "P(viable) with its confidence interval, and time to critical mass (months; – beyond the "
                        "horizon), per scenario and pole (results.csv)"))
    captions = {
        "viability": "P(viable) and its confidence interval, per scenario and pole (values written beside "
                     "each point).",
        "heatmap": "P(viable) over the two swept parameters (interval in brackets).",
        "differences": "Difference in P(viable) against the baseline, with its paired (CRN) interval.",
        "time_to_critical_mass": "Share of runs at critical mass by month (Kaplan-Meier, censored at the "
                                 "horizon) with its 95% confidence band.",
    }
    for name, path in inp.figures.items():
        if name.startswith("parameter:"):
            key = name.split(":", 1)[1]
            blocks.append(Figure.from_file(path, f"P(viable) against {parameter_name(key)}, with its confidence "
                                                 "band."))
        elif name not in ("differences", "map"):
            blocks.append(Figure.from_file(path, captions[name]))
    if not inp.diffs.empty and inp.baseline is not None:
        blocks.append(Heading("Differences against the baseline", 3))
        blocks.append(Para(f"Baseline: {inp.labels[inp.baseline.key]} — {inp.baseline_reason}."))
        d = inp.diffs[["label", "pole", "n", "diff", "ci_low", "ci_high", "method"]].assign(
            pole=inp.diffs["pole"].map(inp.pole)).rename(
            columns={"label": "scenario", "n": "runs", "diff": "difference", "ci_low": "CI low",
                     "ci_high": "CI high"})
        blocks.append(Table(d, "P(viable) minus the baseline's (differences.csv)"))
        if "differences" in inp.figures:
            blocks.append(Figure.from_file(inp.figures["differences"], captions["differences"]))
    ref = inp.reference
    if ref is not None:
        blocks += _detail(inp, ref, inp.labels[ref.key])
    return blocks


def _detail(inp: ReportInputs, s: Scenario, name: str) -> list[Block]:
    """Map, members by territory, funnel and partnerships of one scenario (the baseline)."""
    blocks: list[Block] = [Heading(f"Detail of the scenario {name}", 3)]
    if "map" in inp.figures:
        blocks.append(Figure.from_file(inp.figures["map"], inp.map_caption))
    rows = []
    for pole, p in s.doc["poles"].items():
        for terr, d in {**p["members_by_territory"], "all": p["members"]}.items():
            rows.append({"pole": inp.pole(pole), "territory": inp.territory_names.get(terr, terr),
                         "mean": d["mean"], "5th percentile": d["q05"], "median": d["q50"],
                         "95th percentile": d["q95"]})
    blocks.append(Table(pd.DataFrame(rows), "Members at the horizon by territory (over the replications)"))
    if "funnel" in s.doc:
        from xbsim.outputs.figures import FUNNEL_MEANINGS

        f = pd.DataFrame([{"stage": k, "actors who": FUNNEL_MEANINGS.get(k, ""), "mean": d["mean"],
                           "5th percentile": d["q05"], "95th percentile": d["q95"]}
                          for k, d in s.doc["funnel"].items()])
        blocks.append(Table(f, "Programme funnel (actors at each stage)"))
        pships = pd.DataFrame([{"measure": f"{sec}: {k.replace('_', ' ')}", "mean": d["mean"],
                                "5th percentile": d["q05"], "95th percentile": d["q95"]}
                               for sec in ("partnerships", "b2b") for k, d in s.doc.get(sec, {}).items()])
        blocks.append(Table(pships, "Partnerships and B2B meetings (b2b participants: registrations summed over "
                                    "the events, an actor counted once per event)"))
    return blocks


def _failures(inp: ReportInputs) -> list[Block]:
    blocks: list[Block] = [Heading("5. Failed and unfinished scenarios")]
    if not inp.col.failures and not inp.col.unfinished:
        return [*blocks, Para("None: every scenario finished.")]
    if inp.col.failures:
        rows = [{"scenario": f.get("scenario", "?"), "error": f.get("error", "?"),
                 "directory": _rel(Path(f["dir"]), inp.col.root)} for f in inp.col.failures]
        blocks.append(Table(pd.DataFrame(rows), "Failed scenarios (failed.json holds each traceback)"))
    if inp.col.unfinished:
        blocks.append(Para("Started but not finished (no scenario.json nor failed.json): "
                           + ", ".join(f"`{_rel(d, inp.col.root)}`" for d in inp.col.unfinished)
                           + ". Run the same sweep again to complete them."))
    return blocks


def _provenance(inp: ReportInputs) -> list[Block]:
    docs = [s.doc for s in inp.col.scenarios]
    prov = [d["provenance"] for d in docs]
    dates = sorted(p["date"] for p in prov)
    git = _distinct([(p["git"]["commit"], p["git"]["dirty"]) for p in prov if p["git"]["commit"]])
    v0 = prov[0]["versions"] if prov else {}
    items = [f"xbsim version: {', '.join(_distinct([p['versions']['xbsim'] for p in prov]))}",
             "git commit: " + (", ".join(f"{c}{' (with uncommitted changes)' if dirty else ''}" for c, dirty in git)
                               if git else "none (not run from a git checkout)"),
             f"runs dated {dates[0]} to {dates[-1]} (UTC); report written {now_utc()}" if dates else "",
             "software: " + ", ".join(f"{k} {v}" for k, v in v0.items() if k != "xbsim" and v),
             f"platform: {prov[0]['platform']}" if prov else ""]
    blocks: list[Block] = [Heading("6. Provenance"), Bullets([i for i in items if i])]
    commands = []
    sweep = sweep_command(inp.col)
    if sweep:
        commands.append(f"# the sweep, as Hydra recorded it (multirun.yaml)\n{sweep}")
    recorded = _distinct([p["command"] for p in prov])
    if recorded:
        commands.append("# as typed\n" + "\n".join(recorded))
    commands.append("# each scenario alone (same results, same seeds)\n" + "\n".join(
        shlex.join(["xbsim", *s.doc.get("overrides", [])]) for s in inp.col.scenarios))
    blocks += [Heading("Command lines", 3), Code("\n\n".join(commands), "sh")]
    seeds = pd.DataFrame([{"scenario": s.key, "seed": s.doc["seed"], "replications": s.doc["replications"]["n"],
                           "streams": s.doc["replications"]["seeds"], "config digest": s.doc["config_hash"]}
                          for s in inp.col.scenarios])
    blocks += [Heading("Seeds", 3), Table(seeds)]
    blocks.append(Heading("Composed configurations", 3))
    blocks.append(Para("Every scenario's composed configuration is in its directory as `config.yaml` (and "
                       "`.hydra/config.yaml`, with `.hydra/overrides.yaml`)."
                       + (f" The baseline's is in the appendix [{CONFIG_APPENDIX}]({CONFIG_APPENDIX}); the others "
                          "differ only by their overrides." if len(docs) > 1 else
                          f" It is in the appendix [{CONFIG_APPENDIX}]({CONFIG_APPENDIX}).")))
    return blocks


def config_appendix(inp: ReportInputs) -> str | None:
    """The Markdown of :data:`CONFIG_APPENDIX`: the reference scenario's composed configuration (None when it
    has no config.yaml)."""
    ref = inp.reference
    if ref is None or not (ref.dir / "config.yaml").is_file():
        return None
    return (f"# Appendix — composed configuration\n\nScenario: {inp.labels.get(ref.key, ref.key)} "
            f"(`{_rel(ref.dir, inp.col.root)}/config.yaml`). The other scenarios differ only by their overrides "
            f"(report.md, section 6).\n\n```yaml\n{(ref.dir / 'config.yaml').read_text(encoding='utf-8').rstrip()}"
            "\n```\n")


def _cite(inp: ReportInputs) -> list[Block]:
    prov = [s.doc["provenance"] for s in inp.col.scenarios]
    if not prov:
        return []
    version = prov[0]["versions"]["xbsim"]
    commit = prov[0]["git"]["commit"]
    names = _distinct([s.doc.get("experiment") for s in inp.col.scenarios])
    date = min(p["date"] for p in prov)[:10]
    text = (f"xbsim {version}{f' (commit {commit[:12]})' if commit else ''}, "
            f"{'experiment ' + ', '.join(names) if names else 'scenarios'} run on {date}; results in "
            f"`{inp.col.root.name}/report/results.csv`. See `experiments/README.md` for citing an experiment.")
    return [Heading("7. How to cite"), Para(text)]


def _scenarios(inp: ReportInputs) -> list[Block]:
    col = inp.col
    blocks: list[Block] = [Heading("2. Scenarios"),
                           Para(f"{len(col.scenarios)} scenario(s) finished, {len(col.failures)} failed, "
                                f"{len(col.unfinished)} unfinished, in `{col.root}`.")]
    if col.scenarios:
        blocks.append(Table(_scenario_table(inp)))
    if inp.common:
        blocks.append(Para("Settings shared by every scenario: "
                           + "; ".join(f"{parameter_name(k)} = {format_value(v)} (`{k}`)"
                                       for k, v in inp.common.items()) + "."))
    if inp.baseline is not None and len(col.scenarios) > 1:
        blocks.append(Para(f"Baseline scenario: {inp.labels[inp.baseline.key]} — {inp.baseline_reason}."))
    return blocks


def _finished(section: Callable[[ReportInputs], list[Block]]) -> Callable[[ReportInputs], list[Block]]:
    """``section`` when at least one scenario finished, nothing otherwise."""
    return lambda inp: section(inp) if inp.col.scenarios else []


def _indicators(inp: ReportInputs) -> list[Block]:
    """The Interreg indicators of every scenario (xbsim.study.report.indicators)."""
    return indicator_blocks(inp.col, inp.labels, inp.col.scenarios[0].doc["confidence"])


def _proposal(inp: ReportInputs) -> list[Block]:
    """The poles proposed from the evidence, ranked by P(viable) (``poles=auto``; nothing otherwise)."""
    return proposal_blocks(inp.col, inp.labels)


#: The annex's sections in reading order (a function of the inputs each).
SECTIONS: list[Callable[[ReportInputs], list[Block]]] = [
    _finished(_key_findings),
    lambda inp: [Heading("1. Question"), Para(_question(inp))],
    _scenarios,
    _finished(_results),
    _finished(_indicators),
    _finished(_proposal),
    _finished(_method),
    _failures,
    _finished(_provenance),
    _finished(_cite),
]


def build_blocks(inp: ReportInputs) -> list[Block]:
    blocks: list[Block] = [Heading(title(inp), 1)]
    for section in SECTIONS:
        blocks += section(inp)
    return blocks
