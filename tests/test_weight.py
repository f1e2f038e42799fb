"""Page weight on a first visit, as Chromium counts it (bytes on the wire: headers and bodies of
the HTML, CSS, images, scripts and favicon): a merchant page stays under 30 KB, the home page
under 60 KB, for the citizen on a slow rural DSL line.

The local server sends files uncompressed, so a host that gzips weighs less than this.
Skipped on a laptop without Chromium, never in CI.
"""

from __future__ import annotations

import gzip

from chromium import DESKTOP, MOBILE, have_chromium
from conftest import skip_unless
from htmlpage import html_pages
from pagekinds import shape

skip_unless(have_chromium(), "Chromium", "apt-get install chromium")

MERCHANT_BUDGET = 30_000
HOME_BUDGET = 60_000
# An old Android phone has 2 device pixels a CSS pixel, so it picks the wider photo.
SCREENS = [("phone", MOBILE, 2), ("laptop", DESKTOP, 1)]


def transferred(chromium, url: str, viewport: dict, scale: float) -> dict[str, int]:
    """Bytes received for each request on a first visit (empty cache) of `url`, scrolled to the
    bottom so that lazy images load too.
    """
    context = chromium.new_context(viewport=viewport, device_scale_factor=scale)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    urls, sizes = {}, {}
    cdp.on(
        "Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"])
    )
    cdp.on(
        "Network.loadingFinished",
        lambda e: sizes.__setitem__(e["requestId"], int(e["encodedDataLength"])),
    )
    cdp.on("Network.loadingFailed", lambda e: sizes.__setitem__(e["requestId"], 0))
    page.goto(url, wait_until="load")
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    for _ in range(100):  # until every request has finished (lazy images start late)
        page.wait_for_timeout(30)
        if set(urls) <= set(sizes):
            break
    context.close()
    return {urls[request]: size for request, size in sizes.items()}


def _heaviest(chromium, base: str, urls: list[str]) -> dict:
    """{screen: (total, url, per-request bytes)} of the heaviest of `urls` on each screen."""
    heaviest = {}
    for screen, viewport, scale in SCREENS:
        weights = [(transferred(chromium, base + url, viewport, scale), url) for url in urls]
        sizes, url = max(weights, key=lambda pair: sum(pair[0].values()))
        heaviest[screen] = (sum(sizes.values()), url, sizes)
    return heaviest


def test_every_merchant_page_weighs_under_30kb(sample_site, sample_server, chromium):
    """French and English pages alike (html_pages has both)."""
    pages = html_pages(sample_site)
    merchants = [
        url for url, page in pages.items() if page.meta.get("og:type", "").startswith("business")
    ]
    # The heaviest page has a photo, or else the longest text: measure those candidates.
    with_photo = [url for url in merchants if "picture" in shape(sample_site, url)[1]]
    longest = max(merchants, key=lambda url: pages[url].path.stat().st_size)
    assert len(with_photo) >= 3
    heaviest = _heaviest(chromium, sample_server, [*with_photo, longest])
    for total, url, sizes in heaviest.values():
        assert any(address.endswith(".webp") for address in sizes), url  # a page with a photo
        assert any(address.endswith("favicon.svg") for address in sizes), url
        assert total <= MERCHANT_BUDGET, (url, sizes)


def test_home_page_weighs_under_60kb(sample_server, chromium):
    for total, _url, sizes in _heaviest(chromium, sample_server, ["", "en/"]).values():
        assert total <= HOME_BUDGET, sizes
        assert not [address for address in sizes if address.endswith(".js")]  # needs no script


def test_the_count_includes_what_a_page_loads(sample_site, sample_server, chromium):
    """The measure can fail: it counts the HTML, the stylesheet and the photo's bytes, text
    compressed as the hosts send it (gzip here).
    """
    url = "rimouski/cafe-du-havre/"
    sizes = transferred(chromium, sample_server + url, *SCREENS[0][1:])

    def gzipped(path):
        return len(gzip.compress(path.read_bytes(), mtime=0))

    html = gzipped(sample_site / url / "index.html")
    css = gzipped(sample_site / "theme" / "css" / "main.css")
    photo = next(address for address in sizes if address.endswith(".webp"))
    photo_bytes = (sample_site / photo[len(sample_server) :]).stat().st_size
    assert sizes[sample_server + url] > html
    assert sizes[sample_server + "theme/css/main.css"] > css
    assert sizes[photo] > photo_bytes
    assert sum(sizes.values()) > html + css + photo_bytes
