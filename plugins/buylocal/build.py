"""One build of the site, all or nothing: Pelican writes into a folder beside output/, whose
files go into output/ only when the whole build succeeded (incremental.publish).
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

from . import host_limits, incremental, parallel
from .generator import RenderError, collector_paused, template_error_place
from .problems import ContentError
from .settings import SettingsError


def build_site(
    settings_file: str,
    output: str = "output",
    overrides: dict | None = None,
    lang: str = "fr",
    stream=None,
    full: bool = False,
) -> int:
    """Build; on failure print why and leave `output` exactly as it was. Returns the exit code.

    Unless `full`, what did not change is reused from the previous build (incremental.py).
    """
    # The collector stays paused for the whole build, between Pelican's steps too
    # (generator.collector_paused): resumed in between, each of its first passes went through
    # every object of the build: 1.1 s of a cold build at 10,000 merchants, 0.2 s of a rebuild.
    with collector_paused():
        return _build_site(settings_file, output, overrides, lang, stream, full)


def _build_site(settings_file, output, overrides, lang, stream, full) -> int:
    from pelican import Pelican
    from pelican.settings import read_settings

    stream = stream or sys.stderr
    output_path = Path(output).resolve()
    staging = output_path.with_name(f"{output_path.name}.new")
    incremental.resume(output_path)  # a build cut off while being put in place
    shutil.rmtree(staging, ignore_errors=True)
    _drop_pending_records(output_path)  # of a build of this process cut off before publish
    override = {
        "OUTPUT_PATH": str(staging),
        "BUYLOCAL_REPLACES_OUTPUT": str(output_path),
        "BUYLOCAL_REUSE_PAGES": not full,
        **(overrides or {}),
    }
    started = time.perf_counter()
    logging.getLogger("pelican").setLevel(logging.WARNING)
    try:
        settings = read_settings(settings_file, override=override)
        # Pelican's own summary counts blog articles (always 0 here): keep it off the screen.
        with contextlib.redirect_stdout(io.StringIO()):
            Pelican(settings).run()
        made = incremental.pending_manifest(output_path)
    except ContentError as error:
        print(error.report(lang), file=stream)
        return _abandon(staging, output_path)
    except SettingsError as error:
        print(f"{settings_file}: {error}", file=stream)
        return _abandon(staging, output_path)
    except (TemplateError, RenderError) as error:
        if isinstance(error, TemplateError):  # outside page rendering: base templates, 404
            error = RenderError(template_error_place(error), str(error))
        label = "erreur de gabarit" if lang != "en" else "template error"
        print(f"{error.place}: {label}: {error.message}", file=stream)
        return _abandon(staging, output_path)
    except BaseException:
        _abandon(staging, output_path)
        raise
    changed, sizes = incremental.publish(staging, output_path, made)
    elapsed = time.perf_counter() - started
    message = (
        "Site construit dans {out} en {s:.1f} s."
        if lang != "en"
        else "Site built in {out} in {s:.1f} s."
    )
    print(message.format(out=output, s=elapsed), file=stream)
    written = (
        "{pages} pages : {rendered} rendues, {reused} reprises telles quelles ; "
        "{n} fichier(s) écrit(s) ou supprimé(s)."
        if lang != "en"
        else "{pages} pages: {rendered} rendered, {reused} reused as they were; "
        "{n} file(s) written or deleted."
    )
    pages, reused = made.page_count, made.reused
    print(
        written.format(pages=pages, rendered=pages - reused, reused=reused, n=changed),
        file=stream,
    )
    lines = host_limits.report(
        sizes, lang, optional_files=made.optional_files, settings_file=Path(settings_file).name
    )
    for line in lines:
        print(line, file=stream)
    return 0


def _abandon(staging: Path, output_path: Path) -> int:
    """A failed build: its folder and its record go, the last good output stays."""
    parallel.wait_quietly_for_all()  # nothing may write into the folder once it is gone
    shutil.rmtree(staging, ignore_errors=True)
    _drop_pending_records(output_path)
    return 1


def _drop_pending_records(output_path: Path) -> None:
    incremental.drop_pending_manifest(output_path)
