"""Benchmark profile and job-ad scoring: items a second, in process, one core.

Profiles: synthetic records (persona clichés, handles, benign bios; English and Chinese),
scored in batches of 256 (so bio-template clustering runs too), without and with photos
(two synthetic JPEGs per profile, a share of them reused between accounts, matched against
a photo index of reported photos). Job ads: our own written examples (expanded templates)
plus EMSCAD rows when the file is given, with and without the learned model. Also times
photo hashing and index lookups on their own.

    python bench/bench_profiles.py [--profiles 5000] [--jobs 5000] [--emscad PATH]
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from scamlens.profiles import JobAd, JobAdScorer, PhotoIndex, Profile, ProfileScorer, load_items
from scamlens.profiles.photos import hash_bytes
from scamlens.profiles.train_jobad import own_examples

BIOS = [
    "Hong Kong born, living in {city}. Self-made crypto trader, I love wine and travel. Rarely "
    "on here, text me on WhatsApp +1 415 555 {n:04d}",
    "ICU nurse in {city}, two dogs, hiking and bad movies. Looking for someone kind.",
    "Offshore engineer on a contract in the North Sea. Widower with one daughter. Telegram @eng{n}",
    "Software engineer, climbing and coffee. Say hi!",
    "香港出生，现居{city}，做红酒生意，外汇交易员。很少上这个app，加我微信 lisa{n}",
    "在上海做设计，喜欢猫和旅行，希望认识真诚的人",
    "Real estate investor and financial freedom coach. I can teach you how to invest.",
    "Teacher, mom of one, gardening and jazz. Sundays at the farmers market.",
]
CITIES = ["New York", "Chicago", "London", "Sydney", "Toronto", "纽约", "Boston"]


def profiles(n: int, seed: int = 1, photo_names: list[str] | None = None) -> list[Profile]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        bio = rng.choice(BIOS).format(city=rng.choice(CITIES), n=rng.randrange(10000))
        photos: tuple[str, ...] = ()
        if photo_names:
            photos = (photo_names[rng.randrange(len(photo_names))],
                      photo_names[rng.randrange(len(photo_names))])  # fmt: skip
        out.append(
            Profile(
                id=f"p{i}",
                display_name=rng.choice(["Lisa", "Tom", "Wei", "Anna", "David"]),
                headline=rng.choice(["Forex trader", "Nurse", "Engineer", "", "Investor"]),
                bio=bio,
                location=rng.choice(CITIES),
                account_age_days=float(rng.choice([2, 30, 400, 1500])),
                photos=photos,
            )
        )
    return out


def synth_jpeg(seed: int) -> bytes:
    from PIL import Image, ImageDraw, ImageFilter

    rng = random.Random(seed)
    img = Image.new("RGB", (480, 600), tuple(rng.randint(0, 255) for _ in range(3)))
    draw = ImageDraw.Draw(img)
    for _ in range(25):
        x, y = rng.randint(0, 480), rng.randint(0, 600)
        box = [x, y, x + rng.randint(20, 200), y + rng.randint(20, 200)]
        draw.ellipse(box, fill=tuple(rng.randint(0, 255) for _ in range(3)))
    buf = io.BytesIO()
    img.filter(ImageFilter.GaussianBlur(1.5)).save(buf, "JPEG", quality=85)
    return buf.getvalue()


def rate(label: str, n: int, seconds: float) -> None:
    print(f"{label:<58} {n:>7} items  {seconds:7.2f} s  {n / seconds:10,.0f} items/s")


def timed(fn: Any, *args: Any) -> tuple[Any, float]:
    t0 = time.perf_counter()
    out = fn(*args)
    return out, time.perf_counter() - t0


def batched(scorer: Any, items: list[Any], size: int = 256) -> None:
    for i in range(0, len(items), size):
        scorer.score_many(items[i : i + size])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--profiles", type=int, default=5000)
    ap.add_argument("--jobs", type=int, default=5000)
    ap.add_argument("--photos", type=int, default=1000, help="profiles in the photo run")
    ap.add_argument("--emscad", type=Path, help="EMSCAD CSV for real job-board rows")
    args = ap.parse_args()
    print(f"python {sys.version.split()[0]}, one process")

    items = profiles(args.profiles)
    scorer = ProfileScorer()
    scorer.score_many(items[:10])  # warm up: packs compiled, regexes built
    _, s = timed(batched, scorer, items)
    rate("profiles: rules + checks + templates (batches of 256)", len(items), s)

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        names = []
        for k in range(200):
            (root / f"{k}.jpg").write_bytes(synth_jpeg(k))
            names.append(f"{k}.jpg")
        data = [(root / n).read_bytes() for n in names]
        hashes, s = timed(lambda: [hash_bytes(d) for d in data])
        rate("photo hashing (480x600 JPEG, 10 crops x pHash+dHash)", len(data), s)
        index = PhotoIndex.memory()
        for k, h in enumerate(hashes[:100]):
            index.add_hashes(h, label="reported", account=f"r{k}")
        rng = random.Random(3)
        for k in range(20_000):  # filler: a larger index for the lookup timing
            fake = tuple((rng.getrandbits(64), rng.getrandbits(64)) for _ in range(10))
            index.add_hashes(type(hashes[0])(f"x{k}", 1, 1, fake), label="seen", account=f"f{k}")
        _, s = timed(lambda: [index.check_hashes(h) for h in hashes])
        rate(f"photo index lookups ({len(index):,} photos, vectorised scan)", len(hashes), s)
        with_photos = profiles(args.photos, photo_names=names)
        pscorer = ProfileScorer(photo_root=root, photo_index=index)
        _, s = timed(batched, pscorer, with_photos)
        rate("profiles with 2 photo files each + index + batch reuse", len(with_photos), s)

    ads: list[JobAd] = own_examples(7)
    if args.emscad:
        ads += [a for a in load_items(args.emscad, "job_ad") if isinstance(a, JobAd)]
    rng = random.Random(2)
    jobs = [ads[rng.randrange(len(ads))] for _ in range(args.jobs)]
    for label, js in (("job ads: rules + checks + model", JobAdScorer()),
                      ("job ads: rules + checks only", JobAdScorer(use_model=False))):  # fmt: skip
        js.score_many(jobs[:10])
        _, s = timed(batched, js, jobs)
        rate(label, len(jobs), s)
    return 0


if __name__ == "__main__":
    sys.exit(main())
