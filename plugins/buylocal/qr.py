"""QR codes for window posters: inline SVG (no extra request), drawn when the page renders.

Drawing waits for the template to print the code, so it happens in the rendering workers,
in parallel, and never for a page that is not rendered.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import segno
from markupsafe import escape

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


@dataclass(frozen=True)
class InlineQr:
    """A QR code of `url`, printed as an <svg> element by Jinja (through __html__)."""

    url: str
    label: str  # what a screen reader says instead of the squares

    def __html__(self) -> str:
        # Level M survives a scratched or sun-faded poster; the quiet zone (4 modules) is
        # part of the standard and keeps phones reading the code next to other print.
        code = segno.make(self.url, error="m", micro=False)
        svg = code.svg_inline(
            border=4,
            omitsize=True,
            svgclass="qr",
            lineclass=None,
            dark="#000",
            light="#fff",
        )
        # role and aria-label make the drawing one image with a name for screen readers.
        return svg.replace("<svg ", f'<svg role="img" aria-label="{escape(self.label)}" ', 1)
