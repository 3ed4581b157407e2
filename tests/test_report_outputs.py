"""What a study author pastes from one run: the console's deciding reason, the funnel, the population warning,
the figures' formats and names, the map's counts; and the annex's key findings on known numbers."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tests.helpers.configs import composed
from tests.helpers.scenarios import TINY
from xbsim.core.config import compose
from xbsim.core.config.validate import ConfigError, validate
from xbsim.model import XBSimModel
from xbsim.outputs import console_summary, write_run
from xbsim.outputs.console import deciding_reason, funnel_line
from xbsim.outputs.names import parameter_name, scenario_label, territory_name, wrap
from xbsim.outputs.summary import territory_links


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[XBSimModel, dict, Path]:
    out = tmp_path_factory.mktemp("run")
    model = XBSimModel(composed([*TINY, "figures=true", "figure_format=[png,svg,pdf]", "figure_dpi=80"])).run()
    return model, write_run(model, out), out


def test_every_figure_in_every_format_and_identical_on_rerun(tiny_run, tmp_path: Path) -> None:
    model, _, out = tiny_run
    for stem in ("membership", "criteria", "network", "map", "funnel"):
        for fmt in ("png", "svg", "pdf"):
            assert (out / f"{stem}.{fmt}").stat().st_size > 1000, (stem, fmt)
    again = XBSimModel(composed([*TINY, "figures=true", "figure_format=[png,svg,pdf]", "figure_dpi=80"])).run()
    write_run(again, tmp_path)
    for name in ("map.svg", "criteria.pdf", "network.png"):
        assert (out / name).read_bytes() == (tmp_path / name).read_bytes(), name


@pytest.mark.parametrize(("key", "value", "allowed"), [("figure_format", "[png,jpg]", "png, svg, pdf"),
                                                       ("figure_dpi", "20", "50 to 1200")])
def test_bad_figure_settings_are_named(key: str, value: str, allowed: str) -> None:
    with pytest.raises(ConfigError, match=allowed) as err:
        validate(compose([f"{key}={value}"]))
    assert key in str(err.value) and "\n" not in str(err.value)


def test_territory_links_count_active_partnerships_between_territories(tiny_run) -> None:
    model, summary, _ = tiny_run
    ps, terr = model.state.partnerships, model.population.territory
    between = ps.active & (terr[ps.i] != terr[ps.j])
    assert sum(summary["territory_links"].values()) == int(between.sum()) > 0
    assert summary["territory_links"] == territory_links(model)
    assert set(summary["territory_links"]) == {"FR61-ES21", "FR61-ES22", "ES21-ES22"}
    regs = np.unique(np.concatenate([r.participants for r in model.b2b_results]))
    assert summary["b2b"]["distinct_participants"] == regs.size < summary["b2b"]["participants"]


def test_console_gives_the_deciding_reason_and_merges_equal_stages(tiny_run) -> None:
    _, summary, _ = tiny_run
    text = console_summary(summary, "out")
    for name, p in summary["poles"].items():
        line = next(x for x in text.splitlines() if x.startswith(f"pole {name}:"))
        assert "unmet:" not in line  # no list of all five criteria
        assert deciding_reason(p, 18) in line
    assert funnel_line({"actors": 10, "known": 7, "engaged": 7, "met": 7, "members": 0}) == \
        "actors 10 -> known = engaged = met 7 -> members 0"
    assert "registrations by" in text and "distinct actors" in text


def test_deciding_reason_names_the_hard_feasibility_shortfall() -> None:
    pole = {"viable": False, "criteria": {"members": {"value": 0, "threshold": 15, "met": False}},
            "feasibility": {"verdict": "no-go", "month": 15, "reasons": [
                "interested actors: 14 < 15", "interested actors in every territory: 1 < 2",
                "member types among the interested: 3 >= 2"]}}
    assert deciding_reason(pole, 36) == ("feasibility no-go: interested actors: 14 < 15 (and 1 shortfall(s) a "
                                         "conditional go could have accepted)")
    pole["feasibility"] = {"verdict": "go", "reasons": []}
    pole["criteria"]["sme_share"] = {"value": 0.4, "threshold": 0.5, "met": False}
    assert deciding_reason(pole, 36) == ("feasibility go, then critical mass not reached by month 36: members "
                                         "0 < 15; SME share 0.40 < 0.50")


def test_a_population_too_small_for_a_pole_is_a_warning(tmp_path: Path) -> None:
    model = XBSimModel(composed([*TINY, "poles.industry_energy.critical_mass.min_members=5000"])).run()
    summary = write_run(model, tmp_path, figures=False)
    assert len(summary["warnings"]) == 1 and "pole industry_energy" in summary["warnings"][0]
    assert "fewer than the 5000 it needs" in summary["warnings"][0]
    assert "WARNING: pole industry_energy" in console_summary(summary, "x")
    assert json.loads((tmp_path / "summary.json").read_text())["warnings"] == summary["warnings"]


def test_names_for_readers() -> None:
    assert parameter_name("b2b.max_meetings_per_participant") == "B2B meetings per participant (max)"
    assert parameter_name("poles.agrifood_health.critical_mass.min_members") == "agrifood_health: members needed"
    assert parameter_name("joining.some_new_key") == "joining: some new key"
    label = scenario_label({"b2b.max_meetings_per_participant": 8, "b2b.events": [6, 12]},
                           ["b2b.max_meetings_per_participant", "b2b.events"])
    assert label == "B2B meetings per participant (max) = 8; B2B event months = months 6, 12"
    assert wrap(label, 20).replace("\n", " ") == label  # wrapped, never cut
    assert territory_name({"FR61": {"name": "Aquitaine"}}, "FR61") == "Aquitaine (FR61)"
