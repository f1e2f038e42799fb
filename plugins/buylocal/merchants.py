"""One merchant file (front matter + Markdown) to a validated Merchant, or its problems."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath

from babel import Locale
from PIL import Image as PILImage

from . import hours
from .data_files import Reference
from .fields import SLUG_RE, FieldChecker, suggest_slug
from .frontmatter import decode, read_front_matter
from .markup import MarkdownRenderer
from .model import Image, Merchant
from .problems import Problem, closest

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


def read_merchant(
    path: Path, display: str, town: str, slug: str, ctx: ReadContext
) -> tuple[Merchant | None, list[Problem]]:
    text, problems = decode(path.read_bytes(), display, ctx.max_bytes)
    if text is None:
        return None, problems
    parsed, problems = read_front_matter(text, display)
    if parsed is None:
        return None, problems
    values = parsed.fields
    check = FieldChecker(display, parsed.lines, ctx.default_lang)
    if not SLUG_RE.match(slug):
        check.fail("", "bad_slug", value=slug, suggestion=suggest_slug(slug))
    check.unknown_fields(values, FIELDS)
    ref = ctx.reference

    for name in ("name", "categories", "how_to_buy", "summary", "added"):
        check.required(values, name)
    name = check.text("name", values["name"], 120) if values.get("name") else None
    summary = check.text("summary", values["summary"], 160) if values.get("summary") else None
    categories = how_to_buy = ()
    if values.get("categories"):
        categories = check.key_list(
            "categories",
            values["categories"],
            ref.categories,
            "data/categories.yml",
            1,
            3,
            example="restaurants",
        )
    if values.get("how_to_buy"):
        how_to_buy = check.key_list(
            "how_to_buy",
            values["how_to_buy"],
            ref.how_to_buy,
            "data/how-to-buy.yml",
            1,
            example="in_store, delivery",
        )
    added = check.day("added", values["added"], ctx.today) if values.get("added") else None
    verified = added
    if values.get("verified") is not None:
        verified = check.day("verified", values["verified"], ctx.today)
        if verified and added and verified < added:
            check.fail("verified", "verified_before_added", value=verified, added=added)

    for mode, needed in REQUIRED_BY_MODE.items():
        if mode in how_to_buy and values.get(needed) in (None, ""):
            check.fail(needed, "required_because", mode=mode)

    optional = {}
    simple_texts = {"address": 300, "source": 300}
    for field, limit in simple_texts.items():
        if values.get(field) is not None:
            optional[field] = check.text(field, values[field], limit)
    if values.get("geo") is not None:
        optional["geo"] = check.geo("geo", values["geo"])
    if values.get("phone") is not None:
        optional["phone"] = check.phone("phone", values["phone"])
    if values.get("email") is not None:
        optional["email"] = check.email("email", values["email"])
    for field in ("website", "facebook", "instagram", "shop_url"):
        if values.get(field) is not None:
            optional[field] = check.url(field, values[field])
    if values.get("hours") is not None:
        optional["hours"] = _hours(check, values["hours"])
    if values.get("delivery_area") is not None:
        if "delivery" not in how_to_buy:
            check.fail("delivery_area", "only_with", mode="delivery")
        optional["delivery_area"] = check.key_list(
            "delivery_area",
            values["delivery_area"],
            ref.towns,
            "data/towns.yml",
            example="rimouski, mont-joli",
        )
    if values.get("languages") is not None:
        optional["languages"] = _languages(check, values["languages"])
    if values.get("wheelchair") is not None:
        optional["wheelchair"] = check.choice("wheelchair", values["wheelchair"], WHEELCHAIR)
    if values.get("tags") is not None:
        optional["tags"] = check.text_list("tags", values["tags"])
    if values.get("status") is not None:
        optional["status"] = check.choice("status", values["status"], STATUSES)
    if values.get("image") is not None or values.get("image_alt") is not None:
        optional["image"] = _image(check, values, ctx)
    en = _english(check, values.get("en"), ctx) if values.get("en") is not None else {}

    if check.problems or not (name and summary and categories and how_to_buy and added):
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
        verified=verified or added,
        description_html=ctx.render(parsed.body),
        en=en,
        **{key: value for key, value in optional.items() if value not in (None, ())},
    )
    return merchant, []


def _hours(check: FieldChecker, value) -> str | None:
    text = check.text("hours", value, 500)
    if text is None:
        return None
    error = hours.parse_error(text)
    if error:
        check.fail("hours", "bad_hours", detail=error)
        return None
    return text


def _languages(check: FieldChecker, value) -> tuple:
    codes = check.text_list("languages", value)
    for code in codes:
        if code not in ISO_639_1:
            check.fail("languages", "bad_language", value=code)
    return tuple(dict.fromkeys(code for code in codes if code in ISO_639_1))


def _image(check: FieldChecker, values: dict, ctx: ReadContext) -> Image | None:
    if not check.required(values, "image_alt") or not check.required(values, "image"):
        return None
    alt = check.text("image_alt", values["image_alt"], 300)
    raw = check.text("image", values["image"], 300)
    if raw is None or alt is None:
        return None
    relative = PurePosixPath(raw)
    if relative.is_absolute() or ".." in relative.parts or "\\" in raw:
        check.fail("image", "bad_image_path", value=raw)
        return None
    if relative.suffix.lower() not in (".jpg", ".jpeg", ".png", ".webp"):
        check.fail("image", "bad_image", value=raw, detail=relative.suffix or "?")
        return None
    file = ctx.images_dir / relative
    images_root = ctx.images_dir.resolve()
    if not file.is_file():
        check.fail("image", "image_missing", value=raw)
        return None
    if file.is_symlink() or not file.resolve().is_relative_to(images_root):
        check.fail("image", "symlink")
        return None
    try:
        with PILImage.open(file) as picture:
            width, height = picture.size
            kind = picture.format
    except Exception as error:  # noqa: BLE001 - any unreadable image is the volunteer's to fix
        check.fail("image", "bad_image", value=raw, detail=type(error).__name__)
        return None
    if kind not in IMAGE_FORMATS:
        check.fail("image", "bad_image", value=raw, detail=kind)
        return None
    if width * height > ctx.max_image_pixels:
        check.fail("image", "bad_image", value=raw, detail=f"{width}×{height} px")
        return None
    return Image(raw, width, height, alt)


def _english(check: FieldChecker, value, ctx: ReadContext) -> dict:
    if not isinstance(value, dict):
        check.fail("en", "not_mapping")
        return {}
    check.unknown_fields(value, EN_FIELDS, prefix="en.")
    english = {}
    if value.get("name") is not None:
        english["name"] = check.text("en.name", value["name"], 120)
    if value.get("summary") is not None:
        english["summary"] = check.text("en.summary", value["summary"], 160)
    if value.get("description") is not None:
        text = check.text("en.description", value["description"], 20_000, one_line=False)
        english["description_html"] = ctx.render(text) if text else None
    return {key: text for key, text in english.items() if text}


def merchant_location(relative: PurePosixPath) -> tuple[str, str] | None:
    """('rimouski', 'bistro-lardoise') from 'rimouski/bistro-lardoise.md', else None."""
    if len(relative.parts) != 2 or relative.suffix != ".md":
        return None
    return relative.parts[0], relative.stem


def town_hint(folder: str, towns) -> str | None:
    return closest(folder, towns)
