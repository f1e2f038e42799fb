"""Outreach beyond the web: window posters with a QR code, a printable list per town, and the
share card of each merchant, town, category and way to buy.

Planned here, beside plan.py, so that plan.py only calls in: `pages()` adds the pages and
`attach_share_cards()` gives the other pages their og:image.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import partial

from . import hours, share_cards, urls
from .qr import InlineQr, public_url


@dataclass(frozen=True)
class HourGroup:
    """Days in a row open at the same times: "lundi au vendredi : 9 h à 17 h"."""

    first: int  # 0 = Monday
    last: int
    spans: tuple[tuple[str, str], ...]


def pages(planner):
    """The posters of open merchants and of towns, and each town's printable list."""
    directory = planner.directory
    if planner.config.merchant_posters:
        names = Counter((m.town, planner.merchant_name(m)) for m in directory.merchants)
    for merchant in directory.merchants if planner.config.merchant_posters else ():
        if merchant.listed:  # a closed business gets no poster: nothing to buy there
            twin = names[(merchant.town, planner.merchant_name(merchant))] > 1
            # Planned from its merchant and whether it has a twin (in its unit's name: no
            # inputs to fingerprint): kept while they are the same.
            unit = ("twin poster" if twin else "poster", *merchant.key)
            make = partial(_merchant_posters, planner, merchant, twin)
            yield from planner.unit(unit, [merchant], (), make)
    for key, merchants in directory.by_town.items():
        # Planned from the town's merchants and its ways to buy: kept while they are the same.
        ways = tuple(way for (town_key, way) in directory.by_town_how_to_buy if town_key == key)
        make = partial(_town_pages, planner, key, merchants)
        yield from planner.unit(("town outreach", key), merchants, (key, ways), make)


def optional_files(specs) -> dict:
    """The output files of each setting a large directory may turn off (setting -> file
    names): what the build suggests when the output is over a host's limit (host_limits.py).
    """
    posters = [spec.output_file for spec in specs if urls.is_merchant_poster(spec.path)]
    cards = {
        spec.share_card.url
        for spec in specs
        if spec.template == "merchant" and spec.share_card is not None
    }
    return {"BUYLOCAL_MERCHANT_POSTERS": posters, "BUYLOCAL_MERCHANT_SHARE_CARDS": sorted(cards)}


def _merchant_posters(planner, merchant, twin: bool) -> list:
    return [merchant_poster(planner, merchant, twin)]


def _town_pages(planner, key: str, merchants) -> list:
    return [town_poster(planner, key, merchants), town_print(planner, key, merchants)]


def _poster_context(planner, target: str, label: str, **values) -> dict:
    """What a poster shows: the address, as text, and its QR code once the site is public."""
    site = public_url(planner.config.site_url)
    address = f"{site}/{planner.prefix}{target}" if site else None
    return {
        "target_url": target,
        "target_path": planner.prefix + target,  # from the site root, when there is no QR
        "public_address": address,
        "qr": InlineQr(address, label) if address else None,
        **values,
    }


def merchant_poster(planner, merchant, twin: bool = False):
    """`twin`: another merchant of the town has the same name; the title adds the street."""
    from .plan import PageSpec, _street  # plan.py imports this module

    _ = planner._
    ref = planner.directory.reference
    town = ref.towns[merchant.town]
    target = urls.merchant(merchant.town, merchant.slug)
    url = urls.merchant_poster(merchant.town, merchant.slug)
    shop_name = name = planner.merchant_name(merchant)
    if twin:
        name = f"{name}, {_street(merchant.address) or merchant.slug}"
    return PageSpec(
        url=url,
        template="poster",
        title=_("Affiche pour la vitrine : {name}").format(name=name),
        heading=shop_name,
        description=_(
            "Affiche à imprimer pour la vitrine de {name} : un code QR mène à sa fiche."
        ).format(name=shop_name),
        breadcrumbs=[
            planner.home_crumb,
            (planner.name(town), urls.town(merchant.town)),
            (shop_name, target),
            (_("Affiche"), url),
        ],
        context=_poster_context(
            planner,
            target,
            _("Code QR de la fiche de {name}").format(name=shop_name),
            shop=merchant,  # not "merchant": plan.py retitles merchant pages of one name
            town=town,
            ways=[planner.name(ref.how_to_buy[key]) for key in merchant.how_to_buy],
        ),
        indexable=False,
    )


def town_poster(planner, key: str, merchants):
    from .plan import PageSpec

    _ = planner._
    directory = planner.directory
    town = directory.reference.towns[key]
    name = planner.name(town)
    url = urls.town_poster(key)
    ways = [way for (town_key, way) in directory.by_town_how_to_buy if town_key == key]
    return PageSpec(
        url=url,
        template="poster",
        title=_("Affiche de la ville : {town}").format(town=name),
        heading=_("J’achète local à {town}").format(town=name),
        description=_(
            "Affiche à imprimer pour les commerces de {town} : un code QR mène à la liste "
            "de ses commerces locaux."
        ).format(town=name),
        breadcrumbs=[
            planner.home_crumb,
            (name, urls.town(key)),
            (_("Affiche"), url),
        ],
        context=_poster_context(
            planner,
            urls.town(key),
            _("Code QR de la liste des commerces de {town}").format(town=name),
            town=town,
            count=planner.count_text(len(merchants)),
            ways=[planner.name(directory.reference.how_to_buy[way]) for way in ways],
        ),
        indexable=False,
    )


def town_print(planner, key: str, merchants):
    from .plan import PageSpec

    _ = planner._
    town = planner.directory.reference.towns[key]
    name = planner.name(town)
    url = urls.town_print(key)
    return PageSpec(
        url=url,
        template="town_print",
        title=_("Liste à imprimer : {town}").format(town=name),
        heading=_("Commerces locaux à {town}").format(town=name),
        description=_(
            "La liste des commerces locaux de {town} à imprimer : adresse, téléphone, façons "
            "d'acheter et heures d'ouverture."
        ).format(town=name),
        breadcrumbs=[
            planner.home_crumb,
            (name, urls.town(key)),
            (_("Liste à imprimer"), url),
        ],
        context={
            "town": town,
            "entries": [(m, hour_groups(m)) for m in merchants],
            "count": planner.count_text(len(merchants)),
            "public_address": public_url(planner.config.site_url),
        },
        indexable=False,
        lastmod=max((m.verified for m in merchants), default=None),
    )


def hour_groups(merchant) -> list[HourGroup] | None:
    """The week in a few words, or None when it is not that simple (seasons, holidays,
    notes such as "sur rendez-vous"): a printed list must not be wrong half the year.
    """
    if not merchant.hours:
        return None
    week = hours.week_table(merchant.hours, merchant.verified)
    if not week.complete or any(day.note for day in week.days):
        return None
    groups: list[HourGroup] = []
    for day in week.days:
        if not day.spans:
            continue
        previous = groups[-1] if groups else None
        if previous and previous.last == day.day - 1 and previous.spans == day.spans:
            groups[-1] = HourGroup(previous.first, day.day, day.spans)
        else:
            groups.append(HourGroup(day.day, day.day, day.spans))
    return groups or None


# -- share cards ---------------------------------------------------------------------------


def attach_share_cards(specs, planner) -> None:
    """Give each merchant, town, category and way-to-buy page its card (og:image).

    Every page of one list shares the card of its first page. A merchant with a photo keeps
    the photo as its share image, and a closed one gets no card.
    """
    config = planner.config
    region = config.region.get(planner.lang)
    band = f"{config.site_name} · {region}" if region else config.site_name
    footer = config.site_url.split("://", 1)[-1] if config.site_url else ""
    made: dict = {}
    # Once per build: this is also called for each unit of pages kept light (plan.py).
    crossings = planner.once(("share card crossings",), lambda: _crossings(planner.directory))
    for spec in specs:
        found = _card(spec, planner, band, footer, crossings)
        if found is None:
            continue
        base_url, card, alt = found
        if base_url not in made:
            digest = share_cards.digest(card, config.colors)
            made[base_url] = share_cards.ShareImage(
                urls.share_card(planner.prefix + base_url, digest), card, digest, alt
            )
        spec.share_card = made[base_url]


def _crossings(directory) -> dict:
    """The keys of the ways to buy in each town, and of the towns of each category and
    way to buy, in the directory's order: once, not for each of thousands of list pages.
    """
    found = {kind: defaultdict(list) for kind in ("town", "category", "how_to_buy")}
    for town, way in directory.by_town_how_to_buy:
        found["town"][town].append(way)
        found["how_to_buy"][way].append(town)
    for town, category in directory.by_town_category:
        found["category"][category].append(town)
    return found


def _card(spec, planner, band: str, footer: str, crossings: dict):
    """(the list's first page, the Card, its alt text) for pages that have a card."""
    ref = planner.directory.reference
    context = spec.context
    template = spec.template
    if template == "merchant":
        merchant = context["merchant"]
        if not merchant.listed or merchant.image:  # the merchant's own photo is shared as is
            return None
        if not planner.config.merchant_share_cards:
            return None
        town = planner.name(context["town"])
        category = planner.name(ref.categories[merchant.categories[0]])
        ways = tuple(planner.name(ref.how_to_buy[key]) for key in merchant.how_to_buy)
        name = planner.merchant_name(merchant)
        card = share_cards.Card(band, name, f"{town} · {category}", ways, footer)
        alt = planner._("{name}, {town} : {ways}").format(
            name=name, town=town, ways=", ".join(ways).lower()
        )
        return urls.merchant(merchant.town, merchant.slug), card, alt
    if template == "town":
        town = context["town"]
        names = tuple(planner.name(ref.how_to_buy[way]) for way in crossings["town"][town.key])
        region = town.region.get(planner.lang)
        return _list_card(spec, planner, band, footer, urls.town(town.key), town, names, region)
    if template in ("category", "how_to_buy"):
        item = context["category" if template == "category" else "way_to_buy"]
        towns = tuple(planner.name(ref.towns[t]) for t in crossings[template][item.key])
        base = urls.category(item.key) if template == "category" else urls.how_to_buy(item.key)
        return _list_card(spec, planner, band, footer, base, item, towns)
    return None


def _list_card(spec, planner, band, footer, base_url, item, chips, region=""):
    count = planner.count_text(spec.context["pagination"].total_items)
    name = planner.name(item)
    subtitle = f"{count} · {region}" if region else count
    card = share_cards.Card(band, name, subtitle, chips, footer)
    return base_url, card, planner._("{name} : {subtitle}").format(name=name, subtitle=subtitle)
