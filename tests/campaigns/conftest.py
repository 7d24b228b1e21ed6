"""Fixtures for the campaign tests: one generated, labelled corpus shared by the module tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from scamlens.campaigns.records import MessageTable
from scamlens.campaigns.synth import SynthMessage, generate, write_jsonl


@pytest.fixture(scope="session")
def corpus() -> list[SynthMessage]:
    return generate(4000, seed=21)


@pytest.fixture(scope="session")
def corpus_path(corpus: list[SynthMessage], tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("campaigns") / "messages.jsonl"
    write_jsonl(corpus, path)
    return path


def table_of(texts: list[str], accounts: list[str] | None = None) -> MessageTable:
    table = MessageTable()
    for i, text in enumerate(texts):
        account = accounts[i] if accounts else f"acct{i}"
        table.append(f"m{i}", account, text, f"conv{i}", f"2025-01-{1 + i % 28:02d}T00:00:00Z")
    return table
