"""Markdown from strangers to HTML that is safe to mark as such in templates."""

from __future__ import annotations

import markdown
import nh3
from markdown.treeprocessors import Treeprocessor

# Descriptions sit under the page's <h1> and section <h2>s: their headings start at <h3>.
_HEADING_SHIFT = 2
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
    "h3",
    "h4",
    "h5",
    "h6",
    "code",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_SCHEMES = {"http", "https", "mailto", "tel"}


class _DemoteHeadings(Treeprocessor):
    def run(self, root):
        for element in root.iter():
            if len(element.tag) == 2 and element.tag[0] == "h" and element.tag[1].isdigit():
                element.tag = f"h{min(6, int(element.tag[1]) + _HEADING_SHIFT)}"


class _DemoteHeadingsExtension(markdown.Extension):
    def extendMarkdown(self, md):  # noqa: N802 (Markdown's API)
        md.treeprocessors.register(_DemoteHeadings(md), "demote_headings", 0)


class MarkdownRenderer:
    """One Markdown instance reused for every file: creating one per file is costly."""

    def __init__(self):
        self._md = markdown.Markdown(
            extensions=["sane_lists", _DemoteHeadingsExtension()], output_format="html"
        )

    def __call__(self, text: str) -> str:
        self._md.reset()
        html = self._md.convert(text or "")
        return nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes=ALLOWED_SCHEMES,
            link_rel="nofollow noopener ugc",
        ).strip()
