"""Search without a server: Pagefind indexes the built site, and the browser searches it.

Only merchant pages are indexed (their templates mark them with data-pagefind-body); the
search page's script loads Pagefind's bundle from `pagefind/`, written here after the build.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from pathlib import Path

from . import incremental, urls

# Pagefind splits words on the ASCII apostrophe but keeps "l’érablière" (U+2019) whole, so
# "erabliere" would not find it: the parts are indexed again, out of sight.
_TYPOGRAPHIC_WORD = re.compile(r"\w+(?:[’ʼ]\w+)+")
_APOSTROPHES = re.compile(r"[’ʼ]")
_TAG = re.compile(r"<[^>]*>")
MARKER = b"data-pagefind-body"
PAGEFIND = [sys.executable, "-m", "pagefind"]  # the pinned PyPI package, pagefind[bin]


class SearchIndexError(Exception):
    """Pagefind could not index the site; report() says why and what to do."""

    def report(self, lang: str = "fr") -> str:
        if lang == "en":
            return (
                f"search index: Pagefind failed ({self}). Install the requirements "
                "(pip install -r requirements.txt) or set BUYLOCAL_SEARCH = False; "
                "nothing was published."
            )
        return (
            f"index de recherche : Pagefind a échoué ({self}). Installez les dépendances "
            "(pip install -r requirements.txt) ou mettez BUYLOCAL_SEARCH = False ; "
            "rien n'a été publié."
        )


def apostrophe_words(*texts: str) -> str:
    """The parts of words joined by a typographic apostrophe: "l’Héritage" -> "Héritage".

    Texts may be sanitized HTML (descriptions): tags are dropped first, as Pagefind reads
    "d’<em>Alphonse</em>" as one word.
    """
    seen: dict[str, str] = {}
    for text in texts:
        plain = html.unescape(_TAG.sub("", text or ""))
        for word in _TYPOGRAPHIC_WORD.findall(plain):
            for part in _APOSTROPHES.split(word):
                if len(part) > 1:
                    seen.setdefault(part.casefold(), part)
    return " ".join(seen.values())


def index_site(staging: Path, output: Path, pages: list[str], reuse: bool = True) -> set[str]:
    """Index the merchant pages with Pagefind; its bundle lands in `staging/pagefind/`.

    `pages` are the output files of every merchant page of this build. Those this build
    rendered are in `staging`; those it reused are still in `output` (incremental.py). When
    none changed since the last index, the bundle in `output` is kept as it is: its files are
    returned, for the build to keep (unless not `reuse`: a full build). Otherwise Pagefind
    indexes every merchant page again (it cannot add to an index), the reused ones linked into
    `staging` for it to read. The key of the index covers the pages' bytes, this code and
    Pagefind's version (incremental.code_version).

    A site where no page is marked for search (no open merchant yet) gets no bundle: the
    search page says so.
    """
    record = _record_path(output)
    digest_parts, reused = [], []
    for name in sorted(pages):
        path = staging / name
        if not path.exists():
            path = output / name
            reused.append(name)
        data = path.read_bytes()
        if MARKER in data:
            digest_parts += [name.encode(), data]
    key = incremental.digest(incremental.code_version().encode(), *digest_parts)
    previous = _read_record(record) if reuse else None
    if previous and previous["key"] == key and _bundle_intact(output, previous["files"]):
        return set(previous["files"])
    files = []
    if digest_parts:
        for name in reused:  # the same file, not a copy: publish sees it is unchanged
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            incremental.link_or_copy(output / name, staging / name)
        _run_pagefind(staging, _glob(pages))
        bundle = staging / urls.SEARCH_BUNDLE
        files = sorted(f"{urls.SEARCH_BUNDLE}/{name}" for name in incremental.files_under(bundle))
    _pending_record(record).parent.mkdir(parents=True, exist_ok=True)
    _pending_record(record).write_text(json.dumps({"key": key, "files": files}))
    return set()


def _glob(pages: list[str]) -> str:
    """Only the files where merchant pages live are read ("{*/*,en/*/*}/index.html"): lists
    and the home page are never indexed, and parsing them was half of Pagefind's time.
    """
    merchant = urls.merchant("*", "*")  # "*/*/"
    depth = merchant.count("/")
    prefixes = sorted({"".join(p + "/" for p in name.split("/")[: -depth - 1]) for name in pages})
    patterns = [prefix + merchant.rstrip("/") for prefix in prefixes or [""]]
    joined = patterns[0] if len(patterns) == 1 else "{" + ",".join(patterns) + "}"
    return urls.output_file(joined + "/")


def _run_pagefind(folder: Path, glob: str) -> None:
    command = [
        *PAGEFIND,
        "--site",
        str(folder),
        "--glob",
        glob,
        "--output-subdir",
        urls.SEARCH_BUNDLE,
        "--silent",
    ]
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as error:
        raise SearchIndexError(str(error)) from None
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise SearchIndexError(detail[-1] if detail else f"exit status {result.returncode}")


def _record_path(output: Path) -> Path:
    return incremental.cache_dir(output) / f"search-{output.name}.json"


def _pending_record(record: Path) -> Path:
    return record.with_name(record.name + ".pending")


def _read_record(record: Path) -> dict | None:
    try:
        return json.loads(record.read_text())
    except (OSError, ValueError):
        return None


def _bundle_intact(output: Path, files: list) -> bool:
    return bool(files) and all((output / name).is_file() for name in files)


def settle(output: Path) -> None:
    """The build is in place: its index record becomes the record."""
    record = _record_path(output)
    pending = _pending_record(record)
    if pending.exists():
        pending.replace(record)


def drop_pending(output: Path) -> None:
    _pending_record(_record_path(output)).unlink(missing_ok=True)
