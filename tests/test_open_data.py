"""The open data files: the same merchants as the site shows (compared with the merchant pages
actually built), the CSV and GeoJSON agreeing with the JSON, valid GeoJSON in [lon, lat] order,
and a "Données ouvertes" page that lists the files with their sizes and every field.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import geojson
import pytest
from babel import Locale
from conftest import FIXTURES, ROOT, build
from htmlpage import html_pages, parse
from htmlparts import tables
from hypothesis import given
from hypothesis import strategies as st
from sitelists import merchant_pages, page_date, resolve

SITE_URL = "https://example.org/annuaire"
WHEELCHAIR = {"yes": "oui", "limited": "partiel", "no": "non"}


def _load(site: Path):
    folder = site / "donnees-ouvertes"
    document = json.loads((folder / "merchants.json").read_bytes())
    raw_csv = (folder / "merchants.csv").read_bytes()
    collection = json.loads((folder / "merchants.geojson").read_bytes())
    return document, raw_csv, collection


def _what_the_page_shows(url: str, page, record: dict, english) -> dict:
    """The record's fields, as read back from the built merchant page (and its English twin,
    `english`, for the English name and summary).
    """
    business = page.jsonld[0]
    hrefs = [href for tag, _, href in page.links if tag == "a"]
    targets = [resolve(url, href) for href in hrefs]
    town = url.split("/")[0]
    text = page.text
    names = Locale("fr").languages
    shown = {
        "key": url.rstrip("/"),
        "name": page.h1[0],
        "town": town,
        "town_name": business["address"]["addressLocality"],
        "categories": [t.split("/")[2] for t in targets if t.startswith(f"{town}/categories/")],
        "how_to_buy": [
            t.split("/")[2] for t in targets if t.startswith(f"{town}/comment-acheter/")
        ],
        "status": "temporarily_closed" if "Fermé temporairement." in text else "open",
        "summary": page.meta["description"],
        "address": business["address"].get("streetAddress"),
        "lat": business.get("geo", {}).get("latitude"),
        "lon": business.get("geo", {}).get("longitude"),
        "phone": business.get("telephone"),
        "email": business.get("email"),
        "website": record["website"] if record["website"] in hrefs else None,
        "shop_url": record["shop_url"] if record["shop_url"] in hrefs else None,
        "facebook": record["facebook"] if record["facebook"] in hrefs else None,
        "instagram": record["instagram"] if record["instagram"] in hrefs else None,
        "added": page_date(text, "Ajoutée le").isoformat(),
        "verified": page_date(text, "Fiche vérifiée le").isoformat(),
        "url": page.canonical,
    }
    checks = {
        "name_en": record["name_en"] is None or english.h1 == [record["name_en"]],
        "summary_en": record["summary_en"] is None
        or english.meta["description"] == record["summary_en"],
        "hours": (record["hours"] is None) == ("Heures d’ouverture" not in text),
        "languages": f"Langues de service {', '.join(names[c] for c in record['languages'])}"
        in text,
        "wheelchair": record["wheelchair"] is None
        or f"Accès en fauteuil roulant {WHEELCHAIR[record['wheelchair']]}" in text,
        "tags": not record["tags"] or f"Mots-clés : {', '.join(record['tags'])}" in text,
        "source": record["source"] is None or f"Source : {record['source']}" in text,
        "phone_extension": record["phone_extension"] is None
        or f"poste {record['phone_extension']}" in text,
        "delivery_area": not record["delivery_area"] or "Livre à :" in text,
    }
    assert [name for name, ok in checks.items() if not ok] == [], url
    return shown


def test_json_holds_exactly_the_open_merchants_the_site_shows(sample_site):
    document, _, _ = _load(sample_site)
    pages = html_pages(sample_site, french_only=True)
    shown = merchant_pages(pages)
    closed = merchant_pages(pages, listed=False)
    records = {record["key"] + "/": record for record in document["merchants"]}
    assert closed and not set(closed) & set(records)  # closed merchants stay out
    assert sorted(records) == sorted(shown)
    assert document["count"] == len(records)
    assert [r["key"] for r in document["merchants"]] == sorted(r["key"] for r in records.values())
    for url, record in records.items():
        english = parse(sample_site / "en" / url / "index.html")
        from_page = _what_the_page_shows(url, shown[url], record, english)
        assert {key: record[key] for key in from_page} == from_page, url
    assert document["updated"] == max(record["verified"] for record in records.values())
    assert document["license"] == {
        "name": "CC BY 4.0",
        "url": "https://creativecommons.org/licenses/by/4.0/deed.fr",
    }
    assert document["categories"]["restaurants"]["fr"] == "Restaurants"


def test_csv_is_the_json_as_rows_readable_by_excel(sample_site):
    document, raw, _ = _load(sample_site)
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM: Excel then reads UTF-8, accents included
    text = raw.decode("utf-8-sig")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")  # RFC 4180 line ends
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    from buylocal.open_data import FIELDS

    assert list(rows[0]) == [field.name for field in FIELDS]
    assert len(rows) == len(document["merchants"])
    for row, record in zip(rows, document["merchants"], strict=True):
        expected = {
            key: ";".join(value)
            if isinstance(value, list)
            else ("" if value is None else str(value))
            for key, value in record.items()
        }
        assert row == expected
    # A value with commas and quotes survives the round trip.
    assert any("," in row["address"] for row in rows)


def test_geojson_is_valid_rfc_7946_with_longitude_first(sample_site):
    document, _, collection = _load(sample_site)
    parsed = geojson.loads(json.dumps(collection))
    assert parsed.is_valid, parsed.errors()
    assert collection["type"] == "FeatureCollection" and "crs" not in collection
    located = {r["key"]: r for r in document["merchants"] if r["lat"] is not None}
    assert sorted(feature["id"] for feature in collection["features"]) == sorted(located)
    for feature in collection["features"]:
        record = located[feature["id"]]
        lon, lat = feature["geometry"]["coordinates"]
        assert (lon, lat) == (record["lon"], record["lat"])
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert feature["properties"] == {k: v for k, v in record.items() if k not in ("lat", "lon")}
    # Quebec: west of Greenwich, north of the equator; swapped axes would say otherwise.
    assert all(
        f["geometry"]["coordinates"][0] < 0 < f["geometry"]["coordinates"][1]
        for f in collection["features"]
    )


def test_the_open_data_page_lists_the_files_and_documents_every_field(sample_site):
    from buylocal.open_data import FIELDS

    path = sample_site / "donnees-ouvertes" / "index.html"
    [files, fields, towns, categories, ways] = tables(path)
    listed = {}
    for head, size in files.body():
        [href] = head.hrefs
        listed[resolve("donnees-ouvertes/", href)] = size.text
    names = [f"donnees-ouvertes/merchants.{ext}" for ext in ("csv", "geojson", "json")]
    assert sorted(listed) == names
    for url, size in listed.items():
        kilobytes = round((sample_site / url).stat().st_size / 1000, 1)
        assert size.endswith(" ko") and float(size[:-3].replace(",", ".")) == kilobytes, url
    assert [row[0].text for row in fields.body()] == [field.name for field in FIELDS]
    assert all(row[1].text for row in fields.body())
    document, _, _ = _load(sample_site)
    assert [row[0].text for row in categories.body()] == list(document["categories"])
    assert [row[0].text for row in ways.body()] == list(document["how_to_buy"])
    assert [row[0].text for row in towns.body()] == list(document["towns"])
    page = parse(path)
    assert ("a", "href", "https://creativecommons.org/licenses/by/4.0/deed.fr") in page.links
    assert "Licence" in page.text and "UTF-8 avec BOM" in page.text
    assert ("a", "href", "../nouveaux.atom.xml") in page.links  # the feeds are listed too


def test_docs_describe_every_field():
    from buylocal.open_data import FIELDS

    doc = (ROOT / "docs" / "open-data.md").read_text()
    assert [field.name for field in FIELDS if f"| `{field.name}` |" not in doc] == []


def test_a_town_chooses_its_licence(tmp_path):
    licence = {"name": "ODbL 1.0", "url": "https://opendatacommons.org/licenses/odbl/1-0/"}
    code, printed = build(FIXTURES / "small", tmp_path / "out", BUYLOCAL_DATA_LICENSE=licence)
    assert code == 0, printed
    document, _, collection = _load(tmp_path / "out")
    assert document["license"] == collection["license"] == licence
    page = parse(tmp_path / "out" / "donnees-ouvertes" / "index.html")
    assert ("a", "href", licence["url"]) in page.links and "ODbL 1.0" in page.text


@pytest.mark.parametrize(
    "licence", ["CC BY 4.0", {"name": "CC BY 4.0"}, {"name": "", "url": "https://example.org/"}]
)
def test_a_bad_licence_setting_stops_the_build(tmp_path, licence):
    code, printed = build(FIXTURES / "small", tmp_path / "out", BUYLOCAL_DATA_LICENSE=licence)
    assert code == 1 and "BUYLOCAL_DATA_LICENSE" in printed


def test_without_a_public_address_records_have_no_url(tmp_path):
    code, printed = build(FIXTURES / "small", tmp_path / "out", SITEURL="")
    assert code == 0, printed
    document, raw, _ = _load(tmp_path / "out")
    assert document["source"] is None
    assert [record["url"] for record in document["merchants"]] == [None, None, None]
    assert raw.decode("utf-8-sig").splitlines()[1].endswith(",")  # an empty last cell


def _csv_row(**given) -> dict:
    """One open data record, with `given` fields, as its CSV row."""
    from buylocal import open_data

    values = dict.fromkeys((field.name for field in open_data.FIELDS), None)
    values.update({"key": "rimouski/cafe", "name": "Café", "town": "rimouski", "tags": []})
    values.update(given)
    text = open_data.csv_bytes([open_data.row(values)]).decode("utf-8-sig")
    return next(csv.DictReader(io.StringIO(text, newline="")))


FORMULA = ("=", "+", "-", "@")


def test_each_list_item_and_each_text_after_a_semicolon_is_guarded():
    """A later tag, or a ";" in a name (where a French Excel opening the file by
    double-click starts a new cell), must not start a formula either.
    """
    row = _csv_row(tags=["bio", "=1+1"], name="Bio;=1+1", summary="-20 % sur tout")
    assert row["tags"] == "bio;'=1+1"
    assert row["summary"] == "'-20 % sur tout"
    line = _csv_row(name="Bio;=1+1,x")  # quoted for the comma, as a French Excel reads it
    cells = [cell for cell in ";".join(line.values()).split(";") if cell]
    assert [cell for cell in cells if cell.startswith(FORMULA)] == []


def test_numbers_stay_numbers_in_the_csv():
    from buylocal.fields import FieldChecker

    check = FieldChecker("x.md", {}, "fr")
    geo = check.geo("geo", {"lat": "51.47", "lon": "-0.00005"})  # accepted, written -5e-05
    row = _csv_row(lat=geo.lat, lon=geo.lon, phone="+14185550123", tags=["+1", "-2"])
    assert float(row["lon"]) == geo.lon == -0.00005
    assert (row["phone"], row["tags"]) == ("+14185550123", "+1;-2")


def test_the_guard_is_undone_exactly():
    from buylocal import open_data

    for text in ("=1+1", "'=1+1", "''@x", "a;=b;'c", "'", "-5 %", "bio;;@x"):
        assert open_data.unguarded(open_data._cell(text)) == text


@given(st.text(alphabet="=+-@'; a1.\t\n\uff1d", max_size=12))
def test_a_cell_without_any_formula_part_is_left_as_it_is(text):
    """The quick way out of the guard (no part that may start a formula) gives what
    guarding each part would give, and a guarded cell still gives the text back.
    """
    from buylocal import open_data

    parts = text.split(";")
    assert open_data._cell(text) == ";".join(open_data._guarded(part) for part in parts)
    assert open_data.unguarded(open_data._cell(text)) == text
