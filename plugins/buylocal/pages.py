"""Plain pages (content/pages/*.md): about the initiative, how to add a merchant."""

from __future__ import annotations

from pathlib import Path

from . import urls
from .fields import MISSING, SLUG_RE, FieldChecker, suggest_slug
from .frontmatter import read_front_matter, read_text
from .markup import MarkdownTooDeep
from .model import Page
from .problems import Problem

FIELDS = ("title", "summary", "order", "en")
EN_FIELDS = ("title", "summary", "body")


def read_page(path: Path, display: str, default_lang: str, max_bytes: int, render):
    text, problems = read_text(path, display, max_bytes)
    if text is None:
        return None, problems
    parsed, problems = read_front_matter(text, display)
    if parsed is None:
        return None, problems
    check = FieldChecker(display, parsed.lines, default_lang)
    slug = path.stem
    if not SLUG_RE.fullmatch(slug):
        check.fail("", "bad_slug", value=slug, suggestion=suggest_slug(slug))
    elif slug in urls.RESERVED:
        check.fail("", "reserved_key", value=slug, url=urls.RESERVED[slug])
    values = parsed.fields
    check.unknown_fields(values, FIELDS)
    title = summary = None
    order = 0
    if check.required(values, "title"):
        title = check.text("title", values["title"], 120)
    if check.required(values, "summary"):
        summary = check.text("summary", values["summary"], 160)
    if values.get("order") not in MISSING:
        order = check.whole_number("order", values["order"])
    english = {}
    if values.get("en") not in MISSING and check.mapping("en", values["en"]) is not None:
        check.unknown_fields(values["en"], EN_FIELDS, prefix="en.")
        present = {k: v for k, v in values["en"].items() if v not in MISSING}
        for key in ("title", "summary"):
            if key in present:
                english[key] = check.text(f"en.{key}", present[key], 160)
        if "body" in present:
            english["body_html"] = check.text("en.body", present["body"], 100_000, one_line=False)
    try:
        body_html = render(parsed.body, heading_level=2, site_links=True)
        if english.get("body_html"):
            # The English page's body, under its own title like the French one.
            english["body_html"] = render(english["body_html"], heading_level=2, site_links=True)
    except MarkdownTooDeep:
        check.problems.append(Problem(display, parsed.body_line, "", "description_too_deep", {}))
    if check.problems:
        return None, check.problems
    english = {key: value for key, value in english.items() if value}
    return Page(slug, display, title, summary, body_html, order, english), []


def misplaced(display: str) -> Problem:
    return Problem(display, 1, "", "misplaced_page")
