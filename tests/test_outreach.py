"""Outreach beyond the web: window posters whose QR codes lead to the right page, share cards
for social networks (drawn once, then cached), and each town's printable list.
"""

from __future__ import annotations

import io
import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
import resvg_py
import zxingcpp
from conftest import FIXTURES, ROOT, build
from htmlpage import html_pages, parse
from PIL import Image
from sitecheck import sitemap_urls

SITE_URL = "https://example.org/annuaire"
SVG_NS = "http://www.w3.org/2000/svg"


@pytest.fixture(scope="module")
def directory():
    """The sample's index, as the build made it: what the pages are compared with."""
    from buylocal.content import load_content
    from buylocal.index import build_directory
    from buylocal.settings import site_config

    config = site_config({"PATH": str(ROOT / "content"), "BUYLOCAL_TODAY": "2026-11-20"})
    return build_directory(load_content(config))


class _Collector(HTMLParser):
    """The <svg> elements of a page, as written, and the text of elements of one class."""

    def __init__(self, text_class: str = ""):
        super().__init__(convert_charrefs=True)
        self.svgs: list[str] = []
        self.texts: list[str] = []
        self.text_class = text_class
        self._svg: list[str] | None = None
        self._depth = 0
        self._text: list[str] | None = None
        self._text_tag = ""

    def handle_starttag(self, tag, attrs):
        if tag == "svg":
            self._svg = []
        if self._svg is not None:
            self._svg.append(self.get_starttag_text())
        classes = (dict(attrs).get("class") or "").split()
        if self.text_class and self.text_class in classes:
            self._text, self._text_tag = [], tag

    def handle_startendtag(self, tag, attrs):
        if self._svg is not None:
            self._svg.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        if self._svg is not None:
            self._svg.append(f"</{tag}>")
            if tag == "svg":
                self.svgs.append("".join(self._svg))
                self._svg = None
        if self._text is not None and tag == self._text_tag:
            self.texts.append(" ".join("".join(self._text).split()))
            self._text = None

    def handle_data(self, data):
        if self._svg is not None:
            self._svg.append(data)
        if self._text is not None:
            self._text.append(data)


def collect(path: Path, text_class: str = "") -> _Collector:
    collector = _Collector(text_class)
    collector.feed(path.read_text(encoding="utf-8"))
    collector.close()
    return collector


def decode_svg(markup: str) -> list[str]:
    """What a phone reads from the SVG the build wrote: rasterized by resvg, decoded by
    zxing-cpp.
    """
    root = ET.fromstring(markup)  # inline SVG in HTML has no namespace: give it one
    root.set("xmlns", SVG_NS)
    for element in root.iter():
        element.tag = element.tag.split("}")[-1]
    png = resvg_py.svg_to_bytes(
        svg_string=ET.tostring(root, encoding="unicode"), width=400, height=400
    )
    image = Image.open(io.BytesIO(png)).convert("L")
    return [result.text for result in zxingcpp.read_barcodes(image)]


def poster_pages(site: Path) -> dict[str, Path]:
    """poster URL -> file, for every poster in a built site."""
    return {
        path.parent.relative_to(site).as_posix() + "/": path
        for path in sorted(site.glob("**/affiche/index.html"))
    }


# -- posters ----------------------------------------------------------------------------------


def test_every_qr_code_of_the_sample_leads_to_its_page(sample_site, directory):
    listed = {f"{m.town}/{m.slug}/affiche/": f"{m.town}/{m.slug}/" for m in directory.listed}
    towns = {f"{key}/affiche/": f"{key}/" for key in directory.by_town}
    posters = poster_pages(sample_site)
    french = set(listed) | set(towns)
    assert set(posters) == french | {"en/" + url for url in french}
    decoded = {}
    for url, path in posters.items():
        svgs = collect(path).svgs
        assert len(svgs) == 1, url
        decoded[url] = decode_svg(svgs[0])
    expected = {url: [f"{SITE_URL}/{target}"] for url, target in {**listed, **towns}.items()}
    # An English poster leads to the English page.
    expected |= {
        "en/" + url: [f"{SITE_URL}/en/{target}"] for url, target in {**listed, **towns}.items()
    }
    assert decoded == expected


def test_posters_are_linked_not_indexed_and_absent_for_closed_merchants(sample_site, directory):
    pages = html_pages(sample_site)
    closed = [m for m in directory.merchants if not m.listed]
    assert closed, "the sample has closed merchants"
    for merchant in closed:
        assert not (sample_site / merchant.town / merchant.slug / "affiche").exists()
        hrefs = [href for _, _, href in pages[f"{merchant.town}/{merchant.slug}/"].links]
        assert not any(href.endswith("/affiche/") for href in hrefs)
    for merchant in directory.listed:
        poster = f"../../{merchant.town}/{merchant.slug}/affiche/"
        assert poster in [href for _, _, href in pages[f"{merchant.town}/{merchant.slug}/"].links]
    for key in directory.by_town:
        hrefs = [href for _, _, href in pages[f"{key}/"].links]
        assert {f"../{key}/affiche/", f"../{key}/imprimer/"} <= set(hrefs)
    in_sitemap = sitemap_urls(sample_site, SITE_URL)
    for url in poster_pages(sample_site):
        assert pages[url].meta.get("robots") == "noindex", url
        assert url not in in_sitemap


def test_merchant_poster_says_who_how_and_where(sample_site):
    page = parse(sample_site / "rimouski" / "bistro-lardoise" / "affiche" / "index.html")
    assert page.h1 == ["Bistro L'Ardoise"]
    assert "J’achète local" in page.text
    assert "Trouvez-nous sur Achat local" in page.text
    assert f"{SITE_URL}/rimouski/bistro-lardoise/" in page.text
    for way in ("En magasin", "Livraison locale"):
        assert way in page.text


@pytest.mark.parametrize("site_url", ["", "http://localhost:8000"])
def test_a_local_preview_shows_the_address_and_no_qr_code(tmp_path, site_url):
    output = tmp_path / "output"
    code, printed = build(FIXTURES / "small", output, SITEURL=site_url)
    assert code == 0, printed
    path = output / "rimouski" / "bistro-lardoise" / "affiche" / "index.html"
    assert collect(path).svgs == []
    text = parse(path).text
    assert "/rimouski/bistro-lardoise/" in text
    assert "Le code QR apparaîtra dans la version publiée du site" in text


def test_a_large_directory_can_leave_out_merchant_posters_and_cards(tmp_path):
    """Two files fewer per merchant, for a host's file limit; towns keep theirs."""
    output = tmp_path / "output"
    code, printed = build(
        FIXTURES / "small",
        output,
        BUYLOCAL_MERCHANT_POSTERS=False,
        BUYLOCAL_MERCHANT_SHARE_CARDS=False,
    )
    assert code == 0, printed
    pages = html_pages(output, french_only=True)
    assert not [url for url in pages if url.count("/") == 3 and url.endswith("/affiche/")]
    assert "rimouski/affiche/" in pages
    merchant = pages["rimouski/bistro-lardoise/"]
    assert "Affiche pour votre vitrine" not in merchant.text
    assert "/partage/" not in merchant.meta.get("og:image", "")
    cards = {path.name for path in (output / "partage").rglob("*.png")}
    assert cards and not any(name.startswith("bistro-lardoise") for name in cards)
    assert (output / "partage" / "rimouski").exists() is False


# -- share cards ------------------------------------------------------------------------------


def test_every_declared_share_image_exists_at_1200_by_630(sample_site, directory):
    pages = html_pages(sample_site)
    cards = {}
    for url, page in pages.items():
        image = page.meta.get("og:image")
        if image and "/partage/" in image:
            assert image.startswith(f"{SITE_URL}/partage/"), url
            assert (page.meta["og:image:width"], page.meta["og:image:height"]) == ("1200", "630")
            assert page.meta["twitter:card"] == "summary_large_image"
            assert page.meta["og:image:alt"]
            cards[url] = sample_site / image[len(SITE_URL) + 1 :]
    for path in set(cards.values()):
        with Image.open(path) as opened:
            assert (opened.format, opened.size) == ("PNG", (1200, 630)), path
    with_card = {f"{m.town}/{m.slug}/" for m in directory.listed if not m.image}
    with_card |= {f"{key}/" for key in directory.by_town}
    with_card |= {f"categories/{key}/" for key in directory.by_category}
    with_card |= {f"comment-acheter/{key}/" for key in directory.by_how_to_buy}
    assert with_card <= set(cards)
    for merchant in directory.merchants:
        if not merchant.listed or merchant.image:  # not advertised; or its own photo
            assert f"{merchant.town}/{merchant.slug}/" not in cards
    # Nothing published that no page uses.
    published = {p for p in (sample_site / "partage").rglob("*") if p.is_file()}
    assert published == set(cards.values())


def test_share_cards_and_qr_codes_are_drawn_once_then_taken_from_the_cache(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "small", content)
    output = tmp_path / "site" / "output"
    cache = tmp_path / "site" / "cache" / "share-cards"
    assert build(content, output)[0] == 0
    first = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    codes = tmp_path / "site" / "cache" / "qr"
    first_codes = {p.name: p.stat().st_mtime_ns for p in codes.iterdir()}
    assert len(first_codes) == len(poster_pages(output)) > 2
    published = {p.relative_to(output): p.read_bytes() for p in (output / "partage").rglob("*.png")}
    assert len(first) == len(published) > 5
    assert build(content, output)[0] == 0
    assert {p.name: p.stat().st_mtime_ns for p in cache.iterdir()} == first  # nothing redrawn
    assert {p.name: p.stat().st_mtime_ns for p in codes.iterdir()} == first_codes
    again = {p.relative_to(output): p.read_bytes() for p in (output / "partage").rglob("*.png")}
    assert again == published
    # A new name changes that merchant's card only: one card drawn, under a new address.
    merchant = content / "merchants" / "rimouski" / "bistro-lardoise.md"
    merchant.write_text(
        merchant.read_text(encoding="utf-8").replace(
            "name: Bistro L'Ardoise", "name: Bistro Ardoise"
        ),
        encoding="utf-8",
    )
    assert build(content, output)[0] == 0
    assert set(first) < {p.name for p in cache.iterdir()}
    # Its French card and its English one (which shows the French name, having no other).
    assert len({p.name for p in cache.iterdir()} - set(first)) == 2
    page = parse(output / "rimouski" / "bistro-lardoise" / "index.html")
    assert page.meta["og:image"] not in {f"{SITE_URL}/{name.as_posix()}" for name in published}


@pytest.fixture(scope="module")
def painter():
    from buylocal.share_cards import Painter

    colors = {"primary": "#0b5394", "accent": "#9a3412", "background": "#ffffff"}
    return Painter(colors, ROOT / "theme" / "fonts")


def test_the_font_has_every_french_letter(painter):
    from buylocal.share_cards import FONTS, _covered

    french = "àâäæçéèêëîïôœùûüÿÀÂÄÆÇÉÈÊËÎÏÔŒÙÛÜŸ’«»–—…"
    font = str(ROOT / "theme" / "fonts" / FONTS["regular"])
    assert [c for c in french if not _covered(font, c)] == []
    assert painter.printable("Épicerie À l’Œuf « Chez Noël »") == "Épicerie À l’Œuf « Chez Noël »"
    # Letters the font lacks are spelled in ASCII rather than drawn as empty boxes.
    assert painter.printable("Pierogi Łódź") == "Pierogi Łódź"
    assert painter.printable("Comptoir 北京").split() == ["Comptoir", "Bei", "Jing"]


@pytest.mark.parametrize(
    "title",
    [
        "Bistro L’Ardoise",
        "Boulangerie-pâtisserie-chocolaterie artisanale du Vieux-Port de Sainte-Anne-des-Monts "
        "et des environs immédiats de la Haute-Gaspésie",
        "Supercalifragilisticexpialidocious" * 3,
        "É" * 120,
    ],
)
def test_long_names_wrap_or_shrink_and_never_leave_the_card(painter, title):
    from buylocal.share_cards import HEIGHT, MARGIN, TITLE_SIZES, WIDTH, Card, Text

    ways = ("En magasin", "Commande à emporter", "Cueillette à l’auto", "Livraison locale")
    card = Card(
        "Achat local · Bas-Saint-Laurent" * 3,
        title,
        "Sainte-Anne-des-Monts" * 5,
        ways * 3,
        "example.org",
    )
    texts = [op for op in painter.layout(card) if isinstance(op, Text)]
    for op in texts:
        left, top, right, bottom = painter.font(op.weight, op.size).getbbox(op.text)
        assert op.x + left >= MARGIN and op.x + right <= WIDTH - MARGIN, op
        assert op.y + top >= 0 and op.y + bottom <= HEIGHT, op
    title_lines = [op for op in texts if op.weight == "bold"]
    assert 1 <= len(title_lines) <= 3
    if len(title) > 60:  # smaller type for long names
        assert title_lines[0].size < TITLE_SIZES[0][0]
    drawn = painter.draw(card)
    assert drawn.size == (1200, 630)


# -- printable list ---------------------------------------------------------------------------


def test_printable_list_has_exactly_the_towns_listed_merchants(sample_site, directory):
    pages = html_pages(sample_site, french_only=True)
    in_sitemap = sitemap_urls(sample_site, SITE_URL)
    for key, merchants in directory.by_town.items():
        path = sample_site / key / "imprimer" / "index.html"
        names = [" ".join(name.split()) for name in collect(path, "print-name").texts]
        assert names == [m.name for m in merchants], key
        assert pages[f"{key}/imprimer/"].meta.get("robots") == "noindex"
        assert f"{key}/imprimer/" not in in_sitemap
        assert not any(
            src.endswith((".jpg", ".webp", ".png")) for _, _, src in pages[f"{key}/imprimer/"].links
        )


def test_printable_list_gives_address_phone_ways_and_simple_hours(sample_site):
    text = parse(sample_site / "rimouski" / "imprimer" / "index.html").text
    assert "152, rue Saint-Germain Est, Rimouski (Québec) G5L 1A9" in text
    assert "418 555-0142" in text
    assert "En magasin · Commande à emporter · Livraison locale · Cartes-cadeaux" in text
    # "Tu-Sa 11:30-14:00,17:00-21:00; Su,Mo off" in words.
    assert "Mardi au samedi : 11 h 30 à 14 h, 17 h à 21 h" in text


def test_the_english_printable_list_writes_every_day_with_its_capital(sample_site):
    """Only the first letter of the line is made a capital: "Monday to Friday", never
    "Monday to friday" (Jinja's `capitalize` lowers every other letter).
    """
    text = parse(sample_site / "en" / "rimouski" / "imprimer" / "index.html").text
    assert "Tuesday to Saturday: 11:30 to 14:00, 17:00 to 21:00" in text


def test_hours_in_words_only_when_a_week_tells_the_truth():
    from datetime import date

    from buylocal.outreach import HourGroup, hour_groups

    class M:
        verified = date(2026, 11, 2)

    def groups(value):
        merchant = M()
        merchant.hours = value
        return hour_groups(merchant)

    assert groups("Mo-Fr 09:00-17:00; Sa 10:00-16:00") == [
        HourGroup(0, 4, (("09:00", "17:00"),)),
        HourGroup(5, 5, (("10:00", "16:00"),)),
    ]
    assert groups("Mo,We 09:00-12:00") == [
        HourGroup(0, 0, (("09:00", "12:00"),)),
        HourGroup(2, 2, (("09:00", "12:00"),)),
    ]
    assert groups("May-Oct: Mo-Su 08:00-20:00") is None  # seasons
    assert groups('Mo-Fr 09:00-17:00; Sa "sur rendez-vous"') is None  # a note


def test_a_town_theme_without_fonts_still_gets_share_cards(tmp_path):
    """A town that copies only the templates and CSS into a theme of its own."""
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme, ignore=shutil.ignore_patterns("fonts"))
    output = tmp_path / "output"
    code, printed = build(FIXTURES / "small", output, THEME=str(theme))
    assert code == 0, printed
    cards = list((output / "partage").rglob("*.png"))
    assert cards and all(Image.open(card).size == (1200, 630) for card in cards)
