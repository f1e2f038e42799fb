"""The repository's own sample directory: it builds, every page kind exists, every internal
link resolves, every page carries its tags, and the sitemap lists exactly the indexable pages.
"""

from __future__ import annotations

from collections import Counter

from conftest import ROOT
from htmlpage import html_pages
from sitecheck import broken_links, heading_jumps, missing_tags, sitemap_urls

SITE_URL = "https://example.org/annuaire"


def test_sample_covers_what_the_contract_offers():
    from buylocal.content import load_content
    from buylocal.settings import site_config

    content = load_content(
        site_config({"PATH": str(ROOT / "content"), "BUYLOCAL_TODAY": "2026-11-20"})
    )
    merchants = content.merchants
    assert len(merchants) >= 40
    assert len({m.town for m in merchants}) >= 8
    categories = Counter(c for m in merchants for c in m.categories)
    modes = Counter(k for m in merchants for k in m.how_to_buy)
    assert set(categories) == set(content.reference.categories)
    assert set(modes) == set(content.reference.how_to_buy)
    statuses = Counter(m.status for m in merchants)
    assert statuses["temporarily_closed"] >= 1 and statuses["closed"] >= 1
    assert sum(1 for m in merchants if m.image) >= 3
    assert sum(1 for m in merchants if m.hours) >= 10
    assert sum(1 for m in merchants if m.en) >= 5


def test_every_page_kind_exists(sample_site):
    pages = html_pages(sample_site, french_only=True)
    kinds = Counter()
    for page in pages.values():
        for data in page.jsonld:
            kinds[data["@type"]] += 1
    assert kinds["WebSite"] == 1
    assert kinds["ItemList"] > 10 and kinds["BreadcrumbList"] > 50
    for url in (
        "",
        "villes/",
        "categories/",
        "comment-acheter/",
        "rimouski/",
        "categories/restaurants/",
        "comment-acheter/delivery/",
        "rimouski/categories/restaurants/",
        "rimouski/comment-acheter/in_store/",
        "a-propos/",
        "ajouter-un-commerce/",
    ):
        assert url in pages, url


def test_every_internal_link_resolves(sample_site):
    assert broken_links(sample_site, html_pages(sample_site), SITE_URL) == []


def test_headings_never_skip_a_level(sample_site):
    jumps = {url: heading_jumps(page) for url, page in html_pages(sample_site).items()}
    assert {url: jump for url, jump in jumps.items() if jump} == {}


def test_photos_are_published_as_resized_variants_only(sample_site):
    published = sorted(p.name for p in (sample_site / "images").rglob("*") if p.is_file())
    photos = sorted(p.stem for p in (ROOT / "content" / "images").rglob("*.jpg"))
    # The sample's photos are 960 px wide: 320, 640 and 960, in WebP and JPEG; no original.
    expected = sorted(
        f"{stem}-{w}.{ext}" for stem in photos for w in (320, 640, 960) for ext in ("jpg", "webp")
    )
    assert published == expected


def test_every_page_has_its_tags_and_a_unique_title(sample_site):
    pages = html_pages(sample_site)
    problems = []
    for url, page in pages.items():
        if url != "404.html":
            problems += missing_tags(url, page, SITE_URL)
    assert problems == []
    titles = Counter((page.lang, page.title) for url, page in pages.items() if url != "404.html")
    assert [title for title, count in titles.items() if count > 1] == []  # in each language


def test_merchant_pages_have_parseable_json_ld_of_their_category_type(sample_site):
    from buylocal.content import load_content
    from buylocal.settings import site_config

    content = load_content(
        site_config({"PATH": str(ROOT / "content"), "BUYLOCAL_TODAY": "2026-11-20"})
    )
    pages = html_pages(sample_site)
    for merchant in content.merchants:
        page = pages[f"{merchant.town}/{merchant.slug}/"]
        if not merchant.listed:
            assert [data["@type"] for data in page.jsonld] == ["BreadcrumbList"]
            continue
        business = page.jsonld[0]  # json.loads in the parser: it parses
        expected = content.reference.categories[merchant.categories[0]].schema_type
        assert business["@type"] == expected
        assert business["name"] == merchant.name
        assert business["url"] == f"{SITE_URL}/{merchant.town}/{merchant.slug}/"
        if merchant.image:
            assert business["image"].startswith(f"{SITE_URL}/images/")
            assert page.meta["og:image"] == business["image"]


def test_sitemap_lists_exactly_the_indexable_pages(sample_site):
    pages = html_pages(sample_site)
    indexable = {url for url, page in pages.items() if page.meta.get("robots") != "noindex"}
    listed = sitemap_urls(sample_site, SITE_URL)
    assert len(listed) == len(set(listed))
    assert set(listed) == indexable
    closed = [url for url, page in pages.items() if "Ce commerce est fermé." in page.text]
    assert closed and not set(closed) & set(listed)
