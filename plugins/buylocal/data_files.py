"""The three data files (towns, categories, ways to buy) to validated reference objects."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from slugify import slugify

from . import incremental, urls
from .fields import KEY_RE, FieldChecker, suggest_slug
from .frontmatter import YamlProblem, load_mapping, read_text
from .model import Category, HowToBuy, Town
from .problems import Problem

TOWNS_FILE = "towns.yml"
CATEGORIES_FILE = "categories.yml"
HOW_TO_BUY_FILE = "how-to-buy.yml"

_KINDS = {TOWNS_FILE: "towns", CATEGORIES_FILE: "categories", HOW_TO_BUY_FILE: "how_to_buy"}
_ENTRY_FIELDS = {
    TOWNS_FILE: ("name", "region", "geo", "description"),
    CATEGORIES_FILE: ("name", "description", "schema_type"),
    HOW_TO_BUY_FILE: ("name", "description"),
}


@incremental.site_wide
@dataclass(frozen=True, slots=True)
class Reference:
    """What merchant files may refer to, by key, in file order."""

    towns: dict[str, Town]
    categories: dict[str, Category]
    how_to_buy: dict[str, HowToBuy]
    # Per kind ("towns", ...), the keys a merchant may name: valid entries and entries with
    # problems of their own (one bad entry is one error, not one more per merchant using it);
    # None when the file itself could not be read, so merchants are not checked against it.
    known_keys: dict = field(default_factory=dict)

    def known(self, kind: str) -> frozenset | None:
        return self.known_keys.get(kind, frozenset(getattr(self, kind)))


def read_reference(
    data_dir: Path, display_dir: str, default_lang: str, max_bytes: int
) -> tuple[Reference, list[Problem]]:
    problems: list[Problem] = []
    built, known = {}, {}
    for file_name, build in (
        (TOWNS_FILE, _town),
        (CATEGORIES_FILE, _category),
        (HOW_TO_BUY_FILE, _how_to_buy),
    ):
        display = f"{display_dir}/{file_name}"
        entries, file_problems, keys = _read_entries(
            data_dir / file_name, display, default_lang, max_bytes, file_name, build
        )
        built[file_name] = entries
        known[_KINDS[file_name]] = None if keys is None else frozenset(keys)
        problems += file_problems
    reference = Reference(built[TOWNS_FILE], built[CATEGORIES_FILE], built[HOW_TO_BUY_FILE], known)
    return reference, problems


def _read_entries(path: Path, display: str, default_lang, max_bytes, file_name, build):
    if path.is_symlink():
        return {}, [Problem(display, 1, "", "symlink")], None
    if not path.is_file():
        return {}, [Problem(display, 1, "", "missing_data_file")], None
    text, problems = read_text(path, display, max_bytes)
    if text is None:
        return {}, problems, None
    try:
        values, lines = load_mapping(text)
    except YamlProblem as problem:
        params = problem.params
        return {}, [Problem(display, problem.line, problem.field, problem.code, params)], None
    check = FieldChecker(display, lines, default_lang)
    if not values:
        check.fail("", "empty_data_file")
        return {}, check.problems, None
    entries = {}
    for key, entry in values.items():
        if not KEY_RE.fullmatch(key):
            check.fail(key, "bad_key", value=key, suggestion=suggest_slug(key, "-"))
            continue
        if file_name == TOWNS_FILE and key in urls.RESERVED:
            check.fail(key, "reserved_key", value=key, url=urls.RESERVED[key])
            continue
        if not isinstance(entry, dict):
            check.fail(key, "not_mapping")
            continue
        check.unknown_fields(entry, _ENTRY_FIELDS[file_name], prefix=f"{key}.")
        item = build(key, entry, check)
        if item is not None:
            entries[key] = item
    return entries, check.problems, set(values)


def _name_and_description(key, entry, check):
    name = (
        check.localized(f"{key}.name", entry.get("name"))
        if check.required(entry, f"{key}.name", "name")
        else None
    )
    description = None
    if entry.get("description") is not None:
        description = check.localized(f"{key}.description", entry["description"])
    return name, description


def _town(key, entry, check):
    name, description = _name_and_description(key, entry, check)
    region = None
    if check.required(entry, f"{key}.region", "region"):
        region = check.localized(f"{key}.region", entry["region"])
    geo = check.geo(f"{key}.geo", entry["geo"]) if entry.get("geo") is not None else None
    if name and region:
        return Town(key, name, region, geo, description)
    return None


def _category(key, entry, check):
    name, description = _name_and_description(key, entry, check)
    schema_type = entry.get("schema_type") or "LocalBusiness"
    if not isinstance(schema_type, str) or not re.fullmatch(r"[A-Z][A-Za-z]+", schema_type):
        check.fail(
            f"{key}.schema_type",
            "bad_choice",
            value=schema_type,
            choices="LocalBusiness, Restaurant, Bakery, …",
        )
        return None
    return Category(key, name, description, schema_type) if name else None


def _how_to_buy(key, entry, check):
    name, description = _name_and_description(key, entry, check)
    return HowToBuy(key, name, description) if name else None


_SEPARATORS = re.compile(r"[;,\n]")


def fold(text: str) -> str:
    """Text compared without case, accents, spaces or punctuation ("Val-d’Or" -> "valdor")."""
    return slugify(text or "").replace("-", "")


class KeyFinder:
    """Keys of a data file from their key or their name in any language, loosely written."""

    def __init__(self, entries: dict):
        self.keys = list(entries)
        self.by_fold: dict[str, str] = {}
        for key in entries:
            self.by_fold.setdefault(fold(key), key)
        for key, entry in entries.items():
            for name in entry.name.texts.values():
                self.by_fold.setdefault(fold(name), key)

    def find(self, text: str) -> str | None:
        return self.by_fold.get(fold(text)) if fold(text) else None

    def keys_of(self, cell: str) -> list[str]:
        """Each item of a list cell as a key when one matches; as written otherwise, so
        that the validator names it and suggests the closest key.
        """
        return [self.find(item) or item for item in split_list(cell)]


def split_list(cell: str) -> list[str]:
    return [item.strip() for item in _SEPARATORS.split(cell) if item.strip()]
