"""The definitions pages, the company page and the platform operator's console in a real browser
(Debian's Chromium driven by playwright-core, `frontend/e2e/company-ops.mjs`) against the whole
system through the gateway: a task definition opened from the Tasks list, two versions compared,
a bad company detail refused and a good one saved, an exported bundle imported by another
company, and a company suspended and reactivated by an operator created on the command line.
Screenshots land in `artifacts/screenshots/company-ops-*.png`."""

import pytest

from .conftest import RunningSystem
from .test_browser import SCREENSHOTS, needs_browser, run_flows
from .test_engine import SAMPLE
from .test_operator_isolation import OPERATOR_PASSWORD, create_operator

FLOWS = (
    "an admin publishes two versions of a workflow",
    "a row of the Tasks list opens the task definition page",
    "two versions of the workflow and of the ticket type are compared",
    "the company page shows the company and refuses a bad time zone",
    "another company imports the exported bundle as its own",
    "the operator suspends the company: its admin is signed out and refused",
)


@pytest.mark.slow
@needs_browser
def test_company_and_definitions_pages_in_the_browser(system: RunningSystem) -> None:
    screenshots = SCREENSHOTS
    operator_email = create_operator(system)
    output = run_flows(
        "company-ops.mjs",
        system,
        timeout=900,
        TF_BUNDLE=str(SAMPLE),
        TF_OPERATOR_EMAIL=operator_email,
        TF_OPERATOR_PASSWORD=OPERATOR_PASSWORD,
    )
    for name in FLOWS:
        assert f"ok - {name}" in output, output
    assert f"company-ops flows: {len(FLOWS)} passed, 0 failed" in output, output
    assert (screenshots / "company-ops-07-operator-suspended.png").exists()
