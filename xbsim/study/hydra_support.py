"""What a study reads from Hydra: a job's overrides as a scenario's name and parameters, and a sweep's record
as the keys it varies. (The resolvers of the output directories are :mod:`xbsim.core.config.resolvers`.)"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from omegaconf import OmegaConf


def scenario_key(overrides: Iterable[str], exclude: Iterable[str] = ()) -> str:
    """The scenario's name: its overrides, sorted, without the excluded keys (as Hydra's override_dirname)."""
    from hydra.core.override_parser.overrides_parser import OverridesParser

    skip = set(exclude)
    parsed = OverridesParser.create().parse_overrides(list(overrides))
    lines = sorted(o.input_line for o in parsed if o.key_or_group not in skip and o.input_line)
    return ",".join(lines) or "default"


def parameters(overrides: Iterable[str]) -> dict[str, Any]:
    """The overrides as {key: value}: numbers, booleans and strings as such, lists and dicts as text."""
    from hydra.core.override_parser.overrides_parser import OverridesParser

    out: dict[str, Any] = {}
    for o in OverridesParser.create().parse_overrides(list(overrides)):
        if o.is_delete():
            out[o.key_or_group] = None
            continue
        value = o.value()
        out[o.key_or_group] = value if isinstance(value, int | float | bool | str) or value is None \
            else o.get_value_element_as_str()
    return out


def sweep_keys(hydra: Any) -> list[str]:
    """The keys a Hydra sweep varies, from its ``hydra`` node (multirun.yaml's, or a job's): the keys of
    ``hydra.sweeper.params`` and of the sweep overrides of the command line (``key=a,b``, ``range(...)``...),
    parsed as Hydra's basic sweeper does, in its order. Unparseable entries are ignored."""
    from hydra.core.override_parser.overrides_parser import OverridesParser

    def get(node: Any, key: str) -> Any:
        try:
            return node.get(key) if node is not None else None
        except (AttributeError, TypeError):
            return None

    params = get(get(hydra, "sweeper"), "params") or {}
    lines = [f"{k}={v}" for k, v in params.items()] + [str(o) for o in get(get(hydra, "overrides"), "task") or []]
    parser = OverridesParser.create()
    keys: dict[str, None] = {}
    for line in lines:
        try:
            (o,) = parser.parse_overrides([line])
        except Exception:  # noqa: BLE001 - a hand-edited multirun.yaml must not stop a job or a report
            continue
        if o.is_sweep_override():
            keys[o.key_or_group] = None
    return list(keys)


def current_sweep_keys() -> list[str]:
    """The swept keys of the Hydra sweep this process runs a job of (none outside a sweep job): read from the
    sweep's multirun.yaml, which Hydra's sweeper writes before launching any job; the job's own
    ``hydra.sweeper.params`` when that file cannot be read (a launcher without a shared filesystem)."""
    from hydra.core.hydra_config import HydraConfig
    from hydra.types import RunMode

    if not HydraConfig.initialized():
        return []
    hc = HydraConfig.get()
    if hc.mode != RunMode.MULTIRUN:
        return []
    for path in (Path(str(hc.sweep.dir)), Path(str(hc.runtime.output_dir)).parent):
        try:
            doc = OmegaConf.to_container(OmegaConf.load(path / "multirun.yaml"), resolve=False)
        except Exception:  # noqa: BLE001 - missing or unreadable: try the next place, then the job's own config
            continue
        if isinstance(doc, dict):
            return sweep_keys(doc.get("hydra"))
    return sweep_keys(OmegaConf.to_container(hc, resolve=False))


def swept_values(cfg: dict[str, Any], keys: Iterable[str], params: dict[str, Any]) -> dict[str, Any]:
    """The value of each swept key in the scenario: the resolved configuration's value when it is a number, a
    boolean, a string or null (so typed as the schema types it: 5 given for a float is 5.0), else the override's
    value as :func:`parameters` reads it (lists as text; a config group by its option). Keys the scenario does not
    override are left out."""
    out: dict[str, Any] = {}
    for key in keys:
        if key not in params:
            continue
        node: Any = cfg
        for part in key.split("."):
            node = node.get(part, _MISSING) if isinstance(node, dict) else _MISSING
        out[key] = node if node is None or isinstance(node, int | float | bool | str) else params[key]
    return out


_MISSING = object()
