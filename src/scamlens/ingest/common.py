"""Pieces every parser shares: the draft message, the raw chat, warnings, text clean-up."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any

from scamlens.model import MessageKind

from .options import ImportOptions

# A message before the user is known: (sender, text, timestamp, kind, attachments,
# source_line, is_user hint). A plain tuple keeps large imports fast and small.
Draft = tuple[
    str | None, str, datetime | None, MessageKind, tuple[str, ...], int | None, bool | None
]

TEXT = MessageKind.TEXT
MEDIA = MessageKind.MEDIA
SYSTEM = MessageKind.SYSTEM
CALL = MessageKind.CALL
DELETED = MessageKind.DELETED

# Direction marks and embedding controls that exports wrap around names and phone numbers.
_NAME_CONTROLS = dict.fromkeys(
    [0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069,
     0xFEFF, 0x0000]
)  # fmt: skip


class Notes:
    """Non-fatal import warnings, aggregated so a million bad lines make one line of output."""

    def __init__(self, limit: int = 50) -> None:
        self._limit = limit
        self._order: list[str] = []
        self._counts: dict[str, int] = {}
        self._first: dict[str, str] = {}

    def add(self, text: str) -> None:
        """A one-off note, kept as written."""
        self.count(text, "")

    def count(self, what: str, where: str | int | None = None) -> None:
        """One more occurrence of `what`; `where` (line or key) of the first one is kept."""
        if what not in self._counts:
            if len(self._order) >= self._limit:
                what = "more warnings were dropped"
                if what not in self._counts:
                    self._order.append(what)
                    self._counts[what] = 0
                self._counts[what] += 1
                return
            self._order.append(what)
            self._counts[what] = 0
            if where is not None and where != "":
                self._first[what] = f"line {where}" if isinstance(where, int) else str(where)
        self._counts[what] += 1

    def extend(self, other: Notes) -> None:
        for what in other._order:
            n = other._counts[what]
            first = other._first.get(what)
            if what not in self._counts:
                if len(self._order) >= self._limit:
                    continue
                self._order.append(what)
                self._counts[what] = 0
                if first:
                    self._first[what] = first
            self._counts[what] += n

    def lines(self) -> tuple[str, ...]:
        out = []
        for what in self._order:
            n = self._counts[what]
            first = self._first.get(what)
            text = what
            if n > 1:
                text = f"{what} ({n} times" + (f", first at {first})" if first else ")")
            elif first:
                text = f"{what} (at {first})"
            out.append(text)
        return tuple(out)

    def __bool__(self) -> bool:
        return bool(self._order)


@dataclass
class Context:
    """What one parse needs besides the input: options, zone, and where to put warnings."""

    options: ImportOptions
    tz: tzinfo | None
    notes: Notes
    name: str = "<input>"  # the input's name, for errors
    explicit_format: bool = False  # the caller named the format (no platform guessing)

    @classmethod
    def make(cls, options: ImportOptions, name: str = "<input>") -> Context:
        return cls(options, options.resolved_timezone(), Notes(options.max_warnings), name)

    def fresh(self) -> Context:
        """Same options and zone, new warnings (one Context per conversation's notes)."""
        notes = Notes(self.options.max_warnings)
        return Context(self.options, self.tz, notes, self.name, self.explicit_format)

    def clean(self, text: str, where: str | int | None = None) -> str:
        """Strip NULs and cut over-long messages, with warnings. Everything else is kept."""
        if "\x00" in text:
            text = text.replace("\x00", "")
            self.notes.count("NUL characters were removed", where)
        cap = self.options.max_message_chars
        if len(text) > cap:
            text = text[:cap]
            self.notes.count(f"a message longer than {cap:,} characters was cut", where)
        return text

    def local(self, dt: datetime) -> datetime:
        """Attach the chosen zone to a naive timestamp (keeps it naive when none was chosen)."""
        if dt.tzinfo is None and self.tz is not None:
            return dt.replace(tzinfo=self.tz)
        return dt


@dataclass
class RawChat:
    """One conversation as a parser found it, before the user is decided."""

    drafts: list[Any]  # list[Draft]; turned into Message objects in place by build.finish
    source_format: str
    platform: str | None
    title: str | None = None
    participants: list[str] = field(default_factory=list)  # as the export declares them
    owner: str | None = None  # the user, when the export itself says so
    owner_method: str = ""  # "heuristic:<why>" for owner
    other_party: str | None = None  # the export names the other person of a 1:1 chat
    placeholder: str | None = None  # owner shown under a stand-in name ("Me" in SMS)
    aliases: dict[str, str] = field(default_factory=dict)  # folded alias -> sender name
    notes: Notes = field(default_factory=Notes)
    source_path: str | None = None


def clean_name(name: str) -> str:
    """A sender or participant name as an identifier: no direction marks, trimmed."""
    if not name.isascii():
        name = name.translate(_NAME_CONTROLS)
    return name.strip()


def name_key(name: str) -> str:
    """Case- and space-insensitive key for matching names (used for --me)."""
    return " ".join(clean_name(name).casefold().split())
