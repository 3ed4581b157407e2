"""Every domain declared on a schema field (``Check``, ``choice``) is enforced by validate, naming the key: the
walk over the dataclass fields replaces the lists of key names validate.py used to keep."""

from __future__ import annotations

import copy
from dataclasses import fields, is_dataclass
from typing import Any, get_args, get_origin, get_type_hints

import pytest

from tests.helpers.configs import plain
from xbsim.core.config import ConfigError, validate
from xbsim.core.config.schema import Check, XBSimConfig

BAD = {Check.probability: 1.5, Check.non_negative: -0.5, Check.count: -1, Check.positive: 0,
       Check.at_least_one: 0.5, Check.month: 10_000}


def declared(cls: type, node: Any, path: str = "") -> list[tuple[str, Any]]:
    """(dotted key, bad value) of every declared field present in the plain config ``node``."""
    out: list[tuple[str, Any]] = []
    hints = get_type_hints(cls)
    for f in fields(cls):
        if f.name not in node or (cls is XBSimConfig and f.name == "search"):
            continue
        key, typ = f"{path}{f.name}", hints[f.name]
        if "check" in f.metadata:
            out.append((key, BAD[f.metadata["check"]]))
        if "choices" in f.metadata:
            out.append((key, "nowhere"))
        if is_dataclass(typ):
            out += declared(typ, node[f.name], f"{key}.")
        elif get_origin(typ) is dict and is_dataclass(get_args(typ)[1]):
            for name, child in node[f.name].items():
                out += declared(get_args(typ)[1], child, f"{key}.{name}.")
    return out


DEFAULT = plain()
CASES = declared(XBSimConfig, DEFAULT)


def test_the_walk_reaches_the_nested_sections() -> None:
    keys = {k for k, _ in CASES}
    assert len(CASES) > 120
    assert {"b2b.scope", "joining.rate", "poles.industry_energy.critical_mass.min_members",
            "actors.research.max_partners", "population.size_classes.micro.employment_share", "costs.survey",
            "horizon_months", "dimensions.finance.sme_need"} <= keys


@pytest.mark.parametrize(("key", "bad"), CASES, ids=[k for k, _ in CASES])
def test_every_declared_domain_is_enforced(key: str, bad: Any) -> None:
    cfg = copy.deepcopy(DEFAULT)
    node = cfg
    *parents, last = key.split(".")
    for part in parents:
        node = node[part]
    node[last] = bad
    with pytest.raises(ConfigError) as err:
        validate(cfg)
    assert err.value.key == key or err.value.key.startswith(key), (key, str(err.value))
