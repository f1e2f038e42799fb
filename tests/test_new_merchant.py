"""`invoke new-merchant`, as a volunteer runs it: with options, or answering questions."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, copy_repository, run_invoke
from htmlpage import parse


@pytest.fixture
def repository(tmp_path) -> Path:
    """A copy of the repository with the sample content."""
    return copy_repository(tmp_path / "repo", ROOT / "content")


invoke = run_invoke


def test_with_options_the_file_validates_and_is_published(repository):
    result = invoke(
        repository,
        "new-merchant",
        "--name",
        "Fromagerie L'Ancêtre",
        "--town",
        "Rimouski",  # names work as well as keys
        "--categories",
        "Épiceries,producteurs",
        "--how-to-buy",
        "En magasin,phone_order",
        "--summary",
        "Fromages fins de la région.",
        "--address",
        "1, rue du Lac, Rimouski",
        "--phone",
        "418 555-0123",
        "--hours",
        "Mo-Sa 09:00-18:00",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    path = repository / "content" / "merchants" / "rimouski" / "fromagerie-l-ancetre.md"
    assert f"Fiche créée : {path.relative_to(repository)}" in result.stdout or str(path) in (
        result.stdout
    )
    text = path.read_text()
    assert "# yaml-language-server: $schema=" in text
    assert "categories: [epiceries, producteurs]" in text
    assert invoke(repository, "validate").returncode == 0
    assert invoke(repository, "build").returncode == 0
    page = parse(repository / "output" / "rimouski" / "fromagerie-l-ancetre" / "index.html")
    assert page.h1 == ["Fromagerie L'Ancêtre"]
    assert ("a", "href", "tel:+14185550123") in page.links

    # The same name again gets the next free file name.
    again = invoke(
        repository,
        "new-merchant",
        "--name",
        "Fromagerie L'Ancêtre",
        "--town",
        "rimouski",
        "--categories",
        "epiceries",
        "--how-to-buy",
        "shipping",
        "--summary",
        "Autre adresse.",
    )
    assert again.returncode == 0, again.stdout
    assert "Attention : rimouski a déjà un commerce nommé ainsi" in again.stdout
    assert (path.parent / "fromagerie-l-ancetre-2.md").is_file()


def test_answers_on_standard_input(repository):
    from buylocal.data_files import read_reference

    reference, _ = read_reference(repository / "content" / "data", "data", "fr", 65536)
    town = list(reference.towns).index("magog") + 1
    category = list(reference.categories).index("cafes") + 1
    ways = [list(reference.how_to_buy).index(k) + 1 for k in ("pickup", "online_shop")]
    answers = "\n".join(
        [
            "Café du Quai",
            str(town),
            "99",  # not in the list: asked again
            str(category),
            ",".join(map(str, ways)),
            "Cafés et viennoiseries au bord du lac.",
            "1, rue du Quai, Magog",  # pickup needs an address
            "https://example.org/cafe-du-quai/boutique",  # online_shop needs a shop URL
            "",  # no web site
        ]
    )
    result = invoke(repository, "new-merchant", answers=answers + "\n")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Réponse non reconnue" in result.stdout
    path = repository / "content" / "merchants" / "magog" / "cafe-du-quai.md"
    text = path.read_text()
    assert "how_to_buy: [pickup, online_shop]" in text
    assert "shop_url: https://example.org/cafe-du-quai/boutique" in text
    assert "website" not in text
    assert invoke(repository, "build").returncode == 0
    assert (repository / "output" / "magog" / "cafe-du-quai" / "index.html").is_file()


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--town", "rimousky"], "vouliez-vous dire « rimouski »"),
        (["--town", "rimouski"], "address: champ obligatoire parce que how_to_buy contient"),
    ],
)
def test_bad_answers_write_nothing(repository, options, expected):
    before = sorted((repository / "content").rglob("*"))
    result = invoke(
        repository,
        "new-merchant",
        "--name",
        "Boutique",
        "--categories",
        "cafes",
        "--how-to-buy",
        "in_store",
        "--summary",
        "Une boutique.",
        *options,
    )
    assert result.returncode == 1
    assert expected in result.stdout
    assert sorted((repository / "content").rglob("*")) == before


def test_validate_reports_only_the_files_asked_for(repository):
    merchants = repository / "content" / "merchants"
    (merchants / "rimouski" / "mauvaise.md").write_text("---\nname: X\n---\n")
    (merchants / "magog" / "autre.md").write_text("---\nname: Y\n---\n")
    everything = invoke(repository, "validate")
    assert "mauvaise.md" in everything.stdout and "autre.md" in everything.stdout

    one = invoke(repository, "validate", "--files", "content/merchants/magog/autre.md")
    assert one.returncode == 1
    assert "autre.md" in one.stdout and "mauvaise.md" not in one.stdout

    good = invoke(
        repository, "validate", "--files", "content/merchants/magog/boutique-lac-et-laine.md"
    )
    assert good.returncode == 0, good.stdout
    assert "Tout est valide : 1 fichier(s) vérifié(s)." in good.stdout

    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=repository, check=True)
    (merchants / "rimouski" / "mauvaise.md").unlink()
    subprocess.run([*git, "add", "-A"], cwd=repository, check=True)
    subprocess.run([*git, "commit", "-qm", "base"], cwd=repository, check=True)
    (merchants / "rimouski" / "nouvelle.md").write_text("---\nname: Z\n---\n")
    changed = invoke(repository, "validate", "--changed", "HEAD")
    assert changed.returncode == 1
    assert "nouvelle.md" in changed.stdout and "autre.md" not in changed.stdout


def test_validate_says_what_to_do_with_a_bad_ref_or_a_missing_file(repository):
    result = invoke(repository, "validate", "--changed", "origin/nope")
    assert result.returncode == 1
    assert "Référence git inconnue" in result.stdout
    result = invoke(repository, "validate", "--files", "content/merchants/rimouski/nexiste.md")
    assert result.returncode == 1
    assert "Fichier introuvable" in result.stdout


def test_interrupted_questions_write_nothing(repository):
    before = sorted((repository / "content").rglob("*"))
    result = invoke(repository, "new-merchant", answers="Café\n")
    assert result.returncode == 1
    assert "Arrêté : rien n'a été écrit." in result.stdout
    assert "Traceback" not in result.stderr
    assert sorted((repository / "content").rglob("*")) == before
