"""The built sample in a real browser (Debian's Chromium): readable on a 360 px phone, whole
without JavaScript; search and the "Ouvert maintenant" badge with it. Skipped on a
laptop without Chromium, never in CI.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import shutil
import unicodedata
from io import BytesIO
from pathlib import Path
from urllib.parse import quote

import pytest
from chromium import MOBILE, have_chromium
from conftest import FIXTURES, ROOT, build, skip_unless
from pagekinds import page_kinds

skip_unless(have_chromium(), "Chromium", "apt-get install chromium")
expect = pytest.importorskip("playwright.sync_api").expect
PHONE = MOBILE


@pytest.fixture
def server(sample_server) -> str:
    return sample_server


@pytest.fixture
def browser(chromium):
    return chromium


def test_every_page_kind_fits_a_360px_phone_without_javascript(
    sample_site, sample_server, chromium
):
    context = chromium.new_context(viewport=MOBILE, java_script_enabled=False)
    page = context.new_page()
    requests, console = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: console.append(message.text))
    too_wide, empty = [], []
    kinds = {kind: url for kind, url in page_kinds(sample_site).items() if url != "404.html"}
    for url in kinds.values():
        response = page.goto(sample_server + url)
        assert response.status == 200, url
        assert page.locator("h1").first.is_visible(), url
        if len(page.locator("main").inner_text().split()) < 5:
            empty.append(url)  # the content is there without JavaScript
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > MOBILE["width"]:
            too_wide.append((url, width))
    context.close()
    assert len(kinds) > 10
    assert too_wide == [] and empty == []
    assert [url for url in requests if not url.startswith(sample_server)] == []  # no third party
    assert console == []  # no Content-Security-Policy violation, no error


def test_print_stylesheet_hides_navigation(sample_server, chromium):
    page = chromium.new_page()
    page.goto(sample_server + "rimouski/bistro-lardoise/")
    page.emulate_media(media="print")
    assert not page.locator(".site-header nav").is_visible()
    assert page.locator("h1").is_visible()
    page.close()


# -- search ------------------------------------------------------------------------------------


@pytest.fixture
def phone(server, browser):
    """A phone-sized page that records console messages, script errors and requests."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.problems, page.requests = [], []
    page.on("console", lambda message: page.problems.append(message.text))
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    page.on("request", lambda request: page.requests.append(request.url))
    yield page
    context.close()


def _results(page) -> list[str]:
    """The names in the result list, once the search has answered and shown them."""
    expect(page.locator("[data-search-status]")).to_have_text(re.compile(r"(trouvés?|found)\.?$"))
    expect(page.locator("[data-search-list]")).not_to_have_attribute("aria-busy", "true")
    return page.locator("[data-search-list] > li h2").all_inner_texts()


def test_search_finds_accented_words_typed_without_accents(server, phone):
    phone.goto(server + "recherche/")
    phone.fill("#q", "erabliere")  # typed as on a phone, for "Érablière", "érablière"
    assert _results(phone) == ["Érablière l’Héritage", "Chocolaterie Le Cacaoyer"]
    assert "q=erabliere" in phone.url  # the address can be shared or bookmarked
    card = phone.locator("[data-search-list] > li").filter(has_text="Érablière l’Héritage")
    assert card.locator(".meta").inner_text() == "La Sarre · Producteurs, Épiceries"
    assert card.locator(".way").all_inner_texts() == [
        "En magasin",
        "Commande par téléphone",
        "Livraison locale",
    ]
    card.locator("a").click()
    expect(phone.locator("h1")).to_have_text("Érablière l’Héritage")
    assert phone.problems == []  # no Content-Security-Policy violation, no script error
    assert [url for url in phone.requests if not url.startswith(server)] == []


def test_the_english_search_finds_english_texts_and_leads_to_english_pages(server, phone):
    phone.goto(server + "en/recherche/")
    phone.fill("#q", "starry")  # in the en: block only: "the starry sky of Mont Mégantic"
    assert _results(phone) == ["Quai des Étoiles Microbrewery"]
    card = phone.locator("[data-search-list] > li")
    assert card.locator(".meta").inner_text() == "Lac-Mégantic · Microbreweries"
    assert card.locator(".way").all_inner_texts() == ["In store", "Shipping", "Market stall"]
    card.locator("a").click()
    expect(phone).to_have_url(server + "en/lac-megantic/microbrasserie-le-quai-des-etoiles/")
    # French pages are not in the English index, and the other way round: "bières" is on
    # the English pages that show a French summary for want of an English one, not on this.
    phone.goto(server + "en/recherche/?q=bieres")
    found = _results(phone)
    assert found and "Quai des Étoiles Microbrewery" not in found
    assert all(not name.startswith("Microbrasserie Le Quai") for name in found)
    phone.goto(server + "recherche/?q=starry")
    expect(phone.locator("[data-search-status]")).to_have_text(re.compile("^Aucun commerce"))
    assert phone.problems == []


@pytest.mark.parametrize("query", ["heritage", "l'heritage", "L’HÉRITAGE", "l’héritage"])
def test_search_finds_words_written_with_a_typographic_apostrophe(server, phone, query):
    # The page says "l’Héritage" (U+2019): words are split at every kind of apostrophe.
    phone.goto(server + "recherche/?q=" + quote(query))
    assert _results(phone) == ["Érablière l’Héritage"]
    assert phone.problems == []


def test_filters_narrow_the_results(server, phone):
    phone.goto(server + "recherche/?q=erabliere")
    assert len(_results(phone)) == 2
    phone.locator("summary").click()
    phone.select_option("#filtre-ville", "Magog")
    expect(phone.locator("[data-search-status]")).to_have_text("1 commerce trouvé")
    assert _results(phone) == ["Chocolaterie Le Cacaoyer"]
    assert "ville=Magog" in phone.url
    # Who delivers in La Sarre? Filters alone, without a word.
    phone.goto(server + "recherche/?ville=La+Sarre&achat=Livraison+locale")
    expect(phone.locator("#filtre-achat")).to_have_value("Livraison locale")
    assert sorted(_results(phone)) == ["Boucherie-épicerie Chez Tremblay", "Érablière l’Héritage"]
    phone.fill("#q", "kayak")  # kayaks are sold in Magog and Lac-Mégantic, not in La Sarre
    expect(phone.locator("[data-search-status]")).to_have_text(re.compile("^Aucun commerce"))
    assert phone.locator("[data-search-list] > li").count() == 0
    assert phone.problems == []


def test_long_result_lists_come_ten_at_a_time(server, phone):
    phone.goto(server + "recherche/?achat=En+magasin")
    status = phone.locator("[data-search-status]")
    expect(status).to_have_text(re.compile(r"^\d+ commerces trouvés$"))
    total = int(status.inner_text().split()[0])
    assert total > 10
    assert len(_results(phone)) == 10  # each result's details are one more request
    phone.locator("[data-search-more]").click()
    expect(phone.locator("[data-search-list] > li")).to_have_count(min(total, 20))
    assert phone.problems == []


def _two_builds(tmp_path) -> tuple:
    """tests/fixtures/small built, then built again with a merchant that comes first in
    alphabetical order: every merchant's number in the search index moves by one.
    """
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "small", content)
    before, after = tmp_path / "before", tmp_path / "after"
    assert build(content, before)[0] == 0
    quai = content / "merchants" / "rimouski" / "epicerie-du-quai.md"
    text = quai.read_text(encoding="utf-8").replace("temporarily_closed", "open")
    atelier = text.replace("name: Épicerie du Quai", "name: Atelier du Quai")
    (quai.parent / "atelier-du-quai.md").write_text(atelier, encoding="utf-8")
    assert build(content, after)[0] == 0
    return before, after


def test_a_search_after_the_site_is_published_again_never_mixes_two_builds(tmp_path, browser):
    """A search page left open across a deploy holds the old index.json: the next file it
    fetches is the new build's, whose merchant numbers all moved. search.js notices that the
    file is not the version the index named, forgets every file and searches again.
    """
    from chromium import serve

    before, after = _two_builds(tmp_path)
    served = tmp_path / "served"
    shutil.copytree(before, served)
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    with serve(served) as base:
        page.goto(base + "recherche/?q=bistro")
        assert [name[:6] for name in _results(page)] == ["Bistro"]
        shutil.copytree(after, served, dirs_exist_ok=True)  # published again
        page.fill("#q", "boutique")  # its words' file was not fetched yet: the new one
        expect(page).to_have_url(re.compile(r"q=boutique$"))  # once typing has stopped
        assert _results(page) == ["Boutique du Lac"]
        page.fill("#q", "quai")
        expect(page).to_have_url(re.compile(r"q=quai$"))
        assert _results(page) == ["Atelier du Quai", "Épicerie du Quai"]
    context.close()
    assert problems == []


def test_a_search_during_a_deploy_works_again_once_it_is_done(tmp_path, browser):
    """The host already sends the new index.json, but the words files are still the old
    build's (an upload under way). The browser keeps such a file under its new version for as
    long as the host allows (GitHub Pages: 10 minutes): once the upload is done, the next
    visit must ask the host again rather than trust that copy.
    """
    from chromium import serve

    before, after = _two_builds(tmp_path)
    served = tmp_path / "served"
    shutil.copytree(after, served)
    words = Path("index-recherche") / "fr" / "mots"
    shutil.copytree(before / words, served / words, dirs_exist_ok=True)
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    with serve(served, max_age=600) as base:
        page.goto(base + "recherche/?q=boutique")
        status = page.locator("[data-search-status]")
        expect(status).to_have_text(re.compile("^La recherche n’est"))  # not a wrong merchant
        shutil.copytree(after, served, dirs_exist_ok=True)  # the upload is done
        page.reload()
        assert _results(page) == ["Boutique du Lac"]
    context.close()


def test_the_header_form_leads_to_the_search(server, phone):
    phone.goto(server + "magog/")
    phone.fill("#recherche-entete", "chocolat")
    phone.press("#recherche-entete", "Enter")
    expect(phone).to_have_url(re.compile(r"/recherche/\?q=chocolat$"))
    assert "Chocolaterie Le Cacaoyer" in _results(phone)


@pytest.fixture(scope="module")
def words_server(tmp_path_factory):
    """tests/fixtures/search-words built and served: names and texts written in ways a phone
    user does not type (ligatures, decomposed accents, Greek, U+02BC apostrophes, soft and
    no-break hyphens, no-break spaces, « »).
    """
    from chromium import serve

    output = tmp_path_factory.mktemp("search-words") / "output"
    code, printed = build(FIXTURES / "search-words", output)
    assert code == 0, printed
    with serve(output) as base:
        yield base


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("oeufs", ["ŒUFS DU CŒUR"]),  # ligatures, typed as two letters
        ("œuf coeur", ["ŒUFS DU CŒUR"]),
        ("strasse", ["Bäckerei Straße"]),
        ("Straße backerei", ["Bäckerei Straße"]),
        ("« Brötchen »", ["Bäckerei Straße"]),
        ("cafe decompose", ["Cafe\u0301 De\u0301compose\u0301"]),  # written decomposed
        ("torréfié", ["Cafe\u0301 De\u0301compose\u0301"]),
        ("ταβέρνα", ["Ταβέρνα Οδυσσέας"]),
        ("ΤΑΒΕΡΝΑ", ["Ταβέρνα Οδυσσέας"]),
        ("οδυσσεασ", ["Ταβέρνα Οδυσσέας"]),  # no final sigma typed
        ("οδυσσεας", ["Ταβέρνα Οδυσσέας"]),
        ("erabliere", ["Lʼérablière du Rang"]),  # written with U+02BC, a "letter"
        ("l'érablière", ["Lʼérablière du Rang"]),
        ("érable", ["Lʼérablière du Rang"]),  # "dʼérable" in its summary
        ("patisseries", ["Boulangerie Saint‑Jean"]),  # "pâtisse<soft hyphen>ries"
        ("saint-jean", ["Boulangerie Saint‑Jean"]),  # written with U+2011
        ("saint jean", ["Boulangerie Saint‑Jean"]),
        ("24h", ["Dépanneur 24h"]),
        ("a1", ["Dépanneur 24h"]),  # a tag
        ("pour", ["Pourvoirie du Lac-des-Sables"]),  # a common word, or the start of one
        ("lac des sables", ["Pourvoirie du Lac-des-Sables"]),
        ("érable 𐐨", ["Lʼérablière du Rang"]),  # one letter, beyond U+FFFF: left out
        # The plural finds the singular too, though a merchant has the plural; the name
        # ranks first.
        ("chocolats", ["Chocolats Fins", "Café du Port"]),
        ("chocolat", ["Chocolats Fins", "Café du Port"]),
    ],
)
def test_search_finds_words_however_they_are_written(words_server, phone, query, names):
    phone.goto(words_server + "recherche/")
    phone.fill("#q", query)
    assert _results(phone) == names
    assert phone.problems == []


def test_fold_writes_every_character_as_search_py_does(browser):
    # A text whose words differ in Python and in the browser holds a merchant no query
    # finds. search.js's own fold(), taken from its source and run on a blank page (the
    # script exposes nothing), against search.fold, for every character Python knows, alone,
    # inside a word and after a capital sigma. Characters newer than Python's Unicode
    # tables are left out: Chromium's may know them (the README says so).
    from buylocal import search

    source = (ROOT / "theme/static/js/search.js").read_text()
    letters = re.search(r"^const LETTERS = .*?;$", source, re.M | re.S).group()
    fold = re.search(r"^function fold\(value\) \{$.*?^\}$", source, re.M | re.S).group()
    characters = [
        chr(code)
        for code in range(0x20, 0x20000)  # and beyond: CJK ideographs, nothing new
        if not 0xD800 <= code < 0xE000 and unicodedata.category(chr(code)) != "Cn"
    ]
    texts = [f"{c}{c} xa{c}bz Σ{c} ΣΣ{c}" for c in characters]
    page = browser.new_page()
    folded = page.evaluate(f"(texts) => {{ {letters} {fold} return texts.map(fold); }}", texts)
    page.close()
    different = [(t, w) for t, w in zip(texts, folded, strict=True) if search.fold(t) != w]
    assert different == []


def test_a_second_tap_on_more_results_shows_each_merchant_once(sample_site, server, phone):
    # The merchants found, in order (filters alone: alphabetical), and the first batch of ten
    # that needs the second record file (merchants 32 and after).
    filters = json.loads((sample_site / "index-recherche/fr/filtres.json").read_bytes())
    found = list(itertools.accumulate(filters["achat"]["En magasin"]))
    batch = next(n for n in range(0, len(found), 10) if max(found[n : n + 10]) >= 32)
    assert batch >= 10
    held = []  # the requests for that file, held back: a slow link
    phone.route("**/fiches/1.json*", lambda route: held.append(route))
    phone.goto(server + "recherche/?achat=En+magasin")
    more = phone.locator("[data-search-more]")
    cards = phone.locator("[data-search-list] > li")
    expect(cards).to_have_count(10)
    for shown in range(20, batch + 1, 10):
        more.click()
        expect(cards).to_have_count(shown)
    more.click()
    expect(phone.locator("[data-search-list]")).to_have_attribute("aria-busy", "true")
    more.click()  # tapped again while they load
    assert held
    for route in held:
        route.continue_()
    expect(phone.locator("[data-search-list]")).not_to_have_attribute("aria-busy", "true")
    names = phone.locator("[data-search-list] > li h2").all_inner_texts()
    assert len(names) == len(set(names)) == min(len(found), batch + 10)
    assert phone.problems == []


def test_an_unavailable_search_says_so_and_works_again_on_the_next_try(server, phone):
    phone.goto(server + "recherche/?q=erabliere")
    assert len(_results(phone)) == 2
    phone.context.set_offline(True)  # a rural link drops
    phone.fill("#q", "chocolat")
    status = phone.locator("[data-search-status]")
    expect(status).to_have_text(re.compile("^La recherche n’est pas disponible"))
    # Not the results of "erabliere" under the query "chocolat".
    expect(phone.locator("[data-search-list] > li")).to_have_count(0)
    phone.context.set_offline(False)
    phone.press("#q", "Enter")  # the same query again: asked anew
    assert "Chocolaterie Le Cacaoyer" in _results(phone)
    assert [p for p in phone.problems if "ERR_INTERNET_DISCONNECTED" not in p] == []


def test_a_result_shows_only_text_and_links_only_into_the_site(words_server, phone):
    # Whatever a record file holds (a host that serves something else, a bug in search.py):
    # never HTML, never a link that runs a script or leaves the site.
    record = {
        "u": "javascript:alert(1)//",
        "n": "<img src=x onerror=alert(1)>",
        "p": "<b>x</b>",
        "s": "<i>y</i>",
        "w": ["<u>z</u>"],
    }
    elsewhere = dict(record, u="https://example.com/", n="Ailleurs")
    body = json.dumps([record, elsewhere] * 16).encode()

    def index(route):  # names the version of that file (its hash, as search.py writes it)
        data = route.fetch().json()
        data["records"][0] = hashlib.sha256(body).hexdigest()[:12]
        route.fulfill(json=data)

    phone.route("**/index.json*", index)
    phone.route("**/fiches/0.json*", lambda route: route.fulfill(body=body))
    phone.goto(words_server + "recherche/?ville=Magog")
    _results(phone)
    names = phone.locator("[data-search-list] > li h2").all_inner_texts()
    assert set(names) == {"<img src=x onerror=alert(1)>", "Ailleurs"}
    assert phone.locator("[data-search-list] :is(img, b, i, u)").count() == 0
    assert phone.locator("[data-search-list] a[href]").count() == 0
    assert phone.problems == []


def test_a_file_that_is_not_the_version_the_index_names_is_never_shown(words_server, phone):
    # Another build's file, or whatever a host or a proxy put there: searched again on a
    # fresh index.json, then, as it still does not match, search says it is unavailable.
    records = [{"u": "x/", "n": "Pas de cette version", "p": "", "s": "", "w": []}] * 32
    phone.route("**/fiches/0.json*", lambda route: route.fulfill(json=records))
    phone.goto(words_server + "recherche/?ville=Magog")
    expect(phone.locator("[data-search-status]")).to_have_text(re.compile("^La recherche n’est"))
    assert phone.locator("[data-search-list] > li").count() == 0
    assert len([url for url in phone.requests if "/index.json" in url]) == 2


def test_back_from_a_result_shows_the_same_search(server, phone):
    phone.goto(server + "recherche/")
    phone.fill("#q", "chocolat")
    found = _results(phone)
    phone.locator("[data-search-list] a").first.click()
    expect(phone.locator("h1")).to_have_text(found[0])
    phone.go_back()
    expect(phone.locator("#q")).to_have_value("chocolat")
    assert _results(phone) == found
    assert phone.problems == []


def test_without_javascript_the_search_page_offers_links_to_browse(server, browser):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(server + "rimouski/")
    page.fill("#recherche-entete", "erabliere")
    page.press("#recherche-entete", "Enter")  # a plain GET form, no script needed
    expect(page).to_have_url(re.compile(r"/recherche/\?q=erabliere$"))
    expect(page.locator("[data-search-nojs]")).to_be_visible()
    expect(page.locator("[data-search-nojs]")).to_contain_text("demande JavaScript")
    expect(page.locator("[data-search-filters]")).to_be_hidden()  # they would do nothing
    assert page.locator("[data-search-list] > li").count() == 0
    page.locator(".browse").get_by_role("link", name=re.compile("^La Sarre")).click()
    expect(page.locator("h1")).to_have_text("Commerces locaux à La Sarre")
    context.close()


# -- "Ouvert maintenant" -----------------------------------------------------------------------

ERABLIERE = "la-sarre/erabliere-lheritage/"  # Th,Fr 09:00-18:00; Sa 09:00-16:00 (Eastern time)


@pytest.mark.parametrize(
    ("moment", "device_zone", "expected"),
    [
        ("2026-11-26T15:00:00Z", "America/Toronto", "Ouvert maintenant"),  # Thursday 10:00
        ("2026-11-26T13:30:00Z", "America/Toronto", "Fermé maintenant"),  # Thursday 8:30
        # A phone set to another zone still sees La Sarre's clock: 14:30 in Paris, 8:30 here.
        ("2026-11-26T13:30:00Z", "Europe/Paris", "Fermé maintenant"),
        ("2026-07-02T13:30:00Z", "America/Toronto", "Ouvert maintenant"),  # summer time: 9:30
        ("2026-11-28T21:30:00Z", "America/Vancouver", "Fermé maintenant"),  # Saturday 16:30
        ("2026-11-30T15:00:00Z", "America/Toronto", "Fermé maintenant"),  # Monday 10:00
    ],
)
def test_open_now_badge_follows_the_towns_clock(server, browser, moment, device_zone, expected):
    context = browser.new_context(viewport=PHONE, timezone_id=device_zone)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.clock.set_fixed_time(moment)
    page.goto(server + ERABLIERE)
    badge = page.locator(".open-now")
    expect(badge).to_have_text(expected)
    expect(badge).to_be_visible()
    assert errors == []
    context.close()


def test_no_badge_without_javascript_or_for_seasonal_hours(server, browser):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.clock.set_fixed_time("2026-11-26T15:00:00Z")
    page.goto(server + ERABLIERE)
    expect(page.locator(".open-now")).to_be_hidden()
    context.close()
    page = browser.new_page()
    page.clock.set_fixed_time("2026-07-02T17:00:00Z")  # in season, in opening hours
    for seasonal in ("coaticook/cremerie-du-parc/", "amos/ferme-maraichere-les-eskers/"):
        page.goto(server + seasonal)
        expect(page.locator("h1")).to_be_visible()
        assert page.locator(".open-now").count() == 0, seasonal
    page.close()


@pytest.mark.parametrize("url", ["rimouski/bistro-lardoise/affiche/", "rimouski/affiche/"])
def test_a_poster_prints_alone_on_one_sheet_of_a4_or_letter(server, browser, url):
    from pypdf import PdfReader

    page = browser.new_page()
    page.goto(server + url)
    page.emulate_media(media="print")
    for hidden in (".site-header", ".site-footer", ".breadcrumbs", ".poster-help"):
        assert not page.locator(hidden).is_visible(), hidden
    assert page.locator(".poster h1").is_visible()
    box = page.locator(".poster-qr svg").bounding_box()
    assert box["width"] > 250 and box["width"] == box["height"]  # 80 mm at 96 px per inch
    for paper in ("A4", "Letter"):
        pdf = PdfReader(BytesIO(page.pdf(format=paper)))
        assert len(pdf.pages) == 1, paper
    page.close()


def test_a_poster_with_a_120_character_name_still_fits_one_sheet(browser, tmp_path):
    from conftest import FIXTURES, build
    from pypdf import PdfReader

    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "small", content)
    merchant = content / "merchants" / "rimouski" / "bistro-lardoise.md"
    long_name = (
        "Boulangerie-pâtisserie-chocolaterie artisanale du Vieux-Port de Rimouski et des "
        "environs immédiats du Bas-Saint-Laurent"
    )[:120]
    text = merchant.read_text(encoding="utf-8").replace("Bistro L'Ardoise", long_name, 1)
    merchant.write_text(text, encoding="utf-8")
    assert build(content, tmp_path / "output")[0] == 0
    page = browser.new_page()
    poster = tmp_path / "output" / "rimouski" / "bistro-lardoise" / "affiche" / "index.html"
    page.goto(poster.as_uri())
    assert page.locator("h1").inner_text() == long_name
    page.emulate_media(media="print")
    for paper in ("A4", "Letter"):
        assert len(PdfReader(BytesIO(page.pdf(format=paper))).pages) == 1, paper
    page.close()


def test_printable_list_prints_in_two_columns(server, browser):
    page = browser.new_page()
    page.goto(server + "rimouski/imprimer/")
    page.emulate_media(media="print")
    assert page.locator(".print-entries").evaluate("e => getComputedStyle(e).columnCount") == "2"
    assert page.locator("img").count() == 0
    assert not page.locator(".site-header nav").is_visible()
    page.close()


def test_the_qr_code_chromium_draws_leads_to_the_merchant(server, browser):
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image

    page = browser.new_page()
    page.goto(server + "rimouski/bistro-lardoise/affiche/")
    shot = page.locator(".poster-qr svg").screenshot()
    page.close()
    decoded = [result.text for result in zxingcpp.read_barcodes(Image.open(BytesIO(shot)))]
    assert decoded == ["https://example.org/annuaire/rimouski/bistro-lardoise/"]
