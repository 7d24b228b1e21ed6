"""The Spark job gives the same clusters and campaigns as the local path (local[2] session)."""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scamlens.campaigns import find_campaigns
from scamlens.campaigns.synth import generate, write_jsonl

if importlib.util.find_spec("pyspark") is None:
    pytest.skip("pyspark is not installed (pip install 'scamlens[spark]')", allow_module_level=True)
if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    pytest.skip("no Java runtime for Spark (Java 17 is needed)", allow_module_level=True)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
    from scamlens.campaigns.spark_job import session

    s = session("local[2]", app="scamlens-test")
    s.conf.set("spark.sql.shuffle.partitions", "4")
    s.sparkContext.setLogLevel("ERROR")
    yield s
    s.stop()


@pytest.fixture(scope="module")
def messages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("spark") / "messages.jsonl"
    write_jsonl(generate(2500, seed=8), path)
    return path


def test_same_clusters_and_campaigns_as_local(spark: Any, messages: Path) -> None:
    from scamlens.campaigns.spark_job import campaigns_doc

    local = find_campaigns(messages, indicators="builtin")
    report, assignments = campaigns_doc(spark, str(messages), indicators="builtin")
    local_clusters = {frozenset(s.message_ids) for s in local.scripts}
    spark_clusters = {frozenset(s.message_ids) for s in report.scripts}
    assert spark_clusters == local_clusters and local_clusters
    assert report.to_dict() == local.to_dict()
    pairs = {(r["id"], r["script"]) for r in assignments.collect() if r["script"]}
    assert pairs == {(m, s.id) for s in local.scripts for m in s.message_ids}


def test_cli_writes_the_document(spark: Any, messages: Path, tmp_path: Path) -> None:
    from scamlens.campaigns.spark_job import main

    out = tmp_path / "out"
    assert main([str(messages), "--output", str(out), "--indicators", "builtin"]) == 0
    assert (out / "campaigns.json").is_file() and (out / "assignments").is_dir()


@pytest.fixture(scope="module")
def linked(tmp_path_factory: pytest.TempPathFactory, messages: Path) -> Path:
    """The same messages, some with hidden link targets in a `links` field: a list in most
    records, one space-separated string, a link also written in its message's text, and a
    record whose only content is a link."""
    import json

    recs = [json.loads(line) for line in messages.read_text(encoding="utf-8").splitlines()]
    accounts = sorted({r["account"] for r in recs})[:3]
    n = 0
    for r in recs:
        if r["account"] in accounts and n < 9:
            n += 1
            r["links"] = [f"https://gold-vip-trade.com/r?c={n}", "https://www.binance.com/en"]
    recs[0]["links"] = "https://gold-vip-trade.com/x https://t.me/goldvip_support"
    recs[1]["text"] += " see https://gold-vip-trade.com/again"
    recs[1]["links"] = ["https://gold-vip-trade.com/again"]
    recs.append({"id": "only-link", "account": accounts[0], "text": "",
                 "links": ["https://gold-vip-trade.com/last"]})  # fmt: skip
    path = tmp_path_factory.mktemp("spark-links") / "linked.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in recs) + "\n", encoding="utf-8")
    return path


def test_link_targets_same_as_local(spark: Any, linked: Path) -> None:
    from scamlens.campaigns.spark_job import campaigns_doc

    local = find_campaigns(linked, indicators="builtin")
    report, _ = campaigns_doc(spark, str(linked), indicators="builtin")
    doc = local.to_dict()
    site = [i for c in doc["campaigns"] for i in c["indicators"] if "gold-vip" in i["value"]]
    assert site and any(i.get("link_target_message_ids") for i in site)  # the links count
    assert report.to_dict() == doc


def test_bad_links_are_refused(spark: Any, tmp_path: Path) -> None:
    from scamlens.campaigns.records import FieldMap
    from scamlens.campaigns.spark_job import read_messages
    from scamlens.errors import InputError

    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "a", "account": "x", "text": "hi", "links": ["not a link"]}\n')
    with pytest.raises(InputError, match="record 'a': field 'links': item 1 is not a web link"):
        read_messages(spark, str(path), FieldMap())
