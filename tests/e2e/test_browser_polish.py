"""The app's rough edges in a real browser (Debian's Chromium driven by playwright-core) against
the whole system through the gateway: an anonymous visit logs no console error, a malformed
ticket id and an unknown address say Not found inside the app's shell, the workflow graph has
an arrowhead on every edge and readable labels that no task covers, an invalid bundle's preview
lists its problems and draws what parses, a YAML syntax error is said once, and the menu button
opens the menu below desktop width. The flows are `frontend/e2e/polish.mjs`; screenshots land
in `artifacts/screenshots/polish-*.png`."""

import pytest

from .conftest import RunningSystem
from .test_browser import SCREENSHOTS, needs_browser, run_flows
from .test_engine import SAMPLE


@pytest.mark.slow
@needs_browser
def test_polish_in_the_browser(system: RunningSystem) -> None:
    screenshots = SCREENSHOTS

    output = run_flows("polish.mjs", system, TF_BUNDLE=str(SAMPLE))
    for name in (
        "an anonymous visit logs no console error and asks for no refresh",
        "a malformed ticket id shows Not found inside the app shell",
        "the workflow graph has an arrowhead per edge and readable labels off every task",
        "an invalid bundle's preview lists its problems and draws what parses",
        "the menu button opens the menu below desktop width; desktop shows the navigation",
    ):
        assert f"ok - {name}" in output, output
    assert "polish flows: 7 passed, 0 failed" in output, output
    assert (screenshots / "polish-04-workflow-graph.png").exists()
