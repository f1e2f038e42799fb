"""The published JSON Schema of merchant files: up to date with the validator and content/data,
a valid draft 2020-12 schema, and of the same opinion as the validator on every fixture, except
for the cases listed in ONLY_THE_VALIDATOR.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from buylocal.merchants import EN_FIELDS, FIELDS, ReadContext, read_merchant
from buylocal.schema import (
    REQUIRED,
    SCHEMA_PATH,
    TEXT_LIMITS,
    merchant_schema,
    repository_reference,
    schema_text,
)
from conftest import FIXTURES, ROOT
from jsonschema import Draft202012Validator

FILES = FIXTURES / "merchant-files"
SMALL = FIXTURES / "small"
PUBLISHED = ROOT / SCHEMA_PATH
MODELINE = "# yaml-language-server: $schema=../../../schema/merchant.schema.json"
REGENERATE = "PYTHONPATH=plugins python -m buylocal.schema"

# Fixtures that the validator rejects and the schema accepts, on purpose: only the validator
# can judge them. This is exactly the set of disagreements: a new fixture on which the two
# disagree fails the test until schema.py learns the rule or the case is added here, with why.
ONLY_THE_VALIDATOR = {
    # 2021-02-30 has the shape of a date (editors also check "format: date": month 01-12, day
    # 01-31), but no regular expression knows the calendar.
    "bad-date": "bad_date",
    # Depends on the day the site is built.
    "future-date": "future_date",
    # Compares the values of two fields.
    "verified-before-added": "verified_before_added",
    # The OpenStreetMap opening_hours grammar is checked by a parser, not a pattern.
    "bad-hours": "bad_hours",
    # The image file must exist under content/images/, and be a JPEG, PNG or WebP by content.
    "image-missing": "image_missing",
    "image-not-an-image": "bad_image",
    # YAML-level problems: the parsed mapping an editor validates looks fine (the editor's YAML
    # parser reports the duplicate key itself; an alias is simply expanded).
    "yaml-alias": "yaml_alias",
    "yaml-duplicate-key": "yaml_duplicate_key",
}


class EditorLoader(yaml.SafeLoader):
    """YAML 1.2's core schema, the way the YAML language server reads front matter in editors.

    yaml.safe_load is YAML 1.1: `wheelchair: no` would become False and `added: 2021-01-01` a
    date, where an editor (and the JSON Schema) sees the texts "no" and "2021-01-01". Numbers
    are numbers: `lat: 48.4496` is 48.4496, `name: 1984` is 1984.
    """

    yaml_implicit_resolvers: dict = {}


for _tag, _pattern, _first in (
    ("null", r"~|null|Null|NULL|", [*"~nN", ""]),
    ("bool", r"true|True|TRUE|false|False|FALSE", [*"tTfF"]),
    ("int", r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+", [*"-+0123456789"]),
    (
        "float",
        r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN",
        [*"-+.0123456789"],
    ),
):
    EditorLoader.add_implicit_resolver(
        f"tag:yaml.org,2002:{_tag}", re.compile(rf"^(?:{_pattern})\Z"), _first
    )


def _core_int(loader, node):
    text = loader.construct_scalar(node)
    base = {"0o": 8, "0x": 16}.get(text[:2], 10)
    return int(text, base)  # YAML 1.2: "012" is twelve, not octal


EditorLoader.add_constructor("tag:yaml.org,2002:int", _core_int)


def front_matter(path: Path) -> dict | None:
    """The front matter as an editor sees it, or None if it is not a YAML mapping."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    lines = text.replace("\r\n", "\n").split("\n")
    if lines[0].rstrip() != "---":
        return None
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        return None
    try:
        values = yaml.load("\n".join(lines[1:end]), Loader=EditorLoader)  # a SafeLoader
    except yaml.YAMLError:
        return None
    return values if isinstance(values, dict) else None


@pytest.fixture(scope="module")
def fixture_schema(ctx) -> Draft202012Validator:
    """The schema as generated for the fixtures' data files (tests/fixtures/small/data)."""
    return Draft202012Validator(merchant_schema(ctx.reference))


def verdicts(path: Path, ctx: ReadContext, schema: Draft202012Validator):
    """(the validator's problem codes, the schema's error messages) for one file."""
    _, problems = read_merchant(path, path.name, "rimouski", path.stem, ctx)
    errors = [error.message for error in schema.iter_errors(front_matter(path))]
    return [problem.code for problem in problems], errors


# -- the published file ----------------------------------------------------------------------


def test_published_schema_is_up_to_date():
    reference, problems = repository_reference()
    assert problems == []
    fresh = schema_text(merchant_schema(reference))
    published = PUBLISHED.read_text(encoding="utf-8") if PUBLISHED.is_file() else ""
    up_to_date = published == fresh
    assert up_to_date, (
        f"{SCHEMA_PATH} is out of date with the validator or content/data: run {REGENERATE}"
    )


def test_schema_is_a_valid_draft_2020_12_schema():
    published = json.loads(PUBLISHED.read_text(encoding="utf-8"))
    assert published["$schema"] == Draft202012Validator.META_SCHEMA["$id"]
    Draft202012Validator.check_schema(published)
    Draft202012Validator.check_schema(merchant_schema())  # without data files: any key


def test_schema_describes_exactly_the_validators_fields():
    schema = merchant_schema()
    assert schema["additionalProperties"] is False
    assert set(schema["properties"]) == set(FIELDS)
    assert set(schema["properties"]["en"]["properties"]) == set(EN_FIELDS)
    for name, field in schema["properties"].items():  # French, then English in parentheses
        assert re.fullmatch(r"[^(]+ \(.+\)", field["description"], re.DOTALL), name


def test_published_schema_offers_the_keys_of_content_data():
    published = json.loads(PUBLISHED.read_text(encoding="utf-8"))
    reference, _ = repository_reference()
    properties = published["properties"]
    assert properties["categories"]["items"]["enum"] == list(reference.categories)
    assert properties["how_to_buy"]["items"]["enum"] == list(reference.how_to_buy)
    assert properties["delivery_area"]["items"]["enum"] == list(reference.towns)


# -- schema and validator agree --------------------------------------------------------------


def test_schema_rejects_exactly_what_the_validator_rejects(ctx, fixture_schema):
    disagreements = {}
    for path in sorted(FILES.glob("*.md")):
        if front_matter(path) is None:  # an editor shows a YAML or encoding error instead
            _, problems = read_merchant(path, path.name, "rimouski", path.stem, ctx)
            assert problems, f"{path.name} is not a YAML mapping but the validator accepts it"
            continue
        codes, errors = verdicts(path, ctx, fixture_schema)
        if bool(codes) != bool(errors):
            disagreements[path.stem] = (codes, errors)
    unexpected = {k: v for k, v in disagreements.items() if k not in ONLY_THE_VALIDATOR}
    assert unexpected == {}, "schema and validator disagree: fix schema.py or explain it"
    agreeing = sorted(set(ONLY_THE_VALIDATOR) - set(disagreements))
    assert agreeing == [], "they agree now: remove these from ONLY_THE_VALIDATOR"
    for name, (codes, errors) in disagreements.items():
        # Never the other way round: the schema does not refuse what the validator accepts.
        assert errors == [] and codes == [ONLY_THE_VALIDATOR[name]], (name, codes, errors)


def _probe(tmp_path: Path, field: str, value: str) -> Path:
    """valid-minimal.md with one field set to `value` (added or replaced)."""
    text = (FILES / "valid-minimal.md").read_text(encoding="utf-8")
    lines = text.split("\n")
    end = lines.index("---", 1)
    top, _, child = field.partition(".")
    front = [line for line in lines[1:end] if not line.startswith(f"{top}:")]
    if child:
        front += [f"{top}:", f"  {child}: {value}"]
    elif field == "tags":
        front += [f"tags: [{value}]"]
    elif field == "image_alt":
        front += ["image: merchants/cafe.png", f"image_alt: {value}"]
    else:
        front += [f"{field}: {value}"]
    path = tmp_path / "probe.md"
    path.write_text("\n".join(["---", *front, *lines[end:]]), encoding="utf-8")
    return path


# The limits read_merchant writes as literals, probed at the limit and one past it. Left out:
# image (the file must exist) and hours (a long value is not valid opening_hours).
@pytest.mark.parametrize("field", [f for f in TEXT_LIMITS if f not in ("image", "hours")])
def test_text_limits_are_the_validators(field, tmp_path, ctx, fixture_schema):
    limit = TEXT_LIMITS[field]
    for length, accepted in ((limit, True), (limit + 1, False)):
        codes, errors = verdicts(_probe(tmp_path, field, "a" * length), ctx, fixture_schema)
        assert (codes == [], errors == []) == (accepted, accepted), (length, codes, errors)


def test_the_number_of_tags_is_the_validators(tmp_path, ctx, fixture_schema):
    from buylocal.merchants import MAX_TAGS

    for count, accepted in ((MAX_TAGS, True), (MAX_TAGS + 1, False)):
        probe = _probe(tmp_path, "tags", ", ".join(["mot"] * count))
        codes, errors = verdicts(probe, ctx, fixture_schema)
        assert (codes == [], errors == []) == (accepted, accepted), (count, codes, errors)
    assert codes == ["list_length"]


@pytest.mark.parametrize("field", list(front_matter(FILES / "valid-minimal.md")))
def test_a_missing_field_gets_the_same_verdict(field, tmp_path, ctx, fixture_schema):
    text = (FILES / "valid-minimal.md").read_text(encoding="utf-8")
    path = tmp_path / "probe.md"
    path.write_text(re.sub(rf"(?m)^{field}:.*\n", "", text), encoding="utf-8")
    codes, errors = verdicts(path, ctx, fixture_schema)
    assert bool(codes) == bool(errors), (codes, errors)
    assert bool(codes) == (field in REQUIRED or field == "address")  # address: in_store


# -- the sample directory --------------------------------------------------------------------

SAMPLE_MERCHANTS = sorted((ROOT / "content" / "merchants").glob("*/*.md"))


def test_every_sample_merchant_validates_against_the_published_schema():
    schema = Draft202012Validator(json.loads(PUBLISHED.read_text(encoding="utf-8")))
    failures = {}
    for path in SAMPLE_MERCHANTS:
        values = front_matter(path)
        errors = ["not a YAML mapping"] if values is None else list(schema.iter_errors(values))
        if errors:
            failures[path.relative_to(ROOT).as_posix()] = [str(e).split("\n")[0] for e in errors]
    assert len(SAMPLE_MERCHANTS) >= 40
    assert failures == {}


def test_every_sample_merchant_points_editors_at_the_schema():
    missing = []
    for path in SAMPLE_MERCHANTS:
        lines = path.read_text(encoding="utf-8").split("\n")
        schema = path.parent / MODELINE.partition("$schema=")[2]
        if lines[1] != MODELINE or schema.resolve() != PUBLISHED.resolve():
            missing.append(path.relative_to(ROOT).as_posix())
    assert missing == [], f"add this line right after the first ---: {MODELINE}"


def test_vscode_settings_name_the_published_schema():
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    assert {ROOT / name for name in settings["yaml.schemas"]} == {ROOT / SCHEMA_PATH}
