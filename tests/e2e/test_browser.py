"""The web app in a real browser (Debian's Chromium driven by playwright-core) against the whole
system through the gateway: a company signs up, uploads the sample bundle, adds a task worker;
a user submits a ticket, the worker completes its form task, the ticket reaches Completed; an
invalid upload shows its problems; another company gets Not found for the ticket's address.

The flows are the Node script `frontend/e2e/flows.mjs`; this test builds the SPA when `dist` is
older than its sources (the gateway serves `frontend/dist`), runs a local HTTP server standing
in for the systems the sample's actions call, and runs the script. Screenshots land in
`artifacts/screenshots/`.

`frontend/e2e/layouts.mjs` covers custom layouts under a strict page policy: a ticket submitted
and a task completed through component layouts in their sandboxed frames, an invalid value
refused, a layout that throws replaced by the standard view, the bundle editor's preview, and a
hostile layout whose every attempt at the network, cookies, storage and the app fails.
"""

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import RunningSystem
from .test_engine import SAMPLE, ExternalSystem

ROOT = Path(__file__).resolve().parents[2]
FRONTEND = ROOT / "frontend"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SOURCES = ("src", "index.html", "package.json", "package-lock.json", "vite.config.ts", "public")


def _newest_source_mtime() -> float:
    newest = 0.0
    for name in SOURCES:
        path = FRONTEND / name
        files = (
            [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()] if path.exists() else []
        )
        newest = max([newest, *(f.stat().st_mtime for f in files)])
    return newest


def ensure_built() -> None:
    """Build the SPA unless `dist/index.html` is newer than every source file."""
    index = FRONTEND / "dist" / "index.html"
    if index.exists() and index.stat().st_mtime >= _newest_source_mtime():
        return
    built = subprocess.run(
        ["npm", "run", "--silent", "build"], cwd=FRONTEND, capture_output=True, text=True, timeout=600
    )
    assert built.returncode == 0, built.stdout + built.stderr


SCREENSHOTS = ROOT / "artifacts" / "screenshots"


def bundle_for(external: ExternalSystem, tmp_path: Path) -> Path:
    """The sample bundle with its actions pointed at the local stand-in for the systems they call."""
    bundle = tmp_path / "it_onboarding.yaml"
    bundle.write_text(SAMPLE.read_text().replace("127.0.0.1:9900", f"127.0.0.1:{external.port}"))
    return bundle


def run_flows(script: str, system: RunningSystem, *, timeout: int = 600, **env: str) -> str:
    """Run a flow script of `frontend/e2e` against the system (building the SPA first when its
    sources changed); its output, once it has exited 0."""
    ensure_built()
    run = subprocess.run(
        ["node", f"e2e/{script}"],
        cwd=FRONTEND,
        env={
            **os.environ,
            "TF_BASE_URL": system.base_url,
            "TF_SCREENSHOTS": str(SCREENSHOTS),
            "CHROMIUM_PATH": CHROMIUM,
            **env,
        },
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    output = run.stdout + run.stderr
    assert run.returncode == 0, output
    return output


@pytest.fixture
def external() -> Iterator[ExternalSystem]:
    system = ExternalSystem()
    yield system
    system.server.shutdown()


needs_browser = pytest.mark.skipif(
    not (Path(CHROMIUM).exists() and shutil.which("node") and (FRONTEND / "node_modules").exists()),
    reason="needs Debian's Chromium, Node and the frontend's npm packages (make install)",
)


@pytest.mark.slow
@needs_browser
def test_ticket_to_completion_in_the_browser(
    system: RunningSystem, external: ExternalSystem, tmp_path: Path
) -> None:
    bundle = bundle_for(external, tmp_path)
    screenshots = SCREENSHOTS

    output = run_flows("flows.mjs", system, TF_BUNDLE=str(bundle))
    assert "ok - the ticket reaches Completed" in output, output
    assert "ok - an invalid upload shows each problem at its place" in output, output
    assert "ok - another company's ticket address shows Not found" in output, output
    assert "browser flows: 9 passed, 0 failed" in output, output
    # The approved request without a laptop went through the account and welcome actions.
    assert external.paths() == ["/accounts", "/welcome"], external.paths()
    assert (screenshots / "09-ticket-completed.png").exists()


@pytest.mark.slow
@needs_browser
def test_custom_layouts_in_the_browser(system: RunningSystem) -> None:
    screenshots = SCREENSHOTS

    output = run_flows("layouts.mjs", system)
    for name in (
        "a requester submits the ticket through its custom edit layout",
        "a hostile display layout gets nothing: no network, cookie, storage, or app",
        "a layout that throws falls back to the standard view with a notice",
        "an invalid value from a custom edit layout is refused",
        "a custom edit layout edits and submits a valid value",
        "the bundle editor previews a layout with sample data and shows its errors",
    ):
        assert f"ok - {name}" in output, output
    assert "layout flows: 8 passed, 0 failed" in output, output
    assert (screenshots / "layouts-03-invalid-value.png").exists()
