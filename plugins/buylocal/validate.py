"""Validation without a build, for volunteers and CI: every problem, in one run.

Everything is always read (a merchant is checked against the data files), but the report can
be narrowed to some files, or to the files a branch changed, so that a pull request's author
sees only what is theirs to fix.
"""

from __future__ import annotations

import os
import subprocess
import sys

from .content import read_content
from .problems import ContentError
from .settings import SettingsError, load_config


def validate_content(
    settings_file: str, lang: str = "fr", files=(), changed_since: str = "", stream=None
) -> int:
    stream = stream or sys.stdout
    try:
        config = load_config(settings_file)
    except SettingsError as error:
        print(f"{settings_file}: {error}", file=stream)
        return 1
    content, problems = read_content(config)
    missing = [path for path in files if not os.path.isfile(path)]
    if missing:
        print(f"Fichier introuvable : {', '.join(missing)} (file not found)", file=stream)
        return 1
    selected = set(_normalize(files))
    if changed_since:
        try:
            selected |= set(_normalize(changed_files(changed_since, config.content_path)))
        except (subprocess.CalledProcessError, FileNotFoundError):
            print(
                f"Référence git inconnue : « {changed_since} ». Dans une copie partielle (CI), "
                f"lancez d'abord : git fetch origin main (unknown git reference)",
                file=stream,
            )
            return 1
    if files or changed_since:
        data_dir = os.path.normpath(os.path.join(config.content_path, config.data_dir))
        problems = [
            p
            for p in problems
            if os.path.normpath(p.path) in selected or os.path.normpath(p.path).startswith(data_dir)
        ]
    if problems:
        print(ContentError(problems).report(lang, building=False), file=stream)
        return 1
    count = len(selected) if (files or changed_since) else len(content.merchants)
    if lang == "en":
        print(f"All good: {count} file(s) checked.", file=stream)
    else:
        print(f"Tout est valide : {count} fichier(s) vérifié(s).", file=stream)
    return 0


def changed_files(ref: str, folder: str) -> list[str]:
    """Files added or modified since `ref` under `folder`, committed or not."""
    command = ["git", "diff", "--name-only", "--diff-filter=ACMR", "--relative", ref, "--", folder]
    tracked = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    untracked = subprocess.run(
        ["git", "ls-files", "--others", "--exclude-standard", "--", folder],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [line for line in (tracked + untracked).splitlines() if line]


def _normalize(paths) -> list[str]:
    return [os.path.normpath(os.path.relpath(path)) for path in paths]
