"""A population from a survey file: the respondents as surveyed, the non-respondents filled synthetically.

``population.source=survey population.path=FILE`` reads FILE (CSV or XLSX, see :mod:`survey_read` and
:mod:`survey_parse`), and every row becomes a company with ``origin='surveyed'``. With
``population.fill_synthetic=true`` (the default) the rest of the population is drawn as in a synthetic run:
each territory x area cell's quota is its number of companies in a synthetic run (the real scale, or
``population.n_companies`` shared in the same proportions), and the cell receives its quota minus the companies
surveyed in it, never fewer than zero (so the total exceeds the quota only where the survey over-covers a cell).
Fill companies have ``origin='synthetic'``; their size classes are drawn from the number shares implied by
``population.size_classes``. The configured non-company actors (``actors``) are added after them.

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

from xbsim.core.config.schema import SIZE_CLASSES
from xbsim.core.domain import Domain
from xbsim.core.population.survey_errors import Problem, SurveyError
from xbsim.core.population.survey_parse import SurveyRecords, parse
from xbsim.core.population.survey_read import read_grid
from xbsim.core.population.synthetic import (
    actor_names,
    company_counts,
    draw_attributes,
    employees_for,
    non_company_actors,
    size_number_shares,
)
from xbsim.core.population.table import Population

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


def fill_counts(domain: Domain, surveyed: np.ndarray, pop_cfg: dict[str, Any]) -> np.ndarray:
    """Synthetic companies to add per territory x area cell: the cell's companies in a synthetic run
    (:func:`company_counts` summed over size classes) minus the surveyed, never < 0."""
    return np.maximum(company_counts(domain, pop_cfg).sum(axis=2) - surveyed, 0)


def _synthetic_ids(n: int, codes: np.ndarray, taken: set[str], tags: np.ndarray | None = None) -> np.ndarray:
    """Ids ``SYN-<territory>-<number>`` for the fill (``SYN-<territory>-<TAG>-<number>`` for other actor types),
    with a longer prefix if the survey already uses them."""
    prefix = "SYN"
    mid = [""] * n if tags is None else [f"{t[:3].upper()}-" for t in tags]
    while True:
        ids = np.array([f"{prefix}-{c}-{m}{i:05d}" for i, (c, m) in enumerate(zip(codes, mid, strict=True))],
                       dtype=str)
        if not taken.intersection(i.casefold() for i in ids):
            return ids
        prefix += "X"


def build_population(domain: Domain, pop_cfg: dict[str, Any], rec: SurveyRecords,
                     rng: np.random.Generator) -> Population:
    """Companies of the survey (first, in file order) and, if configured, the synthetic fill."""
    t_n, a_n = domain.employment.shape
    surveyed = np.zeros((t_n, a_n), dtype=int)
    np.add.at(surveyed, (rec.territory, rec.area), 1)
    fill = fill_counts(domain, surveyed, pop_cfg) if pop_cfg["fill_synthetic"] else np.zeros_like(surveyed)
    t_idx, a_idx = np.nonzero(fill)
    f_terr = np.repeat(t_idx, fill[t_idx, a_idx])
    f_area = np.repeat(a_idx, fill[t_idx, a_idx])
    f_seg = np.zeros(f_area.size, dtype=int)
    for a, shares in enumerate(domain.areas.segment_shares):
        rows = np.flatnonzero(f_area == a)
        f_seg[rows] = rng.choice(len(shares), size=rows.size, p=shares)
    f_size = rng.choice(len(SIZE_CLASSES), size=f_area.size, p=size_number_shares(pop_cfg))
    other = non_company_actors(domain)
    n_comp = rec.n + f_area.size

    territory = np.concatenate([rec.territory, f_terr, other["territory"]]).astype(int)
    area = np.concatenate([rec.area, f_area, other["area"]]).astype(int)
    segment = np.concatenate([rec.segment, f_seg, other["segment"]]).astype(int)
    size = np.concatenate([rec.size, f_size, other["size"]]).astype(int)
    kind = np.concatenate([np.zeros(n_comp, dtype=np.int64), other["kind"]])
    attrs = draw_attributes(domain, pop_cfg, territory, area, segment, size, rng, kind=kind)
    employees = employees_for(size, rng)
    employees[n_comp:] = other["employees"]

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
    taken = {i.casefold() for i in rec.ids}
    syn_ids = _synthetic_ids(f_area.size, codes[f_terr], taken)
    other_ids = _synthetic_ids(other["kind"].size, codes[other["territory"]], taken,
                               tags=np.array(domain.actor_types.names)[other["kind"]])
    n = territory.size
    interviewed = np.zeros(n, dtype=bool)
    interviewed[s] = rec.interviewed
    blanks = int(np.isnan(rec.capability).sum() + np.isnan(rec.need).sum())
    if rec.ignored:
        log.warning("survey %s: columns ignored (not survey columns): %s", rec.file, ", ".join(rec.ignored))
    note = f"; {blanks} blank score cells drawn synthetically" if blanks else ""
    log.info("survey %s: %d companies surveyed, %d synthetic companies added for non-respondents%s",
             rec.file, rec.n, f_area.size, note)
    fill_kind = kind[rec.n:]
    fill_ids = np.concatenate([syn_ids, other_ids]).astype(str)
    return Population(
        ids=np.concatenate([rec.ids, fill_ids]).astype(str),
        names=np.concatenate([rec.names, actor_names(domain, fill_kind, fill_ids)]).astype(str),
        territory=territory,
        area=area,
        segment=segment,
        size=size,
        employees=employees,
        origin=np.array(["surveyed"] * rec.n + ["synthetic"] * (n - rec.n)),
        kind=kind,
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
