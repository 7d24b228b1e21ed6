"""Direction of an amount of money: asked for, sent, claimed balance/profit, fee or tax.

Decided from who wrote the message and words around the amount. The scripts are formulaic
(DOMAIN.md), so a short word list gets most rows right; anything unclear is "mentioned".
"""

from __future__ import annotations

from scamlens.text.normalize import fold

WINDOW = 40  # characters either side of an amount read first
DIRECTIONS = ("asked", "sent", "claimed_profit", "fee_or_tax", "mentioned")

_FEE = (
    "tax", "fee", "bond", "unfreeze", "unlock", "aml", "verification deposit", "penalty",
    "commission", "margin", "release deposit", "tracing", "税", "费", "保证金", "解冻", "罚",
)  # fmt: skip
_PROFIT = (
    "profit", "balance", "earned", "gain", "return", "shows", "total is", "withdraw",
    "take some out", "account has", "made ", "盈利", "收益", "赚", "余额", "显示", "账户", "提现",
    "提",
)  # fmt: skip
_SENT = (
    "sent", "deposited", "transferred", "paid", "bought", "i did it", "topped up", "wired",
    "转了", "充了", "充值了", "交了", "打了", "买好了", "已转", "已充", "付了", "汇了", "入金了",
)  # fmt: skip
_ASK = (
    "send", "deposit", "pay", "need", "top up", "transfer", "invest", "you can get", "put in",
    "buy", "borrow", "loan", "充", "转", "交", "需要", "投", "加仓", "买", "借", "贷",
)  # fmt: skip


def _has(text: str, words: tuple[str, ...]) -> bool:
    return any(w in text for w in words)


def direction(text: str, *, is_user: bool | None) -> str:
    """The direction of an amount found in `text`, written by the user when `is_user`."""
    t = fold(text)
    if _has(t, _FEE):
        return "fee_or_tax"
    if is_user and _has(t, _SENT):
        return "sent"
    if _has(t, _PROFIT):
        return "claimed_profit"
    if not is_user and _has(t, _ASK):
        return "asked"
    return "mentioned"


def is_percentage_fee(before: str, message: str) -> bool:
    """An amount right after "N% of ..." in a message that demands a fee or tax is that fee
    worked out, not a balance."""
    return "%" in before and _has(fold(message), _FEE)


def is_false_amount(raw: str) -> bool:
    """Amount look-alikes that are names, not money ("401k" is a US retirement plan)."""
    return raw.replace(" ", "").replace("(", "").replace(")", "").lower() in ("401k", "403b")
