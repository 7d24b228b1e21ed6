"""Synthetic corpus: template data, rendering, determinism, labels and conversation structure."""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import random
import re
import shutil
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from scamlens.model import Conversation
from scamlens.text.normalize import fold
from scamlens.train import synth
from scamlens.train.synth import (
    BENIGN_TOPICS,
    DEFAULT_SPIN,
    MESSAGE_ONLY_TOPICS,
    NO_SPIN,
    STAGES,
    TACTICS,
    SpinConfig,
    TemplateError,
    generate_conversations,
    generate_messages,
    load_bank,
    render_template,
    write_jsonl,
)

BANK = load_bank()
TEMPLATES_DIR = Path(synth.__file__).parent / "templates"
LEFTOVER = re.compile(r"[{}]|\[\[|\]\]")
CJK = re.compile(r"[\u4e00-\u9fff]")
B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
TRON = re.compile(r"\bT[1-9A-HJ-NP-Za-km-z]{33}\b")
STAGE_INDEX = {s: i for i, s in enumerate(STAGES)}


def _messages(lang: str, label: str, kind: str = "message") -> list[synth.Template]:
    return [t for t in BANK.templates if t.lang == lang and t.label == label and t.kind == kind]


def _tron_valid(addr: str) -> bool:
    num = 0
    for ch in addr:
        num = num * 58 + B58.index(ch)
    raw = num.to_bytes(25, "big")
    payload, check = raw[:21], raw[21:]
    return (
        payload[0] == 0x41
        and hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4] == check
    )


# --------------------------------------------------------------------------- template data


def test_template_counts_meet_targets() -> None:
    scam = [t for t in BANK.templates if t.kind == "message" and t.label == "scam"]
    benign = [t for t in BANK.templates if t.kind == "message" and t.label == "benign"]
    narratives = [t for t in BANK.templates if t.kind == "narrative" and t.label == "scam"]
    assert len(scam) >= 600
    assert len(benign) >= 600
    assert len(narratives) >= 80
    for lang in ("en", "zh"):
        assert len(_messages(lang, "scam")) >= 250
        assert len(_messages(lang, "benign")) >= 250
        assert len(_messages(lang, "scam", "narrative")) >= 40
        assert _messages(lang, "benign", "narrative")


def test_traditional_chinese_variants_present() -> None:
    hant = [t for t in BANK.templates if t.script == "hant"]
    assert {t.label for t in hant} >= {"scam", "benign"}
    assert len(hant) >= 80


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_tactic_stage_and_topic_covered(lang: str) -> None:
    for tactic in TACTICS:
        assert BANK.get("tactic", lang, tactic), f"no {lang} templates for {tactic}"
    assert {t.stage for t in _messages(lang, "scam")} == set(STAGES)
    assert set(BANK.topics_for(lang)) == set(BENIGN_TOPICS)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_chat_parts_cover_every_stage(lang: str) -> None:
    for stage, weights in synth._ATTITUDE_WEIGHTS.items():
        for attitude, _ in weights:
            assert BANK.get("reply", lang, stage, attitude), (stage, attitude)
        assert BANK.get("reply", lang, stage, "refuse") or stage == "exit_recovery"
        assert BANK.get("doubt", lang, stage, "")
    assert BANK.get("reply", lang, "exit_recovery", "plead")
    for stage in synth._DOUBT_RATE:
        assert BANK.get("reassure", lang, stage, "")


def test_yaml_files_follow_schema() -> None:
    """An independent check of the raw files: unique ids, known tactics, stages and topics."""
    group_ids: list[str] = []
    files = sorted(p for p in TEMPLATES_DIR.glob("*.yaml") if p.name != "slots.yaml")
    assert len(files) >= 8
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert data["lang"] in ("en", "zh"), path.name
        for group in data["groups"]:
            group_ids.append(group["id"])
            assert group["id"].startswith(data["lang"] + "."), group["id"]
            assert set(group.get("tactics", [])) <= set(TACTICS), group["id"]
            assert set(group.get("after", [])) <= set(TACTICS), group["id"]
            stages = [group["stage"]] if "stage" in group else group.get("stages", [])
            assert set(stages) <= set(STAGES), group["id"]
            if "topic" in group:
                assert group["topic"] in BENIGN_TOPICS, group["id"]
            assert group["texts"] and all(isinstance(t, str) and t for t in group["texts"])
    dupes = [k for k, v in Counter(group_ids).items() if v > 1]
    assert not dupes
    ids = [t.id for t in BANK.templates]
    assert len(ids) == len(set(ids))


def test_template_language_matches_file() -> None:
    for t in BANK.templates:
        bare = synth._SLOT.sub("", t.text)
        if t.lang == "en":
            assert not CJK.search(bare), t.id
        else:
            assert CJK.search(bare) or t.kind == "filler", t.id


def test_narratives_cover_two_to_five_stages_in_order() -> None:
    for t in BANK.templates:
        if t.kind == "narrative" and t.label == "scam":
            assert 2 <= len(t.stages) <= 5, t.id
            order = [STAGE_INDEX[s] for s in t.stages]
            assert order == sorted(set(order)), t.id
            assert t.stage == t.stages[-1]
            assert t.tactics


@pytest.mark.parametrize("spin", [NO_SPIN, DEFAULT_SPIN], ids=["plain", "spun"])
def test_every_template_renders_without_leftovers(spin: SpinConfig) -> None:
    for n, t in enumerate(BANK.templates):
        for k in range(3):
            rng = random.Random(f"render/{n}/{k}")
            text = render_template(t, rng, BANK, spin)
            assert text.strip(), t.id
            assert not LEFTOVER.search(text), (t.id, text)
            assert "  " not in text.replace("\u3000", ""), (t.id, text)


def test_plain_render_is_the_template_when_it_has_no_slots() -> None:
    t = next(x for x in BANK.templates if x.text == "Who's bringing snacks for Saturday?")
    assert render_template(t, random.Random(1), BANK, NO_SPIN) == t.text


# --------------------------------------------------------------------------- messages


def _jsonl_bytes(
    items: list[synth.SynthMessage] | list[synth.SynthConversation], tmp: Path
) -> bytes:
    path = tmp / "out.jsonl"
    write_jsonl(items, path)
    return path.read_bytes()


def test_messages_are_deterministic(tmp_path: Path) -> None:
    a = _jsonl_bytes(generate_messages(400, 42), tmp_path)
    b = _jsonl_bytes(generate_messages(400, 42), tmp_path)
    c = _jsonl_bytes(generate_messages(400, 43), tmp_path)
    assert a == b
    assert a != c


def test_messages_prefix_is_stable() -> None:
    assert generate_messages(20, 7) == generate_messages(60, 7)[:20]


def test_message_labels_are_consistent() -> None:
    by_id = {t.id: t for t in BANK.templates}
    for m in generate_messages(1500, 5):
        t = by_id[m.template_id]
        assert m.label == t.label and m.kind == t.kind and m.lang == t.lang
        assert m.group == t.group
        if m.label == "scam":
            assert m.tactics and set(m.tactics) <= set(TACTICS)
            assert m.stage in STAGES
            assert m.topic is None
        else:
            assert m.tactics == ()
            assert m.stage is None
            assert m.kind == "narrative" or m.topic in BENIGN_TOPICS


def test_message_proportions() -> None:
    items = generate_messages(3000, 11)
    langs = Counter(m.lang for m in items)
    labels = Counter(m.label for m in items)
    kinds = Counter(m.kind for m in items)
    assert 0.45 < langs["zh"] / len(items) < 0.55
    assert 0.45 < labels["scam"] / len(items) < 0.55
    assert 0.07 < kinds["narrative"] / len(items) < 0.13
    tactics = Counter(t for m in items for t in m.tactics)
    assert set(tactics) == set(TACTICS)
    topics = Counter(m.topic for m in items if m.topic)
    assert set(topics) == set(BENIGN_TOPICS)


def test_message_options() -> None:
    zh = generate_messages(300, 3, "zh", scam_ratio=1.0, narrative_ratio=0.0)
    assert all(m.lang == "zh" and m.label == "scam" and m.kind == "message" for m in zh)
    assert all(CJK.search(m.text) for m in zh)
    en = generate_messages(300, 3, "en", scam_ratio=0.0)
    assert all(m.lang == "en" and m.label == "benign" for m in en)
    with pytest.raises(ValueError):
        generate_messages(1, 1, "fr")
    with pytest.raises(ValueError):
        generate_messages(1, 1, scam_ratio=1.5)
    with pytest.raises(ValueError):
        SpinConfig(typo_rate=2.0)


def test_spin_obfuscation_and_traditional() -> None:
    heavy = SpinConfig(obfuscation_rate=1.0, traditional_rate=1.0)
    items = generate_messages(800, 9, spin=heavy, scam_ratio=1.0)
    texts = [m.text for m in items]
    assert any(ch in t for t in texts for ch in ("\u200b", "\u200c", "\u2060", "\u00ad"))
    assert any(re.search(r"[аеорсхуіАЕОРСТХНКМВЅ]", t) for t in texts)  # homoglyphs
    assert any(re.search(r"[\u4e00-\u9fff][ \-.*/、][\u4e00-\u9fff]", t) for t in texts)
    assert any(re.search(r"thousand|hundred|[一二三四五六七八九十]万", t) for t in texts)
    zh = [m.text for m in items if m.lang == "zh"]
    assert sum(bool(re.search("[們這現錢說會為個]", t)) for t in zh) > len(zh) // 3
    # Folding undoes the character tricks, so detection still sees the words.
    assert all("\u200b" not in fold(t) for t in texts)


def test_no_spin_keeps_text_plain() -> None:
    for m in generate_messages(400, 2, spin=NO_SPIN):
        assert not re.search("[\u200b\u200c\u2060\u00ad]", m.text)


def test_wallets_stay_valid_through_spinning() -> None:
    rng = random.Random(0)
    for _ in range(200):
        assert _tron_valid(synth.tron_address(rng))
    found = 0
    for m in generate_messages(3000, 4, spin=SpinConfig(1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 1.0, 1.0)):
        for addr in TRON.findall(m.text):
            found += 1
            assert _tron_valid(addr), m.text
    assert found > 0


def test_number_words() -> None:
    assert synth._en_words(1_250_000) == "one million two hundred fifty thousand"
    assert synth._en_words(45) == "forty-five"
    assert synth._zh_words(150000) == "十五万"
    assert synth._zh_words(1050) == "一千零五十"
    assert synth._zh_words(10010) == "一万零一十"
    assert synth._zh_words(300_000_000) == "三亿"


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(min_value=-(2**40), max_value=2**40))
def test_any_seed_renders_clean(seed: int) -> None:
    items = generate_messages(6, seed)
    assert items == generate_messages(6, seed)
    for m in items:
        assert m.text and not LEFTOVER.search(m.text)


@settings(max_examples=60, deadline=None)
@given(text=st.text(alphabet=st.characters(blacklist_characters="{}[]|"), min_size=1))
def test_text_without_markup_renders_unchanged(text: str) -> None:
    text = text.strip()
    if not text or "\t" in text or "  " in text:
        return
    t = synth.Template(
        id="x", group="en.x", lang="en", script="latn", kind="message", text=text,
        label="benign", stage=None, stages=(), tactics=(), topic="everyday", speaker="any",
        attitude=None, source="test",
    )  # fmt: skip
    assert render_template(t, random.Random(0), BANK, NO_SPIN) == text


# --------------------------------------------------------------------------- conversations

CONVS = generate_conversations(160, 21)


def test_conversations_are_deterministic(tmp_path: Path) -> None:
    a = _jsonl_bytes(generate_conversations(25, 8), tmp_path)
    b = _jsonl_bytes(generate_conversations(25, 8), tmp_path)
    c = _jsonl_bytes(generate_conversations(25, 9), tmp_path)
    assert a == b
    assert a != c


def test_conversation_shape() -> None:
    for c in CONVS:
        conv = c.conversation
        assert isinstance(conv, Conversation)
        assert conv.source_format == "synthetic"
        n = len(conv.messages)
        assert len(c.stages) == len(c.tactics) == len(c.roles) == len(c.message_template_ids) == n
        assert [m.index for m in conv.messages] == list(range(n))
        times = [m.timestamp for m in conv.messages if m.timestamp is not None]
        assert len(times) == n and all(t.tzinfo is not None for t in times)
        assert all(a < b for a, b in itertools.pairwise(times))
        assert conv.me in conv.participants
        assert set(c.template_ids) <= {t.id for t in BANK.templates}
        assert c.message_templates and set(c.message_templates) == set(c.template_ids)
        for m in conv.messages:
            assert m.text and not LEFTOVER.search(m.text)


def test_benign_conversations() -> None:
    benign = [c for c in CONVS if c.label == "benign"]
    assert len(benign) > 40
    scenarios = {c.scenario for c in generate_conversations(400, 2) if c.label == "benign"}
    # Every benign topic gets whole chats except the message-only ones (everyday "talk").
    assert scenarios == set(BENIGN_TOPICS) - MESSAGE_ONLY_TOPICS
    for c in benign:
        assert 20 <= len(c.conversation) <= 120
        assert c.furthest_stage is None
        assert all(s is None for s in c.stages) and all(t == () for t in c.tactics)
        users = {m.is_user for m in c.conversation.messages}
        assert users == ({False} if c.scenario in ("sms", "bank") else {True, False})


def test_scam_conversations_progress_in_order() -> None:
    by_id = {t.id: t for t in BANK.templates}
    scams = [c for c in CONVS if c.label == "scam"]
    assert len(scams) > 40
    for c in scams:
        scripted = [i for i, r in enumerate(c.roles) if r == "script"]
        assert scripted
        order = [STAGE_INDEX[c.stages[i] or ""] for i in scripted]
        assert order == sorted(order), c.id
        assert c.furthest_stage == c.stages[scripted[-1]]
        for i in scripted:
            t = by_id[c.message_template_ids[i] or ""]
            assert t.label == "scam" and t.stage == c.stages[i]
            assert c.tactics[i] == t.tactics and c.conversation.messages[i].is_user is False
        for i, role in enumerate(c.roles):
            if role in ("reply", "doubt"):
                assert c.conversation.messages[i].is_user is True and c.tactics[i] == ()
        if c.scenario != "recovery":
            assert order[0] == 0  # starts with the hook
            reached = {c.stages[i] for i in scripted}
            assert reached == set(STAGES[: order[-1] + 1]), c.id


def test_scam_conversation_variety_and_timing() -> None:
    convs = generate_conversations(400, 13, scam_ratio=1.0)
    furthest = Counter(c.furthest_stage for c in convs)
    assert furthest["grooming"] and furthest["investment_pivot"] and furthest["withdrawal_block"]
    assert len(furthest) >= 7
    assert {c.scenario for c in convs} == {
        "romance", "wrong_number", "professional", "group", "recovery",
    }  # fmt: skip
    assert sum(bool(c.counter_signals) for c in convs) > 20
    assert any(r == "reassure" for c in convs for r in c.roles)
    assert Counter(c.lang for c in convs)["zh"] > 120
    for c in convs:
        if c.scenario == "recovery" or STAGE_INDEX[c.furthest_stage or ""] < 3:
            continue
        first = c.conversation.messages[0].timestamp
        money = next(i for i, s in enumerate(c.stages) if s == "investment_pivot")
        when = c.conversation.messages[money].timestamp
        assert first is not None and when is not None
        assert when - first >= timedelta(days=3), c.id  # money comes up after days
        assert money >= 10


# --------------------------------------------------------------------------- errors and CLI


def _copy_bank(tmp_path: Path) -> Path:
    dest = tmp_path / "templates"
    dest.mkdir()
    shutil.copy(TEMPLATES_DIR / "slots.yaml", dest / "slots.yaml")
    return dest


@pytest.mark.parametrize(
    ("group", "message"),
    [
        ("{id: en.a, label: scam, stage: contact, tactics: [nope], texts: [hi]}", "unknown tactic"),
        ("{id: en.a, label: scam, stage: later, tactics: [love_bombing], texts: [hi]}", "stage"),
        ("{id: en.a, label: benign, topic: nope, texts: [hi]}", "topic"),
        ("{id: en.a, label: benign, topic: everyday, texts: ['{nope} x']}", "unknown slot"),
        ("{id: en.a, label: benign, topic: everyday, texts: ['a [[b|c']}", "stray"),
        ("{id: en.a, label: benign, topic: everyday, texts: ['a [[b]]']}", r"2\+ options"),
        ("{id: zh.a, label: benign, topic: everyday, texts: [hi]}", "must start"),
        ("{id: en.a, label: benign, topic: everyday, oops: 1, texts: [hi]}", "unknown keys"),
    ],
)
def test_bad_templates_are_reported(tmp_path: Path, group: str, message: str) -> None:
    dest = _copy_bank(tmp_path)
    (dest / "bad.yaml").write_text(f"lang: en\ngroups:\n  - {group}\n", encoding="utf-8")
    with pytest.raises(TemplateError, match=message) as err:
        load_bank(dest)
    assert "bad.yaml" in str(err.value)


def test_duplicate_ids_and_texts_are_reported(tmp_path: Path) -> None:
    dest = _copy_bank(tmp_path)
    g = "  - {id: en.a, label: benign, topic: everyday, texts: [hello]}\n"
    (dest / "a.yaml").write_text("lang: en\ngroups:\n" + g, encoding="utf-8")
    (dest / "b.yaml").write_text("lang: en\ngroups:\n" + g, encoding="utf-8")
    with pytest.raises(TemplateError, match="already used"):
        load_bank(dest)
    (dest / "b.yaml").write_text(
        "lang: en\ngroups:\n  - {id: en.b, label: benign, topic: everyday, texts: [hello]}\n",
        encoding="utf-8",
    )
    with pytest.raises(TemplateError, match="duplicate text"):
        load_bank(dest)


def test_invalid_yaml_names_file_and_line(tmp_path: Path) -> None:
    dest = _copy_bank(tmp_path)
    (dest / "broken.yaml").write_text("lang: en\ngroups:\n  - [unclosed\n", encoding="utf-8")
    with pytest.raises(TemplateError, match=r"broken\.yaml: line \d+"):
        load_bank(dest)


def test_cli_writes_jsonl(tmp_path: Path) -> None:
    out = tmp_path / "m.jsonl"
    assert synth.main(["--kind", "messages", "--n", "12", "--seed", "3", "--out", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 12 and {"text", "label", "template_id"} <= set(rows[0])
    out2 = tmp_path / "c.jsonl"
    args = ["--kind", "conversations", "--n", "3", "--seed", "3", "--lang", "zh", "--out"]
    assert synth.main([*args, str(out2)]) == 0
    convs = [json.loads(line) for line in out2.read_text(encoding="utf-8").splitlines()]
    assert all(c["lang"] == "zh" and c["messages"] for c in convs)


def test_cli_register_and_stats(capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser()
    synth.register(parser.add_subparsers())
    args = parser.parse_args(["synth", "--kind", "stats"])
    assert args.func(args) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["total"] == len(BANK.templates)
    assert stats["lang_label_kind"]["en/scam/message"] >= 300
