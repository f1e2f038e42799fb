"""Search without a server: the index the build writes (search.py), the search page and the
header form, and the BUYLOCAL_SEARCH setting.

Searching itself, in a browser (search.js), is in test_browser.py.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import shutil
from pathlib import Path

import pytest
from buylocal import search
from conftest import FIXTURES, build
from htmlpage import html_pages, parse
from sitecheck import target_file

LISTED = ["magog/boutique-du-lac/", "rimouski/bistro-lardoise/", "rimouski/epicerie-du-quai/"]


def _index(site: Path, lang: str = "fr") -> dict:
    """Every file of one language's index, read back: its words by word, its records in order
    and its filters, each checked against the version index.json gives it.
    """
    folder = site / "index-recherche" / lang
    index = json.loads((folder / "index.json").read_bytes())
    assert index["version"] == 1

    def read(name: str, version: str):
        data = (folder / name).read_bytes()
        assert hashlib.sha256(data).hexdigest()[:12] == version, name  # search.js's ?v=
        return json.loads(data)

    words = {}
    for key, version in index["words"].items():
        shard = read(f"mots/{key}.json", version)
        assert all(search.shard(word) == key for word in shard)
        words |= {word: [_numbers(gaps) for gaps in tiers] for word, tiers in shard.items()}
    records = []
    for number, version in enumerate(index["records"]):
        records += read(f"fiches/{number}.json", version)
    filters = read("filtres.json", index["filters"])
    filters = {
        kind: {v: _numbers(g) for v, g in values.items()} for kind, values in filters.items()
    }
    assert len(records) == index["count"]
    names = {path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file()}
    listed = {f"mots/{k}.json" for k in index["words"]} | {"index.json", "filtres.json"}
    listed |= {f"fiches/{n}.json" for n in range(len(index["records"]))}
    assert names == listed  # nothing the index does not name
    return {"index": index, "words": words, "records": records, "filters": filters}


def _numbers(gaps: list[int]) -> list[int]:
    return list(itertools.accumulate(gaps))


def _found(index: dict, word: str) -> list[str]:
    """The names of the merchants that have `word`, tier by tier."""
    names = [record["n"] for record in index["records"]]
    return [[names[n] for n in tier] for tier in index["words"].get(word, [[], [], []])]


def test_the_index_holds_the_listed_merchants_only(small_site):
    for lang, prefix in (("fr", ""), ("en", "en/")):
        index = _index(small_site, lang)
        # Not the closed merchant; in alphabetical order of names (ties in search.js).
        assert [record["u"] for record in index["records"]] == [
            prefix + "rimouski/bistro-lardoise/",
            prefix + "magog/boutique-du-lac/",
            prefix + "rimouski/epicerie-du-quai/",
        ]
        assert "ancien" not in index["words"]  # L'Ancien Café closed for good


def test_a_record_is_what_a_result_card_shows(small_site):
    [bistro, boutique, quai] = _index(small_site, "fr")["records"]
    assert bistro == {
        "u": "rimouski/bistro-lardoise/",
        "n": "Bistro L'Ardoise",
        "p": "Rimouski · Restaurants",
        "s": "Cuisine du terroir du Bas-Saint-Laurent, jarret d'agneau et risotto aux "
        "chanterelles.",
        "w": ["En magasin", "Commande à emporter", "Livraison locale"],
    }
    assert quai["t"] == "Fermé temporairement."
    [bistro, boutique, quai] = _index(small_site, "en")["records"]
    assert bistro["s"] == "Local cuisine from the Lower St. Lawrence."  # its en: block
    assert bistro["w"] == ["In store", "Order and pick up", "Local delivery"]
    assert quai["t"] == "Temporarily closed."
    # Shown in French for want of an English text: search.js marks them lang="fr".
    assert bistro["f"] == {"n": "fr"}
    assert boutique["f"] == {"n": "fr", "s": "fr"}


def test_words_are_found_by_where_they_are(small_site):
    index = _index(small_site, "fr")
    assert _found(index, "bistro") == [["Bistro L'Ardoise"], [], []]  # and in its description
    assert _found(index, "rimouski") == [[], ["Bistro L'Ardoise", "Épicerie du Quai"], []]
    assert _found(index, "chanterelles") == [[], ["Bistro L'Ardoise"], []]  # its summary
    assert _found(index, "saisons") == [[], [], ["Bistro L'Ardoise"]]  # its description
    assert _found(index, "epicerie") == [["Épicerie du Quai"], [], []]  # without the accent
    assert _found(index, "ardoise") == [["Bistro L'Ardoise"], [], []]  # L'Ardoise: l + ardoise
    for word in ("l", "la", "de", "et", "aux"):  # one letter, or too common to help
        assert word not in index["words"]
    english = _index(small_site, "en")
    assert _found(english, "family") == [[], [], ["Bistro L'Ardoise"]]
    assert "famille" not in english["words"]  # the French description is not shown there
    assert "the" not in english["words"] and "de" in english["words"]


def test_filters_hold_each_town_category_and_way_to_buy(small_site):
    filters = _index(small_site, "fr")["filters"]
    assert filters["ville"] == {"Magog": [1], "Rimouski": [0, 2]}
    assert filters["categorie"] == {"Restaurants": [0, 1], "Épiceries": [1, 2]}
    assert filters["achat"]["En magasin"] == [0, 2]
    # The names the filters' menus show, in the page's language.
    assert _index(small_site, "en")["filters"]["categorie"] == {
        "Grocery stores": [1, 2],
        "Restaurants": [0, 1],
    }


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("L’Érablière Œufs", ["l", "erabliere", "oeufs"]),
        ("Val-d’Or", ["val", "d", "or"]),
        ("ÉPICERIE  du  QUAI!", ["epicerie", "du", "quai"]),
        ("café_bistro 24h", ["cafe", "bistro", "24h"]),
        ("Straße Ærø", ["strasse", "aero"]),
        # Apostrophes that Unicode calls letters (U+02BC, U+02BB) split like any other.
        ("Lʼérablière dʻérable", ["l", "erabliere", "d", "erable"]),
        # Invisible characters do not cut a word: soft hyphen, zero-width joiners.
        ("pâtisse\u00adries Ca\u200dfé\u200c\u2060", ["patisseries", "cafe"]),
        # The final sigma is a sigma: "οδυσσεασ" typed without it finds "Οδυσσέας".
        ("ΟΔΥΣΣΕΑΣ Οδυσσέας", ["οδυσσεασ", "οδυσσεασ"]),
        ("Cafe\u0301 « 24\u00a0h » Saint\u2011Jean", ["cafe", "24", "h", "saint", "jean"]),
    ],
)
def test_words_are_written_without_case_accents_or_ligatures(text, words):
    assert search.fold(text) == words


def test_one_changed_merchant_changes_few_index_files(tmp_path):
    tree = tmp_path / "content"
    shutil.copytree(FIXTURES / "small", tree)
    output = tmp_path / "out"
    assert build(tree, output)[0] == 0
    before = {p: p.stat().st_ino for p in (output / "index-recherche").rglob("*.json")}
    merchant = tree / "merchants" / "rimouski" / "bistro-lardoise.md"
    merchant.write_text(merchant.read_text().replace("menu qui change", "carte qui change"))
    code, printed = build(tree, output)
    assert code == 0, printed
    after = {p: p.stat().st_ino for p in (output / "index-recherche").rglob("*.json")}
    changed = sorted(p.relative_to(output).as_posix() for p in after if before.get(p) != after[p])
    gone = sorted(p.relative_to(output).as_posix() for p in set(before) - set(after))
    # "carte" is new, "menu" is gone: their files and index.json, which gives their versions.
    assert changed == [
        "index-recherche/fr/index.json",
        "index-recherche/fr/mots/ca.json",
        "index-recherche/fr/mots/me.json",
    ]
    assert gone == []
    assert "carte" in _index(output, "fr")["words"]


def test_a_rebuild_works_out_only_the_changed_merchant_entries(tmp_path, monkeypatch):
    tree = tmp_path / "content"
    shutil.copytree(FIXTURES / "small", tree)
    output = tmp_path / "out"
    assert build(tree, output)[0] == 0
    made = []
    entry = search._entry
    monkeypatch.setattr(search, "_entry", lambda m, *rest: made.append(m.slug) or entry(m, *rest))
    merchant = tree / "merchants" / "rimouski" / "bistro-lardoise.md"
    merchant.write_text(merchant.read_text().replace("menu qui change", "carte qui change"))
    assert build(tree, output)[0] == 0
    assert made == ["bistro-lardoise", "bistro-lardoise"]  # in French and in English
    made.clear()
    assert build(tree, output, full=True)[0] == 0  # --full: nothing taken from cache/
    assert len(made) == 6
    made.clear()
    # Another Python may lowercase or decompose otherwise: its words are worked out again.
    monkeypatch.setattr(search.unicodedata, "unidata_version", "99.0.0")
    assert build(tree, output)[0] == 0
    assert len(made) == 6


def test_the_search_page_reads_this_language_index(small_site):
    for url, lang in (("recherche", "fr"), ("en/recherche", "en")):
        page = parse(small_site / url / "index.html")
        [(_, form, _)] = page.with_attribute("data-search")
        index = target_file(small_site, url + "/", form["data-index"] + "index.json")
        assert index == small_site / "index-recherche" / lang / "index.json"
        root = target_file(small_site, url + "/", form["data-root"] + LISTED[0])
        assert root == small_site / LISTED[0] / "index.html"  # records' addresses start there


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


def test_a_town_can_turn_search_off(tmp_path):
    code, printed = build(FIXTURES / "small", tmp_path / "out", BUYLOCAL_SEARCH=False)
    assert code == 0, printed
    out = tmp_path / "out"
    assert not (out / "index-recherche").exists()
    assert not (out / "recherche").exists()
    for url, page in html_pages(out).items():
        assert not [link for link in page.links if link[1] == "action"], url


def test_a_site_without_listed_merchants_has_an_empty_index(tmp_path):
    tree = tmp_path / "content"
    shutil.copytree(FIXTURES / "small", tree)
    for name in ("magog/boutique-du-lac.md", "rimouski/bistro-lardoise.md"):
        (tree / "merchants" / name).unlink()
    quai = tree / "merchants" / "rimouski" / "epicerie-du-quai.md"
    quai.write_text(quai.read_text().replace("temporarily_closed", "closed"))
    code, printed = build(tree, tmp_path / "out")
    assert code == 0, printed
    # The search page says no merchant was found, and shows the links to browse.
    index = _index(tmp_path / "out", "fr")
    assert index["index"]["count"] == 0 and index["words"] == {}
    assert (tmp_path / "out" / "recherche" / "index.html").is_file()
