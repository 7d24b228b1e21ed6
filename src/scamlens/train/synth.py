"""Synthetic pig-butchering corpus: labelled messages, victim narratives and whole chats.

There is no public labelled pig-butchering chat corpus, so scamlens trains its learned models on
text generated from hand-written templates (``templates/*.yaml``, English and Chinese) that follow
the public record (FBI IC3, FinCEN FIN-2023-Alert005, victim-report studies; see DOMAIN.md).
Benign templates are deliberately hard negatives: couples who talk about money, friends who
trade on real exchanges, support agents who say "withdrawal", news that quotes scam phrases.

Everything is deterministic for a given seed: each generated item draws from its own
``random.Random`` seeded with a string built from the seed and the item's position, so the
first k items of ``n`` are the same for any ``n >= k`` and no global random state is touched.

Template syntax
    ``{slot}``          a slot filled from ``templates/slots.yaml`` or generated (see `SLOTS`)
    ``[[a|b|c]]``       a synonym group; one option is chosen (an option may be empty)

Every rendered item keeps its ``template_id`` ("<group id>/<hash of the template text>"), so a
trainer can split train and test by template (or by group: the part before "/") and
near-duplicate spins never straddle the split. Keep this corpus apart from evaluation data.

Command line::

    python -m scamlens.train.synth --kind messages|conversations|stats --n N --seed S --out FILE
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from scamlens.errors import ScamlensError
from scamlens.model import Conversation, Message, MessageKind, Stage

__all__ = [
    "BENIGN_TOPICS",
    "DEFAULT_SPIN",
    "LANGS",
    "MESSAGE_ONLY_TOPICS",
    "NO_SPIN",
    "SLOTS",
    "STAGES",
    "TACTICS",
    "SpinConfig",
    "SynthConversation",
    "SynthMessage",
    "Template",
    "TemplateBank",
    "TemplateError",
    "conversation_to_dict",
    "generate_conversations",
    "generate_messages",
    "load_bank",
    "main",
    "message_to_dict",
    "register",
    "render_template",
    "template_stats",
    "tron_address",
    "write_jsonl",
]

LANGS = ("en", "zh")
STAGES: tuple[str, ...] = tuple(s.value for s in Stage)
_STAGE_INDEX = {s: i for i, s in enumerate(STAGES)}

# Tactic id -> the stage where it normally appears (a template may use it in another stage).
TACTICS: dict[str, str] = {
    "wrong_number_opener": "contact",
    "dating_app_opener": "contact",
    "professional_opener": "contact",
    "group_invite": "contact",
    "move_to_messenger": "off_platform",
    "love_bombing": "grooming",
    "future_together": "grooming",
    "daily_care": "grooming",
    "avoid_video_call": "grooming",
    "probe_finances": "grooming",
    "persona_wealth": "grooming",
    "insider_tip": "investment_pivot",
    "mentor_or_relative_expert": "investment_pivot",
    "profit_screenshots": "investment_pivot",
    "guaranteed_returns": "investment_pivot",
    "exclusivity_trust": "investment_pivot",
    "platform_link": "onboarding",
    "buy_usdt_instructions": "onboarding",
    "customer_service_guide": "onboarding",
    "first_deposit": "onboarding",
    "fake_profits_shown": "fattening",
    "small_withdrawal_allowed": "fattening",
    "vip_tiers_bonus": "fattening",
    "limited_window": "fattening",
    "borrow_or_loan": "escalation",
    "chip_in_offer": "escalation",
    "urgency_pressure": "escalation",
    "withdrawal_tax": "withdrawal_block",
    "withdrawal_fee": "withdrawal_block",
    "frozen_account": "withdrawal_block",
    "unlock_deposit": "withdrawal_block",
    "aml_verification_fee": "withdrawal_block",
    "fake_regulator_letter": "withdrawal_block",
    "credit_score_penalty": "withdrawal_block",
    "guilt_and_threats": "withdrawal_block",
    "recovery_scam_offer": "exit_recovery",
    "vanished_or_blocked": "exit_recovery",
}
_TACTIC_ORDER = {t: i for i, t in enumerate(TACTICS)}

BENIGN_TOPICS = (
    "couple",  # real couples, long distance, money for flights and visas
    "investing",  # friends on real exchanges and brokers, taxes, "I cashed out"
    "family_money",  # loans, rent, down payments, red packets
    "recruiter",  # real recruiters and job talk
    "support",  # customer support of real companies
    "bank",  # bank notices and fraud alerts
    "news_warning",  # news and warnings that quote scam phrases
    "everyday",  # food, weather, work, kids, greetings
    "talk",  # everyday conversation: not following, who is this, work, plans, favours
    "group_chat",  # family, class and club groups
    "sms",  # deliveries, one-time codes, appointment reminders
    "crypto_edu",  # real crypto education and self-custody advice
    "charity",  # real charity appeals and fundraising
)

# Slots a template may use. Most come from slots.yaml; these are generated in code.
_GENERATED_SLOTS = ("amount", "qty", "wallet", "code", "domain", "percent", "days")
_LIST_SLOTS = (
    "name",
    "persona",
    "coin",
    "platform",
    "relative",
    "city",
    "food",
    "app",
    "exchange",
    "bank",
    "company",
    "time",
    "job",
    "month",
)
SLOTS: tuple[str, ...] = _LIST_SLOTS + _GENERATED_SLOTS
_SLOT_DATA_KEYS = (*_LIST_SLOTS, "domain_stem", "tld", "percent", "days")

REPLY_ROLES = ("reply", "doubt", "reassure", "filler")
ATTITUDES = ("engaged", "question", "hesitant", "refuse", "comply", "plead")
SPEAKERS = ("any", "self", "other", "victim", "scammer")

_SYN = re.compile(r"\[\[([^\[\]]*)\]\]")
_SLOT = re.compile(r"\{([a-z_]+)\}")
_LEFTOVER = re.compile(r"[{}]|\[\[|\]\]")

_PKG = "scamlens.train"


class TemplateError(ScamlensError):
    """A template data file is invalid; the message names the file and the key."""


# --------------------------------------------------------------------------- templates


@dataclass(frozen=True, slots=True)
class Template:
    """One template line. ``kind``: message | narrative | reply | doubt | reassure | filler."""

    id: str
    group: str
    lang: str
    script: str  # "latn" for English, "hans" / "hant" for Chinese
    kind: str
    text: str
    label: str | None  # scam | benign for messages and narratives; None for chat parts
    stage: str | None  # message: its stage; narrative: the furthest stage it covers
    stages: tuple[str, ...]  # narrative: stages covered; chat parts: stages it fits
    tactics: tuple[str, ...]
    topic: str | None  # benign topic
    speaker: str  # benign: any | self | other; filler: any | victim | scammer
    attitude: str | None  # victim replies
    source: str  # file name, for error messages
    after: tuple[str, ...] = ()  # victim replies: only after these tactics (empty: any)


@dataclass(frozen=True)
class TemplateBank:
    """All templates and slot values, with indexes for sampling. Iteration order is stable."""

    templates: tuple[Template, ...]
    slots: Mapping[str, Mapping[str, tuple[str, ...]]]  # lang -> slot -> values
    _index: dict[tuple[str, ...], tuple[Template, ...]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        idx: dict[tuple[str, ...], list[Template]] = {}
        for t in self.templates:
            keys: list[tuple[str, ...]] = [("kind", t.lang, t.kind)]
            if t.kind == "message" and t.label == "scam":
                keys += [("tactic", t.lang, x) for x in t.tactics]
                keys += [("stage_tactic", t.lang, t.stage or "", x) for x in t.tactics]
            elif t.kind == "message" and t.topic:
                keys.append(("topic", t.lang, t.topic))
            elif t.kind == "narrative":
                keys.append(("narrative", t.lang, t.label or ""))
            elif t.kind in ("reply", "doubt", "reassure"):
                for s in t.stages:
                    keys.append((t.kind, t.lang, s, t.attitude or ""))
            elif t.kind == "filler":
                keys.append(("filler", t.lang, t.speaker))
            for k in keys:
                idx.setdefault(k, []).append(t)
        self._index.update({k: tuple(v) for k, v in idx.items()})

    def get(self, *key: str) -> tuple[Template, ...]:
        return self._index.get(key, ())

    def tactics_for(self, lang: str, stage: str | None = None) -> tuple[str, ...]:
        """Tactics that have scam message templates in `lang` (optionally in `stage`)."""
        if stage is None:
            return tuple(t for t in TACTICS if self.get("tactic", lang, t))
        return tuple(t for t in TACTICS if self.get("stage_tactic", lang, stage, t))

    def topics_for(self, lang: str) -> tuple[str, ...]:
        return tuple(t for t in BENIGN_TOPICS if self.get("topic", lang, t))


def _template_id(group: str, text: str) -> str:
    return f"{group}/{hashlib.blake2b(text.encode('utf-8'), digest_size=4).hexdigest()}"


def _fail(source: str, where: str, what: str) -> TemplateError:
    return TemplateError(f"{source}: {where}: {what}")


def _str_list(value: object, source: str, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise _fail(source, where, "expected a list of non-empty strings")
    return tuple(value)


def _check_text(text: str, source: str, where: str) -> None:
    """Slots must be known and synonym groups well formed (no nesting, no stray brackets)."""
    for m in _SLOT.finditer(text):
        if m.group(1) not in SLOTS:
            raise _fail(source, where, f"unknown slot {{{m.group(1)}}}")
    for m in _SYN.finditer(text):
        options = m.group(1).split("|")
        if len(options) < 2 or not any(o.strip() for o in options):
            raise _fail(source, where, f"synonym group needs 2+ options: [[{m.group(1)}]]")
    rest = _SLOT.sub("", _SYN.sub("", text))
    if _LEFTOVER.search(rest):
        raise _fail(source, where, "stray '{', '}', '[[' or ']]'")
    if text != text.strip() or "\t" in text:
        raise _fail(source, where, "leading/trailing whitespace or tab")


def _parse_group(raw: object, lang: str, script: str, source: str, n: int) -> list[Template]:
    where = f"groups[{n}]"
    if not isinstance(raw, dict):
        raise _fail(source, where, "expected a mapping")
    gid = raw.get("id")
    if not isinstance(gid, str) or not re.fullmatch(r"[a-z0-9_.]+", gid):
        raise _fail(source, where, "id must be lower-case [a-z0-9_.]")
    where = f"group {gid}"
    if not gid.startswith(lang + "."):
        raise _fail(source, where, f"id must start with '{lang}.'")
    known = {
        "id", "kind", "label", "stage", "stages", "tactics", "topic", "speaker", "attitude",
        "after", "texts",
    }  # fmt: skip
    extra = set(raw) - known
    if extra:
        raise _fail(source, where, f"unknown keys {sorted(extra)}")
    kind = raw.get("kind", "message")
    if kind not in ("message", "narrative", *REPLY_ROLES):
        raise _fail(source, where, f"bad kind {kind!r}")
    label = raw.get("label")
    stage = raw.get("stage")
    stages = _str_list(raw.get("stages", []), source, where) if "stages" in raw else ()
    tactics = _str_list(raw.get("tactics", []), source, where) if "tactics" in raw else ()
    after = _str_list(raw.get("after", []), source, where) if "after" in raw else ()
    topic = raw.get("topic")
    speaker = raw.get("speaker", "any")
    attitude = raw.get("attitude")
    for s in (stage, *stages):
        if s is not None and s not in _STAGE_INDEX:
            raise _fail(source, where, f"unknown stage {s!r}")
    for t in (*tactics, *after):
        if t not in TACTICS:
            raise _fail(source, where, f"unknown tactic {t!r}")
    if after and kind != "reply":
        raise _fail(source, where, "after is only for replies")
    if len(set(tactics)) != len(tactics):
        raise _fail(source, where, "repeated tactic")
    if speaker not in SPEAKERS:
        raise _fail(source, where, f"bad speaker {speaker!r}")
    if kind in ("message", "narrative") and label not in ("scam", "benign"):
        raise _fail(source, where, "label must be scam or benign")
    if (kind == "message" and label == "scam") and (
        stage is None or not tactics or topic is not None or stages
    ):
        raise _fail(source, where, "scam message needs stage and tactics, no topic/stages")
    if kind == "message" and label == "benign":
        if topic not in BENIGN_TOPICS or tactics or stage is not None:
            raise _fail(source, where, "benign message needs a known topic, no stage/tactics")
        if speaker not in ("any", "self", "other"):
            raise _fail(source, where, "benign speaker must be any, self or other")
    if kind == "narrative":
        if stage is not None or topic is not None:
            raise _fail(source, where, "narrative takes stages, not stage/topic")
        if label == "scam":
            if not 2 <= len(stages) <= 5 or not tactics:
                raise _fail(source, where, "scam narrative needs 2-5 stages and tactics")
            if [_STAGE_INDEX[s] for s in stages] != sorted({_STAGE_INDEX[s] for s in stages}):
                raise _fail(source, where, "narrative stages must be distinct and in order")
            stage = stages[-1]
        elif stages or tactics:
            raise _fail(source, where, "benign narrative takes no stages/tactics")
    if kind in REPLY_ROLES:
        if label is not None or stage is not None or topic is not None:
            raise _fail(source, where, "chat parts take no label/stage/topic")
        if kind != "filler" and not stages:
            raise _fail(source, where, f"{kind} needs stages")
        if (kind == "reply") != (attitude is not None):
            raise _fail(source, where, "attitude is required for replies and only for them")
        if attitude is not None and attitude not in ATTITUDES:
            raise _fail(source, where, f"bad attitude {attitude!r}")
        if (kind == "reassure") != bool(tactics):
            raise _fail(source, where, "tactics are required for reassure and only for it")
        if kind == "filler" and speaker not in ("any", "victim", "scammer"):
            raise _fail(source, where, "filler speaker must be any, victim or scammer")
    texts = _str_list(raw.get("texts"), source, where)
    out = []
    for i, text in enumerate(texts):
        _check_text(text, source, f"{where} texts[{i}]")
        out.append(
            Template(
                id=_template_id(gid, text),
                group=gid,
                lang=lang,
                script=script,
                kind=kind,
                text=text,
                label=label,
                stage=stage,
                stages=stages,
                tactics=tactics,
                topic=topic,
                speaker=speaker,
                attitude=attitude,
                source=source,
                after=after,
            )
        )
    return out


def _load_yaml(path: Path) -> object:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"line {mark.line + 1}" if mark is not None else "?"
        raise TemplateError(
            f"{path.name}: {line}: invalid YAML ({exc.__class__.__name__})"
        ) from None


def _parse_slots(data: object, source: str) -> dict[str, dict[str, tuple[str, ...]]]:
    if not isinstance(data, dict) or set(data) != set(LANGS):
        raise _fail(source, "top level", f"expected keys {list(LANGS)}")
    out: dict[str, dict[str, tuple[str, ...]]] = {}
    for lang in LANGS:
        values = data[lang]
        if not isinstance(values, dict):
            raise _fail(source, lang, "expected a mapping")
        missing = set(_SLOT_DATA_KEYS) - set(values)
        extra = set(values) - set(_SLOT_DATA_KEYS)
        if missing or extra:
            raise _fail(source, lang, f"missing {sorted(missing)} unknown {sorted(extra)}")
        out[lang] = {}
        for key in _SLOT_DATA_KEYS:
            raw = values[key]
            if isinstance(raw, list):
                raw = [str(v) if isinstance(v, int) and not isinstance(v, bool) else v for v in raw]
            out[lang][key] = _str_list(raw, source, f"{lang}.{key}")
            for v in out[lang][key]:
                if _LEFTOVER.search(v) or "|" in v:
                    raise _fail(source, f"{lang}.{key}", f"bad characters in {v!r}")
    return out


def _templates_root(templates_dir: str | Path | None) -> Path:
    if templates_dir is not None:
        return Path(templates_dir)
    return Path(str(resources.files(_PKG).joinpath("templates")))


@lru_cache(maxsize=4)
def _load_bank_cached(root: str) -> TemplateBank:
    base = Path(root)
    slots_path = base / "slots.yaml"
    if not slots_path.is_file():
        raise TemplateError(f"{slots_path}: missing")
    slots = _parse_slots(_load_yaml(slots_path), slots_path.name)
    templates: list[Template] = []
    group_ids: dict[str, str] = {}
    texts: dict[tuple[str, str], str] = {}
    for path in sorted(base.glob("*.yaml")):
        if path.name == "slots.yaml":
            continue
        source = path.name
        data = _load_yaml(path)
        if not isinstance(data, dict) or set(data) - {"lang", "script", "groups"}:
            raise _fail(source, "top level", "expected keys lang, script, groups")
        lang = data.get("lang")
        if lang not in LANGS:
            raise _fail(source, "lang", f"must be one of {list(LANGS)}")
        script = data.get("script", "latn" if lang == "en" else "hans")
        if script not in ({"latn"} if lang == "en" else {"hans", "hant"}):
            raise _fail(source, "script", f"bad script {script!r} for {lang}")
        groups = data.get("groups")
        if not isinstance(groups, list) or not groups:
            raise _fail(source, "groups", "expected a non-empty list")
        for n, raw in enumerate(groups):
            for t in _parse_group(raw, lang, script, source, n):
                if t.group in group_ids and group_ids[t.group] != f"{source}#{n}":
                    raise _fail(
                        source, f"group {t.group}", f"id already used in {group_ids[t.group]}"
                    )
                group_ids[t.group] = f"{source}#{n}"
                key = (t.lang, t.text)
                if key in texts:
                    raise _fail(
                        source, f"group {t.group}", f"duplicate text (also in {texts[key]})"
                    )
                texts[key] = t.group
                templates.append(t)
    return TemplateBank(templates=tuple(templates), slots=slots)


def load_bank(templates_dir: str | Path | None = None) -> TemplateBank:
    """Load and validate every template file (cached per directory). Raises TemplateError."""
    return _load_bank_cached(str(_templates_root(templates_dir).resolve()))


# --------------------------------------------------------------------------- slot values

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def _b58encode(data: bytes) -> str:
    num = int.from_bytes(data, "big")
    out = ""
    while num:
        num, rem = divmod(num, 58)
        out = _B58[rem] + out
    pad = len(data) - len(data.lstrip(b"\0"))
    return "1" * pad + out


def tron_address(rng: random.Random) -> str:
    """A TRON address with a valid base58check checksum (random, not a real wallet)."""
    payload = b"\x41" + rng.getrandbits(160).to_bytes(20, "big")
    check = hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
    return _b58encode(payload + check)


def _wallet(rng: random.Random) -> str:
    if rng.random() < 0.7:
        return tron_address(rng)
    return "0x" + rng.getrandbits(160).to_bytes(20, "big").hex()  # lower case: no EIP-55


_EN_ONES = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
)  # fmt: skip
_EN_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


def _en_words(n: int) -> str:
    if n < 20:
        return _EN_ONES[n]
    if n < 100:
        return _EN_TENS[n // 10] + (f"-{_EN_ONES[n % 10]}" if n % 10 else "")
    if n < 1000:
        rest = f" {_en_words(n % 100)}" if n % 100 else ""
        return f"{_EN_ONES[n // 100]} hundred{rest}"
    for div, word in ((10**9, "billion"), (10**6, "million"), (1000, "thousand")):
        if n >= div:
            rest = f" {_en_words(n % div)}" if n % div else ""
            return f"{_en_words(n // div)} {word}{rest}"
    raise AssertionError(n)  # unreachable


_ZH_DIGITS = "零一二三四五六七八九"


def _zh_small(n: int) -> str:
    """1..9999 in Chinese numerals."""
    out: list[str] = []
    zero = False
    for unit_val, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // unit_val % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out.append("零")
            zero = False
        out.append(_ZH_DIGITS[d] + unit)
    return "".join(out)


def _zh_words(n: int) -> str:
    """Non-negative integer below 10**12 in Chinese numerals (二十五万, 一千零五十)."""
    if n == 0:
        return "零"
    yi, rest = divmod(n, 10**8)
    wan, low = divmod(rest, 10**4)
    parts: list[str] = []
    if yi:
        parts.append(_zh_small(yi) + "亿")
    if wan:
        if yi and wan < 1000:
            parts.append("零")
        parts.append(_zh_small(wan) + "万")
    if low:
        if (yi or wan) and low < 1000:
            parts.append("零")
        parts.append(_zh_small(low))
    text = "".join(parts)
    return text[1:] if text.startswith("一十") else text


# Amount ranges (US dollars) by stage or benign topic; Chinese amounts are in yuan (x7).
_AMOUNT_RANGES: dict[str, tuple[int, int]] = {
    "contact": (20, 500),
    "off_platform": (20, 500),
    "grooming": (20, 2000),
    "investment_pivot": (500, 20000),
    "onboarding": (300, 10000),
    "fattening": (2000, 150000),
    "escalation": (10000, 400000),
    "withdrawal_block": (2000, 120000),
    "exit_recovery": (1000, 300000),
    "narrative": (1000, 500000),
    "family_money": (100, 80000),
    "investing": (100, 50000),
    "couple": (50, 3000),
    "default": (5, 3000),
}


def _sample_value(rng: random.Random, lo: int, hi: int) -> int:
    """Log-uniform, then rounded the way people write amounts (mostly round numbers)."""
    v = lo * (hi / lo) ** rng.random()
    digits = len(str(int(v)))
    r = rng.random()
    keep = 1 if r < 0.45 else 2 if r < 0.85 else 3
    step = 10 ** max(digits - keep, 0)
    return max(int(round(v / step) * step), 1)


def _fmt_thousands(v: int) -> str:
    return f"{v:,}"


def _fmt_k(v: int) -> str | None:
    if v >= 1000 and v % 100 == 0:
        k = v / 1000
        return f"{k:g}k"
    return None


def _fmt_wan(v: int) -> str | None:
    if v >= 10000 and v % 1000 == 0:
        return f"{v / 10000:g}万"
    return None


def _qty(v: int, lang: str, rng: random.Random, words: bool) -> str:
    """A bare number as people write it (5,000 / 5000 / 5k; 5000 / 5万 / 五万)."""
    if lang == "en":
        if words:
            return _en_words(v)
        opts = [_fmt_thousands(v), str(v)]
        k = _fmt_k(v)
        if k:
            opts.append(k)
        return rng.choice(opts)
    if words:
        return _zh_words(v)
    opts = [str(v)]
    wan = _fmt_wan(v)
    if wan:
        opts += [wan, wan, wan.replace("万", "w")]
    return rng.choice(opts)


def _amount(v: int, lang: str, rng: random.Random, words: bool) -> str:
    """Money with its currency ($5,000 / 5,000 dollars; 5万元 / 50000块)."""
    if lang == "en":
        if words:
            return f"{_en_words(v)} dollars"
        opts = [f"${_fmt_thousands(v)}", f"${v}", f"{_fmt_thousands(v)} dollars", f"{v} USD"]
        k = _fmt_k(v)
        if k:
            opts.append(f"${k}")
        return rng.choice(opts)
    num = _qty(v, lang, rng, words)
    return num + rng.choice(("元", "块", "块钱", "元")) if not num.endswith("w") else num


def _percent(p: str, lang: str, rng: random.Random, words: bool) -> str:
    if lang == "en":
        return f"{p} percent" if words else rng.choice((f"{p}%", f"{p}%", f"{p} percent"))
    return f"百分之{_zh_words(int(p))}" if words else f"{p}%"


# --------------------------------------------------------------------------- spinning


@dataclass(frozen=True, slots=True)
class SpinConfig:
    """Per-message probabilities of each surface change. All zero renders templates plainly.

    obfuscation_rate applies to scam messages (filter evasion is a scammer habit);
    benign_obfuscation_rate keeps a little of it in benign text so it is not a perfect tell.
    traditional_rate converts Simplified Chinese output to Traditional characters.
    Every change but obfuscation applies to both labels alike, so none of them is a tell.
    """

    typo_rate: float = 0.08
    emoji_rate: float = 0.15
    case_rate: float = 0.12
    obfuscation_rate: float = 0.12
    benign_obfuscation_rate: float = 0.02
    traditional_rate: float = 0.1
    affix_rate: float = 0.15  # chatty opener or closer ("Btw, ...", "... haha", "对了，...")
    slang_rate: float = 0.15  # texting style: "u", "pls", "tmrw"; 啥, 咋, 咱们

    def __post_init__(self) -> None:
        for name in self.__slots__:
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"SpinConfig.{name} must be in [0, 1], got {value}")


DEFAULT_SPIN = SpinConfig()
NO_SPIN = SpinConfig(
    typo_rate=0.0,
    emoji_rate=0.0,
    case_rate=0.0,
    obfuscation_rate=0.0,
    benign_obfuscation_rate=0.0,
    traditional_rate=0.0,
    affix_rate=0.0,
    slang_rate=0.0,
)

_EMOJI = (
    "😊", "😘", "❤️", "🌹", "🙏", "👍", "😂", "🥰", "💕", "☺️", "😅", "🤗", "✨", "🌞",
    "🌙", "💪", "📈", "💰", "🎉", "😍", "🤔", "😢", "👌", "🙂",
)  # fmt: skip
_ZWSP = ("\u200b", "\u200c", "\u2060", "\u00ad")
_HOMO = {
    "a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у", "i": "і",
    "A": "А", "E": "Е", "O": "О", "P": "Р", "C": "С", "T": "Т", "X": "Х", "H": "Н",
    "K": "К", "M": "М", "B": "В", "S": "Ѕ",
}  # fmt: skip
_EN_KEYWORDS = (
    "withdrawal", "withdraw", "deposit", "USDT", "wallet", "platform", "profit", "investment",
    "invest", "tax", "fee", "crypto", "bitcoin", "account", "verify", "frozen", "unlock",
    "trading", "returns", "margin", "bonus", "Telegram", "WhatsApp", "transfer", "customer service",
)  # fmt: skip
_ZH_KEYWORDS = (
    "提现", "充值", "入金", "出金", "投资", "平台", "保证金", "客服", "泰达币", "收益", "冻结",
    "解冻", "税费", "手续费", "导师", "老师", "带单", "内幕", "稳赚", "钱包", "转账", "利润",
    "盈利", "账户", "风控", "個人所得稅", "提現", "儲值", "投資", "平臺", "客服", "凍結",
)  # fmt: skip
_ZH_TYPOS = (
    ("的", "得"), ("在", "再"), ("做", "作"), ("已", "以"), ("那", "哪"), ("他", "她"),
    ("吗", "嘛"), ("到", "道"), ("像", "象"), ("在", "再"), ("得", "的"), ("再", "在"),
)  # fmt: skip
_OBF_OPS = ("zero_width", "homoglyph", "coin_u", "spaced", "numbers")
_SLANG = {
    "en": {
        "you're": ("ur",), "your": ("ur", "yr"), "you": ("u",), "are": ("r",),
        "please": ("pls", "plz"), "thanks": ("thx", "ty"), "Thanks": ("Thx", "Ty"),
        "tomorrow": ("tmrw", "tmr"), "okay": ("ok", "k"), "because": ("cuz", "bc"),
        "really": ("rly",), "people": ("ppl",), "though": ("tho",), "right now": ("rn",),
        "message": ("msg",), "minutes": ("mins",), "I don't know": ("idk",),
        "to be honest": ("tbh",), "for real": ("fr",), "going to": ("gonna",),
        "want to": ("wanna",),
    },
    "zh": {
        "什么": ("啥",), "谢谢": ("谢啦", "多谢", "3Q"), "没有": ("没",), "好的": ("好滴", "ok"),
        "怎么": ("咋",), "我们": ("咱们",), "非常": ("超",), "漂亮": ("美",), "现在": ("这会儿",),
        "一下": ("一哈",), "知道": ("晓得",), "不要": ("别",),
    },
}  # fmt: skip
_SLANG_RE = {
    lang: re.compile(
        "|".join(
            (r"\b" + re.escape(k) + r"\b") if lang == "en" else re.escape(k)
            for k in sorted(table, key=len, reverse=True)
        )
    )
    for lang, table in _SLANG.items()
}
_AFFIX = {
    "en": (
        ("Hey, ", "Honestly, ", "Btw, ", "Oh, ", "Listen, ", "So ", "Ok so ", "Well, ", "Hi, "),
        (" haha", " lol", " :)", " tbh", " ok?", " hehe"),
    ),
    "zh": (
        ("对了，", "说真的，", "哎，", "亲，", "嗯，", "那个，", "跟你说，"),
        ("哈哈", "呢", "啦", "哈", "嘛", "哈哈哈"),
    ),
}


@lru_cache(maxsize=1)
def _s2t() -> dict[str, str]:
    """Simplified -> Traditional: unambiguous inverses of scamlens' t2s table, then our own
    pairs (templates/t2s_extra.txt), which win; identity pairs there keep a character as is."""

    def pairs(pkg: str, name: str) -> list[tuple[str, str]]:
        text = resources.files(pkg).joinpath(name).read_text(encoding="utf-8")
        out = []
        for line in text.splitlines():
            if not line.startswith("#"):
                out += [(p[0], p[1]) for p in line.split() if len(p) == 2]
        return out

    inverse: dict[str, set[str]] = {}
    for trad, simp in pairs("scamlens.text", "t2s.txt"):
        if trad != simp:
            inverse.setdefault(simp, set()).add(trad)
    table = {s: next(iter(ts)) for s, ts in sorted(inverse.items()) if len(ts) == 1}
    for trad, simp in pairs(_PKG, "templates/t2s_extra.txt"):
        table[simp] = trad
    return {s: t for s, t in table.items() if s != t}


def to_traditional(text: str) -> str:
    """Character-level Simplified -> Traditional (covers our vocabulary, not all Chinese)."""
    table = _s2t()
    return "".join(table.get(ch, ch) for ch in text)


def _find_keyword(text: str, keywords: Sequence[str]) -> re.Match[str] | None:
    for kw in keywords:
        m = re.search(re.escape(kw), text, re.IGNORECASE)
        if m:
            return m
    return None


def _obfuscate(text: str, op: str, lang: str, rng: random.Random) -> str:
    """Apply one evasion trick; returns the text unchanged when it does not apply."""
    keywords = _EN_KEYWORDS if lang == "en" else _ZH_KEYWORDS + _EN_KEYWORDS
    if op == "zero_width":
        m = _find_keyword(text, keywords)
        if m and m.end() - m.start() >= 2:
            cut = m.start() + rng.randint(1, m.end() - m.start() - 1)
            return text[:cut] + rng.choice(_ZWSP) + text[cut:]
    elif op == "homoglyph":
        m = _find_keyword(text, _EN_KEYWORDS)
        if m:
            word = list(m.group(0))
            spots = [i for i, ch in enumerate(word) if ch in _HOMO]
            for i in rng.sample(spots, min(len(spots), rng.randint(1, 2))):
                word[i] = _HOMO[word[i]]
            return text[: m.start()] + "".join(word) + text[m.end() :]
    elif op == "coin_u":
        m = re.search(r"\bUSDT\b|泰达币", text)
        if m:
            sub = rng.choice(("U", "U", "u", '"U"', "Ｕ", "usdt"))
            return text[: m.start()] + sub + text[m.end() :]
    elif op == "spaced" and lang == "zh":
        m = _find_keyword(text, _ZH_KEYWORDS)
        if m:
            sep = rng.choice((" ", " ", "-", ".", "*", "/", "、"))
            return text[: m.start()] + sep.join(m.group(0)) + text[m.end() :]
    return text


def _typo(text: str, lang: str, rng: random.Random) -> str:
    if lang == "zh":
        pairs = [p for p in _ZH_TYPOS if p[0] in text]
        if not pairs:
            return text
        a, b = rng.choice(pairs)
        spots = [i for i, ch in enumerate(text) if ch == a]
        i = rng.choice(spots)
        return text[:i] + b + text[i + 1 :]
    tokens = text.split(" ")
    # Only plain words: never touch wallets, domains, codes or amounts.
    spots = [i for i, tok in enumerate(tokens) if tok.isalpha() and tok.isascii() and len(tok) >= 4]
    if not spots:
        return text
    i = rng.choice(spots)
    w = tokens[i]
    j = rng.randint(1, len(w) - 2)
    op = rng.randrange(3)
    if op == 0:
        w = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    elif op == 1:
        w = w[:j] + w[j + 1 :]
    else:
        w = w[:j] + w[j] + w[j:]
    tokens[i] = w
    return " ".join(tokens)


def _recase(text: str, rng: random.Random) -> str:
    tokens = text.split(" ")
    words = [
        i for i, tok in enumerate(tokens) if tok.isalpha() and tok.isascii() and len(tok) <= 20
    ]
    if not words:
        return text
    op = rng.randrange(3)
    if op == 0:  # all lower case, as typed on a phone
        for i in words:
            tokens[i] = tokens[i].lower()
    elif op == 1:
        tokens[words[0]] = tokens[words[0]].lower()
    else:  # one shouted word
        i = rng.choice(words)
        tokens[i] = tokens[i].upper()
    return " ".join(tokens)


def _slang(text: str, lang: str, rng: random.Random) -> str:
    table = _SLANG[lang]

    def sub(m: re.Match[str]) -> str:
        return rng.choice(table[m.group(0)]) if rng.random() < 0.6 else m.group(0)

    return _SLANG_RE[lang].sub(sub, text)


def _add_affix(text: str, lang: str, rng: random.Random) -> str:
    prefixes, suffixes = _AFFIX[lang]
    if rng.random() < 0.5:
        end = len(text.rstrip("。！？!?.~"))
        if lang == "zh":  # 在一起呢。 not 在一起。呢
            return text[:end] + rng.choice(suffixes) + text[end:]
        return text + rng.choice(suffixes)
    first = text.split(" ", 1)[0]
    # Lower-case the old first word after an opener unless it is "I", a name-like word or caps.
    if lang == "en" and first.isalpha() and first not in ("I", "I'm") and first[1:].islower():
        text = text[0].lower() + text[1:]
    return rng.choice(prefixes) + text


def _add_emoji(text: str, rng: random.Random) -> str:
    e = rng.choice(_EMOJI) * rng.choice((1, 1, 1, 2, 3))
    r = rng.random()
    if r < 0.7:
        return f"{text} {e}" if rng.random() < 0.6 else text + e
    if r < 0.85:
        return f"{e} {text}"
    cuts = [i + 1 for i, ch in enumerate(text[:-1]) if ch in ".,!?。，！？"]
    if not cuts:
        return f"{text} {e}"
    i = rng.choice(cuts)
    return text[:i] + e + text[i:]


@dataclass(slots=True)
class _RenderCtx:
    bindings: dict[str, str] = field(default_factory=dict)
    amount_key: str = "default"


def _slot_value(
    slot: str, lang: str, bank: TemplateBank, rng: random.Random, ctx: _RenderCtx, words: bool
) -> str:
    if slot in ctx.bindings:
        return ctx.bindings[slot]
    data = bank.slots[lang]
    if slot == "amount" or slot == "qty":
        lo, hi = _AMOUNT_RANGES.get(ctx.amount_key, _AMOUNT_RANGES["default"])
        mult = 7 if lang == "zh" else 1
        v = _sample_value(rng, lo * mult, hi * mult)
        return _amount(v, lang, rng, words) if slot == "amount" else _qty(v, lang, rng, words)
    if slot == "wallet":
        return _wallet(rng)
    if slot == "code":
        return f"{rng.randrange(10**6):06d}"
    if slot == "domain":
        stem = rng.choice(data["domain_stem"])
        return stem + rng.choice(data["tld"])
    if slot == "percent":
        values = data["percent"]
        if ctx.amount_key in BENIGN_TOPICS:  # real rates and fees are small
            values = tuple(v for v in values if int(v) <= 10) or values
        return _percent(rng.choice(values), lang, rng, words)
    if slot == "days":
        d = rng.choice(data["days"])
        if words:
            return _en_words(int(d)) if lang == "en" else _zh_words(int(d))
        return d
    return rng.choice(data[slot])


def render_template(
    t: Template,
    rng: random.Random,
    bank: TemplateBank,
    spin: SpinConfig = DEFAULT_SPIN,
    *,
    bindings: Mapping[str, str] | None = None,
    amount_key: str | None = None,
    force_traditional: bool = False,
) -> str:
    """Fill slots and synonym groups, then apply the spin. Deterministic for a given rng state."""
    ctx = _RenderCtx(
        bindings=dict(bindings or {}),
        amount_key=amount_key or t.stage or t.topic or "default",
    )
    if t.kind == "narrative":
        ctx.amount_key = "narrative"
    scam = t.label == "scam" or t.kind == "reassure"
    obf_rate = spin.obfuscation_rate if scam else spin.benign_obfuscation_rate
    obf = rng.random() < obf_rate
    op = rng.choice(_OBF_OPS) if obf else ""
    words = op == "numbers"
    text = _SYN.sub(lambda m: rng.choice(m.group(1).split("|")), t.text)
    text = _SLOT.sub(lambda m: _slot_value(m.group(1), t.lang, bank, rng, ctx, words), text)
    text = re.sub(r" {2,}", " ", text).strip()  # empty synonym options leave double spaces
    if rng.random() < spin.slang_rate:
        text = _slang(text, t.lang, rng)
    if (t.lang == "zh" and t.script == "hans") and (
        force_traditional or rng.random() < spin.traditional_rate
    ):
        text = to_traditional(text)
    if op and not words:
        text = _obfuscate(text, op, t.lang, rng)
    if rng.random() < spin.affix_rate:
        text = _add_affix(text, t.lang, rng)
    if rng.random() < spin.typo_rate:
        text = _typo(text, t.lang, rng)
    if rng.random() < spin.case_rate:
        text = _recase(text, rng)
    if rng.random() < spin.emoji_rate:
        text = _add_emoji(text, rng)
    return text


# --------------------------------------------------------------------------- messages


@dataclass(frozen=True, slots=True)
class SynthMessage:
    """One generated message or narrative with its labels."""

    text: str
    label: str  # "scam" | "benign"
    tactics: tuple[str, ...]
    stage: str | None  # narratives: the furthest stage they cover
    lang: str  # "en" | "zh"
    kind: str  # "message" | "narrative"
    template_id: str  # split key: never let one template straddle train and test
    topic: str | None = None  # benign topic

    @property
    def group(self) -> str:
        """The template group (coarser split key)."""
        return self.template_id.split("/", 1)[0]


def _check_lang(lang: str | None) -> None:
    if lang is not None and lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS} or None, got {lang!r}")


def _check_ratio(name: str, value: float) -> None:
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} must be in [0, 1], got {value}")


def generate_messages(
    n: int,
    seed: int,
    lang: str | None = None,
    *,
    scam_ratio: float = 0.5,
    narrative_ratio: float = 0.1,
    zh_ratio: float = 0.5,
    spin: SpinConfig = DEFAULT_SPIN,
    templates_dir: str | Path | None = None,
) -> list[SynthMessage]:
    """`n` labelled messages. Scam messages are sampled tactic-first (tactics evenly covered),
    benign messages topic-first; `narrative_ratio` of items are first-person narratives
    (scam: victims' stories; benign: real couples and real investing, as hard negatives)."""
    _check_lang(lang)
    for name, value in (("scam_ratio", scam_ratio), ("narrative_ratio", narrative_ratio)):
        _check_ratio(name, value)
    _check_ratio("zh_ratio", zh_ratio)
    if n < 0:
        raise ValueError("n must be >= 0")
    bank = load_bank(templates_dir)
    out: list[SynthMessage] = []
    for i in range(n):
        rng = random.Random(f"scamlens.synth/messages/{seed}/{i}")
        lg = lang or ("zh" if rng.random() < zh_ratio else "en")
        label = "scam" if rng.random() < scam_ratio else "benign"
        if rng.random() < narrative_ratio and bank.get("narrative", lg, label):
            t = rng.choice(bank.get("narrative", lg, label))
        elif label == "scam":
            tactic = rng.choice(bank.tactics_for(lg))
            t = rng.choice(bank.get("tactic", lg, tactic))
        else:
            topic = rng.choice(bank.topics_for(lg))
            t = rng.choice(bank.get("topic", lg, topic))
        text = render_template(t, rng, bank, spin)
        out.append(
            SynthMessage(
                text=text,
                label=label,
                tactics=t.tactics,
                stage=t.stage,
                lang=lg,
                kind=t.kind,
                template_id=t.id,
                topic=t.topic,
            )
        )
    return out


# --------------------------------------------------------------------------- conversations


@dataclass(frozen=True, slots=True)
class SynthConversation:
    """A generated chat plus its labels, one entry per message in the per-message tuples.

    roles: script (a scammer's scripted line), reassure (scammer answers a doubt), reply (victim),
    doubt (victim voices suspicion: a counter-signal), filler (small talk), media, benign.
    """

    id: str
    conversation: Conversation
    label: str  # "scam" | "benign"
    lang: str
    scenario: str  # scam: romance | wrong_number | professional | group | recovery; else topic
    furthest_stage: str | None
    stages: tuple[str | None, ...]
    tactics: tuple[tuple[str, ...], ...]
    roles: tuple[str, ...]
    message_template_ids: tuple[str | None, ...]

    @property
    def template_ids(self) -> tuple[str, ...]:
        """Distinct template ids used, sorted (for grouped splits)."""
        return tuple(sorted({t for t in self.message_template_ids if t is not None}))

    @property
    def message_templates(self) -> tuple[str, ...]:
        """Template ids in the order first used (messages without a template are skipped)."""
        return tuple(dict.fromkeys(t for t in self.message_template_ids if t is not None))

    @property
    def counter_signals(self) -> tuple[int, ...]:
        """Indices of messages where the victim questioned the scam."""
        return tuple(i for i, r in enumerate(self.roles) if r == "doubt")


_SCENARIOS = (("romance", 35), ("wrong_number", 25), ("professional", 13), ("group", 15))
_RECOVERY_SHARE = 0.08
_OPENER = {
    "romance": "dating_app_opener",
    "wrong_number": "wrong_number_opener",
    "professional": "professional_opener",
    "group": "group_invite",
}
# Where lifecycle chats stop (weights): many stop early, many reach the withdrawal block.
_FURTHEST = (
    ("contact", 2), ("off_platform", 3), ("grooming", 12), ("investment_pivot", 14),
    ("onboarding", 11), ("fattening", 11), ("escalation", 12), ("withdrawal_block", 22),
    ("exit_recovery", 13),
)  # fmt: skip
_ATTITUDE_WEIGHTS: dict[str, tuple[tuple[str, int], ...]] = {
    "contact": (("engaged", 6), ("question", 3), ("hesitant", 1)),
    "off_platform": (("engaged", 5), ("question", 2), ("hesitant", 2)),
    "grooming": (("engaged", 8), ("question", 2), ("hesitant", 1)),
    "investment_pivot": (("engaged", 3), ("question", 4), ("hesitant", 3), ("refuse", 1)),
    "onboarding": (("question", 4), ("comply", 4), ("hesitant", 2)),
    "fattening": (("engaged", 4), ("comply", 3), ("question", 2)),
    "escalation": (("hesitant", 4), ("refuse", 2), ("comply", 3), ("question", 1)),
    "withdrawal_block": (("question", 4), ("hesitant", 2), ("refuse", 2), ("comply", 2)),
    "exit_recovery": (("question", 3), ("hesitant", 2), ("comply", 2), ("engaged", 2)),
}
_DOUBT_RATE = {
    "investment_pivot": 0.08,
    "onboarding": 0.06,
    "fattening": 0.03,
    "escalation": 0.08,
    "withdrawal_block": 0.15,
    "exit_recovery": 0.1,
}
# (min lines, max lines) of scripted scammer lines per stage (grooming is per day).
_LINES = {
    "contact": (1, 2),
    "off_platform": (1, 2),
    "grooming": (1, 3),
    "investment_pivot": (2, 5),
    "onboarding": (2, 5),
    "fattening": (2, 5),
    "escalation": (2, 4),
    "withdrawal_block": (2, 6),
    "exit_recovery": (1, 2),
}
_ROMANCE_ONLY = {"love_bombing": 0.15, "future_together": 0.15}
_TACTIC_WEIGHT = {"daily_care": 3.0, "fake_profits_shown": 2.0, "withdrawal_tax": 2.5}
_MEDIA_TEXT = {"en": "<Media omitted>", "zh": "[图片]"}
_BENIGN_PLATFORMS = {
    "en": ("whatsapp", "whatsapp", "imessage", "telegram", "messenger", "signal"),
    "zh": ("wechat", "wechat", "wechat", "whatsapp", "line"),
}
_SCAM_PLATFORMS = {
    "WhatsApp": "whatsapp", "Telegram": "telegram", "LINE": "line", "微信": "wechat",
    "WeChat": "wechat", "Signal": "signal", "飞机": "telegram", "纸飞机": "telegram", "QQ": "qq",
}  # fmt: skip
_TZ_HOURS = {"en": (-8, -7, -6, -5, -5, -4, 0, 1, 10), "zh": (8,)}


def _weighted(rng: random.Random, items: Sequence[tuple[str, float]]) -> str:
    total = sum(w for _, w in items)
    r = rng.random() * total
    for item, w in items:
        r -= w
        if r < 0:
            return item
    return items[-1][0]


class _Chat:
    """Accumulates messages and their labels while a conversation is generated."""

    def __init__(
        self,
        rng: random.Random,
        bank: TemplateBank,
        lang: str,
        spin: SpinConfig,
        start: datetime,
        bindings: dict[str, str],
        traditional: bool,
    ) -> None:
        self.rng = rng
        self.bank = bank
        self.lang = lang
        self.spin = spin
        self.t = start
        self.bindings = bindings
        self.traditional = traditional
        self.messages: list[Message] = []
        self.stages: list[str | None] = []
        self.tactics: list[tuple[str, ...]] = []
        self.roles: list[str] = []
        self.tids: list[str | None] = []
        self.used: set[str] = set()

    def gap(self, lo_s: int, hi_s: int) -> None:
        self.t += timedelta(seconds=self.rng.randint(lo_s, hi_s))

    def next_day(self, lo: int = 1, hi: int = 1) -> None:
        day = self.t + timedelta(days=self.rng.randint(lo, hi))
        hour = self.rng.randint(7, 22)
        moved = day.replace(
            hour=hour, minute=self.rng.randint(0, 59), second=self.rng.randint(0, 59)
        )
        self.t = max(moved, self.t + timedelta(minutes=5))

    def pick(self, pool: Sequence[Template]) -> Template:
        fresh = [t for t in pool if t.id not in self.used]
        t = self.rng.choice(fresh or list(pool))
        self.used.add(t.id)
        return t

    def add(
        self,
        sender: str,
        is_user: bool,
        text: str,
        *,
        stage: str | None,
        role: str,
        tactics: tuple[str, ...] = (),
        tid: str | None = None,
        kind: MessageKind = MessageKind.TEXT,
    ) -> None:
        last = self.messages[-1].timestamp if self.messages else None
        if last is not None and self.t <= last:
            self.gap(15, 600)  # every message later than the one before
        self.messages.append(
            Message(
                index=len(self.messages),
                sender=sender,
                text=text,
                timestamp=self.t,
                is_user=is_user,
                kind=kind,
            )
        )
        self.stages.append(stage)
        self.tactics.append(tactics)
        self.roles.append(role)
        self.tids.append(tid)

    def say(
        self,
        t: Template,
        sender: str,
        is_user: bool,
        *,
        stage: str | None,
        role: str,
        bindings: Mapping[str, str] | None = None,
    ) -> None:
        text = render_template(
            t,
            self.rng,
            self.bank,
            self.spin,
            bindings=self.bindings if bindings is None else bindings,
            amount_key=stage if stage is not None else (t.topic or "default"),
            force_traditional=self.traditional,
        )
        self.add(sender, is_user, text, stage=stage, role=role, tactics=t.tactics, tid=t.id)


def _participants(chat: _Chat, me: str) -> tuple[str, ...]:
    """The phone's owner first, then everyone else in order of their first message."""
    return tuple(dict.fromkeys([me, *(m.sender for m in chat.messages if m.sender)]))


def _names(bank: TemplateBank, lang: str, key: str, rng: random.Random, k: int) -> list[str]:
    pool = list(bank.slots[lang][key])
    rng.shuffle(pool)
    return pool[:k]


def _start_time(rng: random.Random, lang: str) -> datetime:
    tz = timezone(timedelta(hours=rng.choice(_TZ_HOURS[lang])))
    base = datetime(2023, 1, 1, tzinfo=UTC) + timedelta(days=rng.randint(0, 1000))
    return base.astimezone(tz).replace(hour=rng.randint(8, 22), minute=rng.randint(0, 59))


def _prefer_script(chat: _Chat, pool: Sequence[Template]) -> Sequence[Template]:
    """Traditional-Chinese chats use hand-written Traditional templates when there are some."""
    if chat.lang != "zh":
        return pool
    want = "hant" if chat.traditional else "hans"
    same = [t for t in pool if t.script == want]
    if chat.traditional and same and chat.rng.random() < 0.3:
        return pool  # mix in converted Simplified templates too
    return same or pool


def _victim_reply(
    chat: _Chat, stage: str, victim: str, attitude: str | None = None, after: str | None = None
) -> None:
    """The victim answers; replies tagged `after` a tactic are used only after that tactic."""
    if attitude is None:
        attitude = _weighted(chat.rng, _ATTITUDE_WEIGHTS[stage])
    pool = chat.bank.get("reply", chat.lang, stage, attitude) or chat.bank.get(
        "reply", chat.lang, stage, "engaged"
    )
    fitting = [t for t in pool if not t.after or after in t.after]
    pool = tuple(fitting) or pool
    if pool:
        chat.say(chat.pick(_prefer_script(chat, pool)), victim, True, stage=stage, role="reply")


def _filler(chat: _Chat, stage: str | None, scammer: str, victim: str, pairs: int) -> None:
    bank, lang = chat.bank, chat.lang
    for _ in range(pairs):
        for who, is_user in ((scammer, False), (victim, True)):
            if chat.rng.random() < 0.25:
                continue
            own = bank.get("filler", lang, "scammer" if not is_user else "victim")
            pool = list(own) + list(bank.get("filler", lang, "any"))
            if chat.rng.random() < 0.15:
                pool = list(bank.get("topic", lang, "everyday")) or pool
            if pool:
                chat.say(
                    chat.pick(_prefer_script(chat, pool)), who, is_user, stage=stage, role="filler"
                )
            chat.gap(20, 900)


def _doubt(chat: _Chat, stage: str, scammer: str, victim: str, answer: bool) -> None:
    pool = chat.bank.get("doubt", chat.lang, stage, "")
    if not pool:
        return
    chat.say(chat.pick(_prefer_script(chat, pool)), victim, True, stage=stage, role="doubt")
    if answer:
        back = chat.bank.get("reassure", chat.lang, stage, "")
        if back:
            chat.gap(30, 1800)
            chat.say(
                chat.pick(_prefer_script(chat, back)), scammer, False, stage=stage, role="reassure"
            )


def _stage_tactics(chat: _Chat, stage: str, scenario: str, k: int) -> list[str]:
    available = chat.bank.tactics_for(chat.lang, stage)
    if stage == "contact":
        opener = _OPENER.get(scenario)
        return [opener] * k if opener in available else list(available[:1]) * k
    weights = []
    for t in available:
        w = _TACTIC_WEIGHT.get(t, 1.0)
        if scenario != "romance" and t in _ROMANCE_ONLY:
            w *= _ROMANCE_ONLY[t]
        if scenario == "recovery" and t != "recovery_scam_offer":
            w = 0.0
        if scenario != "recovery" and t == "recovery_scam_offer":
            w = 0.0
        weights.append((t, w))
    weights = [(t, w) for t, w in weights if w > 0]
    picks: list[str] = []
    left = list(weights)
    for _ in range(k):  # distinct tactics first; repeats only once every tactic is used
        left = left or list(weights)
        if not left:
            break
        pick = _weighted(chat.rng, left)
        picks.append(pick)
        left = [(t, w) for t, w in left if t != pick]
    return sorted(picks, key=_TACTIC_ORDER.__getitem__)  # e.g. platform link before deposit


def _scripted(
    chat: _Chat, stage: str, tactic: str, sender: str, bindings: Mapping[str, str] | None = None
) -> None:
    pool = chat.bank.get("stage_tactic", chat.lang, stage, tactic)
    if tactic in ("profit_screenshots", "fake_profits_shown") and chat.rng.random() < 0.5:
        chat.add(sender, False, _MEDIA_TEXT[chat.lang], stage=stage, role="media",
                 kind=MessageKind.MEDIA)  # fmt: skip
    chat.say(chat.pick(_prefer_script(chat, pool)), sender, False, stage=stage, role="script",
             bindings=bindings)  # fmt: skip


def _scam_conversation(idx: int, seed: int, lang: str | None, zh_ratio: float,
                       bank: TemplateBank, spin: SpinConfig) -> SynthConversation:  # fmt: skip
    rng = random.Random(f"scamlens.synth/conversations/{seed}/{idx}/scam")
    lg = lang or ("zh" if rng.random() < zh_ratio else "en")
    traditional = lg == "zh" and rng.random() < spin.traditional_rate * 1.5
    slots = bank.slots[lg]
    victim, other_name = _names(bank, lg, "name", rng, 2)
    persona = rng.choice(slots["persona"])
    bindings = {
        k: rng.choice(slots[k]) for k in ("coin", "platform", "relative", "city", "app", "exchange")
    }
    bindings["domain"] = rng.choice(slots["domain_stem"]) + rng.choice(slots["tld"])
    bindings["wallet"] = _wallet(rng)
    bindings["name"] = victim
    bindings["persona"] = persona
    chat = _Chat(rng, bank, lg, spin, _start_time(rng, lg), bindings, traditional)

    if rng.random() < _RECOVERY_SHARE:
        scenario, stages = "recovery", ["exit_recovery"]
    else:
        scenario = _weighted(rng, _SCENARIOS)
        furthest = _weighted(rng, _FURTHEST)
        stages = list(STAGES[: _STAGE_INDEX[furthest] + 1])
    team = [persona]
    if scenario == "group":
        team += _names(bank, lg, "persona", rng, 4)[:3]
    platform = _SCAM_PLATFORMS.get(bindings["app"], "whatsapp")

    for stage in stages:
        lo, hi = (2, 5) if scenario == "recovery" else _LINES[stage]
        if stage == "grooming":
            for _ in range(rng.randint(3, 14)):
                chat.next_day(1, 2)
                for tactic in _stage_tactics(chat, stage, scenario, rng.randint(lo, hi)):
                    _scripted(chat, stage, tactic, persona)
                    if rng.random() < 0.85:
                        _victim_reply(chat, stage, victim, after=tactic)
                    _filler(chat, stage, persona, victim, rng.randint(0, 3))
            continue
        if stage == "exit_recovery" and scenario != "recovery":
            chat.next_day(1, 4)
            for tactic in _stage_tactics(chat, stage, scenario, rng.randint(lo, hi)):
                _scripted(chat, stage, tactic, persona)
            for _ in range(rng.randint(1, 4)):  # nobody answers any more
                chat.next_day(1, 3)
                _victim_reply(chat, stage, victim, "plead")
            break
        if stage not in ("contact", "off_platform"):
            chat.next_day(*((0, 1) if stage in ("onboarding", "withdrawal_block") else (1, 4)))
        tactics = _stage_tactics(chat, stage, scenario, rng.randint(lo, hi))
        for n, tactic in enumerate(tactics):
            if stage == "fattening" and n:
                chat.next_day(1, 5)
            sender = persona
            if scenario == "group" and len(team) > 1:
                if tactic in ("insider_tip", "mentor_or_relative_expert"):
                    sender = team[1]
                elif tactic in ("profit_screenshots", "fake_profits_shown", "group_invite"):
                    sender = rng.choice(team)
            binds = None
            if tactic == "wrong_number_opener":
                binds = {**bindings, "name": other_name}  # asks for somebody else
            _scripted(chat, stage, tactic, sender, binds)
            if stage == "contact" and n + 1 < len(tactics):
                continue
            if rng.random() < _DOUBT_RATE.get(stage, 0.0):
                _doubt(chat, stage, persona, victim, answer=True)
            elif rng.random() < 0.8:
                _victim_reply(chat, stage, victim, after=tactic)
            if stage in ("investment_pivot", "fattening", "onboarding") and rng.random() < 0.4:
                _filler(chat, stage, persona, victim, rng.randint(1, 2))
    last = stages[-1]
    if last != "exit_recovery" and rng.random() < 0.5:  # why the chat stopped here
        chat.gap(600, 7200)
        if rng.random() < 0.5:
            _doubt(chat, last, persona, victim, answer=False)
        else:
            _victim_reply(chat, last, victim, "refuse")

    participants = _participants(chat, victim)
    conv = Conversation(
        messages=tuple(chat.messages),
        source_format="synthetic",
        participants=participants,
        me=victim,
        me_method="synthetic",
        platform=platform,
        title=None,
    )
    return SynthConversation(
        id=f"synth-{seed}-{idx:06d}",
        conversation=conv,
        label="scam",
        lang=lg,
        scenario=scenario,
        furthest_stage=last,
        stages=tuple(chat.stages),
        tactics=tuple(chat.tactics),
        roles=tuple(chat.roles),
        message_template_ids=tuple(chat.tids),
    )


_GROUP_TOPICS = ("group_chat", "news_warning", "charity")
# Topics for single messages only. A whole "talk" chat would be an everyday chat, and a new
# conversation topic would take a share from the hard look-alikes (friends who invest, family
# loans): session 11 measured benign investing chats scoring higher with it.
MESSAGE_ONLY_TOPICS = frozenset({"talk"})
_NOTICE_TOPICS = ("sms", "bank")
# Share of everyday small talk mixed into a benign chat of each topic (default 0.3).
_EVERYDAY_MIX = {"support": 0.0, "sms": 0.0, "bank": 0.0, "recruiter": 0.15, "everyday": 0.0}
# Hard benign chats that, like a scam, talk about everyday things for days before money comes
# up (real couples, family loans, friends who invest, crypto hobbyists, recruiters): without
# them the timing features would learn "money after days" = scam.
_SLOW_TOPICS = {"couple": 0.5, "family_money": 0.4, "investing": 0.4, "crypto_edu": 0.3,
                "recruiter": 0.3}  # fmt: skip


def _benign_conversation(idx: int, seed: int, lang: str | None, zh_ratio: float,
                         bank: TemplateBank, spin: SpinConfig) -> SynthConversation:  # fmt: skip
    rng = random.Random(f"scamlens.synth/conversations/{seed}/{idx}/benign")
    lg = lang or ("zh" if rng.random() < zh_ratio else "en")
    traditional = lg == "zh" and rng.random() < spin.traditional_rate * 1.5
    topic = rng.choice([t for t in bank.topics_for(lg) if t not in MESSAGE_ONLY_TOPICS])
    slots = bank.slots[lg]
    me, *others = _names(bank, lg, "name", rng, 6)
    if topic not in _GROUP_TOPICS:
        others = others[:1]
    bindings = {k: rng.choice(slots[k]) for k in ("city", "app", "exchange", "bank", "company")}
    chat = _Chat(rng, bank, lg, spin, _start_time(rng, lg), bindings, traditional)
    platform = rng.choice(_BENIGN_PLATFORMS[lg])
    notices = topic in _NOTICE_TOPICS  # an inbox of one-way notices (SMS, bank alerts)
    if notices:
        platform = "sms"
    pool = bank.get("topic", lg, topic)
    if topic == "bank":
        pool = tuple(t for t in pool if t.speaker == "other") or pool
    everyday = bank.get("topic", lg, "everyday")
    mix = _EVERYDAY_MIX.get(topic, 0.3)
    length = rng.randint(20, 120)
    slow = random.Random(f"scamlens.synth/conversations/{seed}/{idx}/slow")
    warm = 0
    if everyday and slow.random() < _SLOW_TOPICS.get(topic, 0.0):
        warm = slow.randint(6, length // 2)  # days of small talk first
    last_user: bool | None = None
    while len(chat.messages) < length:
        in_warm = len(chat.messages) < warm
        if chat.messages:
            if rng.random() < (0.5 if notices else 0.3 if in_warm else 0.12):
                chat.next_day(1, 3)
            else:
                chat.gap(15, 900)
        use_topic = not in_warm and (rng.random() >= mix or not everyday)
        t = chat.pick(_prefer_script(chat, pool if use_topic else everyday))
        if notices:
            is_user = False
            sender = bindings["bank"] if topic == "bank" else rng.choice(slots["company"])
        else:
            if t.speaker == "self":
                is_user = True
            elif t.speaker == "other":
                is_user = False
            else:
                is_user = (
                    (not last_user)
                    if last_user is not None and rng.random() < 0.7
                    else (rng.random() < 0.5)
                )
            sender = me if is_user else rng.choice(others)
        room = len(chat.messages) + 2 <= length
        if room and topic in ("couple", "everyday", "group_chat") and rng.random() < 0.04:
            chat.add(sender, is_user, _MEDIA_TEXT[lg], stage=None, role="media",
                     kind=MessageKind.MEDIA)  # fmt: skip
        binds = {**chat.bindings, "company": sender} if topic == "sms" else None
        chat.say(t, sender, is_user, stage=None, role="benign", bindings=binds)
        last_user = is_user
    participants = _participants(chat, me)
    conv = Conversation(
        messages=tuple(chat.messages),
        source_format="synthetic",
        participants=participants,
        me=me,
        me_method="synthetic",
        platform=platform,
        title=None,
    )
    return SynthConversation(
        id=f"synth-{seed}-{idx:06d}",
        conversation=conv,
        label="benign",
        lang=lg,
        scenario=topic,
        furthest_stage=None,
        stages=tuple(chat.stages),
        tactics=tuple(chat.tactics),
        roles=tuple(chat.roles),
        message_template_ids=tuple(chat.tids),
    )


def generate_conversations(
    n: int,
    seed: int,
    lang: str | None = None,
    *,
    scam_ratio: float = 0.5,
    zh_ratio: float = 0.5,
    spin: SpinConfig = DEFAULT_SPIN,
    templates_dir: str | Path | None = None,
) -> list[SynthConversation]:
    """`n` whole chats. Scam chats walk the lifecycle in order up to a sampled furthest stage
    (some stop at grooming or the pivot), with victim replies, doubts, small talk and realistic
    gaps (money arrives after days); benign chats cover every benign topic, 20-120 messages."""
    _check_lang(lang)
    _check_ratio("scam_ratio", scam_ratio)
    _check_ratio("zh_ratio", zh_ratio)
    if n < 0:
        raise ValueError("n must be >= 0")
    bank = load_bank(templates_dir)
    out = []
    for i in range(n):
        pick = random.Random(f"scamlens.synth/conversations/{seed}/{i}").random()
        make = _scam_conversation if pick < scam_ratio else _benign_conversation
        out.append(make(i, seed, lang, zh_ratio, bank, spin))
    return out


# --------------------------------------------------------------------------- output


def message_to_dict(m: SynthMessage) -> dict[str, Any]:
    return {
        "text": m.text,
        "label": m.label,
        "tactics": list(m.tactics),
        "stage": m.stage,
        "lang": m.lang,
        "kind": m.kind,
        "template_id": m.template_id,
        "topic": m.topic,
    }


def conversation_to_dict(c: SynthConversation) -> dict[str, Any]:
    conv = c.conversation
    messages = []
    for i, m in enumerate(conv.messages):
        messages.append(
            {
                "index": m.index,
                "sender": m.sender,
                "is_user": m.is_user,
                "timestamp": m.timestamp.isoformat() if m.timestamp else None,
                "kind": m.kind.value,
                "text": m.text,
                "stage": c.stages[i],
                "tactics": list(c.tactics[i]),
                "role": c.roles[i],
                "template_id": c.message_template_ids[i],
            }
        )
    return {
        "id": c.id,
        "label": c.label,
        "lang": c.lang,
        "scenario": c.scenario,
        "furthest_stage": c.furthest_stage,
        "platform": conv.platform,
        "source_format": conv.source_format,
        "participants": list(conv.participants),
        "me": conv.me,
        "template_ids": list(c.template_ids),
        "messages": messages,
    }


def write_jsonl(items: Iterable[SynthMessage | SynthConversation], path: str | Path) -> int:
    """Write one JSON object per line (UTF-8, stable key order). Returns the number written."""
    count = 0
    with Path(path).open("w", encoding="utf-8", newline="\n") as fh:
        for item in items:
            if isinstance(item, SynthMessage):
                obj = message_to_dict(item)
            else:
                obj = conversation_to_dict(item)
            fh.write(json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n")
            count += 1
    return count


def template_stats(bank: TemplateBank | None = None) -> dict[str, Any]:
    """Template counts by language, label, kind, stage, tactic, topic and script."""
    bank = bank or load_bank()
    by: dict[str, Counter[str]] = {k: Counter() for k in ("lang_label_kind", "stage", "tactic",
                                                         "topic", "script")}  # fmt: skip
    for t in bank.templates:
        by["lang_label_kind"][f"{t.lang}/{t.label or '-'}/{t.kind}"] += 1
        by["script"][f"{t.lang}/{t.script}"] += 1
        if t.kind == "message" and t.label == "scam":
            by["stage"][f"{t.lang}/{t.stage}"] += 1
            for x in t.tactics:
                by["tactic"][f"{t.lang}/{x}"] += 1
        if t.topic:
            by["topic"][f"{t.lang}/{t.topic}"] += 1
    return {"total": len(bank.templates), **{k: dict(sorted(v.items())) for k, v in by.items()}}


# --------------------------------------------------------------------------- command line


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--kind", choices=("messages", "conversations", "stats"), required=True)
    parser.add_argument("--n", type=int, default=1000, help="items to generate")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--lang", choices=LANGS, default=None, help="one language only")
    parser.add_argument("--scam-ratio", type=float, default=0.5)
    parser.add_argument("--no-spin", action="store_true", help="render templates plainly")
    parser.add_argument("--out", default="-", help="JSONL file ('-' for stdout)")


def _handle(args: argparse.Namespace) -> int:
    spin = NO_SPIN if args.no_spin else DEFAULT_SPIN
    if args.kind == "stats":
        print(json.dumps(template_stats(), ensure_ascii=False, indent=2))
        return 0
    items: list[SynthMessage] | list[SynthConversation]
    if args.kind == "messages":
        items = generate_messages(args.n, args.seed, args.lang, scam_ratio=args.scam_ratio,
                                  spin=spin)  # fmt: skip
    else:
        items = generate_conversations(args.n, args.seed, args.lang, scam_ratio=args.scam_ratio,
                                       spin=spin)  # fmt: skip
    if args.out == "-":
        for item in items:
            obj = (
                message_to_dict(item)
                if isinstance(item, SynthMessage)
                else (conversation_to_dict(item))
            )
            sys.stdout.write(json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n")
    else:
        write_jsonl(items, args.out)
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``scamlens synth``."""
    p = subparsers.add_parser("synth", help="generate the synthetic training corpus (JSONL)")
    add_arguments(p)
    p.set_defaults(func=_handle)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scamlens.train.synth", description=__doc__.split("\n")[0]
    )
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        return _handle(args)
    except (ScamlensError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
