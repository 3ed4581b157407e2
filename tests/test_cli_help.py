"""``xbsim --help`` is xbsim's own (what it does, the groups, the common overrides, the other commands) and
``xbsim --version`` prints xbsim's version."""

from __future__ import annotations

from pathlib import Path

from tests.helpers.cli import run
from xbsim import __version__


def test_help_is_xbsims_own(tmp_path: Path) -> None:
    res = run(["--help"], cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    out = res.stdout
    assert out.startswith("xbsim: will the proposed cross-border poles reach critical mass")
    assert "powered by Hydra" not in out and "== Config ==" not in out
    for needle in ("xbsim experiment=feasibility", "experiment: accompaniment_capacity", "poles: auto, euroregion",
                   "b2b.max_meetings_per_participant", "xbsim-validate", "docs/ODD.md"):
        assert needle in out, needle
    assert len(out.splitlines()) < 60
    assert not list(tmp_path.iterdir())  # asking for help writes nothing


def test_version(tmp_path: Path) -> None:
    res = run(["--version"], cwd=tmp_path)
    assert res.returncode == 0 and res.stdout.strip() == f"xbsim {__version__}"
    assert not list(tmp_path.iterdir())
