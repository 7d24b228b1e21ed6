"""The analyst web UI (issue 6): server-rendered pages over the case store and the core.

`build_ui_router()` returns the FastAPI router the service mounts at "/"; it serves its own
static files under /static (no CDN, no external fonts, no inline script). See docs/ui.md.
"""

from __future__ import annotations

from scamlens.web.routes import STATIC_DIR, build_ui_router, error_page

__all__ = ["STATIC_DIR", "build_ui_router", "error_page"]
