"""Task assignment in a real browser (Debian's Chromium driven by playwright-core) against the
whole system through the gateway: the assignment rules page (a group of workers, a rule for one
task definition, refused input at its field) and the Assign tasks view (a waiting task assigned
by hand beside each worker's open tasks and availability), and the sentence and record that say
why each assignment was made. The flows are `frontend/e2e/assignment.mjs`; screenshots land in
`artifacts/screenshots/assignment-*.png`."""

import pytest

from .conftest import RunningSystem
from .test_browser import SCREENSHOTS, needs_browser, run_flows

STEPS = (
    "an admin sets up a workflow and two task workers",
    "the rules page refuses a rule without its group and a group key that is not one",
    "an admin makes a group and sends one task definition to it",
    "with the group's only member away, a new task waits in the queue",
    "an admin assigns the waiting task by hand, saying why",
    "the task says why in a sentence and keeps the record",
    "a member back at work receives the group's next task by the rule",
)


@pytest.mark.slow
@needs_browser
def test_assignment_rules_and_assigning_by_hand_in_the_browser(system: RunningSystem) -> None:
    screenshots = SCREENSHOTS
    output = run_flows("assignment.mjs", system, timeout=900)
    for name in STEPS:
        assert f"ok - {name}" in output, output
    assert f"assignment flows: {len(STEPS)} passed, 0 failed" in output, output
    for shot in ("01-refused", "02-rules", "03-queue", "04-assigned", "05-task-why", "06-by-rule"):
        assert (screenshots / f"assignment-{shot}.png").exists(), shot
