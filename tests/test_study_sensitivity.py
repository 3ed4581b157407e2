"""Global sensitivity analysis, tiny: Sobol' indices with bootstrap intervals and an LHS exploration, seeded from
the config (a rerun gives identical tables), and clear errors for bad input."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.helpers.outputs import read_json
from tests.helpers.scenarios import TINY, VARIED
from xbsim.cli.sensitivity import main
from xbsim.study.sensitivity import parse_param
from xbsim.study.sensitivity.analysis import evaluate_design, saltelli_design, sobol_table
from xbsim.study.sensitivity.params import Param

ARGS = ["--param", "poles.industry_energy.critical_mass.min_members=5:15:int", "--param", "joining.cost=0.6:1.0",
        "--n", "4", "--replications", "1", "--lhs", "4", "--workers", "1", "--resamples", "50", "--no-progress"]


@pytest.mark.slow
def test_tiny_sensitivity_run(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    main([*VARIED, *ARGS, "--out", str(tmp_path / "a")])
    assert "Global sensitivity of pole viability" in capsys.readouterr().out
    a = tmp_path / "a"
    for f in ("sobol.csv", "sobol.parquet", "sobol.png", "sobol_design.csv", "lhs.csv", "lhs.png",
              "sensitivity.md", "sensitivity.json", "config.yaml"):
        assert (a / f).is_file(), f
    table = pd.read_csv(a / "sobol.csv")
    assert list(table.columns) == ["output", "parameter", "S1", "S1_low", "S1_high", "ST", "ST_low", "ST_high"]
    assert len(table) == 4 * 2  # (2 poles x {p_viable, members}) x 2 parameters
    design = pd.read_csv(a / "sobol_design.csv")
    assert len(design) == 4 * (2 + 2) and set(design["matrix"]) == {"A", "B", "AB0", "AB1"}
    assert design["poles.industry_energy.critical_mass.min_members"].between(5, 15).all()
    assert (design["poles.industry_energy.critical_mass.min_members"] % 1 == 0).all()
    doc = read_json(a / "sensitivity.json")
    assert doc["model_runs"] == 16 + 4 and doc["seed"] == 42 and doc["n"] == 4
    # same seed, same everything: identical tables
    main([*VARIED, *ARGS, "--out", str(tmp_path / "b")])
    for f in ("sobol.csv", "lhs.csv", "sobol_design.csv"):
        assert (a / f).read_bytes() == (tmp_path / "b" / f).read_bytes(), f


def test_sobol_indices_of_a_known_function() -> None:
    """y = x1 + 0 * x2: all the variance is x1's (S1 = ST = 1 for x1, 0 for x2)."""
    params = [Param("x1", 0.0, 1.0), Param("x2", 0.0, 1.0)]
    a, b = saltelli_design(params, 256, np.random.default_rng(1))
    design = evaluate_design(lambda x: np.vstack([x[0], x[0] ** 2 + 0.0 * x[1]]), a, b)
    t = sobol_table(design, params, ["linear", "square"], np.random.default_rng(2), n_resamples=100)
    x1 = t[t["parameter"] == "x1"]
    x2 = t[t["parameter"] == "x2"]
    assert np.allclose(x1[["S1", "ST"]].to_numpy(), 1.0, atol=0.05)
    assert np.allclose(x2[["S1", "ST"]].to_numpy(), 0.0, atol=0.05)
    assert (x1["S1_low"] <= x1["S1"]).all() and (x1["S1"] <= x1["S1_high"]).all()


@pytest.mark.parametrize(("args", "message"), [
    (["--n", "6"], "power of 2"),
    (["--param", "joining.cost=1.0:0.5"], "LOW < HIGH"),
    (["--param", "joining.cost"], "KEY=LOW:HIGH"),
    (["--param", "b2b.max_meetings_per_participant=2:12:int"], "at most b2b.slots"),
    (["--param", "no.such.key=0:1"], "sensitivity:"),
])
def test_bad_input_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture, args: list[str], message: str) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([*TINY, "--workers", "1", "--no-progress", "--out", str(tmp_path), *args])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1


def test_parse_param() -> None:
    assert parse_param("accompaniment.capacity=2:30:int") == Param("accompaniment.capacity", 2, 30, True)
    p = parse_param("clues.friction_scale=0.5:1.0")
    assert not p.integer and p.value(0.7) == 0.7
    assert Param("k", 2, 4, True).value(4.49) == 4 and Param("k", 2, 4, True).value(1.6) == 2
