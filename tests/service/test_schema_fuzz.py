"""Schemathesis against the published OpenAPI schema: no input makes the API answer 5xx."""

from __future__ import annotations

import os
import tempfile
import warnings
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, settings  # noqa: E402

from scamlens.service.app import create_app  # noqa: E402
from scamlens.service.settings import ServiceSettings  # noqa: E402

_DIR = tempfile.mkdtemp(prefix="scamlens-fuzz-")
_APP = create_app(
    ServiceSettings(
        db_url=f"sqlite:///{os.path.join(_DIR, 'cases.db')}",
        intel_url=f"sqlite:///{os.path.join(_DIR, 'intel.db')}",
        data_dir=_DIR,
        rate_limit_per_min=0,
        max_json_bytes=256 * 1024,
        max_upload_bytes=256 * 1024,
    )
)
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    schema = schemathesis.openapi.from_asgi("/openapi.json", _APP)
# Only the REST API: the UI's HTML pages are tested by their own suite.
schema = schema.include(path_regex="^/api/v1/")


@pytest.mark.slow
@schema.parametrize()
@settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_server_errors(case: Any) -> None:
    response = case.call()
    assert response.status_code < 500, (case.method, case.path, response.text[:500])
    if response.status_code >= 400:
        body = response.json()
        assert set(body) == {"error"} and body["error"]["code"] and body["error"]["message"]
