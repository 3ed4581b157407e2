"""Poles proposed from the evidence: a planted strong cross-border community is proposed; the proposal is
seeded, disjoint and explained; ``poles=auto`` runs on the default scenario and on the example survey."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tests.helpers.cli import ROOT, run
from tests.helpers.configs import plain
from xbsim.core.config import ConfigError, compose, validate
from xbsim.core.config.schema import ProposalConfig
from xbsim.programme.proposal import clue_graph, propose
from xbsim.study.proposal import propose_poles

AREAS = ["a0", "a1", "a2", "a3"]
PARAMS = {"k": 1, "resolution": 1.0, "area_share": 0.2, "max_areas": 2}
TERRITORY_COUNTRY = np.array([0, 1, 1])  # FR61 | ES21, ES22


def _planted(n: int = 80, planted: int = 20, k: int = 4, seed: int = 0) -> dict:
    """Actors 0..planted-1 in areas a1 (first half) and a2, alternating FR/ES territories, each with k strong
    (0.9) cross-border clues inside the group; the others in a0 and a3 with k weak (0.1) random clues."""
    rng = np.random.default_rng(seed)
    territory = np.arange(n) % 3
    country = TERRITORY_COUNTRY[territory]
    area = np.where(np.arange(n) < planted // 2, 1, np.where(np.arange(n) < planted, 2, rng.choice([0, 3], n)))
    idx = np.zeros((n, k), dtype=np.int64)
    score = np.zeros((n, k))
    group = np.arange(planted)
    for i in range(n):
        if i < planted:
            pool = group[country[group] != country[i]]
            idx[i], score[i] = rng.choice(pool, k, replace=False), 0.9
        else:
            pool = np.setdiff1d(np.arange(n), [i])
            idx[i], score[i] = rng.choice(pool, k, replace=False), 0.1
    return {"rows": np.arange(n), "idx": idx, "score": score, "area": area, "segment": np.arange(n) % 2,
            "territory": territory, "country": country, "kind": (np.arange(n) % 7 == 0).astype(int)}


def _propose(case: dict, seed: int = 1, **params: object) -> list:
    return propose(case["rows"], case["idx"], case["score"], area=case["area"], segment=case["segment"],
                   territory=case["territory"], country=case["country"], kind=case["kind"], area_names=AREAS,
                   segment_names=[["s0", "s1"]] * 4, territory_codes=["FR61", "ES21", "ES22"],
                   type_names=["company", "research"], convergence=dict.fromkeys(AREAS, 0.5),
                   params=ProposalConfig(**{**PARAMS, **params}), seed=seed)


def test_planted_cross_border_community_is_proposed() -> None:
    case = _planted()
    (best,) = _propose(case)
    assert best.areas == ["a1", "a2"]
    assert set(range(20)) <= set(best.members.tolist())  # every planted actor is a candidate member
    assert best.name == "proposed_1" and best.by_territory["FR61"] > 0 and best.by_territory["ES21"] > 0
    assert best.segments == {"a1": ["s0", "s1"], "a2": ["s0", "s1"]}
    assert "cross-border clues" in best.reason and "a1 and a2" in best.reason


def test_proposal_is_seeded_disjoint_and_ranked() -> None:
    case = _planted()
    a, b = _propose(case, seed=5, k=3), _propose(case, seed=5, k=3)
    assert [c.as_dict() for c in a] == [c.as_dict() for c in b]
    assert a[0].areas == ["a1", "a2"]
    areas = [x for c in a for x in c.areas]
    assert len(areas) == len(set(areas))  # the proposed poles share no area
    assert [c.score for c in a] == sorted((c.score for c in a), reverse=True)


def test_clue_graph_keeps_cross_border_links_and_sums_both_directions() -> None:
    idx = np.array([[1, 2], [0, -1], [0, 1]])
    score = np.array([[0.5, 0.3], [0.4, -np.inf], [0.3, 0.2]])
    g = clue_graph(np.arange(3), idx, score, country=np.array([0, 1, 0]))
    assert sorted(g.edges(data="weight")) == [(0, 1, pytest.approx(0.9)), (1, 2, pytest.approx(0.2))]
    assert _propose({**_planted(), "score": np.zeros((80, 4))}) == []  # no clue at all: nothing to propose


def test_auto_needs_no_poles_but_checks_its_settings() -> None:
    validate(compose(["poles=auto"]))
    with pytest.raises(ConfigError, match="proposal.area_share"):
        validate(compose(["poles=auto", "proposal.area_share=2"]))


def test_propose_poles_default_scenario_config() -> None:
    cfg = plain(["poles=auto", "population.n_companies=300"])
    out, record = propose_poles(cfg)
    assert list(out["poles"]) == [c["name"] for c in record["candidates"]] == ["proposed_1", "proposed_2"]
    areas = [a for p in out["poles"].values() for a in p["areas"]]
    assert len(areas) == len(set(areas)) and set(areas) <= set(cfg["areas"])
    validate(out)
    assert propose_poles(cfg)[1] == record  # seeded from the run's streams


@pytest.mark.parametrize("extra", [[], ["population.source=survey",
                                        f"population.path={ROOT / 'xbsim/data/example_survey.csv'}"]],
                         ids=["default", "example_survey"])
def test_poles_auto_runs_the_programme(tmp_path: Path, extra: list[str]) -> None:
    out = tmp_path / "run"
    res = run(["poles=auto", "population.n_companies=300", "figures=false", f"hydra.run.dir={out}", *extra],
                  cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert "poles=auto: 2 pole(s) proposed" in res.stdout
    proposal = json.loads((out / "proposal.json").read_text())
    summary = json.loads((out / "summary.json").read_text())
    assert list(summary["poles"]) == [c["name"] for c in proposal["candidates"]]
    assert all(c["reason"] and c["members_by_territory"] for c in proposal["candidates"])


def test_propose_poles_command_writes_a_usable_poles_config(tmp_path: Path) -> None:
    import sys

    out = tmp_path / "proposal"
    res = run(["-m", "xbsim.cli.propose", "population.n_companies=300", f"hydra.run.dir={out}"], cwd=tmp_path,
                  prefix=[sys.executable])
    assert res.returncode == 0, res.stderr
    assert f"run them: xbsim --config-dir {out / 'configs'} poles=proposed" in res.stdout
    from hydra import compose as hydra_compose
    from hydra import initialize_config_dir

    from xbsim.core.config import CONFIG_DIR, register_configs

    register_configs()
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        cfg = hydra_compose("config", overrides=["poles=proposed", f"hydra.searchpath=[file://{out / 'configs'}]"])
    assert list(cfg.poles) == ["proposed_1", "proposed_2"]
    validate(cfg)


def test_report_ranks_proposed_poles_and_shows_indicators_with_targets(tmp_path: Path) -> None:
    import pandas as pd

    out = tmp_path / "auto"
    res = run(["poles=auto", "population.n_companies=300", "horizon_months=24", "workshops.end=24",
                   "b2b.events=[6,12,18]", "feasibility.reassessment_month=20", "feasibility.min_interested=5",
                   "joining.cost=0.9", "proposal.critical_mass.min_members=8", "replications=4",
                   "study.replication_files=summary", "study.report=true", "figures=false",
                   "indicators.targets.RCO87=1", "indicators.targets.RCO83=3", f"hydra.run.dir={out}"], cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert "Interreg indicators, mean [95% CI]: RCO87" in res.stdout
    report = (out / "report" / "report.md").read_text()
    assert "### Interreg indicators" in report and "### Proposed poles (poles=auto)" in report
    assert "RCO87 >= 1: MET, P(met) 1.00" in report  # every run has a cross-border partnership
    assert "RCO83 >= 3: NOT MET, P(met) 0.00" in report  # two poles: at most two joint strategies
    table = pd.read_csv(out / "report" / "indicators.csv")
    assert {"RCO87", "RCR84", "RCO01", "RCO01.micro", "RCO04", "RCO10", "RCO83", "RCO116"} <= set(table["indicator"])
    assert (table["ci_low"] <= table["mean"]).all() and (table["mean"] <= table["ci_high"]).all()
    from xbsim.study.collect import collect
    from xbsim.study.report.proposal import ranked_candidates

    ranked = ranked_candidates(collect(out), {})
    assert list(ranked["rank"]) == [1, 2]
    assert ranked["p_viable"].is_monotonic_decreasing and set(ranked["pole"]) == {"proposed_1", "proposed_2"}


def test_a_model_without_poles_is_a_clear_error() -> None:
    from xbsim.model import XBSimModel

    with pytest.raises(ConfigError, match="propose them first"):
        XBSimModel(compose(["poles=auto", "population.n_companies=100"]))
