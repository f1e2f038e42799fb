"""Search without a server: the build writes a word index per language, cut into small files
that the browser fetches only when a query needs them (theme/static/js/search.js).

The index is made from the validated merchants, not from the pages, so a rebuild makes it
again in about a second and only the files whose bytes changed are published. Pagefind did
this job until November 2026 (issue #5): it cannot add to an index, so any change indexed
every merchant page again (45 s and 2 GB of memory at 10,000 merchants in two languages),
and its one file per page took a province-wide site over Cloudflare's 20,000 files.

What is in `index-recherche/<lang>/` (every JSON file written the same way for the same input):
- `index.json`: the version of every other file (fetched as `…?v=<hash>`, so a browser never
  mixes an old part with a new one), the stop words, how many records each file holds;
- `mots/<ab>.json`: every word that starts with "ab", with the merchants that have it, in
  three lists by where the word is (name; tags, town, categories, ways to buy, summary;
  description, address). A merchant is a number, its place in alphabetical order; each
  list holds the gaps between numbers, which keeps the files small;
- `fiches/<n>.json`: what a result shows (name, town and categories, summary, ways to buy),
  RECORDS_PER_FILE merchants per file;
- `filtres.json`: the merchants of each town, category and way to buy, for the filters.

Words are lowercased, without accents or ligatures, and split at anything but letters and
digits (apostrophes and hyphens included): "l’Érablière" is "l" + "erabliere". search.js
writes a query the same way (fold() in both), then finds every word that starts with each
query word; a whole word, or its singular ("boulangeries"), ranks above a longer one.
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from collections import defaultdict
from functools import partial

from . import incremental, jsontext, languages, urls

VERSION = 1  # of the files' layout: search.js reads this one
CACHE = "search"  # in cache/: each merchant's entry, by digest (_entries)
TEMPORARILY_CLOSED = "Fermé temporairement."  # said in a result (in the catalogs: merchant.html)
RECORDS_PER_FILE = 32
TIERS = 3  # name; tags, town, categories, ways, summary; description, address

# Words too common to help find a merchant; search.js drops them from queries too (the list
# is in index.json). One-letter words are never indexed.
STOP_WORDS = {
    "fr": frozenset(
        "au aux avec ce ces cet cette dans de des du en est et il ils elle elles la le les "  # noqa: SIM905
        "leur leurs ne nos notre nous ou par pas pour qu que qui sa se ses son sont sur un "
        "une vos votre vous".split()
    ),
    "en": frozenset(
        "an and are as at be by for from in is it its of on or our that the their this to "  # noqa: SIM905
        "we with you your".split()
    ),
}

_WORD = re.compile(r"[^\W_]+")  # letters and digits: \p{L}\p{N} in search.js
_LONG_WORD = re.compile(r"[^\W_]{2,}")
_ACCENTS = re.compile("[\u0300-\u036f]")  # the marks of Latin letters, once decomposed
_TAG = re.compile(r"<[^>]*>")
# What Unicode does not make plain for us: LETTERS in search.js. Letters it does not split
# into a letter and an accent; the final sigma, which a query typed in lowercase may not
# have ("οδυσσεας"); apostrophes that Unicode calls letters ("lʼérablière" with U+02BC is
# "l" + "erabliere"); and invisible characters inside a word (soft hyphen, zero-width
# joiners), which "pâtisse\u00adries" must not be cut at.
LETTERS = {"œ": "oe", "æ": "ae", "ß": "ss", "ı": "i", "ø": "o", "ł": "l", "đ": "d", "ς": "σ"}
LETTERS |= {"ʼ": " ", "ʻ": " ", "\u00ad": "", "\u200c": "", "\u200d": "", "\u2060": ""}
LETTERS |= {"\ufeff": ""}
_LETTER = re.compile("[" + "".join(LETTERS) + "]")
# Beyond ASCII, what French and English texts hold once decomposed: anything else may be a
# mark that _ACCENTS misses (in Greek, Hindi, Cree syllabics…).
_UNUSUAL = re.compile("[^\x00-\x7f’‘«»“”–—·•©®°€\u2009\u202f]")


def fold(text: str) -> list[str]:
    """The words of a text as the index holds them: "L’Érablière Œuf" -> ["l", "erabliere",
    "oeuf"]. search.js's fold() takes the same steps.
    """
    return _WORD.findall(_bare(text))


def index_words(text: str) -> set[str]:
    """The different words of a text that the index keeps: two letters or more."""
    return set(_LONG_WORD.findall(_bare(text)))


def _bare(text: str) -> str:
    r"""Lowercase, decomposed, without marks (\p{M}: accents and others), through LETTERS. In C
    for the usual text, where only Latin accents are marks; any other goes character by
    character.
    """
    decomposed = unicodedata.normalize("NFKD", text.lower())
    bare = _letters(_ACCENTS.sub("", decomposed))
    if _UNUSUAL.search(bare):
        bare = _letters("".join(c for c in decomposed if unicodedata.category(c)[0] != "M"))
    return bare.lower()  # "ℌ" decomposes to "H"


def _letters(text: str) -> str:
    if not _LETTER.search(text):  # str.translate would read every character in Python
        return text
    return _LETTER.sub(lambda found: LETTERS[found.group()], text)


def shard(word: str) -> str:
    """The file a word is in: its first two characters, "_" for any but a-z and 0-9."""
    return "".join(c if c.isascii() and c.isalnum() else "_" for c in word[:2])


def index_files(directory, config, catalogs: dict) -> dict[str, bytes]:
    """Every file of the index, by its path from the site root, for each language."""
    entries = _entries(directory, config, catalogs)
    files = {}
    for lang in config.languages:
        files.update(_language_files(sorted(entries[lang]), lang))
    return files


def _entries(directory, config, catalogs: dict) -> dict[str, list]:
    """Each listed merchant's entry in each language (_entry). An unchanged merchant's comes
    from cache/, by its digest (incremental.merchant_digest), while the code, Python's Unicode
    tables, the data files, the settings and the words the entries take from the catalogs are
    the same.
    """
    key = incremental.value_digest(
        incremental.code_version(),
        unicodedata.unidata_version,  # a new Python may lowercase or decompose otherwise
        directory.reference,
        config,
        [catalogs[lang].gettext(TEMPORARILY_CLOSED) for lang in config.languages],
    )
    cache = incremental.KeptValues(CACHE, key)
    entries = {}
    for lang in config.languages:
        entries[lang] = [
            cache.get(
                (incremental.merchant_digest(merchant), lang),
                partial(_entry, merchant, directory.reference, config, lang, catalogs),
            )
            for merchant in directory.listed  # a closed business is not found any more
        ]
    cache.save()
    return entries


def _entry(merchant, ref, config, lang: str, catalogs: dict) -> tuple:
    """(its place in alphabetical order, its words in each list, what its result shows, its
    town, categories and ways to buy for the filters). Words are kept as one string per list,
    which pickles and splits in C.
    """
    town = ref.towns[merchant.town].name.get(lang)
    categories = tuple(ref.categories[key].name.get(lang) for key in merchant.categories)
    ways = tuple(ref.how_to_buy[key].name.get(lang) for key in merchant.how_to_buy)
    name, name_lang = languages.field_text(merchant, "name", lang)
    summary, summary_lang = languages.field_text(merchant, "summary", lang)
    description = languages.field_text(merchant, "description_html", lang)[0]
    # Each word once, in the first list it is in: name; tags, town, categories, ways,
    # summary; description, address.
    seen, tiers = set(STOP_WORDS.get(lang, ())), []
    for text in (
        name,
        " ".join([*merchant.tags, town, *categories, *ways, summary]),
        html.unescape(_TAG.sub(" ", description)) + " " + (merchant.address or ""),
    ):
        words = index_words(text) - seen
        seen |= words
        tiers.append(" ".join(words))
    url = languages.prefix(lang, config.default_lang) + urls.merchant(merchant.town, merchant.slug)
    record = {"u": url, "n": name, "p": " · ".join([town, ", ".join(categories)])}
    record |= {"s": summary, "w": list(ways)}
    if merchant.status == "temporarily_closed":
        record["t"] = catalogs[lang].gettext(TEMPORARILY_CLOSED)
    fallbacks = {
        key: text_lang
        for key, text_lang in (("n", name_lang), ("s", summary_lang))
        if text_lang != lang
    }
    if fallbacks:  # shown in French on an English page: marked lang="fr" (search.js)
        record["f"] = fallbacks
    return ((fold(name), url), *tiers, _json(record), town, categories, ways)


def _language_files(entries: list, lang: str) -> dict[str, bytes]:
    """The files of one language's index, from its entries in alphabetical order."""
    postings: dict = defaultdict(lambda: tuple([] for _ in range(TIERS)))
    filters: dict = {kind: defaultdict(list) for kind in ("ville", "categorie", "achat")}
    records = []
    for number, (_, *tiers, record, town, categories, ways) in enumerate(entries):
        for tier, words in enumerate(tiers):
            for word in words.split():
                postings[word][tier].append(number)
        filters["ville"][town].append(number)
        for value in categories:
            filters["categorie"][value].append(number)
        for value in ways:
            filters["achat"][value].append(number)
        records.append(record)

    folder = f"{urls.search_index()}{lang}/"
    files: dict[str, bytes] = {}

    def add_bytes(name: str, data: bytes) -> str:
        files[folder + name] = data
        return hashlib.sha256(data).hexdigest()[:12]

    def add(name: str, value) -> str:
        return add_bytes(name, _json(value))

    by_shard: dict = defaultdict(dict)
    for word in sorted(postings):
        by_shard[shard(word)][word] = [_gaps(numbers) for numbers in postings[word]]
    word_files = {key: add(f"mots/{key}.json", words) for key, words in sorted(by_shard.items())}
    record_files = [
        add_bytes(
            f"fiches/{start // RECORDS_PER_FILE}.json",
            b"[" + b",".join(records[start : start + RECORDS_PER_FILE]) + b"]",
        )
        for start in range(0, len(records), RECORDS_PER_FILE)
    ]
    filter_file = add(
        "filtres.json",
        {
            kind: {value: _gaps(numbers) for value, numbers in sorted(values.items())}
            for kind, values in filters.items()
        },
    )
    add(
        "index.json",
        {
            "version": VERSION,
            "count": len(records),
            "per_file": RECORDS_PER_FILE,
            "stop": sorted(STOP_WORDS.get(lang, ())),
            "words": word_files,
            "records": record_files,
            "filters": filter_file,
        },
    )
    return files


def _gaps(numbers: list[int]) -> list[int]:
    """[3, 5, 9] -> [3, 2, 4]: small numbers, fewer bytes."""
    return [number - previous for previous, number in zip([0, *numbers], numbers, strict=False)]


def _json(value) -> bytes:
    return jsontext.compact(value, sort_keys=True).encode()
