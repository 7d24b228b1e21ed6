"""Clustering parameters, in the user's terms where a user would touch them."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True, slots=True)
class Params:
    """How alike two messages must be, and what is too short or too common to count.

    threshold: similarity (0-1) two messages need to be linked as the same script. The score
        is the best of three views: edit similarity of the masked character streams (robust to
        synonym spinning, which keeps the text aligned), Jaccard similarity of their character
        n-grams (robust to reordered sentences), and, for long texts, the average of the edit
        similarity and the skeleton similarity (robust to heavy spinning of content words).
    guard: similarity (0-1) every member must have with its cluster's medoid; members that fall
        short are split off, so one bridging pair cannot chain two scripts together.
    min_length: texts shorter than this are never clustered ("good morning", "ok", "你好").
        Counted in letters after masking, a CJK character counting as three letters.
    max_df: a character n-gram found in more than this share of distinct texts is ignored
        (it says nothing about a script); the skeleton channel uses `max_df_skeleton`.
    """

    threshold: float = 0.7
    guard: float = 0.55
    min_length: int = 60
    min_skeleton: int = 30  # skeleton symbols needed before structure counts
    max_df: float = 0.05
    max_df_skeleton: float = 0.2
    min_shingles: int = 8
    ngram_en: int = 5
    ngram_zh: int = 3
    ngram_skeleton: int = 4
    bins: int = 64  # MinHash size (one-permutation hashing)
    rows_char: int = 4  # LSH rows per band, character channel (bands = bins / rows)
    rows_skeleton: int = 4
    medoid_sample: int = 32
    max_peel: int = 8
    seed: int = 20240601

    def __post_init__(self) -> None:
        for name in ("threshold", "guard", "max_df", "max_df_skeleton"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, got {value}")
        if self.bins % self.rows_char or self.bins % self.rows_skeleton:
            raise ValueError("bins must be a multiple of the LSH rows")
        if self.min_length < 1 or self.min_shingles < 1:
            raise ValueError("min_length and min_shingles must be positive")

    def as_dict(self) -> dict[str, float | int]:
        return dict(asdict(self))
