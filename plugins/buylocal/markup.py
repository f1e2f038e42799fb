"""Markdown from strangers to HTML that is safe to mark as such in templates."""

from __future__ import annotations

import re

import markdown
import nh3
from markdown.treeprocessors import Treeprocessor

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "ul",
    "ol",
    "li",
    "a",
    "blockquote",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "code",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_SCHEMES = {"http", "https", "mailto", "tel"}


_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


class _FitHeadings(Treeprocessor):
    """Move the text's headings so its highest one sits at `top` (under the page's own)."""

    top = 2

    def run(self, root):
        headings = [element for element in root.iter() if element.tag in _HEADINGS]
        if headings:
            shift = self.top - min(int(element.tag[1]) for element in headings)
            for element in headings:
                element.tag = f"h{max(1, min(6, int(element.tag[1]) + shift))}"


class _FitHeadingsExtension(markdown.Extension):
    def extendMarkdown(self, md):  # noqa: N802 (Markdown's API)
        md.treeprocessors.register(_FitHeadings(md), "fit_headings", 0)


def _absolute_links_only(tag, attribute, value):
    """Merchant text may link out, never inside the site (`/x` breaks sub-path hosting)."""
    if attribute == "href" and not _ABSOLUTE_RE.match(value):
        return None
    return value


def _site_links_too(tag, attribute, value):
    """Plain pages, written by the town, may also link to other pages by relative path."""
    if attribute == "href" and value.startswith(("/", "\\")):
        return None
    return value


_ABSOLUTE_RE = re.compile(r"^(https?://|mailto:|tel:)", re.IGNORECASE)
# A link whose address was refused keeps its words, not an <a rel> without href (invalid HTML).
_LINK_WITHOUT_HREF_RE = re.compile(r"<a(?=[\s>])(?![^>]*\shref=)[^>]*>(.*?)</a>", re.DOTALL)


class MarkdownTooDeep(Exception):
    """Lists or quotes nested so deep that Python-Markdown's recursion gives up."""


class MarkdownRenderer:
    """One Markdown instance reused for every file: creating one per file is costly."""

    def __init__(self):
        self._md = markdown.Markdown(
            extensions=["sane_lists", _FitHeadingsExtension()], output_format="html"
        )
        # Raw HTML is shown as text, never passed through: only Markdown makes markup, so its
        # headings can be re-levelled, and nh3 below is a second wall, not the only one.
        self._md.preprocessors.deregister("html_block")
        self._md.inlinePatterns.deregister("html")

    def __call__(self, text: str, heading_level: int = 2, site_links: bool = False) -> str:
        """Sanitized HTML whose first heading level is `heading_level`."""
        self._md.reset()
        self._md.treeprocessors["fit_headings"].top = heading_level
        try:
            html = self._md.convert(text or "")
        except RecursionError:
            raise MarkdownTooDeep from None
        html = nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes=ALLOWED_SCHEMES,
            link_rel="nofollow noopener ugc",
            attribute_filter=_site_links_too if site_links else _absolute_links_only,
        )
        return _LINK_WITHOUT_HREF_RE.sub(r"\1", html).strip()
