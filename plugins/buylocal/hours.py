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
# Rules a one-week table cannot show in full: months, weeks, years, holidays, sunrise...
_BEYOND_A_WEEK = re.compile(
    r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|week|PH|SH|easter|sunrise|sunset"
    r"|dawn|dusk)\b|\b\d{4}\b|\"|\|\|"
)


@dataclass(frozen=True, slots=True)
class DayHours:
    day: int  # 0 = Monday
    spans: tuple[tuple[str, str], ...]  # ("11:30", "14:00"); empty when closed
    note: str = ""  # comment of an "unknown" rule, e.g. "sur rendez-vous"


@dataclass(frozen=True, slots=True)
class WeekHours:
    days: tuple[DayHours, ...]
    complete: bool  # False when the rule has seasons or holidays the table cannot show


def parse_error(value: str) -> str | None:
    """None when the value is valid, else the parser's first line of explanation."""
    try:
        opening_hours.OpeningHours(value)
    except (opening_hours.ParserError, ValueError, Exception) as error:  # noqa: BLE001
        first = str(error).strip().splitlines()
        return first[-1].strip(" =") if first else "?"
    return None


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
    for begin, finish, state, comment in opening_hours.OpeningHours(value).intervals(start, end):
        state_name = str(state).rsplit(".", 1)[-1].upper()
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
    return WeekHours(days, complete=not _BEYOND_A_WEEK.search(value))
