"""A population from a survey file: the respondents as surveyed, the non-respondents filled synthetically.

``population.source=survey population.path=FILE`` reads FILE (CSV or XLSX, see :mod:`survey_read` and
:mod:`survey_parse`), and every row becomes a company with ``origin='surveyed'``. With
``population.fill_synthetic=true`` (the default) the rest of the population is drawn as in a synthetic run:
``population.n_companies`` is the total size, shared among territory x area cells in proportion to persons
employed (largest remainders, so the cell quotas sum to ``n_companies``); each cell receives its quota minus
the companies surveyed in it, never fewer than zero (so the total exceeds ``n_companies`` only where the
survey over-covers a cell). Fill companies have ``origin='synthetic'``.

What the survey leaves blank is drawn as for a synthetic company of the same territory, area, segment and size
class (scores, openness, languages, a head count inside the size class). The absorptive capacity is not asked:
it is the synthetic draw moved by the difference between the company's surveyed and drawn mean capability.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

import numpy as np

from xbsim.config.schema import SIZE_CLASSES
from xbsim.domain import Domain
from xbsim.population.survey_errors import Problem, SurveyError
from xbsim.population.survey_parse import SurveyRecords, parse
from xbsim.population.survey_read import read_grid
from xbsim.population.synthetic import draw_attributes, employees_for
from xbsim.population.table import Population

log = logging.getLogger(__name__)


def launch_dir() -> Path:
    """The directory the user ran the command from (Hydra's original cwd inside a Hydra app)."""
    try:
        from hydra.utils import get_original_cwd

        return Path(get_original_cwd())
    except (ImportError, ValueError):
        return Path(os.getcwd())


def resolve(path: str | os.PathLike[str]) -> Path:
    """``path`` with ``~`` expanded, relative paths taken from :func:`launch_dir`."""
    p = Path(os.path.expanduser(str(path)))
    return p if p.is_absolute() else launch_dir() / p


def read_survey(path: str | os.PathLike[str], domain: Domain) -> SurveyRecords:
    """Read and validate a survey file; raises :class:`SurveyError` listing every problem."""
    return parse(read_grid(resolve(path), str(path)), domain)


def cell_quotas(employment: np.ndarray, n: int) -> np.ndarray:
    """Integer companies per territory x area cell, proportional to employment and summing to ``n``.

    Largest-remainder rounding; ties go to the earlier cell (row-major), so the result is deterministic.
    """
    share = employment.ravel() / employment.sum()
    exact = n * share
    quota = np.floor(exact).astype(int)
    left = n - int(quota.sum())
    order = np.argsort(-(exact - quota), kind="stable")
    quota[order[:left]] += 1
    return quota.reshape(employment.shape)


def fill_counts(domain: Domain, surveyed: np.ndarray, n_total: int) -> np.ndarray:
    """Synthetic companies to add per cell: the cell's quota of ``n_total`` minus the surveyed, never < 0."""
    return np.maximum(cell_quotas(domain.employment, n_total) - surveyed, 0)


def _synthetic_ids(n: int, codes: np.ndarray, taken: set[str]) -> np.ndarray:
    """Ids ``SYN-<territory>-<number>`` for the fill, with a longer prefix if the survey already uses them."""
    prefix = "SYN"
    while True:
        ids = np.array([f"{prefix}-{c}-{i:05d}" for i, c in enumerate(codes)], dtype=str)
        if not taken.intersection(i.casefold() for i in ids):
            return ids
        prefix += "X"


def build_population(domain: Domain, pop_cfg: dict[str, Any], rec: SurveyRecords,
                     rng: np.random.Generator) -> Population:
    """Companies of the survey (first, in file order) and, if configured, the synthetic fill."""
    t_n, a_n = domain.employment.shape
    surveyed = np.zeros((t_n, a_n), dtype=int)
    np.add.at(surveyed, (rec.territory, rec.area), 1)
    fill = (fill_counts(domain, surveyed, int(pop_cfg["n_companies"])) if pop_cfg["fill_synthetic"]
            else np.zeros_like(surveyed))
    t_idx, a_idx = np.nonzero(fill)
    f_terr = np.repeat(t_idx, fill[t_idx, a_idx])
    f_area = np.repeat(a_idx, fill[t_idx, a_idx])
    f_seg = np.zeros(f_area.size, dtype=int)
    for a, shares in enumerate(domain.areas.segment_shares):
        rows = np.flatnonzero(f_area == a)
        f_seg[rows] = rng.choice(len(shares), size=rows.size, p=shares)
    size_shares = np.array([pop_cfg["size_shares"][s] for s in SIZE_CLASSES], dtype=float)
    f_size = rng.choice(len(SIZE_CLASSES), size=f_area.size, p=size_shares / size_shares.sum())

    territory = np.concatenate([rec.territory, f_terr]).astype(int)
    area = np.concatenate([rec.area, f_area]).astype(int)
    segment = np.concatenate([rec.segment, f_seg]).astype(int)
    size = np.concatenate([rec.size, f_size]).astype(int)
    attrs = draw_attributes(domain, pop_cfg, territory, area, segment, size, rng)
    employees = employees_for(size, rng)

    s = slice(0, rec.n)
    drawn_mean = attrs["capability"][s].mean(axis=1)
    for name, given in (("capability", rec.capability), ("need", rec.need)):
        attrs[name][s] = np.where(np.isnan(given), attrs[name][s], given)
    shift = attrs["capability"][s].mean(axis=1) - drawn_mean
    attrs["absorptive"][s] = (attrs["absorptive"][s] + shift).clip(0.0, 1.0)
    attrs["openness"][s] = np.where(np.isnan(rec.openness), attrs["openness"][s], rec.openness)
    attrs["languages"][s] = np.where(rec.languages_given[:, None], rec.languages, attrs["languages"][s])
    employees[s] = np.where(rec.employees >= 0, rec.employees, employees[s])

    codes = np.array(domain.territories.codes)
    syn_ids = _synthetic_ids(f_area.size, codes[f_terr], {i.casefold() for i in rec.ids})
    n = territory.size
    interviewed = np.zeros(n, dtype=bool)
    interviewed[s] = rec.interviewed
    blanks = int(np.isnan(rec.capability).sum() + np.isnan(rec.need).sum())
    if rec.ignored:
        log.warning("survey %s: columns ignored (not survey columns): %s", rec.file, ", ".join(rec.ignored))
    note = f"; {blanks} blank score cells drawn synthetically" if blanks else ""
    log.info("survey %s: %d companies surveyed, %d synthetic companies added for non-respondents%s",
             rec.file, rec.n, f_area.size, note)
    return Population(
        ids=np.concatenate([rec.ids, syn_ids]).astype(str),
        names=np.concatenate([rec.names, np.array([f"Company {i}" for i in syn_ids], dtype=str)]).astype(str),
        territory=territory,
        area=area,
        segment=segment,
        size=size,
        employees=employees,
        origin=np.array(["surveyed"] * rec.n + ["synthetic"] * f_area.size),
        interviewed_in_survey=interviewed,
        **attrs,
    )


def population_from_survey(domain: Domain, pop_cfg: dict[str, Any], rng: np.random.Generator) -> Population:
    """The population of ``population.path`` (plus the synthetic fill); raises SurveyError on a bad file."""
    path = pop_cfg.get("path")
    if not path:
        raise SurveyError("population.path", [Problem(
            "population.path", None, None, None, "no survey file given",
            "population.path=FILE (CSV or XLSX) with population.source=survey")])
    return build_population(domain, pop_cfg, read_survey(path, domain), rng)
