"""Does the output fit the free static hosts? Said after each build, before a deploy is refused.

Limits of the free plans, as the hosts document them (November 2026): GitHub Pages, a site of
at most 1 GB; GitLab Pages (gitlab.com), 1 GB and 200,000 files; Cloudflare Pages, 20,000 files
of at most 25 MiB each. A town on another plan changes HOSTS in its own plugin.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

GB = 1_000_000_000
MIB = 1024 * 1024
WARN_AT = 0.8  # "close to the limit" from 80 %


@dataclass(frozen=True)
class Host:
    name: str
    env: str  # the variable its build machines set, to tell the host this build is for
    max_bytes: int | None = None
    max_files: int | None = None
    max_file_bytes: int | None = None


HOSTS = (
    Host("GitHub Pages", "GITHUB_ACTIONS", max_bytes=GB),
    Host("GitLab Pages", "GITLAB_CI", max_bytes=GB, max_files=200_000),
    Host("Cloudflare Pages", "CF_PAGES", max_files=20_000, max_file_bytes=25 * MIB),
)

MESSAGES = {
    "fr": {
        "summary": "Sortie : {files} fichiers, {size}.",
        "over": "ATTENTION : {host} refusera ce site : {what} dépasse sa limite ({limit}).",
        "near": "Attention : ce site approche la limite de {host} : {what} sur {limit}.",
        "files": "{value} fichiers",
        "bytes": "{value} au total",
        "file": "le fichier {name} ({value})",
        "this": " (ce build)",
        "lighter": "Pour alléger le site, dans {settings} : {options}.",
        "option": "{setting} = False en retire {count} fichiers ({size})",
        "and": " ; ",
        "folders": "Les plus gros dossiers : {folders}.",
        "fits": "Ce site tient dans les limites de {hosts}.",
    },
    "en": {
        "summary": "Output: {files} files, {size}.",
        "over": "WARNING: {host} will refuse this site: {what} is over its limit ({limit}).",
        "near": "Warning: this site is close to {host}'s limit: {what} of {limit}.",
        "files": "{value} files",
        "bytes": "{value} in all",
        "file": "file {name} ({value})",
        "this": " (this build)",
        "lighter": "To make the site smaller, in {settings}: {options}.",
        "option": "{setting} = False removes {count} files ({size})",
        "and": "; ",
        "folders": "Largest folders: {folders}.",
        "fits": "This site fits within the limits of {hosts}.",
    },
}


def _number(value: int, lang: str) -> str:
    text = f"{value:,}"
    return text.replace(",", "\u202f") if lang == "fr" else text


def _size(value: int, lang: str) -> str:
    for unit, scale in (("Go", GB), ("Mo", 1_000_000), ("ko", 1_000)):
        if value >= scale:
            text = f"{value / scale:.1f}"
            if lang == "fr":
                return f"{text.replace('.', ',')}\u00a0{unit}"
            return f"{text} {unit.replace('o', 'B')}"
    return f"{value} o" if lang == "fr" else f"{value} B"


def report(
    sizes: dict,
    lang: str = "fr",
    environ=os.environ,
    optional_files: Callable[[], dict] | None = None,
    settings_file: str = "pelicanconf.py",
) -> list[str]:
    """A summary line, then a warning for each limit of each host that is exceeded or near,
    then what to do: the settings that would remove files (`optional_files()`, setting -> the
    names of its files: asked only then), the largest folders, the hosts the site fits.
    """
    lang = "en" if lang == "en" else "fr"
    text = MESSAGES[lang]
    total, count = sum(sizes.values()), len(sizes)
    largest = max(sizes.items(), key=lambda item: (item[1], item[0]), default=("", 0))
    lines = [text["summary"].format(files=_number(count, lang), size=_size(total, lang))]
    warned, fits = set(), []
    for host in HOSTS:
        name = host.name + (text["this"] if environ.get(host.env) else "")
        checks = (
            ("files", host.max_files, count, lambda v: _number(v, lang)),
            ("bytes", host.max_bytes, total, lambda v: _size(v, lang)),
            ("file", host.max_file_bytes, largest[1], lambda v: _size(v, lang)),
        )
        refused = False
        for kind, limit, value, shown in checks:
            if limit is None:
                continue
            if value > limit:
                key, refused = "over", True
            elif value > limit * WARN_AT:
                key = "near"
            else:
                continue
            warned.add(kind)
            described = text[kind].format(value=shown(value), name=largest[0])
            lines.append(text[key].format(host=name, what=described, limit=shown(limit)))
        if not refused:
            fits.append(host.name)
    if not warned:
        return lines
    options = []
    for setting, names in (optional_files() if optional_files else {}).items():
        found = [sizes[name] for name in names if name in sizes]
        if found:
            count, size = _number(len(found), lang), _size(sum(found), lang)
            options.append(text["option"].format(setting=setting, count=count, size=size))
    if options and warned & {"files", "bytes"}:  # not for one file too large
        joined = text["and"].join(options)
        lines.append(text["lighter"].format(settings=settings_file, options=joined))
    if "bytes" in warned:
        folders = _largest_folders(sizes)
        shown = ", ".join(f"{folder} ({_size(size, lang)})" for folder, size in folders)
        lines.append(text["folders"].format(folders=shown))
    if fits and len(fits) < len(HOSTS):
        lines.append(text["fits"].format(hosts=", ".join(fits)))
    return lines


def _largest_folders(sizes: dict, count: int = 3) -> list[tuple[str, int]]:
    """The first level's folders that hold the most bytes (a file at the root counts alone)."""
    totals: dict = {}
    for name, size in sizes.items():
        first = name.split("/", 1)[0] + ("/" if "/" in name else "")
        totals[first] = totals.get(first, 0) + size
    return sorted(totals.items(), key=lambda item: (-item[1], item[0]))[:count]
