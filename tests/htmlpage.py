"""A built HTML page, parsed: what tests check instead of grepping."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path


@dataclass
class ParsedPage:
    path: Path
    lang: str | None = None
    title: str = ""
    meta: dict = field(default_factory=dict)  # name or property -> content
    links: list = field(default_factory=list)  # (tag, attribute, value), form actions too
    canonical: str | None = None
    jsonld: list = field(default_factory=list)
    h1: list = field(default_factory=list)
    headings: list = field(default_factory=list)  # levels in document order
    text: str = ""
    scripts: list = field(default_factory=list)  # (type, text)
    # Elements with data-* attributes (what the scripts read): (tag, attrs, text).
    data: list = field(default_factory=list)
    alternates: dict = field(default_factory=dict)  # hreflang -> href of <link rel=alternate>
    # What a reader sees or hears, with the language it is marked in (lang of the nearest
    # element that has one): texts, and the attributes read aloud or shown.
    spoken: list = field(default_factory=list)  # (lang, text)

    def with_attribute(self, name: str, value: str | None = None) -> list:
        """The (tag, attrs, text) of elements carrying `name` (and, if given, this value)."""
        return [
            element
            for element in self.data
            if name in element[1] and (value is None or element[1][name] == value)
        ]


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class _Parser(HTMLParser):
    def __init__(self, page: ParsedPage):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.stack: list[str] = []
        self.script_type = None
        self.buffer: list[str] = []
        self.texts: list[str] = []
        self.open_data: list = []  # [tag, attrs, text parts] of data elements not yet closed
        self.open_langs: list = []  # (tag, lang or None) of elements not yet closed

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.stack.append(tag)
        if any(name.startswith("data-") for name in attrs):
            element = [tag, attrs, []]
            self.page.data.append(element)
            if tag not in VOID:
                self.open_data.append(element)
        if tag not in VOID:
            self.open_langs.append((tag, attrs.get("lang")))
        here = attrs.get("lang") or self._lang()
        for name in ("alt", "aria-label", "placeholder", "title"):
            if attrs.get(name):
                self.page.spoken.append((here, attrs[name]))
        if tag == "html":
            self.page.lang = attrs.get("lang")
        elif tag == "link" and attrs.get("rel") == "alternate" and "type" not in attrs:
            self.page.alternates[attrs.get("hreflang")] = attrs.get("href")
        elif tag == "meta":
            key = attrs.get("name") or attrs.get("property") or attrs.get("http-equiv")
            if key:
                self.page.meta[key] = attrs.get("content")
        elif tag == "link" and attrs.get("rel") == "canonical":
            self.page.canonical = attrs.get("href")
        elif tag == "script":
            self.script_type = attrs.get("type", "")
            self.buffer = []
        if tag == "title":
            self.buffer = []
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.page.headings.append(int(tag[1]))
            self.buffer = []
        for attribute in ("href", "src", "action"):
            if attribute in attrs and not (tag == "link" and attrs.get("rel") == "canonical"):
                self.page.links.append((tag, attribute, attrs[attribute]))

    def _lang(self):
        return next((lang for _, lang in reversed(self.open_langs) if lang), None)

    def handle_endtag(self, tag):
        for index in range(len(self.open_langs) - 1, -1, -1):
            if self.open_langs[index][0] == tag:
                del self.open_langs[index:]
                break
        for index in range(len(self.open_data) - 1, -1, -1):
            if self.open_data[index][0] == tag:
                del self.open_data[index]
                break
        if tag == "script":
            text = "".join(self.buffer)
            self.page.scripts.append((self.script_type, text))
            if self.script_type == "application/ld+json":
                self.page.jsonld.append(json.loads(text))
            self.script_type = None
        elif tag == "title" and "svg" not in self.stack:  # an inline SVG has its own
            self.page.title = "".join(self.buffer).strip()
        elif tag == "h1":
            self.page.h1.append(" ".join("".join(self.buffer).split()))
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()

    def handle_data(self, data):
        self.buffer.append(data)
        for element in self.open_data:
            element[2].append(data)
        if self.script_type is None:
            self.texts.append(data)
            if data.strip() and "style" not in self.stack[-1:]:
                self.page.spoken.append((self._lang(), " ".join(data.split())))


def parse(path: Path) -> ParsedPage:
    page = ParsedPage(path)
    parser = _Parser(page)
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    page.text = " ".join(" ".join(parser.texts).split())
    page.data = [(tag, attrs, " ".join("".join(text).split())) for tag, attrs, text in page.data]
    return page


def html_pages(site: Path, french_only: bool = False) -> dict[str, ParsedPage]:
    """Every page of a built site, by URL relative to the site root ("", "rimouski/", ...);
    with `french_only`, not the English twins under en/ (test_languages.py checks those).
    """
    pages = {}
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site).as_posix()
        if french_only and relative.startswith("en/"):
            continue
        url = relative[: -len("index.html")] if relative.endswith("index.html") else relative
        pages[url] = parse(path)
    return pages
