"""Which export format a file is, from its content (the file name only breaks ties)."""

from __future__ import annotations

import csv
import json
import re
from typing import Any

from scamlens.errors import InputError, UnknownFormatError

from . import discord, line, meta, plain, tabular, telegram, telegram_html, whatsapp
from .options import ImportOptions

FORMATS: dict[str, str] = {
    "whatsapp-android": "WhatsApp 'Export chat' .txt from Android ('12/31/23, 9:41 PM - Name: x')",
    "whatsapp-ios": "WhatsApp 'Export chat' .txt from iPhone ('[31/12/2023, 21:41:05] Name: text')",
    "whatsapp-zip": "WhatsApp 'Export chat' .zip (chat .txt plus media; only the .txt is read)",
    "telegram-json": "Telegram Desktop JSON export: one chat's result.json or the full export",
    "telegram-html": "Telegram Desktop HTML export: messages.html (+ later parts), folder or .zip",
    "messenger-json": "Facebook Messenger JSON from 'Download your information' (or its .zip)",
    "instagram-json": "Instagram messages JSON from 'Download your information' (or its .zip)",
    "line-txt": "LINE 'Send chat history' .txt ('21:41<TAB>Name<TAB>text')",
    "sms-xml": "Android 'SMS Backup & Restore' XML (<smses> with <sms>/<mms>)",
    "discord-json": "DiscordChatExporter JSON (guild, channel, messages)",
    "linkedin-csv": "LinkedIn data export messages.csv (one file, many conversations)",
    "csv": "CSV/TSV with a header: text, sender, timestamp, conversation columns",
    "jsonl": "JSON Lines, one message object per line (same fields as CSV)",
    "json": "a JSON list of message objects (same fields as CSV)",
    "plain-named": "pasted 'Name: message' lines; WhatsApp Web and Telegram Desktop copies",
    "plain": "pasted text without names (each line or paragraph is a message)",
}  # fmt: skip

ALIASES = {
    "whatsapp": "whatsapp",
    "wa": "whatsapp",
    "telegram": "telegram-json",
    "messenger": "messenger-json",
    "facebook": "messenger-json",
    "instagram": "instagram-json",
    "line": "line-txt",
    "sms": "sms-xml",
    "discord": "discord-json",
    "linkedin": "linkedin-csv",
    "tsv": "csv",
    "ndjson": "jsonl",
    "text": "plain",
    "txt": "plain",
    "named": "plain-named",
}
JSON_FORMATS = frozenset({"telegram-json", "messenger-json", "instagram-json", "discord-json",
                          "json"})  # fmt: skip
_JSON_ARRAY = re.compile(r"\[\s*[\[{\"\]]")  # "[31/12/2023, ..." is WhatsApp iOS, not JSON
TRIED = ("whatsapp-android", "whatsapp-ios", "telegram-json", "telegram-html",
         "messenger-json", "instagram-json", "line-txt", "sms-xml", "discord-json",
         "linkedin-csv", "csv", "jsonl", "json", "plain-named", "plain")  # fmt: skip


def normalize(fmt: str) -> str:
    key = fmt.strip().lower()
    key = ALIASES.get(key, key)
    if key != "whatsapp" and key not in FORMATS:
        raise InputError(
            f"unknown format {fmt!r}; formats are: {', '.join(FORMATS)} (or 'whatsapp')"
        )
    return key


def unknown(name: str, why: str) -> UnknownFormatError:
    return UnknownFormatError(f"{why}; tried: {', '.join(TRIED)}", name)


# Files people upload by mistake instead of the export: name them so the fix is obvious.
_EXPORT_HINT = (
    "; upload the chat export itself (WhatsApp: Export chat; Telegram Desktop: Export chat "
    "history; LINE: Send chat history), or paste the chat text"
)


def _what_file(text: str) -> str | None:
    """What a mistaken upload is, from its decoded start (the codec may be any guess)."""
    if text.startswith("%PDF-") and text[5:6].isdigit():
        return "a PDF document"
    if text[1:4] == "PNG" or text.startswith(("GIF87a", "GIF89a")):
        return "an image (a screenshot?)"
    if text.startswith(("\ufffd\ufffd\ufffd", "ÿØÿ")):
        return "an image (a JPEG screenshot?) or other binary file"
    if "ftyp" in text[:12]:
        return "an image or video (HEIC/MP4/MOV: a screenshot or screen recording?)"
    return None


def _binary(text: str) -> bool:
    sample = text[:4096]
    if not sample:
        return False
    bad = sum(1 for ch in sample if (ch < " " and ch not in "\t\n\r\f\x1b") or ch == "\ufffd")
    return bad * 10 > len(sample)


def classify_doc(doc: Any, name: str) -> str:
    """The JSON format of a loaded document."""
    if telegram.looks_like(doc):
        return "telegram-json"
    if discord.looks_like(doc):
        return "discord-json"
    if meta.looks_like(doc) or (
        isinstance(doc, list) and doc and all(meta.looks_like(x) for x in doc[:5])
    ):
        return "messenger-json"
    if isinstance(doc, list) and any(isinstance(x, dict) for x in doc[:50]):
        return "json"
    if isinstance(doc, dict) and isinstance(doc.get("messages"), list):
        return "json"
    raise unknown(name, "JSON, but not a chat export scamlens knows")


def _json_guess(s: str, name: str) -> str | None:
    """Format from the start of a JSON document, or None when the whole doc must be seen."""
    first, _, rest = s.partition("\n")
    first = first.strip()
    if first.startswith("{") and len(first) < 1_000_000:
        try:
            obj = json.loads(first)
        except (ValueError, RecursionError):
            obj = None
        if isinstance(obj, dict):
            if rest.strip().startswith("{"):
                return "jsonl"
            try:
                return classify_doc(obj, name)
            except UnknownFormatError:
                if tabular.header_is_chat(list(obj), ImportOptions().columns):
                    return "jsonl"  # a single message record
                raise
    head = s[:65536]
    if '"personal_information"' in head or ('"chats"' in head and '"list"' in head):
        return "telegram-json"
    if '"guild"' in head and '"channel"' in head:
        return "discord-json"
    if any(k in head for k in ('"sender_name"', '"timestamp_ms"', '"participants"',
                               '"senderName"')):  # fmt: skip
        return "messenger-json"
    if any(k in head for k in ('"from_id"', '"date_unixtime"', '"text_entities"',
                               '"personal_chat"')):  # fmt: skip
        return "telegram-json"
    return None


def detect_text(text: str, name: str, filename: str, options: ImportOptions) -> str:
    """Format id from the decoded start of a file (or pasted text)."""
    s = text.lstrip("\ufeff \t\r\n")
    if not s:
        raise InputError("the input holds only blank space", name)
    what = _what_file(s)
    if _binary(s):
        what = f" ({what})" if what else ""
        raise unknown(name, f"binary data{what}, not a text chat export{_EXPORT_HINT}")
    if what == "a PDF document":
        raise unknown(name, f"{what}, not a chat export{_EXPORT_HINT}")
    if s[0] == "<":
        low = s[:4096].lower()
        if "<smses" in low:
            return "sms-xml"
        if telegram_html.looks_like(s):
            return "telegram-html"
        if "<html" in low or "<!doctype html" in low:
            raise unknown(
                name,
                "an HTML page, but not a Telegram Desktop chat export (messages.html with "
                "message rows)",
            )
        raise unknown(name, "XML, but not an SMS Backup & Restore file (<smses>)")
    if s[0] == "{" or _JSON_ARRAY.match(s):
        guess = _json_guess(s, name)
        if guess is not None:
            if guess == "messenger-json" and "instagram" in filename.lower():
                return "instagram-json"
            return guess
        return "json?"  # a JSON document whose head does not tell: load it to see
    s = s.replace("\r\n", "\n").replace("\r", "\n")
    lines = s.split("\n", 400)[:400]
    if line.detect(lines[:60]):
        return "line-txt"
    wa = whatsapp.detect(lines[:200])
    if wa:
        return wa
    header = lines[0]
    if any(d in header for d in ",;\t|"):
        dialect = tabular.sniff_dialect("\n".join(lines[:20])[:8192], filename)
        try:
            cells = next(csv.reader([header], dialect))
        except (csv.Error, StopIteration):
            cells = []
        if tabular.is_linkedin(cells):
            return "linkedin-csv"
        if tabular.header_is_chat(cells, options.columns):
            return "csv"
    if plain.looks_named(lines):
        return "plain-named"
    return "plain"
