from __future__ import annotations

import numpy as np

from scamlens.campaigns import sketch


def _exact(a: str, b: str, n: int) -> float:
    sa = {a[i : i + n] for i in range(len(a) - n + 1)}
    sb = {b[i : i + n] for i in range(len(b) - n + 1)}
    return len(sa & sb) / len(sa | sb)


def test_shingles_stay_inside_each_text() -> None:
    chunks = list(sketch.shingles(["abcde", "xy", "fghij"], 3, seed=1))
    hashes = np.concatenate([h for h, _ in chunks])
    docs = np.concatenate([d for _, d in chunks])
    assert docs.tolist() == [0, 0, 0, 2, 2, 2]  # "xy" is shorter than n: no shingle
    assert len(set(hashes.tolist())) == 6


def test_same_text_same_signature_and_keys() -> None:
    s = sketch.signatures(["the platform wallet", "the platform wallet"], 5, seed=3)
    assert (s.sig[0] == s.sig[1]).all()
    assert sketch.band_keys(s.sig, 2, 4)[0] == sketch.band_keys(s.sig, 2, 4)[1]


def test_estimate_tracks_jaccard() -> None:
    base = "pleasedepositthesecuritymarginwithintwentyfourhoursotherwisethefundswillbeconfiscated"
    others = [
        base.replace("security", "safety"),
        base.replace("twentyfour", "fortyeight").replace("confiscated", "seized"),
        "yourpackagehasbeenshippedandwillarriveontuesdaytrackyourdeliveryonline",
    ]
    s = sketch.signatures([base, *others], 5, seed=7, k=128)
    for j, other in enumerate(others, 1):
        est = sketch.similarity(s.sig, np.array([0]), np.array([j]))[0]
        assert abs(est - _exact(base, other, 5)) < 0.15


def test_densify_fills_every_bin_of_a_short_text() -> None:
    s = sketch.signatures(["short text here", ""], 5, seed=1, k=64)
    assert (s.sig[0] != sketch.EMPTY).all()
    assert (s.sig[1] == sketch.EMPTY).all()
    assert s.kept.tolist() == [11, 0]


def test_ubiquitous_buckets_are_dropped() -> None:
    texts = ["thequickbrownfox", "thequickbrowncat"]
    counts = sketch.df_counts(texts, 5, seed=1)
    flags = counts > 1  # shingles in both texts
    s = sketch.signatures(texts, 5, seed=1, ubiquitous=flags)
    assert s.kept.tolist() == [3, 3]
