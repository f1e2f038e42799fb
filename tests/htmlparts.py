"""Parts of a built page that htmlpage.py does not keep: tables, and elements by class."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path


@dataclass
class Cell:
    header: bool
    text: str = ""
    hrefs: list = field(default_factory=list)


@dataclass
class Table:
    id: str | None
    rows: list = field(default_factory=list)  # lists of Cell, thead rows included

    def body(self) -> list[list[Cell]]:
        """The rows after the first (the column headings)."""
        return self.rows[1:]


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: list[Table] = []
        self.classes: dict[str, int] = {}
        self.head_links: list[dict] = []  # the attributes of each <link>
        self.cell: Cell | None = None
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in (attrs.get("class") or "").split():
            self.classes[name] = self.classes.get(name, 0) + 1
        if tag == "link":
            self.head_links.append(attrs)
        if tag == "table":
            self.tables.append(Table(attrs.get("id")))
        elif tag == "tr" and self.tables:
            self.tables[-1].rows.append([])
        elif tag in ("td", "th") and self.tables:
            self.cell = Cell(tag == "th")
            self.texts = []
            self.tables[-1].rows[-1].append(self.cell)
        elif tag == "a" and self.cell is not None:
            self.cell.hrefs.append(attrs.get("href"))

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.cell.text = " ".join("".join(self.texts).split())
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.texts.append(data)


def parse_parts(path: Path) -> _Parser:
    parser = _Parser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def tables(path: Path) -> list[Table]:
    return parse_parts(path).tables


def head_links(path: Path, rel: str) -> list[dict]:
    """The attributes of the page's <link rel=…> elements of one relation."""
    return [link for link in parse_parts(path).head_links if link.get("rel") == rel]


def class_count(path: Path, name: str) -> int:
    """How many elements of the page carry the class `name`."""
    return parse_parts(path).classes.get(name, 0)
