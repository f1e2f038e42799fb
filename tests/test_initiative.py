"""The initiative page and its data file: every mistake in content/data/initiative.yml is
located (file, line, field) in French and English, one fixture per case; the page shows what
the file says; no file, no page and no link.
"""

from __future__ import annotations

import shutil

import pytest
from conftest import FIXTURES, ROOT, build
from htmlpage import html_pages, parse

CASES = FIXTURES / "initiative-files"

# case: (line, field, code, French, English)
EXPECTED = {
    "unknown-field": (
        3,
        "objectifs",
        "unknown_initiative_field",
        "champ inconnu (vouliez-vous dire « objectives » ?) : les champs permis sont dans "
        "docs/initiative.md",
        "unknown field (did you mean 'objectives'?)",
    ),
    "missing-summary": (
        1,
        "summary",
        "missing_field",
        "champ obligatoire manquant : ajoutez une ligne « summary: … »",
        "required field is missing",
    ),
    "summary-too-long": (
        2,
        "summary",
        "too_long",
        "trop long (166 caractères, maximum 160)",
        "too long (166 characters, at most 160)",
    ),
    "step-bad-status": (
        8,
        "steps.status",
        "bad_choice",
        "« fini » n'est pas permis : choisissez parmi done, in_progress, planned",
        "'fini' is not allowed: choose from done, in_progress, planned",
    ),
    "step-missing-title": (
        5,
        "steps.title",
        "missing_field",
        "ajoutez une ligne « title: … »",
        "add a 'title: …' line",
    ),
    "partner-bad-url": (
        5,
        "partners.url",
        "bad_url",
        "« example.org/chambre » n'est pas une adresse web valide",
        "'example.org/chambre' is not a valid web address",
    ),
    "partner-unknown-field": (
        5,
        "partners.rôle",
        "unknown_initiative_field",
        "champ inconnu (vouliez-vous dire « role » ?)",
        "unknown field (did you mean 'role'?)",
    ),
    "objectives-not-list": (
        3,
        "objectives",
        "not_list",
        "doit être une liste",
        "must be a list",
    ),
    "yaml-tab": (
        4,
        "",
        "yaml_syntax",
        "une tabulation est utilisée pour l'indentation : utilisez des espaces",
        "a tab is used for indentation: use spaces",
    ),
    "benefit-empty-item": (
        5,
        "benefits",
        "empty_item",
        "un élément de la liste est vide : retirez-le",
        "an item of the list is empty: remove it",
    ),
    "title-without-french": (
        1,
        "title",
        "missing_default_language",
        "il manque la version « fr » (la langue du site)",
        "the 'fr' version (the site's language) is missing",
    ),
    "funding-not-mapping": (
        5,
        "funding",
        "not_mapping",
        "il faut des lignes « nom: valeur »",
        "'name: value' lines are expected here",
    ),
    "problem-not-text": (
        2,
        "problem",
        "not_localized_text",
        "doit être un texte, ou un texte par langue",
        "must be a text, or one text per language",
    ),
}


def _read(path):
    from buylocal.initiative import read_initiative
    from buylocal.markup import MarkdownRenderer

    return read_initiative(path, "content/data/initiative.yml", "fr", 65536, MarkdownRenderer())


def test_every_case_has_a_fixture():
    cases = sorted(path.stem for path in CASES.glob("*.yml"))
    assert cases == sorted([*EXPECTED, "valid"])


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_each_mistake_is_located_in_french_and_english(case):
    line, field, code, french, english = EXPECTED[case]
    initiative, problems = _read(CASES / f"{case}.yml")
    assert initiative is None
    [problem] = problems
    assert (problem.line, problem.field, problem.code) == (line, field, code)
    where = f"content/data/initiative.yml:{line}:" + (f" {field}:" if field else "")
    assert problem.format("fr").startswith(where) and french in problem.format("fr")
    assert problem.format("en").startswith(where) and english in problem.format("en")


def test_a_valid_file_gives_every_part():
    initiative, problems = _read(CASES / "valid.yml")
    assert problems == []
    assert initiative.title.get("fr") == "L’initiative"
    assert initiative.title.get("en") == "The initiative"
    assert "<strong>qui</strong>" in initiative.problem_html.get()
    assert "<h3>Pourquoi</h3>" in initiative.problem_html.get()  # under the page's own h2
    assert [o.get("en") for o in initiative.objectives] == [
        "Dire comment acheter.",  # no English version: the French one
        "Keep listings current.",
    ]
    assert [b.get() for b in initiative.benefits] == ["Plus d’achats ici."]
    assert [(s.title.get(), s.status) for s in initiative.steps] == [
        ("Première liste", "done"),
        ("Affiches", "planned"),
    ]
    [partner] = initiative.partners
    assert (partner.url, partner.detail.get()) == ("https://example.org/chambre", "relais")
    [funder] = initiative.funding
    assert (funder.url, funder.detail.get()) == (None, "12 000 $")


def test_no_file_means_no_initiative(tmp_path):
    initiative, problems = _read(tmp_path / "initiative.yml")
    assert (initiative, problems) == (None, [])
    (tmp_path / "initiative.yml").symlink_to(CASES / "valid.yml")
    initiative, problems = _read(tmp_path / "initiative.yml")
    assert initiative is None and [p.code for p in problems] == ["symlink"]


def test_the_sample_initiative_page_shows_the_file(sample_site):
    page = parse(sample_site / "initiative" / "index.html")
    assert page.h1 == ["L’initiative Achat local"]
    text = page.text
    for heading in (
        "Le problème",
        "Les objectifs",
        "Les retombées attendues",
        "Les étapes",
        "Les partenaires",
        "Le financement",
        "Les résultats",
    ):
        assert heading in text
    assert "Lancement du répertoire en ligne (fait, Juin 2020)" in text
    assert "Affiches en vitrine et répertoire imprimé (à venir, Printemps 2027)" in text
    hrefs = [href for tag, _, href in page.links if tag == "a"]
    assert "https://example.org/chambre-de-commerce" in hrefs
    assert "../chiffres/" in hrefs and "../donnees-ouvertes/" in hrefs
    assert page.meta["description"].startswith("Un répertoire libre et gratuit")
    for url, other in html_pages(sample_site, french_only=True).items():
        if url != "404.html":
            assert ("a", "href", f"{'../' * url.count('/') or './'}initiative/") in other.links, url


def test_without_the_file_there_is_no_page_and_no_link(small_site):
    assert not (small_site / "initiative").exists()
    home = parse(small_site / "index.html")
    hrefs = [href for _, _, href in home.links]
    assert "./initiative/" not in hrefs
    assert "./chiffres/" in hrefs and "./donnees-ouvertes/" in hrefs  # always in the footer


def test_a_bad_initiative_file_stops_the_build_with_its_place(tmp_path):
    tree = tmp_path / "content"
    shutil.copytree(FIXTURES / "small", tree)
    shutil.copy(CASES / "step-bad-status.yml", tree / "data" / "initiative.yml")
    code, printed = build(tree, tmp_path / "out")
    assert code == 1
    assert "data/initiative.yml:8: steps.status: « fini » n'est pas permis" in printed
    assert not (tmp_path / "out").exists()
    code, printed = build(tree, tmp_path / "out", lang="en")
    assert "data/initiative.yml:8: steps.status: 'fini' is not allowed" in printed


def test_page_names_cannot_take_the_new_addresses(tmp_path):
    tree = tmp_path / "content"
    shutil.copytree(FIXTURES / "small", tree)
    shutil.copy(tree / "pages" / "a-propos.md", tree / "pages" / "chiffres.md")
    code, printed = build(tree, tmp_path / "out")
    assert code == 1
    assert "pages/chiffres.md:1: « chiffres » est réservé pour une adresse du site" in printed


def test_the_file_is_documented(tmp_path):
    doc = (ROOT / "docs" / "initiative.md").read_text()
    from buylocal.initiative import FIELDS, FUNDING_FIELDS, PARTNER_FIELDS, STEP_FIELDS

    for name in (*FIELDS, *STEP_FIELDS, *PARTNER_FIELDS, *FUNDING_FIELDS):
        assert f"`{name}`" in doc, name
    # The example in the doc is a valid file.
    example = doc.split("```yaml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "initiative.yml").write_text(example)
    initiative, problems = _read(tmp_path / "initiative.yml")
    assert problems == [] and initiative is not None
