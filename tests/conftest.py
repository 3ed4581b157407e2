"""Shared fixtures: the composed configurations (each composed once per session) and finished runs (cached per
session). Helpers that are not fixtures live in tests/helpers/."""

from __future__ import annotations

import pytest
from omegaconf import DictConfig, OmegaConf

from tests.helpers.configs import compose_with_hydra, composed, every_override, plain
from tests.helpers.scenarios import SMALL
from xbsim.core.config.validate import validate
from xbsim.model import XBSimModel


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--timing", choices=("all", "skip", "only"), default="all",
                     help="tests marked timing (wall-clock assertions): run them with the others (all, the default), "
                          "leave them out (skip) or run only them (only). make test runs the others on two processes "
                          "(--timing=skip), then these alone (--timing=only), so that no other test shares the CPU.")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    mode = config.getoption("--timing")
    if mode == "all":
        return
    keep = [i for i in items if (i.get_closest_marker("timing") is not None) == (mode == "only")]
    if len(keep) < len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in keep])
        items[:] = keep


@pytest.fixture(scope="session")
def every_config() -> dict[str, DictConfig | Exception]:
    """Every config composed once as ``xbsim`` composes it (``hydra`` node included) and validated: the default
    (key ``""``) and each option of every group, the experiments and the debug scenarios included (keys
    ``GROUP=OPTION``). A config that fails to compose or validate maps to its exception (see
    tests/test_config.py::test_every_config_composes_and_validates)."""
    out: dict[str, DictConfig | Exception] = {}
    for override in every_override():
        try:
            full = compose_with_hydra([override] if override else [])
            validate(OmegaConf.masked_copy(full, [k for k in full if k != "hydra"]))
        except Exception as e:  # noqa: BLE001 - reported by the test, per config
            out[override] = e
        else:
            out[override] = full
    return out


@pytest.fixture
def default_cfg() -> DictConfig:
    """The default configuration as ``xbsim.core.config.compose()`` returns it (a copy: change it freely)."""
    return composed()


@pytest.fixture
def default_plain() -> dict:
    """The default configuration as a resolved plain dict (a copy: change it freely)."""
    return plain()


@pytest.fixture(scope="session")
def default_model() -> XBSimModel:
    """The shipped default scenario, run to the horizon."""
    return XBSimModel(composed()).run()


@pytest.fixture(scope="session")
def small_models() -> list[XBSimModel]:
    """Five small runs with different seeds."""
    return [XBSimModel(composed([*SMALL, f"seed={s}"])).run() for s in range(5)]
