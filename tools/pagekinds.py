"""The kinds of page a built site has, found in the output rather than listed by hand, so that
a page kind added tomorrow is checked and photographed too.

A page's kind is its template (the `kind-…` class of <body>) plus the shape of its markup:
which elements, with which classes, a photo or not, a `lang` section or not, a link to the
previous page of a list or not. Two merchants with the same kind look alike to a browser.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

# Attributes whose presence changes what a page is made of, not only what it says.
_SHAPING = ("lang", "rel", "aria-current", "srcset")


class _Shapes(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.template = ""
        self.lang = ""
        self.shapes: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = sorted((attrs.get("class") or "").split())
        if tag == "html":
            self.lang = attrs.get("lang") or ""
        if tag == "body":
            self.template = next((c[5:] for c in classes if c.startswith("kind-")), "")
        if tag in ("html", "head", "meta", "link", "script", "title", "style"):
            return
        marks = [f"[{name}]" for name in _SHAPING if name in attrs and name != "rel"]
        if attrs.get("rel"):
            marks.append(f"[rel={attrs['rel']}]")
        self.shapes.add(tag + "".join(f".{c}" for c in classes) + "".join(marks))


def page_urls(output: Path) -> list[str]:
    """Every HTML page of a built site, as its address relative to the site's root."""
    urls = []
    for path in output.rglob("*.html"):
        relative = path.relative_to(output)
        if path.name == "index.html":
            parent = relative.parent.as_posix()
            urls.append("" if parent == "." else parent + "/")
        else:
            urls.append(relative.as_posix())
    return sorted(urls)


def shape(output: Path, url: str) -> tuple[str, frozenset]:
    """(template, shapes) of one built page; the template of a page in another language than
    French has that language in front ("en-merchant"): each language is checked on its own.
    """
    path = output / url / "index.html" if url == "" or url.endswith("/") else output / url
    parser = _Shapes()
    parser.feed(path.read_text(encoding="utf-8"))
    template = parser.template or Path(url).stem
    if parser.lang not in ("fr", ""):
        template = f"{parser.lang}-{template}"
    return template, frozenset(parser.shapes)


def page_kinds(output: Path) -> dict[str, str]:
    """One page of each kind: {'merchant-3': 'rimouski/cafe-du-havre/', ...}.

    Names are the template followed by a number when a template has several shapes; the page
    chosen for each is the first by address, so the choice is the same from one run to the next.
    """
    first: dict[tuple, str] = {}
    for url in page_urls(output):
        first.setdefault(shape(output, url), url)
    names: dict[str, str] = {}
    counts: dict[str, int] = {}
    for (template, _shapes), url in first.items():
        counts[template] = counts.get(template, 0) + 1
        names[f"{template}-{counts[template]}"] = url
    return names


# Variants worth a picture of their own, by an element that only they have; first match wins.
VARIANTS = (
    ("closed", "p.notice.notice-closed"),
    ("temporarily-closed", "p.notice.notice-temporarily-closed"),
    ("page-2", "a[rel=prev]"),
    ("photo", "picture"),
)


def named_kinds(output: Path) -> dict[str, str]:
    """One page per template and notable variant, for screenshots: {'merchant-photo': url}.

    The English twins look like the French pages: only a merchant page with a photo is
    photographed in English.
    """
    chosen: dict[str, str] = {}
    for url in page_urls(output):
        template, shapes = shape(output, url)
        variant = next((name for name, element in VARIANTS if element in shapes), "")
        name = f"{template}-{variant}" if variant else template
        if template.startswith("en-") and name != "en-merchant-photo":
            continue
        chosen.setdefault(name, url)
    return chosen
