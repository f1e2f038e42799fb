"""What the built pages themselves say: which merchant pages are listed, and which merchants a
list (all its numbered pages) shows. Tests compare feeds, exports and figures with these.
"""

from __future__ import annotations

import posixpath
import re
from datetime import date
from pathlib import Path

from htmlpage import ParsedPage
from sitecheck import target_file

MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


def page_date(text: str, label: str) -> date:
    """A date as a page writes it after `label`: "Ajoutée le 1er octobre 2026"."""
    match = re.search(label + r" (\d{1,2})(?:er)? (\w+) (\d{4})", text)
    return date(int(match[3]), MONTHS.index(match[2]) + 1, int(match[1]))


def merchant_pages(pages: dict[str, ParsedPage], listed: bool = True) -> dict[str, ParsedPage]:
    """Merchant pages by URL: the open ones (no noindex), or the closed ones."""
    return {
        url: page
        for url, page in pages.items()
        if page.meta.get("og:type") == "business.business"
        and (page.meta.get("robots") != "noindex") == listed
    }


def resolve(page_url: str, href: str) -> str:
    """An internal link as a URL relative to the site root, like the keys of html_pages."""
    path = posixpath.normpath(posixpath.join(posixpath.dirname("/" + page_url), href))
    return path.lstrip("/") + "/" if href.endswith("/") and path != "/" else path.lstrip("/")


def list_pages(site: Path, pages: dict[str, ParsedPage], url: str) -> list[str]:
    """A list's first page and its numbered ones (url/page/2/, ...)."""
    numbered = sorted(
        (u for u in pages if u.startswith(f"{url}page/") and u.count("/") == url.count("/") + 2),
        key=lambda u: int(u.rstrip("/").rsplit("/", 1)[-1]),
    )
    return [url, *numbered]


def listed_merchants(site: Path, pages: dict[str, ParsedPage], url: str) -> list[str]:
    """The merchant pages a list links to, over all its pages, in order, each once."""
    merchants = merchant_pages(pages)
    found = []
    for page_url in list_pages(site, pages, url):
        for tag, _attribute, href in pages[page_url].links:
            if tag != "a" or target_file(site, page_url, href) is None:
                continue
            target = resolve(page_url, href)
            if target in merchants and target not in found:
                found.append(target)
    return found
