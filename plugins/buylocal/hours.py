"""Opening hours: OpenStreetMap opening_hours text, checked and put into words for one week."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import opening_hours

DAY_NAMES = {
    "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
# Rules a one-week table cannot show truthfully: months, weeks, years, holidays, sunrise,
# "n-th weekday of the month", open ends, comments, fallbacks.
_BEYOND_A_WEEK = re.compile(
    r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|week|PH|SH|easter|sunrise|sunset"
    r"|dawn|dusk)\b|\b\d{4}\b|[\"\[+]|\|\|"
)
_POSITION_RE = re.compile(r"-->\s*\d+:(\d+)")


@dataclass(frozen=True, slots=True)
class DayHours:
    day: int  # 0 = Monday
    spans: tuple[tuple[str, str], ...]  # ("11:30", "14:00"); empty when closed
    note: str = ""  # comment of an "unknown" rule, e.g. "sur rendez-vous"


@dataclass(frozen=True, slots=True)
class WeekHours:
    days: tuple[DayHours, ...]
    complete: bool  # False when the rule has seasons or holidays the table cannot show
    # True when every week is this week, open or closed and nothing else ("unknown" states,
    # notes): only then may a browser tell from the clock whether the merchant is open now.
    plain: bool = False


def error_column(value: str) -> int | None:
    """None when the value is valid, else the (1-based) character where parsing failed."""
    try:
        opening_hours.OpeningHours(value)
    except Exception as error:  # noqa: BLE001 - the parser raises several kinds
        position = _POSITION_RE.search(str(error))
        return int(position.group(1)) if position else 1
    return None


def shows_in_a_week(value: str) -> bool:
    """Whether a Monday-to-Sunday table tells the whole truth about these hours."""
    return not _BEYOND_A_WEEK.search(value)


@lru_cache(maxsize=4096)
def week_table(value: str, reference: date) -> WeekHours:
    """The hours of the week (Monday to Sunday) that contains `reference`.

    The reference is the merchant's `verified` date: deterministic, and the week someone
    last confirmed.
    """
    monday = reference - timedelta(days=reference.weekday())
    start = datetime.combine(monday, time())
    end = start + timedelta(days=7)
    spans: list[list[tuple[str, str]]] = [[] for _ in range(7)]
    notes = [""] * 7
    certain = True
    for begin, finish, state, comment in opening_hours.OpeningHours(value).intervals(start, end):
        state_name = str(state).rsplit(".", 1)[-1].upper()
        certain = certain and state_name in ("OPEN", "CLOSED") and not comment
        if state_name == "CLOSED":
            continue
        cursor = begin
        while cursor < finish:
            day_end = datetime.combine(cursor.date() + timedelta(days=1), time())
            piece_end = min(finish, day_end)
            index = (cursor.date() - monday).days
            if state_name == "OPEN":
                closing = "24:00" if piece_end == day_end else piece_end.strftime("%H:%M")
                spans[index].append((cursor.strftime("%H:%M"), closing))
            elif comment:
                notes[index] = comment
            cursor = piece_end
    days = tuple(DayHours(i, tuple(spans[i]), notes[i]) for i in range(7))
    complete = shows_in_a_week(value)
    return WeekHours(days, complete=complete, plain=complete and certain)


def weekly_minutes(week: WeekHours | None) -> str | None:
    """The open spans as minutes from Monday 00:00 ("690-840 1020-1260"), for the browser's
    "Ouvert maintenant" badge; None unless the week is plain, so a badge is never wrong.
    """
    if week is None or not week.plain:
        return None
    spans = []
    for day in week.days:
        for start, end in day.spans:
            spans.append(f"{day.day * 1440 + _minutes(start)}-{day.day * 1440 + _minutes(end)}")
    return " ".join(spans) if spans else None


def _minutes(clock: str) -> int:
    hour, minute = clock.split(":")
    return int(hour) * 60 + int(minute)
