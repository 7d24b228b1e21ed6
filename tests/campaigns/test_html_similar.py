from __future__ import annotations

import json
from pathlib import Path

from scamlens.campaigns import find_campaigns, render_html
from scamlens.campaigns.similar import load_corpus, passages, similar
from scamlens.campaigns.synth_data import SCRIPTS_EN, SCRIPTS_ZH

EVIL = "<script>alert(1)</script> <img src=https://evil.example/x.png> \u202eevil"


def test_html_is_standalone_and_escaped() -> None:
    text = EVIL + " Your account has been frozen by the risk control department, pay the margin."
    records = [{"id": str(i), "account": f"a{i % 4}", "text": text} for i in range(8)]
    doc = find_campaigns(records, indicators="builtin").to_dict()
    page = render_html(doc)
    assert "<svg" in page and "<circle" in page and "<line" in page
    assert "<script" not in page and "<img" not in page and "href='http" not in page
    assert "&lt;script&gt;" in page
    assert "\u202e" not in page  # bidi controls are removed from displayed text
    assert "default-src 'none'" in page


def test_html_without_campaigns() -> None:
    page = render_html({"stats": {"messages": 0}, "campaigns": []})
    assert "No campaigns found" in page


CORPUS = [(f"en-{i:02d}", t) for i, (_, t) in enumerate(SCRIPTS_EN)]
CORPUS += [(f"zh-{i:02d}", t) for i, (_, t) in enumerate(SCRIPTS_ZH)]


def test_similar_finds_the_spun_source_and_aligns_passages() -> None:
    spun = (
        "Lots of individuals have been tricked by bogus trading websites, and the fraudsters "
        "behind these criminal offenses are difficult to capture. Our firm has already assisted "
        "more than two thousand sufferers obtain their funds back, reach our representative "
        "@bitpro12 for a complimentary assessment."
    )
    matches = similar(spun, CORPUS, top=3, min_score=0.0)
    assert matches[0].id == "en-32" and matches[0].coverage == 1.0
    assert matches[0].score > matches[1].score + 0.1
    assert len(matches[0].passages) == 2
    assert all(p.source and p.source in CORPUS[32][1] for p in matches[0].passages)


def test_similar_in_chinese_and_with_reordered_sentences() -> None:
    zh = (
        "我舅舅是一家大型投資銀行的高級專家，他有內幕消息，每周都会通"
        "知我何时进场何时出场，跟着他做我从没有亏过钱。"
    )
    assert similar(zh, CORPUS, top=1)[0].id == "zh-10"
    reordered = (
        "Please hurry and send the money right now, otherwise all our earlier gains will be "
        "lost. Time is running out, the trading window closes in three hours and the team "
        "will not wait for us."
    )
    assert similar(reordered, CORPUS, top=1)[0].id == "en-25"


def test_similar_finds_nothing_for_unrelated_text() -> None:
    assert similar("Can you pick up some bread and milk on your way home tonight?", CORPUS) == []


def test_passages_merge_short_sentences() -> None:
    assert passages("Hi. Ok. This is a long enough sentence to stand on its own here.") == [
        "Hi. Ok. This is a long enough sentence to stand on its own here."
    ]


def test_corpus_loaders(tmp_path: Path) -> None:
    (tmp_path / "scripts.txt").write_text("first script text\n\nsecond one\n", encoding="utf-8")
    assert load_corpus(tmp_path / "scripts.txt") == [
        ("scripts.txt:1", "first script text"),
        ("scripts.txt:2", "second one"),
    ]
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text("alpha", encoding="utf-8")
    assert load_corpus(docs) == [("a.md", "alpha")]
    records = [{"id": str(i), "account": f"x{i % 2}", "text": CORPUS[0][1]} for i in range(3)]
    report = find_campaigns(records, indicators="none").to_dict()
    (tmp_path / "c.json").write_text(json.dumps(report), encoding="utf-8")
    entries = load_corpus(tmp_path / "c.json")
    assert entries and entries[0][1] == CORPUS[0][1]
    (tmp_path / "m.jsonl").write_text('{"id": "k1", "text": "known text"}\n', encoding="utf-8")
    assert load_corpus(tmp_path / "m.jsonl") == [("k1", "known text")]
