"""Merchant photos for phones on slow links: a few widths, WebP with a JPEG fallback, no
metadata (EXIF and GPS are never copied), and a cache so an unchanged photo is encoded once.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path, PurePosixPath

from PIL import Image, ImageOps

from . import incremental

WIDTHS = (320, 640, 960, 1280)
FORMATS = {
    "webp": ("WEBP", {"quality": 72, "method": 4}),
    "jpg": ("JPEG", {"quality": 78, "optimize": True, "progressive": True}),
}
# This code and Pillow's version: a change to either encodes the variants again.
VERSION = incremental.source_version(Path(__file__), libraries=("pillow",))
# Encoding a photo's eight variants takes about 0.2 s: a second process pays from a few on.
PHOTOS_PER_PROCESS = 2


def widths(width: int) -> tuple[int, ...]:
    """The widths to publish: the standard ones below the photo's, and the photo's own (capped)."""
    smaller = [w for w in WIDTHS if w < width]
    return tuple(dict.fromkeys([*smaller, min(width, WIDTHS[-1])]))


def variant_path(path: str, width: int, extension: str) -> str:
    """merchants/cafe.jpg, 640, webp -> merchants/cafe-640.webp (under images/)."""
    relative = PurePosixPath(path)
    return str(relative.with_name(f"{relative.stem}-{width}.{extension}"))


def largest_jpeg(path: str, width: int) -> str:
    """The variant used as the share image (og:image) and in schema.org data."""
    return variant_path(path, widths(width)[-1], "jpg")


def variants(source: Path, path: str, cache: Path) -> list[tuple[str, str]]:
    """Every variant of one photo, encoded into the cache unless it is there already:
    [(the cached file, its name in the output)].
    """
    digest = hashlib.sha256(source.read_bytes() + VERSION.encode()).hexdigest()[:32]
    with Image.open(source) as opened:
        width = upright_width(opened)
    cache.mkdir(parents=True, exist_ok=True)
    picture, found = None, []
    for target_width in widths(width):
        for extension, (kind, options) in FORMATS.items():
            cached = cache / f"{digest}-{target_width}.{extension}"
            if not cached.exists():
                if picture is None:
                    picture = _load(source)
                _encode(picture, target_width, kind, options, cached)
            found.append((str(cached), f"images/{variant_path(path, target_width, extension)}"))
    return found


def upright_width(opened: Image.Image) -> int:
    """The width once the camera's rotation (EXIF orientation 5 to 8) is applied."""
    turned = opened.format == "JPEG" and opened.getexif().get(0x0112, 1) in (5, 6, 7, 8)
    return opened.size[1] if turned else opened.size[0]


def without_metadata(source: Path, target: Path) -> None:
    """The same picture in the same format, without EXIF, GPS or comments (logos, share image)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with Image.open(source) as opened:
        kind = opened.format
        upright = ImageOps.exif_transpose(opened)
        upright.save(target, kind, **({"quality": 90} if kind in ("JPEG", "WEBP") else {}))


def _load(source: Path) -> Image.Image:
    with Image.open(source) as opened:
        upright = ImageOps.exif_transpose(opened)  # the camera's rotation, before EXIF goes
        if upright.mode in ("RGBA", "LA", "P"):  # transparency: on white, not black
            upright = upright.convert("RGBA")
            white = Image.new("RGB", upright.size, (255, 255, 255))
            white.paste(upright, mask=upright.getchannel("A"))
            return white
        return upright.convert("RGB")


def _encode(picture: Image.Image, width: int, kind: str, options: dict, target: Path) -> None:
    height = round(picture.size[1] * width / picture.size[0])
    resized = (
        picture if picture.size[0] == width else picture.resize((width, height), Image.LANCZOS)
    )
    # Two photos of the same bytes may be encoded at once, in two processes.
    partial = target.with_suffix(f"{target.suffix}.{os.getpid()}.part")
    resized.save(partial, kind, **options)  # no exif= and no icc_profile=: nothing personal
    partial.replace(target)
