"""Dashboards, reports and search in a real browser (Debian's Chromium driven by playwright-core)
against the whole system through the gateway: the flows are `frontend/e2e/insights.mjs`.
Screenshots land in `artifacts/screenshots/insights-*.png`."""

from pathlib import Path

import pytest

from .conftest import RunningSystem
from .test_browser import SCREENSHOTS, bundle_for, external, needs_browser, run_flows
from .test_engine import ExternalSystem

__all__ = ["external"]  # the fixture, shared with the main browser test


@pytest.mark.slow
@needs_browser
def test_dashboards_reports_and_search_in_the_browser(
    system: RunningSystem, external: ExternalSystem, tmp_path: Path
) -> None:
    bundle = bundle_for(external, tmp_path)
    screenshots = SCREENSHOTS

    output = run_flows("insights.mjs", system, timeout=900, TF_BUNDLE=str(bundle))
    for step in (
        "ok - a new company sees first steps on the dashboard",
        "ok - a requester's dashboard says what each open ticket waits on",
        "ok - a worker's dashboard lists their open tasks and their week beside the team's",
        "ok - the admin's dashboard shows the company's week",
        "ok - the reports page draws each report and exports a table as CSV",
        "ok - the SLA tables count the tickets and tasks due in the range",
        "ok - the header search finds tickets and tasks by their words",
        "ok - the task list searches text",
    ):
        assert step in output, output
    assert "insight flows: 10 passed, 0 failed" in output, output
    assert (screenshots / "insights-05-reports.png").exists()
    assert (screenshots / "insights-09-sla.png").exists()
