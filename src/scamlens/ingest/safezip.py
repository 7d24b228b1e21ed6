"""Reading chat files out of zip archives without trusting the archive.

Guards: the entry count is read from the end record before the directory is parsed; names
that are absolute or climb with ".." refuse the whole archive; encrypted members are refused;
each member is checked against its declared size and compression ratio, and read through a
counting reader that stops at the size cap and the ratio cap whatever the headers claimed.
Nested archives are never opened. Nothing is ever extracted to disk.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO

from scamlens.errors import InputError

from .options import ImportOptions, MiB
from .source import Source, human

CHAT_EXTENSIONS = (".txt", ".json", ".jsonl", ".ndjson", ".csv", ".tsv", ".xml", ".html", ".htm")
ARCHIVE_EXTENSIONS = (".zip", ".gz", ".tgz", ".tar", ".7z", ".rar", ".bz2", ".xz", ".zst")
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_RATIO_FLOOR = MiB  # small members may compress as well as they like


def is_zip(head: bytes) -> bool:
    return head.startswith(ZIP_MAGIC)


def _declared_entries(fh: BinaryIO, size: int) -> int | None:
    """Entry count from the end-of-central-directory record (zip64 aware), or None."""
    tail_len = min(size, 65557)
    fh.seek(size - tail_len)
    tail = fh.read(tail_len)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        return None
    (count,) = struct.unpack_from("<H", tail, at + 10)
    if count != 0xFFFF:
        return int(count)
    loc = at - 20
    if loc < 0 or tail[loc : loc + 4] != b"PK\x06\x07":
        return None
    (offset,) = struct.unpack_from("<Q", tail, loc + 8)
    if offset + 56 > size:
        return None
    fh.seek(offset)
    rec = fh.read(56)
    if rec[:4] != b"PK\x06\x06" or len(rec) < 40:
        return None
    (count64,) = struct.unpack_from("<Q", rec, 32)
    return int(count64)


def unsafe_name(name: str) -> bool:
    norm = name.replace("\\", "/")
    if norm.startswith("/") or (len(norm) > 1 and norm[1] == ":"):
        return True
    return any(part == ".." for part in norm.split("/"))


class _Capped(io.RawIOBase):
    """Counts what a member really inflates to and stops at the size and ratio caps."""

    def __init__(self, inner: BinaryIO, name: str, cap: int, compressed: int, ratio: float) -> None:
        self._inner = inner
        self._name = name
        self._cap = cap
        self._compressed = max(compressed, 1)
        self._ratio = ratio
        self._count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buf: bytearray | memoryview) -> int:  # type: ignore[override]
        try:
            data = self._inner.read(len(buf))
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
            raise InputError(f"damaged zip member: {exc}", self._name) from None
        except RuntimeError as exc:  # zipfile says "encrypted" this way
            raise InputError(f"cannot read zip member: {exc}", self._name) from None
        n = len(data)
        self._count += n
        if self._count > self._cap:
            raise InputError(
                f"zip member inflates past the {human(self._cap)} limit; refusing it",
                self._name,
            )
        if self._count > _RATIO_FLOOR and self._count / self._compressed > self._ratio:
            raise InputError(
                f"zip member inflates more than {self._ratio:g} times its compressed size "
                "(a zip bomb?); refusing it",
                self._name,
            )
        buf[:n] = data
        return n

    def close(self) -> None:
        try:
            self._inner.close()
        finally:
            super().close()


class Archive:
    def __init__(self, zf: zipfile.ZipFile, src: Source, options: ImportOptions) -> None:
        self._zf = zf
        self._src = src
        self._options = options
        self.skipped: list[str] = []  # notes about members not read

    def chat_members(self) -> list[zipfile.ZipInfo]:
        """Members that may hold a chat, in archive order; media and nested archives skipped."""
        out = []
        for info in self._zf.infolist():
            name = info.filename
            base = name.replace("\\", "/").rsplit("/", 1)[-1]
            lower = base.lower()
            if info.is_dir() or name.startswith("__MACOSX/") or base.startswith("._"):
                continue
            if lower.endswith(ARCHIVE_EXTENSIONS):
                self.skipped.append(f"nested archive {name!r} was not opened")
                continue
            if lower.endswith(CHAT_EXTENSIONS):
                out.append(info)
        return out

    def source(self, info: zipfile.ZipInfo) -> Source:
        name = f"{self._src.name}!{info.filename}"
        opts = self._options
        if info.flag_bits & 0x1:
            raise InputError("zip member is encrypted; export it again without a password", name)
        if info.file_size > opts.max_bytes:
            raise InputError(
                f"zip member declares {human(info.file_size)}, over the "
                f"{human(opts.max_bytes)} limit (ImportOptions.max_bytes)",
                name,
            )
        if info.file_size > _RATIO_FLOOR and (
            info.compress_size == 0 or info.file_size / info.compress_size > opts.max_zip_ratio
        ):
            raise InputError(
                f"zip member declares a compression ratio over {opts.max_zip_ratio:g} "
                "(a zip bomb?); refusing it (ImportOptions.max_zip_ratio)",
                name,
            )
        zf = self._zf
        cap = min(opts.max_bytes, max(info.file_size, 0))

        def opener() -> BinaryIO:
            try:
                inner = zf.open(info)
            except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError) as exc:
                raise InputError(f"cannot open zip member: {exc}", name) from None
            raw = _Capped(inner, name, cap, info.compress_size, opts.max_zip_ratio)  # type: ignore[arg-type]
            return io.BufferedReader(raw, 64 * 1024)

        base = info.filename.replace("\\", "/").rsplit("/", 1)[-1]
        return Source(
            name, base, info.file_size, opener, container="zip", archive=self._src.filename
        )


@contextmanager
def open_archive(src: Source, options: ImportOptions) -> Iterator[Archive]:
    fh = src.open()
    try:
        size = src.size if src.size is not None else fh.seek(0, io.SEEK_END)
        count = _declared_entries(fh, size)
        if count is not None and count > options.max_zip_members:
            raise InputError(
                f"zip archive lists {count:,} members, over the {options.max_zip_members:,} "
                "limit (ImportOptions.max_zip_members)",
                src.name,
            )
        fh.seek(0)
        try:
            zf = zipfile.ZipFile(fh)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError) as exc:
            raise InputError(
                f"not a readable zip archive ({exc}): it is damaged or was cut short, as an "
                "interrupted download or upload leaves it; export or download it again, or "
                "unzip it and pass the chat .txt inside",
                src.name,
            ) from None
        with zf:
            infos = zf.infolist()
            if len(infos) > options.max_zip_members:
                raise InputError(
                    f"zip archive holds {len(infos):,} members, over the "
                    f"{options.max_zip_members:,} limit (ImportOptions.max_zip_members)",
                    src.name,
                )
            for info in infos:
                if unsafe_name(info.filename):
                    raise InputError(
                        f"zip member name {info.filename!r} is an absolute path or climbs out "
                        "with '..'; refusing the archive",
                        src.name,
                    )
            yield Archive(zf, src, options)
    finally:
        fh.close()
