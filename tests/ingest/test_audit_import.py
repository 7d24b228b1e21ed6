"""Regressions from the adversarial audit of the import journey (real-world export variants
that used to import wrong or not at all)."""

from __future__ import annotations

import codecs
import io
import zipfile
from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scamlens.errors import InputError, UnknownFormatError
from scamlens.ingest import load_bytes, parse_text
from scamlens.ingest.textio import wide_without_bom
from scamlens.model import Conversation

from .helpers import kinds, senders

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def one(data: str | bytes, name: str = "chat.txt", **kw: object) -> Conversation:
    if isinstance(data, str):
        chats = parse_text(data, name=name, **kw)  # type: ignore[arg-type]
    else:
        chats = load_bytes(data, name=name, **kw)  # type: ignore[arg-type]
    assert len(chats) == 1
    return chats[0]


# --- WhatsApp locales -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        ("05/01/2024 à 15:04 - Jean: Bonjour\n15/01/2024 à 15:05 - Marie: Salut\n",
         "whatsapp-android"),
        ("[05/01/2024 à 15:04:05] Jean: Bonjour\n[15/01/2024 à 15:05:00] Marie: Salut\n",
         "whatsapp-ios"),
        ("5.1.2024 klo 15.04 - Jean: Bonjour\n15.1.2024 klo 15.05 - Marie: Salut\n",
         "whatsapp-android"),
        ("2024. 1. 5. 오후 3:04 - Jean: Bonjour\n2024. 1. 15. 오후 3:05 - Marie: Salut\n",
         "whatsapp-android"),
        ("2024. 01. 05. 15:04 - Jean: Bonjour\n2024. 01. 15. 15:05 - Marie: Salut\n",
         "whatsapp-android"),
        ("05/01/2567 15:04 - Jean: Bonjour\n15/01/2567 15:05 - Marie: Salut\n",
         "whatsapp-android"),  # Thai Buddhist-era years
    ],
)  # fmt: skip
def test_whatsapp_locale_layouts(text: str, fmt: str) -> None:
    conv = one(text)
    assert conv.source_format == fmt
    assert senders(conv) == ["Jean", "Marie"]
    assert [m.text for m in conv.messages] == ["Bonjour", "Salut"]
    assert [m.timestamp for m in conv.messages] == [
        datetime(2024, 1, 5, 15, 4, 5 if "[" in text else 0),
        datetime(2024, 1, 15, 15, 5),
    ]


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        ("<Mídia oculta>", "media"), ("<Media omessi>", "media"),
        ("<Без медиафайлов>", "media"), ("<Media weggelaten>", "media"),
        ("imagen omitida", "media"), ("Bild weggelassen", "media"),
        ("Ce message a été supprimé", "deleted"), ("Mensagem apagada", "deleted"),
        ("Questo messaggio è stato eliminato", "deleted"), ("Bu mesaj silindi", "deleted"),
    ],
)  # fmt: skip
def test_whatsapp_placeholders_in_other_languages(body: str, kind: str) -> None:
    conv = one(f"15/01/2024, 15:04 - Ana: {body}\n15/01/2024, 15:05 - Bo: oi\n")
    assert kinds(conv) == [kind, "text"]
    assert conv.me is None  # someone else's deletion says nothing about the user


@pytest.mark.parametrize(
    "phrase",
    ["Vous avez supprimé ce message.", "Você apagou esta mensagem", "Bu mesajı sildiniz"],
)
def test_whatsapp_own_deletion_in_other_languages_names_the_user(phrase: str) -> None:
    conv = one(f"[15/01/2024, 15:04:05] Ana: {phrase}\n[15/01/2024, 15:05:05] Bo: oi\n")
    assert conv.messages[0].kind.value == "deleted"
    assert conv.me == "Ana"
    assert conv.me_method == "heuristic:whatsapp-you-deleted"


@pytest.mark.parametrize(
    "filename",
    ["Chat de WhatsApp con Jason.txt", "Conversa do WhatsApp com Jason.txt",
     "Discussion WhatsApp avec Jason.txt", "WhatsApp-chat met Jason.txt"],
)  # fmt: skip
def test_whatsapp_title_from_localised_file_names(filename: str) -> None:
    conv = one("15/01/2024, 15:04 - Jason: hi\n15/01/2024, 15:05 - Rachel: yo\n", name=filename)
    assert conv.title == "Jason"
    assert conv.me == "Rachel"


_NAMES = st.sampled_from(["Jason", "王伟", "Ana Lúcia", "+1 555 123 4567", "Dr. Smith"])
_TEXTS = (
    st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")),
        min_size=1,
        max_size=40,
    )
    .map(str.strip)
    .filter(lambda t: t and t[0] not in "0123456789[\u200e\u200f")
)
_LAYOUTS = {
    "fr": lambda d, t: f"{d:%d/%m/%Y} à {d:%H:%M} - ",
    "fi": lambda d, t: f"{d.day}.{d.month}.{d.year} klo {d:%H.%M} - ",
    "ko": lambda d, t: (
        f"{d.year}. {d.month}. {d.day}. {'오후' if d.hour >= 12 else '오전'} "
        f"{(d.hour % 12) or 12}:{d:%M} - "
    ),
    "us": lambda d, t: (
        f"{d.month}/{d.day}/{d:%y}, {(d.hour % 12) or 12}:{d:%M}\u202f"
        f"{'PM' if d.hour >= 12 else 'AM'} - "
    ),
    "ios": lambda d, t: f"\u200e[{d:%d.%m.%y}, {d:%H:%M:%S}] ",
}


@SETTINGS
@given(
    layout=st.sampled_from(sorted(_LAYOUTS)),
    msgs=st.lists(
        st.tuples(
            _NAMES,
            _TEXTS,
            st.datetimes(datetime(2020, 1, 13), datetime(2030, 12, 31)).map(
                lambda d: d.replace(second=0 if d.hour else 1, microsecond=0)
            ),
        ),
        min_size=1,
        max_size=8,
    ),
)
def test_whatsapp_layouts_round_trip(layout: str, msgs: list[tuple[str, str, datetime]]) -> None:
    msgs.sort(key=lambda m: m[2])
    first = msgs[0][2].replace(day=13)  # a day above 12 settles the day/month order
    msgs.insert(0, ("Jason", "hello", first))
    render = _LAYOUTS[layout]
    lines = []
    for name, text, d in msgs:
        if layout != "ios":
            d = d.replace(second=0)
        lines.append(f"{render(d, text)}{name}: {text}")
    conv = one("\n".join(lines) + "\n")
    assert senders(conv) == [m[0] for m in msgs]
    assert [m.text for m in conv.messages] == [m[1] for m in msgs]
    expect = [m[2] if layout == "ios" else m[2].replace(second=0) for m in msgs]
    assert [m.timestamp for m in conv.messages] == expect


# --- encodings ------------------------------------------------------------------------------

_WESTERN = "05/01/2024, 15:04 - José: Olá, você está bem? Ação é ótima, café\n"


@pytest.mark.parametrize(
    "text",
    [
        _WESTERN + "15/01/2024, 15:05 - Zoë: Très bien, à bientôt\n",
        "05/01/2024, 15:04 - José: é\n",
        "05/01/2024, 15:04 - Hans: Schöne Grüße, wie geht's?\n15/01/2024, 15:05 - Jörg: Tschüß\n",
        "05/01/2024, 15:04 - Juan: ¿Qué tal? Mañana, señor\n15/01/2024, 15:05 - Ana: ¡Olé!\n",
    ],
)
def test_cp1252_western_text_is_not_read_as_central_european_or_cyrillic(text: str) -> None:
    conv = one(text.encode("cp1252"))
    got = "\n".join(f"{m.sender}: {m.text}" for m in conv.messages)
    expect = "\n".join(line.split(" - ", 1)[1] for line in text.splitlines())
    assert got == expect
    assert any("cp1252" in w for w in conv.warnings)


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        ("Привет, как дела? Я хочу инвестировать в биткоин с тобой", "cp1251"),
        ("你好，我在做比特币投资，收益很高。真的吗？怎么做", "gb18030"),
        ("你好，我在做比特幣投資，收益很高。真的嗎？怎麼做", "big5"),
        ("Γεια σου, τι κάνεις; Θέλω να επενδύσω", "cp1253"),
    ],
)
def test_legacy_non_western_code_pages_still_guessed(text: str, codec: str) -> None:
    data = f"05/01/2024, 15:04 - A: {text}\n15/01/2024, 15:05 - B: ok\n".encode(codec)
    conv = one(data)
    assert conv.messages[0].text == text


_ACCENTED = ("você", "ação", "café", "très", "où", "Grüße", "año", "señor", "déjà", "l'été",
             "naïve", "garçon", "über", "crème")  # fmt: skip


@SETTINGS
@given(
    words=st.lists(
        st.sampled_from(_ACCENTED),
        min_size=1,
        max_size=12,
    ),
    plain=st.lists(st.sampled_from(["bom", "dia", "the", "money", "ok", "USDT"]), max_size=6),
)
def test_cp1252_property(words: list[str], plain: list[str]) -> None:
    text = " ".join(words + plain)
    data = f"15/01/2024, 15:04 - A: {text}\n".encode("cp1252")
    assert one(data).messages[0].text == text


def test_utf8_cut_inside_the_last_character_stays_utf8() -> None:
    data = "05/01/2024, 15:04 - 王伟: 你好\n15/01/2024, 15:05 - 李娜: 真的吗".encode()[:-1]
    conv = one(data)
    assert senders(conv) == ["王伟", "李娜"]
    assert conv.messages[0].text == "你好"
    assert conv.messages[1].text.startswith("真的")
    assert not any("guessed" in w for w in conv.warnings)
    assert any("not valid utf-8" in w for w in conv.warnings)


@pytest.mark.parametrize("codec", ["utf-32-le", "utf-32-be"])
def test_utf32_without_bom(codec: str) -> None:
    text = "05/01/2024, 15:04 - 王伟: 你好 😀\n15/01/2024, 15:05 - Rachel: hi\n"
    conv = one(text.encode(codec))
    assert [m.text for m in conv.messages] == ["你好 😀", "hi"]
    assert wide_without_bom(text.encode(codec)) == codec
    assert wide_without_bom(text.encode(codec.replace("32", "16"))) == codec.replace("32", "16")


# --- LINE -----------------------------------------------------------------------------------


def test_line_message_starting_with_a_quote_does_not_swallow_the_chat() -> None:
    text = (
        "[LINE] Chat history with Jason\n\n2024/01/05(Fri)\n"
        '15:04\tJason\t"Hi" she said\n15:05\tRachel\tyo\n15:06\tJason\t"open\n\n'
        '2024/01/06(Sat)\n09:00\tRachel\tmorning\n09:01\tJason\t"multi\nline"\n'
        "09:02\tJason unsent a message.\n"
    )
    conv = one(text)
    assert [m.text for m in conv.messages] == [
        '"Hi" she said',
        "yo",
        '"open',
        "morning",
        "multi\nline",
        "Jason unsent a message.",
    ]
    assert [m.timestamp.day for m in conv.messages if m.timestamp] == [5, 5, 5, 6, 6, 6]


_LINE_TEXTS = st.text(alphabet=st.sampled_from("ab \"'?x你"), min_size=1, max_size=12).filter(
    lambda t: t.strip() == t and t
)


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from(["Jason", "Rachel"]), _LINE_TEXTS), min_size=1,
                max_size=10))  # fmt: skip
def test_line_single_line_messages_round_trip(msgs: list[tuple[str, str]]) -> None:
    body = "".join(f"15:{i:02d}\t{name}\t{text}\n" for i, (name, text) in enumerate(msgs))
    conv = one("[LINE] Chat history with Jason\n\n2024/01/05(Fri)\n" + body)
    assert len(conv.messages) == len(msgs)
    assert senders(conv) == [m[0] for m in msgs]


def test_line_day_month_order_is_settled_for_the_whole_file() -> None:
    text = (
        "[LINE] Chat history with Jason\n\nFri, 05/01/2024\n15:04\tJason\tHi\n"
        "Mon, 15/01/2024\n15:05\tRachel\tyo\n"
    )
    conv = one(text)
    assert [m.timestamp for m in conv.messages] == [
        datetime(2024, 1, 5, 15, 4),
        datetime(2024, 1, 15, 15, 5),
    ]


def test_line_thai_export() -> None:
    text = (
        "[LINE] ประวัติการแชทกับ Jason\nบันทึกเมื่อ: 16/01/2567 10:00\n\n"
        "15/01/2567 จันทร์\n15:04\tJason\tสวัสดี\n15:05\tRachel\tyo\n"
    )
    conv = one(text)
    assert conv.title == "Jason"
    assert conv.me == "Rachel"
    assert [m.timestamp for m in conv.messages] == [
        datetime(2024, 1, 15, 15, 4),
        datetime(2024, 1, 15, 15, 5),
    ]


def test_line_lines_before_the_first_message_are_reported() -> None:
    conv = one("[LINE] Chat history with Jason\n\nstray note\n2024/01/05(Fri)\n15:04\tJason\thi\n")
    assert any("before the first message" in w for w in conv.warnings)


# --- SMS, mistaken uploads, damaged archives -----------------------------------------------

_SMS = (
    "<?xml version='1.0' encoding='UTF-16' standalone='yes' ?>\n<smses count=\"1\">"
    '<sms address="+15551234567" date="1704467045000" type="1" '
    'body="Hi &#55357;&#56832; 你好" contact_name="Jason" /></smses>'
)


@pytest.mark.parametrize(
    "data",
    [codecs.BOM_UTF16_LE + _SMS.encode("utf-16-le"), _SMS.encode("utf-16-le"),
     codecs.BOM_UTF16_BE + _SMS.encode("utf-16-be")],
)  # fmt: skip
def test_sms_backup_resaved_as_utf16(data: bytes) -> None:
    conv = one(data, name="sms.xml")
    assert conv.source_format == "sms-xml"
    assert [m.text for m in conv.messages] == ["Hi 😀 你好"]


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(range(256)) * 4, "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 4, "JPEG"),
        (b"\x00\x00\x00\x18ftypheic" + bytes(range(256)) * 4, "HEIC"),
    ],
)
def test_mistaken_uploads_are_named(data: bytes, what: str) -> None:
    with pytest.raises(UnknownFormatError, match=f"upload.bin: .*{what}.*Export chat"):
        load_bytes(data, name="upload.bin")


def test_pasted_text_that_starts_like_a_magic_number_is_still_text() -> None:
    conv = one("%PDF-like: 100% sure\nhello\n")
    assert len(conv.messages) == 2


def test_truncated_zip_says_what_to_do() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("_chat.txt", "[05/01/2024, 15:04:05] Jason: hi\n" * 100)
    with pytest.raises(InputError, match=r"chat\.zip: not a readable zip .*cut short"):
        load_bytes(buf.getvalue()[:-40], name="chat.zip")
