"""Checks that apply to any built site: links resolve, tags are there, sitemap is exact."""

from __future__ import annotations

import posixpath
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

from htmlpage import ParsedPage

REQUIRED_META = (
    "description",
    "og:type",
    "og:site_name",
    "og:title",
    "og:description",
    "og:url",
    "og:locale",
    "twitter:card",
    "twitter:title",
    "twitter:description",
)


def target_file(site: Path, page_url: str, href: str) -> Path | None:
    """The file an internal link points to, or None for an external or special link."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith(("#", "mailto:", "tel:")):
        return None
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname("/" + page_url), parts.path))
    assert not resolved.startswith("/.."), f"{page_url}: {href} leaves the site"
    path = site / resolved.lstrip("/")
    if parts.path.endswith("/") or path.is_dir():
        path = path / "index.html"
    return path


def broken_links(site: Path, pages: dict[str, ParsedPage], site_url: str | None = None) -> list:
    """Internal links (and, given the site's URL, JSON-LD URLs) that lead to no file."""
    broken = []
    for url, page in pages.items():
        if url == "404.html":
            continue  # its links are absolute, for any depth
        for tag, attribute, href in page.links:
            assert not href.startswith("/"), f"{url}: {href} is root-absolute (breaks sub-paths)"
            path = target_file(site, url, href)
            if path is not None and not path.is_file():
                broken.append(f"{url}: <{tag} {attribute}={href}>")
        if site_url:
            for value in _jsonld_urls(page.jsonld):
                if value.startswith(site_url + "/"):
                    path = target_file(site, "", value[len(site_url) + 1 :])
                    if not path.is_file():
                        broken.append(f"{url}: JSON-LD {value}")
    return broken


def _jsonld_urls(data):
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("url", "item", "@id", "image") and isinstance(value, str):
                yield value
            else:
                yield from _jsonld_urls(value)
    elif isinstance(data, list):
        for item in data:
            yield from _jsonld_urls(item)


def missing_tags(url: str, page: ParsedPage, site_url: str) -> list[str]:
    missing = [f"{url}: meta {name}" for name in REQUIRED_META if not page.meta.get(name)]
    expected_lang = "en" if url.startswith("en/") else "fr"
    if page.lang != expected_lang:
        missing.append(f"{url}: lang={page.lang}")
    if not page.title:
        missing.append(f"{url}: <title>")
    if page.canonical != f"{site_url}/{url}":
        missing.append(f"{url}: canonical {page.canonical}")
    if page.meta.get("og:url") != page.canonical:
        missing.append(f"{url}: og:url")
    if len(page.h1) != 1:
        missing.append(f"{url}: {len(page.h1)} h1")
    return missing


def heading_jumps(page: ParsedPage) -> list[tuple[int, int]]:
    """Headings that skip a level going down (h2 then h4)."""
    levels = page.headings
    return [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]


def sitemap_urls(site: Path, site_url: str) -> list[str]:
    """The addresses the sitemap lists, in its order, through its index if it has one."""
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    root = ET.parse(site / "sitemap.xml").getroot()
    if root.tag == f"{{{namespace['s']}}}sitemapindex":
        parts = [loc.text for loc in root.findall("s:sitemap/s:loc", namespace)]
        assert all(part.startswith(site_url + "/") for part in parts)
        files = [site / part[len(site_url) + 1 :] for part in parts]
        roots = [ET.parse(file).getroot() for file in files]
    else:
        roots = [root]
    locations = [loc.text for part in roots for loc in part.findall("s:url/s:loc", namespace)]
    assert all(loc.startswith(site_url + "/") for loc in locations)
    return [loc[len(site_url) + 1 :] for loc in locations]
