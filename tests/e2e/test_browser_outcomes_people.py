"""Outcomes and people's names in a real browser (Debian's Chromium driven by playwright-core)
against the whole system through the gateway: a rejected IT onboarding request shows the
outcome Rejected with the reviewer's comment to its requester, on the ticket and in My tickets
(whose outcome filter narrows the list); the submitter, the assignee and the people in the
histories are named, and no page shows an id or a raw ISO time.

The flow is `frontend/e2e/outcomes-people.mjs`; screenshots land in
`artifacts/screenshots/outcomes-people-*.png`."""

from pathlib import Path

import pytest

from .conftest import RunningSystem
from .test_browser import SCREENSHOTS, bundle_for, external, needs_browser, run_flows
from .test_engine import ExternalSystem

__all__ = ["external"]  # the fixture, shared with test_browser


@pytest.mark.slow
@needs_browser
def test_a_rejected_request_shows_its_outcome_and_names_to_its_requester(
    system: RunningSystem, external: ExternalSystem, tmp_path: Path
) -> None:
    bundle = bundle_for(external, tmp_path)
    screenshots = SCREENSHOTS

    output = run_flows("outcomes-people.mjs", system, TF_BUNDLE=str(bundle))
    for name in (
        "a ticket submitted in the app names its submitter",
        "the reviewer sees who the task is assigned to and rejects it with a comment",
        "the requester sees the outcome Rejected with the reviewer's comment on the ticket",
        "My tickets shows the outcome and filters by it",
        "the ticket team sees names, the outcome filter and a history by name",
    ):
        assert f"ok - {name}" in output, output
    assert "outcome and people flows: 6 passed, 0 failed" in output, output
    # The rejection went to the requester's notification action, and nothing was provisioned.
    assert external.paths() == ["/notifications"], external.paths()
    assert external.body_of("/notifications")["reason"] == "No budget for new hires this quarter"
    assert (screenshots / "outcomes-people-03-ticket-rejected.png").exists()
