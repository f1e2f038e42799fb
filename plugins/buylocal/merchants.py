"""One merchant file (front matter + Markdown) to a validated Merchant, or its problems."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath

from babel import Locale
from PIL import Image as PILImage

from . import hours, urls
from .data_files import Reference
from .fields import MISSING, SLUG_RE, FieldChecker, suggest_slug
from .frontmatter import read_front_matter, read_text
from .markup import MarkdownRenderer, MarkdownTooDeep
from .model import Image, Merchant
from .problems import Problem
from .settings import DEFAULTS

FIELDS = (
    "name",
    "categories",
    "how_to_buy",
    "summary",
    "added",
    "verified",
    "address",
    "geo",
    "phone",
    "email",
    "website",
    "facebook",
    "instagram",
    "shop_url",
    "hours",
    "delivery_area",
    "languages",
    "wheelchair",
    "tags",
    "image",
    "image_alt",
    "status",
    "source",
    "en",
)
EN_FIELDS = ("name", "summary", "description")
MAX_DESCRIPTION = 20_000  # characters; Markdown's time grows fast on hostile input
# Python-Markdown looks for the end of every "[" it finds (within markup.LINK_WINDOW): 20,000
# "[" took it 52 s. Fifty keep the worst description we know of near 0.1 s; a real
# description has a handful.
MAX_BRACKETS = 50
MAX_TAGS = 30  # search words; 9,000 of them took 3.6 s to build
# Ways to buy that make another field required.
REQUIRED_BY_MODE = {
    "in_store": "address",
    "pickup": "address",
    "curbside": "address",
    "phone_order": "phone",
    "online_shop": "shop_url",
}
STATUSES = ("open", "temporarily_closed", "closed")
WHEELCHAIR = ("yes", "limited", "no")
IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}
# Pillow refuses huge images while opening them, before telling their size; the size is
# checked here instead (BUYLOCAL_MAX_IMAGE_PIXELS), from the header, before anything decodes.
PILImage.MAX_IMAGE_PIXELS = None
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")
IMAGE_PATH_RE = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._/-]*")
ISO_639_1 = frozenset(code for code in Locale("en").languages if len(code) == 2)


@dataclass
class ReadContext:
    """What every merchant file is checked against; built once per build."""

    reference: Reference
    images_dir: Path
    today: date
    default_lang: str
    max_bytes: int
    max_image_pixels: int
    render: MarkdownRenderer
    max_image_bytes: int = DEFAULTS["BUYLOCAL_MAX_IMAGE_BYTES"]

    @classmethod
    def for_site(cls, config, reference: Reference) -> ReadContext:
        """The context of a site's settings; content.py, new-merchant and import share it."""
        return cls(
            reference=reference,
            images_dir=Path(config.content_path) / config.images_dir,
            today=config.today,
            default_lang=config.default_lang,
            max_bytes=config.max_file_bytes,
            max_image_pixels=config.max_image_pixels,
            max_image_bytes=config.max_image_bytes,
            render=MarkdownRenderer(),
        )


def read_merchant(
    path: Path, display: str, town: str, slug: str, ctx: ReadContext
) -> tuple[Merchant | None, list[Problem]]:
    text, problems = read_text(path, display, ctx.max_bytes)
    if text is None:
        return None, problems
    return merchant_from_text(text, display, town, slug, ctx)


def merchant_from_text(
    text: str, display: str, town: str, slug: str, ctx: ReadContext
) -> tuple[Merchant | None, list[Problem]]:
    parsed, problems = read_front_matter(text, display)
    if parsed is None:
        return None, problems
    values = parsed.fields
    check = FieldChecker(display, parsed.lines, ctx.default_lang)
    if not SLUG_RE.fullmatch(slug):
        check.fail("", "bad_slug", value=slug, suggestion=suggest_slug(slug))
    elif slug in urls.TOWN_RESERVED:
        url = urls.TOWN_RESERVED[slug].replace("<ville>", town)
        check.fail("", "reserved_slug", value=slug, url=url, suggestion=f"{slug}-{town}")
    check.unknown_fields(values, FIELDS)
    ref = ctx.reference

    name = summary = added = None
    categories = how_to_buy = ()
    if check.required(values, "name"):
        name = check.text("name", values["name"], 120)
    if check.required(values, "summary"):
        summary = check.text("summary", values["summary"], 160)
    if check.required(values, "categories"):
        categories = check.key_list(
            "categories",
            values["categories"],
            ref.known("categories"),
            "data/categories.yml",
            1,
            3,
            example="restaurants",
        )
    if check.required(values, "how_to_buy"):
        how_to_buy = check.key_list(
            "how_to_buy",
            values["how_to_buy"],
            ref.known("how_to_buy"),
            "data/how-to-buy.yml",
            1,
            example="in_store, delivery",
        )
    if check.required(values, "added"):
        added = check.day("added", values["added"], ctx.today)
    verified = added
    if values.get("verified") not in MISSING:
        verified = check.day("verified", values["verified"], ctx.today)
        if verified and added and verified < added:
            check.fail("verified", "verified_before_added", value=verified, added=added)

    required_by_modes = set()
    for mode, needed in REQUIRED_BY_MODE.items():
        if mode in how_to_buy and values.get(needed) in MISSING and needed not in required_by_modes:
            check.fail(needed, "required_because", mode=mode)
            required_by_modes.add(needed)

    optional = {}
    present = {key: value for key, value in values.items() if value not in MISSING}
    for field in ("address", "source"):
        if field in present:
            optional[field] = check.text(field, present[field], 300)
    if "geo" in present:
        optional["geo"] = check.geo("geo", present["geo"])
    if "phone" in present:
        optional["phone"] = check.phone("phone", present["phone"])
    if "email" in present:
        optional["email"] = check.email("email", present["email"])
    for field in ("website", "facebook", "instagram", "shop_url"):
        if field in present:
            optional[field] = check.url(field, present[field])
    if "hours" in present:
        optional["hours"] = _hours(check, present["hours"])
    if "delivery_area" in present:
        written = present.get("how_to_buy")  # as written: a typo elsewhere must not matter
        if "delivery" not in (written if isinstance(written, list) else [written]):
            check.fail("delivery_area", "only_with", mode="delivery")
        optional["delivery_area"] = check.key_list(
            "delivery_area",
            present["delivery_area"],
            ref.known("towns"),
            "data/towns.yml",
            example="rimouski, mont-joli",
        )
    if "languages" in present:
        optional["languages"] = _languages(check, present["languages"])
    if "wheelchair" in present:
        optional["wheelchair"] = check.choice("wheelchair", present["wheelchair"], WHEELCHAIR)
    if "tags" in present:
        optional["tags"] = check.text_list("tags", present["tags"], high=MAX_TAGS)
    if "status" in present:
        optional["status"] = check.choice("status", present["status"], STATUSES)
    if "image" in present:
        optional["image"] = _image(check, present, ctx)
    english = {}
    if "en" in present and check.mapping("en", present["en"]) is not None:
        english = _english(check, present["en"], ctx)

    description_html = None
    if len(parsed.body) > MAX_DESCRIPTION:
        check.problems.append(
            Problem(
                display,
                parsed.body_line,
                "description",
                "too_long",
                {"length": len(parsed.body), "limit": MAX_DESCRIPTION},
            )
        )
    else:
        description_html = _render(check, ctx, parsed.body, "description", parsed.body_line)
    if check.problems:
        return None, check.problems
    merchant = Merchant(
        town=town,
        slug=slug,
        source_path=display,
        name=name,
        categories=categories,
        how_to_buy=how_to_buy,
        summary=summary,
        added=added,
        verified=verified,
        description_html=description_html,
        en=english,
        **{key: value for key, value in optional.items() if value not in (None, ())},
    )
    return merchant, []


def _render(check: FieldChecker, ctx: ReadContext, text: str, field: str, line: int) -> str:
    brackets = text.count("[")
    if brackets > MAX_BRACKETS:
        values = {"count": brackets, "limit": MAX_BRACKETS}
        check.problems.append(Problem(check.path, line, field, "too_many_brackets", values))
        return ""
    try:
        return ctx.render(text, heading_level=3)
    except MarkdownTooDeep:
        check.problems.append(Problem(check.path, line, field, "description_too_deep", {}))
        return ""


def _hours(check: FieldChecker, value) -> str | None:
    text = check.text("hours", value, 500)
    if text is None:
        return None
    column = hours.error_column(text)
    if column:
        check.fail("hours", "bad_hours", column=column)
        return None
    return text


def _languages(check: FieldChecker, value) -> tuple:
    codes = check.text_list("languages", value)
    for code in codes:
        if code not in ISO_639_1:
            check.fail("languages", "bad_language", value=code)
    return tuple(dict.fromkeys(code for code in codes if code in ISO_639_1))


def _image(check: FieldChecker, values: dict, ctx: ReadContext) -> Image | None:
    raw = check.text("image", values["image"], 300)
    alt = None
    if values.get("image_alt") in MISSING:
        check.fail("image_alt", "missing_field", at="image")
    else:
        alt = check.text("image_alt", values["image_alt"], 300)
    if raw is None:
        return None
    size = check_image_file(ctx.images_dir, raw, ctx.max_image_pixels, ctx.max_image_bytes)
    if isinstance(size, tuple):
        return Image(raw, size[0], size[1], alt) if alt else None
    check.fail("image", size[0], **size[1])
    return None


def check_image_file(images_dir: Path, raw: str, max_pixels: int, max_bytes: int):
    """(width, height), upright, of a publishable image under images_dir, else [code, params].

    Shared by merchant photos and the settings' logo and share image. Only the header and the
    file's last bytes are read: decoding every photo at every validation would be slow.
    """
    relative = PurePosixPath(raw)
    if not IMAGE_PATH_RE.fullmatch(raw) or ".." in relative.parts or raw != relative.as_posix():
        return ["bad_image_path", {"value": raw}]
    if relative.suffix.lower() not in IMAGE_SUFFIXES:
        return ["bad_image", {"value": raw, "detail": relative.suffix or "?"}]
    file = images_dir / relative
    if not file.is_file():
        return ["image_missing", {"value": raw}]
    if any(p.is_symlink() for p in (file, *file.parents) if p.is_relative_to(images_dir)):
        return ["symlink", {}]
    if file.stat().st_size > max_bytes:
        size = f"{file.stat().st_size / 1e6:.1f} Mo"
        return [
            "image_too_large",
            {"value": raw, "size": size, "limit": f"{max_bytes / 1e6:.0f} Mo"},
        ]
    try:
        with PILImage.open(file, formats=sorted(IMAGE_FORMATS)) as picture:
            width, height = picture.size
            kind = picture.format
            if width * height > max_pixels:
                size = f"{width}×{height} px"
                limit = f"{max_pixels:,} px"
                return ["image_too_large", {"value": raw, "size": size, "limit": limit}]
            # A JPEG's EXIF sits in its header; a camera's quarter turn swaps the sides.
            if kind == "JPEG" and picture.getexif().get(_ORIENTATION, 1) in (5, 6, 7, 8):
                width, height = height, width
    except Exception:  # noqa: BLE001 - any unreadable image is the volunteer's to fix
        return ["bad_image", {"value": raw, "detail": "?"}]
    if not _complete(file, kind):
        return ["bad_image", {"value": raw, "detail": "fichier incomplet"}]
    return (width, height)


_ORIENTATION = 0x0112
_ENDINGS = {"JPEG": b"\xff\xd9", "PNG": b"IEND\xaeB`\x82"}


def _complete(file: Path, kind: str) -> bool:
    """Whether the file ends as its format must: a cut-off upload is caught at validation."""
    with file.open("rb") as stream:
        if kind == "WEBP":
            header = stream.read(8)
            return int.from_bytes(header[4:8], "little") + 8 <= file.stat().st_size
        stream.seek(max(0, file.stat().st_size - 64))
        return _ENDINGS[kind] in stream.read()


def _english(check: FieldChecker, value: dict, ctx: ReadContext) -> dict:
    check.unknown_fields(value, EN_FIELDS, prefix="en.")
    english = {}
    present = {key: text for key, text in value.items() if text not in MISSING}
    if "name" in present:
        english["name"] = check.text("en.name", present["name"], 120)
    if "summary" in present:
        english["summary"] = check.text("en.summary", present["summary"], 160)
    if "description" in present:
        text = check.text("en.description", present["description"], MAX_DESCRIPTION, False)
        if text:
            line = check.line("en.description")
            english["description_html"] = _render(check, ctx, text, "en.description", line)
    return {key: text for key, text in english.items() if text}


def merchant_location(relative: PurePosixPath) -> tuple[str, str] | None:
    """('rimouski', 'bistro-lardoise') from 'rimouski/bistro-lardoise.md', else None."""
    if len(relative.parts) != 2 or relative.suffix != ".md":
        return None
    return relative.parts[0], relative.stem
