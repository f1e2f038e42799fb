"""The reader and validator: one fixture file per kind of bad input, each with its message."""

from __future__ import annotations

import dataclasses
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from buylocal.merchants import ReadContext, read_merchant
from conftest import FIXTURES

FILES = FIXTURES / "merchant-files"
SMALL = FIXTURES / "small"


def read(name: str, ctx: ReadContext):
    path = FILES / f"{name}.md"
    return read_merchant(path, f"{name}.md", "rimouski", name, ctx)


def test_minimal_file_gives_a_merchant_with_defaults(ctx):
    merchant, problems = read("valid-minimal", ctx)
    assert problems == []
    assert merchant.name == "Café Test"
    assert merchant.verified == merchant.added == date(2021, 1, 1)
    assert merchant.languages == ("fr",)
    assert merchant.status == "open"
    assert merchant.description_html == "<p>Un café.</p>"


def test_complete_file_keeps_every_field(ctx):
    merchant, problems = read("valid-complete", ctx)
    assert problems == []
    assert merchant.categories == ("restaurants", "epiceries")
    assert merchant.phone.e164 == "+14185550142"
    assert merchant.phone.display == "418 555-0142"
    assert merchant.email.lower() == "info@example.org"
    assert merchant.wheelchair == "no"  # YAML 1.1 would have made this False
    assert merchant.delivery_area == ("rimouski", "magog")
    assert merchant.en["name"] == "The Slate Bistro"
    assert merchant.en["description_html"] == "<p>A family bistro.</p>"
    assert merchant.status == "temporarily_closed"
    # A volunteer's "# Titre" sits under the page's h1 and h2: it becomes an h3.
    assert merchant.description_html.startswith("<h3>Titre</h3>")


# case -> (line, field, message code). Lines are counted in the file, from 1.
BAD_FILES = {
    "not-utf8": (2, "", "not_utf8"),
    "no-front-matter": (1, "", "no_front_matter"),
    "unclosed-front-matter": (1, "", "unclosed_front_matter"),
    "yaml-bad-indentation": (5, "", "yaml_syntax"),
    "yaml-tab": (4, "", "yaml_syntax"),
    "yaml-alias": (5, "summary", "yaml_alias"),
    "yaml-python-tag": (2, "name", "yaml_tag"),
    "yaml-duplicate-key": (7, "name", "yaml_duplicate_key"),
    "yaml-not-mapping": (2, "", "not_mapping"),
    "unknown-field": (6, "adress", "unknown_field"),
    "missing-name": (1, "name", "missing_field"),
    "in-store-without-address": (1, "address", "required_because"),
    "phone-order-without-phone": (1, "phone", "required_because"),
    "online-shop-without-url": (1, "shop_url", "required_because"),
    "delivery-area-without-delivery": (6, "delivery_area", "only_with"),
    "summary-too-long": (6, "summary", "too_long"),
    "summary-multiline": (6, "summary", "multiline"),
    "too-many-categories": (3, "categories", "list_length"),
    "category-typo": (3, "categories", "unknown_key"),
    "how-to-buy-unknown": (4, "how_to_buy", "unknown_key"),
    "bad-date": (7, "added", "bad_date"),
    "future-date": (7, "added", "future_date"),
    "verified-before-added": (8, "verified", "verified_before_added"),
    "bad-geo": (7, "geo", "bad_geo"),
    "bad-phone": (6, "phone", "bad_phone"),
    "bad-email": (7, "email", "bad_email"),
    "bad-url-javascript": (7, "website", "bad_url"),
    "bad-url-no-scheme": (7, "facebook", "bad_url"),
    "bad-hours": (7, "hours", "bad_hours"),
    "bad-language": (7, "languages", "bad_language"),
    "bad-wheelchair": (7, "wheelchair", "bad_choice"),
    "bad-status": (7, "status", "bad_choice"),
    "image-without-alt": (7, "image_alt", "missing_field"),
    "image-outside-images": (7, "image", "bad_image_path"),
    "image-missing": (7, "image", "image_missing"),
    "image-not-an-image": (7, "image", "bad_image"),
    "image-path-with-space": (7, "image", "bad_image_path"),
    "null-name": (2, "name", "missing_field"),
    "empty-map-summary": (5, "summary", "missing_field"),
    "null-address-in-store": (6, "address", "required_because"),
    "yaml-unclosed-quote": (5, "", "yaml_syntax"),
    "yaml-colon-in-value": (5, "", "yaml_syntax"),
    "bad-email-headers": (7, "email", "bad_email"),
    "bad-url-userinfo": (7, "website", "bad_url"),
    "bad-geo-decimal-comma": (7, "geo", "bad_geo"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_file_gets_one_located_problem(case, ctx):
    merchant, problems = read(case, ctx)
    line, field, code = BAD_FILES[case]
    assert merchant is None
    assert [(p.line, p.field, p.code) for p in problems] == [(line, field, code)]
    french, english = problems[0].format("fr"), problems[0].format("en")
    assert french.startswith(f"{case}.md:{line}:")
    assert french != english
    assert not re.search(r"\{[a-z_]+\}", french + english)  # every placeholder filled


def test_empty_optional_fields_are_absent_and_text_is_cleaned(ctx):
    merchant, problems = read("valid-empty-optional-fields", ctx)
    assert problems == []
    assert merchant.verified == merchant.added  # "verified:" left empty
    assert merchant.categories == ("restaurants",)  # one key without brackets
    assert merchant.en == {} and merchant.tags == ()
    assert merchant.summary == "Un café à l'envers"  # no right-to-left override
    assert merchant.phone.uri == "tel:+14185550142;ext=12"


def test_yaml_messages_say_what_to_do(ctx):
    _, [problem] = read("yaml-colon-in-value", ctx)
    assert "mettez-la entre guillemets" in problem.format("fr")
    _, [problem] = read("yaml-duplicate-key", ctx)
    assert "aussi à la ligne 2" in problem.format("fr")


def test_deep_nesting_is_an_error_not_a_crash(tmp_path, ctx):
    path = tmp_path / "deep.md"
    path.write_text("---\ntags: " + "[" * 900 + "]" * 900 + "\n---\n")
    merchant, problems = read_merchant(path, "deep.md", "rimouski", "deep", ctx)
    assert merchant is None
    assert [p.code for p in problems] == ["yaml_too_deep"]


def test_every_problem_of_a_file_is_reported_at_once(ctx):
    merchant, problems = read("many-problems", ctx)
    codes = {(p.field, p.code) for p in problems}
    assert codes == {
        ("categories", "unknown_key"),
        ("address", "required_because"),
        ("website", "bad_url"),
        ("added", "bad_date"),
    }


def test_typos_get_the_closest_valid_key(ctx):
    _, problems = read("category-typo", ctx)
    assert "« restaurants »" in problems[0].format("fr")
    assert "did you mean 'restaurants'?" in problems[0].format("en")
    _, problems = read("unknown-field", ctx)
    assert "« address »" in problems[0].format("fr")


def test_tab_indentation_is_named(ctx):
    _, problems = read("yaml-tab", ctx)
    assert "tabulation" in problems[0].format("fr")
    assert "tab is used" in problems[0].format("en")


def test_billion_laughs_is_refused_quickly(tmp_path, ctx):
    lines = ["---", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 10):
        previous = chr(ord("a") + level - 1)
        name = chr(ord("a") + level)
        lines.append(f"{name}: &{name} [{', '.join(['*' + previous] * 9)}]")
    lines += ["---", ""]
    path = tmp_path / "lol.md"
    path.write_text("\n".join(lines))
    merchant, problems = read_merchant(path, "lol.md", "rimouski", "lol", ctx)
    assert merchant is None
    assert [p.code for p in problems] == ["yaml_alias"]


def test_oversized_file_is_refused(tmp_path, ctx):
    path = tmp_path / "big.md"
    path.write_bytes(b"---\nname: x\n---\n" + b"a" * 70_000)
    _, problems = read_merchant(path, "big.md", "rimouski", "big", ctx)
    assert [p.code for p in problems] == ["too_large"]


def test_markdown_cannot_carry_active_content(tmp_path, ctx):
    text = (
        (FILES / "valid-minimal.md")
        .read_text()
        .replace(
            "Un café.",
            "<script>alert(1)</script><img src=x onerror=alert(1)> [a](javascript:alert(1)) "
            "[b](JaVaScRiPt:alert(1)) <iframe src=https://example.org></iframe> [ok](https://example.org)",
        )
    )
    path = tmp_path / "x.md"
    path.write_text(text)
    merchant, problems = read_merchant(path, "x.md", "rimouski", "x", ctx)
    assert problems == []
    html = merchant.description_html.lower()
    for forbidden in ("<script", "<iframe", "<img"):
        assert forbidden not in html  # raw HTML is shown as text: "&lt;script&gt;"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert not re.search(r"<[a-z][^>]*\son\w+=", html)  # no element has an on* attribute
    assert re.findall(r'href="([^"]*)"', html) == ["https://example.org"]
    assert html.count("<a ") == 1  # the refused links keep their words, not an <a> without href


def _tree(tmp_path: Path) -> Path:
    """A copy of the small fixture tree, for cases about where files are."""
    tree = tmp_path / "content"
    shutil.copytree(SMALL, tree)
    return tree


def test_file_name_that_is_not_a_slug_gets_a_suggestion(tmp_path):
    from buylocal.content import read_content
    from buylocal.settings import site_config

    tree = _tree(tmp_path)
    shutil.copy(FILES / "valid-minimal.md", tree / "merchants" / "rimouski" / "Café Été.md")
    config = site_config({"PATH": str(tree), "BUYLOCAL_TODAY": "2026-11-20"})
    _, problems = read_content(config)
    assert [p.code for p in problems] == ["bad_slug"]
    assert "« cafe-ete »" in problems[0].format("fr")


@pytest.mark.parametrize("slug", ["affiche", "imprimer", "categories", "comment-acheter", "page"])
def test_file_name_of_a_town_page_is_refused(tmp_path, slug):
    from buylocal.content import read_content
    from buylocal.settings import site_config

    tree = _tree(tmp_path)
    shutil.copy(FILES / "valid-minimal.md", tree / "merchants" / "rimouski" / f"{slug}.md")
    config = site_config({"PATH": str(tree), "BUYLOCAL_TODAY": "2026-11-20"})
    _, problems = read_content(config)
    assert [p.code for p in problems] == ["reserved_slug"]
    assert f"(/rimouski/{slug}/)" in problems[0].format("fr")
    assert f"« {slug}-rimouski »" in problems[0].format("fr")


def test_unknown_town_folder_and_misplaced_file(tmp_path):
    from buylocal.content import read_content
    from buylocal.settings import site_config

    tree = _tree(tmp_path)
    (tree / "merchants" / "rimousky").mkdir()
    shutil.copy(FILES / "valid-minimal.md", tree / "merchants" / "rimousky" / "cafe.md")
    shutil.copy(FILES / "valid-minimal.md", tree / "merchants" / "cafe.md")
    config = site_config({"PATH": str(tree), "BUYLOCAL_TODAY": "2026-11-20"})
    _, problems = read_content(config)
    assert sorted(p.code for p in problems) == ["misplaced_file", "unknown_town_folder"]
    town_problem = next(p for p in problems if p.code == "unknown_town_folder")
    assert "« rimouski »" in town_problem.format("fr")


@pytest.mark.parametrize("name", ["cafe.MD", "cafe.markdown", "cafe.md.txt"])
def test_files_that_would_be_silently_ignored_are_errors(tmp_path, name):
    from buylocal.content import read_content
    from buylocal.settings import site_config

    tree = _tree(tmp_path)
    shutil.copy(FILES / "valid-minimal.md", tree / "merchants" / "rimouski" / name)
    config = site_config({"PATH": str(tree), "BUYLOCAL_TODAY": "2026-11-20"})
    _, problems = read_content(config)
    assert [(p.line, p.code) for p in problems] == [(1, "misplaced_file")]


def test_symlink_out_of_content_is_refused(tmp_path):
    from buylocal.content import read_content
    from buylocal.settings import site_config

    tree = _tree(tmp_path)
    secret = tmp_path / "secret.md"
    shutil.copy(FILES / "valid-minimal.md", secret)
    (tree / "merchants" / "rimouski" / "lien.md").symlink_to(secret)
    config = site_config({"PATH": str(tree), "BUYLOCAL_TODAY": "2026-11-20"})
    _, problems = read_content(config)
    assert [p.code for p in problems] == ["symlink"]


def test_a_file_gone_between_listing_and_reading_is_a_problem_not_a_traceback(
    tmp_path, monkeypatch
):
    from buylocal import content
    from buylocal.settings import site_config

    tree = _tree(tmp_path)
    gone = tree / "merchants" / "rimouski" / "parti.md"
    shutil.copy(FILES / "valid-minimal.md", gone)
    listed = content._merchant_files

    def listing_then_deleting(folder):
        found = list(listed(folder))
        gone.unlink()  # as a `git checkout` of another branch might, mid-build
        return found

    monkeypatch.setattr(content, "_merchant_files", listing_then_deleting)
    config = site_config({"PATH": str(tree), "BUYLOCAL_TODAY": "2026-11-20"})
    _, problems = content.read_content(config)
    assert [(p.path.rsplit("/", 1)[-1], p.code) for p in problems] == [
        ("parti.md", "unreadable_file")
    ]
    assert problems[0].message("fr").startswith("le fichier ne peut pas être lu (")


@pytest.mark.parametrize(
    ("file_name", "text", "expected"),
    [
        ("towns.yml", "rimouski:\n  name: Rimouski\n", [(1, "rimouski.region", "missing_field")]),
        (
            "towns.yml",
            "Saint-Jean:\n  name: Saint-Jean\n  region: X\n",
            [(1, "Saint-Jean", "bad_key")],
        ),
        ("towns.yml", "villes:\n  name: Villes\n  region: X\n", [(1, "villes", "reserved_key")]),
        (
            "categories.yml",
            "restaurants:\n  nom: Restaurants\n",
            [(2, "restaurants.nom", "unknown_field"), (1, "restaurants.name", "missing_field")],
        ),
        (
            "how-to-buy.yml",
            "in_store:\n  name: {en: In store}\n",
            [(2, "in_store.name", "missing_default_language")],
        ),
        ("how-to-buy.yml", "- in_store\n", [(1, "", "not_mapping")]),
        ("towns.yml", "", [(1, "", "empty_data_file")]),
        (
            "categories.yml",
            "restaurants:\n  name: Restaurants\n  schema_type: restaurant\n",
            [(3, "restaurants.schema_type", "bad_choice")],
        ),
    ],
)
def test_bad_data_files(tmp_path, file_name, text, expected):
    from buylocal.content import read_content
    from buylocal.settings import site_config

    tree = _tree(tmp_path)
    shutil.rmtree(tree / "merchants")
    (tree / "data" / file_name).write_text(text)
    config = site_config({"PATH": str(tree), "BUYLOCAL_TODAY": "2026-11-20"})
    _, problems = read_content(config)
    assert [(p.line, p.field, p.code) for p in problems] == expected
    assert all(p.path.endswith(f"data/{file_name}") for p in problems)


def test_a_bad_data_entry_is_one_error_not_one_per_merchant(tmp_path):
    from buylocal.content import read_content
    from buylocal.settings import site_config

    tree = _tree(tmp_path)
    categories = tree / "data" / "categories.yml"
    categories.write_text(categories.read_text().replace("name: {fr: Restaurants", "nom: {fr: R"))
    config = site_config({"PATH": str(tree), "BUYLOCAL_TODAY": "2026-11-20"})
    _, problems = read_content(config)
    assert {(p.path.rsplit("/", 1)[-1], p.field, p.code) for p in problems} == {
        ("categories.yml", "restaurants.nom", "unknown_field"),
        ("categories.yml", "restaurants.name", "missing_field"),
    }


def test_missing_data_file(tmp_path):
    from buylocal.content import read_content
    from buylocal.settings import site_config

    tree = _tree(tmp_path)
    (tree / "data" / "categories.yml").unlink()
    config = site_config({"PATH": str(tree), "BUYLOCAL_TODAY": "2026-11-20"})
    _, problems = read_content(config)
    assert "missing_data_file" in [p.code for p in problems]


# Found by a second, adversarial review: each once crashed, hung or misreported.


def _write(tmp_path, text: str):
    path = tmp_path / "x.md"
    path.write_text(text)
    return path


MINIMAL = (FILES / "valid-minimal.md").read_text()


def test_deep_flow_nesting_does_not_crash_libyaml(tmp_path, ctx):
    path = _write(tmp_path, "---\nname: " + "[" * 25000 + "]" * 25000 + "\n---\n")
    merchant, problems = read_merchant(path, "x.md", "rimouski", "x", ctx)
    assert [(p.line, p.code) for p in problems] == [(2, "yaml_too_deep")]


def test_deeply_nested_markdown_is_an_error(tmp_path, ctx):
    path = _write(tmp_path, MINIMAL.replace("Un café.", "- " * 1000 + "x"))
    _, problems = read_merchant(path, "x.md", "rimouski", "x", ctx)
    assert [(p.line, p.field, p.code) for p in problems] == [
        (9, "description", "description_too_deep")
    ]


@pytest.mark.parametrize("where", ["body", "en.description"])
def test_a_description_of_many_brackets_is_refused_before_markdown_sees_it(tmp_path, ctx, where):
    """Python-Markdown took 52 s over 19,999 "[": such a text never reaches it."""
    from buylocal.merchants import MAX_BRACKETS

    hostile = "[" * 19_999
    if where == "body":
        text = MINIMAL.replace("Un café.", hostile)
    else:
        text = MINIMAL.replace("added:", f"en:\n  description: '{hostile}'\nadded:")
    converted = []
    context = dataclasses.replace(ctx, render=lambda text, **_: converted.append(text) or "")
    _, problems = read_merchant(_write(tmp_path, text), "x.md", "rimouski", "x", context)
    field = "description" if where == "body" else "en.description"
    assert [(p.field, p.code) for p in problems] == [(field, "too_many_brackets")]
    assert not any(hostile in text for text in converted)  # Markdown never saw it
    message = problems[0].format("fr")
    assert "19999 crochets" in message and f"au plus {MAX_BRACKETS}" in message
    # Fifty links are fine.
    links = " ".join(["[site](https://example.org/)"] * MAX_BRACKETS)
    merchant, problems = read_merchant(
        _write(tmp_path, MINIMAL.replace("Un café.", links)), "x.md", "rimouski", "x", ctx
    )
    assert problems == [] and merchant.description_html.count("<a ") == MAX_BRACKETS


def test_a_huge_phone_value_is_refused_at_once(tmp_path, ctx):
    text = MINIMAL.replace("added:", 'phone: "418' + " " * 60000 + '5550142"\nadded:')
    _, problems = read_merchant(_write(tmp_path, text), "x.md", "rimouski", "x", ctx)
    assert [(p.field, p.code) for p in problems] == [("phone", "too_long")]


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ("image: merchants/cafe.png/\nimage_alt: Un café", "bad_image_path"),
        ("website: https://a..b/", "bad_url"),
        ("website: https://-.-", "bad_url"),
        ("website: http://example.org:0/", "bad_url"),
        ("email: a#b@example.org", "bad_email"),
        ("!foo tags: [x]", "yaml_tag"),
    ],
)
def test_more_bad_values(tmp_path, ctx, line, code):
    text = MINIMAL.replace("added:", f"{line}\nadded:")
    _, problems = read_merchant(_write(tmp_path, text), "x.md", "rimouski", "x", ctx)
    assert [p.code for p in problems] == [code]


@pytest.mark.parametrize(
    "url", ["https://example.org/menu/l'ardoise", "https://café.example.ca/", "http://a.ca:8080/"]
)
def test_valid_urls_are_accepted(tmp_path, ctx, url):
    text = MINIMAL.replace("added:", f'website: "{url}"\nadded:')
    merchant, problems = read_merchant(_write(tmp_path, text), "x.md", "rimouski", "x", ctx)
    assert problems == [] and merchant.website == url


def test_unicode_line_separators_do_not_shift_line_numbers(tmp_path, ctx):
    text = MINIMAL.replace("summary: Un café de quartier.", 'summary: "Un\u2028café"').replace(
        "categories: [restaurants]", "categories: [restaurant]"
    )
    _, problems = read_merchant(_write(tmp_path, text), "x.md", "rimouski", "x", ctx)
    assert [(p.line, p.field) for p in problems] == [(3, "categories")]


def test_an_unreadable_data_file_does_not_flood_merchants_with_errors(tmp_path):
    from buylocal.content import read_content
    from buylocal.settings import site_config

    tree = _tree(tmp_path)
    ways = tree / "data" / "how-to-buy.yml"
    ways.write_text(ways.read_text() + "extra:\n\tname: X\n")
    config = site_config({"PATH": str(tree), "BUYLOCAL_TODAY": "2026-11-20"})
    _, problems = read_content(config)
    assert [(p.path.rsplit("/", 1)[-1], p.code) for p in problems] == [
        ("how-to-buy.yml", "yaml_syntax")
    ]


def test_a_tree_without_merchants_is_an_error(tmp_path):
    from buylocal.content import read_content
    from buylocal.settings import site_config

    tree = _tree(tmp_path)
    config = site_config(
        {"PATH": str(tree), "BUYLOCAL_TODAY": "2026-11-20", "BUYLOCAL_MERCHANTS_DIR": "commerces"}
    )
    _, problems = read_content(config)
    assert [p.code for p in problems] == ["no_merchants"]
