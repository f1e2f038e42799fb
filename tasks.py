"""Every command of the project goes through here: `invoke --list` shows them."""

from __future__ import annotations

import gc
import os
import shutil
import sys
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from invoke import task

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "plugins"))

OUTPUT = "output"


@task(
    help={
        "settings": "settings file",
        "lang": "language of error messages: fr or en",
        "full": "render every page again instead of reusing unchanged ones",
    }
)
def build(c, settings="pelicanconf.py", output=OUTPUT, lang="fr", full=False):
    """Build the site into output/ (left untouched if the build fails)."""
    _build(settings, output, lang, full=full)


def _build(settings, output, lang, overrides=None, full=False):
    from buylocal.build import build_site
    from buylocal.generator import collector_paused

    os.chdir(ROOT)
    with collector_paused():
        code = build_site(settings, output, overrides=overrides, lang=lang, full=full)
        # What the build leaves is garbage or lasts as long as the process: the collector
        # would go through all of it (1 s at 10,000 merchants) when resumed, and at exit.
        gc.freeze()
    if code:
        sys.exit(code)


@task(
    help={
        "lang": "language of error messages: fr or en",
        "files": "report only on these files, comma-separated",
        "changed": "report only on files changed since this git ref, e.g. origin/main",
    }
)
def validate(c, settings="pelicanconf.py", lang="fr", files="", changed=""):
    """Check every merchant, page and data file without building anything."""
    from buylocal.validate import validate_content

    here = os.getcwd()
    chosen = [os.path.relpath(os.path.join(here, f), ROOT) for f in files.split(",") if f]
    os.chdir(ROOT)
    sys.exit(validate_content(settings, lang, files=chosen, changed_since=changed))


@task(
    help={
        "name": "merchant's name (without it, questions are asked)",
        "town": "town key, e.g. rimouski",
        "categories": "category keys, comma-separated",
        "how_to_buy": "ways to buy, comma-separated, e.g. in_store,delivery",
        "summary": "one line, 160 characters at most",
        "address": "street address (needed for in_store, pickup, curbside)",
        "phone": "phone number (needed for phone_order)",
        "shop_url": "online shop URL (needed for online_shop)",
        "website": "web site",
        "hours": "OpenStreetMap opening_hours, e.g. 'Mo-Fr 09:00-17:00'",
    }
)
def new_merchant(
    c,
    name="",
    town="",
    categories="",
    how_to_buy="",
    summary="",
    address="",
    phone="",
    shop_url="",
    website="",
    hours="",
    settings="pelicanconf.py",
):
    """Create a merchant file: asks in French, or takes every answer as options."""
    from buylocal.new_merchant import Draft, ask, create
    from buylocal.settings import load_config

    os.chdir(ROOT)
    config = load_config(settings)
    if name:
        draft = Draft(
            name=name,
            town=town,
            categories=[key for key in categories.split(",") if key],
            how_to_buy=[key for key in how_to_buy.split(",") if key],
            summary=summary,
            extra={
                "address": address,
                "phone": phone,
                "shop_url": shop_url,
                "website": website,
                "hours": hours,
            },
        )
    else:
        try:
            draft = ask(config)
        except (EOFError, KeyboardInterrupt):
            print("\nArrêté : rien n'a été écrit.")
            sys.exit(1)
    if create(config, draft) is None:
        sys.exit(1)


@task(help={"months": "a listing not verified for longer is reported (default: settings)"})
def report(c, settings="pelicanconf.py", months=0):
    """List probable duplicates, listings to verify again, and links between pages that break."""
    from buylocal.content import read_content
    from buylocal.report import build_report, print_report
    from buylocal.settings import load_config

    os.chdir(ROOT)
    config = load_config(settings)
    months = int(months) or config.stale_months
    content, problems = read_content(config)
    if problems:
        print("Des fichiers ont des problèmes : lancez d'abord invoke validate.")
        sys.exit(1)
    print_report(build_report(content, config, months), months)


@task(help={"file": "the CSV file", "dry_run": "show what would change, write nothing"})
def import_csv(c, file, settings="pelicanconf.py", dry_run=False, lang="fr"):
    """Create or update merchant files from a spreadsheet (see docs/import-csv.md)."""
    from buylocal.csv_import import main

    args = [os.path.abspath(file), "--settings", settings, "--lang", lang]
    os.chdir(ROOT)
    sys.exit(main(args + (["--dry-run"] if dry_run else [])))


@task
def schema(c):
    """Write schema/merchant.schema.json from the validator and content/data (for editors)."""
    os.chdir(ROOT)
    c.run(f"{sys.executable} -m buylocal.schema", env={"PYTHONPATH": str(ROOT / "plugins")})


@task
def translations(c):
    """Gather the site's messages (French) into theme/translations/messages.pot and add the new
    ones to each language's messages.po, for a translator to fill in (see README).
    """
    os.chdir(ROOT)
    folder = "theme/translations"
    pybabel = f"{sys.executable} -m babel.messages.frontend"
    c.run(
        f"{pybabel} extract -F {folder}/babel.cfg -k _ -k gettext -k ngettext:1,2 "
        f"--sort-output --no-wrap --project 'Achat local' -o {folder}/messages.pot .",
        pty=False,
    )
    c.run(
        f"{pybabel} update -i {folder}/messages.pot -d {folder} --no-wrap --ignore-obsolete "
        "--no-fuzzy-matching",
        pty=False,
    )


@task
def publish(c, output=OUTPUT, lang="fr"):
    """Build with publishconf.py (set SITEURL to the site's public address)."""
    _build("publishconf.py", output, lang)


@task(help={"port": "port to serve on", "bind": "address to listen on"})
def serve(c, port=8000, bind="127.0.0.1", skip_build=False):
    """Build the site, then serve output/ at http://127.0.0.1:8000/."""
    if not skip_build:
        # Canonical links and the 404 page point at the address actually served.
        address = os.environ.get("SITEURL") or f"http://{bind}:{port}"
        _build("pelicanconf.py", OUTPUT, "fr", overrides={"SITEURL": address})
    handler = partial(SimpleHTTPRequestHandler, directory=str(ROOT / OUTPUT))
    server = ThreadingHTTPServer((bind, int(port)), handler)
    print(f"Le répertoire est servi à http://{bind}:{port}/ (Ctrl+C pour arrêter)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@task
def clean(c):
    """Remove output/ and the build's leftovers."""
    for name in (OUTPUT, f"{OUTPUT}.new", f"{OUTPUT}.apply.json", "cache"):
        path = ROOT / name
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


@task
def lint(c):
    """Run ruff on the code."""
    c.run(f"{sys.executable} -m ruff check .", pty=False)
    c.run(f"{sys.executable} -m ruff format --check .", pty=False)


@task(help={"args": "extra pytest arguments"})
def test(c, args=""):
    """Run the whole test suite (lint first)."""
    lint(c)
    c.run(f"{sys.executable} -m pytest {args}", pty=False)


@task(help={"max_height": "crop each screenshot at this many pixels"})
def screenshots(c, max_height=2400):
    """Photograph each kind of page at 360 and 1280 px into docs/screenshots/ (Chromium)."""
    c.run(
        f"{sys.executable} {ROOT / 'tools' / 'screenshots.py'} --max-height {max_height}", pty=False
    )


@task(help={"pages": "addresses in the site, space-separated (default: home, a town, a merchant)"})
def lighthouse(c, pages=""):
    """Lighthouse scores (mobile, throttled) of the sample served locally; installs it once."""
    chosen = " ".join(f'"{page}"' for page in pages.split()) if pages else ""
    c.run(
        f"{sys.executable} {ROOT / 'tools' / 'lighthouse.py'}"
        + (f" --pages {chosen}" if chosen else ""),
        pty=False,
    )


@task(
    help={
        "merchants": "how many synthetic merchants",
        "runs": "runs per measurement",
        "lean": "no poster or share card per merchant",
    }
)
def bench(c, merchants=1000, runs=3, pelican=True, lean=False):
    """Time our build and plain Pelican's on N synthetic merchants (see bench/README)."""
    c.run(
        f"{sys.executable} {ROOT / 'bench' / 'bench.py'} --merchants {merchants} --runs {runs}"
        + ("" if pelican else " --no-pelican")
        + (" --lean" if lean else ""),
        pty=False,
    )
