"""Load and compile the detection rule pack (YAML data files under scamlens/rules/).

Layout of the data:
- `rules/lexicon.yaml`: named synonym groups per language, used in patterns as `{name}`;
  `kind` (default "conversation") says whether every tactic must name a stage.
- `rules/tactics/*.yaml`: tactics, each with a stage, a weight and rules; every rule carries
  `match` and `no_match` examples that the contract test runs. `voids: [counter tactic, ...]`
  makes a hit cancel those counter tactics' hits in the same message (or, across a split, in
  the sender's message before); such a tactic's rules name their warning half
  `(?P<warning>...)`, where other tactics' hits stay weighed as quoted.
- `rules/voice.yaml` (optional): `victim` rules, no tactic, no weight: first-person accounts of
  paying or losing money. They only tell a victim's own story from a warning article (a
  speakerless text that quotes the police is still the victim's when these match).

A rule is either a `pattern` (RE2 syntax, written in lower case, matched against the folded
text) or a list of `terms` (literal phrases; Chinese terms tolerate up to two separator
characters between characters, English terms any run of spaces). RE2 keeps matching linear in
the input whatever the pattern.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

import re2
import yaml

from scamlens.errors import RuleError
from scamlens.model import Stage

_MACRO = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
# Tolerated noise between Chinese characters ("提 现", "提.现"). ASCII punctuation only (fold
# already maps full-width punctuation to ASCII): Unicode classes cost RE2 ~1,250 instructions
# per character pair and blow its DFA budget.
_CJK_SEP = r"[\s!-/:-@\[-`{-~·•]{0,2}"
SPEAKERS = ("other", "user", "any")
WARNING_GROUP = "warning"  # the named group of a voiding rule's warning half


@dataclass(frozen=True, slots=True)
class Rule:
    id: str  # "<tactic>.<rule>"
    tactic: str
    lang: str
    regex: str  # compiled RE2 source after macro expansion
    match: tuple[str, ...]
    no_match: tuple[str, ...]
    negatable: bool


@dataclass(frozen=True, slots=True)
class Tactic:
    id: str
    name: str
    stage: Stage | None  # None for counter-evidence tactics
    weight: float
    speaker: str  # whose messages count fully: "other", "user" or "any"
    counter: bool
    description: str
    rules: tuple[Rule, ...]
    no_match: tuple[str, ...]  # texts on which no rule of this tactic may fire
    # Counter tactics a hit of this one cancels in the same message: a scammer's own
    # "beware of scams, but our platform is licensed" is a pitch, not a quoted warning.
    voids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RulePack:
    version: str  # "<pack version>+<content hash>"
    tactics: Mapping[str, Tactic]
    rules: tuple[Rule, ...]
    victim_voice: tuple[Rule, ...] = ()  # rules/voice.yaml

    def tactic_of(self, rule: Rule) -> Tactic:
        return self.tactics[rule.tactic]


def _escape_term(term: str, lang: str) -> str:
    term = term.strip().lower()
    if not term:
        raise ValueError("empty term")
    if lang == "zh" or any("\u3400" <= ch <= "\u9fff" for ch in term):
        parts = [re2.escape(ch) for ch in term if not ch.isspace()]
        return _CJK_SEP.join(parts)
    words = [re2.escape(w) for w in term.split()]
    body = r"\s+".join(words)
    # Word boundaries only where the term starts or ends with a word character.
    left = r"\b" if term[0].isalnum() else ""
    right = r"\b" if term[-1].isalnum() else ""
    return f"{left}{body}{right}"


def _alternation(terms: Iterable[str], lang: str) -> str:
    escaped = sorted({_escape_term(t, lang) for t in terms}, key=len, reverse=True)
    return "(?:" + "|".join(escaped) + ")"


class _Lexicon:
    def __init__(self, data: Mapping[str, Mapping[str, list[str]]], where: str) -> None:
        self._groups: dict[str, str] = {}
        for lang, groups in data.items():
            if not isinstance(groups, Mapping):
                raise RuleError(f"{where}: '{lang}' must map group names to term lists")
            for name, terms in groups.items():
                if not isinstance(terms, list) or not terms:
                    raise RuleError(f"{where}: {lang}.{name} must be a non-empty list")
                key = name if lang == "en" else f"{lang}_{name}"
                if key in self._groups:
                    raise RuleError(f"{where}: duplicate lexicon group {key}")
                try:
                    self._groups[key] = _alternation((str(t) for t in terms), lang)
                except ValueError as exc:
                    raise RuleError(f"{where}: {lang}.{name}: {exc}") from exc

    def expand(self, pattern: str, where: str) -> str:
        def sub(m: re.Match[str]) -> str:
            name = m.group(1)
            if name not in self._groups:
                raise RuleError(f"{where}: unknown lexicon group {{{name}}}")
            return self._groups[name]

        return _MACRO.sub(sub, pattern)

    def __contains__(self, name: str) -> bool:
        return name in self._groups


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RuleError(f"{where}: expected a list of strings")
    return tuple(value)


def _build_rule(tactic_id: str, raw: Mapping[str, Any], lex: _Lexicon, where: str) -> Rule:
    rid = raw.get("id")
    if not isinstance(rid, str) or not re.fullmatch(r"[a-z0-9_.-]+", rid):
        raise RuleError(f"{where}: rule id must be lower-case [a-z0-9_.-], got {rid!r}")
    lang = str(raw.get("lang", "en"))
    where = f"{where} rule {rid}"
    if ("pattern" in raw) == ("terms" in raw):
        raise RuleError(f"{where}: give exactly one of 'pattern' or 'terms'")
    if "pattern" in raw:
        source = lex.expand(str(raw["pattern"]), where)
    else:
        terms = _strings(raw["terms"], where)
        if not terms:
            raise RuleError(f"{where}: 'terms' is empty")
        expanded = [lex.expand(t, where) if "{" in t else None for t in terms]
        plain = [t for t, e in zip(terms, expanded, strict=True) if e is None]
        parts = [e for e in expanded if e is not None]
        if plain:
            parts.append(_alternation(plain, lang))
        source = "(?:" + "|".join(parts) + ")"
    source = "(?s)" + source
    try:
        re2.compile(source)
    except re2.error as exc:
        raise RuleError(f"{where}: pattern does not compile under RE2: {exc}") from exc
    match = _strings(raw.get("match"), f"{where} match")
    if not match:
        raise RuleError(f"{where}: every rule needs at least one 'match' example")
    return Rule(
        id=f"{tactic_id}.{rid}",
        tactic=tactic_id,
        lang=lang,
        regex=source,
        match=match,
        no_match=_strings(raw.get("no_match"), f"{where} no_match"),
        negatable=bool(raw.get("negatable", False)),
    )


def _build_tactic(
    raw: Mapping[str, Any],
    lex: _Lexicon,
    where: str,
    default_stage: Any = None,
    require_stage: bool = True,
) -> Tactic:
    tid = raw.get("id")
    if not isinstance(tid, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", tid):
        raise RuleError(f"{where}: tactic id must be lower_snake_case, got {tid!r}")
    where = f"{where} tactic {tid}"
    counter = bool(raw.get("counter", False))
    stage_raw = raw.get("stage", default_stage)
    stage: Stage | None
    if counter or (stage_raw is None and not require_stage):
        stage = None
    else:
        try:
            stage = Stage(stage_raw)
        except ValueError as exc:
            raise RuleError(f"{where}: unknown stage {stage_raw!r}") from exc
    weight = raw.get("weight")
    if not isinstance(weight, int | float) or not 0 < float(weight) <= 1:
        raise RuleError(f"{where}: weight must be a number in (0, 1]")
    speaker = str(raw.get("speaker", "other"))
    if speaker not in SPEAKERS:
        raise RuleError(f"{where}: speaker must be one of {SPEAKERS}")
    rules_raw = raw.get("rules")
    if not isinstance(rules_raw, list) or not rules_raw:
        raise RuleError(f"{where}: needs a non-empty 'rules' list")
    rules = tuple(_build_rule(tid, r, lex, where) for r in rules_raw)
    return Tactic(
        id=tid,
        name=str(raw.get("name") or tid),
        stage=stage,
        weight=float(weight),
        speaker=speaker,
        counter=counter,
        description=str(raw.get("description", "")).strip(),
        rules=rules,
        no_match=_strings(raw.get("no_match"), f"{where} no_match"),
        voids=_strings(raw.get("voids"), f"{where} voids"),
    )


def _check_voids(tactics: Mapping[str, Tactic]) -> None:
    for t in tactics.values():
        if t.voids and t.counter:
            raise RuleError(f"tactic {t.id}: a counter tactic cannot void others")
        for v in t.voids:
            if v not in tactics or not tactics[v].counter:
                raise RuleError(f"tactic {t.id}: 'voids' names {v!r}, not a counter tactic")
        for r in t.rules if t.voids else ():
            if WARNING_GROUP not in re2.compile(r.regex).groupindex:
                raise RuleError(
                    f"rule {r.id}: a rule of a tactic with 'voids' marks its warning half "
                    f"as (?P<{WARNING_GROUP}>...)"
                )


def _read_yaml(node: Traversable, label: str) -> Any:
    try:
        return yaml.safe_load(node.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise RuleError(f"{label}: invalid YAML: {exc}") from exc


def load_rulepack(root: Traversable | None = None) -> RulePack:
    """Load the rule pack from `root` (default: the bundled scamlens/rules)."""
    base = root if root is not None else resources.files("scamlens").joinpath("rules")
    digest = hashlib.sha256()
    lex_node = base.joinpath("lexicon.yaml")
    lex_text = lex_node.read_text(encoding="utf-8")
    digest.update(lex_text.encode())
    lex_data = _read_yaml(lex_node, "rules/lexicon.yaml") or {}
    lex = _Lexicon(lex_data.get("groups", {}), "rules/lexicon.yaml")
    pack_version = str(lex_data.get("version", "0"))
    # Conversation packs tie every tactic to a stage; profile and job-ad packs need not.
    require_stage = str(lex_data.get("kind", "conversation")) == "conversation"

    tactics: dict[str, Tactic] = {}
    files = sorted(
        (n for n in base.joinpath("tactics").iterdir() if n.name.endswith(".yaml")),
        key=lambda n: n.name,
    )
    for node in files:
        label = f"rules/tactics/{node.name}"
        digest.update(node.name.encode())
        digest.update(node.read_text(encoding="utf-8").encode())
        data = _read_yaml(node, label)
        if not isinstance(data, Mapping) or not isinstance(data.get("tactics"), list):
            raise RuleError(f"{label}: top level must be a mapping with a 'tactics' list")
        for raw in data["tactics"]:
            if not isinstance(raw, Mapping):
                raise RuleError(f"{label}: each tactic must be a mapping")
            tactic = _build_tactic(raw, lex, label, data.get("stage"), require_stage)
            if tactic.id in tactics:
                raise RuleError(f"{label}: duplicate tactic id {tactic.id}")
            tactics[tactic.id] = tactic
    _check_voids(tactics)
    victim_voice = _voice_rules(base, lex, digest)
    rules = tuple(r for t in tactics.values() for r in t.rules)
    ids = [r.id for r in rules]
    if len(ids) != len(set(ids)):
        raise RuleError("duplicate rule ids in the rule pack")
    return RulePack(
        version=f"{pack_version}+{digest.hexdigest()[:12]}",
        tactics=tactics,
        rules=rules,
        victim_voice=victim_voice,
    )


def _voice_rules(base: Traversable, lex: _Lexicon, digest: Any) -> tuple[Rule, ...]:
    node = base.joinpath("voice.yaml")
    if not node.is_file():
        return ()
    text = node.read_text(encoding="utf-8")
    digest.update(b"voice.yaml")
    digest.update(text.encode())
    data = _read_yaml(node, "rules/voice.yaml")
    raw = data.get("victim") if isinstance(data, Mapping) else None
    if not isinstance(raw, list) or not raw:
        raise RuleError("rules/voice.yaml: needs a non-empty 'victim' list of rules")
    if not all(isinstance(r, Mapping) for r in raw):
        raise RuleError("rules/voice.yaml: each rule must be a mapping")
    rules = tuple(_build_rule("voice", r, lex, "rules/voice.yaml") for r in raw)
    if len({r.id for r in rules}) != len(rules):
        raise RuleError("rules/voice.yaml: duplicate rule ids")
    return rules
