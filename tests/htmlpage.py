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
    links: list = field(default_factory=list)  # (tag, attribute, value)
    canonical: str | None = None
    jsonld: list = field(default_factory=list)
    h1: list = field(default_factory=list)
    headings: list = field(default_factory=list)  # levels in document order
    text: str = ""
    scripts: list = field(default_factory=list)  # (type, text)


class _Parser(HTMLParser):
    def __init__(self, page: ParsedPage):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.stack: list[str] = []
        self.script_type = None
        self.buffer: list[str] = []
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.stack.append(tag)
        if tag == "html":
            self.page.lang = attrs.get("lang")
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
        for attribute in ("href", "src"):
            if attribute in attrs and not (tag == "link" and attrs.get("rel") == "canonical"):
                self.page.links.append((tag, attribute, attrs[attribute]))

    def handle_endtag(self, tag):
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
        if self.script_type is None:
            self.texts.append(data)


def parse(path: Path) -> ParsedPage:
    page = ParsedPage(path)
    parser = _Parser(page)
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    page.text = " ".join(" ".join(parser.texts).split())
    return page


def html_pages(site: Path) -> dict[str, ParsedPage]:
    """Every page of a built site, by URL relative to the site root ("", "rimouski/", ...)."""
    pages = {}
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site).as_posix()
        url = relative[: -len("index.html")] if relative.endswith("index.html") else relative
        pages[url] = parse(path)
    return pages
