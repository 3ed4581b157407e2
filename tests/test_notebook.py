"""examples/walkthrough.ipynb runs from top to bottom (nbclient, the venv's own Python kernel) and shows what
it promises: the run's verdicts, the agents' table, the sweep's results and key findings, the figures."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "examples" / "walkthrough.ipynb"


def _text(cell: nbformat.NotebookNode) -> str:
    out = []
    for o in cell.get("outputs", []):
        out.append(o.get("text", "") or o.get("data", {}).get("text/plain", ""))
    return "".join(out)


def test_the_walkthrough_notebook_runs(tmp_path: Path) -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    env_path = os.environ.get("PYTHONPATH", "")
    os.environ["PYTHONPATH"] = os.pathsep.join([str(ROOT), env_path]) if env_path else str(ROOT)
    try:
        client = NotebookClient(nb, timeout=300, kernel_name="python3",
                                resources={"metadata": {"path": str(tmp_path)}})
        client.execute()
    finally:
        os.environ["PYTHONPATH"] = env_path
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "month 18 of 18" in _text(code[1])
    assert "(" in _text(code[2]) and "company" in _text(code[2])  # the agents' table by territory and type
    assert "xbsim: 18 months, seed 3" in _text(code[4]) and "map.png" in _text(code[4])
    assert "p_viable" in _text(code[5])
    assert "## Key findings" in _text(code[6])
    images = [o for o in code[7]["outputs"] if "image/png" in o.get("data", {})]
    assert len(images) == 3
