"""Due dates, the calendar and notifications in a real browser (Debian's Chromium driven by
playwright-core) against the whole system through the gateway: the flow script
`frontend/e2e/due-notify.mjs`. A worker's calendar and bell follow a new task without a reload;
the task falls due, escalates, and shows as overdue in the calendar and in the worker's
notifications; marking read, the email preference and the admin's team calendar follow.
Screenshots land in `artifacts/screenshots/due-notify-*.png`."""

from pathlib import Path

import pytest

from .conftest import RunningSystem
from .test_browser import ROOT, needs_browser, run_flows

STEPS = (
    "the bell counts the new task without a reload",
    "the calendar shows the task upcoming, in month and agenda views",
    "an overdue task appears in the worker's notifications without a reload",
    "an overdue task appears in the calendar",
    "my tasks show the due time and sort by it",
    "the worker marks everything read and opts into email for overdue tasks",
    "the admin sees the team's calendar and the escalation in their notifications",
)


@pytest.mark.slow
@needs_browser
def test_an_overdue_task_reaches_the_calendar_and_the_workers_notifications(system: RunningSystem) -> None:
    screenshots: Path = ROOT / "artifacts" / "screenshots"
    output = run_flows("due-notify.mjs", system)
    for name in STEPS:
        assert f"ok - {name}" in output, output
    assert "due-notify flows: 11 passed, 0 failed" in output, output
    assert (screenshots / "due-notify-06-calendar-overdue.png").exists()
    assert (screenshots / "due-notify-05-notifications.png").exists()
