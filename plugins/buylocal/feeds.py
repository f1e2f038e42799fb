"""Atom feeds (RFC 4287) of newly added merchants, for the whole directory and for each town:
what a newsletter, a local paper or a social account subscribes to.

A feed's links and ids must be absolute, so feeds exist only when SITEURL is set. Every date
comes from the merchant files (never from the clock), so two builds write the same bytes.
"""

from __future__ import annotations

import gettext
import html
import logging
import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo

from feedgenerator import Atom1Feed, get_tag_uri

from . import seo, urls

logger = logging.getLogger(__name__)
_ = gettext.NullTranslations().gettext


@dataclass(frozen=True)
class Feed:
    url: str  # relative to the site root, like page URLs
    title: str
    town: str | None  # None: the whole directory


def available(directory, config) -> dict:
    """The feeds this build writes, by town key (None for the whole directory)."""
    if not config.site_url:
        return {}
    site = config.site_name
    feeds = {}
    if directory.listed:
        title = _("{site} : nouveaux commerces").format(site=site)
        feeds[None] = Feed(urls.feed(), title, None)
    towns = directory.reference.towns
    for key in directory.by_town:
        title = _("{site} : nouveaux commerces à {town}").format(site=site, town=towns[key].name)
        feeds[key] = Feed(urls.feed(key), title, key)
    return feeds


def for_page(page, feeds: dict) -> Feed | None:
    """The feed a page announces: the home page the directory's, a town's pages the town's."""
    if page is None:
        return None
    if page.template == "home":
        return feeds.get(None)
    if page.template == "town":
        return feeds.get(page.context["town"].key)
    return None


def newest(merchants, size: int) -> list:
    """The `size` most recently added merchants, newest first, in a stable order."""
    ordered = sorted(merchants, key=lambda m: (m.added, m.name, m.town, m.slug), reverse=True)
    return ordered[:size]


def feed_files(directory, config) -> dict[str, bytes]:
    """Every feed's bytes, by output path."""
    feeds = available(directory, config)
    if not config.site_url:
        logger.warning("buylocal: SITEURL is not set, so no Atom feed is written")
    files = {}
    for key, feed in feeds.items():
        merchants = directory.listed if key is None else directory.by_town[key]
        files[feed.url] = atom(feed, newest(merchants, config.feed_size), directory, config)
    return files


def atom(feed: Feed, merchants, directory, config) -> bytes:
    ref = directory.reference
    zone = ZoneInfo(config.timezone)
    home = seo.absolute(config, urls.town(feed.town) if feed.town else urls.HOME)
    license_name, license_url = config.data_license
    if feed.town:
        town = ref.towns[feed.town]
        subtitle = _("Les commerces locaux ajoutés récemment à {town} ({region}).").format(
            town=town.name, region=town.region
        )
    else:
        subtitle = _("Les commerces locaux ajoutés récemment au répertoire {site}.").format(
            site=config.site_name
        )
    document = Atom1Feed(
        title=feed.title,
        link=home,
        description=subtitle,
        language=config.default_lang,
        author_name=config.organization or config.site_name,
        author_link=seo.absolute(config, urls.HOME),
        feed_url=seo.absolute(config, feed.url),
        feed_guid=seo.absolute(config, feed.url),
        feed_copyright=_("Données sous licence {name} : {url}").format(
            name=license_name, url=license_url
        ),
    )
    for merchant in merchants:
        link = seo.absolute(config, urls.merchant(merchant.town, merchant.slug))
        ways = ", ".join(ref.how_to_buy[key].name.get().lower() for key in merchant.how_to_buy)
        summary = f"{merchant.summary} " + _("Comment acheter : {ways}.").format(ways=ways)
        document.add_item(
            title=f"{merchant.name} ({ref.towns[merchant.town].name})",
            link=link,
            # The summary is declared HTML: escaped, the merchant's text stays text.
            description=html.escape(summary, quote=False),
            unique_id=get_tag_uri(link, merchant.added),
            pubdate=_start_of(merchant.added, zone),
            updateddate=_start_of(merchant.verified, zone),
            categories=[ref.categories[key].name.get() for key in merchant.categories],
        )
    return document.writeString("utf-8").encode("utf-8")


def zone_rules(name: str) -> bytes:
    """The time zone's rules, where zoneinfo finds them (the system's files, then the tzdata
    package): a feed kept in cache/ is made again when they change (a province moving its
    clocks), as a build without cache/ would.
    """
    for folder in zoneinfo.TZPATH:
        path = Path(folder, name)
        if path.is_file():
            return path.read_bytes()
    try:
        return resources.files("tzdata.zoneinfo").joinpath(*name.split("/")).read_bytes()
    except (ImportError, OSError):
        return b""


def _start_of(day: date, zone: ZoneInfo) -> datetime:
    """A date-only field as the moment its day begins where the directory is."""
    return datetime.combine(day, time(), tzinfo=zone)
