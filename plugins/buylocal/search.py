"""Search without a server: Pagefind indexes the built site, and the browser searches it.

Only merchant pages are indexed (their templates mark them with data-pagefind-body); the
search page's script loads Pagefind's bundle from `pagefind/`, written here after the build.
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

from . import urls

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


def index_site(folder: Path) -> None:
    """Run Pagefind over a built site; its bundle lands in `folder/pagefind/`.

    A site where no page is marked for search (no open merchant yet) gets no bundle: Pagefind
    would otherwise index every page, lists and 404 included. The search page says so.
    """
    folder = Path(folder)
    # Only the files where merchant pages live are read ("*/*/index.html"): lists and the
    # home page are never indexed, and parsing them was half of Pagefind's time.
    pages = urls.output_file(urls.merchant("*", "*"))
    if not any(MARKER in page.read_bytes() for page in folder.glob(pages)):
        return
    command = [
        *PAGEFIND,
        "--site",
        str(folder),
        "--glob",
        pages,
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
