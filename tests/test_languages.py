"""The English site: every page has a twin under /en/, linked both ways (hreflang, sitemap,
switcher), with every UI string translated and French content marked lang="fr".
"""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from conftest import FIXTURES, ROOT, SITE_URL, build
from htmlpage import parse
from pagekinds import page_urls

CATALOG = ROOT / "theme" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")


def _file(site: Path, url: str) -> Path:
    return site / url / "index.html" if url == "" or url.endswith("/") else site / url


def _french_pages(site: Path) -> list[str]:
    return [url for url in page_urls(site) if url != "404.html" and not url.startswith("en/")]


def _catalog():
    with CATALOG.open("rb") as file:
        return read_po(file)


def test_every_page_has_an_english_twin_with_hreflang_both_ways(small_site):
    french = _french_pages(small_site)
    english = [url for url in page_urls(small_site) if url.startswith("en/")]
    assert sorted(english) == sorted("en/" + url for url in french)
    for url in french:
        fr, en = parse(_file(small_site, url)), parse(_file(small_site, "en/" + url))
        expected = {"fr": f"{SITE_URL}/{url}", "en": f"{SITE_URL}/en/{url}"}
        expected["x-default"] = expected["fr"]
        assert fr.alternates == expected, url
        assert en.alternates == expected, url
        assert (fr.lang, en.lang) == ("fr", "en")
        assert en.canonical == expected["en"]
        assert (fr.meta["og:locale"], en.meta["og:locale"]) == ("fr_CA", "en_CA")
        assert en.meta["og:locale:alternate"] == "fr_CA"


def test_the_language_switcher_leads_to_the_same_page_in_the_other_language(small_site):
    for url in _french_pages(small_site):
        for here, there, lang in ((url, "en/" + url, "en"), ("en/" + url, url, "fr")):
            href = _switcher_href(_file(small_site, here), lang)
            assert urljoin(f"{SITE_URL}/{here}", href) == f"{SITE_URL}/{there}", here


def _switcher_href(path: Path, lang: str) -> str:
    """The href of the switcher's link to `lang` (<nav class="languages"> a[hreflang])."""
    from html.parser import HTMLParser

    found = []

    class Finder(HTMLParser):
        inside = False

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "nav" and "languages" in (attrs.get("class") or "").split():
                self.inside = True
            elif tag == "a" and self.inside and attrs.get("hreflang") == lang:
                assert attrs.get("lang") == lang  # the name is read in its own language
                found.append(attrs["href"])

        def handle_endtag(self, tag):
            if tag == "nav":
                self.inside = False

    Finder().feed(path.read_text(encoding="utf-8"))
    assert len(found) == 1, path
    return found[0]


def test_the_sitemap_gives_every_address_its_twin(small_site):
    namespaces = {
        "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
        "x": "http://www.w3.org/1999/xhtml",
    }
    root = ET.parse(small_site / "sitemap.xml").getroot()
    entries = {}
    for url in root.findall("s:url", namespaces):
        links = {
            link.get("hreflang"): link.get("href") for link in url.findall("x:link", namespaces)
        }
        entries[url.find("s:loc", namespaces).text] = links
    assert any("/en/" in loc for loc in entries)
    for loc, links in entries.items():
        assert set(links) == {"fr", "en"}, loc
        assert loc in links.values()
        # Each version lists the other, and the other is in the sitemap too.
        assert all(entries[other] == links for other in links.values()), loc


def _french_fragments() -> list[str]:
    """Pieces of French msgids that an English page must never show: each msgid whose English
    differs, cut at its placeholders; single short words are left out ("non" is English too).
    """
    fragments = set()
    for message in _catalog():
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        english = " ".join(strings)
        for text in ids:
            for piece in PLACEHOLDER.split(text):
                piece = " ".join(piece.split()).strip(" .,:;()«»")
                if (" " in piece or len(piece) >= 5) and piece not in english:
                    fragments.add(piece)
    return sorted(fragments, key=len, reverse=True)


@pytest.mark.parametrize("site", ["small_site", "sample_site"])
def test_no_french_ui_string_is_left_on_english_pages(site, request):
    """On the small site and on the sample, whose initiative, numbers, posters, printed lists
    and seasonal hours the small site lacks.
    """
    built = request.getfixturevalue(site)
    fragments = _french_fragments()
    assert len(fragments) > 100  # the catalog was read
    pattern = re.compile("|".join(rf"(?<!\w){re.escape(f)}(?!\w)" for f in fragments))
    for url in page_urls(built):
        if not url.startswith("en/"):
            continue
        page = parse(_file(built, url))
        english = [text.replace("\u00a0", " ") for lang, text in page.spoken if lang == "en"]
        found = sorted({m.group(0) for text in english for m in pattern.finditer(text)})
        assert found == [], f"{url}: French left: {found}"
        for _tag, attrs, _ in page.data:  # the texts scripts show (search, open now)
            for name, value in attrs.items():
                if name.endswith("-text") or name in ("data-none", "data-searching"):
                    assert not pattern.search(value or ""), (url, name, value)


def test_an_english_page_shows_the_en_block_and_marks_french_fallbacks(small_site):
    bistro = parse(_file(small_site, "en/rimouski/bistro-lardoise/"))
    spoken = dict((text, lang) for lang, text in bistro.spoken)
    # No English name: the French one, marked; an English summary and description: as is.
    assert spoken["Bistro L'Ardoise"] == "fr"
    assert spoken["Local cuisine from the Lower St. Lawrence."] == "en"
    assert spoken["A family bistro in downtown Rimouski."] == "en"
    assert "Bistro familial" not in bistro.text
    assert bistro.meta["description"] == "Local cuisine from the Lower St. Lawrence."
    business = next(d for d in bistro.jsonld if d.get("@type") == "Restaurant")
    assert business["description"] == "Local cuisine from the Lower St. Lawrence."
    assert business["url"] == f"{SITE_URL}/en/rimouski/bistro-lardoise/"
    # The French page no longer carries an "In English" section: the twin is a click away.
    french = parse(_file(small_site, "rimouski/bistro-lardoise/"))
    assert "Local cuisine" not in french.text
    # Without any en: block, the summary is French, marked as such.
    quai = parse(_file(small_site, "en/rimouski/epicerie-du-quai/"))
    summary = parse(_file(small_site, "rimouski/epicerie-du-quai/")).meta["description"]
    assert (summary.replace("\u00a0", " "), "fr") in [
        (text.replace("\u00a0", " "), lang) for lang, text in quai.spoken
    ]


def test_english_pages_link_within_the_english_site(small_site):
    """Besides the switcher, an English page links to English pages or to shared files."""
    for url in page_urls(small_site):
        if not url.startswith("en/"):
            continue
        page = parse(_file(small_site, url))
        switcher = _switcher_href(page.path, "fr")
        for tag, _attribute, value in page.links:
            if tag != "a" or ":" in value or value.startswith("#") or value == switcher:
                continue
            target = urljoin(f"{SITE_URL}/{url}", value)[len(SITE_URL) + 1 :]
            shared_file = "." in target.rsplit("/", 1)[-1]  # a feed, open data
            assert target.startswith("en/") or shared_file, (url, value)


def _region(page) -> tuple:
    """(the language it is marked in, or None, and the text) of the region under the
    site's name.
    """
    from html.parser import HTMLParser

    found = []

    class Finder(HTMLParser):
        inside = False

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            # The region's element, or an element within it that marks the text's language.
            if "brand-region" in (attrs.get("class") or "").split() or self.inside is None:
                self.inside = attrs.get("lang")

        def handle_data(self, data):
            if self.inside is not False:
                found.append((self.inside, data))
                self.inside = False

    Finder().feed(page.read_text(encoding="utf-8"))
    assert len(found) == 1, page
    return found[0]


def test_the_region_is_said_in_the_page_language_or_marked_french(small_site, tmp_path):
    """BUYLOCAL_REGION, in one language or in both: an English page never shows French
    words ("Estrie et …") as English, in its header, its title or its descriptions.
    """
    french = "Bas-Saint-Laurent, Estrie et Abitibi-Témiscamingue"
    english = "Bas-Saint-Laurent, Eastern Townships and Abitibi-Témiscamingue"
    assert _region(small_site / "index.html") == (None, french)
    assert _region(small_site / "en" / "index.html") == (None, english)
    assert parse(small_site / "en" / "index.html").title == f"Achat local | {english}"
    towns = parse(small_site / "en" / "villes" / "index.html").meta["description"]
    assert english in towns and french not in towns
    output = tmp_path / "output"
    code, printed = build(FIXTURES / "small", output, BUYLOCAL_REGION=french)
    assert code == 0, printed
    assert _region(output / "index.html") == (None, french)
    assert _region(output / "en" / "index.html") == ("fr", french)  # read out in French


def test_the_404_page_speaks_both_languages(small_site):
    page = parse(small_site / "404.html")
    sections = {
        lang for lang, text in page.spoken if text in ("Page introuvable", "Page not found")
    }
    assert sections == {"fr", "en"}
    assert page.h1 == ["Page introuvable"]


def test_a_french_only_site_has_no_english_twin(tmp_path):
    output = tmp_path / "output"
    code, printed = build(FIXTURES / "small", output, BUYLOCAL_LANGUAGES=("fr",))
    assert code == 0, printed
    assert not (output / "en").exists()
    home = parse(output / "index.html")
    assert home.alternates == {}
    assert 'class="languages' not in (output / "index.html").read_text()
    assert "xhtml:link" not in (output / "sitemap.xml").read_text()


@pytest.mark.parametrize(
    "languages", [("en", "fr"), ("fr", "de"), ("fr", "fr"), "fr", ()], ids=repr
)
def test_bad_languages_setting_is_refused_with_what_to_write(tmp_path, languages):
    code, printed = build(FIXTURES / "small", tmp_path / "output", BUYLOCAL_LANGUAGES=languages)
    assert code != 0
    assert "BUYLOCAL_LANGUAGES" in printed and "('fr', 'en')" in printed


def test_the_catalog_translates_every_message_of_the_code_and_templates():
    extracted = set()
    method_map = [("plugins/buylocal/**.py", "python"), ("theme/templates/**.html", "jinja2")]
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2)}
    for _file_name, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, keywords=keywords
    ):
        extracted.add(message)
    catalog = _catalog()
    ids = {message.id for message in catalog if message.id}
    assert extracted - ids == set(), "run `invoke translations` and translate the new messages"
    assert ids - extracted == set(), "run `invoke translations`: the catalog has old messages"
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings) and not message.fuzzy, f"untranslated: {message.id!r}"
        ids_ = message.id if isinstance(message.id, tuple) else (message.id,)
        wanted = sorted(set(PLACEHOLDER.findall(" ".join(ids_))))
        for string in strings:
            assert sorted(set(PLACEHOLDER.findall(string))) == wanted, message.id
    assert not list(catalog.check())  # Babel's own checks (python-format, plurals)


def test_a_one_town_directory_counts_in_the_singular(tmp_path):
    """A town that lists only its own businesses: "1 ville", "1 town", never "1 villes"."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "small", content)
    shutil.rmtree(content / "merchants" / "magog")
    output = tmp_path / "output"
    code, printed = build(content, output)
    assert code == 0, printed
    said = {
        url: " ".join(parse(_file(output, url)).text.replace("\u00a0", " ").split())
        for url in ("", "en/", "chiffres/", "en/chiffres/")
    }
    assert "2 commerces dans 1 ville." in said[""]
    assert "2 businesses in 1 town." in said["en/"]
    assert "2 commerces locaux dans 1 ville." in said["chiffres/"]
    assert "2 local businesses in 1 town." in said["en/chiffres/"]


def test_counts_are_written_as_each_language_writes_numbers(tmp_path):
    """A directory of a thousand businesses: « 1 003 » in French, "1,003" in English, in
    sentences, list headings, chips and descriptions alike.
    """
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "small", content)
    for number in range(1000):
        (content / "merchants" / "magog" / f"commerce-{number}.md").write_text(
            f"---\nname: Commerce {number}\ncategories: [epiceries]\n"
            f"how_to_buy: [online_shop]\nshop_url: https://example.org/{number}\n"
            "summary: Un commerce en ligne.\nadded: 2022-03-15\n---\n",
            encoding="utf-8",
        )
    output = tmp_path / "output"
    code, printed = build(
        content,
        output,
        BUYLOCAL_MERCHANT_POSTERS=False,
        BUYLOCAL_MERCHANT_SHARE_CARDS=False,
        BUYLOCAL_SEARCH=False,
    )
    assert code == 0, printed
    french, english = (parse(_file(output, url)) for url in ("", "en/"))
    # (parsed texts have their spaces collapsed: the no-break one is checked in the file)
    assert "1\u00a0003 commerces" in _file(output, "").read_text(encoding="utf-8")
    assert "1 003 commerces dans 2 villes." in french.text
    assert "1,003 businesses in 2 towns." in english.text
    assert "Magog (1 001)" in french.text and "Magog (1,001)" in english.text
    magog = parse(_file(output, "en/magog/"))
    assert "Businesses 1 to 24 of 1,001" in magog.text
    assert magog.meta["description"].startswith("1,001 local businesses in Magog")
    assert (
        parse(_file(output, "magog/"))
        .meta["description"]
        .startswith("1\u00a0001 commerces locaux à Magog")
    )
    numbers = parse(_file(output, "en/chiffres/"))
    assert "1,003 local businesses in 2 towns." in numbers.text
