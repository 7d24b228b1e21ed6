"""is_other_language: chats in a language scamlens does not read, and English/Chinese that
must not be mistaken for one."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from scamlens.api import load_chats
from scamlens.model import Conversation, MessageKind
from scamlens.scoring.language import joined_head, quick_language
from scamlens.text.language import OTHER_LANGUAGE_NOTE, is_other_language, language_note
from scamlens.text.normalize import detect_language

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
EXPORTS = ROOT / "tests/fixtures/exports"
OTHER = Path(__file__).parent / "fixtures/other_languages"
_TEXT_KINDS = (MessageKind.TEXT, MessageKind.MEDIA)


def head(conv: Conversation) -> str:
    """The text the engine reads the language from (as in Engine.analyze)."""
    texts = [
        m.text for m in conv.messages if m.kind in _TEXT_KINDS and m.text and not m.text.isspace()
    ]
    return joined_head(texts)


def _manifest() -> list[tuple[str, str]]:
    doc = yaml.safe_load((EXAMPLES / "MANIFEST.yaml").read_text(encoding="utf-8"))
    return [(f["path"], f["language"]) for f in doc["files"]]


def test_manifest_lists_every_example_chat() -> None:
    listed = {p for p, _ in _manifest()}
    on_disk = {
        str(p.relative_to(EXAMPLES))
        for p in EXAMPLES.rglob("*")
        if p.is_file() and p.name not in ("README.md", "MANIFEST.yaml", "batch.jsonl")
    }
    assert on_disk == listed


@pytest.mark.parametrize(("path", "language"), _manifest(), ids=lambda v: str(v))
def test_every_example_keeps_its_language(path: str, language: str) -> None:
    for conv in load_chats(EXAMPLES / path):
        text = head(conv)
        assert not is_other_language(text)
        assert quick_language(text) == language.split("-")[0]  # zh-Hant: zh


# Bundled export fixtures: English and Chinese ones stay as they are; two are really written
# in German and Japanese and are now reported as such.
_REALLY_OTHER = {"WhatsApp-Chat mit Thomas.txt", "line_ja.txt"}
_EXPORTS = sorted(
    p for p in EXPORTS.rglob("*") if p.is_file() and p.suffix in (".txt", ".json", ".csv", ".xml")
)


@pytest.mark.parametrize("path", _EXPORTS, ids=lambda p: p.name)
def test_export_fixtures(path: Path) -> None:
    for conv in load_chats(path):
        text = head(conv)
        assert is_other_language(text) == (path.name in _REALLY_OTHER)
        if path.name not in _REALLY_OTHER:
            assert quick_language(text) in ("en", "zh", "mixed", "unknown")


_FOREIGN = sorted(OTHER.glob("*.txt"))


def test_foreign_fixtures_cover_the_languages_asked_for() -> None:
    langs = {p.name.split("-")[0] for p in _FOREIGN}
    assert {"fr", "es", "id", "vi", "de", "ru", "th"} <= langs


@pytest.mark.parametrize("path", _FOREIGN, ids=lambda p: p.name)
def test_foreign_chats_are_other(path: Path) -> None:
    (conv,) = load_chats(path)
    assert 10 <= len(conv.messages) <= 30
    assert is_other_language(head(conv))


def _chat(*lines: str) -> str:
    return " ".join(lines)


ENGLISH = {
    "txt-speak": _chat(
        "hey u up?",
        "lol ya",
        "omg ur so cute",
        "u r so sweet babe",
        "wyd rn",
        "nm just chillin",
        "k ttyl",
        "gn babe",
        "gm!! did u sleep ok",
        "ya but im tired lol",
        "ikr same",
        "brb",
    ),
    "crypto jargon": _chat(
        "BTC 65k ETH 3.2k SOL pumping",
        "Deposit USDT TRC20 to TXa1b2c3d4e5f6g7h8j9k",
        "ROI 30% APY 300% DeFi staking",
        "KYC done AML fee 10% margin call leverage 100x",
        "withdraw blocked tax 20% unfreeze",
        "HODL moon lambo wagmi gm ser",
        "algo bot arbitrage",
        "Binance Kraken OKX Bybit spot futures",
        "DM admin VIP signal group link t.me/vipsignals",
    ),
    "foreign names and places": _chat(
        "Hi, I'm José from São Paulo, my friend Zoë Müller said you know about crypto.",
        "My aunt Nguyễn Thị Lan lives in Đà Nẵng and André works in Montréal.",
        "We met at La Jolla near Los Angeles, then flew to San José del Cabo.",
        "She said the platform is safe and I should deposit more before Friday.",
    ),
    "a few French and Spanish words": _chat(
        "Bonjour mon amour! How was your day?",
        "I miss you so much, je t'aime",
        "Hola guapo, you look tired today",
        "c'est la vie, work is work",
        "Did you check the account? The profit is great this week",
        "Merci beaucoup for listening to me, you are the best",
        "I want us to build our future together, so please trust me with the deposit",
    ),
    "emoji heavy": _chat(
        "Good morning dear ☀️😘❤️❤️",
        "🥰🥰 you make me happy",
        "💰💰 profit today 🚀🚀🚀",
        "did you eat? 🍜",
        "I love you 💕💕💕 please don't tell your son about the app 🤫",
    ),
    "homoglyph obfuscation": _chat(
        "Уоu must рау thе tах bеfоrе уоu саn wіthdrаw",
        "thе ассоunt іs frоzеn",
        "sеnd thе USDT tо thіs wаllеt аnd dоn't tеll аnуоnе",
        "trust me it is safe",
    ),
    "full-width and styled": "Ｐｌｅａｓｅ ｐａｙ ｔｈｅ ｔａｘ ｆｉｒｓｔ 𝐭𝐡𝐞𝐧 𝐲𝐨𝐮 𝐜𝐚𝐧 𝐰𝐢𝐭𝐡𝐝𝐫𝐚𝐰 "
    "the money from your account today, I promise it is the last fee",
    "decomposed accents": "Cafe\u0301 au lait with Rene\u0301e and Zoe\u0308 was fun. "
    "Then she told me about the platform and said I should put my savings in it now.",
    "filipino English": _chat(
        "Hi po, good morning po",
        "yes po I am here",
        "thank you po for the help",
        "I will send the money later po",
        "ok po I understand, I need to pay the fee first",
    ),
}


@pytest.mark.parametrize("text", ENGLISH.values(), ids=list(ENGLISH))
def test_english_of_many_styles_is_not_other(text: str) -> None:
    assert not is_other_language(text)
    assert detect_language(text) == "en"


CHINESE = {
    "simplified": "你好，我是李哲，加错人了不好意思。没关系。我在新加坡做跨境电商，"
    "我舅舅是分析师，带我做数字货币，这个月赚了三十个点。提现要先交百分之二十的税。",
    "with english": "你好 Leo，今天 BTC 涨了，我在 Binance 买了 USDT，转到平台上，明天提现。",
    "with a few kana": "今天好开心の，我们一起去吃饭吧～平台的收益很稳定，你也可以试试看。",
}


@pytest.mark.parametrize("text", CHINESE.values(), ids=list(CHINESE))
def test_chinese_is_not_other(text: str) -> None:
    assert not is_other_language(text)


@pytest.mark.parametrize(
    "text",
    ["Bonjour", "Hola amigo", "Привет как дела", "สวัสดีค่ะ", "Selamat pagi kak", "안녕하세요", ""],
)
def test_a_few_words_stay_as_today(text: str) -> None:
    assert not is_other_language(text)


def test_only_the_head_is_read() -> None:
    english = "I love you and I want to see you tomorrow morning. " * 60
    russian = "Привет, как дела? Я хочу вывести деньги со счёта. " * 100_000
    assert not is_other_language(english + russian)
    assert is_other_language(russian + english)


@pytest.mark.parametrize(
    "text",
    [
        "Z\u0336\u0337a\u0338\u0335l\u0334g\u0336o\u0337 " * 10_000,  # combining marks
        "\u200b\u200c\u200d\u2060\ufeff" * 50_000,  # zero-width only
        "\u202eyap esaelp\u202c \u2067نص عربي\u2069 " * 20_000,  # RTL overrides and isolates
        "\ud800\udfff" * 10_000 + "lone surrogates",
        "a" * 5_000_000,
        "\u0301" * 100_000,
        "ﷺ" * 10_000,  # one character that NFKC expands 18-fold
    ],
    ids=["zalgo", "zero-width", "rtl", "surrogates", "huge-one-word", "marks-only", "expanding"],
)
def test_hostile_input_does_not_crash(text: str) -> None:
    assert isinstance(is_other_language(text), bool)


def test_rtl_arabic_chat_is_other() -> None:
    line = "\u202bمساء الخير، أريد سحب أموالي لكن المنصة تطلب ضريبة عشرين بالمئة\u202c "
    assert is_other_language(line * 5)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=3000))
def test_never_raises(text: str) -> None:
    assert isinstance(is_other_language(text), bool)


def test_language_note() -> None:
    assert language_note("other") == OTHER_LANGUAGE_NOTE
    assert "English and Chinese" in OTHER_LANGUAGE_NOTE
    for lang in ("en", "zh", "mixed", "unknown"):
        assert language_note(lang) is None
