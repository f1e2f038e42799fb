"""The content tree (data files, merchant files, pages) to validated objects, with every
problem of every file collected in one pass.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from . import urls
from .data_files import Reference, read_reference
from .fields import SLUG_RE, FieldChecker, suggest_slug
from .frontmatter import decode, read_front_matter
from .markup import MarkdownRenderer
from .merchants import ReadContext, merchant_location, read_merchant, town_hint
from .model import Merchant, Page
from .problems import ContentError, Problem
from .settings import SiteConfig

PAGE_FIELDS = ("title", "summary", "order", "en")
PAGE_EN_FIELDS = ("title", "summary", "body")


@dataclass(frozen=True, slots=True)
class Content:
    reference: Reference
    merchants: tuple[Merchant, ...]
    pages: tuple[Page, ...]


def load_content(config: SiteConfig) -> Content:
    """Read and validate everything; raise ContentError listing every problem found."""
    content, problems = read_content(config)
    if problems:
        raise ContentError(problems)
    return content


def read_content(config: SiteConfig) -> tuple[Content, list[Problem]]:
    root = Path(config.content_path)
    display_root = _display(root)
    reference, problems = read_reference(
        root / config.data_dir,
        f"{display_root}/{config.data_dir}",
        config.default_lang,
        config.max_file_bytes,
    )
    problems += _reserved_keys(reference.towns, f"{display_root}/{config.data_dir}/towns.yml")
    render = MarkdownRenderer()
    ctx = ReadContext(
        reference=reference,
        images_dir=root / config.images_dir,
        today=config.today,
        default_lang=config.default_lang,
        max_bytes=config.max_file_bytes,
        max_image_pixels=config.max_image_pixels,
        render=render,
    )
    merchants = []
    merchants_dir = root / config.merchants_dir
    for path in _files(merchants_dir):
        display = f"{display_root}/{path.relative_to(root).as_posix()}"
        relative = PurePosixPath(path.relative_to(merchants_dir).as_posix())
        if path.is_symlink():
            problems.append(Problem(display, 0, "", "symlink"))
            continue
        location = merchant_location(relative)
        if location is None:
            if relative.suffix == ".md":
                problems.append(Problem(display, 0, "", "misplaced_file"))
            continue
        town, slug = location
        if town not in reference.towns and reference.towns:
            hint = town_hint(town, reference.towns)
            problems.append(
                Problem(display, 0, "", "unknown_town_folder", {"value": town, "hint": hint})
            )
            continue
        merchant, file_problems = read_merchant(path, display, town, slug, ctx)
        problems += file_problems
        if merchant is not None:
            merchants.append(merchant)
    pages, page_problems = _read_pages(root / config.pages_dir, display_root, root, config, render)
    problems += page_problems
    taken = set(reference.towns)
    for page in pages:
        if page.slug in taken:
            problems.append(
                Problem(
                    page.source_path,
                    0,
                    "",
                    "reserved_key",
                    {"value": page.slug, "url": f"/{page.slug}/"},
                )
            )
    return Content(reference, tuple(merchants), tuple(pages)), problems


def _files(folder: Path):
    """Files under a folder in a stable order, skipping hidden ones; symlinked folders are
    not followed.
    """
    if not folder.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith("."):
                yield Path(dirpath) / name
        for name in dirnames:
            if (Path(dirpath) / name).is_symlink():
                yield Path(dirpath) / name


def _display(path: Path) -> str:
    """A path as a volunteer sees it: relative to where they run the command, if inside."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _reserved_keys(towns, display) -> list[Problem]:
    return [
        Problem(display, 0, key, "reserved_key", {"value": key, "url": urls.RESERVED[key]})
        for key in towns
        if key in urls.RESERVED
    ]


def _read_pages(folder: Path, display_root: str, root: Path, config: SiteConfig, render):
    pages, problems = [], []
    for path in _files(folder):
        if path.suffix != ".md":
            continue
        display = f"{display_root}/{path.relative_to(root).as_posix()}"
        if path.is_symlink():
            problems.append(Problem(display, 0, "", "symlink"))
            continue
        text, file_problems = decode(path.read_bytes(), display, config.max_file_bytes)
        parsed = None
        if text is not None:
            parsed, file_problems = read_front_matter(text, display)
        problems += file_problems
        if parsed is None:
            continue
        check = FieldChecker(display, parsed.lines, config.default_lang)
        slug = path.stem
        if not SLUG_RE.match(slug) or path.parent != folder:
            check.fail("", "bad_slug", value=slug, suggestion=suggest_slug(slug))
        if slug in urls.RESERVED:
            check.fail("", "reserved_key", value=slug, url=urls.RESERVED[slug])
        values = parsed.fields
        check.unknown_fields(values, PAGE_FIELDS)
        title = (
            check.text("title", values["title"], 120) if check.required(values, "title") else None
        )
        summary = (
            check.text("summary", values["summary"], 160)
            if check.required(values, "summary")
            else None
        )
        order = 0
        if values.get("order") is not None:
            try:
                order = int(values["order"])
            except ValueError:
                check.fail("order", "bad_choice", value=values["order"], choices="0, 1, 2…")
        english = {}
        if isinstance(values.get("en"), dict):
            check.unknown_fields(values["en"], PAGE_EN_FIELDS, prefix="en.")
            for key in ("title", "summary"):
                if values["en"].get(key) is not None:
                    english[key] = check.text(f"en.{key}", values["en"][key], 160)
            if values["en"].get("body") is not None:
                body = check.text("en.body", values["en"]["body"], 100_000, one_line=False)
                english["body_html"] = render(body) if body else None
        elif values.get("en") is not None:
            check.fail("en", "not_mapping")
        problems += check.problems
        if not check.problems:
            pages.append(
                Page(
                    slug,
                    display,
                    title,
                    summary,
                    render(parsed.body),
                    order,
                    {k: v for k, v in english.items() if v},
                )
            )
    pages.sort(key=lambda page: (page.order, page.slug))
    return pages, problems
