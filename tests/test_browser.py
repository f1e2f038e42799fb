"""The built sample in a real browser (Debian's Chromium): readable on a 360 px phone, whole
without JavaScript. Skipped on a laptop without Chromium, never in CI.
"""

from __future__ import annotations

from chromium import MOBILE, have_chromium
from conftest import skip_unless
from pagekinds import page_kinds

skip_unless(have_chromium(), "Chromium", "apt-get install chromium")


def test_every_page_kind_fits_a_360px_phone_without_javascript(
    sample_site, sample_server, chromium
):
    context = chromium.new_context(viewport=MOBILE, java_script_enabled=False)
    page = context.new_page()
    requests, console = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: console.append(message.text))
    too_wide, empty = [], []
    kinds = {kind: url for kind, url in page_kinds(sample_site).items() if url != "404.html"}
    for url in kinds.values():
        response = page.goto(sample_server + url)
        assert response.status == 200, url
        assert page.locator("h1").first.is_visible(), url
        if len(page.locator("main").inner_text().split()) < 5:
            empty.append(url)  # the content is there without JavaScript
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > MOBILE["width"]:
            too_wide.append((url, width))
    context.close()
    assert len(kinds) > 10
    assert too_wide == [] and empty == []
    assert [url for url in requests if not url.startswith(sample_server)] == []  # no third party
    assert console == []  # no Content-Security-Policy violation, no error


def test_print_stylesheet_hides_navigation(sample_server, chromium):
    page = chromium.new_page()
    page.goto(sample_server + "rimouski/bistro-lardoise/")
    page.emulate_media(media="print")
    assert not page.locator(".site-header nav").is_visible()
    assert page.locator("h1").is_visible()
    page.close()
