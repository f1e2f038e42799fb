"""Whole builds of small fixture trees: the pages, their tags, links, sitemap and failures."""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import time
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from buylocal import seo
from conftest import FIXTURES, ROOT, build, pages_rendered
from htmlpage import html_pages, parse
from sitecheck import broken_links, heading_jumps, missing_tags, sitemap_urls

SITE_URL = "https://example.org/annuaire"


def test_every_page_kind_of_the_small_tree_is_built(small_site):
    expected = [
        "index.html",
        "rimouski/index.html",
        "rimouski/bistro-lardoise/index.html",
        "rimouski/ancien-cafe/index.html",
        "categories/index.html",
        "categories/restaurants/index.html",
        "comment-acheter/index.html",
        "comment-acheter/delivery/index.html",
        "villes/index.html",
        "rimouski/categories/restaurants/index.html",
        "rimouski/comment-acheter/delivery/index.html",
        "a-propos/index.html",
        "sitemap.xml",
        "robots.txt",
        "favicon.svg",
        "404.html",
        "theme/css/main.css",
    ]
    assert [name for name in expected if not (small_site / name).is_file()] == []
    # No list page for a category that no open merchant uses.
    assert not (small_site / "categories" / "cafes").exists()


def test_links_tags_and_headings_of_every_page(small_site):
    pages = html_pages(small_site)
    assert broken_links(small_site, pages, SITE_URL) == []
    problems = []
    for url, page in pages.items():
        if url != "404.html":
            problems += missing_tags(url, page, SITE_URL)
            problems += [f"{url}: heading jump {jump}" for jump in heading_jumps(page)]
    assert problems == []
    for lang in ("fr", "en"):  # twins share a title; hreflang tells them apart
        titles = [page.title for url, page in pages.items() if page.lang == lang]
        assert len(titles) == len(set(titles)), f"every <title> in {lang} is unique"


def test_a_town_card_that_reads_root_gets_each_pages_own(tmp_path):
    """Cards are rendered once with stand-ins for `root`, put back on each page; a town's
    card that does more with `root` than print it is rendered at each depth instead.
    """
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    card = theme / "templates" / "partials" / "merchant_card.html"
    text = card.read_text(encoding="utf-8")
    card.write_text(text.replace("<li ", "<li data-depth=\"{{ root.count('../') }}\" ", 1))
    output = tmp_path / "output"
    code, printed = build(FIXTURES / "small", output, THEME=str(theme))
    assert code == 0, printed
    depths = {
        "index.html": "0",
        "rimouski/index.html": "1",
        "categories/restaurants/index.html": "2",
        "rimouski/categories/restaurants/index.html": "3",
        "en/rimouski/index.html": "1",
    }
    for page, depth in depths.items():
        cards = parse(output / page).with_attribute("data-depth")
        assert cards, page
        assert {attrs["data-depth"] for _, attrs, _ in cards} == {depth}, page


def test_a_town_card_that_filters_root_for_some_merchants_only_gets_each_pages_own(tmp_path):
    """A card that passes `root` through a filter for some merchants only: the first card
    checked at each depth may not show it, so each render is checked for changed stand-ins.
    """
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    card = theme / "templates" / "partials" / "merchant_card.html"
    text = card.read_text(encoding="utf-8")
    link = "{{ {'href': root ~ urls.merchant(merchant.town, merchant.slug)}|tojson }}"
    attribute = f"{{% if merchant.geo %}}data-map='{link}' {{% endif %}}"
    card.write_text(text.replace("<li ", "<li " + attribute, 1))
    output = tmp_path / "output"
    code, printed = build(FIXTURES / "small", output, THEME=str(theme))
    assert code == 0, printed
    cards = parse(output / "rimouski" / "index.html").with_attribute("data-map")
    assert [json.loads(attrs["data-map"]) for _, attrs, _ in cards] == [
        {"href": "../rimouski/bistro-lardoise/"}
    ]
    for page in output.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "\ue000" not in html and "buylocal-" not in html.casefold(), page


def test_a_shop_named_like_a_stand_in_leaves_cards_rendered_once(tmp_path, monkeypatch):
    """A name with "buylocal-" in it made every card of the site render at each depth."""
    from buylocal.generator import _ROOT_MARK, BuyLocalGenerator

    tree = tmp_path / "content"
    shutil.copytree(FIXTURES / "small", tree)
    minimal = (FIXTURES / "merchant-files" / "valid-minimal.md").read_text(encoding="utf-8")
    shop = tree / "merchants" / "rimouski" / "buylocal-rimouski.md"
    shop.write_text(minimal.replace("Café Test", "BuyLocal-Rimouski"), encoding="utf-8")
    real_renders = []
    render = BuyLocalGenerator._render_fragment

    def counting(self, template, root, site_root, lang, merchant):
        if template == "partials/merchant_card.html" and root != _ROOT_MARK:
            real_renders.append((lang, root, site_root))
        return render(self, template, root, site_root, lang, merchant)

    monkeypatch.setattr(BuyLocalGenerator, "_render_fragment", counting)
    output = tmp_path / "output"
    code, printed = build(tree, output)
    assert code == 0, printed
    # Each depth is checked once per language against a real render, and that is all.
    assert real_renders and len(real_renders) == len(set(real_renders))
    assert "BuyLocal-Rimouski" in parse(output / "rimouski" / "index.html").text


def test_merchant_cards_kept_for_reuse_take_a_byte_a_character(tmp_path, monkeypatch):
    """Each rendering process keeps every card it showed; with the stand-ins in them, kept
    as text they took two bytes a character (18 MB a process at 10,000 merchants).
    """
    from buylocal.generator import BuyLocalGenerator

    generators = []
    fragment = BuyLocalGenerator._fragment

    def noting(self, *args, **kwargs):
        generators.append(self)
        return fragment(self, *args, **kwargs)

    monkeypatch.setattr(BuyLocalGenerator, "_fragment", noting)
    code, printed = build(FIXTURES / "small", tmp_path / "output")
    assert code == 0, printed
    kept = {key: stored for key, (stored, _, _) in generators[-1]._fragments.items() if key[1]}
    assert kept and {key[0] for key in kept} == {"partials/merchant_card.html"}
    for stored in kept.values():
        text = stored.decode() if isinstance(stored, bytes) else stored
        assert "\ue000" in text  # the stand-ins for root and site_root
        assert sys.getsizeof(stored) < 1.1 * len(text) + 64, text


def test_a_page_lets_go_of_its_context_once_written(tmp_path, monkeypatch):
    """What only one page holds is freed as soon as it is written, in the process that
    rendered it: a rendering process's memory then stops growing with every page it did.
    """
    from buylocal.generator import BuyLocalGenerator
    from buylocal.plan import LazyPageSpec, LightPageSpec

    held = []
    render = BuyLocalGenerator._render_page

    def noting(self, index):
        result = render(self, index)
        spec = self.specs[index]
        held.append((spec.output_file, spec))
        return result

    monkeypatch.setattr(BuyLocalGenerator, "_render_page", noting)
    code, printed = build(FIXTURES / "small", tmp_path / "output")
    assert code == 0, printed
    assert held and all(
        vars(spec).get("context") is None and vars(spec).get("jsonld") is None for _, spec in held
    )
    # The merchant pages and lists of a first build are planned light, planned whole where
    # rendered, and light again once written: nothing planned for the page is left.
    light = [spec for _, spec in held if isinstance(spec, LightPageSpec)]
    merchants = len(list((FIXTURES / "small/merchants").rglob("*.md")))
    assert sum(spec.template == "merchant" for spec in light) == 2 * merchants
    assert {"town", "category", "how_to_buy", "town_print"} <= {spec.template for spec in light}
    assert all(not set(vars(spec)) & set(LazyPageSpec.PLANNED_LATER) for spec in light)
    assert (tmp_path / "output" / held[0][0]).is_file()


def test_merchant_page_shows_what_a_citizen_needs(small_site):
    page = parse(small_site / "rimouski" / "bistro-lardoise" / "index.html")
    hrefs = [href for _, _, href in page.links]
    assert "tel:+14185550142" in hrefs
    assert any(href.startswith("https://www.openstreetmap.org/?mlat=48.4496") for href in hrefs)
    assert "https://example.org/ardoise" in hrefs
    assert "../../rimouski/comment-acheter/delivery/" in hrefs
    text = page.text
    assert text.index("Comment acheter") < text.index("Coordonnées")  # how to buy comes first
    assert "Mardi 11 h 30 à 14 h, 17 h à 21 h" in text
    assert "Lundi fermé" in text
    assert "Livre à : Rimouski" in text
    assert "Fiche vérifiée le 1er octobre 2026" in text
    assert "français, anglais" in text
    # The en: block is the English page's (test_languages.py), not a section of this one.
    assert "Local cuisine from the Lower St. Lawrence" not in text
    [business, crumbs] = page.jsonld
    assert business["@type"] == "Restaurant"
    assert business["telephone"] == "+14185550142"
    assert business["geo"] == {
        "@type": "GeoCoordinates",
        "latitude": 48.4496,
        "longitude": -68.5233,
    }
    assert "Tu 11:30-14:00" in business["openingHours"]
    assert business["url"] == f"{SITE_URL}/rimouski/bistro-lardoise/"
    assert crumbs["@type"] == "BreadcrumbList"
    assert [item["name"] for item in crumbs["itemListElement"]] == [
        "Accueil",
        "Rimouski",
        "Bistro L'Ardoise",
    ]


def test_closed_merchant_keeps_a_noindex_page_and_leaves_every_list(small_site):
    page = parse(small_site / "rimouski" / "ancien-cafe" / "index.html")
    assert page.meta["robots"] == "noindex"
    assert "Ce commerce est fermé." in page.text
    pages = html_pages(small_site)
    own = ("rimouski/ancien-cafe/", "en/rimouski/ancien-cafe/")  # each links to the other
    linking = [
        url
        for url, p in pages.items()
        if url not in own and any("ancien-cafe" in href for _, _, href in p.links)
    ]
    assert linking == []
    assert "rimouski/ancien-cafe/" not in sitemap_urls(small_site, SITE_URL)


def test_temporarily_closed_merchant_is_listed_with_a_notice(small_site):
    page = parse(small_site / "rimouski" / "epicerie-du-quai" / "index.html")
    assert "robots" not in page.meta
    assert "Fermé temporairement." in page.text
    town = parse(small_site / "rimouski" / "index.html")
    assert "Épicerie du Quai Rimouski · Épiceries Fermé temporairement" in town.text


def test_sitemap_lists_exactly_the_indexable_pages(small_site):
    pages = html_pages(small_site)
    indexable = sorted(url for url, page in pages.items() if page.meta.get("robots") != "noindex")
    assert sorted(sitemap_urls(small_site, SITE_URL)) == indexable
    robots = (small_site / "robots.txt").read_text()
    assert f"Sitemap: {SITE_URL}/sitemap.xml" in robots


SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_a_sitemap_past_50000_addresses_becomes_an_index_of_parts():
    config = SimpleNamespace(site_url="https://example.org")
    entries = [
        (f"ville/commerce-{n}/", date(2026, 1, 1) + timedelta(days=n % 300), ())
        for n in range(100_001)
    ]
    files = seo.sitemap_files(entries, config)
    assert list(files) == ["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml"]
    index = ET.fromstring(files["sitemap.xml"])
    assert index.tag == f"{SITEMAP}sitemapindex"
    assert [(s.findtext(f"{SITEMAP}loc"), s.findtext(f"{SITEMAP}lastmod")) for s in index] == [
        ("https://example.org/sitemap-1.xml", "2026-10-27"),
        ("https://example.org/sitemap-2.xml", "2026-10-27"),
        ("https://example.org/sitemap-3.xml", "2026-04-11"),  # 100,000 % 300 = 100 days in
    ]
    parts = [ET.fromstring(files[f"sitemap-{n}.xml"]) for n in (1, 2, 3)]
    assert [len(part) for part in parts] == [50_000, 50_000, 1]
    listed = [url.findtext(f"{SITEMAP}loc") for part in parts for url in part]
    assert listed == [f"https://example.org/{url}" for url, _, _ in entries]


def test_no_sitemap_part_is_larger_than_the_limit(monkeypatch):
    monkeypatch.setattr(seo, "SITEMAP_MAX_BYTES", 2_000)
    config = SimpleNamespace(site_url="https://example.org")
    alternates = (("fr", "ville/commerce/"), ("en", "en/ville/commerce/"))
    entries = [(f"ville/commerce-{n}/", None, alternates) for n in range(60)]
    files = seo.sitemap_files(entries, config)
    assert len(files) > 3
    assert max(len(text.encode()) for text in files.values()) <= 2_000
    index = ET.fromstring(files["sitemap.xml"])
    assert [s.findtext(f"{SITEMAP}lastmod") for s in index] == [None] * (len(files) - 1)
    urls = [u for name in list(files)[1:] for u in ET.fromstring(files[name])]
    assert [u.findtext(f"{SITEMAP}loc") for u in urls] == [
        f"https://example.org/{url}" for url, _, _ in entries
    ]


def test_a_split_sitemap_lists_the_indexable_pages_and_goes_when_no_longer_needed(
    tmp_path, monkeypatch, small_site
):
    output = tmp_path / "output"
    monkeypatch.setattr(seo, "SITEMAP_MAX_URLS", 4)
    code, printed = build(FIXTURES / "small", output)
    assert code == 0, printed
    root = ET.parse(output / "sitemap.xml").getroot()
    assert root.tag == f"{SITEMAP}sitemapindex"
    parts = sorted(output.glob("sitemap-*.xml"))
    assert len(parts) == len(root) > 1
    assert all(len(ET.parse(part).getroot()) <= 4 for part in parts)
    # The same addresses, in the same order, as the one file of the usual build.
    assert sitemap_urls(output, SITE_URL) == sitemap_urls(small_site, SITE_URL)
    assert f"Sitemap: {SITE_URL}/sitemap.xml" in (output / "robots.txt").read_text()
    monkeypatch.setattr(seo, "SITEMAP_MAX_URLS", 50_000)
    code, printed = build(FIXTURES / "small", output)
    assert code == 0, printed
    assert list(output.glob("sitemap-*.xml")) == []
    assert (output / "sitemap.xml").read_bytes() == (small_site / "sitemap.xml").read_bytes()


def test_list_pages_carry_item_lists(small_site):
    page = parse(small_site / "comment-acheter" / "in_store" / "index.html")
    item_list = next(data for data in page.jsonld if data["@type"] == "ItemList")
    assert [item["name"] for item in item_list["itemListElement"]] == [
        "Bistro L'Ardoise",
        "Épicerie du Quai",
    ]
    assert any(data["@type"] == "BreadcrumbList" for data in page.jsonld)


def test_every_page_forbids_scripts_from_elsewhere(small_site):
    for url, page in html_pages(small_site).items():  # the 404 page too
        policy = dict(
            part.strip().split(" ", 1) for part in page.meta["Content-Security-Policy"].split(";")
        )
        assert policy["script-src"] == "'self'" and policy["object-src"] == "'none'", url


def test_names_cannot_break_out_of_html_or_json_ld(tmp_path):
    tree = tmp_path / "content"
    shutil.copytree(FIXTURES / "small", tree)
    merchant = tree / "merchants" / "rimouski" / "bistro-lardoise.md"
    text = merchant.read_text().replace(
        "name: Bistro L'Ardoise", 'name: "</script><script>alert(1)</script><b onclick=x>"'
    )
    merchant.write_text(text)
    code, printed = build(tree, tmp_path / "out")
    assert code == 0, printed
    html = (tmp_path / "out" / "rimouski" / "bistro-lardoise" / "index.html").read_text()
    assert "<script>alert(1)" not in html and "<b onclick" not in html
    page = parse(tmp_path / "out" / "rimouski" / "bistro-lardoise" / "index.html")
    assert page.jsonld[0]["name"] == "</script><script>alert(1)</script><b onclick=x>"
    assert page.h1 == ["</script><script>alert(1)</script><b onclick=x>"]


def test_json_ld_planned_as_data_prints_as_its_text_in_a_towns_template():
    """Pages plan what their JSON-LD is made from (seo.StructuredData); a town's template
    that prints it without the `jsonld` filter, as planned text used to be, still gets the
    text, safe inside its <script>.
    """
    from types import SimpleNamespace

    from buylocal import seo
    from jinja2 import Environment

    config = SimpleNamespace(site_url="https://example.org")
    data = seo.StructuredData(seo.breadcrumb_jsonld, ([("</script><b>", "x/")], config))
    env = Environment(autoescape=True)
    env.filters["jsonld"] = seo.script_text
    text = str(seo.script_text(data))
    assert json.loads(text)["itemListElement"][0]["name"] == "</script><b>"
    assert "<" not in text
    assert env.from_string("{{ data }}|{{ data|jsonld }}").render(data=data) == f"{text}|{text}"
    assert str(data) == text


def test_stray_files_and_symlinks_in_images_are_never_published(tmp_path):
    tree = tmp_path / "content"
    shutil.copytree(FIXTURES / "small", tree)
    images = tree / "images"
    (images / "passwd.png").symlink_to("/etc/passwd")
    (images / "evil.svg").write_text("<svg><script>alert(1)</script></svg>")
    merchant = tree / "merchants" / "rimouski" / "bistro-lardoise.md"
    merchant.write_text(
        merchant.read_text().replace(
            "added: 2020-04-06", "added: 2020-04-06\nimage: merchants/cafe.png\nimage_alt: Un café"
        )
    )
    code, printed = build(tree, tmp_path / "out")
    assert code == 0, printed
    published = sorted(
        p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("images/**/*")
    )
    assert published == [
        "images/merchants",
        "images/merchants/cafe-64.jpg",
        "images/merchants/cafe-64.webp",
    ]


def test_a_closed_merchant_alone_in_its_town_links_nowhere_broken(tmp_path):
    tree = tmp_path / "content"
    shutil.copytree(FIXTURES / "small", tree)
    shutil.move(tree / "merchants" / "rimouski" / "ancien-cafe.md", tree / "merchants" / "magog")
    (tree / "merchants" / "magog" / "boutique-du-lac.md").unlink()
    code, printed = build(tree, tmp_path / "out")
    assert code == 0, printed
    site = tmp_path / "out"
    assert not (site / "magog" / "index.html").exists()
    assert broken_links(site, html_pages(site), SITE_URL) == []
    page = parse(site / "magog" / "ancien-cafe" / "index.html")
    [crumbs] = page.jsonld
    assert [item["name"] for item in crumbs["itemListElement"]] == ["Accueil", "L'Ancien Café"]


def test_same_names_get_distinct_titles(tmp_path):
    tree = tmp_path / "content"
    shutil.copytree(FIXTURES / "small", tree)
    twin = tree / "merchants" / "rimouski" / "bistro-lardoise-2.md"
    twin.write_text(
        (tree / "merchants" / "rimouski" / "bistro-lardoise.md")
        .read_text()
        .replace("152, rue Saint-Germain Est", "8, avenue de la Cathédrale")
    )
    (tree / "data" / "how-to-buy.yml").write_text(
        (tree / "data" / "how-to-buy.yml").read_text()
        + "restaurants:\n  name: {fr: Restaurants, en: Restaurants}\n"
    )
    (tree / "merchants" / "magog" / "boutique-du-lac.md").write_text(
        (tree / "merchants" / "magog" / "boutique-du-lac.md")
        .read_text()
        .replace("how_to_buy: [online_shop]", "how_to_buy: [online_shop, restaurants]")
    )
    code, printed = build(tree, tmp_path / "out")
    assert code == 0, printed
    pages = html_pages(tmp_path / "out", french_only=True).items()
    titles = [page.title for url, page in pages if url != "404.html"]
    assert len(titles) == len(set(titles))
    assert "Bistro L'Ardoise, 8, avenue de la Cathédrale, Rimouski | Achat local" in titles
    # A third merchant already named like the disambiguated title of another.
    (tree / "merchants" / "rimouski" / "bistro-3.md").write_text(
        twin.read_text().replace(
            "name: Bistro L'Ardoise", 'name: "Bistro L\'Ardoise, 8, avenue de la Cathédrale"'
        )
    )
    code, printed = build(tree, tmp_path / "out")
    assert code == 0, printed
    pages = html_pages(tmp_path / "out", french_only=True).items()
    titles = [page.title for url, page in pages if url != "404.html"]
    assert len(titles) == len(set(titles))


def test_pagination_uses_page_folders(tmp_path):
    code, printed = build(FIXTURES / "small", tmp_path / "out", BUYLOCAL_PAGE_SIZE=1)
    assert code == 0, printed
    site = tmp_path / "out"
    assert (site / "comment-acheter" / "in_store" / "page" / "2" / "index.html").is_file()
    assert not (site / "comment-acheter" / "in_store" / "page" / "3").exists()
    second = parse(site / "comment-acheter" / "in_store" / "page" / "2" / "index.html")
    assert "(page 2 de 2)" in second.title
    assert ("a", "href", "../../../../comment-acheter/in_store/") in second.links
    assert broken_links(site, html_pages(site)) == []


def _fingerprint(folder: Path) -> dict:
    files = {path.relative_to(folder).as_posix(): path for path in folder.rglob("*")}
    return {
        name: hashlib.sha256(path.read_bytes()).hexdigest()
        for name, path in sorted(files.items())
        if path.is_file()
    }


@pytest.fixture
def published(tmp_path):
    """A good build in `output`, as a town would have it deployed."""
    output = tmp_path / "output"
    code, printed = build(FIXTURES / "small", output)
    assert code == 0, printed
    return output


def test_a_bad_merchant_fails_the_build_and_leaves_output_untouched(tmp_path, published):
    before = _fingerprint(published)
    tree = tmp_path / "content"
    shutil.copytree(FIXTURES / "small", tree)
    shutil.copy(
        FIXTURES / "merchant-files" / "many-problems.md", tree / "merchants" / "magog" / "x.md"
    )
    shutil.copy(FIXTURES / "merchant-files" / "bad-phone.md", tree / "merchants" / "magog" / "y.md")
    code, printed = build(tree, published)
    assert code == 1
    assert "merchants/magog/x.md:3: categories: « restaurant » n'existe pas" in printed
    assert "merchants/magog/y.md:6: phone:" in printed
    assert "5 problème(s) dans 2 fichier(s)" in printed
    assert _fingerprint(published) == before
    assert not published.with_name("output.new").exists()

    code, printed = build(tree, published, lang="en")
    assert "does not exist in data/categories.yml (did you mean 'restaurants'?)" in printed
    assert "nothing published" in printed


def test_a_failing_template_leaves_output_untouched(tmp_path, published):
    before = _fingerprint(published)
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    (overrides / "merchant.html").write_text(
        "{% extends 'base.html' %}{% block main %}{{ merchant.nope() }}{% endblock %}"
    )
    code, printed = build(FIXTURES / "small", published, THEME_TEMPLATES_OVERRIDES=[str(overrides)])
    assert code == 1
    assert "merchant.html" in printed
    assert _fingerprint(published) == before


def test_a_town_overrides_one_template_by_configuration(tmp_path):
    overrides = tmp_path / "overrides"
    (overrides / "partials").mkdir(parents=True)
    (overrides / "partials" / "footer.html").write_text(
        '<footer class="site-footer"><p>Ville de Magog</p></footer>'
    )
    (overrides / "merchant.html").write_text(
        '{% extends "!theme/merchant.html" %}'
        "{% block main %}<p>Achat local Magog</p>{{ super() }}{% endblock %}"
    )
    code, printed = build(
        FIXTURES / "small", tmp_path / "out", THEME_TEMPLATES_OVERRIDES=[str(overrides)]
    )
    assert code == 0, printed
    assert "Ville de Magog" in parse(tmp_path / "out" / "index.html").text
    merchant = parse(tmp_path / "out" / "rimouski" / "bistro-lardoise" / "index.html")
    assert merchant.text.count("Achat local Magog") == 1
    assert merchant.h1 == ["Bistro L'Ardoise"]


def test_builds_are_byte_identical(tmp_path, small_site):
    code, printed = build(FIXTURES / "small", tmp_path / "again")
    assert code == 0, printed
    assert _fingerprint(tmp_path / "again") == _fingerprint(small_site)


def _writers(tmp_path: Path, monkeypatch) -> Path:
    """A file that gets the id of each process that writes a page or a file of the build."""
    import os

    from buylocal import incremental

    pids = tmp_path / "writers"
    write_file = incremental.write_file

    def noted(path, data):
        with pids.open("a") as file:
            file.write(f"{os.getpid()}\n")
        write_file(path, data)

    monkeypatch.setattr(incremental, "write_file", noted)
    return pids


def test_parallel_build_gives_the_same_bytes(tmp_path, small_site, monkeypatch):
    import os

    from buylocal import parallel

    monkeypatch.setattr(parallel, "MIN_ITEMS_PER_PROCESS", 1)
    writers = _writers(tmp_path, monkeypatch)
    code, printed = build(FIXTURES / "small", tmp_path / "out", BUYLOCAL_WORKERS=2)
    assert code == 0, printed
    assert _fingerprint(tmp_path / "out") == _fingerprint(small_site)
    assert len(set(writers.read_text().split()) - {str(os.getpid())}) >= 2  # it was parallel


def test_pages_rendered_in_parallel_are_reused_by_the_next_build(tmp_path, monkeypatch):
    """A first build takes each page's fingerprint in the worker that renders it: the next
    build, which takes them here (its plans are gone, so it plans and fingerprints every
    page again), must find them the same and reuse the pages.
    """
    from buylocal import parallel

    def rebuilt(workers: int) -> tuple:
        output = tmp_path / f"out-{workers}"
        code, printed = build(FIXTURES / "small", output, BUYLOCAL_WORKERS=workers)
        assert code == 0, printed
        shutil.rmtree(tmp_path / "cache" / f"plans-{output.name}")
        code, printed = build(FIXTURES / "small", output, BUYLOCAL_WORKERS=workers)
        assert code == 0, printed
        return pages_rendered(printed)

    alone = rebuilt(1)
    monkeypatch.setattr(parallel, "MIN_ITEMS_PER_PROCESS", 1)
    writers = _writers(tmp_path, monkeypatch)
    assert rebuilt(2) == alone
    pages, rendered = alone
    assert rendered < pages / 4
    # This process, the one writing the feeds and search index, and the rendering ones.
    assert len(set(writers.read_text().split())) >= 3


def test_parallel_build_reports_template_and_content_errors(tmp_path, monkeypatch):
    from buylocal import parallel

    monkeypatch.setattr(parallel, "MIN_ITEMS_PER_PROCESS", 1)
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    (overrides / "merchant.html").write_text(
        "{% extends 'base.html' %}{% block main %}\n{{ merchant.nope() }}{% endblock %}"
    )
    code, printed = build(
        FIXTURES / "small",
        tmp_path / "out",
        BUYLOCAL_WORKERS=2,
        THEME_TEMPLATES_OVERRIDES=[str(overrides)],
    )
    assert code == 1
    assert f"{overrides}/merchant.html:2: erreur de gabarit:" in printed
    tree = tmp_path / "content"
    shutil.copytree(FIXTURES / "small", tree)
    shutil.copy(FIXTURES / "merchant-files" / "bad-phone.md", tree / "merchants" / "magog" / "y.md")
    code, printed = build(tree, tmp_path / "out", BUYLOCAL_WORKERS=2)
    assert code == 1
    assert "merchants/magog/y.md:6: phone:" in printed


def test_failed_parallel_build_waits_for_the_feeds_and_search_index(tmp_path, monkeypatch):
    """They are written by another process: one still writing after the failure would leave
    a half-built folder behind.
    """
    from buylocal import parallel, publications

    monkeypatch.setattr(parallel, "MIN_ITEMS_PER_PROCESS", 1)
    write_files = publications.write_files

    def slow_write_files(*args):
        time.sleep(0.5)  # the pages fail long before
        write_files(*args)

    monkeypatch.setattr(publications, "write_files", slow_write_files)
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    (overrides / "merchant.html").write_text("{{ merchant.nope() }}")
    code, printed = build(
        FIXTURES / "small",
        tmp_path / "out",
        BUYLOCAL_WORKERS=2,
        THEME_TEMPLATES_OVERRIDES=[str(overrides)],
    )
    assert code == 1, printed
    time.sleep(1)  # a process left running would have written by now
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "overrides"]


def test_failure_between_the_plugins_steps_waits_for_the_background(tmp_path, monkeypatch):
    """A town's plugin (or Pelican, or Ctrl-C) failing after the directory's pages are
    planned and before they are written: the process writing the feeds must not outlive
    the build.
    """
    from buylocal import parallel, publications
    from pelican import signals

    monkeypatch.setattr(parallel, "MIN_ITEMS_PER_PROCESS", 1)
    write_files = publications.write_files

    def slow_write_files(*args):
        time.sleep(0.5)
        write_files(*args)

    monkeypatch.setattr(publications, "write_files", slow_write_files)

    def town_plugin(generators):
        raise RuntimeError("a town's plugin fails")

    signals.all_generators_finalized.connect(town_plugin)
    try:
        with pytest.raises(RuntimeError, match="town's plugin"):
            build(FIXTURES / "small", tmp_path / "out", BUYLOCAL_WORKERS=2)
    finally:
        signals.all_generators_finalized.disconnect(town_plugin)
    time.sleep(1)  # a process left running would have written by now
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache"]


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"BUYLOCAL_COLORS": {"primary": "#ffdd00"}}, "white text on it is hard to read"),
        ({"BUYLOCAL_COLORS": {"primary": "blue"}}, "use a colour like '#0b5394'"),
        ({"BUYLOCAL_PAGE_SIZE": 0}, "BUYLOCAL_PAGE_SIZE = 0"),
        ({"BUYLOCAL_MAP_URL": "https://maps.example/{address}"}, "BUYLOCAL_MAP_URL"),
        ({"BUYLOCAL_LOGO": "logo.svg"}, "BUYLOCAL_LOGO: l'image content/images/logo.svg"),
        ({"BUYLOCAL_TIMEZONE": "America/La_Sarre"}, "BUYLOCAL_TIMEZONE = 'America/La_Sarre'"),
        ({"BUYLOCAL_SEARCH": "oui"}, "BUYLOCAL_SEARCH = 'oui': use True or False"),
    ],
)
def test_bad_settings_stop_the_build_with_their_name(tmp_path, published, overrides, expected):
    before = _fingerprint(published)
    code, printed = build(FIXTURES / "small", published, **overrides)
    assert code == 1
    assert expected in printed
    assert _fingerprint(published) == before


def test_volunteer_links_follow_the_repository_setting(tmp_path, small_site):
    page = parse(small_site / "rimouski" / "bistro-lardoise" / "index.html")
    hrefs = [href for _, _, href in page.links]
    repository = "https://github.com/example/achat-local"
    assert f"{repository}/edit/main/content/merchants/rimouski/bistro-lardoise.md" in hrefs
    assert (
        f"{repository}/issues/new?template=corriger-une-fiche.yml"
        "&title=Correction%C2%A0%3A+Bistro+L%27Ardoise+%28Rimouski%29"
        "&listing=https%3A%2F%2Fexample.org%2Fannuaire%2Frimouski%2Fbistro-lardoise%2F"
    ) in hrefs
    assert f"{repository}/issues/new?template=ajouter-un-commerce.yml" in "".join(hrefs)

    gitlab = "https://gitlab.com/ville/achat-local"
    code, printed = build(
        FIXTURES / "small",
        tmp_path / "gl",
        BUYLOCAL_REPOSITORY_URL=gitlab,
        BUYLOCAL_REPOSITORY_BRANCH="principale",
    )
    assert code == 0, printed
    page = parse(tmp_path / "gl" / "rimouski" / "bistro-lardoise" / "index.html")
    hrefs = [href for _, _, href in page.links]
    assert f"{gitlab}/-/edit/principale/content/merchants/rimouski/bistro-lardoise.md" in hrefs
    assert any(
        href.startswith(f"{gitlab}/-/issues/new?issuable_template=Corriger-une-fiche&issue")
        for href in hrefs
    )

    code, printed = build(FIXTURES / "small", tmp_path / "none", BUYLOCAL_REPOSITORY_URL=None)
    assert code == 0, printed
    page = parse(tmp_path / "none" / "rimouski" / "bistro-lardoise" / "index.html")
    assert "Suggérer une correction" not in page.text and "Ajouter un commerce" not in page.text


def _photo_tree(tmp_path, photo: Path):
    tree = tmp_path / "content"
    shutil.copytree(FIXTURES / "small", tree)
    shutil.copy(photo, tree / "images" / "merchants" / photo.name)
    merchant = tree / "merchants" / "rimouski" / "bistro-lardoise.md"
    merchant.write_text(
        merchant.read_text().replace(
            "added: 2020-04-06",
            f"added: 2020-04-06\nimage: merchants/{photo.name}\nimage_alt: Une assiette",
        )
    )
    return tree


def test_published_photos_carry_no_exif_and_come_in_several_widths(tmp_path):
    from PIL import Image

    photo = tmp_path / "assiette.jpg"
    exif = Image.Exif()
    exif[0x010F] = "Appareil de Gisèle"  # Make
    exif[0x8825] = {1: "N", 2: (48.0, 27.0, 0.0)}  # GPS
    Image.new("RGB", (1500, 1000), (180, 90, 40)).save(photo, exif=exif)
    code, printed = build(_photo_tree(tmp_path, photo), tmp_path / "out")
    assert code == 0, printed
    folder = tmp_path / "out" / "images" / "merchants"
    names = sorted(p.name for p in folder.iterdir())
    assert names == [f"assiette-{w}.{e}" for w in (1280, 320, 640, 960) for e in ("jpg", "webp")]
    for path in folder.iterdir():
        with Image.open(path) as published:
            assert not published.getexif() and "exif" not in published.info
    page = parse(tmp_path / "out" / "rimouski" / "bistro-lardoise" / "index.html")
    assert page.meta["og:image"] == f"{SITE_URL}/images/merchants/assiette-1280.jpg"
    html = (tmp_path / "out" / "rimouski" / "bistro-lardoise" / "index.html").read_text()
    assert 'type="image/webp"' in html and "assiette-320.webp 320w" in html
    assert broken_links(tmp_path / "out", html_pages(tmp_path / "out"), SITE_URL) == []


def test_photos_are_encoded_once_then_taken_from_the_cache(tmp_path, monkeypatch):
    from buylocal import images
    from PIL import Image

    photo = tmp_path / "assiette.png"
    Image.new("RGB", (700, 500), (30, 90, 140)).save(photo)
    tree = _photo_tree(tmp_path, photo)
    assert build(tree, tmp_path / "output")[0] == 0
    monkeypatch.setattr(images, "_encode", lambda *args: pytest.fail("encoded again"))
    code, printed = build(tree, tmp_path / "output")
    assert code == 0, printed
    assert (tmp_path / "output" / "images" / "merchants" / "assiette-700.webp").is_file()


def test_photos_are_encoded_on_every_core_and_one_that_cannot_be_decoded_is_named(
    tmp_path, monkeypatch
):
    """Two processes encode what one does, byte for byte. A photo that passes validation
    (its header and its end are right) but cannot be decoded stops the build, its merchant
    file named, and the last good output stays.
    """
    import struct
    import zlib

    from PIL import Image

    tree = tmp_path / "content"
    shutil.copytree(FIXTURES / "small", tree)
    merchants = sorted((tree / "merchants").rglob("*.md"))
    assert len(merchants) >= 4  # two photos each for two processes (PHOTOS_PER_PROCESS)
    for number, merchant in enumerate(merchants):
        Image.new("RGB", (700, 500), (50 * number, 90, 140)).save(
            tree / "images" / "merchants" / f"photo-{number}.png"
        )
        text = merchant.read_text(encoding="utf-8")
        line = f"image: merchants/photo-{number}.png\nimage_alt: La vitrine\n"
        merchant.write_text(text.replace("---\n", "---\n" + line, 1), encoding="utf-8")
    import os

    from buylocal import images

    encode, encoders = images._encode, tmp_path / "encoders.txt"

    def noted_encode(*args):  # which process encodes: a file, as workers are other processes
        with encoders.open("a") as file:
            file.write(f"{os.getpid()}\n")
        return encode(*args)

    monkeypatch.setattr(images, "_encode", noted_encode)
    outputs = {}
    for workers in (1, 2):
        outputs[workers] = tmp_path / f"out-{workers}"
        code, printed = build(tree, outputs[workers], BUYLOCAL_WORKERS=workers, full=True)
        assert code == 0, printed
        assert len(set(encoders.read_text().split())) == workers
        encoders.unlink()
        shutil.rmtree(tmp_path / "cache")
    photos = {
        workers: {p.name: p.read_bytes() for p in (out / "images" / "merchants").iterdir()}
        for workers, out in outputs.items()
    }
    assert len(photos[2]) == 6 * len(merchants) and photos[1] == photos[2]  # 3 widths, 2 kinds

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    (tree / "images" / "merchants" / "photo-2.png").write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 700, 500, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", b"pas des pixels" * 20)
        + chunk(b"IEND", b"")
    )
    code, printed = build(tree, outputs[2], BUYLOCAL_WORKERS=2)
    assert code == 1
    damaged = merchants[2].relative_to(tree).as_posix()
    assert damaged in printed and "fichier abîmé" in printed, printed
    assert {p.name: p.read_bytes() for p in (outputs[2] / "images/merchants").iterdir()} == photos[
        2
    ]


def test_a_decompression_bomb_is_a_clear_error_at_once(tmp_path):
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    bomb = tmp_path / "bombe.png"
    header = struct.pack(">IIBBBBB", 30000, 30000, 8, 2, 0, 0, 0)
    bomb.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 1000))
        + chunk(b"IEND", b"")
    )
    code, printed = build(_photo_tree(tmp_path, bomb), tmp_path / "out")
    assert code == 1
    assert "bombe.png est trop grande (30000×30000 px, maximum 40,000,000 px)" in printed
    # Only the header is read: decoding 900 million pixels would take gigabytes.


def test_a_cut_off_photo_is_caught_by_validation(tmp_path):
    from buylocal.content import read_content
    from buylocal.settings import site_config
    from PIL import Image

    photo = tmp_path / "coupee.jpg"
    Image.effect_noise((400, 300), 60).convert("RGB").save(photo, quality=90)
    photo.write_bytes(photo.read_bytes()[: photo.stat().st_size // 3])
    tree = _photo_tree(tmp_path, photo)
    _, problems = read_content(site_config({"PATH": str(tree), "BUYLOCAL_TODAY": "2026-11-20"}))
    assert [(p.field, p.code) for p in problems] == [("image", "bad_image")]
    assert "fichier incomplet" in problems[0].format("fr")


def test_turned_and_transparent_photos_are_published_upright_on_white(tmp_path):
    from PIL import Image

    turned = tmp_path / "tournee.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # the camera was held sideways: shown 600 wide, 800 high
    Image.new("RGB", (800, 600), (200, 30, 30)).save(turned, exif=exif)
    tree = _photo_tree(tmp_path, turned)
    code, printed = build(tree, tmp_path / "out")
    assert code == 0, printed
    folder = tmp_path / "out" / "images" / "merchants"
    assert sorted(p.name for p in folder.glob("*.jpg")) == ["tournee-320.jpg", "tournee-600.jpg"]
    with Image.open(folder / "tournee-600.jpg") as published:
        assert published.size == (600, 800)
    html = (tmp_path / "out" / "rimouski" / "bistro-lardoise" / "index.html").read_text()
    assert 'width="600" height="800"' in html

    logo = tmp_path / "logo.png"
    Image.new("RGBA", (300, 100), (0, 0, 0, 0)).save(logo)
    tree = _photo_tree(tmp_path / "2", logo)
    code, printed = build(tree, tmp_path / "out2")
    assert code == 0, printed
    with Image.open(tmp_path / "out2" / "images" / "merchants" / "logo-300.jpg") as published:
        assert published.getpixel((0, 0)) == (255, 255, 255)
