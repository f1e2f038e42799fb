"""Checks of single field values, shared by merchant files, pages and data files.

A FieldChecker is bound to one file: each check returns the clean value, or None after
recording a Problem at the field's line.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from .model import Geo, Localized, Phone
from .problems import Problem, closest

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KEY_RE = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def suggest_slug(text: str, separator: str = "-") -> str:
    """The slug a volunteer most likely meant ("Café L'Étoile" -> "cafe-l-etoile")."""
    from slugify import slugify

    return slugify(text, separator=separator) or "commerce"


class FieldChecker:
    def __init__(self, path: str, lines: dict, default_lang: str, fallback_line: int = 1):
        self.path = path
        self.lines = lines
        self.default_lang = default_lang
        self.fallback_line = fallback_line
        self.problems: list[Problem] = []

    def line(self, name: str) -> int:
        while name:
            if name in self.lines:
                return self.lines[name]
            name = name.rpartition(".")[0]
        return self.fallback_line

    def fail(self, name: str, code: str, **params) -> None:
        self.problems.append(Problem(self.path, self.line(name), name, code, params))

    # -- structure -------------------------------------------------------------------------

    def unknown_fields(self, values: dict, allowed, prefix: str = "") -> None:
        for key in values:
            if key not in allowed:
                name = f"{prefix}{key}"
                self.fail(name, "unknown_field", hint=closest(key, allowed))

    def required(self, values: dict, name: str, key: str | None = None) -> bool:
        if values.get(key or name) in (None, "", []):
            self.fail(name, "missing_field")
            return False
        return True

    # -- scalars ---------------------------------------------------------------------------

    def text(self, name: str, value, limit: int | None = None, one_line=True) -> str | None:
        if not isinstance(value, str):
            self.fail(name, "not_text")
            return None
        value = _CONTROL_RE.sub("", value).strip()
        if not value:
            self.fail(name, "empty")
            return None
        if one_line and "\n" in value:
            self.fail(name, "multiline")
            return None
        if limit and len(value) > limit:
            self.fail(name, "too_long", length=len(value), limit=limit)
            return None
        return value

    def localized(self, name: str, value, limit: int | None = None) -> Localized | None:
        """One text for every language, or {fr: ..., en: ...}."""
        if isinstance(value, str):
            text = self.text(name, value, limit)
            return Localized({self.default_lang: text}, self.default_lang) if text else None
        if not isinstance(value, dict) or not value:
            self.fail(name, "not_localized_text")
            return None
        texts = {}
        for lang, text in value.items():
            if not re.fullmatch(r"[a-z]{2}", lang):
                self.fail(f"{name}.{lang}", "bad_language", value=lang)
                continue
            clean = self.text(f"{name}.{lang}", text, limit)
            if clean:
                texts[lang] = clean
        if self.default_lang not in value:
            self.fail(name, "missing_default_language", lang=self.default_lang)
            return None
        return Localized(texts, self.default_lang) if len(texts) == len(value) else None

    def choice(self, name: str, value, choices) -> str | None:
        if not isinstance(value, str) or value not in choices:
            self.fail(name, "bad_choice", value=value, choices=", ".join(choices))
            return None
        return value

    def day(self, name: str, value, today: date) -> date | None:
        try:
            parsed = date.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            parsed = None
        if parsed is None or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            self.fail(name, "bad_date", value=value)
            return None
        if parsed > today:
            self.fail(name, "future_date", value=value)
            return None
        return parsed

    def geo(self, name: str, value) -> Geo | None:
        try:
            if not isinstance(value, dict) or set(value) != {"lat", "lon"}:
                raise ValueError
            lat, lon = float(value["lat"]), float(value["lon"])
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise ValueError
        except (TypeError, ValueError):
            self.fail(name, "bad_geo")
            return None
        return Geo(lat, lon)

    def url(self, name: str, value) -> str | None:
        text = self.text(name, value)
        if text is None:
            return None
        try:
            parts = urlsplit(text)
            ok = parts.scheme in ("http", "https") and bool(parts.hostname)
            ok = ok and "." in parts.hostname and not re.search(r"\s", text)
        except ValueError:
            ok = False
        if not ok:
            self.fail(name, "bad_url", value=text)
            return None
        return text

    def phone(self, name: str, value) -> Phone | None:
        text = self.text(name, value)
        if text is None:
            return None
        try:
            number = phonenumbers.parse(text, "CA")
            ok = number.country_code == 1 and phonenumbers.is_valid_number(number)
        except phonenumbers.NumberParseException:
            ok = False
        if not ok:
            self.fail(name, "bad_phone", value=text)
            return None
        digits = str(number.national_number)
        display = f"{digits[:3]} {digits[3:6]}-{digits[6:]}"
        if number.extension:
            display += f", poste {number.extension}"
        return Phone(
            display, phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        )

    def email(self, name: str, value) -> str | None:
        text = self.text(name, value)
        if text is None:
            return None
        try:
            return validate_email(text, check_deliverability=False).normalized
        except EmailNotValidError:
            self.fail(name, "bad_email", value=text)
            return None

    # -- lists -----------------------------------------------------------------------------

    def key_list(self, name, value, choices, where, low=0, high=None, example="") -> tuple:
        """A list of keys of a data file, without duplicates."""
        if isinstance(value, str):
            value = [value]  # "categories: restaurants" is a common, harmless shortcut
        if not isinstance(value, list):
            self.fail(name, "not_list", example=example)
            return ()
        if len(value) < low or (high is not None and len(value) > high):
            self.fail(name, "list_length", low=low, high=high or "∞", count=len(value))
        keys = []
        for index, item in enumerate(value):
            item_name = f"{name}.{index}"
            if not isinstance(item, str) or item not in choices:
                hint = closest(item, choices) if isinstance(item, str) else None
                self.problems.append(
                    Problem(
                        self.path,
                        self.line(item_name),
                        name,
                        "unknown_key",
                        {"value": item, "where": where, "hint": hint},
                    )
                )
            elif item in keys:
                self.fail(name, "duplicate_item", value=item)
            else:
                keys.append(item)
        return tuple(keys)

    def text_list(self, name, value, limit=40) -> tuple:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.fail(name, "not_list", example="mot1, mot2")
            return ()
        items = [self.text(f"{name}.{i}", item, limit) for i, item in enumerate(value)]
        return tuple(item for item in items if item)
