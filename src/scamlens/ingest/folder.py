"""The chat inputs of a folder: what `scamlens scan FOLDER` and the campaign loader read.

Every file under the folder is a possible export, except that a Telegram Desktop HTML export
folder (messages.html, then messages2.html... beside css/, js/, images/, photos/) is one chat:
`load_chats` on the folder reads its parts in order, so the folder is one input and is not
entered. Hidden files and folders are skipped; linked folders are not followed (as with
`Path.rglob`), since one could loop back.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from scamlens.errors import InputError

# Files that travel with exports (media, page assets, documents, contact cards) and are never
# a chat. The importers would refuse most of them, but a small image or a stylesheet can read
# as pasted text, one "message" per line.
NOT_CHAT_SUFFIXES = frozenset(
    {
        # images and stickers
        ".jpg", ".jpeg", ".png", ".gif", ".webp", ".heic", ".heif", ".bmp", ".tif", ".tiff",
        ".svg", ".ico", ".tgs",
        # video and audio
        ".mp4", ".mov", ".m4v", ".avi", ".mkv", ".webm", ".3gp", ".mp3", ".m4a", ".ogg",
        ".oga", ".opus", ".wav", ".aac", ".amr", ".flac",
        # web page assets
        ".css", ".js", ".map", ".woff", ".woff2", ".ttf", ".otf", ".eot",
        # documents and contact cards
        ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".rtf", ".vcf",
    }
)  # fmt: skip


def is_export_folder(path: str | os.PathLike[str]) -> bool:
    """True for a Telegram Desktop HTML export folder (it holds messages.html)."""
    return (Path(path) / "messages.html").is_file()


def folder_inputs(folder: str | os.PathLike[str], *, chats_only: bool = False) -> list[Path]:
    """The inputs in a folder, recursively, in sorted order: files, and export folders whole
    (see the module docstring); pass each to `load_chats`. A folder that is itself an export
    gives `[folder]`. `chats_only` also leaves out media, page assets and documents
    (`NOT_CHAT_SUFFIXES`); without it every file is listed, as `scamlens scan` reports each.
    An unreadable folder is an InputError naming it."""
    root = Path(folder)
    if is_export_folder(root):
        return [root]
    found: list[Path] = []
    # Depth first in sorted order, files and subfolders interleaved; a stack of listings
    # rather than recursion, so a very deep tree cannot exhaust Python's stack.
    stack: list[Iterator[Path]] = [_listing(root)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
        elif child.name.startswith("."):
            continue
        elif child.is_dir():
            if child.is_symlink():  # as rglob: a linked folder could loop back
                continue
            if is_export_folder(child):
                found.append(child)
            else:
                stack.append(_listing(child))
        elif child.is_file() and not (chats_only and child.suffix.lower() in NOT_CHAT_SUFFIXES):
            found.append(child)
    return found


def _listing(folder: Path) -> Iterator[Path]:
    try:
        return iter(sorted(folder.iterdir()))
    except OSError as exc:
        raise InputError(f"cannot read this folder ({exc.strerror or exc})", str(folder)) from None
