"""Opening hours: OpenStreetMap opening_hours text, checked and put into words.

A plain weekly schedule is one Monday-to-Sunday table (`week_table`), which also feeds the
"Ouvert maintenant" badge and schema.org. Anything else (seasons, holidays, comments, sunrise,
open ends, dates) is evaluated day by day by the parser over the year that starts at the
merchant's `verified` date (`year_hours`); the days are grouped into periods that share one
weekly pattern, and what a table cannot hold (days that differ from their period, public
holidays) is said beside it. What cannot be said truthfully is marked so, and the page shows
the OpenStreetMap text instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import opening_hours
from babel.dates import format_date, format_skeleton, get_day_names

LOCALES = {"fr": "fr_CA", "en": "en_CA"}
DAY_NAMES = {
    lang: tuple(get_day_names("wide", locale=locale)[day] for day in range(7))  # 0 = Monday
    for lang, locale in LOCALES.items()
}
# Rules a one-week table cannot show truthfully: months, weeks, years, holidays, sunrise,
# "n-th weekday of the month", open ends, comments, fallbacks.
_BEYOND_A_WEEK = re.compile(
    r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|week|PH|SH|easter|sunrise|sunset"
    r"|dawn|dusk)\b|\b\d{4}\b|[\"\[+]|\|\|"
)
_POSITION_RE = re.compile(r"-->\s*\d+:(\d+)")

# Whose public holidays the parser knows: Canada's federal ones (New Year, Good Friday,
# Victoria Day, July 1, Labour Day, September 30, Thanksgiving, Christmas). Quebec's differ
# (June 24, not September 30), so their dates are never shown: only what "PH" rules say.
_HOLIDAY_COUNTRY = "CA"
# Without coordinates the parser puts sunrise at 07:00, sunset at 19:00 (dawn 06:00, dusk
# 20:00): wrong most of the year in Quebec. Sun events are replaced by clock times that the
# value does not use, then said as words; the hour keeps their order within a day.
_SUN_HOURS = {"dawn": 4, "sunrise": 5, "sunset": 20, "dusk": 21}
_SUN_RE = re.compile(r"\b(dawn|sunrise|sunset|dusk)\b")
_OPEN_END_RE = re.compile(r"(?<![-\d])(\d{1,2}:\d{2})\+")  # "18:00+", not "10:00-18:00+"
_DATED_RE = re.compile(r"\b\d{4}\b|\bweek\b|\beaster\b|\[")
_MAX_PERIODS = 6
_MAX_RANGES = 12
_MAX_SPECIAL_DAYS = 10


@dataclass(frozen=True, slots=True)
class DayHours:
    day: int  # 0 = Monday
    spans: tuple[tuple[str, str], ...]  # ("11:30", "14:00"); empty when closed
    note: str = ""  # comment of an "unknown" rule, e.g. "sur rendez-vous"


@dataclass(frozen=True, slots=True)
class Span:
    """One stretch of a day. start and end are "HH:MM" clock times, "24:00" for midnight at
    the end, an earlier end for a span that ends after midnight, a sun event ("sunrise",
    "sunset", "dawn", "dusk"), or an empty end for an open end ("18:00+").
    """

    start: str
    end: str
    unknown: bool = False  # "unknown" in OSM: may be open, the comment says when
    comment: str = ""

    def start_clock(self, lang: str) -> str:
        return clock(self.start, lang)

    def end_clock(self, lang: str) -> str:
        return clock(self.end, lang)

    @property
    def all_day(self) -> bool:
        return self.start == "00:00" and self.end == "24:00"


@dataclass(frozen=True, slots=True)
class Day:
    """A day's hours; `day` is the weekday (0 = Monday)."""

    day: int
    spans: tuple[Span, ...] = ()
    note: str = ""  # comment of a closed day, e.g. "inventaire"

    @property
    def closed(self) -> bool:
        return not self.spans


@dataclass(frozen=True, slots=True)
class Dates:
    """A run of days, first and last included, said with or without the year."""

    first: date
    last: date
    with_year: bool = False

    def first_words(self, lang: str) -> str:
        return day_month(self.first, lang, self.with_year)

    def last_words(self, lang: str) -> str:
        return day_month(self.last, lang, self.with_year)

    @property
    def one_day(self) -> bool:
        return self.first == self.last

    @property
    def one_month(self) -> bool:
        """Exactly one calendar month: « En octobre » rather than « Du 1er au 31 octobre »."""
        after = self.last + timedelta(days=1)
        return self.first.day == 1 and after.day == 1 and (after - self.first).days <= 31

    def month_words(self, lang: str) -> str:
        pattern = "LLLL y" if self.with_year else "LLLL"
        return format_date(self.first, pattern, locale=LOCALES[lang])


@dataclass(frozen=True, slots=True)
class Period:
    """Days that share one weekly pattern."""

    shown: tuple[Dates, ...]  # what the heading says (a winter across New Year is one run)
    ranges: tuple[tuple[date, date], ...]  # the days it covers in the evaluated year
    days: tuple[Day, ...]  # Monday first; a period shorter than a week has fewer

    @property
    def closed(self) -> bool:
        return all(day.closed and not day.note for day in self.days)


@dataclass(frozen=True, slots=True)
class SpecialDays:
    """Days that differ from their period (Christmas, Easter...), all with the same hours."""

    dates: Dates
    hours: Day


@dataclass(frozen=True, slots=True)
class YearHours:
    """The year from the `verified` date, in periods; `unreadable` says why it cannot be
    put into words ("school_holidays", "holidays", "fallback", "open_end", "sun_offset",
    "too_complex"), and then the page shows the OpenStreetMap text.
    """

    periods: tuple[Period, ...] = ()
    special_days: tuple[SpecialDays, ...] = ()
    holidays: Day | None = None  # what a "PH" rule says; None when the value has none
    unreadable: str = ""

    @property
    def whole_year(self) -> bool:
        """One pattern all year: a table without a heading."""
        return len(self.periods) == 1


@dataclass(frozen=True, slots=True)
class WeekHours:
    days: tuple[DayHours, ...]
    complete: bool  # False when the rule has seasons or holidays the table cannot show
    # True when every week is this week, open or closed and nothing else ("unknown" states,
    # notes): only then may a browser tell from the clock whether the merchant is open now.
    plain: bool = False
    year: YearHours | None = None  # when not complete: the year in periods


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
    year = None if complete else year_hours(value, reference)
    return WeekHours(days, complete=complete, plain=complete and certain, year=year)


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


# --- Words ---------------------------------------------------------------------------------


def clock(value: str, lang: str) -> str:
    """A clock time as the page's language writes it: « 11 h 30 », « 14 h » (non-breaking
    spaces) in French, "11:30" in English. Sun events and open ends are for the template.
    """
    if lang != "fr" or ":" not in value:
        return value
    hour, minute = value.split(":")
    return f"{int(hour)}\u00a0h" + (f"\u00a0{minute}" if minute != "00" else "")


def day_month(day: date, lang: str, with_year: bool = False) -> str:
    """« 1er mai », "May 1" (CLDR's patterns from Babel), with the year when asked."""
    locale = LOCALES[lang]
    if with_year:
        text = format_date(day, "long", locale=locale)
    else:
        text = format_skeleton("MMMMd", day, locale=locale)
    if lang == "fr" and day.day == 1 and text.startswith("1 "):
        text = "1er" + text[1:]
    return text.replace(" ", "\u00a0", 1) if lang == "fr" else text


# --- The year in periods -------------------------------------------------------------------


@lru_cache(maxsize=4096)
def year_hours(value: str, reference: date) -> YearHours:
    """The year that starts at `reference` (the `verified` date: never the clock), grouped
    into periods with one weekly pattern each.
    """
    bare = _without_comments(value)
    if re.search(r"\bSH\b", bare):
        return YearHours(unreadable="school_holidays")  # the parser knows no school calendar
    if "||" in bare:
        return YearHours(unreadable="fallback")  # the parser does not apply fallback rules
    if _SUN_RE.search(bare) and "(" in bare:
        return YearHours(unreadable="sun_offset")  # "(sunrise+01:00)"
    try:
        evaluated, words = _fixed_times(value, bare)
    except _NoFreeMinute:
        return YearHours(unreadable="too_complex")
    if "+" in _without_comments(evaluated):
        return YearHours(unreadable="open_end")  # "10:00-18:00+", "Sa[1] +1 day"
    try:
        parsed = opening_hours.OpeningHours(evaluated)
    except Exception:  # noqa: BLE001 - a replacement the grammar refuses: say nothing wrong
        return YearHours(unreadable="too_complex")

    first = reference
    end = _a_year_after(reference)
    count = (end - first).days
    # A week more on each side, to tell a special day from the start of a season.
    schedule = _days(parsed, first - timedelta(days=7), count + 14, words)
    days = schedule[7 : 7 + count]
    special = set()
    for index in range(count):
        before, this, after = schedule[index], schedule[index + 7], schedule[index + 14]
        if this != before and this != after and before == after:
            special.add(index)
    usual = [schedule[index] if index in special else days[index] for index in range(count)]

    dated = bool(_DATED_RE.search(bare))
    periods = _periods(usual, first, dated, bool(re.search(r"\bweek\b", bare)))
    specials = _special_days(days, sorted(special), first, dated)
    holidays = None
    if re.search(r"\bPH\b", bare):
        holidays = _holidays(evaluated, first, end, days, words)
        if holidays is None:
            return YearHours(unreadable="holidays")
    ranges = sum(len(period.shown) for period in periods)
    if len(periods) > _MAX_PERIODS or ranges > _MAX_RANGES or len(specials) > _MAX_SPECIAL_DAYS:
        return YearHours(unreadable="too_complex")  # "every other Saturday", "Sa[1]"...
    return YearHours(periods=periods, special_days=specials, holidays=holidays)


def _without_comments(value: str) -> str:
    """The value with its "comments" blanked (same length), to look for syntax safely."""
    return re.sub(r'"[^"]*"', lambda match: '"' + " " * (len(match.group()) - 2) + '"', value)


class _NoFreeMinute(Exception):
    """Every minute of an hour is used already: valid, but past what _fixed_times can do."""


def _fixed_times(value: str, bare: str) -> tuple[str, dict[str, str]]:
    """The value with sun events and open ends ("18:00+") replaced by clock times it does
    not use, and what each of those times stands for ("sunrise", "" for an open end).
    """
    used = {f"{int(hour):02d}:{minute}" for hour, minute in re.findall(r"(\d{1,2}):(\d{2})", value)}
    words: dict[str, str] = {}

    def unused(hour: int) -> str:
        for minute in range(1, 60):
            candidate = f"{hour:02d}:{minute:02d}"
            if candidate not in used and candidate not in words:
                return candidate
        raise _NoFreeMinute  # 59 clock times in one hour of one value

    times = {event: unused(hour) for event, hour in _SUN_HOURS.items()}
    words.update({moment: event for event, moment in times.items()})
    open_end = unused(23)
    words[open_end] = ""
    pieces, last = [], 0
    for match in _SUN_RE.finditer(bare):
        pieces += [value[last : match.start()], times[match.group()]]
        last = match.end()
    text = "".join(pieces) + value[last:]
    bare = _without_comments(text)
    pieces, last = [], 0
    for match in _OPEN_END_RE.finditer(bare):
        pieces += [text[last : match.start()], f"{match.group(1)}-{open_end}"]
        last = match.end()
    return "".join(pieces) + text[last:], words


def _a_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # February 29
        return day + timedelta(days=365)


def _days(parsed, first: date, count: int, words: dict[str, str]) -> list[Day]:
    """Each day's hours, from `first` on; a span that goes past midnight belongs to the day
    it starts ("Fr 18:00-02:00" is Friday's), when it lasts less than a day.
    """
    start = datetime.combine(first, time())
    origin = first.toordinal()
    spans: list[list[Span]] = [[] for _ in range(count)]
    notes = [""] * count
    made: dict[tuple, Span] = {}  # the same few spans, hundreds of times a year
    # One day more, so that a span going past the last midnight is whole.
    for begin, finish, state, comment in parsed.intervals(start, start + timedelta(days=count + 1)):
        if state == opening_hours.State.CLOSED:
            if comment:  # "Mo off \"inventaire\"": said on the days it covers
                for piece_start, _ in _split_at_midnight(begin, finish):
                    index = piece_start.toordinal() - origin
                    if 0 <= index < count:
                        notes[index] = comment
            continue
        unknown = state == opening_hours.State.UNKNOWN
        overnight = (
            (begin.hour or begin.minute)
            and finish.toordinal() == begin.toordinal() + 1
            and (finish.hour or finish.minute)
            and finish - begin < timedelta(days=1)
        )
        pieces = [(begin, finish)] if overnight else _split_at_midnight(begin, finish)
        for piece_start, piece_end in pieces:
            index = piece_start.toordinal() - origin
            if 0 <= index < count:
                opening = _clock_of(piece_start)
                whole = piece_end.toordinal() > piece_start.toordinal() and not overnight
                closing = "24:00" if whole else _clock_of(piece_end)
                key = (opening, closing, unknown, comment)
                if key not in made:
                    made[key] = Span(
                        words.get(opening, opening), words.get(closing, closing), unknown, comment
                    )
                spans[index].append(made[key])
    weekday = first.weekday()
    return [Day((weekday + index) % 7, tuple(spans[index]), notes[index]) for index in range(count)]


def _clock_of(moment: datetime) -> str:
    return f"{moment.hour:02d}:{moment.minute:02d}"


def _split_at_midnight(begin: datetime, finish: datetime):
    cursor = begin
    while cursor < finish:
        day_end = datetime.combine(cursor.date() + timedelta(days=1), time())
        piece_end = min(finish, day_end)
        yield cursor, piece_end
        cursor = piece_end


def _periods(days: list[Day], first: date, dated: bool, week_numbers: bool) -> tuple[Period, ...]:
    """Runs of days that follow one weekly pattern, runs with the same pattern together."""
    # Greedy runs: a run ends on the first day whose weekday had other hours in it.
    starts = [0]
    pattern: dict[int, Day] = {}
    for index, day in enumerate(days):
        if pattern.get(day.day, day) != day:
            starts.append(index)
            pattern = {}
        pattern[day.day] = day
    # A run found its end on the first day that differs; the change may be a few days before
    # (days both patterns share). Put it on the 1st of a month, or a Monday, when it can be
    # (a Monday first for week numbers).
    firsts = (lambda d: d.day == 1, lambda d: d.weekday() == 0)
    if week_numbers:
        firsts = firsts[::-1]
    for position in range(1, len(starts)):
        start, previous = starts[position], starts[position - 1]
        stop = starts[position + 1] if position + 1 < len(starts) else len(days)
        following = {day.day: day for day in days[start:stop]}
        earliest = start
        while earliest - 1 > previous:
            day = days[earliest - 1]
            if following.get(day.day) != day:
                break
            earliest -= 1
        candidates = range(start, earliest - 1, -1)
        for wanted in firsts:
            moved = next((i for i in candidates if wanted(first + timedelta(days=i))), None)
            if moved is not None:
                starts[position] = moved
                break
    runs = [(start, stop) for start, stop in zip(starts, [*starts[1:], len(days)], strict=True)]
    patterns = [{day.day: day for day in days[start:stop]} for start, stop in runs]

    # Runs with the same pattern are one period; a run shorter than a week joins a period
    # whose pattern it fits.
    groups: list[list[int]] = []
    order = sorted(range(len(runs)), key=lambda i: -len(patterns[i]))
    for i in order:
        for group in groups:
            model = patterns[group[0]]
            if all(model.get(weekday) == day for weekday, day in patterns[i].items()):
                group.append(i)
                break
        else:
            groups.append([i])
    periods = []
    for group in sorted(groups, key=min):
        group.sort()
        ranges = [
            (first + timedelta(days=runs[i][0]), first + timedelta(days=runs[i][1] - 1))
            for i in group
        ]
        shown = [Dates(start, stop, dated) for start, stop in ranges]
        # An annual rule: the run that ends the year and the one that starts it are one
        # season ("1er novembre au 30 avril").
        wraps = not dated and len(shown) > 1 and group[0] == 0 and group[-1] == len(runs) - 1
        if wraps:
            joined = Dates(shown[-1].first, _a_year_after(shown[0].last))
            shown = [joined, *shown[1:-1]]
        model = patterns[group[0]]
        periods.append(
            Period(
                shown=tuple(shown),
                ranges=tuple(ranges),
                days=tuple(model[weekday] for weekday in range(7) if weekday in model),
            )
        )
    return tuple(periods)


def _special_days(
    days: list[Day], special: list[int], first: date, dated: bool
) -> tuple[SpecialDays, ...]:
    """Days that differ from the same weekday a week before and after, in runs."""
    runs: list[list[int]] = []
    for index in special:
        if runs and runs[-1][-1] == index - 1 and _same_hours(days[runs[-1][-1]], days[index]):
            runs[-1].append(index)
        else:
            runs.append([index])
    return tuple(
        SpecialDays(
            Dates(first + timedelta(days=run[0]), first + timedelta(days=run[-1]), dated),
            days[run[0]],
        )
        for run in runs
    )


def _same_hours(one: Day, other: Day) -> bool:
    return one.spans == other.spans and one.note == other.note


def _holidays(evaluated: str, first: date, end: date, days: list[Day], words) -> Day | None:
    """What the value says for public holidays, as one day's hours; None when that differs
    from one holiday to the next (then it cannot be said in a line).

    The parser is asked with Canada's calendar; only days where the merchant is open, or
    would be without the holiday, tell anything.
    """
    with_holidays = opening_hours.OpeningHours(evaluated, country=_HOLIDAY_COUNTRY)
    calendar = opening_hours.OpeningHours("PH", country=_HOLIDAY_COUNTRY)
    start, stop = datetime.combine(first, time()), datetime.combine(end, time())
    seen = set()
    for begin, finish, state, _ in calendar.intervals(start, stop):
        if state != opening_hours.State.OPEN:
            continue
        for piece_start, _ in _split_at_midnight(begin, finish):
            [holiday] = _days(with_holidays, piece_start.date(), 1, words)
            usual = days[(piece_start.date() - first).days]
            if holiday.closed and usual.closed and not holiday.note:
                continue  # closed either way: this holiday tells nothing
            seen.add((holiday.spans, holiday.note))
    if len(seen) > 1:
        return None
    spans, note = seen.pop() if seen else ((), "")
    return Day(0, spans, note)
