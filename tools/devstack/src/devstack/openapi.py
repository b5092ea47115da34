"""The gateway's merged OpenAPI document, built in-process, and the SPA's types made from it.

`python -m devstack openapi` writes `frontend/openapi.json` (what `GET /api/openapi.json`
serves, built from each service's app without starting anything) and runs
`npm run gen:api`, which turns it into `frontend/src/types/api.gen.ts`. Both files are
committed so the SPA builds without a running system; `--check` (part of `make test`) fails
when either differs from a fresh generation.
"""

import difflib
import importlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from devstack.stack import ROOT, SERVICES
from gateway.openapi import merge_documents

FRONTEND = ROOT / "frontend"
DOCUMENT = FRONTEND / "openapi.json"
TYPES = FRONTEND / "src" / "types" / "api.gen.ts"
REGENERATE = "python -m devstack openapi"


def service_app(service: str) -> FastAPI:
    """The service's app, as `python -m <service> serve` builds it (nothing is started)."""
    config = importlib.import_module(f"{service}.config")
    main = importlib.import_module(f"{service}.main")
    settings = getattr(config, f"{service.capitalize()}Settings")()
    app = main.create_app(settings)
    assert isinstance(app, FastAPI)
    return app


def merged_document() -> dict[str, Any]:
    """The document the gateway serves when every service answers (`gateway.openapi`)."""
    documents = {service: service_app(service).openapi() for service in SERVICES}
    merged = merge_documents(documents, "TicketFlower API")
    merged["info"]["description"] = "Services missing from this document: none"
    return merged


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _generate_types(document: Path, output: Path) -> None:
    subprocess.run(
        ["npx", "--no-install", "openapi-typescript", str(document), "--output", str(output)],
        cwd=FRONTEND,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def write() -> None:
    DOCUMENT.write_text(render(merged_document()), encoding="utf-8")
    _generate_types(DOCUMENT, TYPES)
    print(f"wrote {DOCUMENT.relative_to(ROOT)} and {TYPES.relative_to(ROOT)}")


def _diff(committed: Path, fresh: str) -> list[str]:
    old = committed.read_text(encoding="utf-8") if committed.exists() else ""
    if old == fresh:
        return []
    name = str(committed.relative_to(ROOT))
    lines = difflib.unified_diff(
        old.splitlines(), fresh.splitlines(), f"{name} (in the tree)", f"{name} (fresh)", lineterm=""
    )
    return list(lines)


def check() -> int:
    """0 when the committed document and types are what a fresh generation gives."""
    document = render(merged_document())
    with tempfile.TemporaryDirectory(prefix="tf-openapi-") as tmp:
        fresh_document = Path(tmp) / "openapi.json"
        fresh_document.write_text(document, encoding="utf-8")
        fresh_types = Path(tmp) / "api.gen.ts"
        _generate_types(fresh_document, fresh_types)
        types = fresh_types.read_text(encoding="utf-8")
    stale = [
        (path, diff)
        for path, diff in ((DOCUMENT, _diff(DOCUMENT, document)), (TYPES, _diff(TYPES, types)))
        if diff
    ]
    for path, diff in stale:
        print(f"{path.relative_to(ROOT)} differs from a fresh generation:", file=sys.stderr)
        for line in diff[:40]:
            print(f"  {line}", file=sys.stderr)
        if len(diff) > 40:
            print(f"  ... {len(diff) - 40} more diff lines", file=sys.stderr)
    if stale:
        print(
            f"The API types are out of date with the services. Regenerate them with `{REGENERATE}`"
            " (from the repository root, in the venv) and commit frontend/openapi.json and"
            " frontend/src/types/api.gen.ts.",
            file=sys.stderr,
        )
        return 1
    print("frontend/openapi.json and frontend/src/types/api.gen.ts match the services")
    return 0


def main(args: list[str]) -> int:
    if args == ["--check"]:
        return check()
    if not args:
        write()
        return 0
    print(f"usage: {REGENERATE} [--check]", file=sys.stderr)
    return 2
