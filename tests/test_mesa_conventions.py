"""Mesa conventions: ``XBSimModel`` accepts Mesa's ``rng=`` and keyword parameters, so ``mesa.batch_run`` works
and returns tidy rows equal to direct runs."""

from __future__ import annotations

import mesa
import pandas as pd
import pytest

from tests.helpers.configs import composed
from xbsim.core.config import ConfigError
from xbsim.model import XBSimModel

SMALL = {"population.n_companies": 200}


def test_batch_run_returns_one_tidy_row_per_run_equal_to_direct_runs() -> None:
    rows = mesa.batch_run(XBSimModel, parameters={**SMALL, "b2b.max_meetings_per_participant": [2, 8]},
                          rng=[1, 2], max_steps=100, data_collection_period=-1, display_progress=False)
    df = pd.DataFrame(rows)
    assert len(df) == 4 and df["Step"].eq(36).all()
    assert {"rng", "population.n_companies", "b2b.max_meetings_per_participant", "b2b_meetings_held",
            "industry_energy.members", "agrifood_health.constituted"} <= set(df.columns)
    for _, row in df.iterrows():
        direct = XBSimModel(composed(["population.n_companies=200",
                                     f"b2b.max_meetings_per_participant={row['b2b.max_meetings_per_participant']}",
                                     f"seed={row['rng']}"])).run()
        last = direct.datacollector.get_model_vars_dataframe().iloc[-1]
        assert last["b2b_meetings_held"] == row["b2b_meetings_held"]
        assert last["industry_energy.members"] == row["industry_energy.members"]
    held = df.groupby("b2b.max_meetings_per_participant")["b2b_meetings_held"].mean()
    assert held[8] > held[2]  # the parameter reached the model


def test_keyword_parameters_mapping_and_double_underscore_are_the_same() -> None:
    a = XBSimModel(rng=3, **{**SMALL, "b2b.slots": 9})
    b = XBSimModel(rng=3, parameters={**SMALL, "b2b.slots": 9})
    c = XBSimModel(rng=3, population__n_companies=200, b2b__slots=9)
    assert a.cfg == b.cfg == c.cfg and a.cfg.seed == 3 and a.cfg.b2b.slots == 9
    assert a.cfg == XBSimModel(composed(["population.n_companies=200", "b2b.slots=9", "seed=3"])).cfg


@pytest.mark.parametrize(("params", "needle"), [
    ({"b2b.nope": 3}, "b2b.nope=3 is not allowed; allowed: an existing key"),
    ({"b2b.slots": "many"}, "b2b.slots='many' is not allowed"),
    ({"b2b.no_show": 2.0}, "b2b.no_show=2.0 is not allowed; allowed: a probability in [0, 1]"),
])
def test_bad_keyword_parameter_is_one_config_error(params: dict, needle: str) -> None:
    with pytest.raises(ConfigError) as err:
        XBSimModel(**{**SMALL, **params})
    assert needle in str(err.value) and "\n" not in str(err.value)
