"""Debian's Chromium for the browser tests, the screenshots and Lighthouse: where it is, the
flags that let it start on a machine with no internet, and a static server for a built site.

Playwright's own browser download does not work here, so everything drives /usr/bin/chromium.
"""

from __future__ import annotations

import gzip
import io
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps calling Google's hosts, which a
# closed network refuses many times a second.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# A five-year-old Android phone, and a laptop.
MOBILE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}


def have_chromium() -> bool:
    return os.path.exists(CHROMIUM)


# What the free static hosts compress (GitHub Pages, GitLab Pages, Netlify and Cloudflare
# Pages all send text gzip- or Brotli-compressed): the test server does the same with gzip, so
# the bytes a test counts are the bytes a phone downloads.
COMPRESSED = {".html", ".css", ".js", ".svg", ".json", ".xml", ".txt", ".geojson", ".csv"}


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def end_headers(self):
        max_age = getattr(self.server, "max_age", None)  # see serve()
        if max_age is not None:
            self.send_header("Cache-Control", f"max-age={max_age}")
        super().end_headers()

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # its redirect to the address with a slash
            path = path / "index.html"
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wants_gzip and path.suffix in COMPRESSED and path.is_file()):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


@contextmanager
def serve(directory: Path, port: int = 0, max_age: int | None = None) -> Iterator[str]:
    """Serve a built site over HTTP on 127.0.0.1 (port 0: any free one); yields its base URL.
    `max_age`: let browsers keep files that long, as hosts do (GitHub Pages: 600 seconds).
    """
    handler = partial(_QuietHandler, directory=str(directory))
    httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
    httpd.max_age = max_age
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


def mirror_site_url(context, site_url: str, directory: Path) -> None:
    """Answer requests for the public SITEURL from the built folder, in one Playwright context:
    pages can then be opened at the address they were built for, as once published.

    The 404 page links to its stylesheet by absolute address (it is served at any depth), and
    its Content-Security-Policy allows styles from its own origin only: opened from 127.0.0.1,
    a site built for https://example.org would show an unstyled 404 page.
    """
    prefix = site_url.rstrip("/") + "/"

    def fulfill(route):
        relative = route.request.url[len(prefix) :].split("?")[0].split("#")[0]
        path = Path(directory) / relative
        if path.is_dir():
            path = path / "index.html"
        if path.is_file():
            route.fulfill(path=str(path))
        else:
            route.fulfill(status=404, body="")

    context.route(prefix + "**", fulfill)
