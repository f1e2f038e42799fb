"""The Atom feeds of new merchants: valid Atom (feedparser, and RFC 4287 checked element by
element), the newest first, each town's holding only its own merchants, announced in the head
of the home and town pages, and left out when the site has no public address.
"""

from __future__ import annotations

import html
import logging
import shutil
import xml.etree.ElementTree as ET

import feedparser
import pytest
from atomcheck import A
from atomcheck import problems as atom_problems
from conftest import FIXTURES, build
from htmlpage import html_pages, parse
from htmlparts import head_links
from sitelists import listed_merchants, merchant_pages

SITE_URL = "https://example.org/annuaire"


def feed_links(path):
    """The page's <link rel=alternate> to a feed (the others are its hreflang twins)."""
    return [
        link for link in head_links(path, "alternate") if link.get("type") == "application/atom+xml"
    ]


def _feeds(site):
    return sorted(path.relative_to(site).as_posix() for path in site.rglob("nouveaux.atom.xml"))


def test_every_feed_of_the_sample_is_valid_atom(sample_site):
    feeds = _feeds(sample_site)
    towns = {url.split("/")[0] for url in merchant_pages(html_pages(sample_site, french_only=True))}
    # The site's, and one for each town that has an open merchant (and so a page).
    assert feeds == sorted(["nouveaux.atom.xml", *(f"{town}/nouveaux.atom.xml" for town in towns)])
    for name in feeds:
        data = (sample_site / name).read_bytes()
        parsed = feedparser.parse(data)
        assert parsed.bozo == 0, (name, parsed.get("bozo_exception"))
        assert parsed.version == "atom10"
        assert atom_problems(data) == [], name
        assert parsed.feed.links[-1].href == f"{SITE_URL}/{name}"  # rel="self", absolute
        assert parsed.feed.language == "fr"
        assert parsed.entries


def test_the_checker_finds_what_breaks_rfc_4287():
    broken = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title>'
        b"<updated>2020-04-06</updated>"
        b"<entry><id>pas-une-iri</id><title>a</title><title>b</title>"
        b"<updated>2020-04-06T00:00:00Z</updated></entry></feed>"
    )
    found = atom_problems(broken)
    assert "atom:feed has 0 atom:id, exactly one is required" in found
    assert "atom:feed: updated '2020-04-06' is not an RFC 3339 date-time (3.3)" in found
    assert "atom:entry #1 has 2 atom:title, exactly one is required" in found
    assert "atom:entry #1: no atom:content and no alternate link (4.1.2)" in found
    assert "atom:entry #1: atom:id 'pas-une-iri' is not an absolute IRI (4.2.6)" in found
    assert any("atom:author" in problem for problem in found)


def test_site_feed_lists_the_newest_merchants_the_site_shows(sample_site):
    pages = html_pages(sample_site, french_only=True)
    open_pages = merchant_pages(pages)
    parsed = feedparser.parse((sample_site / "nouveaux.atom.xml").read_bytes())
    links = [entry.link for entry in parsed.entries]
    assert len(links) == len(set(links)) == min(50, len(open_pages))
    assert {link[len(SITE_URL) + 1 :] for link in links} <= set(open_pages)
    published = [entry.published for entry in parsed.entries]
    assert published == sorted(published, reverse=True)  # newest first
    # The dates are the merchant's own: "Ajoutée le …" and "Fiche vérifiée le …" on its page.
    first = parsed.entries[0]
    page = open_pages[first.link[len(SITE_URL) + 1 :]]
    assert page.canonical == first.link
    assert first.title.startswith(page.h1[0])
    assert first.id.startswith("tag:example.org,")
    updated = max(entry.updated for entry in parsed.entries)
    assert parsed.feed.updated == updated


def test_each_town_feed_holds_only_that_towns_merchants(sample_site):
    pages = html_pages(sample_site, french_only=True)
    for name in _feeds(sample_site):
        if name == "nouveaux.atom.xml":
            continue
        town_url = name[: -len("nouveaux.atom.xml")]
        shown = listed_merchants(sample_site, pages, town_url)
        parsed = feedparser.parse((sample_site / name).read_bytes())
        entries = [entry.link[len(SITE_URL) + 1 :] for entry in parsed.entries]
        assert sorted(entries) == sorted(shown[:50]), name
        assert parsed.feed.link == f"{SITE_URL}/{town_url}"


def test_home_and_town_pages_announce_their_feed(small_site):
    for url, feed in (("", "./nouveaux.atom.xml"), ("rimouski/", "../rimouski/nouveaux.atom.xml")):
        path = small_site / url / "index.html"
        [alternate] = feed_links(path)
        assert alternate["type"] == "application/atom+xml"
        assert alternate["href"] == feed
        page = parse(path)
        assert "S’abonner (Atom)" in page.text
        assert ("a", "href", alternate["href"]) in page.links
    assert feed_links(small_site / "rimouski" / "bistro-lardoise" / "index.html") == []
    assert feed_links(small_site / "categories" / "index.html") == []


def test_entries_carry_the_merchants_dates_and_escaped_text(tmp_path):
    tree = tmp_path / "content"
    shutil.copytree(FIXTURES / "small", tree)
    merchant = tree / "merchants" / "rimouski" / "bistro-lardoise.md"
    merchant.write_text(
        merchant.read_text()
        .replace("summary: Cuisine du terroir", 'summary: "<b>Gras</b> & cuisine du terroir')
        .replace("aux chanterelles.", 'aux chanterelles."')
    )
    code, printed = build(tree, tmp_path / "out")
    assert code == 0, printed
    data = (tmp_path / "out" / "rimouski" / "nouveaux.atom.xml").read_bytes()
    assert atom_problems(data) == []
    root = ET.fromstring(data)
    [entry] = [
        entry
        for entry in root.findall(f"{A}entry")
        if entry.find(f"{A}link").get("href").endswith("/bistro-lardoise/")
    ]
    assert entry.find(f"{A}published").text == "2020-04-06T00:00:00-04:00"  # America/Toronto
    assert entry.find(f"{A}updated").text == "2026-10-01T00:00:00-04:00"  # verified
    assert root.find(f"{A}updated").text == "2026-10-01T00:00:00-04:00"
    summary = entry.find(f"{A}summary")
    assert summary.get("type") == "html" and list(summary) == []
    # Declared HTML, so escaped: a reader shows the brackets, it never makes them bold.
    assert html.unescape(summary.text).startswith("<b>Gras</b> & cuisine du terroir")
    assert "<b>" not in summary.text
    ways = "Comment acheter : en magasin, commande à emporter, livraison locale."
    assert summary.text.endswith(ways)
    assert [c.get("term") for c in entry.findall(f"{A}category")] == ["Restaurants"]


def test_feed_size_setting_bounds_every_feed(tmp_path):
    code, printed = build(FIXTURES / "small", tmp_path / "out", BUYLOCAL_FEED_SIZE=1)
    assert code == 0, printed
    parsed = feedparser.parse((tmp_path / "out" / "nouveaux.atom.xml").read_bytes())
    assert [entry.link for entry in parsed.entries] == [f"{SITE_URL}/magog/boutique-du-lac/"]
    code, printed = build(FIXTURES / "small", tmp_path / "bad", BUYLOCAL_FEED_SIZE=0)
    assert code == 1 and "BUYLOCAL_FEED_SIZE = 0" in printed


def test_no_feed_and_no_feed_link_without_a_public_address(tmp_path, caplog):
    from pelican.log import LimitFilter

    # Pelican logs a warning once per process: another test's build may have logged it.
    warning = "buylocal: SITEURL is not set, so no Atom feed is written"
    LimitFilter._raised_messages.discard((logging.WARNING, warning))
    with caplog.at_level(logging.WARNING, logger="buylocal.feeds"):
        code, printed = build(FIXTURES / "small", tmp_path / "out", SITEURL="")
    assert code == 0, printed
    site = tmp_path / "out"
    assert _feeds(site) == []
    assert "SITEURL is not set, so no Atom feed is written" in caplog.text
    for url in ("", "rimouski/"):
        assert feed_links(site / url / "index.html") == []
        assert "S’abonner" not in parse(site / url / "index.html").text


@pytest.fixture
def zone_folder(tmp_path):
    """A folder where zoneinfo looks first, and only: a test can change a zone's rules."""
    import zoneinfo

    folder = tmp_path / "zoneinfo"
    zoneinfo.reset_tzpath([str(folder)])
    zoneinfo.ZoneInfo.clear_cache()
    yield folder
    zoneinfo.reset_tzpath()
    zoneinfo.ZoneInfo.clear_cache()


def test_a_kept_feed_follows_new_time_zone_rules(tmp_path, zone_folder):
    """If Quebec moved its clocks, a rebuild with cache/ would write what a full build writes."""
    import zoneinfo

    from buylocal.feeds import zone_rules

    toronto, vancouver = zone_rules("America/Toronto"), zone_rules("America/Vancouver")
    assert toronto.startswith(b"TZif") and vancouver.startswith(b"TZif")
    (zone_folder / "America").mkdir(parents=True)
    rules = zone_folder / "America" / "Toronto"
    rules.write_bytes(toronto)
    out = tmp_path / "out"
    feed = out / "rimouski" / "nouveaux.atom.xml"
    assert build(FIXTURES / "small", out)[0] == 0
    assert b"2020-04-06T00:00:00-04:00" in feed.read_bytes()
    rules.write_bytes(vancouver)  # the same name, other rules
    zoneinfo.ZoneInfo.clear_cache()
    code, printed = build(FIXTURES / "small", out)
    assert code == 0, printed
    assert b"2020-04-06T00:00:00-07:00" in feed.read_bytes()
    assert build(FIXTURES / "small", tmp_path / "full", full=True)[0] == 0
    assert feed.read_bytes() == (tmp_path / "full" / "rimouski" / "nouveaux.atom.xml").read_bytes()
