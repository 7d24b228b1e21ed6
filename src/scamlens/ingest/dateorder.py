"""Numeric dates whose day/month order is settled once per file (WhatsApp exports, pasted
WhatsApp Web and Telegram Desktop copies).

Each date string is stored once while the file is read; `Dates.resolve` then decides the order
for all of them: a first field above 12 means day-first, a second field above 12 month-first;
otherwise dotted dates and 24-hour clocks with 4-digit years are read day-first, and the rest
month-first, with a warning saying it was a guess. ``ImportOptions.date_order`` overrides it.
Year-first dates (``2023/12/31``) are never ambiguous.
"""

from __future__ import annotations

import re
from datetime import datetime, tzinfo

from .common import Context

# "2024. 1. 5." (Korean, Hungarian) puts a space after each dot and ends with one.
DATE = r"(\d{1,4})([./-]) ?(\d{1,2})[./-] ?(\d{1,4})\.?"
_DATE_ONLY = re.compile(DATE)
# A clock time: 上午/下午 before it, or AM/PM after it (U+202F before "PM" on newer phones).
PRE = r"(?:(上午|下午|午前|午後|오전|오후) ?)?"
TIME = r"(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?"
AP = r"(?:[ \u202f\u00a0]?([AaPp])\.? ?[Mm]\.?)?"
PM_WORDS = frozenset({"下午", "午後", "오후"})
AM_WORDS = frozenset({"上午", "午前", "오전"})

YMD = tuple[int, int, int]


class Dates:
    """Date strings seen, each stored once; turned into dates after the whole file is read."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.keys: list[str] = []
        self.twelve_hour = False  # set by the caller when any time had AM/PM (or 上午/下午)

    def code(self, key: str) -> int:
        """A small number for the date string `key` (the same for the same string)."""
        i = self.ids.get(key)
        if i is None:
            i = self.ids[key] = len(self.keys)
            self.keys.append(key)
        return i

    def resolve(self, ctx: Context) -> list[YMD | None]:
        """(year, month, day) for each code, in code order; None for impossible dates."""
        parts: list[tuple[str, str, str, str]] = []
        for key in self.keys:
            m = _DATE_ONLY.match(key)
            parts.append(m.groups() if m else ("0", "/", "0", "0"))  # type: ignore[arg-type]
        short = [(int(a), int(b)) for a, _, b, _ in parts if len(a) <= 2]
        order = ctx.options.date_order.lower()
        if order not in ("dmy", "mdy", "ymd") and short:
            max_a = max(a for a, _ in short)
            max_b = max(b for _, b in short)
            if max_a > 12 and max_b > 12:
                order = "dmy"
                ctx.notes.add("dates disagree on day/month order; read them as day/month")
            elif max_a > 12:
                order = "dmy"
            elif max_b > 12:
                order = "mdy"
            else:
                order, why = self._guess(parts)
                ctx.notes.add(
                    f"no day above 12 in any date, so the order is a guess: read as "
                    f"{'day/month' if order == 'dmy' else 'month/day'} ({why}); set "
                    "ImportOptions.date_order to change it"
                )
        out: list[YMD | None] = []
        for a, _, b, c in parts:
            if len(a) > 2 or order == "ymd":
                y, mo, d = int(a), int(b), int(c)
            elif order == "dmy":
                d, mo, y = int(a), int(b), int(c)
            else:
                mo, d, y = int(a), int(b), int(c)
            if y < 100:
                y += 2000
            elif 2513 <= y <= 2643:
                y -= 543  # Thai Buddhist-era year (2567 = 2024)
            if 1 <= mo <= 12 and 1 <= d <= 31 and 1970 <= y <= 2100:
                out.append((y, mo, d))
            else:
                out.append(None)
        return out

    def _guess(self, parts: list[tuple[str, str, str, str]]) -> tuple[str, str]:
        seps = {sep for _, sep, _, _ in parts}
        if "." in seps:
            return "dmy", "dotted dates are day-first in every locale that writes them"
        if not self.twelve_hour and all(len(c) == 4 for _, _, _, c in parts):
            return "dmy", "24-hour clock with 4-digit years, as in day-first locales"
        return "mdy", "the default, as in US exports"


def clock(pre: str | None, hh: str, mi: str, ss: str | None, ap: str | None) -> int | None:
    """Seconds into the day of a time matched by PRE + TIME + AP; None when impossible."""
    hour, minute = int(hh), int(mi)
    if (ap in ("P", "p") or pre in PM_WORDS) and hour < 12:
        hour += 12
    elif (ap in ("A", "a") or pre in AM_WORDS) and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return None
    return min(hour * 3600 + minute * 60 + (int(ss) if ss else 0), 86399)


def stamp(ymd: YMD | None, secs: int, tz: tzinfo | None) -> datetime | None:
    """The datetime of a resolved date plus seconds into the day; None if impossible (31 Feb)."""
    if ymd is None:
        return None
    try:
        return datetime(ymd[0], ymd[1], ymd[2], secs // 3600, secs // 60 % 60, secs % 60, tzinfo=tz)
    except ValueError:
        return None
