"""`invoke report`: what reviewers should look at beyond validity — probable duplicates,
listings nobody has confirmed for a long time, and references that lead nowhere.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit

from unidecode import unidecode

from . import urls
from .content import Content

_WORDS_RE = re.compile(r"[a-z0-9]+")
_RELATIVE_HREF_RE = re.compile(r'href="(?![a-z]+:|#)([^"]+)"')


def stale_since(today: date, months: int) -> date:
    """The date before which a listing's last verification is too old."""
    month = today.month - months
    year = today.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return date(year, month, min(today.day, 28))


def is_stale(merchant, today: date, months: int) -> bool:
    return merchant.listed and merchant.verified < stale_since(today, months)


def normalized_name(name: str) -> str:
    """Names compared without accents, case or punctuation: "Café L'Ardoise" = "cafe l ardoise"."""
    return " ".join(_WORDS_RE.findall(unidecode(name).lower()))


def normalized_site(url: str) -> str:
    parts = urlsplit(url.lower())
    host = parts.hostname or ""
    return (host.removeprefix("www.") + parts.path.rstrip("/")) or url


@dataclass
class Report:
    duplicates: list = field(default_factory=list)  # (reason, value, [files])
    stale: list = field(default_factory=list)  # (file, verified)
    broken: list = field(default_factory=list)  # (file, what)

    @property
    def empty(self) -> bool:
        return not (self.duplicates or self.stale or self.broken)


def build_report(content: Content, config, months: int) -> Report:
    today = config.today
    report = Report()
    listed = [m for m in content.merchants if m.listed]
    groups: dict = defaultdict(list)
    for merchant in listed:
        groups[("nom", f"{normalized_name(merchant.name)} ({merchant.town})")].append(merchant)
        if merchant.phone:
            groups[("téléphone", merchant.phone.display)].append(merchant)
        if merchant.website:
            groups[("site web", normalized_site(merchant.website))].append(merchant)
    for (reason, value), merchants in sorted(groups.items()):
        if len(merchants) > 1:
            files = sorted(m.source_path for m in merchants)
            report.duplicates.append((reason, value, files))
    for merchant in sorted(content.merchants, key=lambda m: (m.verified, m.source_path)):
        if is_stale(merchant, today, months):
            report.stale.append((merchant.source_path, merchant.verified))
    report.broken = _broken_links(content, config)
    return report


def _broken_links(content: Content, config) -> list:
    """Relative links in plain pages that point at no page the build writes."""
    from .index import build_directory
    from .plan import Planner

    existing = {spec.url for spec in Planner(build_directory(content), config).plan()}
    broken = []
    for page in content.pages:
        for href in _RELATIVE_HREF_RE.findall(page.body_html):
            if not href.split("#")[0].endswith("/"):
                continue  # a file (an image, a PDF), not a page of the site
            target = _resolve(urls.page(page.slug), href)
            if target is not None and target not in existing:
                broken.append((page.source_path, href))
    return broken


def _resolve(base: str, href: str) -> str | None:
    parts = [p for p in base.split("/") if p]
    for piece in href.split("#")[0].split("/"):
        if piece == "..":
            if not parts:
                return None
            parts.pop()
        elif piece and piece != ".":
            parts.append(piece)
    return "/".join(parts) + "/" if parts else ""


def print_report(report: Report, months: int, stream=sys.stdout) -> None:
    print("Doublons probables :" if report.duplicates else "Aucun doublon probable.", file=stream)
    for reason, value, files in report.duplicates:
        print(f"  même {reason} « {value} » : {', '.join(files)}", file=stream)
    if report.stale:
        print(f"Fiches à vérifier (pas vérifiées depuis plus de {months} mois) :", file=stream)
        for path, verified in report.stale:
            print(f"  {path} : vérifiée le {verified.isoformat()}", file=stream)
    else:
        print(f"Toutes les fiches ont été vérifiées dans les {months} derniers mois.", file=stream)
    if report.broken:
        print("Liens vers des pages qui n'existent pas :", file=stream)
        for path, href in report.broken:
            print(f"  {path} : {href}", file=stream)
    else:
        print("Aucun lien brisé entre les pages.", file=stream)
