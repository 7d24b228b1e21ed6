"""Telegram Desktop HTML exports ("Export chat history", format HTML: the app's default).

An export is a folder ``ChatExport_YYYY-MM-DD/`` holding ``messages.html``,
``messages2.html``, ... (1,000 messages a file, in order) beside ``css/``, ``js/``,
``photos/`` and other media folders; users often zip it. Every file repeats the page header
(the chat's name) and holds a ``<div class="history">`` of rows:

* ``message service`` rows: date separators (negative ids, ``id="message-1"``) and events
  ("X joined group by link", "X pinned this message"), which carry no time;
* ``message default`` rows with ``pull_right date details`` (``title="05.01.2024 15:04:23
  UTC+08:00"``; older exports leave out the offset), ``from_name``, ``text``, media blocks,
  ``forwarded body`` and ``reply_to``. A ``joined`` row has no ``from_name``: its sender is
  the previous row's, also across files.

The result matches what the same chat exported as JSON gives (see ``telegram.py``): the same
senders, texts, timestamps (aware when the file gives the offset, naive otherwise), kinds,
hidden link targets and ``forwarded_from:NAME`` in ``attachments``, and ``source_line`` as
the message's number in the export. Service rows keep no time (the HTML gives none).

Parsing is streamed with ``html.parser`` (no DOM): memory follows the messages kept. Markup
that never ends (an unterminated tag, comment or ``<script>`` over ``_MAX_PENDING``
characters) is an ``InputError`` naming the file and line; nesting deeper than
``_MAX_DEPTH`` is read flat with a warning.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Sequence
from datetime import datetime, tzinfo
from html.parser import HTMLParser
from pathlib import Path

from scamlens.errors import InputError

from .common import CALL, MEDIA, SYSTEM, TEXT, Context, Draft, RawChat, clean_name
from .options import resolve_timezone
from .source import Source, check_size
from .textio import Encoding, sniff

SOURCE_FORMAT = "telegram-html"
_CHUNK = 64 * 1024  # bytes read (and characters fed) at a time
_MAX_PENDING = 4 * 1024 * 1024  # characters of one unfinished construct (tag, comment, script)
_MAX_DEPTH = 256  # open elements; tdesktop writes about a dozen
_PART = re.compile(r"messages([1-9][0-9]{0,5})?\.html?", re.IGNORECASE)
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]{0,31}:")
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "param", "source", "track", "wbr"})  # fmt: skip
_NOT_INCLUDED = ("not included", "exceeds maximum size", "unavailable")
# Media block classes -> the JSON export's name for the kind of media.
_MEDIA_CLASSES = {
    "photo_wrap": "photo",
    "video_file_wrap": "video_file",
    "animated_wrap": "animation",
    "sticker_wrap": "sticker",
    "media_photo": "photo",
    "media_video": "video_file",
    "media_voice_message": "voice_message",
    "media_audio_file": "audio_file",
    "media_file": "file",
    "media_call": "call",
    "media_contact": "contact",
    "media_location": "location",
    "media_live_location": "location",
    "media_venue": "venue",
    "media_game": "game",
    "media_invoice": "invoice",
    "media_poll": "poll",
}
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

# Element roles: what the text inside an element is for.
_NONE, _SKIP, _MESSAGE, _TEXT, _FROM, _FWD, _FWD_FROM, _ANCHOR = range(8)
_MEDIA, _M_TITLE, _M_DESC, _M_STATUS, _SERVICE, _HEADER, _TITLE = range(8, 15)


def looks_like(head: str) -> bool:
    """Whether the decoded start of a file is a Telegram Desktop chat page."""
    low = head[:65536]
    if 'class="history"' not in low and "chat_page" not in low:
        return False
    return (
        'class="message default' in low
        or 'class="message service' in low
        or ("Exported Data" in low and 'class="page_header"' in low)
    )


def part_number(filename: str) -> int | None:
    """1 for messages.html, N for messagesN.html, None for any other name."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1].rsplit("!", 1)[-1]
    m = _PART.fullmatch(base)
    if m is None:
        return None
    return int(m.group(1)) if m.group(1) else 1


def parse(src: Source, ctx: Context, enc: Encoding | None = None) -> RawChat:
    """The chat in one file; for a file on disk named messages.html, its later parts too."""
    parts = [src]
    number = part_number(src.filename)
    if src.path is not None and number is not None:
        siblings = _siblings(src.path)
        if number > 1 and 1 in siblings:
            raise InputError(
                f"this is part {number} of a Telegram HTML export; pass messages.html or the "
                "export folder, which reads every part in order",
                src.name,
            )
        if number == 1:
            parts += [from_sibling(p, src) for n, p in sorted(siblings.items()) if n > 1]
    return parse_parts(parts, ctx, enc)


def parse_parts(parts: Sequence[Source], ctx: Context, enc: Encoding | None = None) -> RawChat:
    """One chat from the files of one export (sorted here by their part number)."""
    ordered = sorted(parts, key=lambda s: part_number(s.filename) or 0)
    chat = _Chat(ctx)
    for i, part in enumerate(ordered):
        _read(part, chat, ctx, enc if part is parts[0] else None, i)
    return chat.finish(ordered)


def _siblings(path: Path) -> dict[int, Path]:
    out: dict[int, Path] = {}
    try:
        entries = list(path.parent.iterdir())
    except OSError:
        return out
    for p in entries:
        n = part_number(p.name)
        if n is not None and p.is_file():
            out.setdefault(n, p)
    return out


def from_sibling(path: Path, first: Source) -> Source:
    name = str(Path(first.name).with_name(path.name))
    return Source(name, path.name, path.stat().st_size, lambda: open(path, "rb"), path=path)


def _read(src: Source, chat: _Chat, ctx: Context, enc: Encoding | None, index: int) -> None:
    check_size(src, ctx.options.max_bytes, "the file", "max_bytes")
    parser = _Parser(chat, src.name)
    chat.begin_part(src.filename, index)
    if src.text is not None:
        text = src.text[1:] if src.text.startswith("\ufeff") else src.text
        for at in range(0, len(text), _CHUNK):
            parser.push(text[at : at + _CHUNK])
    else:
        if enc is None:
            enc = sniff(src, ctx)
        if enc.note:
            ctx.notes.add(f"{src.filename}: {enc.note}")
        dec = codecs.getincrementaldecoder(enc.codec)(errors="replace")
        with src.open() as fh:
            if enc.bom:
                fh.read(enc.bom)
            while chunk := fh.read(_CHUNK):
                parser.push(dec.decode(chunk))
            parser.push(dec.decode(b"", final=True))
    parser.end()


class _Msg:
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


class _Chat:
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

    def add(self, m: _Msg) -> None:
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
        sender = _name(m.sender)
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
            fwd = _name(m.fwd) if m.fwd is not None else self.last_fwd
        self.last_fwd = fwd
        text = _block_text(m.text) if m.text is not None else ""
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

    def _media_files(self, m: _Msg, kind: str) -> list[str]:
        if kind not in _FILE_KINDS:
            return []  # contacts, places, polls: the JSON export lists no file either
        files = [f for f in m.files if not _SCHEME.match(f)]
        if files:
            return files
        title = " ".join("".join(m.title).split())
        if kind == "file":
            return [title or "file"]
        return [_TITLE_KINDS.get(title.casefold(), kind)]

    def _time(self, m: _Msg) -> datetime | None:
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


class _Parser(HTMLParser):
    """Streams one file's rows into a _Chat. Only the roles of elements are tracked."""

    def __init__(self, chat: _Chat, name: str) -> None:
        super().__init__(convert_charrefs=True)
        self.chat = chat
        self.name = name
        self.stack: list[tuple[str, int, list[str] | None, int]] = []
        self.cap: list[str] | None = None  # where text goes now
        self.msg: _Msg | None = None
        self.overflow = 0  # elements opened past _MAX_DEPTH
        self.header = 0
        self.fwd = 0
        self.media = 0
        # Characters kept per row: the text's cap (ctx.clean cuts it exactly) plus room for
        # the name and media titles; the rest of a longer row is dropped as it streams by.
        self.budget_cap = chat.ctx.options.max_message_chars + 4096

    # Feeding -------------------------------------------------------------------------------

    def push(self, text: str) -> None:
        notes = self.chat.ctx.notes
        if "\x00" in text:
            text = text.replace("\x00", "")
            notes.count("NUL characters were removed", self._where())
        if "\ufffd" in text:
            notes.count("text that is not valid UTF-8 may have been replaced", self._where())
        try:
            self.feed(text)
        except AssertionError as exc:  # _markupbase's way to reject "<![foo" and the like
            raise InputError(f"malformed HTML: {exc}", self.name, self.getpos()[0]) from None
        pending = len(self.rawdata)
        if pending > _MAX_PENDING:
            raise InputError(
                f"{self._pending_what()} that does not end within {_MAX_PENDING:,} characters; "
                "the file is damaged or not a Telegram export",
                self.name,
                self.getpos()[0],
            )

    def end(self) -> None:
        line = self.getpos()[0]
        if self.cdata_elem:
            self.chat.ctx.notes.add(
                f"{self.name} ends inside an unclosed <{self.cdata_elem}> (from line {line}): "
                "nothing after it was read"
            )
        if self.rawdata.startswith("<") and not self.cdata_elem:
            self.rawdata = ""  # a tag cut off by the end of the file is not text
        try:
            self.close()
        except AssertionError as exc:
            raise InputError(f"malformed HTML: {exc}", self.name, self.getpos()[0]) from None
        if self.msg is not None:
            self.chat.ctx.notes.add(
                f"{self.name} ends inside a message (the file was cut short?); it was kept"
            )
            self._close_message()

    def _pending_what(self) -> str:
        if self.cdata_elem:
            return f"an unclosed <{self.cdata_elem}> element"
        raw = self.rawdata[:16]
        at = raw.find("<")
        raw = raw[at:] if at >= 0 else raw
        if raw.startswith("<!--"):
            return "an unterminated comment"
        if raw.startswith("<!") or raw.startswith("<?"):
            return "an unterminated declaration"
        if raw.startswith("<"):
            return "a tag (or an attribute value)"
        return "text"

    def _where(self) -> str:
        return f"{self.chat.part or self.name} line {self.getpos()[0]}"

    # Elements ------------------------------------------------------------------------------

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            self._void(tag, attrs)
            return
        if len(self.stack) >= _MAX_DEPTH:
            if not self.overflow:
                self.chat.ctx.notes.count(
                    f"HTML nested deeper than {_MAX_DEPTH} elements was read flat", self._where()
                )
            self.overflow += 1
            return
        cls = _classes(attrs)
        role = _NONE
        extra = 0
        if tag in ("script", "style"):
            role = _SKIP
        elif tag == "div" and "message" in cls and ("default" in cls or "service" in cls):
            self._open_message(cls, attrs)
            role = _MESSAGE
        elif self.msg is not None:
            role, extra = self._inner(tag, cls, attrs)
        elif "page_header" in cls:
            role = _HEADER
        elif self.header and "text" in cls and self.chat.title is None and self.cap is None:
            role = _TITLE
        elif tag == "a" and "pagination" in cls:
            self._pagination(attrs)
        self.stack.append((tag, role, self.cap, extra))
        self._enter(role)

    def _enter(self, role: int) -> None:
        m = self.msg
        if role in (_SKIP, _MEDIA):
            self.cap = None
        elif role == _HEADER:
            self.header += 1
        elif role == _TITLE:
            self.cap = []
        elif m is None:
            return
        elif role == _TEXT:
            if m.text is None:
                m.text = []
            self.cap = m.text
        elif role == _FROM:
            m.sender = []
            self.cap = m.sender
        elif role == _FWD:
            self.fwd += 1
        elif role == _FWD_FROM:
            m.fwd = []
            self.cap = m.fwd
        elif role == _M_TITLE:
            self.cap = m.title
        elif role == _M_DESC:
            self.cap = m.desc
        elif role == _M_STATUS:
            self.cap = m.status
        elif role == _SERVICE:
            self.cap = m.body
        if role == _MEDIA:
            self.media += 1

    def _open_message(self, cls: set[str], attrs: list[tuple[str, str | None]]) -> None:
        if self.msg is not None:
            self.chat.ctx.notes.count("a message row was not closed", self.msg.where)
            while self.stack and self.stack[-1][1] != _MESSAGE:
                self._pop()
            if self.stack:
                self._pop()
        ident = _attr(attrs, "id") or ""
        service = "service" in cls
        separator = service and ident.startswith("message-")
        where = self._where()
        self.msg = _Msg(service, separator, "joined" in cls, where, self.budget_cap)

    def _inner(
        self, tag: str, cls: set[str], attrs: list[tuple[str, str | None]]
    ) -> tuple[int, int]:
        m = self.msg
        assert m is not None
        if m.service:
            if "body" in cls and "details" in cls:
                return _SERVICE, 0
            if "userpic_wrap" in cls:
                return _SKIP, 0
            return _NONE, 0
        if "userpic_wrap" in cls or "reply_to" in cls or "signature" in cls:
            return _SKIP, 0
        if "date" in cls and "details" in cls:
            title = _attr(attrs, "title")
            if title is not None and not self.fwd and m.date is None:
                m.date = title
            return _SKIP, 0
        if "from_name" in cls:
            return (_FWD_FROM if self.fwd else _FROM), 0
        if "forwarded" in cls and "body" in cls:
            m.forwarded = True
            return _FWD, 0
        if self.media or "media_wrap" in cls:
            m.media = True
            for c in cls:
                kind = _MEDIA_CLASSES.get(c)
                if kind is None and c.startswith("media_") and c != "media_wrap":
                    kind = c[6:]
                if kind:
                    m.kinds.append(kind)
            if tag == "a":
                href = _attr(attrs, "href")
                if href:
                    m.files.append(href)
            if "title" in cls:
                return _M_TITLE, 0
            if "description" in cls:
                return _M_DESC, 0
            if "status" in cls:
                return _M_STATUS, 0
            return (_MEDIA, 0) if not self.media else (_SKIP, 0)
        if tag == "div" and "text" in cls:
            return _TEXT, 0
        if tag == "span" and "details" in cls and self.cap is not None and self.cap is not m.text:
            return _SKIP, 0  # the date of a forward, "via @bot" in a name
        if tag == "a" and m.text is not None and self.cap is m.text:
            href = _attr(attrs, "href")
            if href:
                m.links.append(href)
                return _ANCHOR, len(m.text)
        return _NONE, 0

    def _void(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.cap is None:
            return
        if tag == "br":
            self.handle_data("\n")
        elif tag == "img":
            alt = _attr(attrs, "alt")
            if alt:
                self.handle_data(alt)

    def _pagination(self, attrs: list[tuple[str, str | None]]) -> None:
        href = _attr(attrs, "href") or ""
        target = part_number(href)
        here = self.chat.part_index
        if target is not None and target > (part_number(self.chat.part) or 1):
            self.chat.next_links[here] = href.rsplit("/", 1)[-1]

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        if self.overflow:
            self.overflow -= 1
            return
        stack = self.stack
        for i in range(len(stack) - 1, -1, -1):
            if stack[i][0] == tag:
                break
        else:
            return  # a stray end tag closes nothing
        while len(stack) > i:
            self._pop()

    def _pop(self) -> None:
        _, role, saved, extra = self.stack.pop()
        m = self.msg
        if role == _ANCHOR and m is not None and m.text is not None:
            href = m.links.pop()
            visible = "".join(m.text[extra:])
            if not _implied(href, visible):
                m.links.append(href)
        elif role == _HEADER:
            self.header -= 1
        elif role == _TITLE and self.cap is not None:
            self.chat.title = clean_name(" ".join("".join(self.cap).split())) or None
        elif role == _FWD:
            self.fwd -= 1
        elif role == _MEDIA:
            self.media -= 1
        self.cap = saved
        if role == _MESSAGE:
            self._close_message()

    def _close_message(self) -> None:
        m = self.msg
        self.msg = None
        self.fwd = self.media = 0
        if m is not None:
            self.chat.add(m)

    def handle_data(self, data: str) -> None:
        cap = self.cap
        if cap is None:
            return
        m = self.msg
        if m is not None:
            if m.budget <= 0:
                m.cut = True
                return
            if len(data) > m.budget:
                data = data[: m.budget]
            m.budget -= len(data)
        elif sum(map(len, cap)) > 4096:
            return  # the page title
        cap.append(data)


def _classes(attrs: list[tuple[str, str | None]]) -> set[str]:
    value = _attr(attrs, "class")
    if not value:
        return set()
    return set(value[:1024].split())


def _attr(attrs: list[tuple[str, str | None]], key: str) -> str | None:
    for k, v in attrs:
        if k == key:
            return v
    return None


def _name(parts: list[str] | None) -> str | None:
    """A sender name as written in from_name: spaces collapsed, " via @bot" dropped."""
    if parts is None:
        return None
    name = " ".join("".join(parts).split())
    at = name.rfind(" via @")
    if at > 0 and name[at + 6 :].replace("_", "a").isalnum():
        name = name[:at]
    return clean_name(name) or None


def _block_text(parts: list[str]) -> str:
    """A text div's content minus tdesktop's layout: a newline after the opening tag and a
    newline plus indentation before the closing one (real line breaks are <br>)."""
    text = "".join(parts)
    if text.startswith("\n"):
        text = text[1:]
    trimmed = text.rstrip(" \t")
    if trimmed.endswith("\n"):
        text = trimmed[:-1]
    return text


def _implied(href: str, visible: str) -> bool:
    """Whether a link's target adds nothing to its text (as the JSON export, which keeps
    ``href`` only for text_link entities): a URL shown as itself, mailto:/tel: of the text,
    a t.me link of an @mention, or no real target (hashtags, emoji, message links)."""
    if not href or href.startswith("#") or not _SCHEME.match(href):
        return True
    if href.lower().startswith("javascript:"):
        return True
    if href == visible or href in (f"mailto:{visible}", f"tel:{visible}"):
        return True
    if visible.startswith("@") and "://" in href:
        return href.rstrip("/").rsplit("/", 1)[-1].casefold() == visible[1:].casefold()
    return False
