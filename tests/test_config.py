"""Configuration: composition, typed schema, and one clear line for every bad value."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.cli import run
from xbsim.core.config import ConfigError, compose

BAD_VALUES = [
    ("population.n_companies=-5", "population.n_companies", "an integer in 1..10,000,000"),
    ("outreach.response_rate=1.5", "outreach.response_rate", "a probability in [0, 1]"),
    ("b2b.no_show=-0.1", "b2b.no_show", "a probability in [0, 1]"),
    ("b2b.events=[6,40]", "b2b.events[1]", "a month in 1..36"),
    ("feasibility.month=50", "feasibility.month", "a month in 1..36"),
    ("feasibility.month=0", "feasibility.month", "a month in 1..36"),
    ("accompaniment.capacity=-1", "accompaniment.capacity", "an integer >= 0"),
    ("b2b.max_meetings_per_participant=0", "b2b.max_meetings_per_participant", "an integer >= 1"),
    ("poles.industry_energy.areas=[space]", "poles.industry_energy.areas", "one of the configured areas"),
    ("territories.FR61.s3_areas=[tourism]", "territories.FR61.s3_areas", "one of the configured areas"),
    ("~poles", "poles", "at least one proposed pole"),
    ("poles.agrifood_health.critical_mass.min_sme_share=2", "poles.agrifood_health.critical_mass.min_sme_share",
     "a probability in [0, 1]"),
    ("horizon_months=0", "horizon_months", "an integer >= 1"),
    ("survey.interview_start=13", "survey.interview_end", "a month >= survey.interview_start (13)"),
    ("outreach.start=13", "outreach.end", "a month >= outreach.start (13)"),
    ("feasibility.reassessment_month=15", "feasibility.reassessment_month", "null or a month in 16..36"),
    ("feasibility.reassessment_month=40", "feasibility.reassessment_month", "null or a month in 16..36"),
    ("b2b.scope=everywhere", "b2b.scope", "cross_border, other_region, any"),
    ("+actors.research.counts.FR61.space=3", "actors.research.counts.FR61", "one of the configured areas"),
]


@pytest.mark.parametrize(("override", "key", "allowed"), BAD_VALUES)
def test_bad_value_is_refused_with_key_value_and_domain(override: str, key: str, allowed: str) -> None:
    with pytest.raises(ConfigError) as err:
        compose([override])
    msg = str(err.value)
    assert "\n" not in msg
    assert msg.startswith(f"config error: {key}=")
    assert allowed in msg


def test_single_territory_is_refused() -> None:
    with pytest.raises(ConfigError, match="at least two territories"):
        compose(["~territories.ES21", "~territories.ES22"])


def test_every_config_composes_and_validates(every_config: dict[str, object]) -> None:
    """Each option of every config group (experiments and debug scenarios included), composed once per session."""
    from tests.helpers.configs import group_options

    failed = {name: f"{type(e).__name__}: {e}" for name, e in every_config.items() if isinstance(e, Exception)}
    assert not failed, failed
    assert {"experiment", "debug", "poles", "hydra/launcher"} <= set(group_options())
    assert len(every_config) == 1 + sum(len(options) for options in group_options().values())


def test_debug_scenarios_are_small(every_config: dict[str, object]) -> None:
    tiny, varied = every_config["debug=tiny"], every_config["debug=varied"]
    assert (tiny.population.n_companies, tiny.horizon_months, list(tiny.b2b.events)) == (150, 18, [6, 12])
    assert (varied.population.n_companies, varied.horizon_months) == (300, 24)
    assert tiny.hydra.job.config.override_dirname.exclude_keys == ["experiment", "debug"]


def test_default_config_composes_and_has_public_keys(default_cfg) -> None:
    cfg = default_cfg
    for key in ("seed", "horizon_months", "territories", "areas", "dimensions", "actors", "population",
                "outreach", "survey", "workshops", "b2b", "partnerships", "accompaniment", "poles", "feasibility"):
        assert key in cfg
    assert cfg.horizon_months == 36
    assert cfg.population.n_companies is None  # null: the real target population
    assert list(cfg.actors) == ["research", "intermediary"]
    assert cfg.feasibility.reassessment_month == 24 and cfg.b2b.scope == "cross_border"
    assert list(cfg.territories) == ["FR61", "ES21", "ES22"]
    assert len(cfg.areas) >= 4 and len(cfg.dimensions) == 8 and len(cfg.poles) == 2
    assert cfg.poles.industry_energy.critical_mass.min_members == 15


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["b2b.events=[6,40]"], "config error: b2b.events[1]=40"),
        (["outreach.response_rate=1.5"], "config error: outreach.response_rate=1.5"),
        (["poles.industry_energy.areas=[space]"], "config error: poles.industry_energy.areas='space'"),
    ],
)
def test_cli_bad_value_one_line_no_traceback(tmp_path: Path, args: list[str], needle: str) -> None:
    res = run(args, cwd=tmp_path)
    assert res.returncode != 0
    assert needle in res.stderr
    assert "Traceback" not in res.stderr + res.stdout
    assert not list(tmp_path.rglob("summary.json"))


@pytest.mark.parametrize(("args", "needle"), [(["population.n_companies=many"], "n_companies"),
                                              (["population.no_such_key=3"], "no_such_key")])
def test_cli_wrong_type_or_unknown_key_refused_by_hydra(tmp_path: Path, args: list[str], needle: str) -> None:
    res = run(args, cwd=tmp_path)
    assert res.returncode != 0
    assert needle in res.stderr
    assert "Traceback" not in res.stderr
