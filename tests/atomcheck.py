"""The requirements of RFC 4287 (the Atom Syndication Format) on a feed document, checked on the
parsed XML: what each element must, must not or may only once contain. feedparser forgives
most of these, so the tests check them here as well.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime
from urllib.parse import urlsplit

NS = "http://www.w3.org/2005/Atom"
A = f"{{{NS}}}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XHTML_DIV = "{http://www.w3.org/1999/xhtml}div"
# RFC 3339 date-time (section 3.3 of RFC 4287): "T" and an offset or "Z" are required.
DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")
LANGUAGE_TAG = re.compile(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*")
TEXT_TYPES = ("text", "html", "xhtml")
# Elements that may appear at most once (4.1.1, 4.1.2) and exactly once.
FEED_ONCE = ("generator", "icon", "logo", "rights", "subtitle")
FEED_EXACTLY = ("id", "title", "updated")
ENTRY_ONCE = ("content", "published", "rights", "source", "summary")
ENTRY_EXACTLY = ("id", "title", "updated")


def problems(data: bytes) -> list[str]:
    """Every RFC 4287 requirement the document breaks, as readable sentences."""
    root = ET.fromstring(data)
    found: list[str] = []
    if root.tag != f"{A}feed":
        return [f"the root element is {root.tag}, not atom:feed (4.1.1)"]
    if XML_LANG in root.attrib and not LANGUAGE_TAG.fullmatch(root.attrib[XML_LANG]):
        found.append(f"xml:lang {root.attrib[XML_LANG]!r} is not a language tag")
    found += _counts(root, "atom:feed", FEED_EXACTLY, FEED_ONCE)
    found += _common(root, "atom:feed")
    entries = root.findall(f"{A}entry")
    if not root.findall(f"{A}author") and any(not e.findall(f"{A}author") for e in entries):
        found.append("atom:feed has no atom:author, and not every entry has one (4.1.1)")
    if not [link for link in root.findall(f"{A}link") if link.get("rel") == "self"]:
        found.append('atom:feed SHOULD have a link rel="self" (4.1.1)')
    for link in root.findall(f"{A}link"):
        if link.get("rel") == "self" and not urlsplit(link.get("href", "")).scheme:
            found.append("the self link must be absolute to be useful outside the document")
    ids = []
    for number, entry in enumerate(entries, start=1):
        where = f"atom:entry #{number}"
        found += _counts(entry, where, ENTRY_EXACTLY, ENTRY_ONCE)
        found += _common(entry, where)
        links = entry.findall(f"{A}link")
        alternates = [link for link in links if link.get("rel", "alternate") == "alternate"]
        if entry.find(f"{A}content") is None and not alternates:
            found.append(f"{where}: no atom:content and no alternate link (4.1.2)")
        ids += [e.text for e in entry.findall(f"{A}id")]
        for element in entry.findall(f"{A}published"):
            found += _date(element, where)
    if len(ids) != len(set(ids)):
        found.append("two entries share an atom:id (4.1.1)")
    return found


def _counts(element, where: str, exactly, once) -> list[str]:
    found = []
    for name in exactly:
        count = len(element.findall(f"{A}{name}"))
        if count != 1:
            found.append(f"{where} has {count} atom:{name}, exactly one is required")
    for name in once:
        if len(element.findall(f"{A}{name}")) > 1:
            found.append(f"{where} has more than one atom:{name}")
    return found


def _common(element, where: str) -> list[str]:
    """id, updated, text constructs, persons and links, as sections 3 and 4.2 define them."""
    found = []
    for identifier in element.findall(f"{A}id"):
        text = (identifier.text or "").strip()
        if not urlsplit(text).scheme or text != identifier.text:
            found.append(f"{where}: atom:id {identifier.text!r} is not an absolute IRI (4.2.6)")
    for updated in element.findall(f"{A}updated"):
        found += _date(updated, where)
    for name in ("title", "subtitle", "summary", "rights"):
        for text in element.findall(f"{A}{name}"):
            if text.get("type", "text") not in TEXT_TYPES:
                found.append(f"{where}: atom:{name} type {text.get('type')!r} (3.1.1)")
            if text.get("type") == "xhtml" and text.find(XHTML_DIV) is None:
                found.append(f"{where}: atom:{name} of type xhtml needs one xhtml:div (3.1.1.3)")
    for person in element.findall(f"{A}author") + element.findall(f"{A}contributor"):
        if len(person.findall(f"{A}name")) != 1:
            found.append(f"{where}: a person construct needs exactly one atom:name (3.2)")
        for uri in person.findall(f"{A}uri"):
            if not urlsplit(uri.text or "").scheme:
                found.append(f"{where}: atom:uri {uri.text!r} is not an IRI (3.2.2)")
    for link in element.findall(f"{A}link"):
        if not link.get("href"):
            found.append(f"{where}: atom:link without href (4.2.7.1)")
    pairs = [
        (link.get("type"), link.get("hreflang"))
        for link in element.findall(f"{A}link")
        if link.get("rel", "alternate") == "alternate"
    ]
    if len(pairs) != len(set(pairs)):
        found.append(f"{where}: two alternate links with the same type and hreflang (4.1.1)")
    for category in element.findall(f"{A}category"):
        if not category.get("term"):
            found.append(f"{where}: atom:category without term (4.2.2.1)")
    return found


def _date(element, where: str) -> list[str]:
    text = element.text or ""
    if not DATE_TIME.fullmatch(text):
        return [f"{where}: {element.tag[len(A) :]} {text!r} is not an RFC 3339 date-time (3.3)"]
    datetime.fromisoformat(text.replace("Z", "+00:00"))  # a real day and time, or it raises
    return []
