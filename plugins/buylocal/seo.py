"""What search engines and social networks read: schema.org JSON-LD, sitemap.xml, robots.txt."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from xml.sax.saxutils import escape

from markupsafe import Markup

from . import images, jsontext, urls
from .languages import field_text
from .model import Merchant

_SCHEMA_DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
_SCHEMA_DAY_URLS = tuple(
    f"https://schema.org/{day}"
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
)
_CLOCK = re.compile(r"(?:[01]\d|2[0-3]):[0-5]\d")


def absolute(config, url: str) -> str:
    return f"{config.site_url}/{url}"


def json_script(data) -> str:
    """JSON for a <script type="application/ld+json">: nothing in it can end the element."""
    text = jsontext.compact(data, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def script_text(data) -> Markup:
    """JSON-LD as it goes into its <script>, safe to output as it is."""
    if isinstance(data, StructuredData):
        data = data.make(*data.args)
    return data if isinstance(data, Markup) else Markup(json_script(data))


@dataclass(frozen=True, slots=True, eq=False)
class StructuredData:
    """A page's JSON-LD, worked out when the page is rendered (by the workers on a large
    site), not when it is planned: as text, that of 30,000 pages was a quarter of the planning
    process's memory, which every worker inherits. `make(*args)` gives the data; its arguments
    are what the page is made from anyway (its merchant, its crumbs...), or the site's
    settings and data files, so the page's fingerprint (incremental.fingerprint) still
    covers it. Printed as it is, or as a string, it is its text, as planned JSON-LD was.
    """

    make: Callable
    args: tuple

    def __html__(self) -> str:
        return script_text(self)

    def __str__(self) -> str:
        return str(script_text(self))


def opening_hours_spec(week) -> list[str]:
    """schema.org openingHours ("Tu 11:30-14:00") from the merchant's week, when it is whole."""
    if week is None or not week.complete:
        return []
    return [
        f"{_SCHEMA_DAYS[day.day]} {start}-{end}" for day in week.days for start, end in day.spans
    ]


def opening_hours_specification(week) -> list[dict]:
    """schema.org openingHoursSpecification for hours that change with the seasons: each
    period's spans with the dates it covers (validFrom, validThrough) in the evaluated year.

    Only when every span is plain clock times, and nothing is said apart (public holidays,
    special days): a search engine reading a part of the hours would show them wrong.
    """
    year = week.year if week is not None else None
    if year is None or year.unreadable or year.holidays is not None or year.special_days:
        return []
    specification = []
    for period in year.periods:
        for day in period.days:
            for span in day.spans:
                plain = (
                    _CLOCK.fullmatch(span.start)
                    and _CLOCK.fullmatch(span.end)
                    and span.start < span.end
                    and not span.unknown
                    and not span.comment
                )
                if not plain:
                    return []
        by_span: dict[tuple[str, str], list[str]] = {}
        for day in period.days:
            for span in day.spans:
                by_span.setdefault((span.start, span.end), []).append(_SCHEMA_DAY_URLS[day.day])
        for first, last in period.ranges:
            specification += [
                {
                    "@type": "OpeningHoursSpecification",
                    "dayOfWeek": days,
                    "opens": opens,
                    "closes": closes,
                    "validFrom": first.isoformat(),
                    "validThrough": last.isoformat(),
                }
                for (opens, closes), days in by_span.items()
            ]
    specification.sort(key=lambda entry: (entry["validFrom"], entry["opens"]))
    return specification


def merchant_jsonld(merchant: Merchant, ref, config, url: str, lang: str = "fr", week=None) -> dict:
    town = ref.towns[merchant.town]
    schema_type = ref.categories[merchant.categories[0]].schema_type
    data = {
        "@context": "https://schema.org",
        "@type": schema_type,
        "@id": absolute(config, url),
        "name": field_text(merchant, "name", lang)[0],
        "description": field_text(merchant, "summary", lang)[0],
        "url": absolute(config, url),
    }
    address = {"@type": "PostalAddress", "addressLocality": town.name.get(lang)}
    if merchant.address:
        address["streetAddress"] = merchant.address
    address["addressRegion"] = config.address_region
    address["addressCountry"] = config.address_country
    data["address"] = address
    if merchant.geo:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": merchant.geo.lat,
            "longitude": merchant.geo.lon,
        }
    if merchant.phone:
        data["telephone"] = merchant.phone.e164
    if merchant.email:
        data["email"] = merchant.email
    opening = opening_hours_spec(week)
    if opening:
        data["openingHours"] = opening
    seasons = opening_hours_specification(week)
    if seasons:
        data["openingHoursSpecification"] = seasons
    if merchant.image:
        largest = images.largest_jpeg(merchant.image.path, merchant.image.width)
        data["image"] = absolute(config, f"images/{largest}")
    same_as = [link for link in (merchant.website, merchant.facebook, merchant.instagram) if link]
    if same_as:
        data["sameAs"] = same_as
    if merchant.delivery_area:
        data["areaServed"] = [ref.towns[key].name.get(lang) for key in merchant.delivery_area]
    return data


def breadcrumb_jsonld(breadcrumbs, config) -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": name,
                "item": absolute(config, url),
            }
            for position, (name, url) in enumerate(breadcrumbs, start=1)
        ],
    }


def merchants_list_jsonld(merchants, config, first_position: int, prefix: str, lang: str):
    """The ItemList of a page of merchants: their names and pages, `prefix` the language's."""
    entries = [(field_text(m, "name", lang)[0], urls.merchant(m.town, m.slug)) for m in merchants]
    return item_list_jsonld(entries, config, first_position, prefix)


def item_list_jsonld(entries, config, first_position: int, prefix: str = "") -> dict:
    """entries: (name, url) of what a list page links to, in its order; `prefix` is the
    language's, before each url.
    """
    return {
        "@context": "https://schema.org",
        "@type": "ItemList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "url": absolute(config, prefix + url),
                "name": name,
            }
            for position, (name, url) in enumerate(entries, start=first_position)
        ],
    }


# What one sitemap file may hold: the protocol allows 50,000 URLs and 50 MB (sitemaps.org,
# and Google's "Manage your sitemaps with a sitemap index file"); 20 MiB keeps every file
# under Cloudflare Pages's 25 MiB a file (host_limits.py). Past either, sitemap.xml becomes an
# index of sitemap-1.xml, sitemap-2.xml... in the same folder, as the protocol asks.
SITEMAP_MAX_URLS = 50_000
SITEMAP_MAX_BYTES = 20 * 1024 * 1024
_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
_SITEMAP_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
_URLSET_HEAD = (
    f'{_XML_DECLARATION}<urlset {_SITEMAP_NS} xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
)
_URLSET_TAIL = "</urlset>\n"


def sitemap_files(entries, config) -> dict[str, str]:
    """{file name: text} of the sitemap: sitemap.xml alone, or sitemap.xml as the index of
    as many parts as the limits above need (a province-wide directory in two languages
    passes 50,000 addresses from about 18,000 merchants).

    entries: (url, lastmod date or None, alternates), already in a stable order;
    alternates are the (lang, url) of the page in every language (hreflang, as Google
    documents it for sitemaps: each URL lists all versions, itself included).
    """
    parts, lines, size, newest = [], [], 0, None
    room = SITEMAP_MAX_BYTES - len(_URLSET_HEAD) - len(_URLSET_TAIL)
    for url, lastmod, alternates in entries:
        line = f"<url><loc>{escape(absolute(config, url))}</loc>"
        if lastmod:
            line += f"<lastmod>{lastmod.isoformat()}</lastmod>"
        for lang, other in alternates:
            line += (
                f'<xhtml:link rel="alternate" hreflang="{lang}" '
                f'href="{escape(absolute(config, other))}"/>'
            )
        line += "</url>\n"
        length = len(line.encode())
        if lines and (len(lines) == SITEMAP_MAX_URLS or size + length > room):
            parts.append((lines, newest))
            lines, size, newest = [], 0, None
        lines.append(line)
        size += length
        if lastmod and (newest is None or lastmod > newest):
            newest = lastmod
    parts.append((lines, newest))
    if len(parts) == 1:
        return {"sitemap.xml": _URLSET_HEAD + "".join(lines) + _URLSET_TAIL}
    files = {}
    index = [f"{_XML_DECLARATION}<sitemapindex {_SITEMAP_NS}>\n"]
    for number, (part, newest) in enumerate(parts, start=1):
        name = f"sitemap-{number}.xml"
        files[name] = _URLSET_HEAD + "".join(part) + _URLSET_TAIL
        line = f"<sitemap><loc>{escape(absolute(config, name))}</loc>"
        if newest:
            line += f"<lastmod>{newest.isoformat()}</lastmod>"
        index.append(line + "</sitemap>\n")
    index.append("</sitemapindex>\n")
    return {"sitemap.xml": "".join(index), **files}


def robots_txt(config) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {absolute(config, 'sitemap.xml')}\n"
