"""Opening hours that change through the year, put into words: the grouping of a year's days
into periods (hours.year_hours) on real-world values, the words in French and English, and
the built merchant pages of tests/fixtures/hours-seasonal.
"""

from __future__ import annotations

import gettext
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import jinja2
import pytest
from buylocal import hours
from buylocal.hours import Span, year_hours
from conftest import FIXTURES, ROOT, build
from htmlpage import parse

NBSP = "\u00a0"
OCT_1 = date(2026, 10, 1)  # the fixture merchants' `verified` date


def spans(day) -> list[tuple[str, str]]:
    return [(span.start, span.end) for span in day.spans]


def week_of(period) -> dict[int, list[tuple[str, str]]]:
    return {day.day: spans(day) for day in period.days}


def headings(year, lang) -> list[list[tuple[str, str]]]:
    return [
        [(dates.first_words(lang), dates.last_words(lang)) for dates in period.shown]
        for period in year.periods
    ]


# --- Periods -------------------------------------------------------------------------------


def test_the_issue_example_is_two_seasons_and_closed_on_holidays():
    year = year_hours("Mo-Fr 09:00-17:00; Nov-Apr Sa 10:00-14:00; PH off", OCT_1)
    assert year.unreadable == ""
    week = [("09:00", "17:00")]
    summer, winter = year.periods
    assert week_of(summer) == {0: week, 1: week, 2: week, 3: week, 4: week, 5: [], 6: []}
    assert week_of(winter)[5] == [("10:00", "14:00")]
    assert week_of(winter)[6] == []
    # The days evaluated: the year from October 1st, 2026.
    assert summer.ranges == (
        (date(2026, 10, 1), date(2026, 10, 31)),
        (date(2027, 5, 1), date(2027, 9, 30)),
    )
    assert winter.ranges == ((date(2026, 11, 1), date(2027, 4, 30)),)
    # What the headings say of an annual rule: October and next summer are one season.
    assert headings(year, "fr") == [
        [(f"1er{NBSP}mai", f"31{NBSP}octobre")],
        [(f"1er{NBSP}novembre", f"30{NBSP}avril")],
    ]
    assert headings(year, "en") == [[("May 1", "October 31")], [("November 1", "April 30")]]
    # Public holidays are said in words, not by date: they split no period.
    assert year.holidays is not None and year.holidays.closed
    assert year.special_days == ()


def test_a_season_starts_on_its_first_day_even_when_that_weekday_does_not_change():
    # 1 May 2026 is a Friday, open 9-17 in both seasons: the change shows on Saturday 2 May,
    # but the period is said from the 1st of the month.
    year = year_hours("Mo-Fr 09:00-17:00; May-Oct Sa 10:00-14:00", date(2026, 1, 10))
    assert [period.ranges for period in year.periods] == [
        ((date(2026, 1, 10), date(2026, 4, 30)), (date(2026, 11, 1), date(2027, 1, 9))),
        ((date(2026, 5, 1), date(2026, 10, 31)),),
    ]
    assert headings(year, "fr") == [
        [(f"1er{NBSP}novembre", f"30{NBSP}avril")],
        [(f"1er{NBSP}mai", f"31{NBSP}octobre")],
    ]


def test_summer_only_has_a_closed_period():
    year = year_hours("Jun-Sep Mo-Sa 09:00-18:00; Jul,Aug Su 10:00-16:00", OCT_1)
    closed, june_and_september, july_and_august = year.periods
    assert closed.closed and headings(year, "en")[0] == [("October 1", "May 31")]
    assert headings(year, "en")[1] == [("June 1", "June 30"), ("September 1", "September 30")]
    assert week_of(june_and_september)[6] == []
    assert week_of(july_and_august)[6] == [("10:00", "16:00")]


def test_overnight_spans_belong_to_the_evening_they_start():
    [period] = year_hours("Fr 18:00-02:00", OCT_1).periods
    assert week_of(period)[4] == [("18:00", "02:00")]
    assert week_of(period)[5] == []  # Saturday does not open at midnight
    [span] = period.days[4].spans
    assert (span.start_clock("fr"), span.end_clock("fr")) == (f"18{NBSP}h", f"2{NBSP}h")
    assert (span.start_clock("en"), span.end_clock("en")) == ("18:00", "02:00")


def test_around_the_clock_and_never():
    [always] = year_hours("24/7", OCT_1).periods
    assert all(span.all_day for day in always.days for span in day.spans)
    assert len(always.days) == 7
    [never] = year_hours("off", OCT_1).periods
    assert never.closed


def test_comments_are_kept_on_their_hours_and_days():
    [period] = year_hours('Mo-Fr 09:00-17:00 "sur rendez-vous"', OCT_1).periods
    assert period.days[0].spans == (Span("09:00", "17:00", False, "sur rendez-vous"),)
    [period] = year_hours('Mo-Fr 09:00-17:00; Mo off "inventaire"', OCT_1).periods
    assert period.days[0].closed and period.days[0].note == "inventaire"
    [period] = year_hours('Mo-Fr 09:00-17:00; Sa "sur rendez-vous"', OCT_1).periods
    [saturday] = period.days[5].spans
    assert saturday.all_day and saturday.comment == "sur rendez-vous"


def test_week_numbers_give_dated_periods_from_a_monday():
    year = year_hours("week 01-26 Sa 10:00-12:00", date(2026, 3, 14))
    first, second = year.periods
    assert first.ranges == (
        (date(2026, 3, 14), date(2026, 6, 28)),
        (date(2027, 1, 4), date(2027, 3, 13)),
    )
    assert second.ranges == ((date(2026, 6, 29), date(2027, 1, 3)),)
    # Week numbers move with the years: the headings carry the year.
    assert headings(year, "fr")[1] == [(f"29{NBSP}juin 2026", f"3{NBSP}janvier 2027")]
    assert headings(year, "en")[1] == [("June 29, 2026", "January 3, 2027")]


def test_sun_events_are_words_never_the_parsers_guess():
    # Without coordinates the parser puts sunrise at 07:00 and sunset at 19:00.
    [period] = year_hours("sunrise-sunset", OCT_1).periods
    assert {span for day in period.days for span in spans(day)} == {("sunrise", "sunset")}
    [period] = year_hours("Sa 07:00-sunset; Su dawn-12:00", OCT_1).periods
    assert week_of(period)[5] == [("07:00", "sunset")]
    assert week_of(period)[6] == [("dawn", "12:00")]
    assert year_hours("(sunrise+01:00)-sunset", OCT_1).unreadable == "sun_offset"


def test_open_ends_have_no_closing_time():
    [period] = year_hours("Fr 18:00+", OCT_1).periods
    assert week_of(period)[4] == [("18:00", "")]
    assert year_hours("Fr 10:00-18:00+", OCT_1).unreadable == "open_end"


def test_a_day_off_in_the_year_is_a_special_day_not_a_period():
    year = year_hours("Mo-Fr 09:00-17:00; Dec 25 off", OCT_1)
    assert len(year.periods) == 1 and year.whole_year
    [christmas] = year.special_days
    assert (christmas.dates.first, christmas.dates.last) == (date(2026, 12, 25),) * 2
    assert christmas.hours.closed
    assert christmas.dates.first_words("fr") == f"25{NBSP}décembre"
    # Easter moves: its date is said with the year.
    [easter] = year_hours("Mo-Su 10:00-12:00; easter off", date(2026, 3, 14)).special_days
    assert easter.dates.first_words("en") == "April 5, 2026"
    # A few days in a row with the same hours are one line.
    [holidays] = year_hours("Mo-Su 10:00-18:00; Dec 24-26 12:00-16:00", OCT_1).special_days
    assert (holidays.dates.first, holidays.dates.last) == (date(2026, 12, 24), date(2026, 12, 26))
    assert spans(holidays.hours) == [("12:00", "16:00")]


def test_public_holidays_with_hours_of_their_own():
    year = year_hours("Mo-Sa 09:00-17:00; PH 10:00-14:00", OCT_1)
    assert spans(year.holidays) == [("10:00", "14:00")]
    assert [len(period.days) for period in year.periods] == [7]
    # A rule that treats holidays differently through the year cannot be said in a line.
    varying = "Mo-Fr 09:00-17:00; Jan PH 10:00-12:00; Jul PH off"
    assert year_hours(varying, OCT_1).unreadable == "holidays"


def test_the_parser_knows_canadas_federal_holidays_not_quebecs():
    """Why holiday dates are never shown: the parser's calendar for CA has September 30 and
    lacks June 24 (Quebec's Fête nationale). If this changes, the holiday words may too."""
    from datetime import datetime

    import opening_hours

    calendar = opening_hours.OpeningHours("PH", country="CA")
    days = {
        begin.date()
        for begin, _, state, _ in calendar.intervals(datetime(2026, 1, 1), datetime(2027, 1, 1))
        if state == opening_hours.State.OPEN
    }
    assert date(2026, 9, 30) in days and date(2026, 6, 24) not in days
    assert opening_hours.OpeningHours("Mo-Su 09:00-17:00; PH off").is_open(
        datetime(2026, 7, 1, 12)
    ), "without a country, PH matches no day"


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("Mo-Fr 07:00-18:00; SH Mo-Fr 08:00-12:00", "school_holidays"),
        ('Mo-Fr 09:00-17:00 || "sur rendez-vous"', "fallback"),
        ("week 1-53/2 Sa 10:00-14:00", "too_complex"),  # every other Saturday
        ("Mo-Fr 09:00-17:00; Sa[1] 10:00-14:00", "too_complex"),  # first Saturday of the month
        # Every minute of 23 h used: no clock time left to stand for an open end (it raised).
        (
            "Jan-Dec Mo "
            + ",".join(f"23:{minute:02d}-23:{minute + 1:02d}" for minute in range(1, 58, 2))
            + ",23:59-24:00",
            "too_complex",
        ),
    ],
)
def test_what_cannot_be_said_truthfully_is_marked(value, reason):
    assert year_hours(value, OCT_1).unreadable == reason


def test_the_words_do_not_read_inside_comments():
    year = year_hours('Mo-Fr 09:00-17:00 "fermé PH || SH, dès 18:00+"', OCT_1)
    assert year.unreadable == "" and year.holidays is None


def test_the_year_depends_on_the_verified_date_not_the_clock():
    value = "Mo-Fr 09:00-17:00; Nov-Apr Sa 10:00-14:00"
    assert year_hours(value, OCT_1) == year_hours.__wrapped__(value, OCT_1)
    later = year_hours.__wrapped__(value, date(2027, 10, 1))
    assert later.periods[0].ranges[0] == (date(2027, 10, 1), date(2027, 10, 31))


def test_week_table_and_badge_are_unchanged():
    seasonal = hours.week_table("Mo-Fr 09:00-17:00; Nov-Apr Sa 10:00-14:00", OCT_1)
    assert not seasonal.complete and not seasonal.plain
    assert hours.weekly_minutes(seasonal) is None  # no "Ouvert maintenant" badge
    assert seasonal.year is not None and len(seasonal.year.periods) == 2
    plain = hours.week_table("Tu-Sa 11:30-14:00,17:00-21:00; Su,Mo off", OCT_1)
    assert plain.complete and plain.plain and plain.year is None
    assert hours.weekly_minutes(plain).startswith("2130-2280 ")


def test_day_and_month_names_come_from_babel():
    assert hours.DAY_NAMES["fr"][0] == "lundi" and hours.DAY_NAMES["en"][6] == "Sunday"
    assert hours.day_month(date(2026, 5, 1), "fr") == f"1er{NBSP}mai"
    assert hours.day_month(date(2026, 5, 1), "en") == "May 1"
    assert hours.day_month(date(2027, 1, 1), "fr", with_year=True) == f"1er{NBSP}janvier 2027"
    assert hours.clock("11:30", "fr") == f"11{NBSP}h{NBSP}30"
    assert hours.clock("14:00", "fr") == f"14{NBSP}h"


# --- The partial in English, with a catalog ------------------------------------------------

ENGLISH = {
    "Heures d’ouverture": "Opening hours",
    "Heures d’ouverture de %(name)s": "Opening hours of %(name)s",
    "Du %(first)s au %(last)s": "%(first)s to %(last)s",
    "du %(first)s au %(last)s": "%(first)s to %(last)s",
    "Le %(date)s": "%(date)s",
    "En %(month)s": "In %(month)s",
    "en %(month)s": "in %(month)s",
    "et": "and",
    "%(start)s à %(end)s": "%(start)s to %(end)s",
    "fermé": "closed",
    "Fermé.": "Closed.",
    "Fermé les jours fériés.": "Closed on public holidays.",
    "Jours particuliers": "Special days",
    "Jours où %(name)s a un autre horaire": "Days when %(name)s has other hours",
    "du lever au coucher du soleil": "from sunrise to sunset",
    "à partir de %(start)s": "from %(start)s",
}


class _Catalog(gettext.NullTranslations):
    def gettext(self, message):
        return ENGLISH.get(message, message)


def render_hours(value: str, lang: str, translations) -> str:
    from buylocal.generator import _clock, _in_language

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(ROOT / "theme" / "templates"), autoescape=True
    )
    env.filters["clock"] = _clock
    env.filters["local"] = _in_language
    env.globals.update(
        {
            "_": lambda message, **values: (
                translations.gettext(message) % values if values else translations.gettext(message)
            ),
            "day_names": hours.DAY_NAMES,
        }
    )
    merchant = type("M", (), {"name": "Fromagerie & Cie", "hours": value})
    page = type("P", (), {"heading": merchant.name})
    return env.get_template("partials/hours.html").render(
        m=merchant, page=page, week=hours.week_table(value, OCT_1), lang=lang
    )


def test_the_partial_in_english():
    section = HoursSection.of(
        render_hours("Mo-Fr 09:00-17:00; Nov-Apr Sa 10:00-14:00; PH off", "en", _Catalog())
    )
    assert section.headings == ["May 1 to October 31", "November 1 to April 30"]
    assert section.tables[0].rows[0] == ("Monday", "09:00 to 17:00")
    assert section.tables[1].rows[5] == ("Saturday", "10:00 to 14:00")
    assert section.tables[0].caption == "Opening hours of Fromagerie & Cie, May 1 to October 31"
    assert section.paragraphs == ["Closed on public holidays."]
    sun = HoursSection.of(
        render_hours("Jun-Sep Mo-Su sunrise-sunset; Oct Sa 10:00+", "en", _Catalog())
    )
    assert sun.tables[0].rows[5] == ("Saturday", "from 10:00")
    assert sun.tables[1].rows[0] == ("Monday", "from sunrise to sunset")
    assert sun.headings == ["In October", "November 1 to May 31", "June 1 to September 30"]
    fruits = "Jun-Sep Mo-Sa 09:00-18:00; Jul,Aug Su 10:00-16:00"
    both = HoursSection.of(render_hours(fruits, "en", _Catalog())).headings[1]
    assert both == "In June and in September"


# --- Built pages ---------------------------------------------------------------------------


class HoursSection(HTMLParser):
    """The hours section of a page: its h3 headings, tables (caption, rows), paragraphs and
    code, with spaces and line breaks collapsed but non-breaking spaces kept."""

    TEXTS = ("h3", "caption", "th", "td", "p", "code")

    class Table:
        def __init__(self):
            self.caption = ""
            self.rows: list[tuple[str, ...]] = []

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.inside = False
        self.headings: list[str] = []
        self.tables: list[HoursSection.Table] = []
        self.paragraphs: list[str] = []
        self.codes: list[str] = []
        self.buffers: dict[str, list[str]] = {}
        self.row: list[str] = []

    @classmethod
    def of(cls, html: str) -> HoursSection:
        section = cls()
        section.feed(html)
        section.close()
        return section

    def handle_starttag(self, tag, attrs):
        if tag == "section" and dict(attrs).get("aria-labelledby") == "heures":
            self.inside = True
        if not self.inside:
            return
        if tag == "table":
            self.tables.append(HoursSection.Table())
        elif tag == "tr":
            self.row = []
        if tag in self.TEXTS:
            self.buffers[tag] = []

    def handle_endtag(self, tag):
        if not self.inside:
            return
        if tag == "section":
            self.inside = False
        if tag == "tr":
            self.tables[-1].rows.append(tuple(self.row))
        if tag not in self.buffers:
            return
        text = re.sub(r"[ \t\r\n]+", " ", "".join(self.buffers.pop(tag))).strip()
        if tag == "h3":
            self.headings.append(text)
        elif tag == "caption":
            self.tables[-1].caption = text
        elif tag in ("th", "td"):
            self.row.append(text)
        elif tag == "p":
            self.paragraphs.append(text)
        elif tag == "code":
            self.codes.append(text)

    def handle_data(self, data):
        for buffer in self.buffers.values():
            buffer.append(data)


@pytest.fixture(scope="module")
def seasonal_site(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("hours-seasonal") / "output"
    code, printed = build(FIXTURES / "hours-seasonal", output)
    assert code == 0, printed
    return output


def section_of(site: Path, slug: str) -> HoursSection:
    return HoursSection.of((site / "rimouski" / slug / "index.html").read_text(encoding="utf-8"))


def test_a_seasonal_merchant_page_has_one_table_per_period(seasonal_site):
    section = section_of(seasonal_site, "fromagerie-des-saisons")
    assert section.headings == [
        f"Du 1er{NBSP}mai au 31{NBSP}octobre",
        f"Du 1er{NBSP}novembre au 30{NBSP}avril",
    ]
    summer, winter = section.tables
    assert summer.rows == [
        *[(name, f"9{NBSP}h à 17{NBSP}h") for name in ("Lundi", "Mardi", "Mercredi")],
        *[(name, f"9{NBSP}h à 17{NBSP}h") for name in ("Jeudi", "Vendredi")],
        ("Samedi", "fermé"),
        ("Dimanche", "fermé"),
    ]
    assert winter.rows[5] == ("Samedi", f"10{NBSP}h à 14{NBSP}h")
    assert section.paragraphs == ["Fermé les jours fériés."]
    assert section.codes == []  # no OpenStreetMap text left
    page = parse(seasonal_site / "rimouski" / "fromagerie-des-saisons" / "index.html")
    assert not page.with_attribute("data-open")  # no "Ouvert maintenant" badge


def test_closed_seasons_special_days_sun_and_late_nights(seasonal_site):
    cremerie = section_of(seasonal_site, "cremerie-du-quai")
    assert cremerie.headings == [
        "En octobre",  # one whole month
        f"Du 1er{NBSP}novembre au 30{NBSP}avril",
        f"Du 1er{NBSP}mai au 30{NBSP}septembre",
        "Jours particuliers",
    ]
    assert cremerie.paragraphs == ["Fermé."]  # November to April
    assert cremerie.tables[-1].rows == [
        (f"Le 24{NBSP}décembre", f"10{NBSP}h à 14{NBSP}h (bûches glacées)")
    ]
    kiosque = section_of(seasonal_site, "kiosque-du-phare")
    assert kiosque.tables[0].rows[2] == ("Mercredi", f"à partir de 10{NBSP}h")
    assert kiosque.tables[1].rows[0] == ("Lundi", "du lever au coucher du soleil")
    bar = section_of(seasonal_site, "microbrasserie-du-large")
    assert bar.headings == ["Jours particuliers"]  # one pattern all year: no heading
    assert bar.tables[0].rows[4] == ("Vendredi", f"16{NBSP}h à 2{NBSP}h")
    assert bar.tables[0].rows[6] == ("Dimanche", f"14{NBSP}h à 20{NBSP}h (brunch sur réservation)")
    assert bar.tables[1].rows == [(f"Le 24{NBSP}décembre", "fermé")]


def test_school_holidays_keep_the_openstreetmap_text_with_a_reason(seasonal_site):
    section = section_of(seasonal_site, "boulangerie-des-marees")
    assert section.tables == [] and section.headings == []
    assert section.codes == ["Mo-Fr 07:00-18:00; SH Mo-Fr 08:00-12:00"]
    [paragraph] = section.paragraphs
    assert paragraph.startswith("Cet horaire change pendant les vacances scolaires")
    assert f"OpenStreetMap{NBSP}:" in paragraph


def test_seasonal_periods_for_search_engines(seasonal_site):
    assert section_of(seasonal_site, "ferme-des-petits-fruits").headings == [
        f"Du 1er{NBSP}octobre au 31{NBSP}mai",
        "En juin et en septembre",
        f"Du 1er{NBSP}juillet au 31{NBSP}août",
    ]
    page = parse(seasonal_site / "rimouski" / "ferme-des-petits-fruits" / "index.html")
    business = page.jsonld[0]
    assert "openingHours" not in business
    weekdays = [
        f"https://schema.org/{day}"
        for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
    ]
    assert business["openingHoursSpecification"] == [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": weekdays,
            "opens": "09:00",
            "closes": "18:00",
            "validFrom": start,
            "validThrough": end,
        }
        for start, end in [("2027-06-01", "2027-06-30")]
    ] + [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": weekdays,
            "opens": "09:00",
            "closes": "18:00",
            "validFrom": "2027-07-01",
            "validThrough": "2027-08-31",
        },
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": ["https://schema.org/Sunday"],
            "opens": "10:00",
            "closes": "16:00",
            "validFrom": "2027-07-01",
            "validThrough": "2027-08-31",
        },
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": weekdays,
            "opens": "09:00",
            "closes": "18:00",
            "validFrom": "2027-09-01",
            "validThrough": "2027-09-30",
        },
    ]
    # Holidays or special days said apart: no specification that would leave them out.
    fromagerie = parse(seasonal_site / "rimouski" / "fromagerie-des-saisons" / "index.html")
    assert "openingHoursSpecification" not in fromagerie.jsonld[0]


def test_english_pages_name_days_and_months_in_english(seasonal_site):
    section = section_of(seasonal_site / "en", "fromagerie-des-saisons")
    assert section.headings == ["May 1 to October 31", "November 1 to April 30"]
    assert section.tables[1].rows[5] == ("Saturday", "10:00 to 14:00")
    assert section.paragraphs == ["Closed on public holidays."]
