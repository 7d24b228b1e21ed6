from __future__ import annotations

import scamlens.ingest as ingest
from scamlens.ingest import FORMATS, ImportOptions


def test_public_api_is_exactly_this() -> None:
    assert sorted(ingest.__all__) == sorted(
        [
            "FORMATS", "ColumnMap", "ImportOptions", "detect_format", "folder_inputs",
            "load_bytes", "load_chat", "load_chats", "parse_text",
        ]
    )  # fmt: skip
    for name in ingest.__all__:
        assert hasattr(ingest, name)


def test_formats_are_ids_with_one_line_each() -> None:
    assert "whatsapp-android" in FORMATS and "sms-xml" in FORMATS
    for fid, desc in FORMATS.items():
        assert fid == fid.lower() and " " not in fid
        assert "\n" not in desc and len(desc) < 100


def test_default_limits() -> None:
    opts = ImportOptions()
    assert opts.max_bytes == 2 * 1024**3
    assert opts.max_json_bytes == 512 * 1024**2
    assert opts.timezone is None and opts.resolved_timezone() is None
