"""A labelled corpus of spun scam campaigns and benign chatter, for tests, docs and bench.

Each campaign (ring) owns some scripts from synth_data, a set of accounts and its own
indicators (wallets, a domain, handles, phones). Every scam message is one of its scripts with
the variable parts filled, then, at random: left verbatim, synonym-spun ("the scammers behind
these crimes" -> "the fraudsters behind these criminal offenses"), reworded with LLM-style
patterns (contractions, hedges, sentence reordering, openers and closers) and/or obfuscated
(homoglyphs, zero-width characters, accents, spaced letters, traditional characters for
Chinese). Benign traffic is chatter from frames (same structure, different content), greetings
(short and long), and machine or forwarded templates that are near-duplicates of each other.

Labels: `script` is "en-07" / "zh-03" for scam scripts, "benign:<template>" for benign
templates, None for chatter (each such message is its own truth group). `campaign` is the ring.
Generation is deterministic for a seed.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from importlib import resources
from pathlib import Path

from scamlens.campaigns import synth_data as sd


@dataclass(frozen=True, slots=True)
class SynthMessage:
    id: str
    account: str
    text: str
    conversation: str
    timestamp: str
    platform: str
    script: str | None  # truth label for script clustering (see module docstring)
    campaign: str | None  # truth label for rings
    variant: str  # "verbatim", "spun", "paraphrased", "obfuscated" joined with "+"; or "benign"


@dataclass(frozen=True, slots=True)
class _Campaign:
    id: str
    lang: str
    scripts: tuple[tuple[str, str, str], ...]  # (label, stage, text)
    accounts: tuple[str, ...]
    wallets: tuple[str, ...]
    domain: str
    handles: tuple[str, ...]
    phones: tuple[str, ...]
    spin_rate: float
    start: datetime


_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_ZW = ("\u200b", "\u200c", "\u200d", "\u2060")
_EPOCH = datetime(2025, 1, 1, tzinfo=UTC)
_PLATFORMS = ("whatsapp", "telegram", "line", "sms", "instagram", "wechat")


@lru_cache(maxsize=1)
def _s2t() -> dict[str, str]:
    """Simplified -> traditional, the inverse of the folding table (used to obfuscate)."""
    text = resources.files("scamlens.text").joinpath("t2s.txt").read_text(encoding="utf-8")
    table: dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        for pair in line.split():
            if len(pair) == 2 and pair[0] != pair[1]:
                table.setdefault(pair[1], pair[0])
    return table


def _alternation(keys: Iterable[str], words: bool) -> re.Pattern[str]:
    ordered = sorted(keys, key=len, reverse=True)
    body = "|".join(re.escape(k) for k in ordered)
    return re.compile(rf"\b(?:{body})\b" if words else f"(?:{body})", re.IGNORECASE)


_SPIN_EN = _alternation(sd.THESAURUS_EN, words=True)
_SPIN_ZH = _alternation(sd.THESAURUS_ZH, words=False)
_SENT_EN = re.compile(r"(?<=[.!?])\s+")
_SENT_ZH = re.compile(r"(?<=[。！？])")


class _Gen:
    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)

    # -- indicators -------------------------------------------------------------------------
    def wallet(self) -> str:
        if self.r.random() < 0.5:
            return "0x" + "".join(self.r.choice("0123456789abcdef") for _ in range(40))
        return "T" + "".join(self.r.choice(_BASE58) for _ in range(33))

    def word(self) -> str:
        syll = ("co", "in", "max", "bit", "trade", "gold", "fx", "vip", "pro", "ex", "mart", "ai")
        return "".join(self.r.choice(syll) for _ in range(self.r.randint(2, 3)))

    def handle(self) -> str:
        return "@" + self.word() + str(self.r.randint(10, 999))

    def phone(self) -> str:
        return (
            f"+1 {self.r.randint(200, 989)} {self.r.randint(200, 999)} {self.r.randint(1000, 9999)}"
        )

    def amount(self, lang: str) -> str:
        n = self.r.choice((500, 1000, 2000, 3000, 5000, 8000, 10000, 12500, 20000, 50000))
        if lang == "zh":
            return self.r.choice(
                (f"{n}元", f"{n}U", f"{n} USDT", f"{n // 1000}万" if n >= 10000 else f"{n}元")
            )
        return self.r.choice((f"${n:,}", f"{n} USDT", f"{n:,} dollars", f"${n}"))

    # -- transformations ----------------------------------------------------------------------
    def spin(self, text: str, lang: str, rate: float) -> str:
        table = sd.THESAURUS_EN if lang == "en" else sd.THESAURUS_ZH
        pattern = _SPIN_EN if lang == "en" else _SPIN_ZH

        def repl(m: re.Match[str]) -> str:
            found = m.group(0)
            if m.start() > 0 and text[m.start() - 1] == "{":  # a placeholder, not a word
                return found
            if self.r.random() >= rate:
                return found
            alts = table.get(found.lower()) or table.get(found)
            if not alts:
                return found
            alt = self.r.choice(alts)
            return alt[:1].upper() + alt[1:] if found[:1].isupper() else alt

        return pattern.sub(repl, text)

    def paraphrase(self, text: str, lang: str) -> str:
        rules = sd.PARAPHRASE_EN if lang == "en" else sd.PARAPHRASE_ZH
        for old, news in rules:
            if old in text and self.r.random() < 0.5:
                text = text.replace(old, self.r.choice(news))
        splitter = _SENT_EN if lang == "en" else _SENT_ZH
        parts = [p for p in splitter.split(text) if p.strip()]
        if len(parts) >= 3 and self.r.random() < 0.2:
            del parts[self.r.randrange(1, len(parts))]
        if len(parts) >= 2 and self.r.random() < 0.35:
            self.r.shuffle(parts)
        text = (" " if lang == "en" else "").join(parts)
        if self.r.random() < 0.4:
            opener = self.r.choice(sd.OPENERS_EN if lang == "en" else sd.OPENERS_ZH)
            text = opener + (text[:1].lower() + text[1:] if lang == "en" else text)
        if self.r.random() < 0.4:
            text += self.r.choice(sd.CLOSERS_EN if lang == "en" else sd.CLOSERS_ZH)
        return text

    def obfuscate(self, text: str, lang: str) -> str:
        out: list[str] = []
        s2t = _s2t()
        for ch in text:
            p = self.r.random()
            if lang == "en" and ch in sd.HOMOGLYPHS_OUT and p < 0.2:
                ch = sd.HOMOGLYPHS_OUT[ch]
            elif lang == "en" and ch == "e" and p > 0.96:
                ch = "é"
            elif lang == "zh" and ch in s2t and p < 0.6:
                ch = s2t[ch]
            out.append(ch)
            if ch.isalpha() and self.r.random() < 0.03:
                out.append(self.r.choice(_ZW))
            if lang == "zh" and self.r.random() < 0.02:
                out.append(" ")
        text = "".join(out)
        if self.r.random() < 0.5:
            text = text.replace("USDT", "U S D T").replace("crypto", "c r y p t o")
        if lang == "zh" and self.r.random() < 0.5:
            text = text.replace("，", ",").replace("。", ". ")
        if self.r.random() < 0.3:
            text = self.r.choice(("🌹 ", "💰 ", "✨ ", "👉 ")) + text
        return text

    def fill(self, text: str, camp: _Campaign) -> str:
        lang = camp.lang
        values = {
            "name": self.r.choice(sd.NAMES_EN if lang == "en" else sd.NAMES_ZH),
            "me": self.r.choice(sd.NAMES_EN if lang == "en" else sd.NAMES_ZH),
            "amount": self.amount(lang),
            "pct": f"{self.r.choice((5, 10, 15, 20, 30, 2.5))}%",
            "url": f"https://{camp.domain}/{self.r.choice(('invite', 'reg', 'm', 'app'))}"
            f"?code={self.r.randint(10000, 99999)}",
            "wallet": self.r.choice(camp.wallets),
            "phone": self.r.choice(camp.phones),
            "handle": self.r.choice(camp.handles),
            "city": self.r.choice(sd.CITIES),
        }
        return text.format_map(values)

    # -- benign -------------------------------------------------------------------------------
    def chatter(self, lang: str) -> str:
        grammar = sd.GRAMMAR_EN if lang == "en" else sd.GRAMMAR_ZH
        parts = []
        for _ in range(self.r.choice((1, 1, 1, 2, 2, 3))):
            frame = self.r.choice(grammar["S"])
            sentence = re.sub(r"\{(\w+)\}", lambda m: self.r.choice(grammar[m.group(1)]), frame)
            parts.append(re.sub(r" +", " ", sentence).replace(" .", ".").replace(" ,", ","))
        text = (" " if lang == "en" else "").join(parts)
        if lang == "en" and self.r.random() < 0.3:
            text += " " + self.r.choice(sd.CHATTER_TAILS_EN)
        if lang == "zh" and self.r.random() < 0.3:
            text += self.r.choice(("哈哈", "好吧", "记得哦", "不急", "辛苦了", "爱你", "等你消息"))
        if lang == "en" and self.r.random() < 0.05:
            text += " " + self.r.choice(("youtube.com/watch", "binance.com", "google.com/maps"))
        return text

    def greeting(self, lang: str) -> str:
        if lang == "zh" or self.r.random() < 0.4:
            return self.r.choice(sd.GREETINGS_EN if lang == "en" else sd.GREETINGS_ZH)
        parts = [self.r.choice(options) for options in sd.GREETING_PARTS_EN]
        if self.r.random() < 0.3:  # a longer greeting: two wishes
            parts.insert(3, self.r.choice(sd.GREETING_PARTS_EN[2]))
        return "".join(parts).replace("{name}", self.r.choice(sd.NAMES_EN))

    def template(self, text: str, lang: str) -> str:
        values = {
            "code": str(self.r.randint(100000, 999999)),
            "code4": str(self.r.randint(1000, 9999)),
            "day": self.r.choice(("Monday", "Friday", "June 3", "3月5日", "12/08")),
            "url": f"https://track.example-post.com/{self.r.randint(10**7, 10**8)}",
            "amount": self.amount(lang),
            "merchant": self.r.choice(sd.MERCHANTS),
            "name": self.r.choice(sd.NAMES_EN),
            "hour": self.r.choice(("9:30", "14:00", "16:15")),
        }
        return text.format_map(values)


def _campaigns(g: _Gen, scam_messages: int, zh_share: float) -> list[_Campaign]:
    en = [(f"en-{i:02d}", st, tx) for i, (st, tx) in enumerate(sd.SCRIPTS_EN)]
    zh = [(f"zh-{i:02d}", st, tx) for i, (st, tx) in enumerate(sd.SCRIPTS_ZH)]
    g.r.shuffle(en)
    g.r.shuffle(zh)
    camps: list[_Campaign] = []
    books = [("en", en[i : i + 6]) for i in range(0, len(en), 6)]
    books += [("zh", zh[i : i + 6]) for i in range(0, len(zh), 6)]
    n_zh = sum(1 for lang, _ in books if lang == "zh")
    for k, (lang, book) in enumerate(books):
        share = zh_share / n_zh if lang == "zh" else (1 - zh_share) / (len(books) - n_zh)
        n_acc = max(3, int(scam_messages * share / 25))
        tag = f"c{k:02d}"
        camps.append(
            _Campaign(
                id=tag,
                lang=lang,
                scripts=tuple(book),
                accounts=tuple(f"{tag}-acct{j:05d}" for j in range(n_acc)),
                wallets=tuple(g.wallet() for _ in range(2)),
                domain=g.word() + g.r.choice((".com", ".vip", ".top", ".io")),
                handles=tuple(g.handle() for _ in range(2)),
                phones=tuple(g.phone() for _ in range(2)),
                spin_rate=g.r.choice((0.3, 0.5, 0.7, 0.9)),
                start=_EPOCH + timedelta(days=g.r.randint(0, 200)),
            )
        )
    return camps


def generate(
    n_messages: int, *, seed: int = 0, scam_share: float = 0.35, zh_share: float = 0.35
) -> list[SynthMessage]:
    """`n_messages` messages, `scam_share` of them from campaigns, in a shuffled order."""
    return list(iter_generate(n_messages, seed=seed, scam_share=scam_share, zh_share=zh_share))


def iter_generate(
    n_messages: int, *, seed: int = 0, scam_share: float = 0.35, zh_share: float = 0.35
) -> Iterator[SynthMessage]:
    g = _Gen(seed)
    n_scam = int(n_messages * scam_share)
    camps = _campaigns(g, n_scam, zh_share)
    weights = [len(c.accounts) for c in camps]
    n_benign_accounts = max(10, (n_messages - n_scam) // 8)
    order = list(range(n_messages))
    g.r.shuffle(order)
    for i in range(n_messages):
        ts = _EPOCH + timedelta(seconds=g.r.randint(0, 300 * 86400))
        if i < n_scam:
            camp = g.r.choices(camps, weights)[0]
            yield _scam_message(g, camp, order[i], ts)
        else:
            yield _benign_message(g, order[i], n_benign_accounts, zh_share, ts)


def _scam_message(g: _Gen, camp: _Campaign, index: int, ts: datetime) -> SynthMessage:
    account = g.r.choice(camp.accounts)
    victim = g.r.randint(0, 40)
    conv = f"{account}/v{victim:02d}"
    if g.r.random() < 0.04:  # free-typed message that only shares the ring's wallet
        text = g.chatter("en") + (" 钱包地址 " if camp.lang == "zh" else " send it here: ")
        text += g.r.choice(camp.wallets)
        return SynthMessage(
            _mid(index), account, text, conv, _iso(ts), "telegram", None, camp.id, "freeform"
        )
    label, _stage, script = g.r.choice(camp.scripts)
    kinds = []
    text = script
    roll = g.r.random()
    if roll >= 0.3:
        text = g.spin(text, camp.lang, camp.spin_rate)
        kinds.append("spun")
        if g.r.random() < 0.35:
            text = g.paraphrase(text, camp.lang)
            kinds.append("paraphrased")
    text = g.fill(text, camp)
    if g.r.random() < 0.2:
        text = g.obfuscate(text, camp.lang)
        kinds.append("obfuscated")
    platform = g.r.choice(_PLATFORMS)
    return SynthMessage(
        _mid(index),
        account,
        text,
        conv,
        _iso(ts if ts > camp.start else camp.start),
        platform,
        label,
        camp.id,
        "+".join(kinds) or "verbatim",
    )


def _benign_message(
    g: _Gen, index: int, n_accounts: int, zh_share: float, ts: datetime
) -> SynthMessage:
    lang = "zh" if g.r.random() < zh_share else "en"
    account = f"user{g.r.randrange(n_accounts):06d}"
    conv = f"{account}/f{g.r.randint(0, 9)}"
    roll = g.r.random()
    label: str | None = None
    if roll < 0.3:
        text = g.greeting(lang)
    elif roll < 0.88:
        text = g.chatter(lang)
    else:
        pool = [t for t in sd.BENIGN_TEMPLATES if t[0].endswith("-" + lang)]
        name, tmpl = g.r.choice(pool)
        text = g.template(tmpl, lang)
        label = "benign:" + name
        if not name.startswith(("chain", "warning")):  # machine texts come from a few senders
            account = f"svc-{name}-{g.r.randint(0, 2)}"
            conv = f"{account}/{g.r.randint(0, 10**6)}"
    return SynthMessage(
        _mid(index), account, text, conv, _iso(ts), g.r.choice(_PLATFORMS), label, None, "benign"
    )


def _mid(index: int) -> str:
    return f"m{index:08d}"


def _iso(ts: datetime) -> str:
    return ts.strftime("%Y-%m-%dT%H:%M:%SZ")


def write_jsonl(messages: Iterable[SynthMessage], path: Path, *, with_labels: bool = False) -> int:
    """Write the messages as input records (id, account, text, conversation, ...)."""
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        for m in messages:
            rec: dict[str, str | None] = {
                "id": m.id,
                "account": m.account,
                "text": m.text,
                "conversation": m.conversation,
                "timestamp": m.timestamp,
                "platform": m.platform,
            }
            if with_labels:
                rec["script"] = m.script
                rec["campaign"] = m.campaign
                rec["variant"] = m.variant
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
    return n
