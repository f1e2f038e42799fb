"""The directory index to the list of pages to render: one PageSpec per output page.

Every page is a pure function of (index entry, settings, language): this module decides which
pages exist, their URLs, titles, descriptions, breadcrumbs and structured data; templates
only lay them out.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import date
from functools import partial

from . import hours, incremental, languages, outreach, publications, seo, urls
from .index import Directory
from .model import Image, Merchant
from .report import is_stale
from .settings import SiteConfig


@dataclass
class PageSpec:
    url: str
    template: str
    title: str  # the <title> without the site name; unique across the site once planned
    heading: str  # the <h1>
    description: str
    breadcrumbs: list  # [(name, url)], home first, this page last
    context: dict = field(default_factory=dict)
    indexable: bool = True  # False: noindex, and left out of the sitemap
    lastmod: date | None = None
    og_type: str = "website"
    image: Image | None = None
    # schema.org data, each as the text of its <script> (seo.script_text) or worked out when
    # the page is rendered (seo.StructuredData): dicts took a third of the planned pages'
    # memory, and texts a quarter.
    jsonld: list = field(default_factory=list)
    kind_label: str = ""  # tells two same-titled pages apart ("catégorie", "façon d'acheter")
    share_card: object | None = None  # share_cards.ShareImage, given by outreach.py
    lang: str = "fr"
    # The URL within its language's site ("rimouski/"): `url` is "en/rimouski/" in English.
    # Links in templates are this kind, after `root`, the way back to the language's home.
    path: str = ""
    alternates: tuple = ()  # (lang, url) of this page in every language, this one included

    @property
    def output_file(self) -> str:
        return urls.output_file(self.url)


# What a kept or light page holds from the start: enough for planning, the sitemap, the
# share cards and the record of pages. The rest (context, structured data...) is planned
# again only if something asks for it, as when the page must be rendered.
LIGHT_FIELDS = (
    "url",
    "template",
    "title",
    "indexable",
    "lastmod",
    "og_type",
    "image",
    "kind_label",
    "share_card",
)


def light_state(spec: PageSpec) -> dict:
    """What a kept or light page holds of a page planned whole."""
    return {name: getattr(spec, name) for name in LIGHT_FIELDS}


class LazyPageSpec(PageSpec):
    """A page that holds only its LIGHT_FIELDS (and what planning finished: URL, title,
    language, twins) until something asks for more: its other fields are then planned
    again, once, from the same inputs (_Replan), in whichever process asks.
    """

    # The fields planned again on first use, and let go once the page is written (lighten).
    PLANNED_LATER = ("heading", "description", "breadcrumbs", "context", "jsonld")

    @classmethod
    def restore(cls, state: dict, merchant, replan) -> LazyPageSpec:
        spec = object.__new__(cls)
        # merchant: a merchant page's, for titles (_make_titles_unique); replan: (_Replan,
        # this page's place in its unit)
        spec.__dict__ = {**state, "merchant": merchant, "_replan": replan}
        return spec

    def _answers(self) -> tuple:
        """Its crumbs' (url, exists), for linking them when planned again."""
        raise NotImplementedError

    def __getattr__(self, name):
        # Not for what copy or pickle look up: the page would be planned for nothing.
        if name.startswith("__") or "_replan" not in self.__dict__:
            raise AttributeError(name)
        unit, index = self.__dict__["_replan"]
        whole = unit.page(index, self._answers())
        del self.__dict__["_replan"]
        for key in self.PLANNED_LATER:  # the rest is here already, as planning finished it
            self.__dict__[key] = getattr(whole, key)
        return getattr(self, name)

    def lighten(self) -> None:
        """Back to its light fields once written: the rest would stay in the process that
        rendered it until the end of the build (a worker: until it exits).
        """
        for name in self.PLANNED_LATER:
            self.__dict__.pop(name, None)


class KeptPageSpec(LazyPageSpec):
    """A page as an earlier build planned it, from cache/ (incremental.PlanCache), instead of
    planned again: its LIGHT_FIELDS, its fingerprint, the keys of its context, and what it
    depended on across the site when it was planned (`expected`: its crumbs' (url, exists),
    its finished title, its twins in other languages).

    It starts as planning's first draft (its title before titles are made unique, its URL
    within its language's site); Planner.plan finishes it like any other page and checks
    that it comes out as it did then, or raises PlanChanged. Its other fields are planned
    again, from the same inputs, on first use.
    """

    def _answers(self) -> tuple:
        return self.expected[0]


class LightPageSpec(LazyPageSpec):
    """A page planned in this build, kept light until rendered (Planner `light`): a
    merchant's page, a list's pages, posters.

    In a build that renders every page, the contexts, crumbs and structured data of the
    28,600 pages of 10,000 merchants (about 40 MB) would otherwise be held from planning to
    the end of rendering, and every page of memory they sit on copied by the rendering
    worker that reads them. Planned again where the page is rendered, they are that
    process's own, and freed once the page is written. Planning finishes it like a kept
    page, from its first draft's crumbs (`crumb_urls`).
    """

    @classmethod
    def lighten_planned(cls, spec: PageSpec, merchant, replan) -> LightPageSpec:
        state = light_state(spec)
        state["crumb_urls"] = tuple(url for _name, url in spec.breadcrumbs)
        return cls.restore(state, merchant, replan)

    def _answers(self) -> tuple:
        return self.__dict__["answers"]  # set by Planner.plan


# A page's fields in two parts: those a LazyPageSpec holds, and those it plans again.
_held_fields = operator.attrgetter(
    *(f.name for f in fields(PageSpec) if f.name not in LazyPageSpec.PLANNED_LATER)
)
_planned_later = operator.attrgetter(*LazyPageSpec.PLANNED_LATER)


def page_fingerprint(spec: PageSpec, merchant_digests: dict) -> str | None:
    """What the page is rendered from, as one digest: the same for a page planned whole
    and for a LazyPageSpec planned whole again (each part pickled on its own:
    incremental.fingerprint_parts). Only PageSpec's fields: whatever a template reads
    from a page must be one of them.
    """
    return incremental.fingerprint_parts(
        (_held_fields(spec), _planned_later(spec)), merchant_digests
    )


class _Replan:
    """Plans the pages of a unit kept or kept light again, once, when one of them is
    needed whole.
    """

    def __init__(self, planner: Planner, make: Callable):
        self.planner, self.make, self.specs = planner, make, None

    def page(self, index: int, answers: tuple) -> PageSpec:
        if self.specs is None:
            self.specs = list(self.make())
        # Each page asks once: what it takes is let go with it, not held here for the rest.
        spec, self.specs[index] = self.specs[index], None
        self.planner.link_crumbs(spec, {url for url, exists in answers if exists})
        return spec


class PlanChanged(Exception):
    """A kept page would not come out of planning as it did when it was kept: plan again
    without kept pages.
    """


@dataclass(frozen=True)
class Facet:
    """What differs between the pages of categories and those of ways to buy."""

    template: str
    context_name: str  # the template variable holding the category or way to buy
    items: dict  # key -> Category or HowToBuy
    groups: dict  # key -> listed merchants
    crossings: dict  # (town, key) -> listed merchants
    url: Callable
    town_url: Callable
    index_crumb: tuple
    kind_label: str
    title: str
    count_phrase: str
    crossing_title: str
    crossing_description: str


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


def _street(address: str | None) -> str:
    """The street part of an address: "152, rue Saint-Germain Est, Rimouski…" -> "152, rue…"."""
    parts = [part.strip() for part in (address or "").split(",")]
    return ", ".join(parts[:2]) if parts[0].isdigit() else parts[0]


def _week(merchant: Merchant):
    return hours.week_table(merchant.hours, merchant.verified) if merchant.hours else None


def _sentence(*parts: str) -> str:
    """Join sentences that may or may not end with a period ("!", "?" and "…" stay)."""
    sentences = [part.strip() for part in parts if part and part.strip()]
    return " ".join(s if s.endswith(("!", "?", "…", ".")) else s + "." for s in sentences)


class Planner:
    def __init__(
        self,
        directory: Directory,
        config: SiteConfig,
        lang: str | None = None,
        translations: languages.Catalog | None = None,
        shared: dict | None = None,
        kept: Callable | None = None,
        digests: dict | None = None,
        light: bool = False,
    ):
        self.directory = directory
        self.config = config
        self.lang = lang or config.default_lang
        self.prefix = languages.prefix(self.lang, config.default_lang)
        if translations is None:
            translations = languages.translations(self.lang)
        self._ = translations.gettext
        self.ngettext = translations.ngettext
        self.number = translations.number  # formatted once each (Catalog.number)
        self.home_crumb = (self._("Accueil"), urls.HOME)
        self._shared = {} if shared is None else shared
        # Units of pages (one merchant's page, one list's pages) can be kept from earlier
        # builds: kept(unit, its digest, lang) gives their KeptPageSpecs, or None. A unit's
        # digest is its merchant's, or that of what its list is planned from (merchants by
        # their digests: `digests`, merchant key -> digest).
        self._kept = kept
        self._digests = digests
        # The pages of units planned here (merchants, lists, posters) are kept light until
        # rendered (LightPageSpec): for a build that renders them all.
        self._light = light
        # True while a unit's pages are first planned to be kept light: what only their
        # other fields are made from (a merchant's week, structured data) is left for later.
        self._drafting = False
        self.units: list = []  # (unit, digest, specs) of the units planned here
        self.drafts: dict = {}  # id(spec) -> (draft title, crumbs' (url, exists))

    def once(self, key, make: Callable):
        """What every language's planner needs alike (the open data files, each merchant's
        week), worked out once.
        """
        if key not in self._shared:
            self._shared[key] = make()
        return self._shared[key]

    def plan(self) -> list[PageSpec]:
        """Every page of the site, with breadcrumbs that point only at pages that exist.

        Kept pages (KeptPageSpec) are finished like the others and must come out as they
        did when kept; if one does not, PlanChanged is raised. Pages kept light
        (LightPageSpec) have their crumbs linked when they are planned again.
        """
        specs = list(self.all())
        fresh = [spec for spec in specs if not isinstance(spec, LazyPageSpec)]
        kept = [spec for spec in specs if isinstance(spec, KeptPageSpec)]
        outreach.attach_share_cards(fresh, self)
        built = {spec.url for spec in specs}
        for spec in kept:
            if any((url in built) != exists for url, exists in spec.expected[0]):
                raise PlanChanged(spec.url)
        for spec in specs:
            if isinstance(spec, KeptPageSpec):
                continue
            light = isinstance(spec, LightPageSpec)
            if light:
                crumb_urls = spec.__dict__.pop("crumb_urls")
            else:
                crumb_urls = [url for _name, url in spec.breadcrumbs]
            answers = tuple((url, url in built) for url in crumb_urls)
            self.drafts[id(spec)] = (spec.title, answers)
            if light:
                spec.answers = answers  # its crumbs are linked when planned again
            else:
                self.link_crumbs(spec, built)
        self._make_titles_unique(specs)
        for spec in specs:
            if spec.url != urls.HOME:
                spec.title = f"{spec.title} | {self.config.site_name}"
            spec.lang, spec.path, spec.url = self.lang, spec.url, self.prefix + spec.url
        for spec in kept:
            if spec.title != spec.expected[1]:
                raise PlanChanged(spec.url)
        return specs

    def link_crumbs(self, spec: PageSpec, built) -> None:
        """Crumbs link only to pages that exist (`built`); their schema.org list."""
        # A closed merchant's town may have no page: keep the crumb, without a link.
        spec.breadcrumbs = [(name, url if url in built else None) for name, url in spec.breadcrumbs]
        linked = [(name, self.prefix + url) for name, url in spec.breadcrumbs if url is not None]
        if len(spec.breadcrumbs) > 1:
            data = seo.StructuredData(seo.breadcrumb_jsonld, (linked, self.config))
            spec.jsonld.append(data)

    def unit(self, unit: tuple, merchants, inputs: tuple, make: Callable, merchant=None) -> list:
        """The pages `make()` plans from `merchants` and `inputs` (besides the site key and
        the language), or, if an earlier build planned them from the same, those pages kept
        (KeptPageSpec); planned anew by a planner told `light`, they are kept light
        (LightPageSpec). `merchant`: the merchant of a merchant page.
        """
        digest = self._unit_digest(merchants, inputs) if self._digests is not None else None
        states = self._kept(unit, digest, self.lang) if self._kept and digest else None
        if states is not None:
            replan = _Replan(self, make)
            return [
                KeptPageSpec.restore(state, merchant, (replan, index))
                for index, state in enumerate(states)
            ]
        if not self._light:
            specs = list(make())
        else:
            self._drafting = True
            try:
                specs = list(make())
            finally:
                self._drafting = False
            outreach.attach_share_cards(specs, self)  # from the context, let go here
            replan = _Replan(self, make)
            specs = [
                LightPageSpec.lighten_planned(spec, merchant, (replan, index))
                for index, spec in enumerate(specs)
            ]
        self.units.append((unit, digest, specs))
        return specs

    def _unit_digest(self, merchants, inputs: tuple) -> str | None:
        """A digest of what a unit's pages are planned from, besides the site key and the
        language: its merchants, by their digests, and the rest of its inputs.
        """
        try:
            found = "".join([self._digests[merchant.key] for merchant in merchants])
        except KeyError:
            return None
        if not inputs:  # a merchant's page: its merchant's digest says it all
            return found
        rest = incremental.fingerprint(inputs, self._digests)  # None: cannot be taken
        return rest and incremental.digest(rest.encode(), found.encode())

    def _make_titles_unique(self, specs: list[PageSpec]) -> None:
        """Two merchants of one name in one town, or a category named like a way to buy,
        must not share a <title>: tell them apart by address or by kind of page.
        """
        by_title: dict = {}
        for spec in specs:
            by_title.setdefault(spec.title, []).append(spec)
        for same in by_title.values():
            if len(same) < 2:
                continue
            for spec in same:
                merchant = (
                    spec.merchant
                    if isinstance(spec, LazyPageSpec)
                    else spec.context.get("merchant")
                )
                if merchant is not None:
                    where = _street(merchant.address) or merchant.slug
                    town = self.name(self.directory.reference.towns[merchant.town])
                    spec.title = f"{self.merchant_name(merchant)}, {where}, {town}"
                elif spec.kind_label:
                    spec.title = f"{spec.title} ({spec.kind_label})"
        # Whatever still collides (across groups too) gets its address, which is unique.
        counts: dict = {}
        for spec in specs:
            counts[spec.title] = counts.get(spec.title, 0) + 1
        for spec in specs:
            if counts[spec.title] > 1:
                spec.title = f"{spec.title} ({spec.url.strip('/')})"

    # -- helpers ---------------------------------------------------------------------------

    def name(self, item) -> str:
        return item.name.get(self.lang)

    def merchant_name(self, merchant: Merchant) -> str:
        return languages.field_text(merchant, "name", self.lang)[0]

    def item_list(self, entries, first_position: int = 1) -> dict:
        """schema.org ItemList of (name, url) entries, URLs within this language's site."""
        return seo.item_list_jsonld(entries, self.config, first_position, self.prefix)

    def count_text(self, count: int) -> str:
        return self.ngettext("{count} commerce local", "{count} commerces locaux", count).format(
            count=self.number(count)
        )

    def names(self, keys, items, limit: int = 3) -> str:
        """The first few names, lowercased, from the data: "en magasin, livraison locale"."""
        return ", ".join(self.name(items[key]).lower() for key in list(keys)[:limit])

    def links(self, groups: dict, items: dict, url) -> list:
        """(label, url, count) for each group key, for the chip lists of index pages."""
        return [(self.name(items[key]), url(key), len(group)) for key, group in groups.items()]

    def crossing_links(self, crossings: dict, items: dict, item_of, url) -> list:
        """Chips for the town × category or town × way-to-buy pages of one town or one key."""
        return [
            (self.name(items[item_of(pair)]), url(*pair), len(group))
            for pair, group in crossings.items()
        ]

    def lists(self, base_url, merchants, template, title, description, crumbs, **ctx):
        """A paginated list of merchants: page 1 at base_url, page N at base_url/page/N/;
        kept from an earlier build if planned from the same.
        """
        args = (base_url, merchants, template, title, description, crumbs)
        inputs = (base_url, template, title, description, crumbs, ctx)
        make = partial(self._list_pages, *args, **ctx)
        yield from self.unit(("list", base_url), merchants, inputs, make)

    def _list_pages(self, base_url, merchants, template, title, description, crumbs, **ctx):
        _ = self._
        size = self.config.page_size
        count = max(1, -(-len(merchants) // size))
        lastmod = max((m.verified for m in merchants), default=None)
        kind_label = ctx.pop("kind_label", "")
        for number in range(1, count + 1):
            chunk = merchants[(number - 1) * size : number * size]
            first = (number - 1) * size + 1
            pagination = Pagination(number, count, base_url, len(merchants), first)
            url = urls.paginated(base_url, number)
            suffix = _("page {number} de {count}").format(number=number, count=count)
            spec = PageSpec(
                url=url,
                template=template,
                title=title if number == 1 else f"{title} ({suffix})",
                heading=title,
                description=_shorten(description if number == 1 else f"{description} ({suffix})"),
                breadcrumbs=crumbs if number == 1 else [*crumbs, (suffix, url)],
                context={"merchants": chunk, "pagination": pagination, **ctx},
                lastmod=lastmod,
                kind_label=kind_label,
            )
            if not self._drafting:
                args = (chunk, self.config, first, self.prefix, self.lang)
                spec.jsonld.append(seo.StructuredData(seo.merchants_list_jsonld, args))
            yield spec

    def _index(self, url, template, title, description, entries, **ctx) -> PageSpec:
        spec = PageSpec(
            url=url,
            template=template,
            title=title,
            heading=title,
            description=_shorten(description),
            breadcrumbs=[self.home_crumb, (title, url)],
            context=ctx,
            lastmod=max((m.verified for m in self.directory.listed), default=None),
        )
        spec.jsonld.append(seo.script_text(self.item_list(entries)))
        return spec

    # -- pages -----------------------------------------------------------------------------

    def all(self):
        yield self.home()
        yield from self.merchants()
        yield from self.towns()
        facets = self.facets()
        for facet in facets:
            yield from self.facet_pages(facet)
        for facet in facets:
            yield from self.crossing_pages(facet)
        yield self.towns_index()
        yield self.categories_index()
        yield self.how_to_buy_index()
        if self.config.search:
            yield self.search_page()
        yield from self.pages()
        yield from publications.pages(self)
        yield from outreach.pages(self)

    def home(self) -> PageSpec:
        _ = self._
        config = self.config
        directory = self.directory
        ref = directory.reference
        recent = sorted(directory.listed, key=lambda m: (m.added, m.name), reverse=True)
        description = config.tagline.get(self.lang) or _(
            "Trouvez les commerces locaux de {region} par ville, par catégorie et selon votre "
            "façon d'acheter : {ways}."
        ).format(
            region=config.region.get(self.lang) or _("votre région"),
            ways=self.names(directory.by_how_to_buy, ref.how_to_buy),
        )
        spec = PageSpec(
            url=urls.HOME,
            template="home",
            title=(
                f"{config.site_name} | {config.region.get(self.lang)}"
                if config.region
                else config.site_name
            ),
            heading=config.site_name,
            description=_shorten(description),
            breadcrumbs=[self.home_crumb],
            context={
                "recent": recent[: config.home_recent],
                "town_links": self.links(directory.by_town, ref.towns, urls.town),
                "way_links": self.links(directory.by_how_to_buy, ref.how_to_buy, urls.how_to_buy),
                "category_links": self.links(directory.by_category, ref.categories, urls.category),
            },
            lastmod=max((m.verified for m in directory.listed), default=None),
        )
        website = {
            "@context": "https://schema.org",
            "@type": "WebSite",
            "name": config.site_name,
            "url": seo.absolute(config, self.prefix),
            "inLanguage": self.lang,
        }
        spec.jsonld.append(seo.script_text(website))
        return spec

    def merchants(self):
        for merchant in self.directory.merchants:
            unit = ("merchant", *merchant.key)
            yield from self.unit(unit, [merchant], (), partial(self._merchant, merchant), merchant)

    def _merchant(self, merchant: Merchant) -> list[PageSpec]:
        return [self.merchant(merchant)]

    def merchant(self, merchant: Merchant) -> PageSpec:
        """A merchant's page, planned from its merchant."""
        ref = self.directory.reference
        town = ref.towns[merchant.town]
        url = urls.merchant(merchant.town, merchant.slug)
        # Left out of a first plan (LightPageSpec); worked out once per process that renders
        # the merchant's pages: its other language's page is often rendered there too.
        whole = not self._drafting
        week = self.once(("week", merchant.key), lambda m=merchant: _week(m)) if whole else None
        name = self.merchant_name(merchant)
        spec = PageSpec(
            url=url,
            template="merchant",
            title=f"{name}, {self.name(town)}",
            heading=name,
            description=languages.field_text(merchant, "summary", self.lang)[0],
            breadcrumbs=[
                self.home_crumb,
                (self.name(town), urls.town(merchant.town)),
                (name, url),
            ],
            # The week is worked out once, for the table and for schema.org alike.
            context={
                "merchant": merchant,
                "town": town,
                "week": week,
                "open_hours": self.open_hours(merchant, week) if whole else None,
            },
            indexable=merchant.listed,
            lastmod=merchant.verified,
            og_type="business.business",
            image=merchant.image,
        )
        if merchant.listed and whole:  # a closed business is no longer one to describe
            args = (merchant, ref, self.config, self.prefix + url, self.lang, week)
            spec.jsonld.append(seo.StructuredData(seo.merchant_jsonld, args))
        return spec

    def open_hours(self, merchant: Merchant, week) -> str | None:
        """The week for the "Ouvert maintenant" badge: only for an open merchant whose
        listing is recent; a stale one says "call before you go", which a badge would contradict.
        """
        config = self.config
        if merchant.status != "open" or is_stale(merchant, config.today, config.stale_months):
            return None
        return hours.weekly_minutes(week)

    def towns(self):
        _ = self._
        directory = self.directory
        ref = directory.reference
        for key, merchants in directory.by_town.items():
            town = ref.towns[key]
            name = self.name(town)
            categories = {k: v for k, v in directory.by_town_category.items() if k[0] == key}
            ways = {k: v for k, v in directory.by_town_how_to_buy.items() if k[0] == key}
            description = _sentence(
                town.description.get(self.lang) if town.description else "",
                _("{count} à {town} ({region}) : {ways}").format(
                    count=self.count_text(len(merchants)),
                    town=name,
                    region=town.region.get(self.lang),
                    ways=self.names((k[1] for k in ways), ref.how_to_buy),
                ),
            )
            yield from self.lists(
                urls.town(key),
                merchants,
                "town",
                title=_("Commerces locaux à {town}").format(town=name),
                description=description,
                crumbs=[self.home_crumb, (_("Villes"), urls.towns_index()), (name, urls.town(key))],
                town=town,
                category_links=self.crossing_links(
                    categories, ref.categories, lambda pair: pair[1], urls.town_category
                ),
                way_links=self.crossing_links(
                    ways, ref.how_to_buy, lambda pair: pair[1], urls.town_how_to_buy
                ),
            )

    def facets(self) -> list[Facet]:
        """Categories and ways to buy: the two ways of slicing the directory besides towns."""
        _ = self._
        directory, ref = self.directory, self.directory.reference
        return [
            Facet(
                template="category",
                context_name="category",
                items=ref.categories,
                groups=directory.by_category,
                crossings=directory.by_town_category,
                url=urls.category,
                town_url=urls.town_category,
                index_crumb=(_("Catégories"), urls.categories_index()),
                kind_label=_("catégorie"),
                title=_("{name} : commerces locaux"),
                count_phrase=_("{count} dans la catégorie {name}"),
                crossing_title=_("{name} à {town}"),
                crossing_description=_("{count} à {town} dans la catégorie {name}."),
            ),
            Facet(
                template="how_to_buy",
                context_name="way_to_buy",
                items=ref.how_to_buy,
                groups=directory.by_how_to_buy,
                crossings=directory.by_town_how_to_buy,
                url=urls.how_to_buy,
                town_url=urls.town_how_to_buy,
                index_crumb=(_("Comment acheter"), urls.how_to_buy_index()),
                kind_label=_("façon d'acheter"),
                title=_("{name} : commerces locaux"),
                count_phrase=_("{count} : {lowercase}"),
                crossing_title=_("{name} à {town}"),
                crossing_description=_("{count} à {town} : {lowercase}."),
            ),
        ]

    def facet_pages(self, facet: Facet):
        """The list of one category (or way to buy) across towns, with links to each town's."""
        ref = self.directory.reference
        for key, merchants in facet.groups.items():
            item = facet.items[key]
            name = self.name(item)
            count = self.count_text(len(merchants))
            towns = {pair: group for pair, group in facet.crossings.items() if pair[1] == key}
            yield from self.lists(
                facet.url(key),
                merchants,
                facet.template,
                title=facet.title.format(name=name),
                description=_sentence(
                    item.description.get(self.lang) if item.description else "",
                    facet.count_phrase.format(count=count, name=name, lowercase=name.lower()),
                ),
                crumbs=[self.home_crumb, facet.index_crumb, (name, facet.url(key))],
                town_links=self.crossing_links(
                    towns, ref.towns, lambda pair: pair[0], facet.town_url
                ),
                kind_label=facet.kind_label,
                **{facet.context_name: item},
            )

    def crossing_pages(self, facet: Facet):
        """One town × one category (or way to buy), where at least one merchant matches."""
        ref = self.directory.reference
        for (town_key, key), merchants in facet.crossings.items():
            town, item = ref.towns[town_key], facet.items[key]
            name, town_name = self.name(item), self.name(town)
            yield from self.lists(
                facet.town_url(town_key, key),
                merchants,
                f"town_{facet.template}",
                title=facet.crossing_title.format(name=name, town=town_name),
                description=facet.crossing_description.format(
                    count=self.count_text(len(merchants)),
                    town=town_name,
                    name=name,
                    lowercase=name.lower(),
                ),
                crumbs=[
                    self.home_crumb,
                    (town_name, urls.town(town_key)),
                    (name, facet.town_url(town_key, key)),
                ],
                town=town,
                kind_label=facet.kind_label,
                **{facet.context_name: item},
            )

    def towns_index(self) -> PageSpec:
        _ = self._
        ref = self.directory.reference
        regions: dict = {}
        for key, group in self.directory.by_town.items():
            town = ref.towns[key]
            regions.setdefault(town.region.get(self.lang), []).append(
                (self.name(town), urls.town(key), len(group))
            )
        entries = [(name, url) for links in regions.values() for name, url, _count in links]
        return self._index(
            urls.towns_index(),
            "towns",
            _("Toutes les villes"),
            _("Les villes de {region} et leurs commerces locaux.").format(
                region=self.config.region.get(self.lang) or _("la région")
            ),
            entries,
            regions=list(regions.items()),
        )

    def categories_index(self) -> PageSpec:
        _ = self._
        ref = self.directory.reference
        by_category = self.directory.by_category
        return self._index(
            urls.categories_index(),
            "categories",
            _("Toutes les catégories"),
            _("{names}… tous les types de commerces locaux.").format(
                names=self.names(by_category, ref.categories).capitalize()
            ),
            [(self.name(ref.categories[k]), urls.category(k)) for k in by_category],
        )

    def how_to_buy_index(self) -> PageSpec:
        _ = self._
        ref = self.directory.reference
        by_way = self.directory.by_how_to_buy
        return self._index(
            urls.how_to_buy_index(),
            "how_to_buy_index",
            _("Toutes les façons d'acheter"),
            _("{names}… achetez local à votre façon.").format(
                names=self.names(by_way, ref.how_to_buy, 4).capitalize()
            ),
            [(self.name(ref.how_to_buy[k]), urls.how_to_buy(k)) for k in by_way],
        )

    def search_page(self) -> PageSpec:
        """The search page: search.js reads the index in the browser; links to browse
        without JavaScript.
        """
        _ = self._
        directory, ref = self.directory, self.directory.reference
        title = _("Rechercher un commerce")
        return PageSpec(
            url=urls.search(),
            template="search",
            title=title,
            heading=title,
            description=_("Cherchez un commerce local par nom, produit ou mot-clé."),
            breadcrumbs=[self.home_crumb, (title, urls.search())],
            context={
                "town_links": self.links(directory.by_town, ref.towns, urls.town),
                "way_links": self.links(directory.by_how_to_buy, ref.how_to_buy, urls.how_to_buy),
                "category_links": self.links(directory.by_category, ref.categories, urls.category),
            },
            indexable=False,  # an empty search form is no answer to anyone's query
        )

    def pages(self):
        for page in self.directory.content.pages:
            url = urls.page(page.slug)
            title = languages.field_text(page, "title", self.lang)[0]
            yield PageSpec(
                url=url,
                template="page",
                title=title,
                heading=title,
                description=languages.field_text(page, "summary", self.lang)[0],
                breadcrumbs=[self.home_crumb, (title, url)],
                context={"content_page": page},
            )
