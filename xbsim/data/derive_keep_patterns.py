"""Derive partnership patterns of POCTEFA (Interreg V-A Spain-France-Andorra, 2014-2020) projects from keep.eu.

Source: keep.eu (the Interreg projects database), Interreg 2014-2020 closed projects, partners export, as
redistributed in a public research repository. Input file: ``;``-separated, UTF-8, one row per project partner;
columns include Programme, Acronym, Project Partner, Lead Partner, Legal Status, Country code
(``"ES Spain / ESPAÑA"``) and NUTS1/NUTS2/NUTS3 (``"ES21  / País Vasco"``).

This script is provenance only: xbsim never imports it and never reads the keep.eu file at run time. It writes one
tidy table next to itself (or to ``--out-dir``), ``keep_poctefa_patterns.csv``, with the columns
``pattern,value,ci_low,ci_high,n,definition`` (one row per number; the ci columns are empty where no interval is
computed). The patterns are meant for pattern-oriented validation of simulated partnerships.

Definitions (see also ``SOURCES.md``):

* A project is a (Programme, Acronym) pair; a partner is a row of the file.
* Every unordered pair of distinct partner rows of a project is a partner pair. A pair is *cross-border* if the
  two country codes differ, *interregional* if the country is the same and the NUTS 2 codes differ, and
  *intraregional* if the NUTS 2 codes are equal. Andorra (AD) is a country of its own and, having no NUTS code,
  counts as one region (``AD``). A missing country code is replaced by the first two letters of the partner's
  NUTS 2 code; a pair is *unclassified* (left out of every share) if a country code is still missing, or if the
  country is the same and a NUTS 2 code is missing.
* Core pairs: both partners in Aquitaine (FR61 in NUTS 2013, FRI1 in NUTS 2016), ES21 País Vasco or ES22 Navarra.
* Region pairs: per project, every unordered pair of distinct (country, NUTS 2) regions present; its
  cross-border share is the definition behind the "72.7 % of region pairs inside V-A projects" reference figure.
* Degree of an organisation: the number of distinct other POCTEFA organisations it shares at least one project
  with. Organisations are identified by their name, casefolded, stripped and with whitespace collapsed.
* The bootstrap interval resamples projects with replacement (``numpy.random.default_rng(0)``, 2000 draws) and
  takes the 2.5 and 97.5 percentiles of the pooled cross-border pair share.

Usage::

    python xbsim/data/derive_keep_patterns.py [PATH_TO_CSV] [--out-dir DIR]
"""

from __future__ import annotations

import argparse
import itertools
import re
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd

#: Default input, used only when no path is given on the command line (the shared reference-data folder).
DEFAULT_CSV = Path("/work/shared/data/keep_interreg_2014_2020_partners.csv")

#: The exact Programme string of POCTEFA in the keep.eu export.
POCTEFA = "2014 - 2020 INTERREG V-A Spain - France - Andorra (POCTEFA)"

#: Programmes whose name contains this are the Interreg V-A (cross-border) programmes used for comparison.
V_A_MARKER = "INTERREG V-A"

#: NUTS 2 codes of the three model territories (Aquitaine is FR61 in NUTS 2013 and FRI1 in NUTS 2016).
CORE_NUTS2: frozenset[str] = frozenset({"FR61", "FRI1", "ES21", "ES22"})

#: Countries without NUTS codes that are treated as a single region (their country code is the region code).
SINGLE_REGION_COUNTRIES: frozenset[str] = frozenset({"AD"})

#: Degrees reported one by one; larger degrees are pooled into one "more than" row.
MAX_DEGREE_REPORTED = 15

BOOTSTRAP_DRAWS = 2000
BOOTSTRAP_SEED = 0

KINDS = ("cross_border", "interregional", "intraregional")

Row = dict[str, object]


def code_of(cell: str) -> str:
    """The code before the ``/`` of a ``"CODE / Name"`` cell (``""`` if none)."""
    head = cell.split("/", 1)[0].split()
    return head[0] if head else ""


def normalise_name(name: str) -> str:
    """Organisation key: casefolded, stripped, whitespace collapsed."""
    return " ".join(name.casefold().split())


def strict_name(name: str) -> str:
    """Stricter key, for a sensitivity check only: also drops accents and everything but letters and digits."""
    ascii_name = unicodedata.normalize("NFKD", name.casefold()).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", ascii_name)


def load(path: Path) -> pd.DataFrame:
    """Read the export and add the columns ``project``, ``country``, ``nuts2``, ``org`` and ``status``."""
    df = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8")
    df["project"] = df["Programme"] + " | " + df["Acronym"]
    df["nuts2"] = df["NUTS2 (or equivalent)"].map(code_of)
    country = df["Country code"].map(code_of)
    df["country_filled"] = (country == "") & (df["nuts2"] != "")
    df["country"] = country.where(~df["country_filled"], df["nuts2"].str[:2])
    single = df["country"].isin(SINGLE_REGION_COUNTRIES) & (df["nuts2"] == "")
    df.loc[single, "nuts2"] = df.loc[single, "country"]
    df["org"] = df["Project Partner"].map(normalise_name)
    df["status"] = df["Legal Status"].str.strip().str.casefold()
    return df


def pair_kind(a: tuple[str, str], b: tuple[str, str]) -> str | None:
    """Kind of a partner pair from (country, NUTS 2) of both partners; None if it cannot be classified."""
    (country_a, nuts_a), (country_b, nuts_b) = a, b
    if not country_a or not country_b:
        return None
    if country_a != country_b:
        return "cross_border"
    if not nuts_a or not nuts_b:
        return None
    return "interregional" if nuts_a != nuts_b else "intraregional"


def project_pair_counts(df: pd.DataFrame, core_only: bool = False) -> pd.DataFrame:
    """Per project: partners and the numbers of pairs of each kind (plus unclassified), optionally core only."""
    records = []
    for project, group in df.groupby("project", sort=True):
        places = list(zip(group["country"], group["nuts2"], strict=True))
        if core_only:
            places = [p for p in places if p[1] in CORE_NUTS2]
        counts = dict.fromkeys((*KINDS, "unclassified"), 0)
        for a, b in itertools.combinations(places, 2):
            counts[pair_kind(a, b) or "unclassified"] += 1
        records.append({"project": project, "partners": len(group), **counts})
    table = pd.DataFrame.from_records(records).set_index("project")
    table["classified"] = table[list(KINDS)].sum(axis=1)
    return table


def region_pair_counts(df: pd.DataFrame) -> tuple[int, int]:
    """Pooled over projects: (cross-border, all) pairs of distinct (country, NUTS 2) regions in a project."""
    cross = total = 0
    for _, group in df.groupby("project"):
        regions = {(c, n) for c, n in zip(group["country"], group["nuts2"], strict=True) if c and n}
        for (country_a, _), (country_b, _) in itertools.combinations(sorted(regions), 2):
            total += 1
            cross += country_a != country_b
    return cross, total


def bootstrap_share(numerator: np.ndarray, denominator: np.ndarray) -> tuple[float, float]:
    """95 % percentile interval of sum(numerator)/sum(denominator) when projects are resampled."""
    rng = np.random.default_rng(BOOTSTRAP_SEED)
    index = rng.integers(0, len(numerator), size=(BOOTSTRAP_DRAWS, len(numerator)))
    shares = numerator[index].sum(axis=1) / denominator[index].sum(axis=1)
    low, high = np.percentile(shares, [2.5, 97.5])
    return float(low), float(high)


def degrees(df: pd.DataFrame) -> pd.Series:
    """Number of distinct other organisations each organisation shares a project with."""
    neighbours: dict[str, set[str]] = {org: set() for org in df["org"]}
    for _, group in df.groupby("project"):
        orgs = set(group["org"])
        for org in orgs:
            neighbours[org] |= orgs - {org}
    return pd.Series({org: len(others) for org, others in neighbours.items()}, name="degree").sort_index()


def private_share(df: pd.DataFrame) -> tuple[float, int]:
    """Share of partner rows whose Legal Status is private, among rows that say public or private."""
    known = df[df["status"].isin(["public", "private"])]
    return float((known["status"] == "private").mean()), len(known)


def row(pattern: str, value: float, n: int, definition: str, ci: tuple[float, float] | None = None) -> Row:
    """One output row; floats rounded to 4 decimals, integers kept as integers."""

    def fmt(x: float) -> object:
        return int(x) if float(x).is_integer() else round(float(x), 4)

    low, high = ("", "") if ci is None else (fmt(ci[0]), fmt(ci[1]))
    return {"pattern": pattern, "value": fmt(value), "ci_low": low, "ci_high": high, "n": n, "definition": definition}


def share_rows(prefix: str, counts: pd.DataFrame, scope: str, bootstrap: bool = False) -> list[Row]:
    """Pooled shares of the three pair kinds and their means over projects with at least one classified pair.

    With ``bootstrap``, the pooled cross-border share gets its bootstrap interval over projects.
    """
    rows: list[Row] = []
    pooled_n = int(counts["classified"].sum())
    with_pairs = counts[counts["classified"] > 0]
    for kind in KINDS:
        label = kind.replace("_", "-")
        definition = f"{label} partner pairs / classified partner pairs, pooled over {scope}; n = classified pairs"
        ci = None
        if bootstrap and kind == "cross_border":
            ci = bootstrap_share(counts[kind].to_numpy(float), counts["classified"].to_numpy(float))
            definition += (
                f"; ci = 2.5 and 97.5 percentiles of {BOOTSTRAP_DRAWS} bootstrap draws of projects"
                f" (numpy default_rng({BOOTSTRAP_SEED}))"
            )
        rows.append(
            row(
                f"{prefix}{kind}_pair_share_pooled",
                counts[kind].sum() / pooled_n if pooled_n else float("nan"),
                pooled_n,
                definition,
                ci,
            )
        )
    for kind in KINDS:
        label = kind.replace("_", "-")
        rows.append(
            row(
                f"{prefix}{kind}_pair_share_project_mean",
                (with_pairs[kind] / with_pairs["classified"]).mean() if len(with_pairs) else float("nan"),
                len(with_pairs),
                f"mean over {scope} of each project's {label} share of its classified partner pairs; "
                "n = projects with at least one classified pair",
            )
        )
    return rows


def derive(path: Path) -> list[Row]:
    """Compute every pattern row."""
    df = load(path)
    if POCTEFA not in set(df["Programme"]):
        raise ValueError(f"programme {POCTEFA!r} not found in {path}")
    poctefa = df[df["Programme"] == POCTEFA]
    counts = project_pair_counts(poctefa)
    rows: list[Row] = []

    sizes = counts["partners"]
    rows += [
        row("projects", len(counts), len(counts), "POCTEFA projects (Programme, Acronym) in the export"),
        row("partners", len(poctefa), len(poctefa), "POCTEFA partner rows"),
        row("partners_per_project_mean", sizes.mean(), len(sizes), "mean partner rows per project"),
        row("partners_per_project_median", sizes.median(), len(sizes), "median partner rows per project"),
        row("partners_per_project_min", sizes.min(), len(sizes), "smallest project (partner rows)"),
        row("partners_per_project_max", sizes.max(), len(sizes), "largest project (partner rows)"),
        row("partner_pairs", counts[[*KINDS, "unclassified"]].sum().sum(), len(counts), "unordered partner pairs"),
        row(
            "partner_pairs_unclassified",
            counts["unclassified"].sum(),
            len(counts),
            "pairs left out of the shares (country code missing, or same country and a NUTS 2 code missing)",
        ),
    ]
    rows += share_rows("", counts, "POCTEFA projects", bootstrap=True)

    cross, total = region_pair_counts(poctefa)
    rows.append(
        row(
            "region_pair_cross_border_share",
            cross / total,
            total,
            "cross-border pairs of distinct (country, NUTS 2) regions within a project, pooled; n = region pairs",
        )
    )

    core = project_pair_counts(poctefa, core_only=True)
    core_projects = int((core["classified"] > 0).sum())
    rows.append(
        row(
            "core_partner_pairs",
            core["classified"].sum(),
            core_projects,
            "partner pairs with both partners in FR61/FRI1 Aquitaine, ES21 or ES22; n = projects with such a pair",
        )
    )
    rows += share_rows("core_", core, "POCTEFA projects (pairs within FR61/FRI1, ES21, ES22 only)")

    degree = degrees(poctefa)
    n_orgs = len(degree)
    rows.append(row("organisations", n_orgs, n_orgs, "distinct POCTEFA organisations (normalised names)"))
    for k in range(int(degree.max()) + 1):
        if k > MAX_DEGREE_REPORTED:
            break
        rows.append(
            row(
                f"degree_share_{k}",
                (degree == k).mean(),
                n_orgs,
                f"share of organisations paired with exactly {k} distinct POCTEFA organisations",
            )
        )
    if degree.max() > MAX_DEGREE_REPORTED:
        rows.append(
            row(
                f"degree_share_gt_{MAX_DEGREE_REPORTED}",
                (degree > MAX_DEGREE_REPORTED).mean(),
                n_orgs,
                f"share of organisations paired with more than {MAX_DEGREE_REPORTED} distinct POCTEFA organisations",
            )
        )
    rows += [
        row("degree_median", degree.median(), n_orgs, "median degree (distinct POCTEFA partners of an organisation)"),
        row("degree_mean", degree.mean(), n_orgs, "mean degree"),
        row("degree_max", degree.max(), n_orgs, "largest degree"),
        row("degree_cv", degree.std(ddof=0) / degree.mean(), n_orgs, "coefficient of variation of degree (sd ddof=0)"),
        row(
            "organisations_in_2plus_projects",
            (poctefa.groupby("org")["project"].nunique() >= 2).mean(),
            n_orgs,
            "share of organisations that are partners in two or more POCTEFA projects",
        ),
    ]
    strict = degrees(poctefa.assign(org=poctefa["Project Partner"].map(strict_name)))
    rows += [
        row(
            "organisations_strict_names",
            len(strict),
            len(strict),
            "distinct organisations when names also ignore accents and punctuation (sensitivity check)",
        ),
        row("degree_mean_strict_names", strict.mean(), len(strict), "mean degree with the stricter name key"),
        row(
            "degree_cv_strict_names",
            strict.std(ddof=0) / strict.mean(),
            len(strict),
            "coefficient of variation of degree with the stricter name key (sd ddof=0)",
        ),
    ]
    share_private, n_status = private_share(poctefa)
    rows.append(
        row(
            "private_partner_share",
            share_private,
            n_status,
            "partner rows with Legal Status private / rows with public or private (case ignored)",
        )
    )

    v_a = df[df["Programme"].str.contains(V_A_MARKER, regex=False)]
    v_a_counts = project_pair_counts(v_a)
    v_a_cross, v_a_total = region_pair_counts(v_a)
    v_a_private, v_a_status = private_share(v_a)
    scope = f"all {v_a['Programme'].nunique()} Interreg V-A programmes"
    rows += [
        row("va_projects", len(v_a_counts), len(v_a_counts), f"projects of {scope} (comparison)"),
        row("va_partners_per_project_mean", v_a_counts["partners"].mean(), len(v_a_counts), f"{scope}"),
        row("va_partners_per_project_median", v_a_counts["partners"].median(), len(v_a_counts), f"{scope}"),
        row(
            "va_cross_border_pair_share_pooled",
            v_a_counts["cross_border"].sum() / v_a_counts["classified"].sum(),
            int(v_a_counts["classified"].sum()),
            f"cross-border partner pairs / classified partner pairs, pooled over {scope}",
        ),
        row(
            "va_partner_pairs_unclassified",
            v_a_counts["unclassified"].sum(),
            len(v_a_counts),
            f"partner pairs of {scope} left out of the shares (missing country code or NUTS 2)",
        ),
        row(
            "va_region_pair_cross_border_share",
            v_a_cross / v_a_total,
            v_a_total,
            f"cross-border pairs of distinct (country, NUTS 2) regions within a project, pooled over {scope}",
        ),
        row("va_private_partner_share", v_a_private, v_a_status, f"private partner rows, {scope}"),
    ]
    return rows


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", nargs="?", type=Path, default=DEFAULT_CSV, help="keep.eu partners export")
    parser.add_argument("--out-dir", type=Path, default=Path(__file__).resolve().parent, help="output folder")
    args = parser.parse_args(argv)

    from derive_sector_employment import write_csv  # the sibling provenance script (run from this folder)

    rows = derive(args.csv)
    write_csv(args.out_dir / "keep_poctefa_patterns.csv", rows)
    for r in rows:
        ci = f"  [{r['ci_low']}, {r['ci_high']}]" if r["ci_low"] != "" else ""
        print(f"{r['pattern']:<45} {r['value']!s:>8}{ci}  (n={r['n']})")


if __name__ == "__main__":
    main()
