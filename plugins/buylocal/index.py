"""Validated merchants to the lists the site shows: by town, category, way to buy and their
crossings. Built once; every page reads from it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from unidecode import unidecode

from .content import Content
from .model import Merchant


def sort_key(merchant: Merchant) -> tuple:
    """Alphabetical as a French reader expects: accents and case do not matter."""
    return (unidecode(merchant.name).casefold(), merchant.town, merchant.slug)


@dataclass(frozen=True)
class Directory:
    content: Content
    merchants: tuple[Merchant, ...]  # every merchant, closed ones included, sorted
    listed: tuple[Merchant, ...]  # what lists show: all but closed
    by_town: dict  # town key -> listed merchants
    by_category: dict
    by_how_to_buy: dict
    by_town_category: dict  # (town, category) -> listed merchants
    by_town_how_to_buy: dict

    @property
    def reference(self):
        return self.content.reference


def build_directory(content: Content) -> Directory:
    merchants = tuple(sorted(content.merchants, key=sort_key))
    listed = tuple(m for m in merchants if m.listed)
    by_town, by_category, by_mode = defaultdict(list), defaultdict(list), defaultdict(list)
    by_town_category, by_town_mode = defaultdict(list), defaultdict(list)
    for merchant in listed:
        by_town[merchant.town].append(merchant)
        for category in merchant.categories:
            by_category[category].append(merchant)
            by_town_category[(merchant.town, category)].append(merchant)
        for mode in merchant.how_to_buy:
            by_mode[mode].append(merchant)
            by_town_mode[(merchant.town, mode)].append(merchant)
    ref = content.reference

    def ordered(groups, order):
        """Groups in the data file's order, so a town decides what comes first."""
        return {key: groups[key] for key in order if key in groups}

    return Directory(
        content=content,
        merchants=merchants,
        listed=listed,
        by_town=ordered(by_town, ref.towns),
        by_category=ordered(by_category, ref.categories),
        by_how_to_buy=ordered(by_mode, ref.how_to_buy),
        by_town_category=ordered(
            by_town_category, [(t, c) for t in ref.towns for c in ref.categories]
        ),
        by_town_how_to_buy=ordered(
            by_town_mode, [(t, m) for t in ref.towns for m in ref.how_to_buy]
        ),
    )
