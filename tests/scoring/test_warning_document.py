"""A speakerless text that warns about scams in two or more paragraphs (a news article, a
police leaflet, a pasted post) is one author's report: the tactics it retells are quoted.

Texts written for these tests (not the examples, not evaluation data)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scamlens.api import analyze, load_chats
from scamlens.model import Conversation, Message, Verdict

NOTE = "quoted in a document that warns about scams"

ARTICLE_EN = """\
Retired teacher loses $250,000 to crypto romance scam, police warn residents

By Sam Ortega, Lakeside Herald

A 66-year-old retired teacher lost most of her savings after a man she met on a dating app
persuaded her to invest in cryptocurrency, police said Tuesday.

The man said his uncle was a senior analyst with inside information and walked her through
buying USDT and sending it to a trading website that showed large profits.

When she tried to withdraw, the site's customer service told her she had to pay a 20% tax
before any funds could be released. Then her account was frozen for suspected money laundering
and she was asked for another deposit to unfreeze it.

"Scammers will ask you to pay a tax before you can withdraw," said Detective Ana Ruiz.
"Legitimate exchanges will never ask you to send more money to get your own money back."

Residents can report fraud at ic3.gov.
"""

ARTICLE_ZH = """\
警方提醒：网恋交友要谨防杀猪盘

据警方介绍，受害人李女士在交友软件上认识了一名自称在迪拜做工程的男子，两人每天早安晚安。

一个月后，对方称自己的叔叔是数字货币分析师，带她在一个平台上做合约，稳赚不赔。她先后充值了38万元。

李女士想提现时，客服称要先交20%的个人所得税，交完又说账户涉嫌洗钱被冻结，要交保证金才能解冻。

警方提醒：凡是要求先交税费才能提现的，都是诈骗。如遇可疑情况，请拨打96110反诈专线。
"""

# A victim's own account, in several paragraphs: no warning voice, so nothing is quoted.
VICTIM_EN = """\
I met a man on Hinge in March. He said he was an engineer on an oil rig and could not video
call because of security rules.

After a month he said his uncle was an analyst with inside information and helped me buy USDT
on Coinbase and send it to goldvista-trade.com. My balance grew to $60,000.

When I asked to withdraw, customer service said I must pay 20% tax first. I paid, then they
said my account was frozen for money laundering and I needed another deposit to unfreeze it.

Is this a scam? What should I do?
"""

# A victim's own account that quotes the police and the bank in two paragraphs: warning voice
# in two places, but first person about money paid (rules/voice.yaml), so it is not an article.
VICTIM_QUOTING_POLICE_ZH = """\
我在探探上认识了一个男的，说自己在迪拜做工程。

一个月后他说叔叔是分析师，带我在一个平台上做合约，我先后充值了38万。

我想提现时，客服说要先交20%的个人所得税，我交了以后又说账户冻结，要交保证金才能解冻。

我去派出所报案，警察说这是诈骗，凡是要求先交税费才能提现的都是诈骗。

银行的人也提醒我这是杀猪盘。我现在该怎么办？
"""

# The article with a victim's words in quotation marks: still an article.
ARTICLE_QUOTING_VICTIM_EN = ARTICLE_EN.replace(
    "Residents can report fraud at ic3.gov.",
    '"I sent him everything I had, and then I paid the tax too," the woman said.\n\n'
    "Residents can report fraud at ic3.gov.",
)


def _load(tmp_path: Path, text: str) -> Conversation:
    path = tmp_path / "pasted.txt"
    path.write_text(text, encoding="utf-8")
    chats = load_chats(path)
    assert len(chats) == 1
    conv = chats[0]
    assert len(conv.messages) >= 3
    assert all(m.sender is None for m in conv.messages)
    return conv


def _as_chat(conv: Conversation) -> Conversation:
    """The same paragraphs, each sent by a named contact."""
    return Conversation(
        messages=tuple(
            Message(index=m.index, sender="Daniel", text=m.text, is_user=False)
            for m in conv.messages
        ),
        source_format="test",
    )


def _tactic_notes(v: Verdict) -> list[str | None]:
    return [e.note for t in v.tactics for e in t.evidence]


@pytest.mark.parametrize("text", [ARTICLE_EN, ARTICLE_ZH], ids=["en", "zh"])
def test_article_retelling_a_scam_is_quoted_and_benign(tmp_path: Path, text: str) -> None:
    v = analyze(_load(tmp_path, text))
    assert v.label == "benign"
    notes = _tactic_notes(v)
    assert notes  # the retold tactics are still shown, as quoted
    assert all(n is not None and "quoted" in n for n in notes)
    assert NOTE in notes
    assert v.counter_evidence


@pytest.mark.parametrize("text", [ARTICLE_EN, ARTICLE_ZH], ids=["en", "zh"])
def test_one_warning_paragraph_binds_only_itself(tmp_path: Path, text: str) -> None:
    # Only the last paragraph warns once the others lose their warning voice: the retelling
    # paragraphs are weighed in full.
    paragraphs = text.strip().split("\n\n")
    plain = [p for p in paragraphs if "警方" not in p and "police" not in p.lower()]
    plain = [p for p in plain if "Scammers" not in p]
    kept = "\n\n".join([*plain, paragraphs[-1]])
    v = analyze(_load(tmp_path, kept))
    assert NOTE not in _tactic_notes(v)
    assert v.label != "benign"


def test_chat_with_speakers_is_not_a_warning_document(tmp_path: Path) -> None:
    # The same paragraphs sent by a named contact: in a chat a warning binds its own message
    # only (scammers warn about "other scammers" to look honest).
    v = analyze(_as_chat(_load(tmp_path, ARTICLE_EN)))
    assert NOTE not in _tactic_notes(v)
    assert v.label == "scam"


def test_victim_account_in_paragraphs_stays_flagged(tmp_path: Path) -> None:
    v = analyze(_load(tmp_path, VICTIM_EN))
    assert NOTE not in _tactic_notes(v)
    assert v.label == "scam"


def test_script_language_of_a_warning_document_is_weighed_as_quoted(tmp_path: Path) -> None:
    conv = _load(tmp_path, ARTICLE_EN)
    chat_max = analyze(_as_chat(conv)).components["model_max"]
    doc = analyze(conv)
    assert chat_max > 0.8  # the retold lines read as script language on their own
    assert doc.components["model_max"] == pytest.approx(chat_max * 0.3, abs=1e-3)
    # Shown only where still strong, and then with the note.
    assert all(e.note == NOTE for e in doc.model_evidence if e.tactic == "scam_script_language")


def test_victim_account_quoting_the_police_stays_flagged(tmp_path: Path) -> None:
    v = analyze(_load(tmp_path, VICTIM_QUOTING_POLICE_ZH))
    assert sum(e.tactic == "warning_or_news" for e in v.counter_evidence) >= 2  # warns twice
    assert NOTE not in _tactic_notes(v)
    assert v.label == "scam"


def test_article_quoting_a_victim_is_still_an_article(tmp_path: Path) -> None:
    v = analyze(_load(tmp_path, ARTICLE_QUOTING_VICTIM_EN))
    assert NOTE in _tactic_notes(v)
    assert v.label == "benign"
