"""The annex of a 3-scenario sweep as a reader sees it: report.html opened in headless Chromium (Debian's
``chromium`` through Playwright, as tests/test_app_browser.py does). Every scenario label appears whole, the
key findings come first, numbers never wrap inside their cell, and the figures load. Skipped only when no
Chromium can be found (``scripts/install-browser.sh``). Artefact: a screenshot in ``test-artifacts/``."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import browser as B
from tests.helpers.scenarios import TINY, write_scenario
from xbsim.study.collect import collect
from xbsim.study.report import build_report
from xbsim.study.report.results import labels

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
#: Three scenarios whose swept parameters have long names (the labels that used to be cut with "…").
GRID = [(4, 5), (8, 5), (8, 10)]

_ONE_LINE_JS = """() => Array.from(document.querySelectorAll('td.n')).filter(td => {
    if (!td.firstChild) return false;
    const r = document.createRange(); r.selectNodeContents(td);
    const tops = new Set(Array.from(r.getClientRects()).map(x => Math.round(x.top)));
    return tops.size > 1; }).map(td => td.textContent)"""


@pytest.fixture(scope="module")
def sweep(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("annex")
    base = [*TINY, "replications=3", "study.replication_files=summary"]
    for mm, cap in GRID:
        write_scenario(root, f"mm{mm}-cap{cap}", base,
                 [f"b2b.max_meetings_per_participant={mm}", f"accompaniment.capacity={cap}"])
    build_report(root)
    return root


def test_the_annex_shows_whole_labels_and_key_findings(sweep: Path, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    exe = B.find_chromium()
    if exe is None:
        pytest.skip("no Chromium browser found: run scripts/install-browser.sh")
    names = list(labels(collect(sweep)).values())
    assert len(names) == 3 and all(len(n) > 60 for n in names), names  # long enough to have been cut before
    with sync_playwright() as pw:
        context = B.launch(pw, exe, tmp_path / "profile", viewport=(1200, 900))
        try:
            page = context.pages[0] if context.pages else context.new_page()
            page.goto((sweep / "report" / "report.html").as_uri())
            headings = [h.strip() for h in page.locator("h2").all_inner_texts()]
            assert headings[0] == "Key findings", headings
            findings = page.locator("h2 + ul").first.inner_text()
            assert "P(viable)" in findings and "95% CI" in findings
            text = page.inner_text("body")
            for name in names:
                assert name in text, name  # whole, in the scenario table and the results
                cells = page.locator("td", has_text=name)
                assert cells.count() >= 3, name  # scenarios, results (one row per pole)
            assert "…" not in text
            assert page.evaluate(_ONE_LINE_JS) == []  # no number wraps inside its cell
            sizes = page.eval_on_selector_all("img", "imgs => imgs.map(i => [i.naturalWidth, i.complete])")
            assert len(sizes) == 7 and all(w > 300 and ok for w, ok in sizes)
            assert page.locator('a[href="appendix-config.md"]').count() == 1
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "report-annex.png"))
        finally:
            context.close()
