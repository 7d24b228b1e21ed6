"""Analyst feedback exported by the service, read back as training samples."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import pytest

from scamlens.errors import InputError
from scamlens.train.cli import register
from scamlens.train.feedback import feedback_samples
from scamlens.train.fit import TrainInputs, collect_samples

REPO = Path(__file__).resolve().parents[2]
CHAT = REPO / "examples" / "scam" / "02-hinge-romance-whatsapp-ios.txt"


def _export(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    """A real export: a case analysed and saved by the service, then reviewed."""
    from fastapi.testclient import TestClient

    from scamlens.service.app import create_app
    from scamlens.service.settings import ServiceSettings

    settings = ServiceSettings(
        db_url=f"sqlite:///{tmp_path / 'cases.db'}",
        intel_url=f"sqlite:///{tmp_path / 'intel.db'}",
        data_dir=str(tmp_path),
        rate_limit_per_min=0,
    )
    with TestClient(create_app(settings)) as client:
        with CHAT.open("rb") as fh:
            r = client.post(
                "/api/v1/analyze/upload",
                files={"file": (CHAT.name, fh)},
                data={"me": "Rachel Owens", "save_case": "true"},
            )
        assert r.status_code == 200, r.text
        cid = r.json()["case_id"]
        case = client.get(f"/api/v1/cases/{cid}").json()
        for target, decision in [
            ("evidence:0", "confirm"),
            ("evidence:1", "confirm"),
            ("evidence:1", "reject"),  # changed mind: the later decision counts
            ("verdict", "confirm"),
            ("indicator:0", "confirm"),
        ]:
            r = client.post(
                f"/api/v1/cases/{cid}/feedback", json={"target": target, "decision": decision}
            )
            assert r.status_code in (200, 201), r.text
        path = tmp_path / "feedback.jsonl"
        path.write_text(client.get("/api/v1/feedback/export").text, encoding="utf-8")
    return path, case


def test_export_reads_back_as_samples(tmp_path: Path) -> None:
    path, case = _export(tmp_path)
    read = feedback_samples(path)
    assert read.rows == 5
    assert read.skipped == {"conversation rows": 1, "indicator rows": 1}
    assert [s.label for s in read.samples] == [1, 0]
    first, second = read.samples
    assert {s.group for s in read.samples} == {f"feedback:{case['id']}"}
    assert all(s.source == "feedback" for s in read.samples)
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    assert first.text == rows[0]["text"].strip() and first.tactics == (rows[0]["tactic"],)
    assert second.tactics == () and second.single_label == 0  # rejected: a benign text
    assert first.lang == "en"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "each line must be a JSON object"),
        (
            '{"kind": "message", "case_id": "c", "target": "evidence:0", "label": "maybe",'
            ' "text": "x"}',
            "label must be 'scam' or 'benign'",
        ),
        (
            '{"kind": "message", "target": "evidence:0", "label": "scam", "text": "x"}',
            "case_id and target",
        ),
        (
            '{"kind": "message", "case_id": "c", "target": "evidence:0", "label": "scam",'
            ' "text": 5}',
            "text must be a string",
        ),
    ],
)
def test_bad_rows_name_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "fb.jsonl"
    good = {"kind": "verdict"}
    path.write_text(json.dumps(good) + "\n\n" + line + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=message) as err:
        feedback_samples(path)
    assert "fb.jsonl" in str(err.value) and "3" in str(err.value)


def test_not_utf8_or_missing_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "fb.jsonl"
    path.write_bytes(b'{"kind": "message", "text": "\xff\xfe"}\n')
    with pytest.raises(InputError, match="not UTF-8"):
        feedback_samples(path)
    with pytest.raises(InputError, match="cannot read"):
        feedback_samples(tmp_path / "missing.jsonl")


def test_training_reads_feedback_and_records_it(tmp_path: Path) -> None:
    path, _ = _export(tmp_path)
    base = collect_samples(TrainInputs(seed=1, n_messages=50))
    more = collect_samples(TrainInputs(seed=1, n_messages=50, feedback_paths=(path,)))
    assert more[: len(base)] == base and [s.source for s in more[len(base) :]] == ["feedback"] * 2
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    out = tmp_path / "models"
    args = parser.parse_args(
        [
            "train",
            "--seed",
            "2",
            "--messages",
            "500",
            "--conversations",
            "30",
            "--feedback",
            str(path),
            "--out",
            str(out),
        ]
    )
    assert args.func(args) == 0
    report = json.loads((out / "training_report.json").read_text())
    assert report["inputs"]["feedback"][0]["name"] == "feedback.jsonl"
    assert report["sources"].get("feedback") == 2
    bad = parser.parse_args(["train", "--feedback", str(tmp_path / "missing.jsonl")])
    assert bad.func(bad) == 2


def test_rows_of_chats_in_other_languages_are_skipped(tmp_path: Path) -> None:
    # The models read English and Chinese; a French message must not train them as English.
    rows = [
        {"kind": "message", "case_id": "c1", "target": "evidence:0", "label": "scam",
         "text": "Envoie 500 USDT pour débloquer ton retrait", "language": "other"},
        {"kind": "message", "case_id": "c2", "target": "evidence:0", "label": "scam",
         "text": "Pay the 20% tax to unlock your withdrawal", "language": "en"},
    ]  # fmt: skip
    path = tmp_path / "feedback.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    read = feedback_samples(path)
    assert read.skipped == {"other languages": 1}
    assert [s.text for s in read.samples] == [rows[1]["text"]]
