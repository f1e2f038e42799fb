"""One build of the site, all or nothing: Pelican writes into a fresh folder beside output/,
which replaces output/ only when the whole build succeeded.
"""

from __future__ import annotations

import contextlib
import io
import logging
import shutil
import sys
import time
from pathlib import Path

from jinja2 import TemplateError

from .generator import RenderError, template_error_place
from .problems import ContentError
from .search import SearchIndexError, index_site
from .settings import DEFAULTS, SettingsError


def build_site(
    settings_file: str,
    output: str = "output",
    overrides: dict | None = None,
    lang: str = "fr",
    stream=None,
) -> int:
    """Build; on failure print why and leave `output` exactly as it was. Returns the exit code."""
    from pelican import Pelican
    from pelican.settings import read_settings

    stream = stream or sys.stderr
    output_path = Path(output).resolve()
    staging = output_path.with_name(f"{output_path.name}.new")
    previous = output_path.with_name(f"{output_path.name}.old")
    for leftover in (staging, previous):
        shutil.rmtree(leftover, ignore_errors=True)
    override = {"OUTPUT_PATH": str(staging), **(overrides or {})}
    started = time.perf_counter()
    logging.getLogger("pelican").setLevel(logging.WARNING)
    try:
        settings = read_settings(settings_file, override=override)
        # Pelican's own summary counts blog articles (always 0 here): keep it off the screen.
        with contextlib.redirect_stdout(io.StringIO()):
            Pelican(settings).run()
        if settings.get("BUYLOCAL_SEARCH", DEFAULTS["BUYLOCAL_SEARCH"]):
            index_site(staging)  # before the swap: a failed index publishes nothing
    except (ContentError, SearchIndexError) as error:
        print(error.report(lang), file=stream)
        shutil.rmtree(staging, ignore_errors=True)
        return 1
    except SettingsError as error:
        print(f"{settings_file}: {error}", file=stream)
        shutil.rmtree(staging, ignore_errors=True)
        return 1
    except (TemplateError, RenderError) as error:
        if isinstance(error, TemplateError):  # outside page rendering: base templates, 404
            error = RenderError(template_error_place(error), str(error))
        label = "erreur de gabarit" if lang != "en" else "template error"
        print(f"{error.place}: {label}: {error.message}", file=stream)
        shutil.rmtree(staging, ignore_errors=True)
        return 1
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if output_path.exists():
        output_path.rename(previous)
    staging.rename(output_path)
    shutil.rmtree(previous, ignore_errors=True)
    elapsed = time.perf_counter() - started
    message = (
        "Site construit dans {out} en {s:.1f} s."
        if lang != "en"
        else "Site built in {out} in {s:.1f} s."
    )
    print(message.format(out=output, s=elapsed), file=stream)
    return 0
