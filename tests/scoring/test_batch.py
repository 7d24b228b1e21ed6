from __future__ import annotations

import json

from scamlens.scoring.batch import BatchOptions, score_lines

LINES = [
    json.dumps({"id": "a", "text": "you must pay the tax before you can withdraw your profit"}),
    "{not json",
    json.dumps({"id": "b", "text": "see you at dinner tonight"}),
    json.dumps([1, 2]),
    json.dumps({"id": "c", "body": "no text field"}),
    "",
    json.dumps({"text": "提现前需要先缴纳个人所得税"}),
]


def run(jobs: int = 1, batch_size: int = 2) -> list[dict[str, object]]:
    opts = BatchOptions(batch_size=batch_size)
    return [json.loads(x) for x in score_lines(LINES, opts, jobs=jobs)]


def test_order_errors_and_fields() -> None:
    out = run()
    assert len(out) == 6  # blank line skipped, every other line answered
    assert [o.get("id") for o in out] == ["a", None, "b", None, "c", 7]
    assert out[1]["line"] == 2 and "invalid JSON" in str(out[1]["error"])
    assert "JSON object" in str(out[3]["error"])
    assert "'text'" in str(out[4]["error"])
    scored = [o for o in out if "error" not in o]
    for o in scored:
        assert set(o) >= {"id", "risk", "label", "stage", "tactics", "language"}
        assert 0.0 <= float(o["risk"]) <= 1.0  # type: ignore[arg-type]
    assert out[0]["label"] != "benign"
    assert out[2]["label"] == "benign"
    assert out[5]["language"] == "zh"


def test_parallel_matches_serial() -> None:
    assert run(jobs=2, batch_size=1) == run(jobs=1, batch_size=3)


def test_custom_fields() -> None:
    lines = [json.dumps({"key": 9, "msg": "good morning"})]
    out = [
        json.loads(x) for x in score_lines(lines, BatchOptions(text_field="msg", id_field="key"))
    ]
    assert out[0]["id"] == 9 and "error" not in out[0]


def test_a_text_in_another_language_is_marked_other() -> None:
    """Per-text scores say when the text is in a language scamlens does not read (as whole
    conversations do), with the caveat; English and Chinese rows carry no note."""
    lines = [
        json.dumps({"id": "fr", "text": "Bonjour mon amour, tu me manques beaucoup. Je veux que "
                    "nous construisions notre avenir ensemble, il faut payer la taxe avant"}),
        json.dumps({"id": "en", "text": "you must pay the tax before you can withdraw"}),
        json.dumps({"id": "zh", "text": "提现前需要先缴纳个人所得税"}),
    ]  # fmt: skip
    out = {o["id"]: o for o in map(json.loads, score_lines(lines, BatchOptions()))}
    assert out["fr"]["language"] == "other"
    assert "English and Chinese" in str(out["fr"]["language_note"])
    assert out["en"]["language"] == "en" and "language_note" not in out["en"]
    assert out["zh"]["language"] == "zh" and "language_note" not in out["zh"]
