"""Chat-export import: files, archives and pasted text -> ``Conversation`` objects.

Formats (``FORMATS`` has the ids and one line each) are detected from content: WhatsApp
(Android, iOS, zip), Telegram JSON (one chat or the full export) and Telegram Desktop HTML
(messages.html, the export folder or its zip), Messenger and Instagram
JSON, LINE text, SMS Backup & Restore XML, DiscordChatExporter JSON, LinkedIn
messages.csv, generic CSV/JSONL/JSON records, and pasted text with or without names.
``folder_inputs(folder)`` lists what to pass to ``load_chats`` for a folder of exports (a
Telegram HTML export folder is one input).

Text formats are streamed line by line (bounded memory, up to ``ImportOptions.max_bytes``,
2 GiB by default); JSON exports are loaded whole up to ``max_json_bytes`` (512 MiB). Bad
input raises ``InputError`` (or ``UnknownFormatError``) naming the file and line or JSON key;
non-fatal problems (bad bytes, NULs, cut messages, guessed date order or encoding) are listed
in ``Conversation.warnings``.

Which participant is the user (``Conversation.me``, ``me_method``, ``Message.is_user``):

1. ``me=NAME`` wins, matched case-insensitively to a participant, sender or alias; a name
   found in no chat is an error that lists the participants (``me_method="--me"``).
2. The export's own signal: SMS ``type``/``msg_box`` sent; Telegram full export
   ``personal_information`` (its user id matched to ``from_id``); WhatsApp "You deleted this
   message" under a sender, or a sender literally named "You"; LinkedIn ``FOLDER`` SENT; a
   generic ``is_user``/``from_me`` column.
3. In a multi-thread export (Messenger/Instagram archive, LinkedIn, Telegram full export),
   the single participant present in every thread.
4. In a one-to-one chat whose export names the other person (WhatsApp file name "WhatsApp
   Chat with X", Telegram personal chat ``name``, Messenger/Instagram ``title``, LINE header,
   Discord DM channel), the other participant.
5. A sender literally named "Me"/"You"/"我".

Otherwise the user stays unknown (``me_method="unknown"``). Heuristic choices are reported as
``me_method="heuristic:<why>"``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from scamlens.errors import InputError, ScamlensError
from scamlens.model import Conversation

from . import core
from .detect import FORMATS, normalize
from .folder import folder_inputs
from .options import ColumnMap, ImportOptions
from .source import Source, from_bytes, from_path, from_text

__all__ = [
    "FORMATS",
    "ColumnMap",
    "ImportOptions",
    "detect_format",
    "folder_inputs",
    "load_bytes",
    "load_chat",
    "load_chats",
    "parse_text",
]


@contextmanager
def _guard(name: str) -> Iterator[None]:
    """Anything but a ScamlensError here is a bug; the user still gets a clean message."""
    try:
        yield
    except ScamlensError:
        raise
    except MemoryError:
        raise InputError("ran out of memory reading this input; it is too large", name) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", name) from exc
    except Exception as exc:
        raise InputError(
            f"could not import this input: unexpected {type(exc).__name__} "
            "(a bug in scamlens; please report it with the file's format, not its content)",
            name,
        ) from exc


def load_chats(
    path: str | Path,
    *,
    fmt: str | None = None,
    me: str | None = None,
    options: ImportOptions | None = None,
) -> list[Conversation]:
    """Every conversation in an export file or archive. A folder is an error, except a
    Telegram HTML export folder (see ``folder_inputs`` for a folder of exports)."""
    opts = options or ImportOptions()
    name = str(path)
    with _guard(name):
        return core.load(from_path(path, opts), opts, fmt, me)


def load_chat(
    path: str | Path,
    *,
    fmt: str | None = None,
    me: str | None = None,
    options: ImportOptions | None = None,
) -> Conversation:
    """Exactly one conversation; an export holding several is an error."""
    chats = load_chats(path, fmt=fmt, me=me, options=options)
    return _one(chats, str(path))


def load_bytes(
    data: bytes,
    *,
    name: str = "<upload>",
    fmt: str | None = None,
    me: str | None = None,
    options: ImportOptions | None = None,
) -> list[Conversation]:
    """Like load_chats, for an upload held in memory (zip archives and UTF-16 included)."""
    opts = options or ImportOptions()
    with _guard(name):
        return core.load(from_bytes(data, name), opts, fmt, me)


def load_records(
    records: Any,
    *,
    name: str = "<records>",
    me: str | None = None,
    options: ImportOptions | None = None,
    messages: bool = False,
) -> list[Conversation]:
    """Like load_bytes with ``fmt="json"``, for message records already decoded: a list of
    objects, or an object whose "messages" is one (what ``json.loads`` of such a file gives).

    Same field guessing, timestamp and user rules, warnings and errors; only the size cap on
    the encoded file (``max_json_bytes``) is the caller's business, as there is no file.
    ``messages=True``: `records` is a list of rows already validated as the service's
    messages (objects with attributes sender, text, timestamp, is_user; None counts as
    absent), read by a quicker fixed-field loop with the same result.
    (Not in ``__all__`` yet: tests/ingest/test_api.py pins that list.)
    """
    opts = options or ImportOptions()
    with _guard(name):
        return core.load_records(records, opts, me, name, messages=messages)


def parse_text(
    text: str,
    *,
    fmt: str | None = None,
    me: str | None = None,
    name: str = "<text>",
    options: ImportOptions | None = None,
) -> list[Conversation]:
    """Conversations from text already in memory (pasted, or sent to an API)."""
    opts = options or ImportOptions()
    with _guard(name):
        if len(text) > opts.max_bytes:
            raise InputError(f"the text is over the {opts.max_bytes:,}-byte limit", name)
        return core.load(from_text(text, name), opts, fmt, me)


def detect_format(
    path_or_bytes: str | Path | bytes, *, options: ImportOptions | None = None
) -> str:
    """The format id of a file or of bytes ("whatsapp-zip" for WhatsApp archives).

    Raises UnknownFormatError (listing the formats tried) when nothing fits.
    """
    opts = options or ImportOptions()
    if isinstance(path_or_bytes, bytes):
        src: Source = from_bytes(path_or_bytes, "<bytes>")
    else:
        src = from_path(path_or_bytes, opts)
    with _guard(src.name):
        return core.detect_format(src, opts)


def _one(chats: list[Conversation], name: str) -> Conversation:
    if len(chats) == 1:
        return chats[0]
    titles = ", ".join(repr(c.title or "(untitled)") for c in chats[:10])
    more = f" and {len(chats) - 10} more" if len(chats) > 10 else ""
    raise InputError(
        f"this export holds {len(chats)} conversations ({titles}{more}); pick one "
        "(export that chat alone) or use load_chats to get them all",
        name,
    )


def supported_format(fmt: str) -> str:
    """The canonical id for a format name or alias (InputError if unknown)."""
    return normalize(fmt)
