"""Profiles and job ads: stop pig-butchering at the door (GitHub issue 7).

Fake dating or professional-network profiles and fake job ads that lure workers into scam
compounds are scored on the same core as chats: rule packs with examples (rules_profile/,
rules_jobad/), small named checks, a learned job-ad model, perceptual-hash photo matching,
intelligence-store lookups and template clustering, each signal with its evidence.
See docs/profiles.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scamlens.lazy import lazy_getattr

if TYPE_CHECKING:
    from scamlens.profiles.api import (
        default_job_ad_scorer,
        default_profile_scorer,
        score_items,
        score_job_ad,
        score_lines,
        score_profile,
        score_records,
        verdict_record,
    )
    from scamlens.profiles.load import detect_kind, iter_records, load_items, record_to_item
    from scamlens.profiles.model import Contact, ItemVerdict, JobAd, Profile, Signal
    from scamlens.profiles.photos import PhotoError, PhotoIndex, PhotoMatch
    from scamlens.profiles.scorer import JobAdScorer, ProfileScorer

_WHERE = {
    "default_job_ad_scorer": "scamlens.profiles.api",
    "default_profile_scorer": "scamlens.profiles.api",
    "score_items": "scamlens.profiles.api",
    "score_job_ad": "scamlens.profiles.api",
    "score_lines": "scamlens.profiles.api",
    "score_profile": "scamlens.profiles.api",
    "score_records": "scamlens.profiles.api",
    "verdict_record": "scamlens.profiles.api",
    "detect_kind": "scamlens.profiles.load",
    "iter_records": "scamlens.profiles.load",
    "load_items": "scamlens.profiles.load",
    "record_to_item": "scamlens.profiles.load",
    "Contact": "scamlens.profiles.model",
    "ItemVerdict": "scamlens.profiles.model",
    "JobAd": "scamlens.profiles.model",
    "Profile": "scamlens.profiles.model",
    "Signal": "scamlens.profiles.model",
    "PhotoError": "scamlens.profiles.photos",
    "PhotoIndex": "scamlens.profiles.photos",
    "PhotoMatch": "scamlens.profiles.photos",
    "JobAdScorer": "scamlens.profiles.scorer",
    "ProfileScorer": "scamlens.profiles.scorer",
}
__getattr__ = lazy_getattr(__name__, _WHERE)


__all__ = [
    "Contact",
    "ItemVerdict",
    "JobAd",
    "JobAdScorer",
    "PhotoError",
    "PhotoIndex",
    "PhotoMatch",
    "Profile",
    "ProfileScorer",
    "Signal",
    "default_job_ad_scorer",
    "default_profile_scorer",
    "detect_kind",
    "iter_records",
    "load_items",
    "record_to_item",
    "score_items",
    "score_job_ad",
    "score_lines",
    "score_profile",
    "score_records",
    "verdict_record",
]
