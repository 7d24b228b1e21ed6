"""Victim-data redaction: the user's name, their own phones/e-mails/handles, street addresses and
ID-like numbers become stable placeholders. The other party's indicators (wallets, hashes,
domains, the scammer's phones and handles) are kept: police and exchanges need them.
"""

from __future__ import annotations

from collections.abc import Iterable

import re2

from scamlens.model import Conversation

# Linear-time (RE2) patterns for data that is personal wherever it appears.
_EMAIL = r"[A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9\-]{1,63}(?:\.[A-Za-z0-9\-]{1,63}){1,8}"
_CN_ID = r"\b\d{17}[\dXx]\b"
_SSN = r"\b\d{3}-\d{2}-\d{4}\b"
_STREET_EN = (
    r"\b\d{1,5}(?: [A-Z][A-Za-z]{1,20}){1,4} (?:Street|St|Avenue|Ave|Road|Rd|Lane|Ln|Drive|Dr|"
    r"Boulevard|Blvd|Court|Ct|Way|Place|Pl|Terrace|Close|Crescent)\b\.?"
)
_STREET_ZH = (
    r"[\p{Han}]{2,16}(?:路|街|大道|巷|弄)\d{1,5}(?:号|號)(?:[\p{Han}\d]{0,12}(?:室|楼|樓))?"
)

RULES_EN = (
    "The name of the person who exported the chat (and each part of it) -> [VICTIM]",
    "Phone numbers, e-mail addresses and handles that appear only in that person's own "
    "messages -> [PHONE-n], [EMAIL-n], [HANDLE-n]",
    "Any other e-mail address not sent by the other party -> [EMAIL-n]",
    "Street addresses (English and Chinese forms) -> [ADDRESS-n]",
    "ID-like numbers (18-digit Chinese ID numbers, US social security numbers) -> [ID-n]",
    "Kept on purpose: the other party's wallets, transaction hashes, websites, phone numbers "
    "and handles, which police, banks and exchanges need",
)
RULES_ZH = (
    "导出聊天记录者的姓名（及其各部分）-> [VICTIM]",
    "仅出现在该用户本人消息中的电话、邮箱和账号 -> [PHONE-n]、[EMAIL-n]、[HANDLE-n]",
    "其他非对方发送的邮箱地址 -> [EMAIL-n]",
    "街道地址（中英文格式）-> [ADDRESS-n]",
    "类似证件号的号码（18 位身份证号、美国社会安全号）-> [ID-n]",
    "有意保留：对方的钱包、交易哈希、网站、电话和账号，警方、银行和交易所需要这些信息",
)


class Redactor:
    """Replaces victim data in any string with stable placeholders. Identity when disabled."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.count = 0
        self._names: list[str] = []
        self._literals: dict[str, str] = {}  # exact victim strings -> placeholder
        self._numbered: dict[tuple[str, str], str] = {}
        self._name_re: re2._Regexp | None = None
        self._pattern_re = re2.compile(
            f"(?P<email>{_EMAIL})|(?P<id>{_CN_ID}|{_SSN})|(?P<addr>{_STREET_EN}|{_STREET_ZH})"
        )
        self._keep: set[str] = set()

    # -- set up -----------------------------------------------------------------------------
    def add_victim_names(self, names: Iterable[str]) -> None:
        for name in names:
            name = name.strip()
            if not name:
                continue
            self._names.append(name)
            for part in name.replace(",", " ").split():
                # Short Latin fragments ("Jo") would wipe ordinary words; CJK names are short.
                if len(part) >= 3 or (not part.isascii() and len(part) >= 2):
                    self._names.append(part)
        self._compile_names()

    def _compile_names(self) -> None:
        if not self._names:
            self._name_re = None
            return
        alts = []
        for n in sorted(set(self._names), key=len, reverse=True):
            lit = re2.escape(n)
            alts.append(rf"\b{lit}\b" if n.isascii() else lit)
        self._name_re = re2.compile("(?i:" + "|".join(alts) + ")")

    def placeholder(self, kind: str, value: str) -> str:
        key = (kind, value)
        if key not in self._numbered:
            n = 1 + sum(1 for k, _ in self._numbered if k == kind)
            self._numbered[key] = f"[{kind}-{n}]"
        return self._numbered[key]

    def add_literal(self, kind: str, *forms: str) -> str:
        """A victim value (phone, e-mail, handle) in all the forms it may be written."""
        ph = self.placeholder(kind, forms[0])
        for f in forms:
            if f and len(f) >= 4:
                self._literals[f] = ph
        return ph

    def keep(self, values: Iterable[str]) -> None:
        """Strings the pattern rules must not touch (the other party's e-mails)."""
        self._keep.update(v.lower() for v in values)

    # -- apply ------------------------------------------------------------------------------
    def text(self, s: str | None) -> str:
        if s is None or not self.enabled or not s:
            return s or ""
        for lit in sorted(self._literals, key=len, reverse=True):
            if lit in s:
                self.count += s.count(lit)
                s = s.replace(lit, self._literals[lit])
        if self._name_re is not None:
            s, n = self._name_re.subn("[VICTIM]", s)
            self.count += n
        return str(self._pattern_re.sub(self._pattern_sub, s))

    def _pattern_sub(self, m: re2._Match) -> str:
        raw = m.group(0)
        if m.group("email") is not None:
            if raw.lower() in self._keep:
                return str(raw)
            kind = "EMAIL"
        elif m.group("id") is not None:
            kind = "ID"
        else:
            kind = "ADDRESS"
        self.count += 1
        return self.placeholder(kind, raw)

    def name(self, s: str | None) -> str | None:
        return None if s is None else self.text(s)

    def placeholders(self) -> tuple[str, ...]:
        used = sorted(set(self._numbered.values()))
        return (("[VICTIM]",) if self._names else ()) + tuple(used)


def victim_names(conv: Conversation) -> list[str]:
    """The user's own sender labels: --me, and senders of messages marked as the user's."""
    names = {m.sender for m in conv.messages if m.is_user and m.sender}
    if conv.me:
        names.add(conv.me)
    return sorted(names)
