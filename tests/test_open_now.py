"""The "Ouvert maintenant / Fermé maintenant" badge: which merchant pages carry the weekly
spans it is computed from, and which never do because a badge could be wrong.

The badge itself, computed by the browser at a fixed clock, is tested in test_browser.py.
"""

from __future__ import annotations

import shutil
from datetime import date

import pytest
from conftest import FIXTURES, build
from htmlpage import html_pages, parse


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Mo 09:00-17:00", "540-1020"),
        ("Su 10:00-16:00", "9240-9600"),
        ("Fr 22:00-02:00", "7080-7200 7200-7320"),  # past midnight: Saturday's first hours
        ("Su 22:00-02:00", "0-120 9960-10080"),  # and Sunday's night ends on Monday
        ("24/7", "0-1440 1440-2880 2880-4320 4320-5760 5760-7200 7200-8640 8640-10080"),
        ("Mo-Fr 09:00-17:00; PH off", None),  # a holiday would make it wrong
        ("May-Sep Mo-Su 11:00-21:00", None),  # seasons
        ("Mo-Fr sunrise-sunset", None),
        ("Mo-Fr 10:00+", None),  # open end
        ('Mo 10:00-12:00 "sur rendez-vous"', None),  # a comment
        ("Mo-Fr 10:00-12:00 unknown", None),
        ("Sa[1] 09:00-12:00", None),  # first Saturday of the month
        ("Mo-Su off", None),  # never open: nothing to say
    ],
)
def test_weekly_minutes_only_for_a_plain_week(value, expected):
    from buylocal import hours

    assert hours.weekly_minutes(hours.week_table(value, date(2026, 10, 1))) == expected


def test_an_open_merchant_with_a_plain_week_carries_the_badge(small_site):
    page = parse(small_site / "rimouski" / "bistro-lardoise" / "index.html")
    [(tag, badge, text)] = page.with_attribute("data-open")
    tuesday_to_saturday = [
        f"{day * 1440 + start}-{day * 1440 + end}"
        for day in range(1, 6)
        for start, end in ((690, 840), (1020, 1260))
    ]
    assert badge["data-open"].split() == tuesday_to_saturday
    assert badge["data-tz"] == "America/Toronto"
    assert (badge["data-open-text"], badge["data-closed-text"]) == (
        "Ouvert maintenant",
        "Fermé maintenant",
    )
    assert "hidden" in badge and text == ""  # nothing shows until the script has the clock
    assert ("script", "src", "../../theme/js/open-now.js") in page.links


def test_no_badge_where_it_could_be_wrong(tmp_path):
    tree = tmp_path / "content"
    shutil.copytree(FIXTURES / "small", tree)
    merchants = tree / "merchants"

    def edit(name, old, new):
        path = merchants / name
        path.write_text(path.read_text().replace(old, new))

    # Seasonal hours; a temporarily closed merchant; a listing nobody confirmed for years.
    edit("rimouski/bistro-lardoise.md", 'hours: "Tu-Sa', 'hours: "May-Sep Tu-Sa')
    edit("rimouski/epicerie-du-quai.md", "added:", 'hours: "Mo-Sa 08:00-20:00"\nadded:')
    edit("magog/boutique-du-lac.md", "added:", 'hours: "Mo-Fr 09:00-17:00"\nadded:')
    # And one that deserves a badge, in a town on Atlantic time.
    fresh = (merchants / "magog" / "boutique-du-lac.md").read_text()
    fresh = fresh.replace("Boutique du Lac", "Fromagerie du Lac")
    (merchants / "magog" / "fromagerie-du-lac.md").write_text(
        fresh.replace("added: 2022-03-15", "added: 2022-03-15\nverified: 2026-11-01")
    )
    code, printed = build(tree, tmp_path / "out", BUYLOCAL_TIMEZONE="America/Halifax")
    assert code == 0, printed
    carrying = {
        url: page.with_attribute("data-open")[0][1]
        for url, page in html_pages(tmp_path / "out", french_only=True).items()
        if page.with_attribute("data-open")
    }
    assert list(carrying) == ["magog/fromagerie-du-lac/"]
    badge = carrying["magog/fromagerie-du-lac/"]
    assert badge["data-open"] == "540-1020 1980-2460 3420-3900 4860-5340 6300-6780"
    assert badge["data-tz"] == "America/Halifax"
    scripts = [
        url
        for url, page in html_pages(tmp_path / "out", french_only=True).items()
        if any(value.endswith("open-now.js") for _, _, value in page.links)
    ]
    assert scripts == ["magog/fromagerie-du-lac/"]  # the script loads only with a badge
