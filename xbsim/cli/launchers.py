"""Refuse, before Hydra starts, a sweep whose launcher cannot start here, with one line saying what to install.

Hydra would otherwise die with a traceback ("Unknown plugin class", or submitit's "Could not detect srun") after
creating the sweep folder. Only the launcher chosen on the command line (``hydra/launcher=NAME``) is checked; the
launchers of the named experiments (joblib) are dependencies of xbsim.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
from collections.abc import Sequence
from typing import NamedTuple


class Plugin(NamedTuple):
    what: str                                    # "the Ray launcher"
    modules: tuple[tuple[str, str], ...]         # (module it imports, the distribution that ships it)
    install: str                                 # what to install, and how


_REINSTALL = "{}, dependencies of xbsim: pip install -e . in the xbsim folder"
_RAY = Plugin("the Ray launcher", (("hydra_plugins.hydra_ray_launcher", "hydra-ray-launcher"), ("ray", "ray")),
              "the ray extra: pip install -e '.[ray]' in the xbsim folder")
_SUBMITIT = Plugin("the submitit launcher",
                   (("hydra_plugins.hydra_submitit_launcher", "hydra-submitit-launcher"), ("submitit", "submitit")),
                   _REINSTALL.format("hydra-submitit-launcher and submitit"))
_JOBLIB = Plugin("the joblib launcher",
                 (("hydra_plugins.hydra_joblib_launcher", "hydra-joblib-launcher"), ("joblib", "joblib")),
                 _REINSTALL.format("hydra-joblib-launcher and joblib"))
# launcher option, xbsim's (xbsim/configs/hydra/launcher/) or a plugin's own -> the plugin it needs
PLUGINS = {
    "ray": _RAY, "ray_cluster": _RAY, "ray_aws": _RAY,
    "slurm": _SUBMITIT, "submitit_slurm": _SUBMITIT, "submitit_local": _SUBMITIT,
    "joblib": _JOBLIB, "cores": _JOBLIB,
}
SLURM = {"slurm", "submitit_slurm"}
_LAUNCHER = re.compile(r"^\+{0,2}hydra/launcher=(?P<name>.+)$")
_NO_LAUNCH = {"--cfg", "-c", "--help", "-h", "--hydra-help", "--info", "-i", "--shell-completion", "-sc"}


def chosen_launcher(argv: Sequence[str]) -> str | None:
    """The launcher a command line would start, or None (not a sweep, only printing, or no launcher chosen)."""
    args = set(argv)
    if not {"-m", "--multirun", "hydra.mode=MULTIRUN"} & args or _NO_LAUNCH & args:
        return None
    names = [m["name"].strip("'\"") for m in map(_LAUNCHER.match, argv) if m]
    return names[-1] if names else None


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def launcher_problem(argv: Sequence[str]) -> str | None:
    """One line saying why the sweep's launcher cannot start here (a missing plugin, no SLURM), or None."""
    name = chosen_launcher(argv)
    plugin = PLUGINS.get(name or "")
    if plugin is None:
        return None
    missing = [dist for module, dist in plugin.modules if not _installed(module)]
    if missing:
        return f"{plugin.what} (hydra/launcher={name}) needs {plugin.install} ({', '.join(missing)} not installed)"
    if name in SLURM and shutil.which("srun") is None:
        return (f"the SLURM launcher (hydra/launcher={name}) needs a SLURM cluster, and there is no srun here: run "
                "the sweep on the cluster's login node, or try it on this machine with hydra/launcher=submitit_local")
    return None
