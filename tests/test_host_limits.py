"""The build says whether its output fits the free hosts, before a deploy is refused."""

from __future__ import annotations

from buylocal.host_limits import GB, MIB, report
from conftest import FIXTURES, build


def _sizes(files: int, each: int = 1000, largest: int = 0) -> dict:
    sizes = {f"page-{n}/index.html": each for n in range(files)}
    if largest:
        sizes["images/huge.jpg"] = largest
    return sizes


def test_small_site_gets_only_its_summary():
    assert report(_sizes(100), "fr", environ={}) == ["Sortie : 100 fichiers, 100,0\u00a0ko."]
    assert report(_sizes(100), "en", environ={}) == ["Output: 100 files, 100.0 kB."]


def test_too_many_files_for_cloudflare():
    lines = report(_sizes(20_001), "fr", environ={"CF_PAGES": "1"})
    assert len(lines) == 2
    assert lines[1].startswith("ATTENTION : Cloudflare Pages (ce build) refusera ce site")
    assert "20\u202f001 fichiers" in lines[1] and "20\u202f000" in lines[1]


def test_close_to_the_file_limit_is_a_warning_not_a_refusal():
    lines = report(_sizes(17_000), "en", environ={})
    assert lines[1] == (
        "Warning: this site is close to Cloudflare Pages's limit: 17,000 files of 20,000."
    )


def test_too_big_for_github_and_gitlab_and_a_file_too_big_for_cloudflare():
    lines = report(_sizes(2000, each=GB // 1600, largest=30 * MIB), "en", environ={})
    refused = [line for line in lines if line.startswith("WARNING")]
    assert [line.split(" will")[0] for line in refused] == [
        "WARNING: GitHub Pages",
        "WARNING: GitLab Pages",
        "WARNING: Cloudflare Pages",
    ]
    assert "images/huge.jpg" in refused[2]


def test_build_prints_the_real_file_count(tmp_path):
    output = tmp_path / "output"
    code, printed = build(FIXTURES / "small", output)
    assert code == 0, printed
    count = sum(1 for path in output.rglob("*") if path.is_file())
    assert f"Sortie : {count} fichiers" in printed
    # A rebuild keeps the count right without walking the output again.
    code, printed = build(FIXTURES / "small", output)
    assert f"Sortie : {count} fichiers" in printed
    assert "0 fichier(s) écrit(s) ou supprimé(s)." in printed
