"""Problems as GitHub Actions annotations, so a pull request shows each one on its file and line.

A volunteer who edits a merchant file in the browser never sees a terminal. GitHub turns a
line like `::error file=content/merchants/x/y.md,line=3,title=phone::…` printed by a workflow
step into a red note on that line of the pull request's "Files changed" tab. The workflow
runs `PYTHONPATH=plugins python -m buylocal.annotations` from the repository root.

GitHub shows only the first 10 error annotations of a step, so the plain report (every
problem, with its file and line) is printed too, on stderr, for the job's log.
"""

from __future__ import annotations

import argparse
import sys

from .problems import Problem


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotations(problems: list[Problem], lang: str = "fr") -> list[str]:
    """One `::error` workflow command per problem, escaped as GitHub documents."""
    lines = []
    for problem in problems:
        properties = [f"file={_escape_property(problem.path)}"]
        if problem.line:
            properties.append(f"line={problem.line}")
        if problem.field:
            properties.append(f"title={_escape_property(problem.field)}")
        lines.append(f"::error {','.join(properties)}::{_escape_data(problem.message(lang))}")
    return lines


def main(argv: list[str] | None = None) -> int:
    """Validate the site's content and print one annotation per problem; 1 if any."""
    from .content import read_content
    from .problems import ContentError
    from .settings import SettingsError, load_config

    parser = argparse.ArgumentParser(prog="python -m buylocal.annotations")
    parser.add_argument("--settings", default="pelicanconf.py")
    parser.add_argument("--lang", default="fr", choices=("fr", "en"))
    args = parser.parse_args(argv)
    try:
        config = load_config(args.settings)
    except SettingsError as error:
        print(f"::error file={_escape_property(args.settings)}::{_escape_data(str(error))}")
        return 1
    content, problems = read_content(config)
    if not problems:
        counts = f"{len(content.merchants)} merchant(s), {len(content.pages)} page(s)"
        print(f"OK: {counts}", file=sys.stderr)
        return 0
    error = ContentError(problems)
    for line in github_annotations(error.problems, args.lang):
        print(line)
    print(error.report(args.lang), file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
