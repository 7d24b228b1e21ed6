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
