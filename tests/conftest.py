"""Shared helpers: build a fixture tree with the real plugin and theme, parse what it wrote."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
sys.path.insert(0, str(ROOT / "plugins"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT / "tools"))

TODAY = "2026-11-20"
SITE_URL = "https://example.org/annuaire"  # what the fixture builds are built for


def skip_unless(available: bool, what: str, install: str) -> None:
    """At the top of a test module that needs an outside tool: skip it on a laptop without
    the tool, but fail in CI (the CI variable is set), where a skip would hide a lost check.
    """
    if available:
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI must have {what}: {install}", pytrace=False)
    pytest.skip(f"no {what} on this machine ({install})", allow_module_level=True)


def settings_overrides(content: Path, **overrides) -> dict:
    """The repository's pelicanconf.py, pointed at a fixture tree (Pelican's get_settings idea)."""
    return {
        "PATH": str(content),
        "THEME": str(ROOT / "theme"),
        "PLUGIN_PATHS": [str(ROOT / "plugins")],
        "SITEURL": SITE_URL,
        "BUYLOCAL_TODAY": TODAY,
        "BUYLOCAL_REPOSITORY_URL": "https://github.com/example/achat-local",
        **overrides,
    }


def build(content: Path, output: Path, lang="fr", full=False, **overrides) -> tuple[int, str]:
    """Build `content` into `output` in-process; returns (exit code, what it printed).

    Like `invoke build`, it reuses what it can from a previous build into `output`, unless
    `full`.
    """
    from buylocal.build import build_site

    stream = io.StringIO()
    code = build_site(
        str(ROOT / "pelicanconf.py"),
        str(output),
        overrides=settings_overrides(content, **overrides),
        lang=lang,
        stream=stream,
        full=full,
    )
    return code, stream.getvalue()


def pages_rendered(printed: str) -> tuple[int, int]:
    """(pages, pages rendered) from what a build printed; the others were kept as they were."""
    found = re.search(r"(\d+) pages : (\d+) rendues", printed)
    return int(found.group(1)), int(found.group(2))


# What a town's copy of the repository holds besides content/.
CODE = ("pelicanconf.py", "publishconf.py", "tasks.py", "plugins", "theme")


def copy_repository(target: Path, content: Path, extra=()) -> Path:
    """A copy of the repository's code (and `extra` files) with `content` as its content/."""
    target.mkdir(parents=True, exist_ok=True)
    for name in (*CODE, *extra):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, target / name)
    shutil.copytree(content, target / "content")
    return target


def run_invoke(repository: Path, *args: str, answers: str = "") -> subprocess.CompletedProcess:
    """An invoke command in a copy of the repository, as a volunteer types it."""
    return subprocess.run(
        [sys.executable, "-m", "invoke", *args],
        cwd=repository,
        input=answers,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.defpath}"},
    )


@pytest.fixture(scope="module")
def ctx():
    """What a merchant file of tests/fixtures/small is read against, on a fixed day."""
    from buylocal.data_files import read_reference
    from buylocal.markup import MarkdownRenderer
    from buylocal.merchants import ReadContext

    small = FIXTURES / "small"
    reference, problems = read_reference(small / "data", "data", "fr", 65536)
    assert problems == []
    return ReadContext(
        reference=reference,
        images_dir=small / "images",
        today=date(2026, 11, 20),
        default_lang="fr",
        max_bytes=65536,
        max_image_pixels=40_000_000,
        render=MarkdownRenderer(),
    )


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    """The repository's own sample directory, built once for the whole session."""
    output = tmp_path_factory.mktemp("sample") / "output"
    code, printed = build(ROOT / "content", output)
    assert code == 0, printed
    return output


@pytest.fixture(scope="session")
def small_site(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("small") / "output"
    code, printed = build(FIXTURES / "small", output)
    assert code == 0, printed
    return output


@pytest.fixture(scope="session")
def sample_server(sample_site) -> str:
    """The built sample over HTTP on 127.0.0.1; the base URL, ending in /."""
    from chromium import serve

    with serve(sample_site) as base:
        yield base


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium, driven by Playwright, shared by every browser test."""
    from chromium import CHROMIUM, FLAGS
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()
