"""The site's URL scheme, in one place. URLs are relative to the site root, without a leading
slash, and end in "/" (each page is a folder's index.html), so the site works at a domain root
and under a sub-path such as https://user.github.io/repo/ alike.
"""

from __future__ import annotations

TOWNS = "villes"
CATEGORIES = "categories"
HOW_TO_BUY = "comment-acheter"
PAGE = "page"
NUMBERS = "chiffres"
OPEN_DATA = "donnees-ouvertes"
INITIATIVE = "initiative"
FEED = "nouveaux.atom.xml"  # a file name: no town key or page slug can hold a dot
SEARCH = "recherche"
SEARCH_INDEX = "index-recherche"  # the search index (search.py)
POSTER = "affiche"
PRINT = "imprimer"
SHARE_CARDS = "partage"

# First URL segments the site itself uses: no town key or page slug may take them.
RESERVED = {
    TOWNS: f"/{TOWNS}/",
    CATEGORIES: f"/{CATEGORIES}/",
    HOW_TO_BUY: f"/{HOW_TO_BUY}/",
    PAGE: "/page/",
    "theme": "/theme/",
    "images": "/images/",
    "en": "/en/",
    "fr": "/fr/",
    SEARCH: f"/{SEARCH}/",
    SEARCH_INDEX: f"/{SEARCH_INDEX}/",
    SHARE_CARDS: f"/{SHARE_CARDS}/",
    "sitemap.xml": "/sitemap.xml",
    "robots.txt": "/robots.txt",
    "favicon.svg": "/favicon.svg",
    "404": "/404.html",
    NUMBERS: f"/{NUMBERS}/",
    OPEN_DATA: f"/{OPEN_DATA}/",
    INITIATIVE: f"/{INITIATIVE}/",
}

# Names a merchant file may not take: its town's own pages live there, or under them
# (/<ville>/categories/<key>/, /<ville>/page/2/).
TOWN_RESERVED = {
    name: f"/<ville>/{name}/" for name in (POSTER, PRINT, CATEGORIES, HOW_TO_BUY, PAGE)
}

HOME = ""


def town(town_key: str) -> str:
    return f"{town_key}/"


def merchant(town_key: str, slug: str) -> str:
    return f"{town_key}/{slug}/"


def category(key: str) -> str:
    return f"{CATEGORIES}/{key}/"


def how_to_buy(key: str) -> str:
    return f"{HOW_TO_BUY}/{key}/"


def town_category(town_key: str, key: str) -> str:
    return f"{town_key}/{CATEGORIES}/{key}/"


def town_how_to_buy(town_key: str, key: str) -> str:
    return f"{town_key}/{HOW_TO_BUY}/{key}/"


def towns_index() -> str:
    return f"{TOWNS}/"


def categories_index() -> str:
    return f"{CATEGORIES}/"


def how_to_buy_index() -> str:
    return f"{HOW_TO_BUY}/"


def search() -> str:
    return f"{SEARCH}/"


def search_index() -> str:
    return f"{SEARCH_INDEX}/"


def page(slug: str) -> str:
    return f"{slug}/"


def numbers() -> str:
    return f"{NUMBERS}/"


def open_data() -> str:
    return f"{OPEN_DATA}/"


def open_data_file(name: str) -> str:
    return f"{OPEN_DATA}/{name}"


def initiative() -> str:
    return f"{INITIATIVE}/"


def feed(town_key: str | None = None) -> str:
    """The Atom feed of new merchants: the whole directory's, or one town's."""
    return f"{town_key}/{FEED}" if town_key else FEED


def merchant_poster(town_key: str, slug: str) -> str:
    return f"{town_key}/{slug}/{POSTER}/"


def is_merchant_poster(path: str) -> bool:
    """Whether a page's path (within its language's site) is a merchant's poster."""
    return path.endswith(f"/{POSTER}/") and path.count("/") == 3


def town_poster(town_key: str) -> str:
    return f"{town_key}/{POSTER}/"


def town_print(town_key: str) -> str:
    return f"{town_key}/{PRINT}/"


def share_card(page_url: str, digest: str) -> str:
    """The share image of a page: rimouski/bistro/ -> partage/rimouski/bistro.<digest>.png.

    The digest of the card's content is in the name, so social networks, which keep an
    image by its address, fetch a card again once its text changed.
    """
    return f"{SHARE_CARDS}/{page_url.rstrip('/') or 'accueil'}.{digest}.png"


def paginated(url: str, number: int) -> str:
    """Page N of a list lives in a folder, never as name+number (Pelican's pattern collides)."""
    return url if number == 1 else f"{url}{PAGE}/{number}/"


def output_file(url: str) -> str:
    """The file a URL is served from."""
    return url + "index.html" if url == "" or url.endswith("/") else url


def relative_root(url: str) -> str:
    """The path from a page back to the site root: "" -> "./", "a/b/" -> "../../"."""
    depth = url.count("/")
    return "../" * depth if depth else "./"
