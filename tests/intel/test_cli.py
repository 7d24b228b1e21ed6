"""`scamlens intel ...` handlers, driven through a parser built with `register`."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from scamlens.errors import ScamlensError
from scamlens.intel.cli import register

from .conftest import fixture


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="scamlens")
    register(parser.add_subparsers())
    args = parser.parse_args(argv)
    return int(args.func(args))


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.db'}"


def test_import_check_json(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["intel", "import", str(fixture("metamask_small.json")), "--db", db]) == 0
    out = capsys.readouterr().out
    assert "metamask" in out and "10" in out
    assert (
        run(["intel", "check", "metamassk.io", "free-mint-drop.com", "x", "--db", db, "--json"])
        == 0
    )
    result = json.loads(capsys.readouterr().out)
    assert [r["raw"] for r in result] == ["metamassk.io", "free-mint-drop.com", "x"]
    assert result[0]["hits"][0]["labels"] == ["lookalike", "lookalike-of:metamask.io"]
    assert result[1]["hits"][0]["source"] == "metamask"
    assert result[1]["hits"][0]["first_seen"].endswith("+00:00")
    assert result[2]["error"].startswith("not an indicator")


def test_check_table_and_fail_on_hit(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    run(["intel", "import", str(fixture("scamsniffer_combined.json")), "--db", db, "--json"])
    report = json.loads(capsys.readouterr().out)
    assert report[0]["added"] == 7
    assert run(["intel", "check", "mint-pass-claim.art", "--db", db, "--fail-on-hit"]) == 1
    out = capsys.readouterr().out
    assert "LISTED" in out and "ScamSniffer" in out
    assert run(["intel", "check", "clean.example", "--db", db, "--fail-on-hit"]) == 0
    assert "no match" in capsys.readouterr().out


def test_markup_in_values_is_not_interpreted(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    run(["intel", "add", "url", "https://x.example/[bold]pwn[/bold]", "--db", db])
    capsys.readouterr()
    run(["intel", "check", "https://x.example/[bold]pwn[/bold]", "--db", db])
    assert "[bold]pwn[/bold]" in capsys.readouterr().out


def test_sources_and_trust(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    run(["intel", "import", str(fixture("indicators.csv")), "--format", "csv", "--db", db])
    capsys.readouterr()
    run(["intel", "sources", "case-team", "--trust", "0.3", "--db", db, "--json"])
    found = {s["name"]: s for s in json.loads(capsys.readouterr().out)}
    assert found["case-team"]["trust"] == 0.3 and found["case-team"]["records"] == 4
    assert run(["intel", "sources", "--db", db]) == 0
    assert "case-team" in capsys.readouterr().out
    with pytest.raises(ScamlensError, match="no source named"):
        run(["intel", "sources", "nobody", "--trust", "0.3", "--db", db])
    with pytest.raises(ScamlensError, match="give both"):
        run(["intel", "sources", "case-team", "--db", db])


def test_export_and_stats(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(["intel", "import", str(fixture("cryptoscamdb_small.yaml")), "--db", db])
    capsys.readouterr()
    out = tmp_path / "x.json"
    assert run(["intel", "export", "--format", "stix", "-o", str(out), "--db", db]) == 0
    assert json.loads(out.read_text())["type"] == "bundle"
    assert not (tmp_path / "x.json.part").exists()
    run(["intel", "export", "--format", "csv", "--db", db])
    assert capsys.readouterr().out.startswith("type,value,chain")
    run(["intel", "stats", "--db", db, "--json"])
    stats = json.loads(capsys.readouterr().out)
    assert stats["total"] == 12 and stats["by_type"]["wallet"] == 7
    assert run(["intel", "stats", "--db", db]) == 0
    assert "12 records from 1 sources" in capsys.readouterr().out


def test_import_error_names_line(db: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("type,value\ndomain,a.com\ndomain\n")
    with pytest.raises(ScamlensError, match=r"bad\.csv:3: expected 2 fields"):
        run(["intel", "import", str(bad), "--db", db])


def test_add_json(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    run(
        [
            "intel",
            "add",
            "wallet",
            "TSfpwrDGeWfJDFsR8DLNb9WbY6tmRjPVV6",
            "--label",
            "usdt",
            "--db",
            db,
            "--json",
        ]
    )
    rec = json.loads(capsys.readouterr().out)
    assert (rec["chain"], rec["labels"], rec["source"]) == ("tron", ["usdt"], "analyst")


def test_check_reads_stdin(
    db: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("a.example\n\nb.example\n"))
    run(["intel", "check", "-", "--db", db, "--json"])
    assert [r["value"] for r in json.loads(capsys.readouterr().out)] == ["a.example", "b.example"]


def test_bare_intel_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["intel"]) == 2
    assert "import" in capsys.readouterr().out


def test_check_provenance_and_ttl(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    run(
        [
            "intel",
            "import",
            str(fixture("scamsniffer_combined.json")),
            "--ttl",
            "domain=7",
            "--db",
            db,
        ]
    )
    capsys.readouterr()
    run(["intel", "check", "mint-pass-claim.art", "--provenance", "--json", "--db", db])
    (result,) = json.loads(capsys.readouterr().out)
    hit = result["hits"][0]
    assert hit["provenance"][0]["origin"] == "'mint-pass-claim.art'"
    assert hit["provenance"][0]["last_file"].endswith("scamsniffer_combined.json")
    first = hit["first_seen"][:10]
    assert hit["expires"][:10] > first
    run(["intel", "check", "mint-pass-claim.art", "--provenance", "--db", db])
    assert "sha256" in capsys.readouterr().out
    with pytest.raises(ScamlensError, match="TYPE=DAYS"):
        run(["intel", "import", str(fixture("indicators.csv")), "--ttl", "domain", "--db", db])
