"""Where input comes from: a file, bytes, pasted text, or a member of a zip archive.

A Source can be opened more than once (JSON detection peeks, then the parser reads) and
enforces its own size limit, so parsers never need to think about it.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from scamlens.errors import InputError

from .options import ImportOptions

HEAD_BYTES = 64 * 1024


def human(n: int | float) -> str:
    """1536 -> '1.5 KiB'."""
    value = float(n)
    for unit in ("bytes", "KiB", "MiB", "GiB", "TiB"):
        if value < 1024 or unit == "TiB":
            return f"{int(value)} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} TiB"  # pragma: no cover


@dataclass
class Source:
    name: str  # shown in errors: a path, "export.zip!_chat.txt", "<text>"
    filename: str  # base name, for format hints and chat titles
    size: int | None
    opener: Callable[[], BinaryIO]
    text: str | None = None  # input that arrived already decoded (pasted text)
    container: str | None = None  # "zip" for archive members
    archive: str | None = None  # the archive's file name, for members
    _head: bytes | None = None
    path: Path | None = None  # the file on disk (from_path), for exports spread over files

    def open(self) -> BinaryIO:
        return self.opener()

    def head(self) -> bytes:
        """The first 64 KiB (or less), cached."""
        if self._head is None:
            with self.open() as fh:
                self._head = fh.read(HEAD_BYTES)
        return self._head

    def whole(self) -> bool:
        """True when head() holds the entire input."""
        return self.size is not None and self.size <= HEAD_BYTES


def from_path(path: str | os.PathLike[str], options: ImportOptions) -> Source:
    p = Path(path)
    name = str(path)
    try:
        st = p.stat()
    except FileNotFoundError:
        raise InputError("no such file", name) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", name) from None
    if p.is_dir():
        if (p / "messages.html").is_file():  # a Telegram Desktop HTML export folder
            return from_path(p / "messages.html", options)
        raise InputError(
            "is a folder: pass one export file (a .txt, .json, .csv, .xml or .zip)", name
        )
    if not p.is_file():
        raise InputError("is not a regular file", name)
    if st.st_size == 0:
        raise InputError("the file is empty", name)
    try:
        with open(p, "rb"):
            pass
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", name) from None
    return Source(name, p.name, st.st_size, lambda: open(p, "rb"), path=p)


def from_bytes(data: bytes, name: str) -> Source:
    if not data:
        raise InputError("the input is empty", name)
    return Source(name, Path(name).name, len(data), lambda: io.BytesIO(data))


def from_text(text: str, name: str) -> Source:
    if not text.strip():
        raise InputError("the input is empty", name)
    data = text.encode("utf-8", "replace")  # lone surrogates become '?'
    return Source(name, Path(name).name, len(data), lambda: io.BytesIO(data), text=text)


def check_size(src: Source, limit: int, what: str, option: str) -> None:
    if src.size is not None and src.size > limit:
        raise InputError(
            f"{what} is {human(src.size)}, over the {human(limit)} limit "
            f"(raise ImportOptions.{option} to allow it)",
            src.name,
        )
