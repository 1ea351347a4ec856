"""The web UI: static files served without a token (they hold no data; the page asks the API with one)."""
from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).parent
_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
          ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml"}
CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'"


def ui_asset(path: str) -> tuple[str, bytes] | None:
    """(content type, bytes) of the UI file a GET path names — `/` is index.html — or None."""
    name = "index.html" if path in ("/", "/ui", "/ui/") else path.removeprefix("/ui/")
    if path not in ("/", "/ui", "/ui/") and not path.startswith("/ui/") or "/" in name or name.startswith("."):
        return None
    file = _HERE / name
    if file.suffix not in _TYPES or not file.is_file():
        return None
    return _TYPES[file.suffix], file.read_bytes()
