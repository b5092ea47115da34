"""Serving the built SPA, with history-API fallback to `index.html`."""

from pathlib import Path

from starlette.responses import FileResponse, HTMLResponse, Response

PLACEHOLDER = """<!doctype html><html><head><title>TicketFlower</title></head>
<body><h1>TicketFlower</h1><p>The web app has not been built (frontend/dist is missing).</p>
</body></html>"""


def spa_response(spa_dir: Path, path: str) -> Response:
    root = spa_dir.resolve()
    candidate = (root / path).resolve()
    if path and candidate.is_file() and candidate.is_relative_to(root):
        cache = "public, max-age=31536000, immutable" if "/assets/" in f"/{path}" else "no-cache"
        return FileResponse(candidate, headers={"cache-control": cache})
    index = root / "index.html"
    if index.is_file():
        return FileResponse(index, headers={"cache-control": "no-cache"})
    return HTMLResponse(PLACEHOLDER)
