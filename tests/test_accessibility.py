"""Accessibility of every kind of page of the sample, on a phone and on a laptop: axe-core finds
no violation of WCAG 2.0, 2.1 and 2.2 (levels A and AA) nor of its best practices, and every
link or button is at least 24 px by 24 px for a thumb.

axe-core comes inside the PyPI package axe-playwright-python (offline). The page kinds are
found in the built output (tools/pagekinds.py), so a new kind of page is checked without
anyone adding it here. Skipped on a laptop without Chromium, never in CI.
"""

from __future__ import annotations

import pytest
from chromium import DESKTOP, MOBILE, have_chromium, mirror_site_url
from conftest import SITE_URL, skip_unless
from pagekinds import page_kinds, shape

skip_unless(have_chromium(), "Chromium", "apt-get install chromium")
Axe = pytest.importorskip("axe_playwright_python.sync_playwright").Axe

# Every WCAG 2.x rule of levels A and AA, and Deque's best practices (headings, landmarks,
# one main, one h1...). Rules tagged "experimental" or AAA only are left out.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
OPTIONS = {"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]}
SIZES = pytest.mark.parametrize("viewport", [MOBILE, DESKTOP], ids=["360px", "1280px"])
# Smaller than 24 × 24 CSS pixels (WCAG 2.2, 2.5.8), for every link, button and summary.
SMALL_TARGETS = """() => [...document.querySelectorAll('a[href], button, summary, input, select')]
  .filter(e => e.getClientRects().length)
  .map(e => [e.outerHTML.slice(0, 80), e.getBoundingClientRect()])
  .filter(([html, box]) => box.width < 24 || box.height < 24)
  .map(([html, box]) => `${html} (${Math.round(box.width)}×${Math.round(box.height)})`)"""


def _violations(results) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']}: "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in results.response["violations"]
    ]


@pytest.fixture(scope="module")
def kinds(sample_site) -> dict[str, str]:
    return page_kinds(sample_site)


def test_page_kinds_cover_what_the_site_offers(sample_site, kinds):
    shapes = {url: shape(sample_site, url) for url in kinds.values()}
    templates = {template for template, _ in shapes.values()}
    french = {
        "home",
        "merchant",
        "towns",
        "town",
        "categories",
        "category",
        "how_to_buy_index",
        "how_to_buy",
        "town_category",
        "town_how_to_buy",
        "page",
    }
    # Every kind in both languages: the English twins are checked too.
    assert templates >= french | {f"en-{template}" for template in french} | {"404"}
    merchants = [found for template, found in shapes.values() if template == "merchant"]
    english = [found for template, found in shapes.values() if template == "en-merchant"]
    # An English page with French text marked as such, inline and as a block.
    assert any("span[lang]" in found for found in english)
    assert any("div[lang]" in found for found in english)
    for element in (
        "picture",  # with a photo
        "table.hours",  # opening hours as a table
        "div.hours-period",  # hours that change through the year, a table per period
        "p.notice.notice-temporarily-closed",
        "p.notice.notice-closed",
    ):
        assert any(element in found for found in merchants), element
    assert any("picture" not in found for found in merchants)  # and without a photo
    assert any("table.hours" not in found and "code" not in found for found in merchants)
    assert any("a[rel=prev]" in found for _, found in shapes.values())  # page 2 of a list


@SIZES
def test_no_axe_violation_on_any_page_kind(sample_site, chromium, kinds, viewport):
    context = chromium.new_context(viewport=viewport)
    # Pages are opened at the address they were built for, answered from the output folder:
    # the 404 page's absolute links then stay on the same origin, as they do once published.
    mirror_site_url(context, SITE_URL, sample_site)
    page = context.new_page()
    axe = Axe()
    found = {}
    for kind, url in kinds.items():
        page.goto(f"{SITE_URL}/{url}", wait_until="load")
        violations = _violations(axe.run(page, options=OPTIONS))
        if violations:
            found[f"{kind} /{url}"] = violations
    context.close()
    assert found == {}


@SIZES
def test_every_tap_target_is_at_least_24px(sample_site, chromium, kinds, viewport):
    context = chromium.new_context(viewport=viewport, java_script_enabled=False)
    mirror_site_url(context, SITE_URL, sample_site)
    page = context.new_page()
    found = {}
    for kind, url in kinds.items():
        page.goto(f"{SITE_URL}/{url}", wait_until="load")
        small = page.evaluate(SMALL_TARGETS)
        if small:
            found[f"{kind} /{url}"] = small
    context.close()
    assert found == {}


def test_axe_and_the_target_check_do_find_problems(chromium):
    """The checks above can fail: a page with known faults is reported."""
    page = chromium.new_page(viewport=MOBILE)
    page.set_content(
        '<!doctype html><html lang="fr"><title>t</title><body><main><h1>Titre</h1>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
        '<p style="color:#aaa;background:#fff">Texte trop pâle</p>'
        '<a href="#" style="font-size:8px;line-height:1;padding:0">x</a>'
        '<a href="#" style="font-size:8px;line-height:1;padding:0">y</a></main></body></html>'
    )
    ids = {line.split(" ")[0] for line in _violations(Axe().run(page, options=OPTIONS))}
    assert {"image-alt", "color-contrast"} <= ids
    assert len(page.evaluate(SMALL_TARGETS)) == 2
    page.close()
