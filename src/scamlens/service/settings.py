"""Service settings: one frozen object, passed to worker processes as JSON in the environment."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from ipaddress import ip_address
from pathlib import Path

from scamlens.errors import ScamlensError
from scamlens.intel.paths import data_dir

SETTINGS_ENV = "SCAMLENS_SERVICE_SETTINGS"
KEYS_ENV = "SCAMLENS_API_KEYS_FILE"
ROLES = ("read", "write", "admin")
MiB = 1024 * 1024


class ServiceConfigError(ScamlensError):
    """The service cannot start with these settings (the message says why and what to do)."""


@dataclass(frozen=True, slots=True)
class ApiKey:
    name: str
    role: str
    sha256: str  # hex digest of the key; the key itself is never stored


@dataclass(frozen=True, slots=True)
class ServiceSettings:
    host: str = "127.0.0.1"
    port: int = 8000
    db_url: str | None = None  # case store; None: SQLite cases.db in the data directory
    intel_url: str | None = None  # intelligence store; None: its default
    api_keys: tuple[ApiKey, ...] = ()
    workers: int = 1
    max_upload_bytes: int = 20 * MiB
    max_json_bytes: int = 20 * MiB
    rate_limit_per_min: int = 600  # per principal (or client address before auth); 0: off
    retention_days: int | None = None  # cases older than this are purged; None: kept
    cors_origins: tuple[str, ...] = ()
    max_batch_texts: int = 1000
    max_text_chars: int = 100_000
    max_campaign_records: int = 20_000
    data_dir: str = field(default_factory=lambda: str(data_dir()))
    # Set by `serve --workers N`: the rate-limit table the workers share (not a CLI option).
    rate_limit_file: str | None = None

    @property
    def loopback(self) -> bool:
        return is_loopback(self.host)

    @property
    def open_access(self) -> bool:
        """No keys and loopback only: everyone who can connect is the local admin."""
        return not self.api_keys and self.loopback

    def check(self) -> None:
        if not self.api_keys and not self.loopback:
            raise ServiceConfigError(
                f"refusing to listen on {self.host} without API keys: anyone on the network "
                "could read the cases. Give --api-keys FILE (lines 'name:role:sha256-of-key'; "
                "make one with `scamlens serve --new-key NAME:ROLE`) or bind 127.0.0.1"
            )
        if not 1 <= self.workers <= 64:
            raise ServiceConfigError("--workers must be between 1 and 64")
        if self.max_upload_bytes < 1024 or self.max_json_bytes < 1024:
            raise ServiceConfigError("size limits must be at least 1 KiB")
        if self.rate_limit_per_min < 0:
            raise ServiceConfigError("--rate-limit must not be negative")
        if self.retention_days is not None and self.retention_days < 1:
            raise ServiceConfigError("--retention-days must be at least 1")
        for origin in self.cors_origins:
            if origin == "*" or not origin.startswith(("http://", "https://")):
                raise ServiceConfigError(f"--cors-origin must be an http(s) origin, not {origin!r}")

    def to_env(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_env(cls) -> ServiceSettings:
        raw = os.environ.get(SETTINGS_ENV)
        if not raw:
            return cls()
        data = json.loads(raw)
        data["api_keys"] = tuple(ApiKey(**k) for k in data.get("api_keys", ()))
        data["cors_origins"] = tuple(data.get("cors_origins", ()))
        return cls(**data)


def is_loopback(host: str) -> bool:
    if host in ("localhost", "localhost."):
        return True
    try:
        return ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def load_keys(path: str | Path) -> tuple[ApiKey, ...]:
    """Read 'name:role:sha256hex' lines (# comments and blank lines skipped)."""
    p = Path(path)
    try:
        lines = p.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ServiceConfigError(f"{p}: cannot read the API keys file: {exc}") from exc
    keys: list[ApiKey] = []
    for n, line in enumerate(lines, 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(":")
        if len(parts) != 3:
            raise ServiceConfigError(f"{p}:{n}: expected name:role:sha256-of-key")
        name, role, digest = (x.strip() for x in parts)
        if not name or len(name) > 64:
            raise ServiceConfigError(f"{p}:{n}: a key name is 1 to 64 characters")
        if role not in ROLES:
            raise ServiceConfigError(f"{p}:{n}: role must be one of {', '.join(ROLES)}")
        digest = digest.lower()
        if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise ServiceConfigError(f"{p}:{n}: the third field is the key's SHA-256 in hex")
        keys.append(ApiKey(name, role, digest))
    if not keys:
        raise ServiceConfigError(f"{p}: no keys in the API keys file")
    return tuple(keys)
