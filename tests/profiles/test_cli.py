"""The `profiles` and `photos` commands, through a parser built with register()."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from scamlens.profiles.cli import register

from .imaging import TRANSFORMS, encode, synth_photo


def _run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="scamlens")
    sub = parser.add_subparsers(dest="command")
    register(sub)
    args = parser.parse_args(argv)
    return int(args.func(args))


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Never touch the user's data directory: no default photo index or intelligence store.
    monkeypatch.setenv("SCAMLENS_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("SCAMLENS_INTEL_URL", raising=False)


def test_profiles_score_jsonl(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(
        json.dumps({"id": "p1", "bio": "Self-made crypto trader. Text me on WhatsApp"})
        + "\n"
        + "{broken\n"
        + json.dumps({"id": "p2", "bio": "Nurse, dogs, hiking"})
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    assert _run(["profiles", "score", "--kind", "profile", "-i", str(src), "-o", str(out)]) == 0
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [r.get("id") for r in rows] == ["p1", None, "p2"]
    assert rows[0]["kind"] == "profile" and rows[0]["label"] in ("suspicious", "scam")
    assert rows[1]["line"] == 2 and "error" in rows[1]
    assert rows[2]["label"] == "benign"
    assert "scored 2 records, 1 bad" in capsys.readouterr().err


def test_profiles_score_job_ads_no_evidence(tmp_path: Path) -> None:
    src = tmp_path / "jobs.jsonl"
    src.write_text(
        json.dumps({"id": 1, "text": "打字员，西港，月薪2万，包机票，联系飞机@hr1"}) + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    rc = _run(
        [
            "profiles",
            "score",
            "--kind",
            "job_ad",
            "-i",
            str(src),
            "-o",
            str(out),
            "--no-evidence",
            "--no-model",
        ]
    )
    assert rc == 0
    (row,) = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert row["kind"] == "job_ad" and row["label"] == "scam" and "evidence" not in row


def test_profiles_scan_text_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "jobs.csv"
    path.write_text(
        "id,title,location,description\n"
        'a,Customer service,"Bavet, Cambodia","USD 2,000 a month, free flight, Telegram @x9"\n'
        "b,Backend engineer,Singapore,Go and PostgreSQL; apply on our careers page\n",
        encoding="utf-8",
    )
    assert _run(["profiles", "scan", str(path)]) == 0
    text = capsys.readouterr().out
    assert "job ad" in text and "SCAM" in text and "no warning signs" in text
    out = tmp_path / "scan.json"
    assert _run(["profiles", "scan", str(path), "--format", "json", "-o", str(out)]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert [r["id"] for r in doc["results"]] == ["a", "b"] and doc["errors"] == []


def test_profiles_scan_bad_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("[{", encoding="utf-8")
    assert _run(["profiles", "scan", str(bad)]) == 2


def test_profiles_scan_reads_photos_next_to_the_file(tmp_path: Path) -> None:
    (tmp_path / "a.jpg").write_bytes(encode(synth_photo(5), "JPEG"))
    (tmp_path / "b.jpg").write_bytes(encode(TRANSFORMS["jpeg-q40"](synth_photo(5)), "JPEG"))
    path = tmp_path / "profiles.jsonl"
    path.write_text(
        json.dumps({"id": "a", "bio": "hello", "photos": ["a.jpg"]})
        + "\n"
        + json.dumps({"id": "b", "bio": "hi", "photos": ["b.jpg"]})
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "scan.json"
    assert (
        _run(
            ["profiles", "scan", str(path), "--kind", "profile", "--format", "json", "-o", str(out)]
        )
        == 0
    )
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert all(any(s["id"] == "photo_reuse" for s in r["signals"]) for r in doc["results"])


def test_photos_add_and_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "photos.db"
    reported = tmp_path / "reported.png"
    reported.write_bytes(encode(synth_photo(9)))
    copy = tmp_path / "copy.jpg"
    copy.write_bytes(encode(TRANSFORMS["crop-10%-center"](synth_photo(9)), "JPEG", 40))
    other = tmp_path / "other.png"
    other.write_bytes(encode(synth_photo(99)))
    assert (
        _run(
            [
                "photos",
                "add",
                str(reported),
                "https://cdn.example/x.jpg",
                "--label",
                "reported",
                "--account",
                "scam-1",
                "--photo-db",
                str(db),
            ]
        )
        == 0
    )
    assert "added #1 (reported)" in capsys.readouterr().out
    assert _run(["photos", "check", str(copy), str(other), "--photo-db", str(db), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    first, second = doc["results"]
    assert first["matches"][0]["account"] == "scam-1" and second["matches"] == []
    assert _run(["photos", "check", "https://cdn.example/x.jpg", "--photo-db", str(db)]) == 0
    assert "matches #2" in capsys.readouterr().out


def test_photos_bad_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.jpg"
    bad.write_text("nope")
    assert _run(["photos", "add", str(bad), "--photo-db", str(tmp_path / "p.db")]) == 2
    assert "not an image" in capsys.readouterr().err


def test_default_photo_index_lives_in_scamlens_home(tmp_path: Path) -> None:
    photo = tmp_path / "p.png"
    photo.write_bytes(encode(synth_photo(1)))
    assert _run(["photos", "add", str(photo)]) == 0
    assert (tmp_path / "home" / "photos.db").is_file()


def test_groups_without_command_print_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["profiles"]) == 2
    assert _run(["photos"]) == 2
    assert "score" in capsys.readouterr().out
