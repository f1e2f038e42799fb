"""Screenshots of each kind of page of the sample, on a phone and on a laptop, for people to
look at (docs/screenshots/<kind>-<width>.png, shown in the README).

    python tools/screenshots.py [--out docs/screenshots] [--max-height 2400]

The sample is built into a temporary folder for the address it is served at, then headless
Chromium photographs each page from the top, down to --max-height pixels. The PNGs are
reduced to 256 colours so that the repository stays small.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from chromium import CHROMIUM, DESKTOP, FLAGS, MOBILE, mirror_site_url  # noqa: E402
from pagekinds import named_kinds  # noqa: E402

TODAY = "2026-11-20"  # fixed, so that the notices ("à vérifier") are the same every time
# A public address, as once published: posters then show their QR code. Pages are opened at
# that address and answered from the built folder (mirror_site_url).
SITE_URL = "https://example.org/annuaire/"


def build_sample(output: Path, site_url: str) -> None:
    from buylocal.build import build_site

    overrides = {"SITEURL": site_url.rstrip("/"), "BUYLOCAL_TODAY": TODAY}
    code = build_site(str(ROOT / "pelicanconf.py"), str(output), overrides=overrides)
    if code:
        sys.exit(code)


def shrink(png: bytes, colours: int = 256) -> bytes:
    """A palette PNG: screenshots of flat pages lose nothing visible and weigh a third."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        reduced = image.convert("RGB").quantize(colours, method=Image.Quantize.MEDIANCUT)
        buffer = io.BytesIO()
        reduced.save(buffer, "PNG", optimize=True)
        return buffer.getvalue()


def take(out: Path, max_height: int) -> list[Path]:
    from playwright.sync_api import sync_playwright

    written = []
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        output = Path(work) / "output"
        output.mkdir()
        with sync_playwright() as playwright:
            base = SITE_URL
            build_sample(output, base)
            kinds = named_kinds(output)
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            for viewport in (MOBILE, DESKTOP):
                # JavaScript off: what a citizen gets is what the HTML and CSS give.
                context = browser.new_context(viewport=viewport, java_script_enabled=False)
                mirror_site_url(context, SITE_URL, output)
                page = context.new_page()
                for kind, url in kinds.items():
                    page.goto(base + url, wait_until="load")
                    height = page.evaluate("document.documentElement.scrollHeight")
                    clip = {"x": 0, "y": 0, "width": viewport["width"]}
                    clip["height"] = min(height, max_height)
                    png = page.screenshot(full_page=True, clip=clip, animations="disabled")
                    target = out / f"{kind}-{viewport['width']}.png"
                    target.write_bytes(shrink(png))
                    written.append(target)
                context.close()
            browser.close()
    return written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--max-height", type=int, default=2400)
    args = parser.parse_args(argv)
    out = Path(args.out)
    for stale in out.glob("*.png"):
        stale.unlink()  # a kind that no longer exists leaves no old picture behind
    for path in take(out, args.max_height):
        print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
