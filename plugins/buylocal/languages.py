"""The site's languages: where each one lives, its gettext catalog, and a merchant's text in
one language with the French text as the fallback.

French is the language of the merchant files and of every msgid; the default language's
pages are at the site root and the other's under "<lang>/" (/en/rimouski/…). A town's theme
may bring its own catalog (translations/<lang>/LC_MESSAGES/messages.po); messages it does not
translate come from the project's.
"""

from __future__ import annotations

import gettext
import io
import re
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations

SUPPORTED = ("fr", "en")
LOCALES = {"fr": "fr_CA", "en": "en_CA"}  # Babel's and Open Graph's names
NAMES = {"fr": "Français", "en": "English"}  # each in its own language, for the switcher
CONTENT_LANG = "fr"  # the language of merchant files, data files and msgids
PROJECT_CATALOGS = Path(__file__).resolve().parents[2] / "theme" / "translations"
DOMAIN = "messages"


def prefix(lang: str, default_lang: str) -> str:
    """Where a language's pages live, from the site root: "" or "en/"."""
    return "" if lang == default_lang else f"{lang}/"


# French puts a space before « : ; ? ! » and inside « guillemets »: a no-break one, so that a
# phone's narrow screen never starts a line with the colon.
_FRENCH_SPACES = re.compile(r" (?=[:;?!»])|(?<=«) ")


def french_spaces(text: str) -> str:
    return _FRENCH_SPACES.sub("\u00a0", text)


class Catalog:
    """gettext for one language, with French typography on French messages."""

    def __init__(self, lang: str, translations: gettext.NullTranslations):
        self.lang = lang
        self.translations = translations
        self._cache: dict = {}
        self._numbers: dict = {}

    def gettext(self, message: str) -> str:
        text = self._cache.get(message)
        if text is None:
            text = self._cache[message] = self._fix(self.translations.gettext(message))
        return text

    def ngettext(self, singular: str, plural: str, number: int) -> str:
        return self._fix(self.translations.ngettext(singular, plural, number))

    def _fix(self, text: str) -> str:
        return french_spaces(text) if self.lang == "fr" else text

    def number(self, value: int) -> str:
        """A count as the language writes it: « 1 234 » in French, "1,234" in English."""
        text = self._numbers.get(value)
        if text is None:  # Babel's formatting costs more than the rest of a page's heading
            text = self._numbers[value] = format_decimal(value, locale=LOCALES[self.lang])
        return text

    def punctuation(self, mark: str = ":") -> str:
        """A colon or semicolon between two parts: " : " in French, ": " in English."""
        return f"\u00a0{mark} " if self.lang == "fr" else f"{mark} "


def catalog_path(lang: str, translations_dir: Path = PROJECT_CATALOGS) -> Path:
    return translations_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def catalog_files(lang: str, theme_dir: str | None = None) -> list[Path]:
    """The .po files a language's messages come from, the town theme's first."""
    if lang == CONTENT_LANG:
        return []
    files = [catalog_path(lang)]
    if theme_dir:
        own = catalog_path(lang, Path(theme_dir) / "translations")
        if own.is_file() and own.resolve() != files[0].resolve():
            files.insert(0, own)
    return files


def translations(lang: str, theme_dir: str | None = None) -> Catalog:
    """The catalog of one language, compiled in memory from its .po files (no .mo in git to
    fall out of date); compiled again when a file changed. French msgids need no catalog.
    """
    stamps = tuple(
        (str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in catalog_files(lang, theme_dir)
    )
    return _catalog(lang, stamps)


@lru_cache(maxsize=8)
def _catalog(lang: str, stamps: tuple) -> Catalog:
    result = gettext.NullTranslations()
    for path, _mtime, _size in reversed(stamps):  # the project's first, then the town's
        compiled = _compiled(Path(path))
        compiled.add_fallback(result)
        result = compiled
    return Catalog(lang, result)


def _compiled(path: Path) -> Translations:
    with path.open("rb") as file:
        catalog = read_po(file)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)  # fuzzy entries are left out: they show the French msgid
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def field_text(item, name: str, lang: str) -> tuple[str, str]:
    """(text, its language) of a merchant's or a plain page's field (name, summary,
    description_html; title, summary, body_html): its `en:` block's when it has one, else
    the French field (shown marked lang="fr").
    """
    if lang != CONTENT_LANG:
        text = item.en.get(name)
        if text:
            return text, lang
    return getattr(item, name), CONTENT_LANG
