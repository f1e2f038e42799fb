"""The Nu HTML checker (the W3C validator, npm vnu-jar, run by java) finds no error in any page,
stylesheet or SVG of the built sample and of the small fixture site.

Needs java and `npm ci --prefix tests/node`: skipped on a laptop without them, never in CI.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from conftest import skip_unless

NODE = Path(__file__).resolve().parent / "node"  # package.json: the npm tools of the tests
VNU = NODE / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
JAVA = shutil.which("java")

skip_unless(
    bool(JAVA) and VNU.is_file(),
    "the Nu HTML checker",
    "apt-get install default-jre-headless npm, then npm ci --ignore-scripts --prefix tests/node",
)


def vnu_errors(*folders: Path) -> list[str]:
    """Every error the checker reports in the HTML, CSS and SVG files under `folders`."""
    result = subprocess.run(
        [
            JAVA,
            "-jar",
            str(VNU),
            "--errors-only",
            "--skip-non-html",  # images are not for it to read...
            "--also-check-css",  # ...but stylesheets and SVG are
            "--also-check-svg",
            "--format",
            "json",
            *map(str, folders),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr)["messages"]  # vnu writes its report on stderr
    return [
        f"{m.get('url', '?').rsplit('/output/', 1)[-1]}:{m.get('lastLine', '?')}: {m['message']}"
        for m in messages
        if m["type"] in ("error", "non-document-error")
    ]


def test_the_whole_sample_and_small_site_are_valid(sample_site, small_site):
    assert vnu_errors(sample_site, small_site) == []


def test_the_checker_reports_errors(tmp_path):
    (tmp_path / "page.html").write_text("<!doctype html><html lang=fr><p><div></p>")
    (tmp_path / "style.css").write_text("a { colr: red; }")
    (tmp_path / "photo.webp").write_bytes(b"RIFF\x00\xff")  # not read
    errors = vnu_errors(tmp_path)
    assert any("page.html" in error and "title" in error for error in errors)
    assert any("style.css" in error and "colr" in error for error in errors)
    assert not any("photo.webp" in error for error in errors)
