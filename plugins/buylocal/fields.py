"""Checks of single field values, shared by merchant files, pages and data files.

A FieldChecker is bound to one file: each check returns the clean value, or None after
recording a Problem at the field's line.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from urllib.parse import urlsplit

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from .model import Geo, Localized, Phone
from .problems import Problem, closest

# Used with fullmatch: "$" alone would let a trailing newline through.
SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
KEY_RE = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")
_NUMBER_RE = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_URL_FORBIDDEN_RE = re.compile(r"[\s\"<>\\^`{|}]")
_HOST_LABEL_RE = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
_EXTENSION_RE = re.compile(r"(?:poste|p\.|ext\.?|x)\s?([0-9]{1,6})$", re.IGNORECASE)
MAX_PHONE = 40  # characters; bounds the work of the extension pattern
MISSING = (None, "", [], {})
_KEPT_FORMAT_CHARACTERS = {"\u200d"}  # zero-width joiner, part of some emoji


def suggest_slug(text: str, separator: str = "-") -> str:
    """The slug a volunteer most likely meant ("Café L'Étoile" -> "cafe-l-etoile")."""
    from slugify import slugify

    return slugify(text, separator=separator) or "commerce"


def clean_text(value: str) -> str:
    """Strip control and invisible format characters (such as a right-to-left override),
    private-use characters (they mean something only in their sender's font) and
    noncharacters (U+FFFF, U+FDD0...: XML forbids some, and one made the Atom feeds unreadable).
    """
    if value.isprintable():  # the common case, checked in C: nothing to strip
        return value.strip()
    return "".join(
        char
        for char in value
        if char in "\n"
        or char in _KEPT_FORMAT_CHARACTERS
        or (unicodedata.category(char) not in ("Cc", "Cf", "Co") and not _noncharacter(char))
    ).strip()


def _noncharacter(char: str) -> bool:
    code = ord(char)
    return 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE


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

    def fail(self, name: str, code: str, at: str | None = None, **params) -> None:
        """Record a problem of field `name`, at the line of `at` (an item of it) if given."""
        self.problems.append(Problem(self.path, self.line(at or name), name, code, params))

    # -- structure -------------------------------------------------------------------------

    def unknown_fields(self, values: dict, allowed, prefix: str = "") -> None:
        for key in values:
            if key not in allowed:
                self.fail(f"{prefix}{key}", "unknown_field", hint=closest(key, allowed))

    def required(self, values: dict, name: str, key: str | None = None) -> bool:
        if values.get(key or name) in MISSING:
            self.fail(name, "missing_field")
            return False
        return True

    def mapping(self, name: str, value) -> dict | None:
        if not isinstance(value, dict):
            self.fail(name, "not_mapping")
            return None
        return value

    # -- scalars ---------------------------------------------------------------------------

    def text(self, name: str, value, limit: int | None = None, one_line=True) -> str | None:
        if not isinstance(value, str):
            self.fail(name, "not_text")
            return None
        value = clean_text(value)
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

    def localized(
        self, name: str, value, limit: int | None = None, one_line: bool = True
    ) -> Localized | None:
        """One text for every language, or {fr: ..., en: ...}."""
        if isinstance(value, str):
            text = self.text(name, value, limit, one_line)
            return Localized({self.default_lang: text}, self.default_lang) if text else None
        if not isinstance(value, dict) or not value:
            self.fail(name, "not_localized_text")
            return None
        texts = {}
        for lang, text in value.items():
            if not re.fullmatch(r"[a-z]{2}", lang):
                self.fail(f"{name}.{lang}", "bad_language", value=lang)
                continue
            clean = self.text(f"{name}.{lang}", text, limit, one_line)
            if clean:
                texts[lang] = clean
        if self.default_lang not in value:
            self.fail(name, "missing_default_language", lang=self.default_lang)
            return None
        return Localized(texts, self.default_lang) if len(texts) == len(value) else None

    def choice(self, name: str, value, choices) -> str | None:
        if not isinstance(value, str) or value not in choices:
            hint = closest(value, choices) if isinstance(value, str) else None
            self.fail(name, "bad_choice", value=value, choices=", ".join(choices), hint=hint)
            return None
        return value

    def whole_number(self, name: str, value) -> int | None:
        if not isinstance(value, str) or not re.fullmatch(r"-?\d{1,6}", value):
            self.fail(name, "bad_number", value=value)
            return None
        return int(value)

    def day(self, name: str, value, today: date) -> date | None:
        parsed = None
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            try:
                parsed = date.fromisoformat(value)
            except ValueError:
                parsed = None
        if parsed is None:
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
            if not all(isinstance(v, str) and _NUMBER_RE.fullmatch(v) for v in value.values()):
                raise ValueError
            lat, lon = float(value["lat"]), float(value["lon"])
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):  # also refuses nan
                raise ValueError
        except ValueError:
            self.fail(name, "bad_geo")
            return None
        return Geo(lat, lon)

    def url(self, name: str, value) -> str | None:
        text = self.text(name, value)
        if text is None:
            return None
        try:
            parts = urlsplit(text)
            host = (parts.hostname or "").encode("idna").decode("ascii")
            labels = host.split(".")
            ok = (
                parts.scheme in ("http", "https")
                and len(labels) > 1
                and all(_HOST_LABEL_RE.fullmatch(label) for label in labels)
                and not parts.username
                and parts.port != 0  # parts.port raises ValueError past 65535
                and not _URL_FORBIDDEN_RE.search(text)
            )
        except (ValueError, UnicodeError):
            ok = False
        if not ok:
            self.fail(name, "bad_url", value=text)
            return None
        return text

    def phone(self, name: str, value) -> Phone | None:
        text = self.text(name, value, MAX_PHONE)
        if text is None:
            return None
        extension = _EXTENSION_RE.search(text)
        digits_part = text[: extension.start()].rstrip(" ,;") if extension else text
        try:
            number = phonenumbers.parse(digits_part, "CA")
            ok = number.country_code == 1 and phonenumbers.is_valid_number(number)
        except phonenumbers.NumberParseException:
            ok = False
        if not ok:
            self.fail(name, "bad_phone", value=text)
            return None
        digits = str(number.national_number)
        e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        ext = extension.group(1) if extension else None
        return Phone(f"{digits[:3]} {digits[3:6]}-{digits[6:]}", e164, ext)

    def email(self, name: str, value) -> str | None:
        text = self.text(name, value)
        if text is None:
            return None
        try:
            if re.search(r"[?&%=/#]", text):  # would add headers or a body to the mailto: link
                raise EmailNotValidError(text)
            return validate_email(text, check_deliverability=False).normalized
        except EmailNotValidError:
            self.fail(name, "bad_email", value=text)
            return None

    # -- lists -----------------------------------------------------------------------------

    def _list(self, name, value, example) -> list | None:
        if isinstance(value, str):
            return [value]  # "categories: restaurants" is a common, harmless shortcut
        if not isinstance(value, list):
            self.fail(name, "not_list", example=example)
            return None
        return value

    def key_list(self, name, value, choices, where, low=0, high=None, example="") -> tuple:
        """A list of keys of a data file, without duplicates."""
        items = self._list(name, value, example)
        if items is None:
            return ()
        if len(items) < low or (high is not None and len(items) > high):
            self.fail(name, "list_length", low=low, high=high, count=len(items))
        keys = []
        for index, item in enumerate(items):
            at = f"{name}.{index}"
            if item in MISSING:
                self.fail(name, "empty_item", at=at)
            elif not isinstance(item, str) or (choices is not None and item not in choices):
                hint = closest(item, choices) if isinstance(item, str) and choices else None
                self.fail(name, "unknown_key", at=at, value=item, where=where, hint=hint)
            elif item in keys:
                self.fail(name, "duplicate_item", at=at, value=item)
            else:
                keys.append(item)
        return tuple(keys)

    def text_list(self, name, value, limit=40, high=None) -> tuple:
        items = self._list(name, value, "mot1, mot2")
        if items is None:
            return ()
        if high is not None and len(items) > high:
            self.fail(name, "list_length", low=0, high=high, count=len(items))
            return ()
        texts = []
        for index, item in enumerate(items):
            if item in MISSING:
                self.fail(name, "empty_item", at=f"{name}.{index}")
            elif not isinstance(item, str):
                self.fail(name, "not_text", at=f"{name}.{index}")
            elif len(clean_text(item)) > limit:
                self.fail(name, "too_long", at=f"{name}.{index}", length=len(item), limit=limit)
            elif clean_text(item):
                texts.append(clean_text(item))
        return tuple(texts)
