from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scamlens.campaigns.records import FieldMap, MessageTable, iso, load_messages, parse_time
from scamlens.errors import InputError


def test_jsonl_with_mapped_fields(tmp_path: Path) -> None:
    p = tmp_path / "m.jsonl"
    p.write_text(
        '{"msg": "1", "user": "a", "body": "hello", "ts": 1735689600}\n\n'
        '{"msg": 2, "user": "b", "body": null, "chat": "c1"}\n',
        encoding="utf-8",
    )
    fields = FieldMap(id="msg", account="user", text="body", timestamp="ts", conversation="chat")
    t = load_messages(p, fields)
    assert t.ids == ["1", "2"] and t.texts == ["hello", ""] and t.conversations == [None, "c1"]
    assert iso(parse_time(t.timestamps[0])) == "2025-01-01T00:00:00Z"


def test_bad_jsonl_names_the_line(tmp_path: Path) -> None:
    p = tmp_path / "m.jsonl"
    p.write_text('{"id": "1", "account": "a", "text": "x"}\n{oops\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"m.jsonl:2: not valid JSON"):
        load_messages(p)
    p.write_text('{"id": "1", "text": "x"}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r":1: missing the account field"):
        load_messages(p)
    p.write_text('{"id": "1", "account": "a", "text": {"x": 1}}\n', encoding="utf-8")
    with pytest.raises(InputError, match="field 'text' is a dict"):
        load_messages(p)
    p.write_text('{"id": "1", "account": "a", "text": "x"}\n' * 2, encoding="utf-8")
    with pytest.raises(InputError, match="duplicate message id"):
        load_messages(p)


def test_csv_json_and_parquet(tmp_path: Path) -> None:
    csv_path = tmp_path / "m.csv"
    csv_path.write_text('id,account,text\n1,a,"hi, there"\n2,b,"multi\nline"\n', encoding="utf-8")
    assert load_messages(csv_path).texts == ["hi, there", "multi\nline"]
    bad = tmp_path / "bad.csv"
    bad.write_text("id,text\n1,x\n", encoding="utf-8")
    with pytest.raises(InputError, match="no 'account' column"):
        load_messages(bad)
    js = tmp_path / "m.json"
    js.write_text(json.dumps({"messages": [{"id": "1", "account": "a", "text": "t"}]}))
    assert load_messages(js).accounts == ["a"]
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    pq.write_table(
        pa.table({"id": ["1", "2"], "account": ["a", "b"], "text": ["x", "y"]}),
        tmp_path / "m.parquet",
    )
    t = load_messages(tmp_path / "m.parquet")
    assert t.texts == ["x", "y"] and t.platforms == [None, None]


def test_unknown_type_and_missing_path(tmp_path: Path) -> None:
    (tmp_path / "m.xml").write_text("<x/>")
    with pytest.raises(InputError, match="unknown input type"):
        load_messages(tmp_path / "m.xml")
    with pytest.raises(InputError, match="no such file"):
        load_messages(tmp_path / "nope.jsonl")


def test_times() -> None:
    assert iso(parse_time("2025-03-04T05:06:07+02:00")) == "2025-03-04T03:06:07Z"
    assert iso(parse_time("1735689600000")) == "2025-01-01T00:00:00Z"
    assert parse_time("yesterday") is None and parse_time(None) is None


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=60), st.binary(max_size=40).map(repr)), max_size=6))
def test_arbitrary_lines_load_or_fail_cleanly(lines: list[str]) -> None:
    table = MessageTable()
    for n, line in enumerate(lines, 1):
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        with contextlib.suppress(InputError):
            table.add_record(rec, FieldMap(), "<test>", n)
    assert len(table.ids) == len(table.texts)
