"""Fixtures for the importer tests: the export samples and small file writers."""

from __future__ import annotations

from pathlib import Path

import pytest

EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "exports"


@pytest.fixture(scope="session")
def exports() -> Path:
    return EXPORTS
