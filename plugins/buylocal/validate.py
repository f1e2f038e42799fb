"""Validation without a build, for volunteers and CI: every problem of every file, one run."""

from __future__ import annotations

import sys

from .content import read_content
from .settings import SettingsError, site_config


def validate_content(settings_file: str, lang: str = "fr", stream=None) -> int:
    from pelican.settings import read_settings

    stream = stream or sys.stdout
    try:
        config = site_config(read_settings(settings_file))
    except SettingsError as error:
        print(f"{settings_file}: {error}", file=stream)
        return 1
    content, problems = read_content(config)
    if problems:
        from .problems import ContentError

        print(ContentError(problems).report(lang), file=stream)
        return 1
    if lang == "en":
        print(
            f"All good: {len(content.merchants)} merchants, {len(content.pages)} pages.",
            file=stream,
        )
    else:
        print(
            f"Tout est valide : {len(content.merchants)} commerces, {len(content.pages)} pages.",
            file=stream,
        )
    return 0
