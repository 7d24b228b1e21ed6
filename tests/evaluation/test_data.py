import json
from pathlib import Path

import pytest

from scamlens.errors import InputError
from scamlens.evaluation.data import BENIGN, OTHER, SCAM, Fields, load_items
from scamlens.model import Stage


def _write(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


def test_jsonl_texts_and_conversations(tmp_path: Path) -> None:
    (tmp_path / "chat.jsonl").write_text(
        json.dumps({"sender": "A", "text": "hi", "timestamp": "2024-01-01T10:00:00+00:00"})
        + "\n"
        + json.dumps({"sender": "B", "text": "hello", "timestamp": "2024-01-01T10:01:00+00:00"})
        + "\n",
        "utf-8",
    )
    p = _write(
        tmp_path / "d.jsonl",
        [
            {"text": "send usdt", "label": "scam", "lang": "en", "stage": "hook"},
            {"text": "晚饭吃什么", "label": "benign"},
            {"text": "gift card", "label": "other_fraud"},
            {
                "messages": [{"sender": "A", "text": "hi"}, {"sender": "B", "text": "yo"}],
                "me": "B",
                "label": "benign",
            },
            {"path": "chat.jsonl", "format": "jsonl", "label": "scam"},
        ],
    )
    items = load_items(p)
    assert [i.label for i in items] == [SCAM, BENIGN, OTHER, BENIGN, SCAM]
    assert items[0].stage is Stage.CONTACT
    assert items[1].lang == "zh"
    conv = items[3].conversation
    assert conv is not None and [m.is_user for m in conv.messages] == [False, True]
    assert items[4].conversation is not None and len(items[4].conversation.messages) == 2


def test_csv_with_custom_fields(tmp_path: Path) -> None:
    p = tmp_path / "d.csv"
    p.write_text("body,y\nhello there,ham\nplease deposit,spam\n", "utf-8")
    items = load_items(p, "csv", Fields(text="body", label="y", positive="spam", negative="ham"))
    assert [i.label for i in items] == [BENIGN, SCAM]


@pytest.mark.parametrize(
    ("content", "message", "line"),
    [
        ('{"text": "a", "label": "scam"}\nnot json\n', "not valid JSON", 2),
        ('{"text": "a"}\n', "missing field 'label'", 1),
        ('{"text": "a", "label": "maybe"}\n', "unknown label", 1),
        ('{"label": "scam"}\n', "missing field 'text'", 1),
        ('{"text": "a", "label": "scam", "stage": "moon"}\n', "unknown stage", 1),
        ('{"text": 3, "label": "scam"}\n', "must be a string", 1),
        ('{"path": "nope.txt", "label": "scam"}\n', "not found", 1),
    ],
)
def test_jsonl_errors_name_file_and_line(
    tmp_path: Path, content: str, message: str, line: int
) -> None:
    p = tmp_path / "bad.jsonl"
    p.write_text(content, "utf-8")
    with pytest.raises(InputError) as exc:
        load_items(p)
    assert message in str(exc.value)
    assert f"bad.jsonl:{line}:" in str(exc.value)


def test_bad_encoding_and_csv_errors(tmp_path: Path) -> None:
    p = tmp_path / "bad.jsonl"
    p.write_bytes(b'{"text": "a", "label": "scam"}\n{"text": "\xff", "label": "scam"}\n')
    with pytest.raises(InputError, match=r"bad.jsonl:2: not valid UTF-8"):
        load_items(p)
    c = tmp_path / "bad.csv"
    c.write_text("text,label\nhello,benign,extra\n", "utf-8")
    with pytest.raises(InputError, match=r"bad.csv:2: more cells"):
        load_items(c)
    c.write_text("text,lbl\nhello,benign\n", "utf-8")
    with pytest.raises(InputError, match="missing column 'label'"):
        load_items(c)
    e = tmp_path / "empty.jsonl"
    e.write_text("\n", "utf-8")
    with pytest.raises(InputError, match="no labelled rows"):
        load_items(e)
