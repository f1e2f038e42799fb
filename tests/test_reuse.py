"""A town reuses the project by configuration alone: another region's content tree, in a copy
of the repository, builds through the same commands a volunteer runs.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, copy_repository, run_invoke
from htmlpage import html_pages, parse
from sitecheck import broken_links


@pytest.fixture
def other_repository(tmp_path) -> Path:
    """A copy of the repository whose content/ is another region's."""
    return copy_repository(tmp_path / "repo", FIXTURES / "other-region")


invoke = run_invoke


def test_another_region_builds_without_code_changes(other_repository):
    result = invoke(other_repository, "build")
    assert result.returncode == 0, result.stderr
    site = other_repository / "output"
    pages = html_pages(site)
    for url in (
        "gaspe/",
        "perce/galerie-du-rocher/",
        "comment-acheter/csa/",
        "categories/galeries-art/",
        "carleton-sur-mer/comment-acheter/csa/",
        "villes/",
    ):
        assert url in pages, url
    assert broken_links(site, pages) == []
    gallery = parse(site / "perce" / "galerie-du-rocher" / "index.html")
    assert gallery.jsonld[0]["@type"] == "ArtGallery"
    towns = parse(site / "villes" / "index.html")
    assert "Gaspésie Gaspé (1) Percé (1) Baie-des-Chaleurs Carleton-sur-Mer (1)" in towns.text
    assert not any("rimouski" in url for url in pages)


def test_validate_and_build_report_bad_files_and_keep_output(other_repository):
    assert invoke(other_repository, "build").returncode == 0
    before = sorted(p.as_posix() for p in (other_repository / "output").rglob("*"))
    bad = other_repository / "content" / "merchants" / "gaspe" / "Mauvais Nom.md"
    bad.write_text("---\nname: X\ncategories: [poisson]\n---\n")

    result = invoke(other_repository, "validate")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    path = "content/merchants/gaspe/Mauvais Nom.md"
    expected = f"{path}:3: categories: « poisson » n'existe pas dans data/categories.yml"
    assert any(line.startswith(expected) for line in lines)
    assert any("renommez-le « mauvais-nom »" in line for line in lines)
    assert any("how_to_buy: champ obligatoire manquant" in line for line in lines)

    english = invoke(other_repository, "validate", "--lang", "en")
    assert "how_to_buy: required field is missing" in english.stdout

    result = invoke(other_repository, "build")
    assert result.returncode == 1
    assert "rien n'a été publié" in result.stderr
    assert sorted(p.as_posix() for p in (other_repository / "output").rglob("*")) == before


def test_publish_needs_the_public_address(other_repository):
    result = invoke(other_repository, "publish")
    assert result.returncode == 1
    assert "SITEURL is not set" in result.stderr
    assert not (other_repository / "output").exists()
    result = subprocess.run(
        [sys.executable, "-m", "invoke", "publish"],
        cwd=other_repository,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": str(Path(sys.executable).parent), "SITEURL": "https://user.github.io/repo"},
    )
    assert result.returncode == 0, result.stderr
    page = parse(other_repository / "output" / "gaspe" / "index.html")
    assert page.canonical == "https://user.github.io/repo/gaspe/"
