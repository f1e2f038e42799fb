"""The directory index to the list of pages to render: one PageSpec per output page.

Every page is a pure function of (index entry, settings, language): this module decides which
pages exist, their URLs, titles, descriptions, breadcrumbs and structured data; templates
only lay them out.
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass, field
from datetime import date

from . import seo, urls
from .index import Directory
from .model import Image
from .settings import SiteConfig


@dataclass
class PageSpec:
    url: str
    template: str
    title: str  # the <title>, unique across the site
    heading: str  # the <h1>
    description: str
    breadcrumbs: list  # [(name, url)], home first, this page last
    context: dict = field(default_factory=dict)
    indexable: bool = True  # False: noindex, and left out of the sitemap
    lastmod: date | None = None
    og_type: str = "website"
    image: Image | None = None
    jsonld: list = field(default_factory=list)

    @property
    def output_file(self) -> str:
        return urls.output_file(self.url)


@dataclass
class Pagination:
    number: int
    count: int
    base_url: str
    total_items: int
    first_position: int

    def url(self, number: int) -> str:
        return urls.paginated(self.base_url, number)

    def window(self, around: int = 2) -> list:
        """Page numbers to link: first, last and a few around this one; None marks a gap.

        Linking every page would make list pages grow with the square of the directory.
        """
        shown = {1, self.count} | set(range(self.number - around, self.number + around + 1))
        numbers = sorted(n for n in shown if 1 <= n <= self.count)
        result = []
        for number in numbers:
            if result and number > result[-1] + 1:
                result.append(None)
            result.append(number)
        return result

    @property
    def previous_url(self) -> str | None:
        return self.url(self.number - 1) if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return self.url(self.number + 1) if self.number < self.count else None


def _shorten(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


class Planner:
    def __init__(self, directory: Directory, config: SiteConfig, lang: str = "fr"):
        self.directory = directory
        self.config = config
        self.lang = lang
        self._ = gettext.NullTranslations().gettext
        self.home_crumb = (self._("Accueil"), urls.HOME)

    # -- helpers ---------------------------------------------------------------------------

    def name(self, item) -> str:
        return item.name.get(self.lang)

    def title(self, text: str) -> str:
        return f"{text} | {self.config.site_name}"

    def links(self, groups: dict, items: dict, url) -> list:
        """(label, url, count) for each group key, for the chip lists of index pages."""
        return [
            (self.name(items[key[-1] if isinstance(key, tuple) else key]), url(key), len(group))
            for key, group in groups.items()
        ]

    def finish(self, spec: PageSpec) -> PageSpec:
        """Add the breadcrumb structured data every page but the home page carries."""
        if len(spec.breadcrumbs) > 1:
            spec.jsonld.append(seo.breadcrumb_jsonld(spec.breadcrumbs, self.config))
        return spec

    def lists(self, base_url, merchants, template, title, heading, description, crumbs, **ctx):
        """A paginated list of merchants: page 1 at base_url, page N at base_url/page/N/."""
        _ = self._
        size = self.config.page_size
        count = max(1, -(-len(merchants) // size))
        lastmod = max((m.verified for m in merchants), default=None)
        for number in range(1, count + 1):
            chunk = merchants[(number - 1) * size : number * size]
            pagination = Pagination(
                number, count, base_url, len(merchants), (number - 1) * size + 1
            )
            url = urls.paginated(base_url, number)
            suffix = _(" (page {number} de {count})").format(number=number, count=count)
            page_title = title + (suffix if number > 1 else "")
            page_crumbs = crumbs if number == 1 else crumbs + [(suffix.strip(" ()"), url)]
            spec = PageSpec(
                url=url,
                template=template,
                title=self.title(page_title),
                heading=heading,
                description=_shorten(description + (suffix if number > 1 else "")),
                breadcrumbs=page_crumbs,
                context={"merchants": chunk, "pagination": pagination, **ctx},
                lastmod=lastmod,
            )
            spec.jsonld.append(seo.item_list_jsonld(chunk, self.config, pagination.first_position))
            yield self.finish(spec)

    # -- pages -----------------------------------------------------------------------------

    def all(self):
        yield self.home()
        yield from self.merchants()
        yield from self.towns()
        yield from self.categories()
        yield from self.ways_to_buy()
        yield from self.town_crossings()
        yield self.towns_index()
        yield self.categories_index()
        yield self.how_to_buy_index()
        yield from self.pages()

    def home(self) -> PageSpec:
        _ = self._
        config = self.config
        ref = self.directory.reference
        recent = sorted(self.directory.listed, key=lambda m: (m.added, m.name), reverse=True)
        description = config.tagline or _(
            "Trouvez les commerces locaux de {region} : par ville, par catégorie et selon "
            "votre façon d'acheter."
        ).format(region=config.region or _("votre région"))
        spec = PageSpec(
            url=urls.HOME,
            template="home",
            title=f"{config.site_name} | {config.region}" if config.region else config.site_name,
            heading=config.site_name,
            description=_shorten(description),
            breadcrumbs=[self.home_crumb],
            context={
                "recent": recent[: config.home_recent],
                "town_links": self.links(self.directory.by_town, ref.towns, urls.town),
                "way_links": self.links(
                    self.directory.by_how_to_buy, ref.how_to_buy, urls.how_to_buy
                ),
                "category_links": self.links(
                    self.directory.by_category, ref.categories, urls.category
                ),
            },
            lastmod=max((m.verified for m in self.directory.listed), default=None),
        )
        spec.jsonld.append(
            {
                "@context": "https://schema.org",
                "@type": "WebSite",
                "name": config.site_name,
                "url": seo.absolute(config, ""),
                "inLanguage": self.lang,
            }
        )
        return spec

    def merchants(self):
        _ = self._
        ref = self.directory.reference
        for merchant in self.directory.merchants:
            town = ref.towns[merchant.town]
            url = urls.merchant(merchant.town, merchant.slug)
            spec = PageSpec(
                url=url,
                template="merchant",
                title=self.title(f"{merchant.name}, {self.name(town)}"),
                heading=merchant.name,
                description=merchant.summary,
                breadcrumbs=[
                    self.home_crumb,
                    (self.name(town), urls.town(merchant.town)),
                    (merchant.name, url),
                ],
                context={"merchant": merchant, "town": town},
                indexable=merchant.listed,
                lastmod=merchant.verified,
                og_type="business.business",
                image=merchant.image,
            )
            spec.jsonld.append(
                seo.merchant_jsonld(merchant, self.directory, self.config, url, self.lang)
            )
            yield self.finish(spec)

    def towns(self):
        _ = self._
        directory = self.directory
        for key, merchants in directory.by_town.items():
            town = directory.reference.towns[key]
            name = self.name(town)
            ref = directory.reference
            categories = {k: v for k, v in directory.by_town_category.items() if k[0] == key}
            modes = {k: v for k, v in directory.by_town_how_to_buy.items() if k[0] == key}
            description = (
                town.description.get(self.lang)
                if town.description
                else _(
                    "{count} commerces locaux à {town} ({region}) : en magasin, "
                    "livraison, commande en ligne et plus."
                ).format(count=len(merchants), town=name, region=town.region.get(self.lang))
            )
            yield from self.lists(
                urls.town(key),
                merchants,
                "town",
                title=_("Commerces locaux à {town}").format(town=name),
                heading=_("Commerces locaux à {town}").format(town=name),
                description=description,
                crumbs=[self.home_crumb, (_("Villes"), urls.towns_index()), (name, urls.town(key))],
                town=town,
                category_links=self.links(
                    categories, ref.categories, lambda k: urls.town_category(*k)
                ),
                way_links=self.links(modes, ref.how_to_buy, lambda k: urls.town_how_to_buy(*k)),
            )

    def categories(self):
        _ = self._
        ref = self.directory.reference
        for key, merchants in self.directory.by_category.items():
            category = ref.categories[key]
            name = self.name(category)
            towns = {k: v for k, v in self.directory.by_town_category.items() if k[1] == key}
            description = (
                category.description.get(self.lang) + ". " if category.description else ""
            ) + _("{count} commerces locaux dans la catégorie {category}.").format(
                count=len(merchants), category=name
            )
            yield from self.lists(
                urls.category(key),
                merchants,
                "category",
                title=_("{category} : commerces locaux").format(category=name),
                heading=name,
                description=description,
                crumbs=[
                    self.home_crumb,
                    (_("Catégories"), urls.categories_index()),
                    (name, urls.category(key)),
                ],
                category=category,
                town_links=[
                    (self.name(ref.towns[t]), urls.town_category(t, c), len(group))
                    for (t, c), group in towns.items()
                ],
            )

    def ways_to_buy(self):
        _ = self._
        ref = self.directory.reference
        for key, merchants in self.directory.by_how_to_buy.items():
            mode = ref.how_to_buy[key]
            name = self.name(mode)
            towns = {k: v for k, v in self.directory.by_town_how_to_buy.items() if k[1] == key}
            description = (mode.description.get(self.lang) + " " if mode.description else "") + _(
                "{count} commerces locaux : {mode}."
            ).format(count=len(merchants), mode=name.lower())
            yield from self.lists(
                urls.how_to_buy(key),
                merchants,
                "how_to_buy",
                title=_("{mode} : commerces locaux").format(mode=name),
                heading=name,
                description=description,
                crumbs=[
                    self.home_crumb,
                    (_("Comment acheter"), urls.how_to_buy_index()),
                    (name, urls.how_to_buy(key)),
                ],
                way_to_buy=mode,
                town_links=[
                    (self.name(ref.towns[t]), urls.town_how_to_buy(t, m), len(group))
                    for (t, m), group in towns.items()
                ],
            )

    def town_crossings(self):
        _ = self._
        ref = self.directory.reference
        for (town_key, key), merchants in self.directory.by_town_category.items():
            town, category = ref.towns[town_key], ref.categories[key]
            label = _("{category} à {town}").format(
                category=self.name(category), town=self.name(town)
            )
            yield from self.lists(
                urls.town_category(town_key, key),
                merchants,
                "town_category",
                title=label,
                heading=label,
                description=_(
                    "{count} commerces locaux à {town} dans la catégorie {category}."
                ).format(count=len(merchants), town=self.name(town), category=self.name(category)),
                crumbs=[
                    self.home_crumb,
                    (self.name(town), urls.town(town_key)),
                    (self.name(category), urls.town_category(town_key, key)),
                ],
                town=town,
                category=category,
            )
        for (town_key, key), merchants in self.directory.by_town_how_to_buy.items():
            town, mode = ref.towns[town_key], ref.how_to_buy[key]
            label = _("{mode} à {town}").format(mode=self.name(mode), town=self.name(town))
            yield from self.lists(
                urls.town_how_to_buy(town_key, key),
                merchants,
                "town_how_to_buy",
                title=label,
                heading=label,
                description=_("{count} commerces locaux à {town} : {mode}.").format(
                    count=len(merchants), town=self.name(town), mode=self.name(mode).lower()
                ),
                crumbs=[
                    self.home_crumb,
                    (self.name(town), urls.town(town_key)),
                    (self.name(mode), urls.town_how_to_buy(town_key, key)),
                ],
                town=town,
                way_to_buy=mode,
            )

    def _index(self, url, template, title, description, **ctx) -> PageSpec:
        spec = PageSpec(
            url=url,
            template=template,
            title=self.title(title),
            heading=title,
            description=_shorten(description),
            breadcrumbs=[self.home_crumb, (title, url)],
            context=ctx,
            lastmod=max((m.verified for m in self.directory.listed), default=None),
        )
        return self.finish(spec)

    def towns_index(self) -> PageSpec:
        _ = self._
        ref = self.directory.reference
        regions: dict = {}
        for key, group in self.directory.by_town.items():
            town = ref.towns[key]
            regions.setdefault(town.region.get(self.lang), []).append(
                (self.name(town), urls.town(key), len(group))
            )
        return self._index(
            urls.towns_index(),
            "towns",
            _("Toutes les villes"),
            _("Les villes de {region} et leurs commerces locaux.").format(
                region=self.config.region or _("la région")
            ),
            regions=list(regions.items()),
        )

    def categories_index(self) -> PageSpec:
        _ = self._
        return self._index(
            urls.categories_index(),
            "categories",
            _("Toutes les catégories"),
            _("Restaurants, épiceries, artisans… tous les types de commerces locaux."),
        )

    def how_to_buy_index(self) -> PageSpec:
        _ = self._
        return self._index(
            urls.how_to_buy_index(),
            "how_to_buy_index",
            _("Toutes les façons d'acheter"),
            _("En magasin, en cueillette, en livraison ou en ligne : achetez local à votre façon."),
        )

    def pages(self):
        for page in self.directory.content.pages:
            url = urls.page(page.slug)
            spec = PageSpec(
                url=url,
                template="page",
                title=self.title(page.title),
                heading=page.title,
                description=page.summary,
                breadcrumbs=[self.home_crumb, (page.title, url)],
                context={"content_page": page},
            )
            yield self.finish(spec)
