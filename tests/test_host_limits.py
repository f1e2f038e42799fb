"""The build says whether its output fits the free hosts, before a deploy is refused."""

from __future__ import annotations

import re

from buylocal import host_limits
from buylocal.host_limits import GB, MIB, Host, report
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
    assert len(lines) == 3
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


def test_too_many_files_says_which_settings_remove_how_many_and_which_hosts_fit():
    sizes = _sizes(29_849)
    posters = [f"page-{n}/index.html" for n in range(9_776)]
    optional = {"BUYLOCAL_MERCHANT_POSTERS": posters, "BUYLOCAL_MERCHANT_SHARE_CARDS": []}
    lines = report(sizes, "fr", environ={}, optional_files=lambda: optional)
    assert lines[2:] == [
        "Pour alléger le site, dans pelicanconf.py : "
        "BUYLOCAL_MERCHANT_POSTERS = False en retire 9\u202f776 fichiers (9,8\u00a0Mo).",
        "Ce site tient dans les limites de GitHub Pages, GitLab Pages.",
    ]
    # Nothing to turn off: only the hosts that would take it.
    lines = report(
        _sizes(29_849), "en", environ={}, optional_files=lambda: {}, settings_file="conf.py"
    )
    assert lines[2:] == ["This site fits within the limits of GitHub Pages, GitLab Pages."]


def test_too_many_bytes_names_the_largest_folders():
    sizes = {"index.html": 10_000, **{f"en/p{n}/index.html": 1000 for n in range(3)}}
    sizes |= {f"images/{n}.jpg": 1_000_000 for n in range(1100)}
    optional = {"BUYLOCAL_MERCHANT_SHARE_CARDS": [f"images/{n}.jpg" for n in range(200)]}
    lines = report(
        sizes, "en", environ={}, optional_files=lambda: optional, settings_file="conf.py"
    )
    assert lines[-3:] == [
        "To make the site smaller, in conf.py: "
        "BUYLOCAL_MERCHANT_SHARE_CARDS = False removes 200 files (200.0 MB).",
        "Largest folders: images/ (1.1 GB), index.html (10.0 kB), en/ (3.0 kB).",
        "This site fits within the limits of Cloudflare Pages.",
    ]


def test_one_file_too_large_is_named_and_no_setting_is_suggested():
    optional = {"BUYLOCAL_MERCHANT_POSTERS": ["page-1/index.html"]}
    lines = report(_sizes(10, largest=30 * MIB), "en", environ={}, optional_files=lambda: optional)
    assert lines[1].startswith(
        "WARNING: Cloudflare Pages will refuse this site: file images/huge.jpg"
    )
    assert lines[2:] == ["This site fits within the limits of GitHub Pages, GitLab Pages."]


def test_a_site_that_fits_everywhere_gets_no_advice():
    lines = report(_sizes(100), "fr", environ={}, optional_files=lambda: {"X": 3})
    assert len(lines) == 1


def test_the_settings_the_build_suggests_remove_the_files_it_says(tmp_path, monkeypatch):
    # A host with room for few files, so that the small fixture is over its limit.
    monkeypatch.setattr(host_limits, "HOSTS", (Host("Hébergeur minuscule", "NONE", max_files=10),))
    code, printed = build(FIXTURES / "small", tmp_path / "all")
    assert code == 0, printed
    found = re.search(r"Pour alléger le site, dans pelicanconf.py : (.*)\.$", printed, re.M)
    assert found, printed
    promised = {
        setting: (int(count.replace("\u202f", "")), size)
        for setting, count, size in re.findall(
            r"(\w+) = False en retire ([\d\u202f]+) fichiers \(([^)]+)\)", found[1]
        )
    }
    assert set(promised) == {"BUYLOCAL_MERCHANT_POSTERS", "BUYLOCAL_MERCHANT_SHARE_CARDS"}
    every = _files(tmp_path / "all")
    for setting, (count, size) in promised.items():
        output = tmp_path / setting
        code, printed = build(FIXTURES / "small", output, **{setting: False})
        assert code == 0, printed
        removed = every - _files(output)
        assert count > 0 and len(removed) == count, setting
        assert _files(output) <= every
        weight = sum((tmp_path / "all" / name).stat().st_size for name in removed)
        assert size == host_limits._size(weight, "fr"), setting


def _files(folder) -> set:
    return {str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file()}


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
