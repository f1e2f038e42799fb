"""The whole directory as open data: merchants.json, merchants.csv and merchants.geojson, under a
licence the town chooses, documented field by field on the "Données ouvertes" page.

Only what a merchant's page already shows is exported, and only open merchants (closed ones
are in no list). The files are sorted and keyed in a fixed order, so two builds of the same
content give the same bytes and a deploy diff shows only what changed.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass

from . import incremental, jsontext, seo, urls

JSON_FILE = "merchants.json"
CSV_FILE = "merchants.csv"
GEOJSON_FILE = "merchants.geojson"
ROWS_CACHE = "open-data"  # in cache/: each merchant's row, by digest
LIST_SEPARATOR = ";"  # between the items of a list in one CSV cell; no key holds one


@dataclass(frozen=True)
class Field:
    name: str
    fr: str
    en: str


# The schema of one merchant record, in the order of the CSV columns and of the JSON keys.
FIELDS = (
    Field(
        "key",
        "identifiant stable : ville/fichier, par exemple rimouski/bistro-lardoise",
        "stable identifier: town/file, for example rimouski/bistro-lardoise",
    ),
    Field("name", "nom du commerce", "business name"),
    Field("name_en", "nom en anglais, s’il diffère", "English name, if different"),
    Field("town", "clé de la ville (voir les villes)", "town key (see towns)"),
    Field("town_name", "nom de la ville", "town name"),
    Field("region", "région de la ville", "the town's region"),
    Field(
        "categories",
        "clés des catégories (voir les catégories), la première est la principale",
        "category keys (see categories), the first is the main one",
    ),
    Field(
        "how_to_buy",
        "clés des façons d’acheter (voir les façons d’acheter)",
        "keys of the ways to buy (see ways to buy)",
    ),
    Field(
        "status",
        "open (ouvert) ou temporarily_closed (fermé temporairement)",
        "open or temporarily_closed",
    ),
    Field("summary", "résumé d’une ligne", "one-line summary"),
    Field("summary_en", "résumé en anglais", "English summary"),
    Field("address", "adresse postale", "street address"),
    Field("lat", "latitude (WGS 84)", "latitude (WGS 84)"),
    Field("lon", "longitude (WGS 84)", "longitude (WGS 84)"),
    Field("phone", "téléphone au format international E.164", "phone number in E.164 format"),
    Field("phone_extension", "poste téléphonique", "phone extension"),
    Field("email", "courriel", "e-mail address"),
    Field("website", "site web", "web site"),
    Field("shop_url", "boutique en ligne", "online shop"),
    Field("facebook", "page Facebook", "Facebook page"),
    Field("instagram", "compte Instagram", "Instagram account"),
    Field(
        "hours",
        "heures d’ouverture, syntaxe opening_hours d’OpenStreetMap",
        "opening hours, in OpenStreetMap's opening_hours syntax",
    ),
    Field(
        "delivery_area",
        "clés des villes où le commerce livre",
        "keys of the towns the merchant delivers to",
    ),
    Field(
        "languages",
        "langues de service, codes ISO 639-1 (fr, en…)",
        "languages served, ISO 639-1 codes (fr, en…)",
    ),
    Field(
        "wheelchair",
        "accès en fauteuil roulant : yes (oui), limited (partiel) ou no (non)",
        "wheelchair access: yes, limited or no",
    ),
    Field("tags", "mots-clés", "keywords"),
    Field("source", "comment la fiche a été confirmée", "how the listing was confirmed"),
    Field("added", "date d’ajout au répertoire (AAAA-MM-JJ)", "date added (YYYY-MM-DD)"),
    Field(
        "verified",
        "date de la dernière vérification (AAAA-MM-JJ)",
        "date last verified (YYYY-MM-DD)",
    ),
    Field(
        "url",
        "adresse de la fiche sur le site (vide si le site n’a pas d’adresse publique)",
        "the listing's page (empty when the site has no public address)",
    ),
)


def record(merchant, directory, config) -> dict:
    """One merchant as the exports show it: every field of FIELDS, None where absent."""
    town = directory.reference.towns[merchant.town]
    phone = merchant.phone
    values = {
        "key": f"{merchant.town}/{merchant.slug}",
        "name": merchant.name,
        "name_en": merchant.en.get("name"),
        "town": merchant.town,
        "town_name": town.name.get(config.default_lang),
        "region": town.region.get(config.default_lang),
        "categories": list(merchant.categories),
        "how_to_buy": list(merchant.how_to_buy),
        "status": merchant.status,
        "summary": merchant.summary,
        "summary_en": merchant.en.get("summary"),
        "address": merchant.address,
        "lat": merchant.geo.lat if merchant.geo else None,
        "lon": merchant.geo.lon if merchant.geo else None,
        "phone": phone.e164 if phone else None,
        "phone_extension": phone.extension if phone else None,
        "email": merchant.email,
        "website": merchant.website,
        "shop_url": merchant.shop_url,
        "facebook": merchant.facebook,
        "instagram": merchant.instagram,
        "hours": merchant.hours,
        "delivery_area": list(merchant.delivery_area),
        "languages": list(merchant.languages),
        "wheelchair": merchant.wheelchair,
        "tags": list(merchant.tags),
        "source": merchant.source,
        "added": merchant.added.isoformat(),
        "verified": merchant.verified.isoformat(),
        "url": (
            seo.absolute(config, urls.merchant(merchant.town, merchant.slug))
            if config.site_url
            else None
        ),
    }
    return {field.name: values[field.name] for field in FIELDS}


def records(directory, config) -> list[dict]:
    """Every listed merchant, sorted by key (town, then file name)."""
    return [record(merchant, directory, config) for merchant in _listed(directory)]


def _listed(directory) -> list:
    return sorted(directory.listed, key=lambda m: (m.town, m.slug))


@dataclass(frozen=True, slots=True)
class Row:
    """One merchant in each file, as text: made once per merchant, kept in cache/."""

    verified: str
    json: str  # its line of merchants.json
    csv: str  # its line of merchants.csv, with its CRLF
    geojson: str | None  # its line of merchants.geojson; None without coordinates


def row(values: dict) -> Row:
    geometry = None
    if values["lat"] is not None:
        feature = {
            "type": "Feature",
            "id": values["key"],
            "geometry": {"type": "Point", "coordinates": [values["lon"], values["lat"]]},
            "properties": {k: v for k, v in values.items() if k not in ("lat", "lon")},
        }
        geometry = _json_line(feature)
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerow([_cell(values[field.name]) for field in FIELDS])
    return Row(values["verified"], _json_line(values), out.getvalue(), geometry)


def _license(config) -> dict:
    name, url = config.data_license
    return {"name": name, "url": url}


def _names(items: dict) -> dict:
    return {key: dict(item.name.texts) for key, item in items.items()}


def json_bytes(rows: list[Row], directory, config) -> bytes:
    ref = directory.reference
    document = {
        "title": config.site_name,
        "source": seo.absolute(config, urls.HOME) if config.site_url else None,
        "license": _license(config),
        "updated": _updated(rows),
        "count": len(rows),
        "towns": {
            key: {"name": dict(town.name.texts), "region": town.region.get()}
            for key, town in ref.towns.items()
        },
        "categories": _names(ref.categories),
        "how_to_buy": _names(ref.how_to_buy),
    }
    return _json(document, "merchants", [r.json for r in rows])


def geojson_bytes(rows: list[Row], config) -> bytes:
    """RFC 7946: a FeatureCollection of the merchants with coordinates, [longitude, latitude]."""
    # "license" is a foreign member, which RFC 7946 (section 6.1) allows.
    document = {"type": "FeatureCollection", "license": _license(config)}
    return _json(document, "features", [r.geojson for r in rows if r.geojson is not None])


def csv_bytes(rows: list[Row]) -> bytes:
    """RFC 4180 (commas, CRLF), UTF-8 with a byte order mark so that Excel reads the accents."""
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerow([field.name for field in FIELDS])
    return (out.getvalue() + "".join(r.csv for r in rows)).encode("utf-8-sig")


# A spreadsheet opening the CSV runs a cell that starts with one of these as a formula (CSV
# injection, OWASP): =HYPERLINK(...) in a stranger's merchant name would run on the computer
# of whoever reuses the open data. Such a text starts with an apostrophe, as OWASP
# recommends, and so does each item of a list and whatever follows a ";" in a text: a French
# Excel that opens the file by double-click splits cells there. A number a merchant file
# gives as text (a phone, +14185550123) stays as it is; numbers (coordinates) are numbers.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")
_EXCEL_FR_SEPARATOR = ";"  # LIST_SEPARATOR too: guarding after it guards each list item
_FORMULA_CHARACTER = f"[{re.escape(''.join(_FORMULA_START))}]"
_GUARD_RE = re.compile(f"(?:^|(?<={_EXCEL_FR_SEPARATOR}))'(?='*{_FORMULA_CHARACTER})")
# Whether some part of a text may need the guard: most cells have none, and are left at once
# (guarding every part of every cell was half of making the open data files).
_MAY_NEED_GUARD = re.compile(f"(?:^|{_EXCEL_FR_SEPARATOR})'*{_FORMULA_CHARACTER}")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, int | float):
        return str(value)
    text = LIST_SEPARATOR.join(value) if isinstance(value, list) else value
    if not _MAY_NEED_GUARD.search(text):
        return text
    parts = text.split(_EXCEL_FR_SEPARATOR)
    return _EXCEL_FR_SEPARATOR.join(_guarded(part) for part in parts)


def _guarded(part: str) -> str:
    # Apostrophes already there are counted in, so that unguarded() gives back the text.
    if part.lstrip("'").startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(part):
        return "'" + part
    return part


def unguarded(cell: str) -> str:
    """A cell of our CSV as the merchant file gave it (csv_import reads our export too)."""
    return _GUARD_RE.sub("", cell)


def _updated(rows: list[Row]) -> str | None:
    """The data's own date: the last time any listing was verified (never the clock)."""
    return max((r.verified for r in rows), default=None)


def _json_line(value: dict) -> str:
    return jsontext.compact(value)


def _json(head: dict, rows_key: str, lines: list[str]) -> bytes:
    """Readable JSON with one merchant a line: compact, and a deploy diff shows what changed."""
    text = json.dumps(head, ensure_ascii=False, indent=1)
    body = "[\n" + ",\n".join(lines) + "\n]" if lines else "[]"
    return f'{text[:-2]},\n "{rows_key}": {body}\n}}\n'.encode()


@dataclass(frozen=True)
class DownloadLink:
    """What a page shows of a file it publishes: its bytes stay out of the planned pages."""

    url: str  # relative to the site root
    label: str
    media_type: str

    @property
    def name(self) -> str:
        return self.url.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Download(DownloadLink):
    """A file a page publishes beside itself."""

    data: bytes

    def link(self) -> DownloadLink:
        return DownloadLink(self.url, self.label, self.media_type)


def downloads(directory, config) -> list[Download]:
    # Each merchant's row by its digest, while the data files and settings a row also shows
    # (town names, the site's address) are the same.
    cache = incremental.KeptValues(
        ROWS_CACHE, incremental.value_digest(directory.reference, config)
    )
    rows = [
        cache.get(
            incremental.merchant_digest(merchant),
            lambda m=merchant: row(record(m, directory, config)),
        )
        for merchant in _listed(directory)
    ]
    cache.save()
    return [
        Download(
            urls.open_data_file(JSON_FILE),
            "JSON",
            "application/json",
            json_bytes(rows, directory, config),
        ),
        Download(urls.open_data_file(CSV_FILE), "CSV", "text/csv", csv_bytes(rows)),
        Download(
            urls.open_data_file(GEOJSON_FILE),
            "GeoJSON",
            "application/geo+json",
            geojson_bytes(rows, config),
        ),
    ]
