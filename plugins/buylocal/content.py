"""The content tree (data files, merchant files, pages) to validated objects, with every
problem of every file collected in one pass.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import partial
from pathlib import Path, PurePosixPath

from . import incremental, parallel
from . import pages as pages_module
from .data_files import Reference, read_reference
from .frontmatter import decode, read_bytes
from .initiative import FILE as INITIATIVE_FILE
from .initiative import Initiative, read_initiative
from .merchants import ReadContext, check_image_file, merchant_from_text, merchant_location
from .model import Merchant, Page
from .problems import ContentError, Problem, closest
from .settings import SiteConfig


@dataclass(frozen=True, slots=True)
class Content:
    reference: Reference
    merchants: tuple[Merchant, ...]
    pages: tuple[Page, ...]
    initiative: Initiative | None = None  # from data/initiative.yml, which is optional


def load_content(config: SiteConfig, cache: Path | None = None, reuse: bool = True) -> Content:
    """Read and validate everything; raise ContentError listing every problem found."""
    content, problems = read_content(config, cache, reuse)
    if problems:
        raise ContentError(problems)
    return content


def read_site_reference(config: SiteConfig) -> tuple[Reference, list[Problem]]:
    """Only the data files: what new-merchant, the import and the schema need."""
    data_dir = Path(config.content_path) / config.data_dir
    return read_reference(
        data_dir, display_path(data_dir), config.default_lang, config.max_file_bytes
    )


def read_content(
    config: SiteConfig, cache: Path | None = None, reuse: bool = True
) -> tuple[Content, list[Problem]]:
    """Everything, checked. With a cache folder, merchant files whose bytes did not change
    since the last read are not parsed again (see MerchantCache); without `reuse`, every
    file is read and the cache is made anew.
    """
    root = Path(config.content_path)
    display_root = display_path(root)
    incremental.forget_digests()  # the last build's merchants
    incremental.use_build_cache(cache, reuse)
    reference, problems = read_site_reference(config)
    towns = reference.known("towns")
    ctx = ReadContext.for_site(config, reference)
    render = ctx.render
    jobs = []
    merchants_dir = root / config.merchants_dir
    prefix = f"{display_root}/{merchants_dir.relative_to(root).as_posix()}/"
    for path, relative, symlink in _merchant_files(merchants_dir):
        display = prefix + relative
        location = merchant_location(PurePosixPath(relative))
        if symlink:
            problems.append(Problem(display, 1, "", "symlink"))
        elif location is None:
            problems.append(Problem(display, 1, "", "misplaced_file"))
        elif towns is not None and location[0] not in towns:
            hint = closest(location[0], reference.towns)
            params = {"value": location[0], "hint": hint}
            problems.append(Problem(display, 1, "", "unknown_town_folder", params))
        else:
            jobs.append((path, display, *location))
    known = None
    if cache:
        known = MerchantCache.load(cache, ctx) if reuse else MerchantCache(ctx)
    found = [
        known.get(path, display, ctx.images_dir) if known else None for path, display, *_ in jobs
    ]
    misses = [job for job, hit in zip(jobs, found, strict=True) if hit is None]
    read = partial(_read_job, ctx=ctx)
    # Merchants are large results: this process has enough to do taking them in.
    results = iter(parallel.map_items(read, misses, config.workers, work_here=False))
    merchants = []
    for job, hit in zip(jobs, found, strict=True):
        merchant, file_problems, merchant_digest, file_digest = hit or next(results)
        problems += file_problems
        if merchant is not None:
            merchants.append(merchant)
            incremental.remember_digest(merchant, merchant_digest)
            if known and hit is None:
                known.put(job[1], file_digest, merchant, merchant_digest, ctx.images_dir)
    if known:
        known.save(cache)
    pages, page_problems = _read_pages(root / config.pages_dir, display_root, root, config, render)
    problems += page_problems
    for page in pages:
        if page.slug in reference.towns:
            params = {"value": page.slug, "url": f"/{page.slug}/"}
            problems.append(Problem(page.source_path, 1, "", "reserved_key", params))
    initiative, initiative_problems = _read_initiative(config, render)
    problems += initiative_problems
    problems += _setting_images(config, ctx.images_dir)
    if not jobs and not problems:
        # A typo in BUYLOCAL_MERCHANTS_DIR must not publish an empty directory.
        shown = f"{display_root}/{config.merchants_dir}"
        problems.append(Problem(shown, 1, "", "no_merchants", {}))
    return Content(reference, tuple(merchants), tuple(pages), initiative), problems


def _read_initiative(config: SiteConfig, render):
    data_dir = Path(config.content_path) / config.data_dir
    display = f"{display_path(data_dir)}/{INITIATIVE_FILE}"
    return read_initiative(
        data_dir / INITIATIVE_FILE, display, config.default_lang, config.max_file_bytes, render
    )


class MerchantCache:
    """Validated merchants by file: reused while the file's bytes, the photo it names and
    everything it was checked against (data files, settings, today's date, code) are the same.
    Each merchant's digest (incremental.merchant_digest) is kept with it, so an unchanged
    merchant is not pickled again to tell whether the pages showing it changed.
    """

    FOLDER = "merchants"
    # Spread over files by path, so that one changed merchant rewrites 1/SHARDS of them.
    SHARDS = 32

    def __init__(self, ctx: ReadContext, entries: dict | None = None):
        self.context_key = incremental.value_digest(
            ctx.reference,
            str(ctx.images_dir),
            ctx.today,
            ctx.default_lang,
            ctx.max_bytes,
            ctx.max_image_pixels,
            ctx.max_image_bytes,
        )
        # display path -> (file digest, photo stat, merchant, merchant digest)
        self.entries = entries or {}
        self.used: set = set()
        self.changed: set = set()  # the shards with a new entry

    @classmethod
    def _shard(cls, display: str) -> int:
        return incremental.shard_of(display, cls.SHARDS)

    @classmethod
    def load(cls, folder: Path, ctx: ReadContext) -> MerchantCache:
        cache = cls(ctx)
        for entries in incremental.load_shards(folder / cls.FOLDER, cls.SHARDS, cache.context_key):
            cache.entries.update(entries or {})
        return cache

    def get(self, path: Path, display: str, images_dir: Path) -> tuple | None:
        """The cached (merchant, problems, merchant digest, file digest), or None: read it.

        A file with no entry is not opened here: a cold build's 10,000 files would be read
        one by one before the workers start; the worker digests the bytes it parses.
        """
        entry = self.entries.get(display)
        if entry is None:
            return None
        try:
            with open(path, "rb") as file:
                file_digest = incremental.digest(file.read())
        except OSError:
            return None  # read_bytes, in the worker, says why
        stored_digest, photo, merchant, merchant_digest = entry
        if stored_digest != file_digest or _photo_stat(merchant, images_dir) != photo:
            return None
        self.used.add(display)
        return merchant, [], merchant_digest, file_digest

    def put(
        self,
        display: str,
        file_digest: str,
        merchant: Merchant,
        merchant_digest: str,
        images_dir: Path,
    ) -> None:
        """Keyed by the digest of the bytes that were parsed (_read_job)."""
        photo = _photo_stat(merchant, images_dir)
        self.entries[display] = (file_digest, photo, merchant, merchant_digest)
        self.used.add(display)
        self.changed.add(self._shard(display))

    def save(self, folder: Path) -> None:
        """The shards with a new entry or an entry no longer used."""
        shards: list = [{} for _ in range(self.SHARDS)]
        for display in self.entries.keys() | self.used:
            shards[self._shard(display)][display] = display in self.used
        for number, shard in enumerate(shards):
            if number in self.changed or not all(shard.values()):
                entries = {key: self.entries[key] for key in sorted(shard) if shard[key]}
                incremental.save_shard(folder / self.FOLDER, number, self.context_key, entries)


def _photo_stat(merchant: Merchant, images_dir: Path):
    """The photo's size and time, as of reading: a replaced photo means reading again."""
    if merchant.image is None:
        return None
    try:
        stat = os.lstat(images_dir / merchant.image.path)
    except OSError:
        return "missing"
    return (stat.st_size, stat.st_mtime_ns, stat.st_mode)


def _read_job(job: tuple, ctx: ReadContext):
    """(merchant or None, problems, the merchant's digest, the digest of the bytes it was
    read from), worked out in the worker.
    """
    path, display, town, slug = job
    raw, problems = read_bytes(path, display, ctx.max_bytes)
    if raw is None:
        return None, problems, None, None
    text, problems = decode(raw, display, ctx.max_bytes)
    if text is None:
        return None, problems, None, None
    merchant, problems = merchant_from_text(text, display, town, slug, ctx)
    if merchant is None:
        return None, problems, None, None
    return merchant, problems, incremental.merchant_digest(merchant), incremental.digest(raw)


def _setting_images(config: SiteConfig, images_dir: Path) -> list[Problem]:
    """The logo and the default share image must be publishable images too."""
    problems = []
    for setting, value in (
        ("BUYLOCAL_LOGO", config.logo),
        ("BUYLOCAL_DEFAULT_IMAGE", config.default_image),
    ):
        if value:
            size = check_image_file(
                images_dir, value, config.max_image_pixels, config.max_image_bytes
            )
            if not isinstance(size, tuple):
                problems.append(Problem("pelicanconf.py", 1, setting, size[0], size[1]))
    return problems


def _merchant_files(folder: Path):
    """(path, path relative to the folder in POSIX form, whether it is a symlink) for what
    _files gives, in the same order, from the folder listings alone: pathlib costs more than
    reading the files when there are 10,000 of them.
    """
    if not folder.is_dir():
        return
    pending = [(str(folder), "")]
    while pending:
        directory, relative = pending.pop()
        with os.scandir(directory) as listing:
            entries = sorted(
                (entry for entry in listing if not entry.name.startswith(".")),
                key=lambda entry: entry.name,
            )
        folders = [entry for entry in entries if entry.is_dir()]
        for entry in entries:
            if not entry.is_dir():
                yield Path(entry.path), relative + entry.name, entry.is_symlink()
        for entry in folders:
            if entry.is_symlink():  # never followed; reported by the caller
                yield Path(entry.path), relative + entry.name, True
        inside = [entry for entry in folders if not entry.is_symlink()]
        pending.extend((e.path, relative + e.name + "/") for e in reversed(inside))


def _files(folder: Path):
    """Files under a folder in a stable order, skipping hidden ones; symlinked folders are
    not followed.
    """
    if not folder.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith("."):
                yield Path(dirpath) / name
        for name in dirnames:
            if (Path(dirpath) / name).is_symlink():
                yield Path(dirpath) / name


def display_path(path: Path) -> str:
    """A path as a volunteer sees it: relative to where they run the command, if inside."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _read_pages(folder: Path, display_root: str, root: Path, config: SiteConfig, render):
    pages, problems = [], []
    for path in _files(folder):
        display = f"{display_root}/{path.relative_to(root).as_posix()}"
        if path.is_symlink():
            problems.append(Problem(display, 1, "", "symlink"))
        elif path.suffix != ".md" or path.parent != folder:
            problems.append(pages_module.misplaced(display))
        else:
            page, file_problems = pages_module.read_page(
                path, display, config.default_lang, config.max_file_bytes, render
            )
            problems += file_problems
            if page is not None:
                pages.append(page)
    pages.sort(key=lambda page: (page.order, page.slug))
    return pages, problems
