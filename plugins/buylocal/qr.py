"""QR codes for window posters: inline SVG (no extra request), drawn when the page renders.

Drawing waits for the template to print the code, so it happens in the rendering workers,
in parallel. segno picks the most readable of the eight masks, in pure Python (~6 ms a
code): each SVG is kept in cache/qr/ by a hash of its address, so a rebuild draws none.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import segno
from markupsafe import escape

from . import incremental

# This code and segno's version: a change to either draws the codes again.
VERSION = incremental.source_version(Path(__file__), libraries=("segno",))
_cache: Path | None = None

# Hosts that only the person building can reach: a code pointing there is useless on paper.
_LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}


def public_url(site_url: str) -> str | None:
    """The site's public address, or None when the build is only a local preview."""
    if not site_url:
        return None
    host = (urlsplit(site_url).hostname or "").lower()
    if host in _LOCAL_HOSTS or host.endswith((".localhost", ".local")):
        return None
    return site_url


def use_cache(folder: Path | None) -> None:
    """Keep drawn codes in `folder` (cache/qr/ beside the output); None draws every time."""
    global _cache
    _cache = folder
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)


@dataclass(frozen=True)
class InlineQr:
    """A QR code of `url`, printed as an <svg> element by Jinja (through __html__)."""

    url: str
    label: str  # what a screen reader says instead of the squares

    def __html__(self) -> str:
        svg = svg_of(self.url)
        # role and aria-label make the drawing one image with a name for screen readers.
        return svg.replace("<svg ", f'<svg role="img" aria-label="{escape(self.label)}" ', 1)


def svg_of(url: str) -> str:
    """The <svg> element of the QR code of `url`, from the cache when it is there."""
    key = hashlib.sha256(f"{VERSION}\n{url}".encode()).hexdigest()[:32]
    cached = _cache / f"{key}.svg" if _cache is not None else None
    if cached is not None and cached.exists():
        return cached.read_text(encoding="utf-8")
    svg = _draw(url)
    if cached is not None:
        partial = cached.with_name(cached.name + ".part")
        partial.write_text(svg, encoding="utf-8")
        partial.replace(cached)
    return svg


def _draw(url: str) -> str:
    # Level M survives a scratched or sun-faded poster; the quiet zone (4 modules) is
    # part of the standard and keeps phones reading the code next to other print.
    code = segno.make(url, error="m", micro=False)
    return code.svg_inline(
        border=4,
        omitsize=True,
        svgclass="qr",
        lineclass=None,
        dark="#000",
        light="#fff",
    )
