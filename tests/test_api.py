"""The model from Python, as a researcher in a notebook uses it, and the full outputs of the default run."""

from __future__ import annotations

import json
from pathlib import Path

import mesa
import pandas as pd

from tests.helpers.cli import run
from tests.helpers.configs import composed
from xbsim.model import XBSimModel
from xbsim.model.agents import Actor, Facilitator
from xbsim.outputs import write_run


def test_notebook_flow(tmp_path: Path) -> None:
    cfg = composed(["population.n_companies=300", "b2b.events=[4,10]", "seed=3"])
    model = XBSimModel(cfg)
    assert isinstance(model, mesa.Model) and model.month == 0
    actors = model.agents_by_type[Actor]
    companies = actors.select(lambda a: a.actor_type == "company")
    assert len(companies) == 300
    assert len(actors) == 300 + int(model.domain.actor_types.counts.sum())
    assert {a.actor_type for a in actors} == {"company", "research", "intermediary"}
    assert len(model.agents_by_type[Facilitator]) == 2
    for _ in range(6):
        model.step()
    assert model.month == 6
    known = companies.select(lambda a: a.known)
    assert 0 < len(known) < 300
    agent = next(iter(known))
    assert agent.territory in cfg.territories and agent.area in cfg.areas
    assert set(agent.capability()) == set(cfg.dimensions)
    ts = model.datacollector.get_model_vars_dataframe()
    assert list(ts["month"]) == list(range(7))
    assert ts["b2b_meetings_held"].iloc[-1] > 0
    model.run()
    assert model.month == 36
    summary = write_run(model, tmp_path / "out", figures=False)
    assert (tmp_path / "out" / "summary.json").exists()
    assert summary["b2b"]["events"] == 2 * len(cfg.poles)  # one thematic event per pole in each event month
    assert sorted((r.month, r.pole) for r in model.b2b_results) == [(4, 0), (4, 1), (10, 0), (10, 1)]


def test_default_run_writes_everything(tmp_path: Path) -> None:
    out = tmp_path / "run"
    res = run([f"hydra.run.dir={out}"], cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    for f in ("summary.json", "timeseries.csv", "companies.csv", "partnerships.csv", "meetings.csv", "clues.csv",
              "joins.csv", "config.yaml", "membership.png", "network.png", "funnel.png", "criteria.png",
              "analysis/location_quotients.csv", "analysis/coverage.csv", "analysis/convergence.csv"):
        assert (out / f).is_file() and (out / f).stat().st_size > 0, f
    s = json.loads((out / "summary.json").read_text())
    assert set(s["poles"]) == {"industry_energy", "agrifood_health"}
    for pole in s["poles"].values():
        assert {"viable", "constitution_month", "members", "members_by_territory", "criteria", "feasibility",
                "reachable_markets"} <= set(pole)
        assert set(pole["members_by_territory"]) == {"FR61", "ES21", "ES22"}
        assert set(pole["feasibility"]) >= {"verdict", "go", "reasons", "conditions", "assessments"}
        assert pole["feasibility"]["verdict"] in ("go", "conditional", "no-go")
        assert pole["member_companies"] + pole["other_members"] == pole["members"]
        for crit in pole["criteria"].values():
            assert set(crit) == {"value", "threshold", "met"}
        assert pole["viable"] == (pole["constitution_month"] is not None)
    assert list(s["funnel"]) == ["actors", "contacted", "known", "engaged", "met", "partnered", "members"]
    f = s["funnel"]  # nested stages: every member was engaged, every partnered actor met someone, and so on
    assert f["actors"] >= f["contacted"] >= f["known"] >= f["engaged"] >= f["met"] >= f["partnered"] > 0
    assert 0 < f["members"] <= f["engaged"]
    assert {"participants", "requests", "accepted", "booked", "held", "follow_ups", "partnerships"} <= set(s["b2b"])
    ts = pd.read_csv(out / "timeseries.csv")
    assert len(ts) == 37
    assert "industry_energy.members_per_territory.threshold" in ts.columns
    assert "xbsim: 36 months, seed 42" in res.stdout and "pole industry_energy" in res.stdout
    assert not list(out.glob(".*.tmp"))


def test_benchmark_script_tiny(tmp_path: Path) -> None:
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    res = subprocess.run([sys.executable, str(root / "benchmarks" / "bench_model.py"), "--sizes", "200",
                          "--repeats", "1", "--out", str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    data = json.loads((tmp_path / "model.json").read_text())
    assert data["sizes"][0]["n_companies"] == data["sizes"][0]["companies"] == 200
    assert data["sizes"][0]["actors"] > 200 and data["default"]["total_s"] > 0
    assert data["default"]["companies"] > 10_000  # the default is the real target population
    assert (tmp_path / "model.md").read_text().startswith("# Model benchmark")
