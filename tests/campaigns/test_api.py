from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path

import jsonschema

from scamlens.campaigns import find_campaigns, schema
from scamlens.campaigns.records import MessageTable, load_messages
from scamlens.campaigns.synth import SynthMessage


def test_output_validates_and_recovers_the_rings(
    corpus: list[SynthMessage], corpus_path: Path
) -> None:
    report = find_campaigns(corpus_path, indicators="builtin")
    doc = report.to_dict()
    jsonschema.validate(doc, schema())
    ring_of = {m.account: m.campaign for m in corpus}
    true_rings = Counter(m.campaign for m in corpus if m.campaign)
    found = {}
    for c in report.campaigns:
        owners = Counter(ring_of[a] for a in c.accounts)
        top, n = owners.most_common(1)[0]
        if top is not None:
            assert n == len(c.accounts), "a reported ring mixes two true rings"
            found[top] = c
    assert set(found) == set(true_rings)
    for c in found.values():
        assert c.scripts and c.languages and c.first_seen and c.last_seen
        assert set(c.scripts[0].message_ids) <= set(c.message_ids)
    assert any(t.type == "wallet" for c in found.values() for t in c.ties)


def test_output_is_stable_under_reordering(corpus_path: Path) -> None:
    table = load_messages(corpus_path)
    first = find_campaigns(table, indicators="builtin").to_dict()
    rows = list(range(len(table)))
    random.Random(5).shuffle(rows)
    shuffled = MessageTable()
    for i in rows:
        shuffled.append(
            table.ids[i],
            table.accounts[i],
            table.texts[i],
            table.conversations[i],
            table.timestamps[i],
            table.platforms[i],
        )
    again = find_campaigns(shuffled, indicators="builtin").to_dict()
    assert json.dumps(again, sort_keys=True) == json.dumps(first, sort_keys=True)


def test_plug_ins(corpus_path: Path) -> None:
    report = find_campaigns(
        corpus_path,
        indicators="none",
        stage_of=lambda text: "withdrawal_block" if "tax" in text.lower() else None,
        extra_indicators=[("lonely-1", "wallet", "TEXTRA"), ("lonely-2", "wallet", "TEXTRA")],
    )
    assert any("withdrawal_block" in c.stages for c in report.campaigns)
    extra = [c for c in report.campaigns if c.accounts == ("lonely-1", "lonely-2")]
    assert len(extra) == 1 and extra[0].ties[0].key == "TEXTRA"
    assert report.script_of()


def test_records_in_memory() -> None:
    text = (
        "Your account has been frozen by the risk control department. Pay the security "
        "margin within 24 hours or the funds will be confiscated."
    )
    records = [{"id": str(i), "account": f"a{i % 3}", "text": text} for i in range(6)]
    report = find_campaigns(records, indicators="none")
    assert report.stats["scripts"] == 1 and len(report.campaigns) == 1
    assert report.campaigns[0].size == 6


def test_empty_and_trivial_inputs() -> None:
    assert find_campaigns([], indicators="none").stats["messages"] == 0
    short = [{"id": str(i), "account": f"a{i}", "text": "good morning"} for i in range(50)]
    report = find_campaigns(short, indicators="builtin")
    assert report.stats["scripts"] == 0 and report.campaigns == ()
    empty = [{"id": str(i), "account": "a", "text": ""} for i in range(3)]
    assert find_campaigns(empty, indicators="builtin").stats["documents"] == 1
