"""Indicator extraction over a text or a whole conversation.

Each family (wallets, links, contacts, amounts) runs its own RE2 pass over the original text,
so every span indexes the original string (text[start:end] == indicator.raw); expensive
validation (checksums, phonenumbers, public-suffix lookups) runs only on candidates.
A conversation is scanned as one joined text (messages separated by a NUL line, which no
pattern crosses) and spans are mapped back to each message. A message's web-link attachments
(hidden link targets) are scanned too; their indicators carry attrs["where"] == "link_target"
and an empty span (start == end == 0), since they are not in the message text.
What depends only on a match's text (which branch matched, a parsed amount, a normalised
host, a look-alike score) is cached per process; `clear_caches` forgets it.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from functools import lru_cache
from itertools import accumulate, repeat
from operator import add

from scamlens.indicators import amounts, contacts, links, normalize, wallets
from scamlens.indicators.base import Scan, new_indicator
from scamlens.indicators.lookalike import clear_cache as clear_lookalike
from scamlens.indicators.regex import Gate, Hit
from scamlens.model import Conversation, Indicator

Handler = Callable[[Scan, Hit, dict[str, int]], list[Indicator]]

_SEPARATOR = "\n\x00\n"
# Type pairs where the first is dropped when it lies inside (or overlaps) the second.
_CONTAINED_DROP = {
    ("domain", "url"),
    ("domain", "email"),
    ("handle", "email"),
    ("amount", "url"),
    ("amount", "wallet"),
    ("amount", "txhash"),
    ("amount", "email"),
    ("phone", "url"),
    ("phone", "email"),
    ("phone", "wallet"),
    ("phone", "txhash"),
    ("phone", "handle"),
    ("email", "url"),
}
# Pairs where the first is dropped as soon as the two overlap at all.
_OVERLAP_DROP = {("phone", "amount"), ("domain", "email"), ("phone", "wallet")}
# Types where two overlapping readings of one piece of text keep only the longer.
_SINGLE_READING = frozenset({"domain", "url", "amount", "phone", "email"})


def alternatives() -> tuple[list[tuple[str, str]], dict[str, Handler]]:
    """The gate's (name, pattern) alternatives and their handlers. Order matters where two
    candidates start at the same place: wallets before phones (hex runs), amounts before
    phones and domains ("1.2 BTC"), a money verb on its own last ("deposited 35,000")."""
    alts: list[tuple[str, str]] = list(wallets.ALTERNATIVES)
    handlers: dict[str, Handler] = {name: wallets.handle for name, _ in wallets.ALTERNATIVES}
    link_alts = dict(links.alternatives())
    for name in ("url", "ip"):
        alts.append((name, link_alts[name]))
        handlers[name] = links.HANDLERS[name]
    for name in ("email", "hlabel_en", "hlabel_zh"):
        alts.append((name, contacts.ALTERNATIVES[name]))
        handlers[name] = contacts.HANDLERS[name]
    alts.append(("amount", amounts.AMOUNT_PATTERN))
    handlers["amount"] = _handle_amount
    for name in ("phone", "at"):
        alts.append((name, contacts.ALTERNATIVES[name]))
        handlers[name] = contacts.HANDLERS[name]
    alts.append(("domain", link_alts["domain"]))
    handlers["domain"] = links.HANDLERS["domain"]
    # Last: a money verb alone, so a candidate starting at the same place wins (see amounts).
    alts.append(("amount_verb", amounts.VERB_MARK_PATTERN))
    handlers["amount_verb"] = _handle_verb_mark
    return alts, handlers


@lru_cache(maxsize=1)
def _gate() -> tuple[Gate, dict[str, Handler]]:
    """The one RE2 pass behind extract()."""
    alts, handlers = alternatives()
    return Gate(alts), handlers


def clear_caches() -> None:
    """Forget what extraction has cached (identified matches, parsed amounts and phone numbers,
    normalised hosts, look-alike scores): for measuring the cold path, and for tests."""
    _gate()[0].clear_cache()
    wallets.clear_cache()
    amounts.clear_cache()
    contacts.clear_cache()
    normalize.clear_caches()
    clear_lookalike()


def _handle_amount(scan: Scan, hit: Hit, ids: dict[str, int]) -> list[Indicator]:
    a = amounts.parsed_hit(hit, ids, scan.text)
    if a is None:
        return []
    # The span is the amount's own (a[3], a[4]): for "35,000 deposited" the number alone.
    attrs = {"amount": a[1], "currency": a[2]}
    return [scan.make("amount", a[0], a[3], a[4], "amount.money", attrs=attrs)]


def _handle_verb_mark(scan: Scan, hit: Hit, ids: dict[str, int]) -> list[Indicator]:
    """A money verb is no indicator: `_scan` reads the number after it (see _verb_amounts)."""
    return []


def _verb_amounts(
    scan: Scan, marked: list[amounts.Amount], found: list[Indicator]
) -> list[Indicator]:
    """Bare numbers right after a money verb ("deposited 35,000", "转了20000") that no other
    indicator covers ("充值5000U" is the amount "5000U", "转账 13812345678" a phone)."""
    spans = [(i.start, i.end) for i in found]
    return [
        scan.make(
            "amount",
            a.value,
            a.start,
            a.end,
            "amount.money",
            attrs={"amount": a.amount, "currency": a.currency},
        )
        for a in amounts.uncovered(marked, spans)
    ]


def _scan(scan: Scan) -> list[Indicator]:
    gate, handlers = _gate()
    found: list[Indicator] = []
    link_hits: list[Indicator] = []
    marked: list[amounts.Amount] = []
    for hit in gate.scan(scan.text):
        if hit.name == "amount_verb":  # a money verb: the number after it, if any
            a = amounts.verb_mark_amount(scan.text, hit.start, hit.end)
            if a is not None:
                marked.append(a)
            continue
        for ind in handlers[hit.name](scan, hit, gate.ids):
            found.append(ind)
            if ind.type in ("url", "domain"):
                link_hits.append(ind)
    if link_hits:
        for link in link_hits:
            if link.type == "url":
                # Wallets and tx hashes inside a link (explorer URLs, ?address=) count too.
                found.extend(wallets.find_wallets(scan, link.start, link.end))
        found.extend(links.messenger_handles(scan, link_hits))
        found.extend(links.app_lures(scan, link_hits))
    if marked:
        found.extend(_verb_amounts(scan, marked, found))
    return dedupe(found)


def dedupe(items: list[Indicator]) -> list[Indicator]:
    """Drop duplicates and the overlaps that would double-count one piece of text.

    Kept on purpose: a wallet or tx hash inside a URL (both are evidence), the handle behind a
    t.me link, and the app_lure record of a link (the url stays too).
    """
    items = sorted(items, key=lambda i: (i.start, -i.end, i.type))
    seen: set[tuple[str, int, int, str]] = set()
    unique: list[Indicator] = []
    for it in items:
        key = (it.type, it.start, it.end, it.value)
        if key not in seen:
            seen.add(key)
            unique.append(it)
    drop: set[int] = set()
    for i, a in enumerate(unique):
        for j in range(i + 1, len(unique)):
            b = unique[j]
            if b.start >= a.end:
                break  # sorted by start: nothing later overlaps a
            for x, y, ix in ((a, b, i), (b, a, j)):
                inside = y.start <= x.start and x.end <= y.end
                pair = (x.type, y.type)
                if (pair in _CONTAINED_DROP and inside) or pair in _OVERLAP_DROP:
                    drop.add(ix)
            if a.type == b.type and a.type in _SINGLE_READING:
                drop.add(j if (b.end - b.start) <= (a.end - a.start) else i)
    return [it for k, it in enumerate(unique) if k not in drop]


def extract(
    text: str, *, message_index: int | None = None, region: str | None = None
) -> list[Indicator]:
    """Indicators in `text`, spans relative to `text`, sorted by position."""
    if not text:
        return []
    return _scan(Scan(text=text, region=region, message_index=message_index))


def extract_conversation(conv: Conversation, *, region: str | None = None) -> list[Indicator]:
    """Indicators of every message, each with its message index and a span into that message's
    original text. Context words may come from neighbouring messages. Then the indicators of
    each message's web-link attachments not already in its text, marked as link targets (empty
    span, see `is_link_target`)."""
    texts = [m.text or "" for m in conv.messages]
    if not any(texts):
        return _link_targets(conv, [], region)
    # Start of each message in the joined text (C-level loops: chats run to thousands).
    starts = list(accumulate(map(add, map(len, texts), repeat(len(_SEPARATOR))), initial=0))
    joined = _SEPARATOR.join(texts)
    out: list[Indicator] = []
    for ind in _scan(Scan(text=joined, region=region)):
        k = bisect_right(starts, ind.start) - 1
        base = starts[k]
        if ind.end > base + len(texts[k]):
            continue  # crossed a message boundary: not a real indicator
        # Positional (Indicator's field order, pinned by a test), slots filled directly.
        out.append(
            new_indicator(
                ind.type,
                ind.value,
                ind.raw,
                ind.detector,
                ind.start - base,
                ind.end - base,
                conv.messages[k].index,
                ind.chain,
                ind.valid,
                ind.validation,
                ind.attrs,
            )
        )
    return _link_targets(conv, out, region)


# Attachments that are web links (a Telegram text_link's target, an <a href> whose visible text
# differs, a DiscordChatExporter URL); media paths, "forwarded_from:NAME" and placeholders are not.
_LINK_PREFIXES = ("http://", "https://", "www.", "t.me/", "telegram.me/")
# Hosts that only serve the export's own uploaded files (a Discord attachment's URL).
_MEDIA_HOSTS = frozenset({"cdn.discordapp.com", "media.discordapp.net"})
# Attrs marker: the indicator is in a hidden link target, not in the message text, so its span
# is empty (start == end == 0) and `raw` is the text as found in the link.
LINK_TARGET = "link_target"


def is_link_target(ind: Indicator) -> bool:
    """True when `ind` came from a message's hidden link target, not from its text."""
    return ind.attrs.get("where") == LINK_TARGET


def is_web_link(attachment: str) -> bool:
    """True when a message attachment is a web link that `extract_conversation` scans as a
    hidden link target (not a media path, "forwarded_from:NAME" or placeholder, and not on a
    host that only serves the export's uploaded files). Public for callers that keep link
    targets apart from the conversation (campaign discovery)."""
    low = attachment.lower()
    if not low.startswith(_LINK_PREFIXES):
        return False
    rest = low.split("://", 1)[1] if low.startswith(("http://", "https://")) else low
    host = rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    return host.rsplit("@", 1)[-1].split(":", 1)[0] not in _MEDIA_HOSTS


def _link_targets(
    conv: Conversation, found: list[Indicator], region: str | None
) -> list[Indicator]:
    """`found` plus the indicators in each message's web-link attachments, unless the message's
    own text already holds the same value (a link whose visible text is its target)."""
    if not any(m.attachments for m in conv.messages):
        return found
    in_text: dict[int, set[tuple[str, str]]] = {}
    for ind in found:
        if ind.message_index is not None:
            keys = in_text.setdefault(ind.message_index, set())
            keys.add((ind.type, ind.value))
            host = ind.attrs.get("domain") if ind.type == "url" else None
            if host:
                keys.add(("domain", host))
    out = list(found)
    for m in conv.messages:
        seen = in_text.get(m.index, set())
        added: set[tuple[str, str]] = set()
        for att in m.attachments:
            if not is_web_link(att):
                continue
            for ind in extract(att, message_index=m.index, region=region):
                key = (ind.type, ind.value)
                host = ind.attrs.get("domain") if ind.type == "url" else None
                if ind.type == "amount" or key in seen or key in added:
                    continue
                if host in _MEDIA_HOSTS or (host and ("domain", host) in seen):
                    continue
                added.add(key)
                attrs = {**ind.attrs, "where": LINK_TARGET}
                out.append(
                    Indicator(
                        ind.type,
                        ind.value,
                        ind.raw,
                        ind.detector,
                        0,
                        0,
                        m.index,
                        ind.chain,
                        ind.valid,
                        ind.validation,
                        attrs,
                    )
                )
    return out
