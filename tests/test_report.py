"""`invoke report` and the "à vérifier" notice: what reviewers look at beyond validity."""

from __future__ import annotations

import io
import shutil
from datetime import date

from buylocal.content import read_content
from buylocal.report import build_report, print_report, stale_since
from buylocal.settings import site_config
from conftest import FIXTURES, build
from htmlpage import parse


def _config(tree):
    return site_config({"PATH": str(tree), "BUYLOCAL_TODAY": "2026-11-20"})


def _content(tree):
    content, problems = read_content(_config(tree))
    assert problems == []
    return content


def test_stale_since_counts_months_back():
    assert stale_since(date(2026, 11, 20), 12) == date(2025, 11, 20)
    assert stale_since(date(2026, 3, 31), 3) == date(2025, 12, 28)


def test_report_finds_duplicates_stale_listings_and_broken_page_links(tmp_path):
    tree = tmp_path / "content"
    shutil.copytree(FIXTURES / "small", tree)
    merchants = tree / "merchants"
    original = (merchants / "rimouski" / "bistro-lardoise.md").read_text()
    (merchants / "rimouski" / "bistro-l-ardoise.md").write_text(
        original.replace("name: Bistro L'Ardoise", "name: BISTRO L’ARDOISE")
        .replace('phone: "+1 418 555-0142"', 'phone: "+1 418 555-0199"')
        .replace(
            "website: https://example.org/ardoise", "website: https://www.example.org/ardoise/"
        )
    )
    (tree / "pages" / "a-propos.md").write_text(
        "---\ntitle: À propos\nsummary: x\n---\n[ok](../rimouski/) [brisé](../sherbrooke/)\n"
    )
    report = build_report(_content(tree), _config(tree), 12)
    assert [(reason, len(files)) for reason, value, files in report.duplicates] == [
        ("nom", 2),
        ("site web", 2),
    ]
    stale = [path.rsplit("/", 1)[-1] for path, verified in report.stale]
    assert stale == ["epicerie-du-quai.md", "boutique-du-lac.md"]  # closed one left out
    assert [href for path, href in report.broken] == ["../sherbrooke/"]
    out = io.StringIO()
    print_report(report, 12, out)
    assert "même nom « bistro l ardoise (rimouski) »" in out.getvalue()
    assert "pas vérifiées depuis plus de 12 mois" in out.getvalue()


def test_stale_listing_pages_say_so(small_site, tmp_path):
    stale = parse(small_site / "rimouski" / "epicerie-du-quai" / "index.html")
    assert "À vérifier : cette fiche n’a pas été confirmée depuis plus de 12 mois" in stale.text
    fresh = parse(small_site / "rimouski" / "bistro-lardoise" / "index.html")
    assert "À vérifier" not in fresh.text
    code, printed = build(FIXTURES / "small", tmp_path / "out", BUYLOCAL_STALE_MONTHS=120)
    assert code == 0, printed
    assert (
        "À vérifier"
        not in parse(tmp_path / "out" / "rimouski" / "epicerie-du-quai" / "index.html").text
    )
