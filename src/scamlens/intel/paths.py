"""Where the intelligence store lives by default.

`$SCAMLENS_HOME` wins; otherwise the platform's per-user data directory (XDG on Linux and
other Unix systems, Application Support on macOS, LOCALAPPDATA on Windows), the same places
platformdirs would choose, without the dependency.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP = "scamlens"
DB_FILE = "intel.db"
URL_ENV = "SCAMLENS_INTEL_URL"


def data_dir() -> Path:
    """The per-user data directory for scamlens (not created here)."""
    home = os.environ.get("SCAMLENS_HOME")
    if home:
        return Path(home).expanduser()
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / APP
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / APP
    xdg = os.environ.get("XDG_DATA_HOME")
    # The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
    base_dir = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".local" / "share"
    return base_dir / APP


def default_db_path() -> Path:
    return data_dir() / DB_FILE


def default_url() -> str:
    """`$SCAMLENS_INTEL_URL` if set, else the SQLite file in `data_dir()`."""
    env = os.environ.get(URL_ENV)
    if env:
        return env
    return sqlite_url(default_db_path())


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path.expanduser().resolve()}"
