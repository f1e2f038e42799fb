"""The built sample in a real browser (Debian's Chromium): readable on a 360 px phone, whole
without JavaScript. Skipped on a laptop without Chromium, never in CI.
"""

from __future__ import annotations

import os
import shutil
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAGE_KINDS = [
    "",
    "villes/",
    "categories/",
    "comment-acheter/",
    "rimouski/",
    "rimouski/bistro-lardoise/",
    "categories/restaurants/",
    "comment-acheter/delivery/",
    "rimouski/categories/restaurants/",
    "rimouski/comment-acheter/in_store/",
    "a-propos/",
    "lac-megantic/vetements-chez-rolande/",
    "initiative/",
    "chiffres/",
    "donnees-ouvertes/",
]

if not os.path.exists(CHROMIUM):
    if os.environ.get("CI"):
        pytest.fail("CI must have Chromium: apt-get install chromium", pytrace=False)
    pytest.skip("no Chromium on this machine", allow_module_level=True)
sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server(sample_site):
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(sample_site)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def test_every_page_kind_fits_a_360px_phone_without_javascript(server, browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    page = context.new_page()
    requests, console = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: console.append(message.text))
    too_wide = []
    for url in PAGE_KINDS:
        response = page.goto(server + url)
        assert response.status == 200, url
        assert page.locator("h1").first.is_visible(), url
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            too_wide.append((url, width))
    context.close()
    assert too_wide == []
    assert [url for url in requests if not url.startswith(server)] == []  # no third party
    assert console == []  # no Content-Security-Policy violation, no error


def test_print_stylesheet_hides_navigation(server, browser):
    page = browser.new_page()
    page.goto(server + "rimouski/bistro-lardoise/")
    page.emulate_media(media="print")
    assert not page.locator(".site-header nav").is_visible()
    assert page.locator("h1").is_visible()
    page.close()
