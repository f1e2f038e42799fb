"""The directory's validated objects: plain, immutable, and free of Pelican."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True, slots=True)
class Localized:
    """A text per language; falls back to the site's default language."""

    texts: dict  # lang -> text
    default: str = "fr"

    def get(self, lang: str | None = None) -> str:
        if lang and lang in self.texts:
            return self.texts[lang]
        return self.texts.get(self.default) or next(iter(self.texts.values()), "")

    def lang_of(self, lang: str | None = None) -> str:
        """The language of what get(lang) returns: a page marks a fallback with lang="…"."""
        if lang and lang in self.texts:
            return lang
        return self.default if self.default in self.texts else next(iter(self.texts), lang)

    def __str__(self) -> str:
        return self.get()

    def __bool__(self) -> bool:
        return any(self.texts.values())


@dataclass(frozen=True, slots=True)
class Geo:
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class Town:
    key: str
    name: Localized
    region: Localized
    geo: Geo | None = None
    description: Localized | None = None


@dataclass(frozen=True, slots=True)
class Category:
    key: str
    name: Localized
    description: Localized | None = None
    schema_type: str = "LocalBusiness"


@dataclass(frozen=True, slots=True)
class HowToBuy:
    key: str
    name: Localized
    description: Localized | None = None


@dataclass(frozen=True, slots=True)
class Phone:
    display: str  # "418 555-0142"
    e164: str  # "+14185550142", for schema.org
    extension: str | None = None

    @property
    def uri(self) -> str:
        """The tel: link (RFC 3966), extension included."""
        return f"tel:{self.e164}" + (f";ext={self.extension}" if self.extension else "")


@dataclass(frozen=True, slots=True)
class Image:
    path: str  # relative to content/images/
    width: int
    height: int
    alt: str


@dataclass(frozen=True, slots=True)
class Merchant:
    """One merchant location, as its file says once validated."""

    town: str
    slug: str
    source_path: str
    name: str
    categories: tuple[str, ...]
    how_to_buy: tuple[str, ...]
    summary: str
    added: date
    verified: date
    description_html: str
    address: str | None = None
    geo: Geo | None = None
    phone: Phone | None = None
    email: str | None = None
    website: str | None = None
    facebook: str | None = None
    instagram: str | None = None
    shop_url: str | None = None
    hours: str | None = None
    delivery_area: tuple[str, ...] = ()
    languages: tuple[str, ...] = ("fr",)
    wheelchair: str | None = None
    tags: tuple[str, ...] = ()
    image: Image | None = None
    status: str = "open"
    source: str | None = None
    en: dict = field(default_factory=dict)  # name, summary, description_html

    @property
    def key(self) -> tuple[str, str]:
        return (self.town, self.slug)

    @property
    def listed(self) -> bool:
        """Closed merchants keep their page but appear in no list, feed or sitemap."""
        return self.status != "closed"


@dataclass(frozen=True, slots=True)
class Page:
    """A plain page from content/pages/ (about the initiative, how to add a merchant)."""

    slug: str
    source_path: str
    title: str
    summary: str
    body_html: str
    order: int = 0
    en: dict = field(default_factory=dict)
