"""tests/fixtures/hostile-but-valid: merchant files a stranger could send in a pull request,
that the validator accepts as they are. The build succeeds, and nothing they hold runs in a
spreadsheet, breaks a feed or stops the build.
"""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import FIXTURES, build
from htmlpage import parse

TREE = FIXTURES / "hostile-but-valid"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("hostile-but-valid") / "output"
    code, printed = build(TREE, output)
    assert code == 0, printed
    return output


def _csv_rows(site: Path) -> dict:
    raw = (site / "donnees-ouvertes" / "merchants.csv").read_bytes().decode("utf-8-sig")
    return {row["key"]: row for row in csv.DictReader(io.StringIO(raw, newline=""))}


def test_no_csv_cell_starts_a_spreadsheet_formula(site):
    row = _csv_rows(site)["rimouski/formule"]
    texts = ("name", "name_en", "summary", "summary_en", "address", "email", "tags", "source")
    assert {column: row[column][:1] for column in texts} == dict.fromkeys(texts, "'")
    assert row["name"] == '\'=WEBSERVICE("https://evil.example/")'
    assert row["tags"] == "'+1+1;'=2+2"  # each item
    # A number stays a number: the phone keeps its +, the longitude its -.
    assert row["phone"] == "+14185550123"
    # Nothing else starts like a formula, in any row.
    starts = ("=", "+", "-", "@", "\t", "\r")
    risky = [
        (key, column, value)
        for key, cells in _csv_rows(site).items()
        for column, value in cells.items()
        if value.startswith(starts) and column not in ("phone", "lat", "lon")
    ]
    assert risky == []


def test_the_json_keeps_the_values_as_written(site):
    import json

    document = json.loads((site / "donnees-ouvertes" / "merchants.json").read_bytes())
    record = next(r for r in document["merchants"] if r["key"] == "rimouski/formule")
    assert record["name"] == '=WEBSERVICE("https://evil.example/")'
    assert record["tags"] == ["+1+1", "=2+2"]


def test_noncharacters_are_dropped_and_the_feeds_stay_well_formed(site):
    for feed in ("nouveaux.atom.xml", "rimouski/nouveaux.atom.xml"):
        root = ET.parse(site / feed).getroot()  # raised "not well-formed" with U+FFFF
        titles = [entry.findtext("{http://www.w3.org/2005/Atom}title") for entry in root]
        assert "Café  Test (Rimouski)" in titles
    page = parse(site / "rimouski" / "nonchar" / "index.html")
    assert page.h1 == ["Café Test"]  # the parser folds the two spaces
    assert page.meta["description"] == "Un café de quartier."


def test_hours_past_what_the_seasons_can_read_are_shown_as_written(site):
    """Every minute of 23 h used: the reading by seasons gives up (it raised "no free minute"
    and stopped the build); the page shows the hours as the file gives them.
    """
    page = parse(site / "rimouski" / "minuit" / "index.html")
    assert "23:01-23:02" in page.text
