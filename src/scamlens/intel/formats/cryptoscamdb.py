"""CryptoScamDB blacklist ``urls.yaml`` / ``uris.yaml``.

A YAML list of entries: name, url, category, subcategory, description, reporter and optional
``addresses: {CHAIN: [address, ...]}``. A URL that is just a site (no path or query) becomes a
domain record, one with a path (``twitter.com/fake_vitalik``) a URL record, ``mailto:`` an
e-mail record; each address becomes a wallet record linked to the entry's site.

The file is composed to YAML nodes (libyaml when present) rather than loaded, so every error
names its line and no YAML tag can construct anything.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import yaml

from scamlens.errors import InputError
from scamlens.indicators.normalize import normalize_url

from ..feed import FeedRecord, ParsedFeed, SourceInfo, clean_labels, decode_text, detail_text

SOURCE = SourceInfo(
    name="cryptoscamdb",
    title="CryptoScamDB",
    trust=0.6,  # community list, 2017-2022: old, unmaintained
    url="https://github.com/CryptoScamDB/blacklist",
    licence=None,
)
_SCALARS = ("name", "url", "category", "subcategory", "description", "reporter")
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Walk:
    """Shape checks on composed nodes, refusing aliases (shared nodes) to avoid blow-ups."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.seen: set[int] = set()

    def fail(self, node: yaml.Node, message: str) -> InputError:
        return InputError(message, str(self.path), node.start_mark.line + 1)

    def container(self, node: yaml.Node, kind: type[yaml.Node], what: str) -> None:
        if not isinstance(node, kind):
            raise self.fail(node, f"expected {what}, got {_kind(node)}")
        if id(node) in self.seen:
            raise self.fail(node, "YAML aliases are not supported in feeds")
        self.seen.add(id(node))

    def scalar(self, node: yaml.Node, what: str) -> str:
        if not isinstance(node, yaml.ScalarNode):
            raise self.fail(node, f"{what}: expected a single value, got {_kind(node)}")
        return str(node.value)


def _kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return "a single value"


def compose(path: Path, data: bytes) -> yaml.Node | None:
    text = decode_text(data, path)
    try:
        return yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "YAML error"
        raise InputError(f"invalid YAML: {problem}", str(path), line) from exc
    except yaml.YAMLError as exc:
        raise InputError(f"invalid YAML: {exc}", str(path)) from exc


def parse(path: Path, data: bytes) -> ParsedFeed:
    root = compose(path, data)
    feed = ParsedFeed("cryptoscamdb", SOURCE)
    if root is None:
        return feed
    walk = _Walk(path)
    walk.container(root, yaml.SequenceNode, "a list of entries")
    for entry in root.value:
        _entry(feed, walk, entry)
    return feed


def _entry(feed: ParsedFeed, walk: _Walk, node: yaml.Node) -> None:
    walk.container(node, yaml.MappingNode, "an entry (a mapping with name, url, ...)")
    line = node.start_mark.line + 1
    fields: dict[str, str] = {}
    addresses: yaml.Node | None = None
    for knode, vnode in node.value:
        key = walk.scalar(knode, "key")
        if key == "addresses":
            addresses = vnode
        elif key in _SCALARS:
            fields[key] = walk.scalar(vnode, key)
    if not fields.get("url", "").strip():
        raise walk.fail(node, "entry has no url")
    labels = clean_labels([fields.get("category", ""), fields.get("subcategory", "")])
    details = {k: detail_text(v) for k, v in fields.items() if k != "url" and v.strip()}
    where = f"line {line}"
    site = _site(feed, fields["url"], where, labels, details)
    if addresses is None or (isinstance(addresses, yaml.ScalarNode) and addresses.value == ""):
        return
    walk.container(addresses, yaml.MappingNode, "addresses: a mapping of chain to list")
    for cnode, lnode in addresses.value:
        chain = walk.scalar(cnode, "chain")
        items = [lnode] if isinstance(lnode, yaml.ScalarNode) else None
        if items is None:
            walk.container(lnode, yaml.SequenceNode, f"addresses.{chain}: a list")
            items = list(lnode.value)
        for anode in items:
            raw = walk.scalar(anode, f"addresses.{chain}")
            wallet = feed.make(
                "wallet",
                raw,
                where=f"line {anode.start_mark.line + 1}",
                chain=chain,
                labels=labels,
                details=details or None,
            )
            if wallet is not None and site is not None:
                feed.link(site, wallet)


def _site(
    feed: ParsedFeed, raw: str, where: str, labels: tuple[str, ...], details: dict[str, str]
) -> FeedRecord | None:
    raw = raw.strip()
    kind = "url"
    if raw.lower().startswith("mailto:"):
        kind = "email"
    else:
        try:
            raw = normalize_url(raw)
        except ValueError:
            pass  # make() below records the skip and its reason
        else:
            parts = urlsplit(raw)
            host = parts.hostname or ""
            bare = parts.path in ("", "/") and not parts.query and parts.scheme in ("http", "https")
            if bare and not (host.replace(".", "").isdigit() or ":" in host):
                kind = "domain"
    return feed.make(kind, raw, where=where, labels=labels, details=details or None)
