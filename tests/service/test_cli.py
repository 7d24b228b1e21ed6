from __future__ import annotations

import argparse
import hashlib

import pytest

from scamlens.service.cli import register, settings_from


def _parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers(dest="cmd"))
    return parser.parse_args(["serve", *argv])


def test_new_key_prints_hash_line(capsys: pytest.CaptureFixture[str]) -> None:
    args = _parse("--new-key", "alice:write")
    assert args.func(args) == 0
    out = capsys.readouterr().out
    key = out.split("it is not stored): ")[1].split()[0]
    assert f"alice:write:{hashlib.sha256(key.encode()).hexdigest()}" in out
    bad = _parse("--new-key", "alice:root")
    assert bad.func(bad) == 2


def test_refuses_public_host_without_keys(capsys: pytest.CaptureFixture[str]) -> None:
    args = _parse("--host", "0.0.0.0")
    assert args.func(args) == 2
    assert "without API keys" in capsys.readouterr().err


def test_settings_from_flags(tmp_path: object) -> None:
    s = settings_from(
        _parse(
            "--rate-limit",
            "30/min",
            "--max-upload-mb",
            "2",
            "--port",
            "9000",
            "--retention-days",
            "30",
            "--cors-origin",
            "https://a.example",
        )
    )
    assert (s.rate_limit_per_min, s.max_upload_bytes, s.port) == (30, 2 * 1024 * 1024, 9000)
    assert s.retention_days == 30 and s.cors_origins == ("https://a.example",)
    args = _parse("--rate-limit", "lots")
    assert args.func(args) == 2
