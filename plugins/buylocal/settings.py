"""BUYLOCAL_* settings: their defaults, checked once at start into one SiteConfig.

Everything a town changes to run its own directory is here or in content/data/, never in
templates or code.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import date

logger = logging.getLogger(__name__)

DEFAULTS = {
    "BUYLOCAL_REGION": "",  # shown under the site name, e.g. "Bas-Saint-Laurent"
    "BUYLOCAL_TAGLINE": "",
    "BUYLOCAL_DEFAULT_LANG": "fr",
    "BUYLOCAL_COLORS": {"primary": "#0b5394", "accent": "#b45309", "background": "#ffffff"},
    "BUYLOCAL_LOGO": None,  # path under content/images/, or None for the name in text
    "BUYLOCAL_CONTACT_EMAIL": None,
    "BUYLOCAL_REPOSITORY_URL": None,  # e.g. https://github.com/town/achat-local
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
    "BUYLOCAL_TODAY": None,  # a date, for reproducible builds and tests; None = today
}

_COLOR_RE = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")


class SettingsError(Exception):
    """A setting a town got wrong; the message names it and says what to write."""


@dataclass(frozen=True)
class SiteConfig:
    site_name: str
    site_url: str  # absolute, no trailing slash; "" when only building locally
    content_path: str
    region: str
    tagline: str
    default_lang: str
    colors: dict
    logo: str | None
    contact_email: str | None
    repository_url: str | None
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
    today: date
    extra: dict = field(default_factory=dict)


def site_config(settings: dict) -> SiteConfig:
    """Pelican's settings to a SiteConfig; raises SettingsError naming every bad setting."""
    values = {key: settings.get(key, default) for key, default in DEFAULTS.items()}
    errors = []
    colors = {**DEFAULTS["BUYLOCAL_COLORS"], **(values["BUYLOCAL_COLORS"] or {})}
    for name, color in colors.items():
        if not isinstance(color, str) or not _COLOR_RE.match(color):
            errors.append(f"BUYLOCAL_COLORS[{name!r}] = {color!r}: use a colour like '#0b5394'")
    page_size = values["BUYLOCAL_PAGE_SIZE"]
    if not isinstance(page_size, int) or page_size < 1:
        errors.append(f"BUYLOCAL_PAGE_SIZE = {page_size!r}: use a whole number above 0")
    today = values["BUYLOCAL_TODAY"] or date.today()
    if isinstance(today, str):
        try:
            today = date.fromisoformat(today)
        except ValueError:
            errors.append(f"BUYLOCAL_TODAY = {today!r}: use a date like '2026-11-23'")
    site_url = (settings.get("SITEURL") or "").rstrip("/")
    if site_url and not re.match(r"^https?://", site_url):
        errors.append(f"SITEURL = {site_url!r}: use an absolute URL like 'https://example.org'")
    repository = values["BUYLOCAL_REPOSITORY_URL"]
    if repository and not re.match(r"^https://", repository):
        errors.append(f"BUYLOCAL_REPOSITORY_URL = {repository!r}: use an https:// URL")
    if errors:
        raise SettingsError("; ".join(errors))
    return SiteConfig(
        site_name=settings.get("SITENAME") or "Achat local",
        site_url=site_url,
        content_path=settings["PATH"],
        region=values["BUYLOCAL_REGION"],
        tagline=values["BUYLOCAL_TAGLINE"],
        default_lang=values["BUYLOCAL_DEFAULT_LANG"],
        colors=colors,
        logo=values["BUYLOCAL_LOGO"],
        contact_email=values["BUYLOCAL_CONTACT_EMAIL"],
        repository_url=(repository or "").rstrip("/") or None,
        organization=values["BUYLOCAL_ORGANIZATION"],
        page_size=page_size,
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
        today=today,
    )
