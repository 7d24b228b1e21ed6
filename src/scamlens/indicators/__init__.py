"""Indicator extraction: wallets, transaction hashes, links, app lures, contacts and amounts.

`extract` / `extract_conversation` find indicators in chat text; `normalize` holds the
normalisation the intelligence store uses as keys; `lookalike` scores brand look-alikes.
"""

from __future__ import annotations

from scamlens.indicators.extract import (
    LINK_TARGET,
    dedupe,
    extract,
    extract_conversation,
    is_link_target,
)
from scamlens.indicators.lookalike import LookalikeResult, lookalike
from scamlens.indicators.normalize import (
    normalize_address,
    normalize_domain,
    normalize_email,
    normalize_handle,
    normalize_phone,
    normalize_url,
    normalize_value,
    registered_domain,
)

__all__ = [
    "LINK_TARGET",
    "LookalikeResult",
    "dedupe",
    "extract",
    "extract_conversation",
    "is_link_target",
    "lookalike",
    "normalize_address",
    "normalize_domain",
    "normalize_email",
    "normalize_handle",
    "normalize_phone",
    "normalize_url",
    "normalize_value",
    "registered_domain",
]
