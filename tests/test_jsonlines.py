from __future__ import annotations

import pytest

from scamlens.errors import InputError
from scamlens.jsonlines import json_objects


def test_objects_with_line_numbers_and_blank_lines_skipped() -> None:
    lines = ['{"a": 1}', "", "  ", '{"b": "x"}']
    assert list(json_objects(lines, "f.jsonl")) == [(1, {"a": 1}), (4, {"b": "x"})]


@pytest.mark.parametrize(
    ("line", "message"),
    [("not json", "f.jsonl:2: not valid JSON"), ("[1, 2]", "f.jsonl:2: each line must be")],
)
def test_bad_lines_name_file_and_line(line: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        list(json_objects(['{"ok": true}', line], "f.jsonl"))
