"""Telegram Desktop HTML export rows -> the chat's message drafts (see telegram_html.py).

The parser streams each file's rows into a `MessageRow` and hands it to `ChatRows.add`, which
turns it into a draft: the sender (carried over for "joined" rows, also across files), the
text, media kinds and files, hidden link targets, forwarded-from notes and the time from the
date's title; service rows keep their text and get their actor at the end (`finish`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, tzinfo

from scamlens.errors import InputError

from .common import CALL, MEDIA, SYSTEM, TEXT, Context, Draft, RawChat, clean_name
from .options import resolve_timezone
from .source import Source

SOURCE_FORMAT = "telegram-html"
_PART = re.compile(r"messages([1-9][0-9]{0,5})?\.html?", re.IGNORECASE)
SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]{0,31}:")
_FILE_KINDS = frozenset({"photo", "video_file", "animation", "sticker", "voice_message",
                         "audio_file", "file", "media"})  # fmt: skip
# Generic media titles that name the JSON media_type better than the block's class does.
_TITLE_KINDS = {"sticker": "sticker", "animation": "animation", "video message": "video_message",
                "video file": "video_file"}  # fmt: skip
# What follows the actor's name in tdesktop's service texts (the export is always English).
_ACTOR_MARKERS = (" joined group by ", " joined Telegram", " joined the group", " invited ",
                  " removed ", " pinned ", " created group ", " changed group ",
                  " converted ", " left the group", " took a screenshot", " scored ",
                  " started voice chat", " has set messages", " scheduled a voice chat",
                  " changed chat theme", " disabled chat theme", " created topic ",
                  " changed topic ", " set a new background", " set the same background",
                  " sent you a gift", " requested your phone number",
                  " suggests to use this photo")  # fmt: skip
# Service texts only groups and channels have: a page with one is not a personal chat.
_GROUP_WORDS = ("created group", "joined group", " invited ", " removed ", "changed group",
                "converted", "channel", "left the group", "voice chat")  # fmt: skip


def part_number(filename: str) -> int | None:
    """1 for messages.html, N for messagesN.html, None for any other name."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1].rsplit("!", 1)[-1]
    m = _PART.fullmatch(base)
    if m is None:
        return None
    return int(m.group(1)) if m.group(1) else 1


class MessageRow:
    """One message row while it is being read."""

    __slots__ = ("body", "budget", "cut", "date", "desc", "files", "forwarded", "fwd",
                 "joined", "kinds", "links", "media", "sender", "separator", "service",
                 "status", "text", "title", "where")  # fmt: skip

    def __init__(self, service: bool, separator: bool, joined: bool, where: str, budget: int):
        self.service = service
        self.separator = separator
        self.joined = joined
        self.where = where
        self.date: str | None = None
        self.sender: list[str] | None = None
        self.forwarded = False
        self.fwd: list[str] | None = None
        self.text: list[str] | None = None
        self.links: list[str] = []
        self.media = False
        self.kinds: list[str] = []
        self.files: list[str] = []
        self.title: list[str] = []
        self.desc: list[str] = []
        self.status: list[str] = []
        self.body: list[str] = []
        self.budget = budget
        self.cut = False


class ChatRows:
    """Drafts of one chat, across its files; carries the sender of joined rows."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.drafts: list[Draft] = []
        self.title: str | None = None
        self.record = 0  # message number in the export, date separators not counted
        self.rows = 0  # every row seen, separators included
        self.last_sender: str | None = None
        self.last_fwd: str | None = None
        self.services: list[int] = []  # indices of service drafts, for their actors
        self.senders: set[str] = set()
        self.grouplike = False
        self.next_links: dict[int, str] = {}  # part index -> the file its "Next" link names
        self.part = ""
        self.part_index = 0
        self.zones: dict[str, tzinfo | None] = {}

    def begin_part(self, filename: str, index: int) -> None:
        self.part = filename
        self.part_index = index

    def add(self, m: MessageRow) -> None:
        self.rows += 1
        if m.separator:
            return
        self.record += 1
        ctx = self.ctx
        if m.service:
            text = " ".join("".join(m.body).split())
            low = text.casefold()
            if any(w in low for w in _GROUP_WORDS):
                self.grouplike = True
            kind = CALL if (" started voice chat" in text or text.startswith("Voice chat (")) \
                else SYSTEM  # fmt: skip
            self.services.append(len(self.drafts))
            self.drafts.append((None, ctx.clean(text, m.where), None, kind, (), self.record, None))
            self.last_sender = self.last_fwd = None
            return
        sender = sender_name(m.sender)
        if sender is None:
            sender = self.last_sender
            if sender is None:
                what = ("a joined message whose sender is in an earlier file that was not read"
                        if m.joined else "a message without a sender name")  # fmt: skip
                ctx.notes.count(what, m.where)
        self.last_sender = sender
        if sender is not None:
            self.senders.add(sender)
        fwd: str | None = None
        if m.forwarded:
            fwd = sender_name(m.fwd) if m.fwd is not None else self.last_fwd
        self.last_fwd = fwd
        text = block_text(m.text) if m.text is not None else ""
        kind = TEXT
        attachments = list(m.links)
        media_kind = m.kinds[0] if m.kinds else ("media" if m.media else None)
        if media_kind == "call":
            kind = CALL
            status = " ".join("".join(m.status).split())
            if not text:
                text = f"phone call: {status}" if status else "phone call"
        elif media_kind is not None:
            kind = MEDIA
            attachments.extend(self._media_files(m, media_kind))
        if fwd:
            attachments.append(f"forwarded_from:{fwd}")
        ts = self._time(m)
        cap = ctx.options.max_message_chars
        if m.cut and len(text) <= cap:
            ctx.notes.count(f"a message longer than {cap:,} characters was cut", m.where)
        text = ctx.clean(text, m.where)
        self.drafts.append(
            (sender, text, ts, kind, tuple(dict.fromkeys(attachments)), self.record, None)
        )

    def _media_files(self, m: MessageRow, kind: str) -> list[str]:
        if kind not in _FILE_KINDS:
            return []  # contacts, places, polls: the JSON export lists no file either
        files = [f for f in m.files if not SCHEME.match(f)]
        if files:
            return files
        title = " ".join("".join(m.title).split())
        if kind == "file":
            return [title or "file"]
        return [_TITLE_KINDS.get(title.casefold(), kind)]

    def _time(self, m: MessageRow) -> datetime | None:
        if m.date is None:
            self.ctx.notes.count("a message without a time", m.where)
            return None
        ts = self._parse_title(m.date)
        if ts is None:
            self.ctx.notes.count("a message time that could not be read", m.where)
        return ts

    def _parse_title(self, title: str) -> datetime | None:
        """'05.01.2024 15:04:23 UTC+08:00' (the offset only in newer exports)."""
        fields = title.split()
        if len(fields) not in (2, 3) or len(title) > 64:
            return None
        day = fields[0].split(".")
        clock = fields[1].split(":")
        nums = day + clock
        if (
            len(day) != 3
            or len(clock) not in (2, 3)
            or not all(x.isascii() and x.isdigit() for x in nums)
        ):
            return None
        try:
            dt = datetime(
                int(day[2]), int(day[1]), int(day[0]), int(clock[0]), int(clock[1]),
                int(clock[2]) if len(clock) == 3 else 0,
            )  # fmt: skip
        except ValueError:
            return None
        if len(fields) == 2:
            return self.ctx.local(dt)
        zone_text = fields[2]
        if zone_text not in self.zones:
            try:
                self.zones[zone_text] = resolve_timezone(zone_text)
            except InputError:
                self.zones[zone_text] = None
        zone = self.zones[zone_text]
        if zone is None:
            return None
        return dt.replace(tzinfo=zone)

    def finish(self, parts: Sequence[Source]) -> RawChat:
        ctx = self.ctx
        if self.rows == 0:
            names = ", ".join(p.filename for p in parts[:5])
            raise InputError(f"no Telegram messages found in {names} (no message rows)",
                             parts[0].name)  # fmt: skip
        self._actors()
        read = {p.filename.casefold() for p in parts}
        last = len(parts) - 1
        nxt = self.next_links.get(last)
        if nxt and nxt.casefold() not in read:
            ctx.notes.add(f"{parts[last].filename} links to {nxt}, which was not found: the "
                          "export is incomplete (later messages are missing)")  # fmt: skip
        numbers = [part_number(p.filename) or 1 for p in parts]
        if numbers and numbers != list(range(1, len(numbers) + 1)):
            ctx.notes.add("parts of the export are missing: read "
                          + ", ".join(p.filename for p in parts[:20]))  # fmt: skip
        raw = RawChat(self.drafts, SOURCE_FORMAT, "telegram", title=self.title)
        if raw.title and not self.grouplike and len(self.senders) <= 2:
            raw.other_party = raw.title  # a personal chat's page is titled with the other person
        return raw

    def _actors(self) -> None:
        """Service rows name their actor only in the text: take a known sender's name at the
        start, else the words before a known verb ("X joined group by link")."""
        names = self.senders
        for i in self.services:
            _, text, ts, kind, att, rec, hint = self.drafts[i]
            actor = None
            head = text[:256]
            at = head.find(" ")
            while at > 0:
                if head[:at] in names:
                    actor = head[:at]
                at = head.find(" ", at + 1)
            if actor is None:
                hits = [p for p in (head.find(k) for k in _ACTOR_MARKERS) if p > 0]
                if hits:
                    actor = clean_name(head[: min(hits)]) or None
            if actor is not None:
                self.drafts[i] = (actor, text, ts, kind, att, rec, hint)


def sender_name(parts: list[str] | None) -> str | None:
    """A sender name as written in from_name: spaces collapsed, " via @bot" dropped."""
    if parts is None:
        return None
    name = " ".join("".join(parts).split())
    at = name.rfind(" via @")
    if at > 0 and name[at + 6 :].replace("_", "a").isalnum():
        name = name[:at]
    return clean_name(name) or None


def block_text(parts: list[str]) -> str:
    """A text div's content minus tdesktop's layout: a newline after the opening tag and a
    newline plus indentation before the closing one (real line breaks are <br>)."""
    text = "".join(parts)
    if text.startswith("\n"):
        text = text[1:]
    trimmed = text.rstrip(" \t")
    if trimmed.endswith("\n"):
        text = trimmed[:-1]
    return text
