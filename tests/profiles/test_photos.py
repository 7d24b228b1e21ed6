"""Photo reuse: transformed copies match, unrelated photos do not, bad images fail clearly."""

from __future__ import annotations

import io
import random
import struct
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from scamlens.errors import InputError
from scamlens.profiles.hamming import HammingTable, Limits, hamming
from scamlens.profiles.photos import (
    MAX_PIXELS,
    PhotoError,
    PhotoIndex,
    hash_bytes,
    hash_file,
    normalize_url,
)

from .imaging import TRANSFORMS, encode, synth_photo

SEEDS = range(8)
UNRELATED = range(100, 140)


@pytest.fixture(scope="module")
def index() -> PhotoIndex:
    idx = PhotoIndex.memory()
    for seed in SEEDS:
        idx.add_hashes(
            hash_bytes(encode(synth_photo(seed))), label="reported", account=f"acc{seed}"
        )
    return idx


@pytest.mark.parametrize("name", list(TRANSFORMS))
@pytest.mark.parametrize("seed", SEEDS)
def test_transformed_copy_matches(index: PhotoIndex, name: str, seed: int) -> None:
    copy = TRANSFORMS[name](synth_photo(seed))
    matches = index.check_hashes(hash_bytes(encode(copy, "JPEG", 85)))
    assert matches, f"{name} of photo {seed} found no match"
    assert matches[0].entry.account == f"acc{seed}"
    assert 0.5 <= matches[0].similarity <= 1.0


def test_unrelated_photos_do_not_match(index: PhotoIndex) -> None:
    for seed in UNRELATED:
        assert index.check_hashes(hash_bytes(encode(synth_photo(seed)))) == [], seed


def test_the_original_in_a_transformed_index_matches() -> None:
    # The reported copy is the cropped one; the profile uses the full picture.
    idx = PhotoIndex.memory()
    original = synth_photo(3)
    idx.add_hashes(hash_bytes(encode(TRANSFORMS["crop-10%-right"](original))), label="reported")
    assert idx.check_hashes(hash_bytes(encode(original)))


def test_same_bytes_is_an_exact_match(tmp_path: Path) -> None:
    path = tmp_path / "p.png"
    path.write_bytes(encode(synth_photo(1)))
    idx = PhotoIndex.memory()
    idx.add_file(path, label="reported")
    (m,) = idx.check_file(path)
    assert m.how == "same file" and m.similarity == 1.0


def test_index_persists_and_dedupes(tmp_path: Path) -> None:
    db = tmp_path / "sub" / "photos.db"
    photo = tmp_path / "p.jpg"
    photo.write_bytes(encode(synth_photo(2), "JPEG"))
    with PhotoIndex.open(db) as idx:
        first = idx.add_file(photo, label="reported", account="a1", note="from a victim")
        again = idx.add_file(photo, label="reported", account="a1")
        assert first.id == again.id and len(idx) == 1
    with PhotoIndex.open(db) as idx:
        (m,) = idx.check_file(photo)
        assert m.entry.note == "from a victim" and m.entry.source == "p.jpg"


def test_urls_are_compared_as_strings_only() -> None:
    idx = PhotoIndex.memory()
    idx.add_url("HTTPS://CDN.Example.com/a/photo.jpg#frag", label="reported", account="x")
    assert idx.check_url("https://cdn.example.com/a/photo.jpg")
    assert not idx.check_url("https://cdn.example.com/a/PHOTO.jpg")  # paths keep their case
    assert normalize_url(" https://A.b/c?d=1 ") == "https://a.b/c?d=1"


def test_bad_label_is_refused() -> None:
    with pytest.raises(PhotoError, match="label"):
        PhotoIndex.memory().add_url("https://a.b/c.jpg", label="Not Valid!")


def test_not_an_image_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.jpg"
    path.write_text("not a picture")
    with pytest.raises(PhotoError, match="not an image") as info:
        hash_file(path)
    assert isinstance(info.value, InputError) and str(path) in str(info.value)


def test_truncated_image_is_a_clear_error() -> None:
    data = encode(synth_photo(1), "JPEG")
    with pytest.raises(PhotoError):
        hash_bytes(data[: len(data) // 3])


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(PhotoError, match="cannot read"):
        hash_file(tmp_path / "nope.png")


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims a huge size (a decompression bomb) without the pixel data."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 16)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


@pytest.mark.parametrize("side", [10_000, 30_000, 100_000])
def test_decompression_bomb_is_refused(side: int) -> None:
    assert side * side > MAX_PIXELS
    with pytest.raises(PhotoError, match=r"pixel limit|decompression bomb"):
        hash_bytes(_png_header_only(side, side), "bomb.png")


def test_unsupported_format_is_refused() -> None:
    buf = io.BytesIO()
    Image.new("RGB", (64, 64)).save(buf, "TIFF")
    with pytest.raises(PhotoError, match="supported format"):
        hash_bytes(buf.getvalue())


def test_index_from_other_settings_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "photos.db"
    PhotoIndex.open(db).close()
    import sqlite3

    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE meta SET value = 'other' WHERE key = 'hash'")
    with pytest.raises(PhotoError, match="other settings"):
        PhotoIndex.open(db)


def test_garbage_database_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "photos.db"
    db.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(PhotoError, match="not a usable photo index"):
        PhotoIndex.open(db)


@settings(max_examples=80, deadline=None)
@given(
    rows=st.lists(
        st.tuples(st.integers(0, 2**64 - 1), st.integers(0, 2**64 - 1)), min_size=0, max_size=60
    ),
    query=st.tuples(st.integers(0, 2**64 - 1), st.integers(0, 2**64 - 1)),
    limits=st.tuples(st.integers(0, 64), st.integers(0, 64), st.integers(0, 128)),
)
def test_hamming_table_equals_brute_force(
    rows: list[tuple[int, int]], query: tuple[int, int], limits: tuple[int, int, int]
) -> None:
    table = HammingTable()
    for i, row in enumerate(rows):
        table.add(i, [row])
    lim = Limits(*limits)
    found = sorted(table.search(query[0], query[1], lim))
    expected = []
    for i, (a, b) in enumerate(rows):
        d1, d2 = hamming(query[0], a), hamming(query[1], b)
        if d1 <= lim.first and d2 <= lim.second and d1 + d2 <= lim.total:
            expected.append((i, 0, d1, d2))
    assert found == expected
    assert len(table) == len(rows)


def test_popcount_fallback_matches() -> None:
    import numpy as np

    from scamlens.profiles import hamming as hm

    rng = random.Random(4)
    values = np.asarray([rng.getrandbits(64) for _ in range(500)] + [0, 2**64 - 1], dtype=np.uint64)
    want = [int(v).bit_count() for v in values]
    assert hm.popcount(values).tolist() == want
    table = hm._BYTE_BITS[values.view(np.uint8).reshape(-1, 8)].sum(axis=1)
    assert table.tolist() == want


def test_table_variant_filter_and_incremental_adds() -> None:
    table = HammingTable()
    table.add(1, [(0, 0), (1, 1)])
    assert [r[:2] for r in table.search(0, 0, Limits(2, 2, 4))] == [(1, 0), (1, 1)]
    table.add(2, [(3, 3)])
    assert [r[:2] for r in table.search(3, 3, Limits(0, 0, 0), variant=0)] == [(2, 0)]
    assert list(table.search(3, 3, Limits(0, 0, 0), variant=1)) == []
