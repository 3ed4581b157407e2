"""The app as a person uses it: the real ``xbsim-app`` command serving the page on 127.0.0.1, opened in
headless Chromium (Debian's ``chromium`` driven by Playwright's Python client through ``executable_path``).

Skipped only when no Chromium can be found (``scripts/install-browser.sh`` installs Debian's). Artefacts: a
screenshot and the step timings in ``test-artifacts/``.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import sync_playwright

from tests.helpers import browser as B
from tests.helpers.launch import AppProcess, wait_closed
from xbsim.app.params import LABELS
from xbsim.app.server import missing_page_asset

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
#: A small scenario whose feasibility study (month 2) approves every pole and whose candidates join eagerly,
#: so that a few steps show members arriving.
OVERRIDES = ["population.n_companies=300", "feasibility.month=2", "feasibility.min_interested=1",
             "feasibility.min_interested_per_territory=0", "feasibility.min_member_types=1",
             "feasibility.min_cross_border_links=0", "feasibility.min_coverage=0",
             "feasibility.min_sme_share=0", "joining.rate=1.0", "joining.cost=0"]


@pytest.fixture(scope="module")
def chromium() -> str:
    exe = B.find_chromium()
    if exe is None:
        pytest.skip("no Chromium browser found: run scripts/install-browser.sh (installs Debian's chromium) "
                    "or set XBSIM_CHROMIUM to a Chromium executable")
    return exe


@pytest.fixture(scope="module")
def app() -> Iterator[AppProcess]:
    missing = missing_page_asset()
    assert missing is None, (f"{missing} (Solara's page) is not installed locally, so the page cannot load "
                             "without internet: install solara-assets, with ipyvuetify<2")
    proc = AppProcess(OVERRIDES, cwd=ROOT)
    proc.start()
    assert proc.proc is not None
    pid = proc.proc.pid
    try:
        yield proc
    finally:
        proc.stop()
        assert wait_closed(pid), "a process of xbsim-app's group outlived the test"


@pytest.fixture(scope="module")
def page(chromium: str, app: AppProcess, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with sync_playwright() as pw:
        context = B.launch(pw, chromium, tmp_path_factory.mktemp("chromium") / "profile")
        try:
            tab = context.pages[0] if context.pages else context.new_page()
            tab.errors = []  # uncaught exceptions in the page
            tab.on("pageerror", lambda err: tab.errors.append(str(err)))
            B.open_app(tab, str(app.url))
            yield tab
        finally:
            context.close()


def _members(page: Any, pole_index: int = 0) -> int:
    """The first criterion (members) of a pole's table in the criteria view."""
    cell = page.locator(".xbsim-pole").nth(pole_index).locator("tbody tr").first.locator("td").nth(1)
    return int(cell.inner_text())


def test_the_page_shows_the_controls_and_every_view(page: Any) -> None:
    for view in B.VIEWS:
        assert page.locator(f".xbsim-{view}").is_visible()
    for name in B.IMAGES:
        size = page.eval_on_selector(f".xbsim-{name}-image", "i => [i.naturalWidth, i.naturalHeight]")
        assert size[0] > 300 and size[1] > 300
    assert B.month(page) == "Month 0 of 36"
    assert "300 companies" in page.inner_text(".xbsim-programme")  # the command line's overrides
    assert page.locator(".xbsim-funnel-row").count() == 7  # actors, contacted, known, engaged, met, partnered, members
    assert page.locator(".xbsim-pole").count() == 2
    assert page.locator(".xbsim-criteria-table tbody tr").count() == 2 * 6  # poles x criteria
    for name in ("n_companies", "max_meetings_per_participant", "accompaniment_capacity", "friction_scale",
                 "min_members"):
        assert page.get_by_role("slider", name=LABELS[name]).count() == 1
    assert page.get_by_label(LABELS["b2b_events"]).input_value() == "6, 12, 18, 24"
    for button in ("Step", "Reset", "▶"):
        assert page.get_by_role("button", name=button).is_enabled()
    assert page.errors == []


@pytest.mark.timing
def test_stepping_moves_the_month_and_the_membership_chart(page: Any) -> None:
    if B.month(page) != "Month 0 of 36":
        page.get_by_role("button", name="Reset").click()
        B.wait_month(page, 0)
    charts = [B.image_digest(page, "membership")]
    network = B.image_digest(page, "network")
    latencies, members = [], []
    for m in range(1, 5):
        latencies.append(B.step(page, m))
        charts.append(B.wait_image_change(page, "membership", charts[-1]))
        members.append(_members(page))
    assert B.month(page) == "Month 4 of 36"
    assert len(set(charts)) == len(charts)
    assert members[0] == 0 and members[-1] > 0, members  # the feasibility study at month 2 lets members join
    assert B.image_digest(page, "network") != network
    assert page.errors == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "app-browser.png"), full_page=True)
    summary = {"click_to_month_s": [round(t, 3) for t in latencies],
               "median_s": round(statistics.median(latencies), 3)}
    (ARTIFACTS / "app-browser-timings.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(f"click -> new month shown: {summary}")
    assert statistics.median(latencies) < 1.0


def test_controls_reach_the_model_on_reset(page: Any) -> None:
    months = page.get_by_label(LABELS["b2b_events"])
    months.fill("3, 9")
    months.press("Enter")
    companies = page.get_by_role("slider", name=LABELS["n_companies"])
    companies.focus()
    page.keyboard.press("ArrowRight")  # one step of 50 companies
    page.get_by_role("button", name="Reset").click()
    page.wait_for_function("() => document.querySelector('.xbsim-programme').textContent.startsWith('350 ')")
    assert B.month(page) == "Month 0 of 36"
    assert "2 B2B events (months 3, 9)" in page.inner_text(".xbsim-programme")
    assert page.locator(".xbsim-note").count() == 0

    months.fill("3, x")
    months.press("Enter")
    page.get_by_role("button", name="Reset").click()
    note = page.locator(".xbsim-note")
    note.wait_for(state="visible")
    assert "'x' is not a month number" in note.inner_text()
    assert "4 B2B events (months 6, 12, 18, 24)" in page.inner_text(".xbsim-programme")
    assert page.errors == []


def test_play_runs_months_until_paused(page: Any) -> None:
    page.get_by_role("button", name="Reset").click()
    B.wait_month(page, 0)
    page.get_by_role("button", name="▶").click()
    B.wait_month(page, 3, at_least=True)
    page.get_by_role("button", name="❚❚").click()
    page.wait_for_timeout(1200)  # Mesa's play loop may finish the step it had begun
    paused = B.month(page)
    page.wait_for_timeout(1500)  # five play intervals
    assert B.month(page) == paused
    assert page.get_by_role("button", name="Step").is_enabled()
    assert page.errors == []


def test_no_stray_mesa_widgets_and_slider_values_shown(page: Any) -> None:
    assert page.locator(".v-tabs").is_hidden()  # Mesa's single "PAGE 0" tab
    assert page.get_by_text("Time:").count() == 0  # Mesa's "Information: Time: 0.0"
    assert page.locator(".xbsim-info-month").inner_text().startswith("Month ")
    assert not page.get_by_text("This website runs on").is_visible()  # Solara's badge over the criteria table
    values = page.locator(".xbsim-slider-value").all_inner_texts()
    assert len(values) == 5 and values[3] == "1", values  # companies, meetings, accompaniment, friction x1, ...
    companies = page.get_by_role("slider", name=LABELS["n_companies"])
    companies.focus()
    page.keyboard.press("ArrowLeft")  # 50 fewer companies: the value beside the slider follows
    page.wait_for_function("n => document.querySelector('.xbsim-slider-value').textContent.trim() === String(n)",
                           arg=int(values[0]) - 50)
    page.keyboard.press("ArrowRight")


def test_the_run_shows_a_finished_state_at_the_horizon(page: Any) -> None:
    page.get_by_role("button", name="Reset").click()
    B.wait_month(page, 0)
    page.get_by_role("button", name="▶").click()
    B.wait_month(page, 36, timeout_ms=120_000)
    page.get_by_text("Finished: the horizon is reached").wait_for(state="visible", timeout=10_000)
    assert page.get_by_role("button", name="Step").is_disabled()
    assert page.errors == []
