"""Markdown from strangers to HTML that is safe to mark as such in templates."""

from __future__ import annotations

import re
from functools import partial

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


# What each of Python-Markdown's inline patterns needs in a text to match at all: most merchant
# texts have none of these, and trying the 13 patterns on every paragraph was half the time
# of converting it. Tabs and STX/ETX are there because Python-Markdown's first step turns
# them into the spaces of a line break ("  \n").
INLINE_MARKS = {
    "backtick": ("`",),
    "escape": ("\\",),
    "reference": ("[",),
    "link": ("[",),
    "image_link": ("[",),
    "image_reference": ("[",),
    "short_reference": ("[",),
    "short_image_ref": ("[",),
    "autolink": ("<",),
    "automail": ("<",),
    "linebreak": ("  \n", "  \r", "\t", "\x02", "\x03"),
    "entity": ("&",),
    "em_strong": ("*", "_"),
}
_MARKS = sorted({mark for marks in INLINE_MARKS.values() for mark in marks})
_MAX_VARIANTS = 64  # one instance per set of patterns needed; texts needing them all are rare


# Characters that Python-Markdown or the sanitizer treat otherwise than as text, or that
# lines may be told apart by: such a text always goes through Markdown.
_NOT_PLAIN_RE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_BLANK_LINES_RE = re.compile(r"\n{2,}")


def _plain_paragraphs(text: str) -> str | None:
    r"""The HTML Python-Markdown makes of a text of plain paragraphs, or None if the text may
    be more than that. Plain: no inline mark (INLINE_MARKS), no control character (Markdown
    makes a line of "\r"), and each line empty or starting with a letter, so that no block
    syntax (heading, list, quote, code, rule, underline) can begin there. Most merchant
    descriptions are so, and Markdown took 0.14 ms for each.
    """
    if _NOT_PLAIN_RE.search(text):
        return None
    for line in text.split("\n"):
        if line and not line[0].isalpha():
            return None
    paragraphs = _BLANK_LINES_RE.split(text.strip("\n"))
    return "\n".join(
        f"<p>{paragraph.replace('>', '&gt;')}</p>" for paragraph in paragraphs if paragraph
    )


# Python-Markdown looks for the end of a link's text, then of its address, through the rest
# of the paragraph, for every "[": 19,999 "[" took 52 s, and 50 "[" before 20,000 escaped
# characters 2 s (each escape is a 16-character stand-in by then). A link's text and address
# are looked for within this many characters; a longer "link" stays text.
LINK_WINDOW = 2_000
_LINK_PATTERNS = tuple(name for name, marks in INLINE_MARKS.items() if marks == ("[",))


def _bound_link_scans(md: markdown.Markdown) -> None:
    for name in _LINK_PATTERNS:
        if name in md.inlinePatterns:
            processor = md.inlinePatterns[name]
            for method in ("getText", "getLink"):
                scan = getattr(type(processor), method)
                setattr(processor, method, partial(_within_window, scan, processor))


def _within_window(scan, processor, data: str, index: int, *rest):
    return scan(processor, data[: index + LINK_WINDOW], index, *rest)


class MarkdownTooDeep(Exception):
    """Lists or quotes nested so deep that Python-Markdown's recursion gives up."""


class MarkdownRenderer:
    """Markdown instances reused for every file: creating one per file is costly.

    A text is converted by an instance that only has the inline patterns the text's
    characters can match (`INLINE_MARKS`): the HTML is the same as with all of them.
    """

    def __init__(self, skip_patterns: bool = True):
        self._full = self._markdown()
        known = all(name in self._full.inlinePatterns for name in INLINE_MARKS)
        # Another Markdown version, another pattern: every text gets every pattern then.
        self._skip = skip_patterns and known and len(self._full.inlinePatterns) == len(INLINE_MARKS)
        self._needs: dict[frozenset, frozenset] = {}  # marks found -> patterns needed
        self._variants: dict[frozenset, markdown.Markdown] = {}  # patterns -> instance

    @staticmethod
    def _markdown(patterns=None) -> markdown.Markdown:
        md = markdown.Markdown(
            extensions=["sane_lists", _FitHeadingsExtension()], output_format="html"
        )
        # Raw HTML is shown as text, never passed through: only Markdown makes markup, so its
        # headings can be re-levelled, and nh3 below is a second wall, not the only one.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        _bound_link_scans(md)
        for name in INLINE_MARKS if patterns is not None else ():
            if name not in patterns:
                md.inlinePatterns.deregister(name)
        return md

    def markdown_for(self, text: str) -> markdown.Markdown:
        """The instance with the inline patterns `text` may need."""
        if not self._skip:
            return self._full
        return self._for_marks(frozenset(mark for mark in _MARKS if mark in text))

    def _for_marks(self, marks: frozenset) -> markdown.Markdown:
        needed = self._needs.get(marks)
        if needed is None:
            needed = self._needs[marks] = frozenset(
                name for name, its in INLINE_MARKS.items() if marks.intersection(its)
            )
        md = self._variants.get(needed)
        if md is None:
            if len(self._variants) >= _MAX_VARIANTS:
                return self._full
            md = self._variants[needed] = self._markdown(needed)
        return md

    def __call__(self, text: str, heading_level: int = 2, site_links: bool = False) -> str:
        """Sanitized HTML whose first heading level is `heading_level`."""
        text = text or ""
        if not self._skip:
            html = self._convert(self._full, text, heading_level)
        else:
            marks = frozenset(mark for mark in _MARKS if mark in text)
            html = None if marks else _plain_paragraphs(text)
            if html is None:
                html = self._convert(self._for_marks(marks), text, heading_level)
        html = nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes=ALLOWED_SCHEMES,
            link_rel="nofollow noopener ugc",
            attribute_filter=_site_links_too if site_links else _absolute_links_only,
        )
        return _LINK_WITHOUT_HREF_RE.sub(r"\1", html).strip()

    @staticmethod
    def _convert(md: markdown.Markdown, text: str, heading_level: int) -> str:
        md.reset()
        # reset() leaves the block parser's nesting as it was: after a RecursionError, 500
        # levels of "list", and every later text converted as if inside a list item.
        md.parser.state.clear()
        md.treeprocessors["fit_headings"].top = heading_level
        try:
            return md.convert(text)
        except RecursionError:
            raise MarkdownTooDeep from None
