"""Lighthouse scores of the sample's home, a town and a merchant page: a phone on a slow
connection (Lighthouse's mobile preset, simulated throttling), in Debian's Chromium.

    python tools/lighthouse.py [--pages "" rimouski/ rimouski/cafe-du-havre/] [--json DIR]

Not part of the test suite: scores move a little from run to run, and a run takes 15 to 25 s
a page. Lighthouse is installed the first time, from tools/lighthouse/package-lock.json, into
tools/lighthouse/node_modules/ (npm, offline afterwards). The sample is built into a temporary
folder for the address it is served at, so its canonical links point where Lighthouse looks.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from chromium import CHROMIUM, FLAGS, serve  # noqa: E402
from screenshots import build_sample  # noqa: E402

PACKAGE = HERE / "lighthouse"
BINARY = PACKAGE / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PAGES = ("", "rimouski/", "rimouski/cafe-du-havre/")  # home, a town, a merchant with a photo
TARGET = 95


def install() -> None:
    if not BINARY.exists():
        print("Installation de Lighthouse (npm ci, une seule fois)…", file=sys.stderr)
        subprocess.run(
            ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=PACKAGE,
            check=True,
        )


def audit(url: str, report: Path) -> dict[str, int]:
    """Lighthouse's four scores (0 to 100) for one address; its JSON report goes to `report`."""
    subprocess.run(
        [
            str(BINARY),
            url,
            "--quiet",
            "--form-factor=mobile",  # the default preset: a mid-range phone...
            "--throttling-method=simulate",  # ...on a slow 4G link, simulated
            f"--only-categories={','.join(CATEGORIES)}",
            "--output=json",
            f"--output-path={report}",
            "--chrome-flags=" + " ".join(["--headless=new", *FLAGS]),
        ],
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        check=True,
    )
    result = json.loads(report.read_text())
    return {name: round(result["categories"][name]["score"] * 100) for name in CATEGORIES}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", nargs="*", default=list(PAGES), help="addresses in the site")
    parser.add_argument("--json", help="keep Lighthouse's JSON reports in this folder")
    args = parser.parse_args(argv)
    install()
    below = 0
    with tempfile.TemporaryDirectory() as work:
        output = Path(work) / "output"
        output.mkdir()
        reports = Path(args.json) if args.json else Path(work)
        reports.mkdir(parents=True, exist_ok=True)
        with serve(output) as base:
            build_sample(output, base)
            print(f"{'page':<32}" + "".join(f"{name:>16}" for name in CATEGORIES))
            for page in args.pages:
                name = page.strip("/").replace("/", "-") or "home"
                scores = audit(base + page, reports / f"{name}.json")
                below += sum(score < TARGET for score in scores.values())
                print(f"{'/' + page:<32}" + "".join(f"{scores[c]:>16}" for c in CATEGORIES))
    if below:
        print(f"{below} score(s) under {TARGET}.")
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
