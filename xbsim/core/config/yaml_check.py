"""YAML syntax of the configuration files a command will read, checked before Hydra reads them, so that a broken
file is one line ``file:line:column: problem`` instead of Hydra's traceback."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import yaml

CONFIG_DIR_OPTIONS = ("--config-dir", "-cd", "--config-path", "-cp")


def config_dirs(argv: Sequence[str], shipped: Path) -> list[Path]:
    """The shipped config folder and those given with --config-dir/-cd/--config-path/-cp (``X DIR`` or ``X=DIR``)."""
    dirs = [shipped]
    for i, arg in enumerate(argv):
        for opt in CONFIG_DIR_OPTIONS:
            if arg == opt and i + 1 < len(argv):
                dirs.append(Path(argv[i + 1]))
            elif arg.startswith(opt + "="):
                dirs.append(Path(arg.split("=", 1)[1]))
    return dirs


def yaml_problem(dirs: Iterable[Path]) -> str | None:
    """The first YAML syntax error of the ``*.yaml`` files under ``dirs``, as ``file:line:column: problem``."""
    for d in dirs:
        if not d.is_dir():
            continue
        for path in sorted(d.rglob("*.yaml")):
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as err:
                return f"{path}: cannot be read as a UTF-8 YAML file ({err})"
            try:
                try:  # libyaml when PyYAML has it (ten times faster); the message is the pure-Python parser's
                    yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
                except yaml.YAMLError:
                    yaml.safe_load(text)
            except yaml.MarkedYAMLError as err:
                mark = err.problem_mark or err.context_mark
                where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
                what = " ".join(str(x) for x in (err.problem, err.context) if x) or "invalid YAML"
                return f"{where}: {what}"
            except yaml.YAMLError as err:
                return f"{path}: invalid YAML ({' '.join(str(err).split())})"
    return None
