"""Rebuilds reuse what did not change, and always give exactly what a full build gives."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, build, pages_rendered


def _tree(folder: Path) -> dict:
    """Each file of a build: its bytes and its inode (a reused file keeps its inode)."""
    return {
        path.relative_to(folder).as_posix(): (path.read_bytes(), path.stat().st_ino)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _bytes(tree: dict) -> dict:
    return {name: data for name, (data, _inode) in tree.items()}


def _rewritten(before: dict, after: dict) -> set:
    return {name for name in after if name not in before or before[name][1] != after[name][1]}


@pytest.fixture
def content(tmp_path) -> Path:
    tree = tmp_path / "content"
    shutil.copytree(FIXTURES / "small", tree)
    return tree


@pytest.fixture
def reads(monkeypatch) -> list:
    """The merchant files actually parsed, build after build."""
    from buylocal import content as content_module

    parsed = []
    original = content_module._read_job

    def counting(job, ctx):
        parsed.append(job[0].name)
        return original(job, ctx)

    monkeypatch.setattr(content_module, "_read_job", counting)
    return parsed


def _rebuild_matches_full(content: Path, output: Path, tmp_path: Path) -> None:
    """The incremental output is byte for byte the full build's."""
    code, printed = build(content, tmp_path / "full", full=True)
    assert code == 0, printed
    assert _bytes(_tree(output)) == _bytes(_tree(tmp_path / "full"))


def _append(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_nothing_changed_rewrites_no_file_and_reads_no_merchant(content, tmp_path, reads):
    output = tmp_path / "output"
    assert build(content, output)[0] == 0
    assert len(reads) == 4
    first = _tree(output)
    reads.clear()
    code, printed = build(content, output)
    assert code == 0, printed
    assert reads == []
    assert _rewritten(first, _tree(output)) == set()
    assert _tree(output) == first


def _add_sentence(path: Path) -> None:
    """A sentence at the start of the description, after the front matter."""
    head, _, body = path.read_text(encoding="utf-8").partition("\n---\n")
    path.write_text(f"{head}\n---\nNouvelle phrase. {body}", encoding="utf-8")


# Each change: the file, how it changes, the files it must rewrite (None: only the full-build
# match is checked).
CHANGES = {
    "description": (
        "merchants/rimouski/bistro-lardoise.md",
        _add_sentence,
        {"rimouski/bistro-lardoise/index.html"},
    ),
    "summary": (
        "merchants/magog/boutique-du-lac.md",
        lambda path: _append(path, "summary: ", "summary: Nouveau. "),
        None,
    ),
    "closed": (
        "merchants/rimouski/epicerie-du-quai.md",
        lambda path: _append(path, "status: temporarily_closed", "status: closed"),
        None,
    ),
    "town name": (
        "data/towns.yml",
        lambda path: _append(path, "name: Magog", "name: Magog-sur-le-Lac"),
        None,
    ),
    # The English site: an en: block added or taken away, an English name in a data file.
    "en block added": (
        "merchants/magog/boutique-du-lac.md",
        lambda path: _append(
            path, "added: 2022-03-15\n", "added: 2022-03-15\nen:\n  name: Lake Shop\n"
        ),
        None,
    ),
    "en block removed": (
        "merchants/rimouski/bistro-lardoise.md",
        lambda path: _append(
            path, "en:\n  summary: Local cuisine from the Lower St. Lawrence.\n", "en:\n"
        ),
        None,
    ),
    "English category name": (
        "data/categories.yml",
        lambda path: _append(path, "en: Grocery stores", "en: Groceries"),
        None,
    ),
}


@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
def test_one_change_rebuild_equals_a_full_build(content, tmp_path, reads, change):
    file, edit, expected = CHANGES[change]
    output = tmp_path / "output"
    assert build(content, output)[0] == 0
    before = _tree(output)
    edit(content / file)
    reads.clear()
    code, printed = build(content, output)
    assert code == 0, printed
    if file.startswith("merchants/"):
        assert reads == [Path(file).name]  # only the changed file was parsed again
    else:
        assert len(reads) == 4  # a data file changed: every merchant is checked again
    _rebuild_matches_full(content, output, tmp_path)
    after = _tree(output)
    rewritten = _rewritten(before, after)
    pages = {name for name in rewritten if not name.startswith("index-recherche/")}
    if expected is not None:
        assert pages == expected
    assert pages, "the change must show somewhere"
    if file.startswith("merchants/"):  # its words or its record changed in the search index
        assert any(name.startswith("index-recherche/") for name in rewritten)


def test_added_merchant_updates_links_to_new_pages(content, tmp_path):
    """A merchant in a new category creates pages that other merchants' pages link to."""
    output = tmp_path / "output"
    assert build(content, output)[0] == 0
    source = content / "merchants/rimouski/bistro-lardoise.md"
    text = source.read_text(encoding="utf-8")
    (content / "merchants/magog/bistro-du-lac.md").write_text(
        text.replace("name: Bistro L'Ardoise", "name: Bistro du Lac"), encoding="utf-8"
    )
    code, printed = build(content, output)
    assert code == 0, printed
    _rebuild_matches_full(content, output, tmp_path)


@pytest.mark.parametrize("merchant", ["magog/boutique-du-lac", "rimouski/bistro-lardoise"])
def test_removed_merchant_leaves_no_page(content, tmp_path, merchant):
    """Without the bistro, Rimouski has no restaurant page left: the closed café's page,
    unchanged itself, must stop linking to it.
    """
    output = tmp_path / "output"
    assert build(content, output)[0] == 0
    assert (output / merchant / "index.html").exists()
    (content / "merchants" / f"{merchant}.md").unlink()
    assert build(content, output)[0] == 0
    assert not (output / merchant / "index.html").exists()
    _rebuild_matches_full(content, output, tmp_path)


def test_changed_template_renders_every_page(content, tmp_path):
    output = tmp_path / "output"
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    assert build(content, output, THEME_TEMPLATES_OVERRIDES=[str(overrides)])[0] == 0
    (overrides / "merchant.html").write_text(
        "{% extends 'base.html' %}{% block main %}<p>Gabarit local</p>{% endblock %}"
    )
    assert build(content, output, THEME_TEMPLATES_OVERRIDES=[str(overrides)])[0] == 0
    page = (output / "magog/boutique-du-lac/index.html").read_text(encoding="utf-8")
    assert "Gabarit local" in page


def _give_a_photo(content: Path) -> None:
    """Bistro L'Ardoise shows the fixture's photo of a cup."""
    _append(
        content / "merchants/rimouski/bistro-lardoise.md",
        "summary:",
        "image: merchants/cafe.png\nimage_alt: Une tasse de café\nsummary:",
    )


def test_replaced_photo_is_checked_again(content, tmp_path, reads):
    """The photo a merchant names is part of what its cached reading depends on."""
    from PIL import Image

    _give_a_photo(content)
    output = tmp_path / "output"
    assert build(content, output)[0] == 0
    photo = content / "images/merchants/cafe.png"
    with Image.open(photo) as image:
        width, height = image.size
    Image.new("RGB", (width * 2, height * 2), "red").save(photo)
    os.utime(photo, ns=(1, 1))  # a different time, whatever the clock's resolution
    reads.clear()
    assert build(content, output)[0] == 0
    assert len(reads) == 1
    _rebuild_matches_full(content, output, tmp_path)


def test_hand_edited_output_is_not_reused(content, tmp_path):
    """A page changed in output/ after the build is rendered again, not trusted."""
    output = tmp_path / "output"
    assert build(content, output)[0] == 0
    page = output / "magog/boutique-du-lac/index.html"
    page.write_text("abîmé", encoding="utf-8")
    assert build(content, output)[0] == 0
    assert page.read_text(encoding="utf-8") != "abîmé"
    _rebuild_matches_full(content, output, tmp_path)


def test_unchanged_photos_and_cards_stay_in_place_and_damaged_ones_come_back(
    content, tmp_path, monkeypatch
):
    """A photo's variant or a share card that the output already holds as its cached file
    is left there, not linked again; one deleted or replaced by hand is put back.
    """
    from buylocal import incremental

    _give_a_photo(content)
    output = tmp_path / "output"
    assert build(content, output)[0] == 0
    cards = sorted((output / "partage").rglob("*.png"))
    photos = sorted((output / "images/merchants").iterdir())
    assert len(cards) > 10 and len(photos) >= 2
    linked = []
    link = incremental.link_or_copy
    monkeypatch.setattr(
        incremental,
        "link_or_copy",
        lambda source, target: (linked.append(target), link(source, target)),
    )

    def placed() -> set:
        return {target.name for target in linked if {"partage", "images"} & set(target.parts)}

    code, printed = build(content, output)
    assert code == 0, printed
    assert placed() == set()
    assert "0 fichier(s) écrit(s) ou supprimé(s)." in printed
    deleted, replaced = cards[0], photos[0]
    deleted.unlink()
    good = replaced.read_bytes()
    replaced.unlink()
    replaced.write_bytes(b"pas une image")
    assert build(content, output)[0] == 0
    assert placed() == {deleted.name, replaced.name}
    assert deleted.is_file() and replaced.read_bytes() == good
    # The cached card drawn again, same pixels, another file (a change of drawing code):
    # the output keeps its file, and the cache takes it, to compare nothing next time.
    cached = next(
        path for path in (tmp_path / "cache/share-cards").iterdir() if path.samefile(cards[2])
    )
    cached.unlink()
    cached.write_bytes(cards[2].read_bytes())
    linked.clear()
    code, printed = build(content, output)
    assert "0 fichier(s) écrit(s) ou supprimé(s)." in printed
    assert placed() == set()
    assert cached.samefile(cards[2])
    _rebuild_matches_full(content, output, tmp_path)


def test_damaged_cache_means_a_full_build(content, tmp_path, reads):
    output = tmp_path / "output"
    assert build(content, output)[0] == 0
    damaged = list((tmp_path / "cache").glob("**/*.pickle"))
    assert any(path.parent.name == "merchants" for path in damaged)
    assert any(path.parent.name == "plans-output" for path in damaged)
    for cached in damaged:
        cached.write_bytes(b"not a pickle")
    reads.clear()
    code, printed = build(content, output)
    assert code == 0, printed
    assert len(reads) == 4
    _rebuild_matches_full(content, output, tmp_path)


def test_failed_rebuild_keeps_output_and_its_record(content, tmp_path):
    """After a failed build, the next good one still reuses the last good output."""
    from buylocal import incremental

    output = tmp_path / "output"
    assert build(content, output)[0] == 0
    before = _tree(output)
    bad = content / "merchants/magog/boutique-du-lac.md"
    good = bad.read_text(encoding="utf-8")
    bad.write_text(good.replace("name:", "nom:"), encoding="utf-8")
    assert build(content, output)[0] == 1
    assert _tree(output) == before
    assert incremental.pending_manifest(output.resolve()).pages == {}
    bad.write_text(good, encoding="utf-8")
    assert build(content, output)[0] == 0
    assert _rewritten(before, _tree(output)) == set()


def test_a_build_failing_on_one_file_keeps_what_it_read_of_the_others(content, tmp_path, reads):
    output = tmp_path / "output"
    bad = content / "merchants/magog/boutique-du-lac.md"
    good = bad.read_text(encoding="utf-8")
    bad.write_text(good.replace("name:", "nom:"), encoding="utf-8")
    assert build(content, output)[0] == 1
    assert len(reads) == 4
    reads.clear()
    bad.write_text(good, encoding="utf-8")
    assert build(content, output)[0] == 0
    assert reads == ["boutique-du-lac.md"]


def test_build_cut_off_while_put_in_place_is_finished_by_the_next(content, tmp_path, monkeypatch):
    """Killed halfway through moving files into output/: the next build completes the move
    first, so nothing of either build is lost.
    """
    from buylocal import incremental

    output = tmp_path / "output"
    assert build(content, output)[0] == 0
    _add_sentence(content / "merchants/rimouski/bistro-lardoise.md")
    _append(content / "data/towns.yml", "name: Magog", "name: Magog-sur-le-Lac")
    moves = []
    real_replace = os.replace

    def cut_off(source, target):
        if Path(target).is_relative_to(output):
            if moves:
                raise KeyboardInterrupt  # after the first move into output/
            moves.append(target)
        return real_replace(source, target)

    monkeypatch.setattr(incremental.os, "replace", cut_off)
    with pytest.raises(KeyboardInterrupt):
        build(content, output)
    monkeypatch.setattr(incremental.os, "replace", real_replace)
    assert len(moves) == 1
    assert (tmp_path / "output.apply.json").exists()
    code, printed = build(content, output)
    assert code == 0, printed
    assert not (tmp_path / "output.apply.json").exists()
    _rebuild_matches_full(content, output, tmp_path)


def test_a_rebuild_in_another_process_reuses_the_caches(tmp_path):
    """Each `invoke build` is a new process, with its own string hashes (sets are ordered by
    them): the caches must still be recognised, as a volunteer's second build would.
    """
    from conftest import copy_repository, run_invoke

    repository = copy_repository(tmp_path / "repo", FIXTURES / "small")
    first = run_invoke(repository, "build")
    assert first.returncode == 0, first.stderr
    # The merchants, and the pages as planned: each a folder of files.
    caches = [repository / "cache" / "merchants", repository / "cache" / "plans-output"]

    def written():
        return {path: path.stat().st_mtime_ns for cache in caches for path in cache.iterdir()}

    first_written = written()
    assert all(any(cache.iterdir()) for cache in caches)
    second = run_invoke(repository, "build")
    assert second.returncode == 0, second.stderr
    pages, rendered = pages_rendered(second.stderr)
    # Only the pages that show the whole directory (home, indexes, numbers) are rendered again.
    assert 0 < rendered <= 6 < pages
    # Every merchant, and every page planned, came from them.
    assert written() == first_written


def test_the_cycle_collector_makes_no_pass_during_a_build(content, tmp_path):
    """Each of its passes goes through every object the build holds: paused from the first
    step to the last, between Pelican's steps too, and resumed once the build is done.
    """
    import gc
    import sys

    from buylocal import build as build_module

    passes = []

    def count(phase, info):
        frame = sys._getframe(1)
        while frame and frame.f_code is not build_module._build_site.__code__:
            frame = frame.f_back
        if phase == "start" and frame:
            passes.append(info["generation"])

    gc.callbacks.append(count)
    try:
        for _ in range(2):  # a first build, then a rebuild
            code, printed = build(content, tmp_path / "output")
            assert code == 0, printed
            assert gc.isenabled()
    finally:
        gc.callbacks.remove(count)
    assert passes == []


def _full_elsewhere(content: Path, tmp_path: Path, **overrides) -> dict:
    """A full build in a folder of its own, with its own cache/: the reference."""
    output = tmp_path / "reference" / "output"
    code, printed = build(content, output, full=True, **overrides)
    assert code == 0, printed
    return _bytes(_tree(output))


def test_changed_jinja_settings_render_every_page(content, tmp_path):
    """Pelican applies JINJA_GLOBALS (and the other JINJA_* settings) to the templates."""
    output = tmp_path / "output"
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    (overrides / "merchant.html").write_text(
        "{% extends 'base.html' %}{% block main %}<p>{{ town_motto }}</p>{% endblock %}"
    )
    settings = {"THEME_TEMPLATES_OVERRIDES": [str(overrides)]}
    assert build(content, output, JINJA_GLOBALS={"town_motto": "A"}, **settings)[0] == 0
    assert build(content, output, JINJA_GLOBALS={"town_motto": "B"}, **settings)[0] == 0
    reference = _full_elsewhere(content, tmp_path, JINJA_GLOBALS={"town_motto": "B"}, **settings)
    assert _bytes(_tree(output)) == reference


def test_other_card_fonts_draw_the_cards_again(content, tmp_path):
    """Cards are cached by text and colours, and by the fonts they are drawn with."""
    themes = {}
    for name in ("a", "b"):
        themes[name] = tmp_path / f"theme-{name}"
        shutil.copytree(ROOT / "theme", themes[name])
    fonts = themes["b"] / "fonts"
    regular, bold = sorted(fonts.glob("*.ttf"))
    regular_bytes = regular.read_bytes()
    regular.write_bytes(bold.read_bytes())
    bold.write_bytes(regular_bytes)
    output = tmp_path / "output"
    assert build(content, output, THEME=str(themes["a"]))[0] == 0
    assert build(content, output, THEME=str(themes["b"]))[0] == 0
    assert _bytes(_tree(output)) == _full_elsewhere(content, tmp_path, THEME=str(themes["b"]))


def test_a_corrected_translation_renders_the_english_pages_again(content, tmp_path):
    """A town's theme corrects one English message: every page that shows it changes."""
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    output = tmp_path / "output"
    assert build(content, output, THEME=str(theme))[0] == 0
    catalog = theme / "translations" / "en" / "LC_MESSAGES" / "messages.po"
    text = catalog.read_text(encoding="utf-8")
    assert 'msgstr "How to buy"' in text
    catalog.write_text(text.replace('msgstr "How to buy"', 'msgstr "Ways to shop"'))
    assert build(content, output, THEME=str(theme))[0] == 0
    assert "Ways to shop" in (output / "en" / "index.html").read_text(encoding="utf-8")
    assert _bytes(_tree(output)) == _full_elsewhere(content, tmp_path, THEME=str(theme))


def test_cut_off_before_its_record_is_saved_the_next_build_cleans_up(
    content, tmp_path, monkeypatch
):
    """The files of a build put in place but not recorded are still found and deleted."""
    from buylocal import incremental

    output = tmp_path / "output"
    assert build(content, output)[0] == 0
    source = content / "merchants/rimouski/bistro-lardoise.md"
    added = content / "merchants/magog/bistro-du-lac.md"
    added.write_text(source.read_text(encoding="utf-8").replace("L'Ardoise", "du Lac"))
    real_save = incremental.save_pickle

    def cut_off(path, value, **options):
        if path == incremental.pages_manifest_path(output):
            raise KeyboardInterrupt
        return real_save(path, value, **options)

    monkeypatch.setattr(incremental, "save_pickle", cut_off)
    with pytest.raises(KeyboardInterrupt):
        build(content, output)
    monkeypatch.setattr(incremental, "save_pickle", real_save)
    assert (output / "magog/bistro-du-lac/index.html").exists()
    added.unlink()
    code, printed = build(content, output)
    assert code == 0, printed
    assert _bytes(_tree(output)) == _full_elsewhere(content, tmp_path)


def test_a_build_that_fails_after_its_pages_were_made_hands_nothing_over(content, tmp_path):
    """The generator hands its pages' record to build.py in memory; when something fails
    after that (a town's plugin at the very end), the record goes with the build, and the
    next build starts from the last good output and its record.
    """
    from buylocal import incremental
    from pelican import signals

    output = tmp_path / "output"
    assert build(content, output)[0] == 0
    before = _tree(output)
    source = content / "merchants/rimouski/bistro-lardoise.md"
    added = content / "merchants/magog/bistro-du-lac.md"
    added.write_text(source.read_text(encoding="utf-8").replace("L'Ardoise", "du Lac"))
    handed = []
    real_hand_over = incremental.hand_over

    def hand_over(final_output, manifest):
        handed.append(final_output)
        real_hand_over(final_output, manifest)

    def town_plugin(pelican):
        raise RuntimeError("a town's plugin fails")

    signals.finalized.connect(town_plugin)
    try:
        incremental.hand_over = hand_over
        with pytest.raises(RuntimeError, match="town's plugin"):
            build(content, output)
    finally:
        incremental.hand_over = real_hand_over
        signals.finalized.disconnect(town_plugin)
    assert handed == [output.resolve()]
    assert incremental.pending_manifest(output.resolve()).pages == {}
    assert _tree(output) == before
    code, printed = build(content, output)
    assert code == 0, printed
    assert _bytes(_tree(output)) == _full_elsewhere(content, tmp_path)


@pytest.fixture
def kept_values(tmp_path, monkeypatch):
    """KeptValues in a cache folder of their own; `written` lists the files each save wrote."""
    from buylocal import incremental

    written = []
    real_save = incremental.save_pickle

    def save_pickle(path, value, **options):
        written.append(path.name)
        real_save(path, value, **options)

    monkeypatch.setattr(incremental, "save_pickle", save_pickle)

    def take(digests, key="key", reuse=True) -> tuple[list, list]:
        """The values of `digests` as a build takes them, and those it had to make."""
        incremental.use_build_cache(tmp_path, reuse)
        kept, made = incremental.KeptValues("rows", key), []
        values = [kept.get(d, lambda d=d: made.append(d) or d.upper()) for d in digests]
        written.clear()
        kept.save()
        return values, made

    yield take, written
    incremental.use_build_cache(None, False)


def test_kept_values_rewrite_only_the_files_that_hold_what_changed(kept_values):
    """Open data rows, feeds and search entries are kept over several files: one changed
    merchant rewrites the files of its old and its new digest, not 20 MB of values.
    """
    from buylocal.incremental import KeptValues

    take, written = kept_values
    digests = [f"{number:064x}" for number in range(200)]
    assert take(digests)[1] == digests
    assert len(set(written)) == KeptValues.SHARDS
    changed = [*digests[:-1], "f" * 64]
    values, made = take(changed)
    assert made == ["f" * 64]
    assert values == [digest.upper() for digest in changed]
    shards = {KeptValues._shard(digests[-1]), KeptValues._shard("f" * 64)}
    assert sorted(written) == [f"{number:02d}.pickle" for number in sorted(shards)]
    assert take(changed) == (values, [])
    assert written == []  # nothing changed, nothing written
    assert take(changed, key="other key")[1] == changed


def test_a_full_build_leaves_no_old_kept_value_for_a_later_build(kept_values):
    """--full makes every value anew: one it did not need (a merchant unlisted meanwhile)
    must not come back from an older build later.
    """
    take, _written = kept_values
    first, second = "a" * 64, "b" * 64
    take([first, second])
    assert take([first], reuse=False)[1] == [first]
    assert take([first, second])[1] == [second]


# -- what a rebuild makes anew, and the pieces that decide it ------------------------------


@pytest.fixture
def made(monkeypatch) -> dict:
    """What builds work out anew rather than take from cache/: merchant digests (by file
    name), open data rows (by file name) and Atom feeds (by address).
    """
    from buylocal import feeds, incremental, open_data
    from buylocal.model import Merchant

    found = {"digests": [], "rows": [], "feeds": []}
    stable, record, atom = incremental._stable_bytes, open_data.record, feeds.atom

    def counting_stable(value, *args):
        if isinstance(value, Merchant):
            found["digests"].append(value.slug)
        return stable(value, *args)

    def counting_record(merchant, *args):
        found["rows"].append(merchant.slug)
        return record(merchant, *args)

    def counting_atom(feed, *args):
        found["feeds"].append(feed.url)
        return atom(feed, *args)

    monkeypatch.setattr(incremental, "_stable_bytes", counting_stable)
    monkeypatch.setattr(open_data, "record", counting_record)
    monkeypatch.setattr(feeds, "atom", counting_atom)
    return found


def test_a_rebuild_makes_anew_only_what_shows_the_changed_merchant(content, tmp_path, made):
    """Merchant digests, open data rows and feeds are kept in cache/; one changed merchant
    means its digest, its row, and the feeds it is in (its town's and the directory's).
    """
    from buylocal import urls

    output = tmp_path / "output"
    assert build(content, output)[0] == 0
    document = json.loads((output / "donnees-ouvertes/merchants.json").read_bytes())
    merchant_files = {path.stem for path in (content / "merchants").rglob("*.md")}
    assert sorted(made["digests"]) == sorted(merchant_files)
    assert len(made["rows"]) == document["count"] > 0
    assert {urls.feed(), urls.feed("rimouski"), urls.feed("magog")} <= set(made["feeds"])
    for kind in made.values():
        kind.clear()
    assert build(content, output)[0] == 0
    assert made == {"digests": [], "rows": [], "feeds": []}
    _add_sentence(content / "merchants/rimouski/bistro-lardoise.md")
    assert build(content, output)[0] == 0
    assert made["digests"] == ["bistro-lardoise"]
    assert made["rows"] == ["bistro-lardoise"]
    assert sorted(made["feeds"]) == sorted([urls.feed(), urls.feed("rimouski")])
    _rebuild_matches_full(content, output, tmp_path)


def _merchants(content: Path) -> tuple:
    from buylocal.content import load_content
    from buylocal.settings import site_config
    from conftest import settings_overrides
    from pelican.settings import read_settings

    settings = read_settings(str(ROOT / "pelicanconf.py"), override=settings_overrides(content))
    return load_content(site_config(settings)).merchants


def test_fingerprints_tell_apart_what_pages_are_made_of(content):
    from buylocal.incremental import fingerprint, merchant_digest
    from buylocal.model import Geo

    assert fingerprint((Geo(48.45, -68.52),), {}) == fingerprint((Geo(48.45, -68.52),), {})
    assert fingerprint((Geo(48.45, -68.52),), {}) != fingerprint((Geo(48.45, -68.53),), {})
    assert fingerprint(({"a": [1]},), {}) != fingerprint(({"a": [2]},), {})
    merchant = _merchants(content)[0]
    changed = dataclasses.replace(merchant, summary=merchant.summary + " Encore.")
    same = dataclasses.replace(merchant)  # equal, but another object
    assert merchant_digest(changed) != merchant_digest(merchant) == merchant_digest(same)
    # A merchant counts by its digest: what it holds, not which object it is.
    assert fingerprint(([merchant],), {}) == fingerprint(([same],), {})
    assert fingerprint(([merchant],), {}) != fingerprint(([changed],), {})
    # The settings are the site key's (a change renders every page): every page's structured
    # data takes them (seo.StructuredData), and its fingerprint only names them.
    from buylocal.settings import site_config

    config = site_config({"PATH": str(content), "BUYLOCAL_TODAY": "2026-11-20"})
    renamed = dataclasses.replace(config, site_name="Achat Coaticook")
    assert fingerprint((config, 1), {}) == fingerprint((renamed, 1), {})
    assert fingerprint((config, 1), {}) != fingerprint((config, 2), {})


def test_fingerprints_name_classes_and_functions_but_not_lambdas():
    """Classes and functions count by their module and name (each looked up once), as pickle
    names them; what pickle cannot name (a lambda, a closure) leaves the page without a
    fingerprint, so it is rendered at every build.
    """
    from buylocal import incremental, seo
    from buylocal.incremental import fingerprint
    from buylocal.model import Geo, Image

    assert fingerprint((seo.merchant_jsonld, Geo), {}) == fingerprint(
        (seo.merchant_jsonld, Geo), {}
    )
    assert fingerprint((seo.merchant_jsonld,), {}) != fingerprint((seo.breadcrumb_jsonld,), {})
    assert fingerprint((Geo,), {}) != fingerprint((Image,), {})
    assert incremental._NAMES[Geo][1] == ("buylocal.model:Geo",)  # looked up once, kept
    assert fingerprint((Geo(1.0, 2.0),), {}) != fingerprint((Image("a", 1, 2, "b"),), {})
    assert fingerprint((lambda: 1,), {}) is None

    def closure():
        return 1

    assert fingerprint((closure,), {}) is None


def test_cache_files_read_back_what_was_saved(content, tmp_path):
    """Merchants (dataclasses with slots, saved as their fields) come back equal; a file
    replaced on disk is read again, not taken from what this process remembers.
    """
    from buylocal import incremental

    merchants = _merchants(content)
    path = tmp_path / "cache/merchants.pickle"
    incremental.save_pickle(path, merchants)
    incremental._recent.clear()  # as in the next build's process
    assert incremental.load_pickle(path, tuple) == merchants
    incremental.save_pickle(tmp_path / "other.pickle", ("autre",))
    os.replace(tmp_path / "other.pickle", path)
    assert incremental.load_pickle(path, tuple) == ("autre",)
    path.write_bytes(b"abime")
    assert incremental.load_pickle(path, tuple) is None


def test_saving_a_cache_leaves_no_utf8_copy_in_the_texts_it_saves(content, tmp_path):
    """Pickling a text keeps its UTF-8 form in it: 50 MB at 50,000 merchants in the process
    that saves the merchant cache and then renders.
    """
    import pickle

    from buylocal import incremental

    merchants = pickle.loads(pickle.dumps(_merchants(content)))  # as a worker sends them
    texts = [m.description_html for m in merchants] + [m.summary for m in merchants]
    assert not all(text.isascii() for text in texts)
    sizes = [sys.getsizeof(text) for text in texts]
    path = tmp_path / "cache/merchants.pickle"
    incremental.save_pickle(path, merchants, remember=False)
    assert [sys.getsizeof(text) for text in texts] == sizes
    assert incremental.load_pickle(path, tuple) == merchants


def test_the_english_site_taken_away_and_back(content, tmp_path):
    """A town turns the English site off, then on again: no English page or link is left,
    then every one is back, as a full build makes them.
    """
    output = tmp_path / "output"
    assert build(content, output)[0] == 0
    assert build(content, output, BUYLOCAL_LANGUAGES=("fr",))[0] == 0
    assert not (output / "en").exists()
    assert _bytes(_tree(output)) == _full_elsewhere(content, tmp_path, BUYLOCAL_LANGUAGES=("fr",))
    shutil.rmtree(tmp_path / "reference")
    assert build(content, output)[0] == 0
    assert _bytes(_tree(output)) == _full_elsewhere(content, tmp_path)


# -- planned pages kept in cache/ (incremental.PlanCache) -----------------------------------


@pytest.fixture
def planned(monkeypatch) -> dict:
    """What builds plan anew rather than keep from cache/: merchant pages and their window
    posters (by merchant file name) and lists (by address). A first build plans each twice:
    to plan the site, and where the page is rendered (plan.LightPageSpec).
    """
    from buylocal import outreach
    from buylocal.plan import Planner

    found = {"merchants": [], "lists": [], "posters": []}
    merchant, lists, poster = Planner.merchant, Planner._list_pages, outreach.merchant_poster

    def counting_merchant(self, m):
        found["merchants"].append(m.slug)
        return merchant(self, m)

    def counting_poster(planner, m, twin=False):
        found["posters"].append(m.slug)
        return poster(planner, m, twin)

    def counting_lists(self, base_url, *args, **ctx):
        found["lists"].append(self.prefix + base_url)
        return lists(self, base_url, *args, **ctx)

    monkeypatch.setattr(Planner, "merchant", counting_merchant)
    monkeypatch.setattr(outreach, "merchant_poster", counting_poster)
    monkeypatch.setattr(Planner, "_list_pages", counting_lists)
    return found


def test_a_rebuild_plans_only_what_shows_the_changed_merchant(content, tmp_path, planned):
    output = tmp_path / "output"
    assert build(content, output)[0] == 0
    # A first build plans each merchant page twice in each language: to plan the site, and
    # where the page is rendered (plan.LightPageSpec).
    assert sorted(planned["merchants"]) == sorted(
        4 * [path.stem for path in (content / "merchants").rglob("*.md")]
    )
    assert planned["posters"]
    for kind in planned.values():
        kind.clear()
    assert build(content, output)[0] == 0
    assert planned == {"merchants": [], "lists": [], "posters": []}
    _append(content / "merchants/magog/boutique-du-lac.md", "summary: ", "summary: Nouveau. ")
    assert build(content, output)[0] == 0
    assert planned["merchants"] == ["boutique-du-lac", "boutique-du-lac"]  # fr, en
    assert planned["posters"] == ["boutique-du-lac", "boutique-du-lac"]
    # The lists it is in (Magog, its categories and way to buy, and their crossings), not
    # Rimouski's.
    assert "magog/" in planned["lists"] and "en/magog/" in planned["lists"]
    assert "rimouski/" not in planned["lists"]
    _rebuild_matches_full(content, output, tmp_path)


def test_pages_planned_light_are_fingerprinted_as_pages_planned_whole(content, tmp_path):
    """A first build plans its pages light (plan.LightPageSpec: merchant pages, lists,
    posters) and takes their fingerprints where they are rendered, once planned whole
    again. A build that plans them whole from the start (the plan cache gone, the pages'
    record kept) takes the same fingerprints, and so keeps every page as it is.
    """
    from buylocal import incremental

    output = tmp_path / "output"
    assert build(content, output)[0] == 0
    code, unchanged = build(content, output)
    assert code == 0, unchanged
    before = _tree(output)
    shutil.rmtree(incremental.plans_dir(output))
    code, printed = build(content, output)
    assert code == 0, printed
    assert pages_rendered(printed)[1] == pages_rendered(unchanged)[1] < 20, printed
    assert _tree(output) == before


def test_every_field_of_a_page_is_held_light_or_planned_again():
    """A light page is completed with PLANNED_LATER alone: a new PageSpec field must be one
    of those or be held (and fingerprinted) from planning on.
    """
    import dataclasses

    from buylocal.plan import LIGHT_FIELDS, LazyPageSpec, PageSpec

    finished = {"lang", "path", "alternates"}  # set by Planner.plan and _link_translations
    held = set(LIGHT_FIELDS) | finished
    assert not held & set(LazyPageSpec.PLANNED_LATER)
    assert {f.name for f in dataclasses.fields(PageSpec)} == held | set(LazyPageSpec.PLANNED_LATER)


def test_kept_pages_rendered_again_are_a_full_builds(content, tmp_path, planned):
    """Every page kept from cache/ but whose file was edited is rendered again, its context
    planned again on demand: byte for byte what a full build makes.
    """
    output = tmp_path / "output"
    assert build(content, output)[0] == 0
    for page in output.rglob("*.html"):
        page.write_bytes(page.read_bytes() + b"\n")
    for kind in planned.values():
        kind.clear()
    code, printed = build(content, output)
    assert code == 0, printed
    assert planned["merchants"] and planned["lists"]  # planned again, on demand only
    _rebuild_matches_full(content, output, tmp_path)


def _title(page: Path) -> str:
    from htmlpage import parse

    return parse(page).title


def test_a_namesake_retitles_a_kept_merchant_page(content, tmp_path):
    """Boutique du Lac's page is kept, but another shop of that name in Magog means both
    titles say their street, and back when it is gone.
    """
    output = tmp_path / "output"
    assert build(content, output)[0] == 0
    page = output / "magog/boutique-du-lac/index.html"
    alone = _title(page)
    namesake = content / "merchants/magog/boutique-du-lac-2.md"
    source = (content / "merchants/magog/boutique-du-lac.md").read_text(encoding="utf-8")
    namesake.write_text(
        source.replace("added:", "address: 5, rue du Lac, Magog (Québec) J1X 1A1\nadded:"),
        encoding="utf-8",
    )
    assert build(content, output)[0] == 0
    assert _title(page) != alone
    assert "Magog" in _title(output / "magog/boutique-du-lac-2/index.html")
    _rebuild_matches_full(content, output, tmp_path)
    namesake.unlink()
    assert build(content, output)[0] == 0
    assert _title(page) == alone
    assert _bytes(_tree(output)) == _full_elsewhere(content, tmp_path)


def test_a_town_left_without_open_merchants_unlinks_kept_crumbs(content, tmp_path):
    """Close Rimouski's last open merchants: its page goes, and the closed café's page,
    itself unchanged, keeps Rimouski in its crumbs without a link. (Which towns have a page
    is also in the site key, through their feeds: both would have to miss it.)
    """
    output = tmp_path / "output"
    assert build(content, output)[0] == 0
    _append(content / "merchants/rimouski/bistro-lardoise.md", "added:", "status: closed\nadded:")
    _append(
        content / "merchants/rimouski/epicerie-du-quai.md",
        "status: temporarily_closed",
        "status: closed",
    )
    code, printed = build(content, output)
    assert code == 0, printed
    assert not (output / "rimouski/index.html").exists()
    _rebuild_matches_full(content, output, tmp_path)


# Settings that every page is planned from: kept pages must be planned again.
SETTINGS = {
    "today, a year on (stale listings)": {"BUYLOCAL_TODAY": "2027-11-20"},
    "site address": {"SITEURL": "https://achat.example.net"},
    "page size": {"BUYLOCAL_PAGE_SIZE": 1},
}


@pytest.mark.parametrize("setting", SETTINGS, ids=list(SETTINGS))
def test_changed_settings_plan_kept_pages_again(content, tmp_path, setting):
    output = tmp_path / "output"
    assert build(content, output)[0] == 0
    before = _tree(output)
    code, printed = build(content, output, **SETTINGS[setting])
    assert code == 0, printed
    assert _rewritten(before, _tree(output))
    assert _bytes(_tree(output)) == _full_elsewhere(content, tmp_path, **SETTINGS[setting])


def test_another_number_of_processes_reuses_every_page_and_cache(content, tmp_path, made):
    """A cache restored on a CI machine with more cores than the last one is still used."""
    output = tmp_path / "output"
    assert build(content, output, BUYLOCAL_WORKERS=1)[0] == 0
    code, unchanged = build(content, output, BUYLOCAL_WORKERS=1)
    assert code == 0, unchanged
    before = _tree(output)
    for found in made.values():
        found.clear()
    code, printed = build(content, output, BUYLOCAL_WORKERS=2)
    assert code == 0, printed
    assert pages_rendered(printed)[1] == pages_rendered(unchanged)[1] < 20, printed
    assert made == {"digests": [], "rows": [], "feeds": []}
    assert _tree(output) == before


def test_the_files_of_an_output_are_what_os_walk_lists_as_files(tmp_path):
    """files_under reads folder listings alone; it lists what os.walk did: files, links to
    files and broken links; a link to a folder is neither listed nor entered.
    """
    from buylocal.incremental import files_under

    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "index.html").write_text("x")
    (tmp_path / "a" / "b" / "index.html").write_text("x")
    (tmp_path / "a" / "page.html").write_text("x")
    (tmp_path / "empty").mkdir()
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    (outside / "inner").mkdir(parents=True)
    (outside / "inner" / "secret.html").write_text("x")
    (tmp_path / "linked-folder").symlink_to(outside)
    (tmp_path / "a" / "linked.html").symlink_to(tmp_path / "index.html")
    (tmp_path / "a" / "broken.html").symlink_to(tmp_path / "gone.html")

    expected = set()
    for dirpath, _dirnames, filenames in os.walk(tmp_path):
        relative = Path(dirpath).relative_to(tmp_path).as_posix()
        expected |= {name if relative == "." else f"{relative}/{name}" for name in filenames}
    assert expected == {
        "index.html",
        "a/page.html",
        "a/b/index.html",
        "a/linked.html",
        "a/broken.html",
    }
    assert files_under(tmp_path) == expected
