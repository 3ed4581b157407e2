"""Derive xbsim's default sector sizes (persons employed per territory and S3 area) from Eurostat data.

Source: Eurostat, Structural business statistics by NUTS 2 regions and NACE Rev. 2, table sbs_r_nuts06_r2,
2015, persons employed (V16110). Input file: ``;``-separated, columns ``nace_r2;geo;n2015``; a blank cell
is missing or confidential; a letter after a number (e.g. ``"219 d"``) is a Eurostat flag and is dropped.

This script is provenance only: xbsim never imports it and never reads the Eurostat file at run time. It
writes two small tables next to itself (or to ``--out-dir``):

* ``sector_employment.csv`` -- territory, area, persons_employed, divisions, imputed_divisions;
* ``territory_employment.csv`` -- territory, total_persons_employed, total_code.

The numbers in ``xbsim/configs/territories/euroregion.yaml`` are copied from these tables.

An area can take only a *fraction* of a division (``DIVISION_FRACTIONS``): the file has NACE divisions only, no
3-digit groups, so e.g. medical instruments (C32.5) cannot be separated from the rest of C32. Each fraction is a
stated assumption, not an estimate from this file. It is applied to the division value after imputation; a
division without an entry counts in full. In ``sector_employment.csv`` a fractional division is written
``C32*0.35``.

Imputation of a blank division cell (region r, division d of section S, country n):

1. If the regional section total S(r) is published, the remainder ``S(r) - sum of r's known divisions of S``
   (floored at 0) is split among r's blank divisions of S in proportion to their national totals d(n).
   A national total that is itself blank is replaced by the national remainder of S split equally among the
   nation's blank divisions of S (so if every weight is blank the split is in equal shares).
2. If S(r) is blank too: d(n) x (r's share of national business-economy employment).

In both cases an imputed cell is capped at its NUTS 1 bound, ``d(NUTS1) - sum of the known d of r's sibling
NUTS 2 regions`` (floored at 0), when the NUTS 1 value is published. In case 1 the excess over a cap is
re-split among the uncapped blanks of S in the same proportions (water-filling); if every blank were capped,
the rest of the remainder would stay unallocated. Cells without a published NUTS 1 value are not capped.

Usage::

    python xbsim/data/derive_sector_employment.py [PATH_TO_CSV] [--out-dir DIR]
"""

from __future__ import annotations

import argparse
import csv
import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path

#: Default input, used only when no path is given on the command line (the shared reference-data folder).
DEFAULT_CSV = Path("/work/shared/data/eurostat_sbs_r_nuts06_r2_2015.csv")

#: Territory (NUTS 2013 code) -> country whose national totals weight the imputation.
TERRITORIES: dict[str, str] = {"FR61": "FR", "ES21": "ES", "ES22": "ES"}

#: Smart-specialisation area -> NACE Rev. 2 divisions.
AREAS: dict[str, tuple[str, ...]] = {
    "advanced_manufacturing": ("C22", "C24", "C25", "C28", "C29", "C30", "C33"),
    "agri_food": ("C10", "C11", "C12"),
    "health": ("C21", "C32", "C26", "M72"),
    "energy": ("C27", "D35"),
    "digital": ("C26", "J58", "J61", "J62", "J63"),
}

#: ASSUMED share of a division that belongs to an area, keyed by (area, division); any pair not listed counts
#: at 1.0. The SBS file has no 3-digit NACE groups, so none of these shares is measured: each is an assumption,
#: the same for all three territories. The shares of one division over all areas must not exceed 1.
DIVISION_FRACTIONS: dict[tuple[str, str], float] = {
    # Assumption: C32.5 (medical and dental instruments and supplies) is taken as 35 % of C32 "other
    # manufacturing"; the rest of C32 (jewellery, musical instruments, sports goods, toys, n.e.c.) is not health.
    ("health", "C32"): 0.35,
    # Assumption: C26.6 (irradiation, electromedical and electrotherapeutic equipment) plus the medical part of
    # C26.5 (measuring instruments) are taken as 10 % of C26; the other 90 % stays in digital (below).
    ("health", "C26"): 0.10,
    # Assumption: the complement of the health share of C26 (computers, components, communication equipment,
    # consumer electronics, the rest of C26.5, optical instruments).
    ("digital", "C26"): 0.90,
    # Assumption: life sciences (biotechnology, medical and pharmaceutical research) are taken as 30 % of M72
    # scientific research and development services; the rest of M72 (engineering, natural and social sciences)
    # is not counted in any area.
    ("health", "M72"): 0.30,
}

#: Published business-economy totals, preferred in this order when present in the file.
PUBLISHED_TOTAL_CODES: tuple[str, ...] = ("B-N_S95_X_K", "B-N_X_K")

#: Otherwise the total is the sum of these sections (B to N without K, which SBS does not cover).
TOTAL_SECTIONS: tuple[str, ...] = ("B", "C", "D", "E", "F", "G", "H", "I", "J", "L", "M", "N")


def fraction(area: str, division: str) -> float:
    """Share of ``division`` counted in ``area`` (``DIVISION_FRACTIONS``; 1.0 if not listed)."""
    return DIVISION_FRACTIONS.get((area, division), 1.0)


def division_label(area: str, division: str) -> str:
    """How a division is written in the ``divisions`` column: ``C21`` in full, ``C32*0.35`` for a fraction."""
    share = fraction(area, division)
    return division if share == 1.0 else f"{division}*{share:.2f}"


def check_fractions() -> None:
    """Every fraction refers to a listed division, lies in (0, 1], and no division is over-allocated."""
    totals: dict[str, float] = {}
    for (area, division), share in DIVISION_FRACTIONS.items():
        if division not in AREAS.get(area, ()):
            raise ValueError(f"fraction for {division} in {area}, which does not list that division")
        if not 0.0 < share <= 1.0:
            raise ValueError(f"fraction {share} for {division} in {area} is outside (0, 1]")
    for area, divisions in AREAS.items():
        for division in divisions:
            totals[division] = totals.get(division, 0.0) + fraction(area, division)
    over = {d: t for d, t in totals.items() if t > 1.0 + 1e-9}
    if over:
        raise ValueError(f"divisions counted more than once in total: {over}")


_VALUE = re.compile(r"(\d+)\s*[a-z]*")
_DIVISION = re.compile(r"[A-Z]\d\d")

Table = dict[tuple[str, str], float | None]  # (geo, nace_r2) -> persons employed, None = blank
Rows = list[dict[str, object]]


@dataclass(frozen=True)
class Imputation:
    """One imputed regional division cell."""

    geo: str
    division: str
    value: float
    method: str
    nuts1_bound: float | None


def parse_value(raw: str) -> float | None:
    """Persons employed from a cell: None if blank or unreadable; flags after the number are dropped."""
    match = _VALUE.fullmatch(raw.strip())
    return float(match.group(1)) if match else None


def load(path: Path) -> tuple[Table, set[str]]:
    """Read the Eurostat extract; return the value table and the set of NACE codes present."""
    table: Table = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            table[(row["geo"].strip(), row["nace_r2"].strip())] = parse_value(row["n2015"])
    return table, {code for _, code in table}


def divisions_of(section: str, codes: set[str]) -> list[str]:
    """The NACE divisions (letter + two digits) of a section present in the file."""
    return sorted(c for c in codes if _DIVISION.fullmatch(c) and c[0] == section)


def business_total(table: Table, geo: str, codes: set[str]) -> tuple[float, str]:
    """Business-economy persons employed of a geo and the code (or sum rule) it comes from."""
    for code in PUBLISHED_TOTAL_CODES:
        value = table.get((geo, code))
        if value is not None:
            return value, code
    missing = [s for s in TOTAL_SECTIONS if table.get((geo, s)) is None]
    if missing:
        raise ValueError(f"{geo}: section totals {missing} are blank; cannot build the business total")
    return sum(table[(geo, s)] or 0.0 for s in TOTAL_SECTIONS), "sum:" + "|".join(TOTAL_SECTIONS)


def employment_share(table: Table, geo: str, country: str) -> float:
    """Region's share of national business employment (published total, else sections known in both)."""
    for code in PUBLISHED_TOTAL_CODES:
        regional, national = table.get((geo, code)), table.get((country, code))
        if regional is not None and national:
            return regional / national
    both = [
        s for s in TOTAL_SECTIONS if table.get((geo, s)) is not None and table.get((country, s)) is not None
    ]
    national_sum = sum(table[(country, s)] or 0.0 for s in both)
    return sum(table[(geo, s)] or 0.0 for s in both) / national_sum if national_sum else 0.0


def national_weights(table: Table, country: str, section: str, codes: set[str]) -> dict[str, float]:
    """National division totals of a section; blanks get the national remainder in equal shares."""
    divisions = divisions_of(section, codes)
    known = {d: table[(country, d)] for d in divisions if table.get((country, d)) is not None}
    blanks = [d for d in divisions if d not in known]
    weights: dict[str, float] = {d: v or 0.0 for d, v in known.items()}
    if blanks:
        section_total = table.get((country, section))
        remainder = max((section_total or 0.0) - sum(weights.values()), 0.0)
        weights.update({d: remainder / len(blanks) for d in blanks})
    return weights


def nuts1_bound(table: Table, geo: str, division: str) -> float | None:
    """Upper bound of a blank NUTS 2 cell: NUTS 1 value minus the known values of the sibling regions."""
    parent = table.get((geo[:3], division))
    if parent is None:
        return None
    siblings = [
        value
        for (g, code), value in table.items()
        if code == division and len(g) == 4 and g.startswith(geo[:3]) and g != geo and value is not None
    ]
    return max(parent - sum(siblings), 0.0)


def split(amount: float, weights: dict[str, float], caps: dict[str, float]) -> dict[str, float]:
    """Split ``amount`` in proportion to ``weights`` (equal shares if all zero), honouring ``caps``."""
    result: dict[str, float] = {}
    free = dict(weights)
    while free:
        total_weight = sum(free.values())
        trial = {
            d: amount * w / total_weight if total_weight > 0 else amount / len(free) for d, w in free.items()
        }
        over = [d for d in free if trial[d] > caps.get(d, math.inf)]
        if not over:
            result.update(trial)
            break
        for d in over:
            result[d] = caps[d]
            amount -= caps[d]
            del free[d]
    return result


def impute_section(
    table: Table, geo: str, country: str, section: str, codes: set[str], region_share: float
) -> list[Imputation]:
    """Impute the blank division cells of one section in one region (see the module docstring)."""
    divisions = divisions_of(section, codes)
    blanks = [d for d in divisions if table.get((geo, d)) is None]
    if not blanks:
        return []
    weights = national_weights(table, country, section, codes)
    bounds = {d: nuts1_bound(table, geo, d) for d in blanks}
    caps = {d: b for d, b in bounds.items() if b is not None}
    section_total = table.get((geo, section))
    if section_total is not None:
        known = sum(table[(geo, d)] or 0.0 for d in divisions if d not in blanks)
        remainder = max(section_total - known, 0.0)
        values = split(remainder, {d: weights[d] for d in blanks}, caps)
        method = f"remainder {remainder:.0f} of {section} split by {country} division totals"
    else:
        values = {d: min(weights[d] * region_share, caps.get(d, math.inf)) for d in blanks}
        method = f"{country} division total x regional share of {country} business employment"
    return [Imputation(geo, d, values[d], method, bounds[d]) for d in blanks]


def derive(path: Path) -> tuple[Rows, Rows, list[Imputation]]:
    """Compute the sector and territory tables and the list of imputed cells."""
    check_fractions()
    table, codes = load(path)
    absent = sorted({d for divs in AREAS.values() for d in divs} - codes)
    if absent:
        print(f"warning: divisions absent from the file, dropped: {absent}", file=sys.stderr)
    territory_rows: Rows = []
    sector_rows: Rows = []
    imputations: list[Imputation] = []
    for geo, country in TERRITORIES.items():
        total, total_code = business_total(table, geo, codes)
        share = employment_share(table, geo, country)
        territory_rows.append(
            {"territory": geo, "total_persons_employed": round(total), "total_code": total_code}
        )
        needed = sorted({d[0] for divs in AREAS.values() for d in divs if d in codes})
        imputed = {
            i.division: i for s in needed for i in impute_section(table, geo, country, s, codes, share)
        }
        for area, divisions in AREAS.items():
            present = [d for d in divisions if d in codes]
            used = [imputed[d] for d in present if d in imputed]
            imputations.extend(used)
            persons = sum(
                fraction(area, d) * (imputed[d].value if d in imputed else table[(geo, d)] or 0.0)
                for d in present
            )
            sector_rows.append(
                {
                    "territory": geo,
                    "area": area,
                    "persons_employed": round(persons),
                    "divisions": "|".join(division_label(area, d) for d in present),
                    "imputed_divisions": len(used),
                }
            )
    return sector_rows, territory_rows, imputations


def write_csv(path: Path, rows: Rows) -> None:
    """Write rows (dicts with the same keys) as a comma-separated file with a header."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", nargs="?", type=Path, default=DEFAULT_CSV, help="sbs_r_nuts06_r2 extract")
    parser.add_argument("--out-dir", type=Path, default=Path(__file__).resolve().parent, help="output folder")
    args = parser.parse_args(argv)

    sector_rows, territory_rows, imputations = derive(args.csv)
    write_csv(args.out_dir / "sector_employment.csv", sector_rows)
    write_csv(args.out_dir / "territory_employment.csv", territory_rows)

    print("imputed cells (geo, division, value, NUTS 1 bound, method):")
    for i in imputations:
        bound = "n/a" if i.nuts1_bound is None else f"{i.nuts1_bound:.0f}"
        flag = ""
        if i.nuts1_bound is not None and i.value > i.nuts1_bound + 0.5:
            flag = "  EXCEEDS NUTS 1 BOUND"  # cannot happen with the capping; kept as a check
        elif i.nuts1_bound is not None and math.isclose(i.value, i.nuts1_bound):
            flag = "  capped at NUTS 1 bound"
        print(f"  {i.geo} {i.division} {i.value:9.1f}  bound {bound:>6}  {i.method}{flag}")
    for row in territory_rows:
        print(f"{row['territory']}: total {row['total_persons_employed']} ({row['total_code']})")
    print("persons employed per territory and area (divisions; imputed divisions):")
    for row in sector_rows:
        imputed = row["imputed_divisions"]
        print(
            f"  {row['territory']} {row['area']:<23} {row['persons_employed']:>7}"
            f"  ({row['divisions']}; imputed: {imputed})"
        )


if __name__ == "__main__":
    main()
