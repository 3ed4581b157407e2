"""The territory-company convergence report: content from the stage-1 analysis, rendered as Markdown and HTML.

:func:`build_report` turns a population and its :class:`~xbsim.programme.analysis.Stage1` results into a list of
blocks of the shared document model (:mod:`xbsim.io.document`) plus the CSV tables behind them;
:func:`render_markdown` and :func:`render_html` render the same blocks (the HTML is self-contained: figures are
embedded as base64 PNG); :func:`write_report` writes everything atomically, ``report.html`` last. Nothing here
draws random numbers or writes a date, so the same inputs give the same files.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from xbsim.core.config.schema import SIZE_CLASSES, PopulationSource
from xbsim.core.domain import Domain
from xbsim.core.population.table import Population
from xbsim.io.atomic import atomic_write, write_csv, write_text
from xbsim.io.document import Block, Bullets, Figure, Heading, Para, Table, to_html, to_markdown
from xbsim.outputs import analysis_figures as figs
from xbsim.programme.analysis import (
    CONVERGENCE_WEIGHTS,
    READY_FLOOR,
    READY_SCORE,
    Stage1,
    chain_coverage,
    complementarity_matrix,
    coverage_counts,
    gap_fills,
    needs_by,
    size_structure,
)

TITLE = "Territory-company convergence report"
SPECIALISED = 1.0  # LQ above which a territory is called specialised in an area


@dataclass
class Report:
    """Blocks to render, and the CSV tables and PNG figures written next to the report."""

    title: str
    with_figures: bool = True
    blocks: list[Block] = field(default_factory=list)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    figures: dict[str, bytes] = field(default_factory=dict)

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)

    def table(self, name: str, df: pd.DataFrame, caption: str, index: bool = False,
              shown: pd.DataFrame | None = None) -> None:
        """Keep ``df`` as tables/<name>.csv and show ``shown`` (default: ``df`` rounded) in the report."""
        self.tables[name] = df
        self.add(Table(shown if shown is not None else df.round(3), f"{caption} (tables/{name}.csv)", index))

    def figure(self, name: str, draw: Callable[[], Any], caption: str) -> None:
        """Render ``draw()`` as figures/<name>.png (skipped when the report has no figures)."""
        if not self.with_figures:
            return
        data = figs.png(draw())
        self.figures[name] = data
        self.add(Figure(f"figures/{name}.png", caption, data))


# ---- content ---------------------------------------------------------------------------------------------


def _population_section(rep: Report, pop: Population, domain: Domain, cfg: dict[str, Any]) -> None:
    codes = np.array(domain.territories.codes)
    df = pd.DataFrame({"territory": codes[pop.territory], "origin": pop.origin,
                       "interviewed": pop.interviewed_in_survey})
    table = pd.crosstab(df["territory"], df["origin"]).reindex(index=list(codes), fill_value=0)
    for col in ("surveyed", "synthetic"):
        if col not in table:
            table[col] = 0
    table = table[["surveyed", "synthetic"]]
    table["interviewed"] = df.groupby("territory")["interviewed"].sum().reindex(list(codes), fill_value=0)
    table["total"] = table["surveyed"] + table["synthetic"]
    table.index.name = "territory"
    n_s, n_f = int(table["surveyed"].sum()), int(table["synthetic"].sum())
    pc = cfg["population"]
    if pc["source"] == PopulationSource.survey:
        text = (f"Population: {pop.n} companies, {n_s} surveyed (from `{pc['path']}`) and {n_f} synthetic "
                "non-respondents drawn from the territories' sector statistics"
                + ((" to reach the real target population." if pc["n_companies"] is None
                    else f" to reach population.n_companies = {pc['n_companies']}.") if pc["fill_synthetic"]
                   else " (none: population.fill_synthetic = false)."))
    else:
        text = (f"Population: {pop.n} synthetic companies drawn from the territories' sector statistics "
                "(no survey file; population.source = synthetic).")
    rep.add(Para(f"{text} Seed {cfg['seed']}."))
    rep.table("population", table, "Companies per territory and origin", index=True)


def _competitiveness(rep: Report, s1: Stage1, pop: Population, domain: Domain) -> None:
    rep.add(Heading("1. Territorial competitiveness"),
            Para("Specialisation is measured by location quotients of persons employed (Eurostat SBS): "
                 "LQ[t, a] = (employment of t in a / employment of t) / (employment of the programme in a / "
                 "employment of the programme). LQ > 1: the territory is more specialised in the area than the "
                 "programme as a whole."))
    lq = s1.location_quotients
    rep.table("location_quotients", lq, "Location quotients, territory x area", index=True, shown=lq.round(2))
    rep.figure("lq", lambda: figs.lq_figure(lq), "Location quotients (blue: specialised, red: under-represented).")
    items = []
    for t, code in enumerate(domain.territories.codes):
        row = lq.loc[code].sort_values(ascending=False)
        strong = [f"`{a}` ({v:.2f})" for a, v in row.items() if v > SPECIALISED]
        items.append(f"{code} ({domain.territories.names[t]}): specialised in "
                     + (", ".join(strong) if strong else "none of the areas"))
    rep.add(Bullets(tuple(items)))
    sizes = size_structure(pop, domain)
    rep.add(Para("Size structure of the companies (EU classes: micro < 10, small < 50, medium < 250 persons "
                 "employed; SMEs are micro, small and medium)."))
    rep.table("size_structure", sizes, "Companies per territory and size class", index=True,
              shown=sizes.round({"sme_share": 3}))
    rep.figure("size", lambda: figs.size_figure(sizes, SIZE_CLASSES), "Size structure per territory.")


def _coverage(rep: Report, s1: Stage1, pop: Population, domain: Domain) -> None:
    codes = list(domain.territories.codes)
    rep.add(Heading("2. Value-chain coverage"),
            Para("Each area's value chain is a sequence of segments (upstream first). A territory has a gap "
                 "where it has no actor in a segment; the gap is filled across the border when a territory of "
                 "another country has actors there (cross-border means across the national border; a fill from "
                 "a region of the same country is interregional), and is a gap of the whole programme when "
                 "nobody has."))
    counts = coverage_counts(pop, domain)
    per_territory, joint = chain_coverage(counts, domain)
    cov = pd.DataFrame(per_territory, index=codes, columns=list(domain.areas.names))
    cov.loc["programme (joint)"] = joint
    cov.index.name = "territory"
    rep.tables["coverage"] = s1.coverage
    rep.table("coverage_shares", cov, "Share of each area's segments with at least one actor", index=True,
              shown=cov.round(2))
    rep.figure("coverage", lambda: figs.coverage_figure(s1.coverage, domain),
               "Actors per segment and territory (the area x segment x territory matrix; tables/coverage.csv).")
    gaps = gap_fills(s1.coverage)
    summary = (s1.coverage.groupby("territory", sort=False)
               .agg(segments=("gap", "size"), gaps=("gap", "sum"),
                    filled_across_border=("filled_across_border", "sum"), filled_elsewhere=("filled_elsewhere", "sum"))
               .reindex(codes))
    summary["filled_interregionally_only"] = summary["filled_elsewhere"] - summary["filled_across_border"]
    summary["programme_gaps"] = summary["gaps"] - summary["filled_elsewhere"]
    summary = summary.drop(columns=["filled_elsewhere"])
    rep.table("gaps_by_territory", summary, "Gaps per territory", index=True)
    if len(gaps):
        rep.table("gaps", gaps, "Each gap and the other territories whose actors fill it",
                  shown=gaps.drop(columns=["position"]))
    else:
        rep.tables["gaps"] = gaps
        rep.add(Para("No territory has a gap: every segment of every area has an actor in every territory."))

    rep.add(Para("Complementarity between territories: how the mean capabilities of one territory's companies "
                 "answer the mean needs of another's, per area (mean over dimensions of capability x need, 0-1). "
                 "The convergence score's cross-border component averages the pairs of territories of different "
                 "countries."))
    matrices, rows = {}, []
    for a, name in enumerate(domain.areas.names):
        m = complementarity_matrix(pop, domain, np.flatnonzero(pop.area == a))
        matrices[name] = m
        for t, u in zip(*np.nonzero(~np.eye(len(codes), dtype=bool)), strict=True):
            rows.append({"area": name, "provider": codes[t], "receiver": codes[u],
                         "complementarity": round(float(m[t, u]), 4) if np.isfinite(m[t, u]) else np.nan})
    comp = pd.DataFrame(rows)
    rep.tables["complementarity"] = comp
    best = comp.dropna().sort_values(["area", "complementarity"], ascending=[True, False]).groupby(
        "area", sort=False).head(1)
    best = best.set_index("area").reindex(list(domain.areas.names)).reset_index()
    rep.table("complementarity_best", best,
              "Strongest cross-border complementarity per area; every pair is in tables/complementarity.csv")
    labels = dict(zip(domain.areas.names, domain.areas.labels, strict=True))
    rep.figure("complementarity", lambda: figs.complementarity_figure(matrices, labels, codes),
               "Cross-border complementarity per area: capabilities of the row territory x needs of the column "
               "territory.")


def _needs(rep: Report, s1: Stage1, domain: Domain) -> None:
    dims = list(domain.dimensions.names)
    labels = dict(zip(dims, domain.dimensions.labels, strict=True))
    rep.add(Heading("3. SME innovation-needs diagnosis"),
            Para("Mean need per capability dimension (0 = no need, 1 = critical), weighted by companies; "
                 "for surveyed companies the need is the survey score (1-5 mapped to 0-1)."))
    needs = s1.needs
    rep.tables["needs"] = needs
    by_t = needs_by(needs, "territory").reindex(index=list(domain.territories.codes), columns=dims)
    by_a = needs_by(needs, "area").reindex(index=list(domain.areas.names), columns=dims)
    sizes = [s for s in SIZE_CLASSES if s in set(needs["size_class"])]
    by_s = needs_by(needs, "size_class").reindex(index=sizes, columns=dims)
    smes = needs[needs["size_class"] != SIZE_CLASSES[-1]]
    by_t_sme = needs_by(smes, "territory").reindex(index=list(domain.territories.codes), columns=dims)
    for name, df, caption in (("needs_by_territory", by_t, "Mean need by territory (all companies)"),
                              ("needs_sme_by_territory", by_t_sme, "Mean need of SMEs by territory"),
                              ("needs_by_area", by_a, "Mean need by area"),
                              ("needs_by_size_class", by_s, "Mean need by size class")):
        rep.table(name, df, caption, index=True, shown=df.T.rename(index=labels).round(2))
    rep.figure("needs", lambda: figs.needs_figure(by_t, by_s, labels), "Mean need by territory and by size class.")
    items = []
    for code, row in by_t_sme.iterrows():
        top = row.dropna().sort_values(ascending=False).head(3)
        if len(top):
            items.append(f"SMEs of {code} need most: " + ", ".join(f"{labels[d]} ({v:.2f})" for d, v in top.items()))
    if SIZE_CLASSES[-1] in by_s.index and len(sizes) > 1:
        gap = (by_s.drop(index=SIZE_CLASSES[-1]).mean() - by_s.loc[SIZE_CLASSES[-1]]).sort_values(ascending=False)
        d = gap.index[0]
        items.append(f"Largest SME-versus-large gap: {labels[d]} (+{gap.iloc[0]:.2f} for SMEs)")
    rep.add(Bullets(tuple(items)))


def _reason(row: pd.Series) -> str:
    """The weakest component, and which readiness rule fails when the unit is not ready."""
    parts = {k: float(row[k]) for k in CONVERGENCE_WEIGHTS}
    weakest = min(parts, key=lambda k: parts[k])
    text = f"weakest component: {weakest.replace('_', ' ')} ({parts[weakest]:.2f})"
    if row["ready_for_pole"]:
        return text
    failed = []
    if float(row["score"]) < READY_SCORE:
        failed.append(f"score {float(row['score']):.2f} < {READY_SCORE:g}")
    failed += [f"{k.replace('_', ' ')} {v:.2f} < {READY_FLOOR:g}" for k, v in parts.items() if v < READY_FLOOR]
    return f"{text}; fails the readiness rule(s): {', '.join(failed)}"


def _convergence(rep: Report, s1: Stage1, domain: Domain, cfg: dict[str, Any]) -> None:
    conv = s1.convergence
    weights = ", ".join(f"{k.replace('_', ' ')} x {v:g}" for k, v in CONVERGENCE_WEIGHTS.items())
    rep.add(Heading("4. Convergence and readiness for a pole"),
            Para("For each area and each proposed pole, the convergence score is a weighted mean of four "
                 f"components in [0, 1] ({weights}): cross-border complementarity (rescaled, 0.35 -> 1), joint "
                 "value-chain coverage (segments with actors in at least two countries), critical-mass "
                 "potential (companies open to cross-border cooperation over ten times the smallest pole "
                 "threshold) and S3 alignment. A unit is ready for a pole when both rules hold: (1) its score is "
                 f"at least {figs.READY:g}, and (2) none of its four components is below {READY_FLOOR:g}, so a "
                 "high score cannot hide, say, a missing critical mass. A unit that passes (1) but fails (2) is "
                 "\"not ready yet\", and the recommendation names the component that fails."))
    rep.tables["convergence"] = conv
    cols = ["rank", "unit", "companies", "open_companies", *CONVERGENCE_WEIGHTS, "score", "ready_for_pole"]
    areas = conv[conv["kind"] == "area"].sort_values("rank")[cols]
    poles = conv[conv["kind"] == "pole"].sort_values("rank")[cols]
    rep.add(Table(areas.round(3), "Areas ranked by convergence score (tables/convergence.csv)"),
            Table(poles.round(3), "Proposed poles ranked by convergence score"))
    rep.figure("convergence", lambda: figs.convergence_figure(conv),
               "Convergence score per area and proposed pole, by weighted component.")
    items = []
    for _, r in areas.iterrows():
        verdict = "ready for a pole" if r["ready_for_pole"] else "not ready yet"
        items.append(f"Rank {r['rank']}: `{r['unit']}`, score {r['score']:.2f}, {verdict}; {_reason(r)}")
    for _, r in poles.iterrows():
        members = ", ".join(f"`{a}`" for a in cfg["poles"][r["unit"]]["areas"])
        verdict = "ready" if r["ready_for_pole"] else "not ready yet"
        items.append(f"Proposed pole `{r['unit']}` ({members}): score {r['score']:.2f}, {verdict}; {_reason(r)}")
    rep.add(Heading("Recommendation", 3), Bullets(tuple(items)))


def _key_findings(s1: Stage1, domain: Domain) -> Bullets:
    conv = s1.convergence
    areas = conv[conv["kind"] == "area"].sort_values("rank")
    ready = areas[areas["ready_for_pole"]]
    items = [("Areas ready for a cross-border pole, best first: "
              + ", ".join(f"`{u}` ({s:.2f})" for u, s in zip(ready["unit"], ready["score"], strict=True)))
             if len(ready) else f"No area reaches the readiness score {figs.READY:g} yet."]
    poles = conv[conv["kind"] == "pole"].sort_values("rank")
    if len(poles):
        top = poles.iloc[0]
        items.append(f"Best-placed proposed pole: `{top['unit']}` (score {top['score']:.2f}"
                     + (", ready)." if top["ready_for_pole"] else ", not ready yet)."))
    cov = s1.coverage
    n_gaps, filled = int(cov["gap"].sum()), int(cov["filled_across_border"].sum())
    whole = [f"`{a}/{s}`" for a, s in
             cov[cov["gap"] & ~cov["filled_elsewhere"]][["area", "segment"]].drop_duplicates().to_numpy()]
    if len(whole) > 8:
        whole = [*whole[:8], f"and {len(whole) - 8} more (tables/gaps.csv)"]
    items.append(f"{n_gaps} territory gaps in the value chains, {filled} of them filled across the border"
                 + (f"; missing in the whole programme: {', '.join(whole)}" if whole else "") + ".")
    lq = s1.location_quotients
    items.append("Strongest specialisation per territory: " + ", ".join(
        f"{t} `{lq.loc[t].idxmax()}` ({lq.loc[t].max():.2f})" for t in domain.territories.codes))
    return Bullets(tuple(items))


def build_report(pop: Population, domain: Domain, cfg: dict[str, Any], s1: Stage1,
                 with_figures: bool = True) -> Report:
    """The whole report for ``pop`` and its stage-1 analysis ``s1`` (``cfg``: the resolved configuration)."""
    rep = Report(TITLE, with_figures)
    rep.add(Heading(TITLE, 1))
    _population_section(rep, pop, domain, cfg)
    rep.add(Heading("Key findings"), _key_findings(s1, domain))
    _competitiveness(rep, s1, pop, domain)
    _coverage(rep, s1, pop, domain)
    _needs(rep, s1, domain)
    _convergence(rep, s1, domain, cfg)
    rep.add(Heading("Files"),
            Para("Every table of this report is in tables/ as CSV, every figure in figures/ as PNG; the same "
                 "stage-1 functions (xbsim.programme.analysis) produce the month-0 analysis of a simulation run "
                 "with the same configuration and seed."))
    return rep


# ---- rendering -------------------------------------------------------------------------------------------


def render_markdown(rep: Report) -> str:
    """The report as Markdown; figures are linked as ``figures/<name>.png``."""
    return to_markdown(rep.blocks)


def render_html(rep: Report) -> str:
    """The report as one self-contained HTML page (inline CSS, figures as base64 PNG, a table of contents)."""
    return to_html(rep.blocks, rep.title, toc=True)


def write_report(rep: Report, outdir: str | Path) -> list[Path]:
    """Write tables/*.csv, figures/*.png, report.md and, last, report.html into ``outdir``."""
    out = Path(outdir)
    written: list[Path] = []
    for name, df in rep.tables.items():
        keep_index = df.index.name is not None or isinstance(df.index, pd.MultiIndex)
        written.append(write_csv(out / "tables" / f"{name}.csv", df, index=keep_index))
    for name, data in rep.figures.items():
        written.append(atomic_write(out / "figures" / f"{name}.png", lambda p, d=data: p.write_bytes(d)))
    written.append(write_text(out / "report.md", render_markdown(rep)))
    written.append(write_text(out / "report.html", render_html(rep)))
    return written


def recommendation_lines(s1: Stage1) -> Sequence[str]:
    """Short console lines: the ranked areas and poles with their verdicts."""
    conv = s1.convergence.sort_values(["kind", "rank"])
    return [f"{r['kind']} {r['unit']}: score {r['score']:.2f}, rank {r['rank']}, "
            + ("ready for a pole" if r["ready_for_pole"] else "not ready yet") for _, r in conv.iterrows()]
