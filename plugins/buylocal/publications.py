"""What the directory publishes for partners beyond its lists: the initiative page, the numbers
page, the open data page with its files, the Atom feeds of new merchants, and the search
index.

plan.py asks here for these pages (`pages`), generator.py for the files to write beside them
(`write_files`) and for what templates need (`template_globals`): each with one call.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from pathlib import Path

from babel.dates import format_date
from babel.numbers import format_decimal

from . import feeds, incremental, numbers, open_data, search, urls


def pages(planner):
    """The PageSpecs of the initiative (if the town wrote one), numbers and open data pages."""
    if planner.directory.content.initiative is not None:
        yield initiative_page(planner)
    yield numbers_page(planner)
    yield open_data_page(planner)


FEEDS_CACHE = "feeds"
OPEN_DATA = "open_data"  # the key of the open data files in what planners share


def write_downloads(output: Path, shared: dict) -> None:
    """The open data files, made while planning the open data page (`shared`: what the
    planners worked out once, plan.Planner.once). They are written at once and let go:
    at 50,000 merchants they weigh 180 MB.
    """
    _write(output, {d.url: d.data for d in shared.pop(OPEN_DATA, ())})


def write_files(output: Path, directory, config, catalogs: dict) -> None:
    """The Atom feeds and the search index: from the directory alone, so that another
    process can write them while the pages are planned and rendered (generator.py).
    """
    files = _feed_files(directory, config)
    if config.search:
        files.update(search.index_files(directory, config, catalogs))
    _write(output, files)


def _write(output: Path, files: dict) -> None:
    for url, data in sorted(files.items()):
        incremental.write_file(output / url, data)


def _feed_files(directory, config) -> dict:
    """feeds.feed_files, but a feed whose merchants, data files and settings did not change
    since the last build is taken from cache/ instead of being written again.
    """
    available = feeds.available(directory, config)
    if incremental.build_cache()[0] is None or not available:
        return feeds.feed_files(directory, config)
    cache = incremental.KeptValues(
        FEEDS_CACHE,
        incremental.value_digest(directory.reference, config, feeds.zone_rules(config.timezone)),
    )
    files = {}
    for key, feed in available.items():
        merchants = directory.listed if key is None else directory.by_town[key]
        newest = feeds.newest(merchants, config.feed_size)
        # Merchants stand in by their digest (incremental.merchant_digest).
        inputs = incremental.fingerprint((feed, newest), {})
        make = partial(feeds.atom, feed, newest, directory, config)
        files[feed.url] = cache.get(inputs, make) if inputs else make()
    cache.save()
    return files


def site_key_inputs(directory, config):
    """What template_globals answers from: part of every page's fingerprint."""
    return sorted(feeds.available(directory, config), key=str)


def template_globals(directory, config) -> dict:
    available = feeds.available(directory, config)
    return {"feed_for": lambda page: feeds.for_page(page, available)}


def _spec(planner, url, template, title, description, context, lastmod=None):
    from .plan import PageSpec  # here, since plan.py imports this module

    return PageSpec(
        url=url,
        template=template,
        title=title,
        heading=title,
        description=description,
        breadcrumbs=[planner.home_crumb, (title, url)],
        context=context,
        lastmod=lastmod,
    )


def _locale(planner) -> str:
    return "fr_CA" if planner.lang == "fr" else "en_CA"


def _lastmod(directory):
    return max((m.verified for m in directory.listed), default=None)


def initiative_page(planner):
    _ = planner._
    initiative = planner.directory.content.initiative
    lang = planner.lang
    title = initiative.title.get(lang) if initiative.title else _("L’initiative")
    return _spec(
        planner,
        urls.initiative(),
        "initiative",
        title,
        initiative.summary.get(lang),
        {"initiative": initiative},
    )


def numbers_page(planner):
    _ = planner._
    directory = planner.directory
    ref = directory.reference
    config = planner.config
    listed = directory.listed
    months = numbers.growth(listed, config.today)
    recent = numbers.recently_verified(listed, config.today, config.stale_months)
    context = {
        "total": len(listed),
        "town_rows": planner.links(directory.by_town, ref.towns, urls.town),
        "category_rows": planner.links(directory.by_category, ref.categories, urls.category),
        "way_rows": planner.links(directory.by_how_to_buy, ref.how_to_buy, urls.how_to_buy),
        "verified": recent,
        "verified_percent": round(100 * recent / len(listed)) if listed else 0,
        "months": [month for month in months if month.added],
        "first_month": months[0] if months else None,
        "last_month": months[-1] if months else None,
        "chart": numbers.chart(months),
        "month_names": {
            m.key: format_date(date(m.year, m.month, 1), "MMMM y", locale=_locale(planner))
            for m in months
        },
    }
    description = _(
        "{count} en chiffres : par ville, par catégorie, par façon d’acheter, et la croissance "
        "du répertoire mois par mois."
    ).format(count=planner.count_text(len(listed)))
    return _spec(
        planner,
        urls.numbers(),
        "numbers",
        _("Le répertoire en chiffres"),
        description,
        context,
        _lastmod(directory),
    )


def open_data_page(planner):
    _ = planner._
    directory = planner.directory
    config = planner.config
    locale = _locale(planner)
    downloads = planner.once(OPEN_DATA, lambda: open_data.downloads(directory, config))
    sizes = {
        d.url: _("{kb} ko").format(kb=format_decimal(round(len(d.data) / 1000, 1), locale=locale))
        for d in downloads
    }
    feed_list = list(feeds.available(directory, config).values())  # the directory's first
    name, url = config.data_license
    context = {
        "downloads": [download.link() for download in downloads],
        "sizes": sizes,
        "fields": open_data.FIELDS,
        "license_name": name,
        "license_url": url,
        "count": len(directory.listed),
        "feeds": feed_list,
    }
    description = _(
        "Tout le répertoire en JSON, CSV et GeoJSON, sous licence {license}, et ses flux Atom."
    ).format(license=name)
    return _spec(
        planner,
        urls.open_data(),
        "open_data",
        _("Données ouvertes"),
        description,
        context,
        _lastmod(directory),
    )
