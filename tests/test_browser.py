"""The built sample in a real browser (Debian's Chromium): readable on a 360 px phone, whole
without JavaScript. Skipped on a laptop without Chromium, never in CI.
"""

from __future__ import annotations

import os
import shutil
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO

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
    "rimouski/bistro-lardoise/affiche/",
    "rimouski/affiche/",
    "rimouski/imprimer/",
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


@pytest.mark.parametrize("url", ["rimouski/bistro-lardoise/affiche/", "rimouski/affiche/"])
def test_a_poster_prints_alone_on_one_sheet_of_a4_or_letter(server, browser, url):
    from pypdf import PdfReader

    page = browser.new_page()
    page.goto(server + url)
    page.emulate_media(media="print")
    for hidden in (".site-header", ".site-footer", ".breadcrumbs", ".poster-help"):
        assert not page.locator(hidden).is_visible(), hidden
    assert page.locator(".poster h1").is_visible()
    box = page.locator(".poster-qr svg").bounding_box()
    assert box["width"] > 250 and box["width"] == box["height"]  # 80 mm at 96 px per inch
    for paper in ("A4", "Letter"):
        pdf = PdfReader(BytesIO(page.pdf(format=paper)))
        assert len(pdf.pages) == 1, paper
    page.close()


def test_a_poster_with_a_120_character_name_still_fits_one_sheet(browser, tmp_path):
    from conftest import FIXTURES, build
    from pypdf import PdfReader

    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "small", content)
    merchant = content / "merchants" / "rimouski" / "bistro-lardoise.md"
    long_name = (
        "Boulangerie-pâtisserie-chocolaterie artisanale du Vieux-Port de Rimouski et des "
        "environs immédiats du Bas-Saint-Laurent"
    )[:120]
    text = merchant.read_text(encoding="utf-8").replace("Bistro L'Ardoise", long_name, 1)
    merchant.write_text(text, encoding="utf-8")
    assert build(content, tmp_path / "output")[0] == 0
    page = browser.new_page()
    poster = tmp_path / "output" / "rimouski" / "bistro-lardoise" / "affiche" / "index.html"
    page.goto(poster.as_uri())
    assert page.locator("h1").inner_text() == long_name
    page.emulate_media(media="print")
    for paper in ("A4", "Letter"):
        assert len(PdfReader(BytesIO(page.pdf(format=paper))).pages) == 1, paper
    page.close()


def test_printable_list_prints_in_two_columns(server, browser):
    page = browser.new_page()
    page.goto(server + "rimouski/imprimer/")
    page.emulate_media(media="print")
    assert page.locator(".print-entries").evaluate("e => getComputedStyle(e).columnCount") == "2"
    assert page.locator("img").count() == 0
    assert not page.locator(".site-header nav").is_visible()
    page.close()


def test_the_qr_code_chromium_draws_leads_to_the_merchant(server, browser):
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image

    page = browser.new_page()
    page.goto(server + "rimouski/bistro-lardoise/affiche/")
    shot = page.locator(".poster-qr svg").screenshot()
    page.close()
    decoded = [result.text for result in zxingcpp.read_barcodes(Image.open(BytesIO(shot)))]
    assert decoded == ["https://example.org/annuaire/rimouski/bistro-lardoise/"]
