"""Survey files for the tests: the shipped example survey and small valid files written in the template's
columns (mixed separators, encodings and line endings)."""

from __future__ import annotations

import csv
import io

from tests.helpers.cli import ROOT
from xbsim.core.domain import Domain
from xbsim.core.population.survey_schema import columns

EXAMPLE = ROOT / "xbsim" / "data" / "example_survey.csv"
NAMES = ['Société d\'Études "Ñandú", S.L.', "Ikerlan S. Coop.", "Bâtiment & Cie; Groupe (Bayonne) – «Sud»"]


def small_rows(domain: Domain) -> list[dict[str, str]]:
    """Three valid companies in the template's columns."""
    cols = [c.name for c in columns(domain)]
    base = {c.name: c.example for c in columns(domain)}
    rows = []
    for i, (terr, area, seg) in enumerate((("FR61", "agri_food", "processing"), ("ES21", "energy", "rnd"),
                                           ("ES22", "digital", "software"))):
        row = dict(base, company_id=f"C{i}", name=NAMES[i], territory=terr, area=area, segment=seg,
                   employees=str(5 + 40 * i), size_class="")
        rows.append({k: row[k] for k in cols})
    return rows


def render(rows: list[dict[str, str]], sep: str = ",", encoding: str = "utf-8", newline: str = "\n",
           prefix: str = "") -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=sep, lineterminator=newline)
    w.writerow(list(rows[0]))
    for r in rows:
        w.writerow(list(r.values()))
    return (prefix + buf.getvalue()).encode(encoding)
