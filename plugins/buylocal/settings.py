"""BUYLOCAL_* settings: their defaults, checked once at start into one SiteConfig.

Everything a town changes to run its own directory is here or in content/data/, never in
templates or code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from . import incremental, parallel
from .languages import SUPPORTED
from .model import Localized

DEFAULTS = {
    "BUYLOCAL_REGION": "",  # under the site name, e.g. "Bas-Saint-Laurent"; or one per language
    "BUYLOCAL_TAGLINE": "",  # a text, or one per language: {"fr": "…", "en": "…"}
    "BUYLOCAL_DEFAULT_LANG": "fr",  # the language at the site root
    "BUYLOCAL_LANGUAGES": ("fr", "en"),  # the default one first; the others under /<lang>/
    "BUYLOCAL_COLORS": {"primary": "#0b5394", "accent": "#b45309", "background": "#ffffff"},
    "BUYLOCAL_LOGO": None,  # path under content/images/, or None for the name in text
    "BUYLOCAL_CONTACT_EMAIL": None,
    "BUYLOCAL_REPOSITORY_URL": None,  # e.g. https://github.com/town/achat-local
    "BUYLOCAL_REPOSITORY_BRANCH": "main",  # where the web editor opens files
    "BUYLOCAL_REPOSITORY_CONTENT_DIR": "content",  # PATH, as a path inside the repository
    "BUYLOCAL_ORGANIZATION": "",  # who runs the directory, shown in the footer
    "BUYLOCAL_PAGE_SIZE": 24,
    "BUYLOCAL_HOME_RECENT": 6,  # merchants shown as "recently added" on the home page
    "BUYLOCAL_MERCHANTS_DIR": "merchants",
    "BUYLOCAL_DATA_DIR": "data",
    "BUYLOCAL_PAGES_DIR": "pages",
    "BUYLOCAL_IMAGES_DIR": "images",
    "BUYLOCAL_DEFAULT_IMAGE": None,  # share image for pages without one, under content/images/
    "BUYLOCAL_MAP_URL": "https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=18/{lat}/{lon}",
    "BUYLOCAL_MAP_SEARCH_URL": "https://www.openstreetmap.org/search?query={query}",
    "BUYLOCAL_MAX_FILE_BYTES": 64 * 1024,
    "BUYLOCAL_MAX_IMAGE_PIXELS": 40_000_000,
    "BUYLOCAL_MAX_IMAGE_BYTES": 15_000_000,
    "BUYLOCAL_TODAY": None,  # a date, for reproducible builds and tests; None = today
    "BUYLOCAL_ADDRESS_REGION": "QC",  # schema.org addressRegion of every merchant
    "BUYLOCAL_ADDRESS_COUNTRY": "CA",
    "BUYLOCAL_REQUIRE_SITEURL": False,  # publishconf.py: refuse to publish without SITEURL
    "BUYLOCAL_WORKERS": None,  # processes for reading and rendering; None = every core
    "BUYLOCAL_STALE_MONTHS": 12,  # a listing not verified for longer shows "à vérifier"
    "BUYLOCAL_FEED_SIZE": 50,  # entries of each Atom feed of new merchants
    # The licence of the open data files (name and URL), stated on the page and in each file.
    "BUYLOCAL_DATA_LICENSE": {
        "name": "CC BY 4.0",
        "url": "https://creativecommons.org/licenses/by/4.0/deed.fr",
    },
    # A window poster and a share card for each merchant: two more files per merchant. A
    # province-wide directory may turn them off to stay within a host's file limit.
    "BUYLOCAL_MERCHANT_POSTERS": True,
    "BUYLOCAL_MERCHANT_SHARE_CARDS": True,
    "BUYLOCAL_SEARCH": True,  # a search page and box, and the index search.py writes
    # The towns' clock, for "Ouvert maintenant" and the feeds' dates; None: Pelican's TIMEZONE.
    "BUYLOCAL_TIMEZONE": None,
}

_COLOR_RE = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")


class SettingsError(Exception):
    """A setting a town got wrong; the message names it and says what to write."""


@incremental.site_wide
@incremental.leave_out_of_digests("workers")
@dataclass(frozen=True)
class SiteConfig:
    site_name: str
    site_url: str  # absolute, no trailing slash; "" when only building locally
    content_path: str
    region: Localized  # empty when the town wrote none
    tagline: Localized  # empty when the town wrote none
    default_lang: str
    languages: tuple  # default_lang first
    colors: dict
    logo: str | None
    contact_email: str | None
    repository_url: str | None
    repository_branch: str
    repository_content_dir: str
    organization: str
    page_size: int
    home_recent: int
    merchants_dir: str
    data_dir: str
    pages_dir: str
    images_dir: str
    default_image: str | None
    map_url: str
    map_search_url: str
    max_file_bytes: int
    max_image_pixels: int
    max_image_bytes: int
    today: date
    address_region: str
    address_country: str
    workers: int
    stale_months: int
    feed_size: int
    data_license: tuple  # (name, url)
    search: bool
    merchant_posters: bool
    merchant_share_cards: bool
    timezone: str  # the towns' clock: "Ouvert maintenant", and where a feed date's day begins


def site_config(settings: dict) -> SiteConfig:
    """Pelican's settings to a SiteConfig; raises SettingsError naming every bad setting."""
    values = {key: settings.get(key, default) for key, default in DEFAULTS.items()}
    errors = []
    colors = dict(DEFAULTS["BUYLOCAL_COLORS"])
    if isinstance(values["BUYLOCAL_COLORS"], dict):
        colors.update(values["BUYLOCAL_COLORS"])
    else:
        errors.append("BUYLOCAL_COLORS: use a dict like {'primary': '#0b5394'}")
    for name, color in colors.items():
        if not isinstance(color, str) or not _COLOR_RE.fullmatch(color):
            errors.append(f"BUYLOCAL_COLORS[{name!r}] = {color!r}: use a colour like '#0b5394'")
    if not errors and contrast(colors["primary"], "#ffffff") < 4.5:
        errors.append(
            f"BUYLOCAL_COLORS['primary'] = {colors['primary']!r}: white text on it is hard to "
            f"read (contrast {contrast(colors['primary'], '#ffffff'):.1f}:1, 4.5:1 needed); "
            "use a darker colour"
        )
    for name in (
        "BUYLOCAL_PAGE_SIZE",
        "BUYLOCAL_HOME_RECENT",
        "BUYLOCAL_MAX_FILE_BYTES",
        "BUYLOCAL_MAX_IMAGE_PIXELS",
        "BUYLOCAL_MAX_IMAGE_BYTES",
        "BUYLOCAL_STALE_MONTHS",
        "BUYLOCAL_FEED_SIZE",
    ):
        if type(values[name]) is not int or values[name] < 1:
            errors.append(f"{name} = {values[name]!r}: use a whole number above 0")
    workers = values["BUYLOCAL_WORKERS"]
    if workers is not None and (type(workers) is not int or workers < 1):
        errors.append(f"BUYLOCAL_WORKERS = {workers!r}: use None (every core) or a number above 0")
    today = values["BUYLOCAL_TODAY"] or date.today()
    if isinstance(today, str):
        try:
            today = date.fromisoformat(today)
        except ValueError:
            today = None
    if not isinstance(today, date):
        errors.append(
            f"BUYLOCAL_TODAY = {values['BUYLOCAL_TODAY']!r}: use a date like '2026-11-23'"
        )
    if not isinstance(values["BUYLOCAL_ORGANIZATION"], str):
        errors.append(f"BUYLOCAL_ORGANIZATION = {values['BUYLOCAL_ORGANIZATION']!r}: use a text")
    default_lang, languages = values["BUYLOCAL_DEFAULT_LANG"], values["BUYLOCAL_LANGUAGES"]
    if default_lang not in SUPPORTED:
        errors.append(f"BUYLOCAL_DEFAULT_LANG = {default_lang!r}: use one of {list(SUPPORTED)}")
    if (
        not isinstance(languages, (list, tuple))
        or not languages
        or languages[0] != default_lang
        or not set(languages) <= set(SUPPORTED)
        or len(set(languages)) != len(languages)
    ):
        errors.append(
            f"BUYLOCAL_LANGUAGES = {languages!r}: use ('fr', 'en'), or ('fr',) for a "
            "French-only site; the first is BUYLOCAL_DEFAULT_LANG"
        )
    region, tagline = (
        _localized(name, values[name], default_lang, errors)
        for name in ("BUYLOCAL_REGION", "BUYLOCAL_TAGLINE")
    )
    site_url = (settings.get("SITEURL") or "").rstrip("/")
    if site_url and not re.match(r"^https?://[^/]", site_url):
        errors.append(f"SITEURL = {site_url!r}: use an absolute URL like 'https://example.org'")
    if not site_url and values["BUYLOCAL_REQUIRE_SITEURL"]:
        errors.append(
            "SITEURL is not set: give the site's public address, e.g. "
            "SITEURL=https://user.github.io/achat-local invoke publish"
        )
    repository = values["BUYLOCAL_REPOSITORY_URL"]
    if repository and not re.match(r"^https://[^/]+/", repository):
        errors.append(f"BUYLOCAL_REPOSITORY_URL = {repository!r}: use an https:// URL")
    for name, fields in (
        ("BUYLOCAL_MAP_URL", {"lat", "lon"}),
        ("BUYLOCAL_MAP_SEARCH_URL", {"query"}),
    ):
        used = set(re.findall(r"\{(\w*)\}", values[name] or ""))
        if not used <= fields or not str(values[name]).startswith("https://"):
            errors.append(f"{name} = {values[name]!r}: an https:// URL using only {sorted(fields)}")
    license_ = values["BUYLOCAL_DATA_LICENSE"]
    if not (
        isinstance(license_, dict)
        and set(license_) == {"name", "url"}
        and isinstance(license_["name"], str)
        and license_["name"].strip()
        and isinstance(license_["url"], str)
        and re.match(r"^https?://[^/]", license_["url"])
    ):
        errors.append(
            f"BUYLOCAL_DATA_LICENSE = {license_!r}: use a dict like "
            "{'name': 'CC BY 4.0', 'url': 'https://creativecommons.org/licenses/by/4.0/deed.fr'}"
        )
    for name in ("BUYLOCAL_SEARCH", "BUYLOCAL_MERCHANT_POSTERS", "BUYLOCAL_MERCHANT_SHARE_CARDS"):
        if not isinstance(values[name], bool):
            errors.append(f"{name} = {values[name]!r}: use True or False")
    timezone = values["BUYLOCAL_TIMEZONE"] or settings.get("TIMEZONE") or "America/Toronto"
    if not _is_timezone(timezone):
        errors.append(
            f"BUYLOCAL_TIMEZONE = {timezone!r}: use a time zone name like "
            "'America/Toronto' (or 'America/Halifax' for the Magdalen Islands)"
        )
    if errors:
        raise SettingsError("; ".join(errors))
    return SiteConfig(
        site_name=settings.get("SITENAME") or "Achat local",
        site_url=site_url,
        content_path=settings["PATH"],
        region=region,
        tagline=tagline,
        default_lang=default_lang,
        languages=tuple(languages),
        colors=colors,
        logo=values["BUYLOCAL_LOGO"],
        contact_email=values["BUYLOCAL_CONTACT_EMAIL"],
        repository_url=(repository or "").rstrip("/") or None,
        repository_branch=values["BUYLOCAL_REPOSITORY_BRANCH"],
        repository_content_dir=values["BUYLOCAL_REPOSITORY_CONTENT_DIR"].strip("/"),
        organization=values["BUYLOCAL_ORGANIZATION"],
        page_size=values["BUYLOCAL_PAGE_SIZE"],
        home_recent=values["BUYLOCAL_HOME_RECENT"],
        merchants_dir=values["BUYLOCAL_MERCHANTS_DIR"],
        data_dir=values["BUYLOCAL_DATA_DIR"],
        pages_dir=values["BUYLOCAL_PAGES_DIR"],
        images_dir=values["BUYLOCAL_IMAGES_DIR"],
        default_image=values["BUYLOCAL_DEFAULT_IMAGE"],
        map_url=values["BUYLOCAL_MAP_URL"],
        map_search_url=values["BUYLOCAL_MAP_SEARCH_URL"],
        max_file_bytes=values["BUYLOCAL_MAX_FILE_BYTES"],
        max_image_pixels=values["BUYLOCAL_MAX_IMAGE_PIXELS"],
        max_image_bytes=values["BUYLOCAL_MAX_IMAGE_BYTES"],
        today=today,
        address_region=values["BUYLOCAL_ADDRESS_REGION"],
        address_country=values["BUYLOCAL_ADDRESS_COUNTRY"],
        workers=parallel.process_count(values["BUYLOCAL_WORKERS"]),
        stale_months=values["BUYLOCAL_STALE_MONTHS"],
        feed_size=values["BUYLOCAL_FEED_SIZE"],
        data_license=(license_["name"].strip(), license_["url"]),
        search=values["BUYLOCAL_SEARCH"],
        merchant_posters=values["BUYLOCAL_MERCHANT_POSTERS"],
        merchant_share_cards=values["BUYLOCAL_MERCHANT_SHARE_CARDS"],
        timezone=timezone,
    )


def _is_timezone(name) -> bool:
    """Whether browsers and Python both know this IANA zone ("America/Toronto")."""
    if not isinstance(name, str) or not name:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two #rgb or #rrggbb colours."""

    def luminance(color: str) -> float:
        digits = color[1:] if len(color) == 7 else "".join(c * 2 for c in color[1:])
        channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def load_config(settings_file: str) -> SiteConfig:
    """The SiteConfig of a settings file such as pelicanconf.py (for commands other than build)."""
    from pelican.settings import read_settings

    return site_config(read_settings(str(settings_file)))


def _localized(name: str, value, default_lang: str, errors: list) -> Localized:
    """A text the town wrote in its own language, or one per language: {"fr": …, "en": …}."""
    texts = value or {}
    if isinstance(texts, str):
        texts = {default_lang: texts}
    if not (
        isinstance(texts, dict)
        and set(texts) <= set(SUPPORTED)
        and all(isinstance(text, str) for text in texts.values())
    ):
        errors.append(f"{name} = {value!r}: use a text, or {{'fr': '…', 'en': '…'}}")
        texts = {}
    return Localized({k: v.strip() for k, v in texts.items() if v.strip()}, default_lang)
