"""Photo reuse: perceptual hashes of profile photos and an index of photos seen or reported.

Hashing: the photo is decoded under limits (file size, pixel count, decompression bombs),
turned upright (EXIF), made grey and shrunk to 512 px; then a pHash and a dHash (64 bits each)
are taken of the whole picture and of nine crops that each drop 10 % (the centre, each side,
each corner). A resized, re-encoded (JPEG), brightened or lightly watermarked copy keeps its
hashes within a few bits; a cropped copy lands close to one of the crops.

Matching: the query's whole-picture hash against every stored variant, and the query's crops
against every stored whole picture. A pair matches when the pHash is within `P_MAX` bits, the
dHash within `D_MAX` and both together within `SUM_MAX` (vectorised scan, see hamming.py).

Storage: SQLite (`photos.db` in the scamlens data directory, or `:memory:`). Photo URLs are
never fetched: they are stored and compared as normalised strings only.
"""

from __future__ import annotations

import hashlib
import io
import re
import sqlite3
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from scamlens.errors import InputError
from scamlens.profiles.hamming import HammingTable, Limits

MAX_PHOTO_BYTES = 30 * 1024 * 1024
MAX_PIXELS = 40_000_000  # decoded size limit; Pillow's own bomb check is also an error here
FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "BMP")
THUMB = 512
CROP = 0.10
P_MAX = 14
D_MAX = 14
SUM_MAX = 24
STRONG_SUM = 12  # at or below: as good as the same picture
HASH_SCHEME = "phash8+dhash8;grey;thumb512;crop10x9;v1"
SCHEMA_VERSION = "1"
LABEL_RE = re.compile(r"[a-z0-9_-]{1,32}")


class PhotoError(InputError):
    """A photo that cannot be read safely, or a photo index that cannot be used."""


@dataclass(frozen=True, slots=True)
class PhotoHashes:
    sha256: str  # of the file bytes
    width: int
    height: int
    variants: tuple[tuple[int, int], ...]  # (phash, dhash); [0] is the whole picture


@dataclass(frozen=True, slots=True)
class PhotoEntry:
    id: int
    label: str
    account: str | None
    source: str | None
    sha256: str | None
    url: str | None
    note: str | None
    added_at: str


@dataclass(frozen=True, slots=True)
class PhotoMatch:
    entry: PhotoEntry
    phash_distance: int
    dhash_distance: int
    how: str  # "same file", "same url", "whole", "crop"

    @property
    def similarity(self) -> float:
        """1.0 for the same picture, falling to 0.5 at the match limit."""
        total = self.phash_distance + self.dhash_distance
        if total <= STRONG_SUM:
            return 1.0
        return round(1.0 - 0.5 * (total - STRONG_SUM) / (SUM_MAX - STRONG_SUM), 4)


# -- decoding and hashing ---------------------------------------------------------------------


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_PHOTO_BYTES:
            raise PhotoError(f"photo larger than {MAX_PHOTO_BYTES // (1024 * 1024)} MiB", str(path))
        with path.open("rb") as fh:
            data = fh.read(MAX_PHOTO_BYTES + 1)
    except OSError as exc:
        raise PhotoError(f"cannot read photo ({exc.strerror or exc})", str(path)) from exc
    if len(data) > MAX_PHOTO_BYTES:
        raise PhotoError(f"photo larger than {MAX_PHOTO_BYTES // (1024 * 1024)} MiB", str(path))
    return data


def decode(data: bytes, name: str = "<photo>") -> Any:
    """A safely decoded greyscale image (PIL.Image.Image), upright, at most THUMB px a side."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            # Pillow warns at MAX_IMAGE_PIXELS and raises at twice that: both are errors here.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data), formats=FORMATS)
            width, height = img.size
            if width <= 0 or height <= 0 or width * height > MAX_PIXELS:
                raise PhotoError(
                    f"image of {width}x{height} pixels is over the {MAX_PIXELS:,} pixel limit "
                    "(possible decompression bomb)",
                    name,
                )
            img.draft("L", (THUMB * 2, THUMB * 2))  # JPEG: decode at a reduced scale
            upright: Any = ImageOps.exif_transpose(img) or img
            grey = upright.convert("L")
            grey.thumbnail((THUMB, THUMB))
            return grey
    except PhotoError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise PhotoError(f"refused a possible decompression bomb ({exc})", name) from exc
    except UnidentifiedImageError as exc:
        raise PhotoError(
            f"not an image in a supported format ({', '.join(FORMATS)})", name
        ) from exc
    except Exception as exc:  # Pillow raises many types on hostile files; all mean "unreadable"
        raise PhotoError(f"broken or truncated image ({type(exc).__name__}: {exc})", name) from exc


def _crop_boxes(width: int, height: int) -> list[tuple[int, int, int, int]]:
    dx, dy = int(width * CROP), int(height * CROP)
    hx, hy = dx // 2, dy // 2
    w, h = width, height
    return [
        (0, 0, w, h),
        (hx, hy, w - hx, h - hy),
        (0, 0, w - dx, h),
        (dx, 0, w, h),
        (0, 0, w, h - dy),
        (0, dy, w, h),
        (0, 0, w - dx, h - dy),
        (dx, 0, w, h - dy),
        (0, dy, w - dx, h),
        (dx, dy, w, h),
    ]


def hash_image(grey: Any, sha256: str = "") -> PhotoHashes:
    import imagehash

    width, height = grey.size
    variants = []
    for box in _crop_boxes(width, height):
        part = grey.crop(box)
        variants.append((int(str(imagehash.phash(part)), 16), int(str(imagehash.dhash(part)), 16)))
    return PhotoHashes(sha256, width, height, tuple(variants))


def hash_bytes(data: bytes, name: str = "<photo>") -> PhotoHashes:
    return hash_image(decode(data, name), hashlib.sha256(data).hexdigest())


def hash_file(path: str | Path) -> PhotoHashes:
    p = Path(path)
    return hash_bytes(_read_bytes(p), str(p))


def normalize_url(url: str) -> str:
    """A URL as a comparable string: trimmed, scheme and host lower-cased, fragment dropped."""
    text = url.strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return text
    if not parts.scheme or not parts.netloc:
        return text
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path, parts.query, ""))


def is_url(value: str) -> bool:
    return bool(re.match(r"(?i)^[a-z][a-z0-9+.-]*://", value.strip()))


# -- the index --------------------------------------------------------------------------------

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS photos (
  id INTEGER PRIMARY KEY,
  label TEXT NOT NULL,
  account TEXT,
  source TEXT,
  sha256 TEXT,
  url TEXT,
  width INTEGER,
  height INTEGER,
  note TEXT,
  added_at TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS photos_key
  ON photos (COALESCE(sha256, ''), COALESCE(url, ''), label, COALESCE(account, ''));
CREATE INDEX IF NOT EXISTS photos_url ON photos (url);
CREATE INDEX IF NOT EXISTS photos_sha ON photos (sha256);
CREATE TABLE IF NOT EXISTS photo_hashes (
  photo_id INTEGER NOT NULL REFERENCES photos (id) ON DELETE CASCADE,
  variant INTEGER NOT NULL,
  phash INTEGER NOT NULL,
  dhash INTEGER NOT NULL,
  PRIMARY KEY (photo_id, variant)
);
"""
_COLUMNS = "id, label, account, source, sha256, url, note, added_at"


def _signed(v: int) -> int:
    return v - (1 << 64) if v >= 1 << 63 else v


def _unsigned(v: int) -> int:
    return v + (1 << 64) if v < 0 else v


def default_photo_db() -> Path:
    """photos.db in the scamlens data directory ($SCAMLENS_HOME or the XDG data home)."""
    from scamlens.intel.paths import data_dir

    return data_dir() / "photos.db"


class PhotoIndex:
    """Photos seen on other accounts or reported, looked up by perceptual hash or URL."""

    def __init__(self, conn: sqlite3.Connection, where: str) -> None:
        self._conn = conn
        self.where = where
        # (every variant, whole pictures only), loaded on the first lookup
        self._tables: tuple[HammingTable, HammingTable] | None = None
        self._entries: dict[int, PhotoEntry] = {}

    @classmethod
    def open(cls, path: str | Path | None = None) -> PhotoIndex:
        """Open (creating) the index at `path`; default `default_photo_db()`; ":memory:" for a
        throw-away index."""
        if path is None:
            path = default_photo_db()
        where = str(path)
        if where != ":memory:":
            p = Path(path)
            try:
                p.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise PhotoError(f"cannot create the folder ({exc.strerror})", str(p)) from exc
        try:
            conn = sqlite3.connect(where)
            conn.execute("PRAGMA foreign_keys = ON")
            conn.executescript(_SCHEMA)
            cls._check_meta(conn, where)
        except sqlite3.DatabaseError as exc:
            raise PhotoError(f"not a usable photo index ({exc})", where) from exc
        return cls(conn, where)

    @classmethod
    def memory(cls) -> PhotoIndex:
        return cls.open(":memory:")

    @staticmethod
    def _check_meta(conn: sqlite3.Connection, where: str) -> None:
        rows = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        if not rows:
            with conn:
                conn.executemany(
                    "INSERT INTO meta (key, value) VALUES (?, ?)",
                    [("schema", SCHEMA_VERSION), ("hash", HASH_SCHEME)],
                )
            return
        if rows.get("hash") != HASH_SCHEME or rows.get("schema") != SCHEMA_VERSION:
            raise PhotoError(
                f"photo index built with other settings ({rows.get('hash')}, schema "
                f"{rows.get('schema')}); this version uses {HASH_SCHEME}: re-add the photos",
                where,
            )

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> PhotoIndex:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __len__(self) -> int:
        return int(self._conn.execute("SELECT COUNT(*) FROM photos").fetchone()[0])

    # -- adding -------------------------------------------------------------------------------

    @staticmethod
    def _label(label: str) -> str:
        if not LABEL_RE.fullmatch(label):
            raise PhotoError(f"label must be 1-32 characters of [a-z0-9_-], got {label!r}")
        return label

    def add_hashes(
        self,
        hashes: PhotoHashes,
        *,
        label: str,
        account: str | None = None,
        source: str | None = None,
        note: str | None = None,
    ) -> PhotoEntry:
        """File a hashed photo; the same file with the same label and account is kept once."""
        label = self._label(label)
        existing = self._conn.execute(
            f"SELECT {_COLUMNS} FROM photos WHERE sha256 = ? AND url IS NULL AND label = ? "
            "AND COALESCE(account, '') = ?",
            (hashes.sha256, label, account or ""),
        ).fetchone()
        if existing is not None and hashes.sha256:
            return PhotoEntry(*existing)
        now = datetime.now(UTC).replace(microsecond=0).isoformat()
        with self._conn:
            cur = self._conn.execute(
                "INSERT INTO photos (label, account, source, sha256, url, width, height, note, "
                "added_at) VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?)",
                (
                    label,
                    account,
                    source,
                    hashes.sha256 or None,
                    hashes.width,
                    hashes.height,
                    note,
                    now,
                ),
            )
            pid = int(cur.lastrowid or 0)
            self._conn.executemany(
                "INSERT INTO photo_hashes (photo_id, variant, phash, dhash) VALUES (?, ?, ?, ?)",
                [(pid, i, _signed(p), _signed(d)) for i, (p, d) in enumerate(hashes.variants)],
            )
        entry = PhotoEntry(pid, label, account, source, hashes.sha256 or None, None, note, now)
        if self._tables is not None:
            self._tables[0].add(pid, hashes.variants)
            self._tables[1].add(pid, hashes.variants[:1])
        self._entries[pid] = entry
        return entry

    def add_file(
        self,
        path: str | Path,
        *,
        label: str,
        account: str | None = None,
        note: str | None = None,
    ) -> PhotoEntry:
        p = Path(path)
        return self.add_hashes(hash_file(p), label=label, account=account, source=p.name, note=note)

    def add_url(
        self, url: str, *, label: str, account: str | None = None, note: str | None = None
    ) -> PhotoEntry:
        """File a photo URL (compared as a string only; never fetched)."""
        label = self._label(label)
        norm = normalize_url(url)
        if not norm or len(norm) > 4096:
            raise PhotoError("photo URL is empty or longer than 4096 characters")
        row = self._conn.execute(
            f"SELECT {_COLUMNS} FROM photos WHERE url = ? AND label = ? "
            "AND COALESCE(account, '') = ?",
            (norm, label, account or ""),
        ).fetchone()
        if row is not None:
            return PhotoEntry(*row)
        now = datetime.now(UTC).replace(microsecond=0).isoformat()
        with self._conn:
            cur = self._conn.execute(
                "INSERT INTO photos (label, account, source, url, note, added_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (label, account, norm, norm, note, now),
            )
        return PhotoEntry(int(cur.lastrowid or 0), label, account, norm, None, norm, note, now)

    # -- looking up ---------------------------------------------------------------------------

    def _ensure_tables(self) -> tuple[HammingTable, HammingTable]:
        if self._tables is None:
            every, whole = HammingTable(), HammingTable()
            rows = self._conn.execute(
                "SELECT photo_id, variant, phash, dhash FROM photo_hashes "
                "ORDER BY photo_id, variant"
            )
            current: int | None = None
            variants: list[tuple[int, int]] = []
            for pid, _variant, p, d in [*rows, (None, 0, 0, 0)]:
                if pid != current and current is not None:
                    every.add(current, variants)
                    whole.add(current, variants[:1])
                    variants = []
                if pid is None:
                    break
                current = int(pid)
                variants.append((_unsigned(int(p)), _unsigned(int(d))))
            self._tables = (every, whole)
        return self._tables

    def _entry(self, pid: int) -> PhotoEntry:
        entry = self._entries.get(pid)
        if entry is None:
            row = self._conn.execute(f"SELECT {_COLUMNS} FROM photos WHERE id = ?", (pid,))
            entry = PhotoEntry(*row.fetchone())
            self._entries[pid] = entry
        return entry

    def check_hashes(
        self, hashes: PhotoHashes, *, exclude_account: str | None = None
    ) -> list[PhotoMatch]:
        """Stored photos that match, best first, one match per stored photo."""
        every, whole = self._ensure_tables()
        best: dict[int, tuple[int, int, str]] = {}
        limits = Limits(P_MAX, D_MAX, SUM_MAX)

        def consider(pid: int, dp: int, dd: int, how: str) -> None:
            old = best.get(pid)
            if old is None or dp + dd < old[0] + old[1]:
                best[pid] = (dp, dd, how)

        p0, d0 = hashes.variants[0]
        for pid, variant, dp, dd in every.search(p0, d0, limits):
            consider(pid, dp, dd, "whole" if variant == 0 else "crop")
        for p, d in hashes.variants[1:]:
            for pid, _variant, dp, dd in whole.search(p, d, limits):
                consider(pid, dp, dd, "crop")
        if hashes.sha256:
            for (pid,) in self._conn.execute(
                "SELECT id FROM photos WHERE sha256 = ?", (hashes.sha256,)
            ):
                best[int(pid)] = (0, 0, "same file")
        out = []
        for pid, (dp, dd, how) in best.items():
            entry = self._entry(pid)
            if exclude_account is not None and entry.account == exclude_account:
                continue
            out.append(PhotoMatch(entry, dp, dd, how))
        out.sort(key=lambda m: (m.phash_distance + m.dhash_distance, m.entry.id))
        return out

    def check_file(
        self, path: str | Path, *, exclude_account: str | None = None
    ) -> list[PhotoMatch]:
        return self.check_hashes(hash_file(path), exclude_account=exclude_account)

    def check_url(self, url: str, *, exclude_account: str | None = None) -> list[PhotoMatch]:
        rows = self._conn.execute(
            f"SELECT {_COLUMNS} FROM photos WHERE url = ? ORDER BY id", (normalize_url(url),)
        ).fetchall()
        return [
            PhotoMatch(PhotoEntry(*r), 0, 0, "same url")
            for r in rows
            if exclude_account is None or r[2] != exclude_account
        ]

    def entries(self, labels: Iterable[str] | None = None) -> list[PhotoEntry]:
        rows = self._conn.execute(f"SELECT {_COLUMNS} FROM photos ORDER BY id").fetchall()
        wanted = set(labels) if labels is not None else None
        return [PhotoEntry(*r) for r in rows if wanted is None or r[1] in wanted]
