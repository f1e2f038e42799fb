"""Search without a server: what the build marks for Pagefind, the bundle Pagefind writes, the
search page and the header form, the BUYLOCAL_SEARCH setting, and a failed index.

Searching itself, in a browser, is in test_browser.py.
"""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import FIXTURES, build
from htmlpage import html_pages, parse
from sitecheck import target_file

LISTED = ["magog/boutique-du-lac/", "rimouski/bistro-lardoise/", "rimouski/epicerie-du-quai/"]


def test_pagefind_indexes_the_listed_merchants_only(small_site):
    entry = json.loads((small_site / "pagefind" / "pagefind-entry.json").read_text())
    # One index per language, from <html lang>: English pages are searched in English.
    assert entry["languages"]["fr"]["page_count"] == len(LISTED)
    assert entry["languages"]["en"]["page_count"] == len(LISTED)
    assert (small_site / "pagefind" / "pagefind.js").is_file()
    pages = html_pages(small_site)
    marked = [url for url, page in pages.items() if page.with_attribute("data-pagefind-body")]
    # Not the closed merchant, not the lists, the home page, the search page or the 404.
    assert sorted(marked) == sorted(LISTED + ["en/" + url for url in LISTED])


def test_a_merchant_page_gives_pagefind_its_filters_and_meta(small_site):
    page = parse(small_site / "rimouski" / "bistro-lardoise" / "index.html")
    [(tag, body, _text)] = page.with_attribute("data-pagefind-body")
    assert tag == "article"
    meta = dict(
        (key.strip(), attribute.rstrip("]"))
        for key, attribute in (part.split("[") for part in body["data-pagefind-meta"].split(","))
    )
    assert {key: body[attribute] for key, attribute in meta.items()} == {
        "ville": "Rimouski",
        "categories": "Restaurants",
        "achat": "En magasin, Commande à emporter, Livraison locale",
    }
    filters = [
        (attrs["data-pagefind-filter"], text)
        for _, attrs, text in page.with_attribute("data-pagefind-filter")
    ]
    assert filters == [
        ("categorie", "Restaurants"),
        ("ville", "Rimouski"),
        ("achat", "En magasin"),
        ("achat", "Commande à emporter"),
        ("achat", "Livraison locale"),
    ]
    [(_, _, summary)] = page.with_attribute("data-pagefind-meta", "resume")
    assert summary.startswith("Cuisine du terroir du Bas-Saint-Laurent")
    ignored = " ".join(text for _, _, text in page.with_attribute("data-pagefind-ignore"))
    assert "Mardi 11 h 30 à 14 h" in ignored  # the hours table would match "mardi", "fermé"
    assert "Fiche vérifiée le" in ignored
    assert "Appeler le 418 555-0142" in ignored


def test_a_temporarily_closed_merchant_says_so_in_its_result(small_site):
    page = parse(small_site / "rimouski" / "epicerie-du-quai" / "index.html")
    [(_, _, status)] = page.with_attribute("data-pagefind-meta", "statut")
    assert status == "Fermé temporairement."


def test_every_page_has_a_search_form_that_leads_to_the_search_page(small_site):
    for url, page in html_pages(small_site).items():
        if url == "404.html":
            continue
        actions = [value for tag, attribute, value in page.links if attribute == "action"]
        assert actions, url
        search = small_site / ("en/" if url.startswith("en/") else "") / "recherche"
        for action in actions:
            assert target_file(small_site, url, action) == search / "index.html"


def test_the_search_page_is_a_form_with_filters_and_links_to_browse(small_site):
    page = parse(small_site / "recherche" / "index.html")
    assert page.meta["robots"] == "noindex"
    assert page.h1 == ["Rechercher un commerce"]
    [(_, form, _)] = page.with_attribute("data-search")
    bundle = target_file(small_site, "recherche/", form["data-bundle"] + "pagefind.js")
    assert bundle == small_site / "pagefind" / "pagefind.js" and bundle.is_file()
    assert form["data-found-other"] == "{count} commerces trouvés"
    # Without JavaScript: an explanation and the lists to browse; the filters wait for it.
    [(_, _, explanation)] = page.with_attribute("data-search-nojs")
    assert "demande JavaScript" in explanation
    [(_, filters, choices)] = page.with_attribute("data-search-filters")
    assert "hidden" in filters
    assert "Ville Toutes les villes Rimouski Magog Catégorie" in choices  # the order of data/
    hrefs = [href for _, attribute, href in page.links if attribute == "href"]
    for link in ("../rimouski/", "../categories/restaurants/", "../comment-acheter/delivery/"):
        assert link in hrefs
    assert ("script", "src", "../theme/js/search.js") in page.links


def test_only_the_search_page_loads_the_search_script(small_site):
    loading = [
        url
        for url, page in html_pages(small_site).items()
        if any(value.endswith("search.js") for _, _, value in page.links)
    ]
    assert sorted(loading) == ["en/recherche/", "recherche/"]


def test_words_written_with_a_typographic_apostrophe_are_indexed_apart(tmp_path):
    tree = tmp_path / "content"
    shutil.copytree(FIXTURES / "small", tree)
    merchant = tree / "merchants" / "rimouski" / "bistro-lardoise.md"
    text = merchant.read_text().replace("name: Bistro L'Ardoise", "name: Érablière l’Héritage")
    merchant.write_text(text.replace("Bistro familial", "Cabane d’Alphonse, bistro familial"))
    code, printed = build(tree, tmp_path / "out")
    assert code == 0, printed
    page = parse(tmp_path / "out" / "rimouski" / "bistro-lardoise" / "index.html")
    [(_, footer, _)] = page.with_attribute("data-pagefind-index-attrs", "data-mots")
    assert footer["data-mots"] == "Héritage Alphonse"
    assert page.h1 == ["Érablière l’Héritage"]  # what people read is unchanged


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (("Érablière l’Héritage",), "Héritage"),
        (("<p>la cabane d&rsquo;<em>Alphonse</em> et l’érablière</p>",), "Alphonse érablière"),
        (("Val-d’Or", "l’Or et d’or", "qu’il"), "Or qu il"),
        (("Bistro L'Ardoise, jarret d'agneau",), ""),  # Pagefind splits on ' by itself
        (("aujourd’hui", "L’ʼ"), "aujourd hui"),
    ],
)
def test_apostrophe_words(texts, expected):
    from buylocal.search import apostrophe_words

    assert apostrophe_words(*texts) == expected


def test_a_town_can_turn_search_off(tmp_path):
    code, printed = build(FIXTURES / "small", tmp_path / "out", BUYLOCAL_SEARCH=False)
    assert code == 0, printed
    out = tmp_path / "out"
    assert not (out / "pagefind").exists()
    assert not (out / "recherche").exists()
    for url, page in html_pages(out).items():
        assert not [link for link in page.links if link[1] == "action"], url
        assert not page.with_attribute("data-pagefind-body"), url
        assert "wasm" not in (page.meta.get("Content-Security-Policy") or ""), url


def test_a_site_without_listed_merchants_gets_no_index_of_its_lists(tmp_path):
    tree = tmp_path / "content"
    shutil.copytree(FIXTURES / "small", tree)
    for name in ("magog/boutique-du-lac.md", "rimouski/bistro-lardoise.md"):
        (tree / "merchants" / name).unlink()
    quai = tree / "merchants" / "rimouski" / "epicerie-du-quai.md"
    quai.write_text(quai.read_text().replace("temporarily_closed", "closed"))
    code, printed = build(tree, tmp_path / "out")
    assert code == 0, printed
    # Pagefind would index every page when none is marked: no bundle at all instead, and the
    # search page says search is unavailable and shows the links to browse.
    assert not (tmp_path / "out" / "pagefind").exists()
    assert (tmp_path / "out" / "recherche" / "index.html").is_file()


def test_a_failed_index_publishes_nothing(tmp_path, monkeypatch):
    from buylocal import search

    output = tmp_path / "output"
    code, printed = build(FIXTURES / "small", output, BUYLOCAL_SEARCH=False)
    assert code == 0, printed
    before = sorted(path.relative_to(output) for path in output.rglob("*"))
    monkeypatch.setattr(search, "PAGEFIND", [*search.PAGEFIND[:2], "pagefind_not_installed"])
    code, printed = build(FIXTURES / "small", output)
    assert code == 1
    assert "index de recherche : Pagefind a échoué" in printed
    assert "No module named pagefind_not_installed" in printed
    assert "BUYLOCAL_SEARCH = False" in printed
    assert sorted(path.relative_to(output) for path in output.rglob("*")) == before
    assert not output.with_name("output.new").exists()
    code, printed = build(FIXTURES / "small", output, lang="en")
    assert "search index: Pagefind failed" in printed
