"""The numbers page agrees with the site: each town, category and way to buy counts what its
built list pages show, the verified count what the merchant pages say, and the growth chart
and table the "Ajoutée le" dates of the merchant pages.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from types import SimpleNamespace

from conftest import FIXTURES, build
from htmlpage import html_pages, parse
from htmlparts import tables
from sitelists import listed_merchants, merchant_pages, page_date, resolve

MONTHS = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"


def _numbers_tables(site):
    return {table.id: table for table in tables(site / "chiffres" / "index.html")}


def test_counts_agree_with_the_built_list_pages(sample_site):
    pages = html_pages(sample_site, french_only=True)
    found = _numbers_tables(sample_site)
    towns = {url.split("/")[0] + "/" for url in merchant_pages(pages)}
    for table_id, prefix in (
        ("par-ville-tableau", ""),
        ("par-categorie-tableau", "categories/"),
        ("par-facon-tableau", "comment-acheter/"),
    ):
        rows = found[table_id].body()
        assert rows, table_id
        listed = {}
        for head, count in rows:
            [href] = head.hrefs
            url = resolve("chiffres/", href)
            assert url.startswith(prefix) and url in pages, url
            listed[url] = int(count.text)
        for url, count in listed.items():
            assert len(listed_merchants(sample_site, pages, url)) == count, url
        if table_id == "par-ville-tableau":
            assert set(listed) == towns  # every town that has a page, and only those
            assert sum(listed.values()) == len(merchant_pages(pages))
        else:  # every category (way to buy) page of the site is counted
            index = [u for u in pages if u.startswith(prefix) and u.count("/") == 2]
            assert set(listed) == {u for u in index if "/page/" not in u}


def test_totals_and_verified_count_agree_with_the_merchant_pages(sample_site):
    pages = html_pages(sample_site, french_only=True)
    shown = merchant_pages(pages)
    text = parse(sample_site / "chiffres" / "index.html").text
    total, towns = re.search(r"(\d+) commerces locaux dans (\d+) villes", text).groups()
    assert int(total) == len(shown)
    assert int(towns) == len({url.split("/")[0] for url in shown})
    verified, out_of, months = re.search(
        r"(\d+) fiches sur (\d+) ont été confirmées dans les (\d+) derniers mois", text
    ).groups()
    assert int(out_of) == len(shown) and months == "12"
    stale = [url for url, page in shown.items() if "À vérifier" in page.text]
    assert int(verified) == len(shown) - len(stale) and stale  # the sample has some of each


def test_growth_table_and_chart_follow_the_added_dates(sample_site):
    pages = html_pages(sample_site, french_only=True)
    added = Counter()
    for page in merchant_pages(pages).values():
        day = page_date(page.text, "Ajoutée le")
        added[f"{MONTHS.split()[day.month - 1]} {day.year}"] += 1
    growth = next(t for t in tables(sample_site / "chiffres" / "index.html") if t.id is None)
    rows = [(month.text, int(count.text), int(total.text)) for month, count, total in growth.body()]
    assert {month: count for month, count, _ in rows} == dict(added)
    totals = [total for _, _, total in rows]
    assert totals == sorted(totals) and totals[-1] == sum(added.values())
    assert totals == [sum(count for _, count, _ in rows[: index + 1]) for index in range(len(rows))]
    html = (sample_site / "chiffres" / "index.html").read_text()
    svg = re.search(r"<svg [^>]*>.*?</svg>", html, re.S)[0]
    assert 'role="img"' in svg and 'aria-labelledby="croissance-titre croissance-desc"' in svg
    assert '<title id="croissance-titre">' in svg and '<desc id="croissance-desc">' in svg
    first, last = rows[0], rows[-1]
    # The description says in words what the line shows, for those who cannot see it.
    assert f"{first[2]} en {first[0]}" in svg and f"{last[2]} en novembre 2026" in svg
    page = parse(sample_site / "chiffres" / "index.html")
    assert {kind for kind, _ in page.scripts} == {"application/ld+json"}  # drawn, not scripted
    assert page.title == "Le répertoire en chiffres | Achat local"  # not the chart's <title>


def test_growth_runs_to_today_and_counts_empty_months():
    from buylocal.numbers import growth

    merchants = [SimpleNamespace(added=date(2025, m, 3)) for m in (11, 11, 12)] + [
        SimpleNamespace(added=date(2026, 3, 1))
    ]
    months = growth(merchants, date(2026, 5, 20))
    assert [(m.key, m.added, m.total) for m in months] == [
        ("2025-11", 2, 2),
        ("2025-12", 1, 3),
        ("2026-01", 0, 3),
        ("2026-02", 0, 3),
        ("2026-03", 1, 4),
        ("2026-04", 0, 4),
        ("2026-05", 0, 4),
    ]
    assert growth([], date(2026, 5, 20)) == []


def test_chart_puts_the_last_point_at_the_total():
    from buylocal.numbers import chart, growth, nice_ceiling

    assert [nice_ceiling(n) for n in (0, 1, 3, 10, 11, 47, 120)] == [1, 1, 5, 10, 20, 50, 200]
    merchants = [SimpleNamespace(added=date(2020, 4, 1))] * 3 + [
        SimpleNamespace(added=date(2021, 1, 5))
    ] * 7
    drawn = chart(growth(merchants, date(2021, 2, 1)))
    points = [tuple(map(float, p.split(","))) for p in drawn.line.split()]
    assert len(points) == 11  # April 2020 to February 2021
    plot_height = drawn.height - drawn.top - drawn.bottom
    assert points[0][1] == round(drawn.top + plot_height * (1 - 3 / 10), 1)
    assert points[-1] == (drawn.width - drawn.right, drawn.top)  # 10 of a 10 scale, at the end
    assert [label for _, label in drawn.x_ticks] == ["2020", "2021"]
    one = chart(growth(merchants[:1], date(2020, 4, 9)))
    assert len(one.line.split()) == 2  # a single month is still a visible segment


def test_verified_count_is_relative_to_today(tmp_path):
    from buylocal.numbers import recently_verified

    merchants = [SimpleNamespace(verified=date(2025, 11, d)) for d in (20, 19)]
    assert recently_verified(merchants, date(2026, 11, 20), 12) == 1
    assert recently_verified(merchants, date(2026, 11, 18), 12) == 2
    code, printed = build(FIXTURES / "small", tmp_path / "out", BUYLOCAL_STALE_MONTHS=60)
    assert code == 0, printed
    text = parse(tmp_path / "out" / "chiffres" / "index.html").text
    assert "2 fiches sur 3 ont été confirmées dans les 60 derniers mois (67 %)" in text


def test_small_tree_numbers(small_site):
    text = parse(small_site / "chiffres" / "index.html").text
    assert "3 commerces locaux dans 2 villes." in text
    assert "1 fiche sur 3 a été confirmée dans les 12 derniers mois (33 %)" in text
