"""Rebuild only what changed.

Three caches live in `<output parent>/cache/`, beside the image cache:

- `merchants/`: each merchant file's validated object, keyed by the file's bytes (and its
  photo's size and time), so an unchanged file is neither parsed nor converted again;
- `plans-<output>/`: the pages as planned, by unit (one merchant's page, one list's pages),
  with their fingerprints, so that an unchanged unit is neither planned nor fingerprinted
  again (PlanCache);
- `pages-<output>.pickle`: for each page of the last good build, a fingerprint of everything
  it was rendered from, what its templates asked about the rest of the site (does this page
  exist?), and its file's size and time. A page whose fingerprint and answers are the same,
  and whose file was not touched since, is left as it is instead of being rendered again.

A build writes only into its own folder; `publish` then moves in the files whose bytes
changed and deletes those no longer made, so untouched files keep their time and a deploy
uploads only what changed. Every cache is an optimisation only: a missing, old or damaged
cache means a full build, never a wrong one.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import operator
import os
import pickle
import shutil
import sys
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from stat import S_ISREG
from types import FunctionType

from . import parallel
from .model import Merchant

# Bump to throw away every cache, whatever else is the same.
FORMAT = 1


def digest(*parts: bytes) -> str:
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        hasher.update(len(part).to_bytes(8, "little"))
        hasher.update(part)
    return hasher.hexdigest()


# What the output also depends on besides our code: an upgrade of any of these (a sanitizer
# fix in nh3, say) must not leave objects made by the old one in a cache.
LIBRARIES = (
    "pelican",
    "jinja2",
    "markupsafe",
    "markdown",
    "nh3",
    "orjson",
    "pyyaml",
    "phonenumbers",
    "email-validator",
    "opening-hours-py",
    "babel",
    "python-slugify",
    "pillow",
    "segno",
    "feedgenerator",
)


def library_versions(names=LIBRARIES) -> bytes:
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for name in names:
        try:
            found.append(f"{name}=={version(name)}")
        except PackageNotFoundError:
            found.append(f"{name} missing")
    return "\n".join(found).encode()


def source_version(*files: Path, libraries=()) -> str:
    """A version for one cache of drawn files (cards, QR codes, photos): the code that draws
    them and the libraries it uses, so a change to either draws them again.
    """
    return digest(*(Path(file).read_bytes() for file in files), library_versions(libraries))


@lru_cache(maxsize=1)
def code_version() -> str:
    """The plugin's own source and the libraries it uses: a change to either invalidates
    every cache.
    """
    package = Path(__file__).resolve().parent
    return digest(
        str(FORMAT).encode(),
        *(path.read_bytes() for path in sorted(package.glob("*.py"))),
        library_versions(),
    )


class _StablePickler(pickle.Pickler):
    """Pickles the same value to the same bytes in every process, for digests only (never
    unpickled). Sets are ordered by string hashes, which differ from one process to the next:
    they go out as their sorted elements. Merchants can be replaced by their digest: cheap,
    and exact.

    persistent_id is asked about every object, sets included; reducer_override is not asked
    about built-in types.
    """

    def __init__(self, file, merchant_digests: dict | None = None):
        super().__init__(file, protocol=5)
        self.merchant_digests = merchant_digests

    def persistent_id(self, obj):
        kind = type(obj)
        if kind is set or kind is frozenset:
            return ("set", tuple(sorted(_stable_bytes(item) for item in obj)))
        if self.merchant_digests is not None and kind is Merchant:
            return self.merchant_digests[obj.key]
        kept = _KEPT_IN_DIGESTS.get(kind)
        if kept is not None:
            values = tuple(getattr(obj, name) for name in kept)
            return ("fields", kind.__qualname__, kept, _stable_bytes(values, self.merchant_digests))
        return None


# Dataclass -> the names of the fields its digests hold (leave_out_of_digests).
_KEPT_IN_DIGESTS: dict = {}


def leave_out_of_digests(*names: str):
    """Dataclass decorator for fields that say how a build runs, not what it makes (how many
    processes): a cache made on a machine with another number of cores is then still used.
    """

    def decorate(kind: type) -> type:
        fields = [f.name for f in dataclasses.fields(kind)]
        assert set(names) <= set(fields), names
        _KEPT_IN_DIGESTS[kind] = tuple(name for name in fields if name not in names)
        return kind

    return decorate


def _stable_bytes(value, merchant_digests: dict | None = None) -> bytes:
    buffer = io.BytesIO()
    _StablePickler(buffer, merchant_digests).dump(value)
    return buffer.getvalue()


def value_digest(*values) -> str:
    """A digest of plain values (settings, data files, pages)."""
    return digest(*(_stable_bytes(value) for value in values))


# Each merchant's digest, from the merchant cache or worked out once: id -> (merchant, digest).
# The merchant is held so that its id stays its own; read_content starts it anew at each build.
_known_digests: dict = {}


def remember_digest(merchant: Merchant, merchant_digest_: str) -> None:
    _known_digests[id(merchant)] = (merchant, merchant_digest_)


def forget_digests() -> None:
    _known_digests.clear()


def merchant_digest(merchant: Merchant) -> str:
    """A digest of everything the merchant holds; kept in the merchant cache, so that an
    unchanged merchant is not pickled again at each build.
    """
    known = _known_digests.get(id(merchant))
    if known is not None and known[0] is merchant:
        return known[1]
    found = digest(_stable_bytes(merchant))
    remember_digest(merchant, found)
    return found


def _merchant(merchant_digest_: str):
    """Stands for a merchant in a page's fingerprint (never called: nothing is unpickled)."""
    raise NotImplementedError


def _site_wide(kind_name: str):
    """Stands for the build's settings or data files in a page's fingerprint: the site key
    covers them (never called).
    """
    raise NotImplementedError


def _named(qualified_name: str):
    """Stands for a class or a function in a page's fingerprint (never called)."""
    raise NotImplementedError


# Each class or function a fingerprint met -> its stand-in, or False where pickle cannot
# name it either (a lambda, a closure): that fingerprint then fails, as it would have.
_NAMES: dict = {}


def _name_reducer(obj):
    """(_named, (its module and name,)), once per class or function and process: pickling
    one by reference looks it up in its module each time, a third of a merchant page's
    fingerprint (six classes and four functions).
    """
    found = _NAMES.get(obj)
    if found is None:
        target = sys.modules.get(obj.__module__)
        for part in obj.__qualname__.split("."):
            target = getattr(target, part, None)
        name = f"{obj.__module__}:{obj.__qualname__}"
        found = _NAMES[obj] = (_named, (name,)) if target is obj else False
    return found


_SITE_WIDE: set = set()


def site_wide(kind: type) -> type:
    """Class decorator: one object of this class per build, in the site key (the settings,
    the data files). Pages' fingerprints name it instead of holding it whole, and every page's
    structured data takes them (seo.StructuredData).
    """
    _SITE_WIDE.add(kind)
    return kind


def _slots_reducer(kind: type):
    """(class, field values) for a dataclass with slots, read in C: the dataclass's own
    __getstate__ asks for its fields in Python, for every object.
    """
    names = tuple(f.name for f in dataclasses.fields(kind))
    if len(names) == 1:
        name = names[0]
        return lambda obj: (kind, (getattr(obj, name),))
    values = operator.attrgetter(*names)
    return lambda obj: (kind, values(obj))


_REDUCERS: dict = {}


class _FingerprintPickler(pickle.Pickler):
    """What a page is rendered from, as bytes, at C speed: only objects of our own classes
    cost a call here (reducer_override is not asked about built-in types).

    Unlike _StablePickler, sets go out in their iteration order, which depends on the
    process's string hashes: a page whose inputs hold a set may get another fingerprint at
    the next build, and is then rendered again. That is only slower, never wrong: equal
    fingerprints still mean equal inputs. No page of ours holds one.
    """

    def __init__(self, file, merchant_digests: dict):
        super().__init__(file, protocol=5)
        self.merchant_digests = merchant_digests

    def reducer_override(self, obj):
        kind = type(obj)
        if kind is Merchant:
            known = _known_digests.get(id(obj))
            found = known[1] if known is not None and known[0] is obj else None
            return _merchant, (found or self.merchant_digests[obj.key],)
        if (kind is type or kind is FunctionType) and obj is not _named:
            return _name_reducer(obj) or NotImplemented
        if kind in _SITE_WIDE:
            return _site_wide, (kind.__name__,)
        reducer = _REDUCERS.get(kind)
        if reducer is None:
            slotted = dataclasses.is_dataclass(kind) and "__slots__" in kind.__dict__
            reducer = _REDUCERS[kind] = _slots_reducer(kind) if slotted else False
        return reducer(obj) if reducer else NotImplemented


def fingerprint(values: tuple, merchant_digests: dict) -> str | None:
    """The fingerprint of what a page is rendered from; None when it cannot be taken.

    It names the settings and the data files (site_wide) without holding them: whatever
    keeps fingerprints must also be keyed by them, as the site key and every cache are.
    """
    return fingerprint_parts((values,), merchant_digests)


def fingerprint_parts(parts, merchant_digests: dict) -> str | None:
    """fingerprint() of several values, each pickled on its own. Pickle writes an object
    met again as a reference to the first: a page planned whole and one whose fields were
    planned in two passes (plan.LazyPageSpec) share texts differently across the two
    parts, and would not give the same bytes as one pickle. Within each part they must
    share alike (test_incremental.py: pages planned light are fingerprinted as pages
    planned whole).
    """
    buffer = io.BytesIO()
    pickler = _FingerprintPickler(buffer, merchant_digests)
    try:
        for part in parts:
            pickler.dump(part)
            pickler.clear_memo()
    except (pickle.PicklingError, TypeError, AttributeError, KeyError, ValueError):
        return None  # something a town's plugin put in the context: always render
    return digest(buffer.getvalue())


@dataclass
class Usage:
    """What one page's templates asked about the site beyond their own inputs."""

    queries: dict = field(default_factory=dict)  # url -> whether that page exists
    whole_directory: bool = False  # read `directory`: depends on every merchant


@dataclass(frozen=True)
class PageRecord:
    fingerprint: str
    queries: tuple  # ((url, exists), ...)
    stat: tuple | None = None  # the file's (size, mtime) once in place; None until then

    def still_valid(self, fingerprint: str | None, built, file: Path | str) -> bool:
        """Same inputs, same answers, and the file is still the one this build wrote."""
        if fingerprint is None or fingerprint != self.fingerprint or self.stat is None:
            return False
        if any((url in built) != exists for url, exists in self.queries):
            return False
        try:
            return file_stat(file) == self.stat
        except OSError:
            return False


def render_or_reuse(count: int, reused, render, processes: int) -> list:
    """[(page record or None, whether reused, fingerprint or None)] for pages 0..count-1:
    `reused(index)` gives the previous build's record of a page that can stay as it is,
    `render(index)` renders one and returns such a triple.

    Whether a page can stay is decided here, in this process: it is quick, and sending
    every page's record back from workers costs more than it saves. Only the pages to
    render again go to the workers.
    """
    found = [reused(index) for index in range(count)]
    todo = [index for index, record in enumerate(found) if record is None]
    rendered = iter(parallel.map_items(render, todo, processes))
    return [(record, True, None) if record is not None else next(rendered) for record in found]


def file_stat(path: Path | str) -> tuple:
    stat = os.stat(path)
    return (stat.st_size, stat.st_mtime_ns)


@dataclass
class Manifest:
    site_key: str  # code, templates, settings, data files: a change renders every page
    pages: dict  # output file -> PageRecord
    files: dict = field(default_factory=dict)  # every file of the output -> its size
    page_count: int = 0
    reused: int = 0  # pages left as they were instead of rendered
    optional_files: Callable | None = None  # () -> {setting: its files} (outreach)
    kept_files: set = field(default_factory=set)  # files other than pages left as they are


class WatchedDirectory:
    """The directory as templates see it; notes that a page read it, so that page is never
    reused (it may show any merchant: counts, lists).
    """

    __slots__ = ("_directory", "_on_use")

    def __init__(self, directory, on_use):
        self._directory = directory
        self._on_use = on_use

    def __getattr__(self, name):
        self._on_use()
        return getattr(self._directory, name)


def cache_dir(output: Path) -> Path:
    return output.parent / "cache"


# The cache folder of the build under way, and whether what is in it may be used (not with
# --full, which makes every cache anew); set by read_content, for the modules that keep
# what they made (open_data.py, publications.py) without each being told.
_build_cache: tuple = (None, False)


def use_build_cache(folder: Path | None, reuse: bool) -> None:
    global _build_cache
    _build_cache = (folder, reuse and folder is not None)


def build_cache() -> tuple:
    """(the build's cache folder or None, whether its content may be used)."""
    return _build_cache


# Caches kept over several pickle files of a folder (MerchantCache, KeptValues, PlanCache),
# each file stamped with the key it was made under: one change rewrites a few small files,
# not one large one.


def shard_of(name: str, shards: int) -> int:
    """Which file holds `name`: the same in every process (unlike hash())."""
    return zlib.crc32(name.encode()) % shards


def _shard_path(folder: Path, number: int) -> Path:
    return folder / f"{number:02d}.pickle"


def load_shards(folder: Path, shards: int, key) -> list:
    """Each file's entries if it was saved under `key`, else None (missing, damaged, other key)."""
    loaded = []
    for number in range(shards):
        stored = load_pickle(_shard_path(folder, number), tuple, remember=False)
        whole = stored and len(stored) == 2 and stored[0] == key and isinstance(stored[1], dict)
        loaded.append(stored[1] if whole else None)
    return loaded


def save_shard(folder: Path, number: int, key, entries: dict) -> None:
    save_pickle(_shard_path(folder, number), (key, entries), remember=False)


class KeptValues:
    """Values kept in cache/<name>/ by what they are made from (a merchant's digest…), while
    `key` (what they also depend on: data files, settings…) is the same. Only the values this
    build used are saved, and only in the files where they are not those it found: a rebuild
    makes only the values of what changed (open data rows, feeds, search entries), and
    rewrites a few of SHARDS files (one file was 20 MB at 10,000 merchants, 0.1 s to write).
    """

    SHARDS = 16

    def __init__(self, name: str, key: str):
        self.name, self.key = name, key
        self.kept: dict = {}
        self.used: dict = {}
        self.read: set = set()  # the shards found whole, under this key
        folder, reuse = build_cache()
        if folder is not None and reuse:
            for number, entries in enumerate(load_shards(folder / name, self.SHARDS, key)):
                if entries is not None:
                    self.kept.update(entries)
                    self.read.add(number)

    @classmethod
    def _shard(cls, inputs) -> int:
        """Inputs are digests or tuples of them."""
        return shard_of(inputs if isinstance(inputs, str) else repr(inputs), cls.SHARDS)

    def get(self, inputs, make: Callable):
        value = self.kept.get(inputs)
        if value is None:
            value = make()
        self.used[inputs] = value
        return value

    def save(self) -> None:
        folder, _ = build_cache()
        if folder is None:
            return
        # And every shard not read (with --full, another key, or damaged): none of its old
        # values may be taken by a later build.
        changed = {self._shard(inputs) for inputs in self.used.keys() ^ self.kept.keys()}
        changed |= set(range(self.SHARDS)) - self.read
        if not changed:
            return
        shards: list = [{} for _ in range(self.SHARDS)]
        for inputs, value in self.used.items():
            shards[self._shard(inputs)][inputs] = value
        for number in sorted(changed):
            save_shard(folder / self.name, number, self.key, shards[number])
        (folder / f"{self.name}.pickle").unlink(missing_ok=True)  # one file, until 2026-11
        self.kept, self.read = dict(self.used), set(range(self.SHARDS))


def pages_manifest_path(final_output: Path) -> Path:
    """Where the record of the pages in `final_output` is kept."""
    return cache_dir(final_output) / f"pages-{final_output.name}.pickle"


# The record of the pages of a build not yet in place, by the output it will replace: the
# generator hands it to build.py in the same process (pickled to a file and read back, it
# was 0.13 s of a rebuild at 10,000 merchants).
_pending: dict = {}


def hand_over(final_output: Path, manifest: Manifest) -> None:
    _pending[final_output] = manifest


# The last few cache files this process saved or loaded: path -> (file's stat, value). The
# record of the pages a build replaces is read by the generator and by publish.
_recent: dict = {}
_RECENT_FILES = 4


def _remember(path: Path, value) -> None:
    try:
        stat = path.stat()
    except OSError:
        return
    _recent.pop(path, None)
    _recent[path] = ((stat.st_size, stat.st_mtime_ns, stat.st_ino), value)
    while len(_recent) > _RECENT_FILES:
        del _recent[next(iter(_recent))]


def load_pickle(path: Path, expected_type: type, remember: bool = True):
    """A cache file, or None if it is missing, damaged or of another version.

    The value may be shared with the code that saved or loaded the same file before in this
    process: never change it. Without `remember`, it is not kept in memory (many small files
    read once would push out the records read again).
    """
    known = _recent.get(path)
    if known is not None:
        try:
            stat = path.stat()
            if known[0] == (stat.st_size, stat.st_mtime_ns, stat.st_ino):
                value = known[1]
                return value if isinstance(value, expected_type) else None
        except OSError:
            return None
    try:
        with path.open("rb") as file:
            version, value = pickle.load(file)
    except Exception:  # noqa: BLE001 - any damage only means starting from scratch
        return None
    if version != code_version() or not isinstance(value, expected_type):
        return None
    if remember:
        _remember(path, value)
    return value


_SETTERS: dict = {}


def _restore(kind: type, values: tuple):
    """A dataclass with slots from its field values, as _CachePickler saved it: its own
    __setstate__ asks dataclasses for its fields for every object, ten times slower.
    """
    setters = _SETTERS.get(kind)
    if setters is None:
        names = [f.name for f in dataclasses.fields(kind)]
        setters = _SETTERS[kind] = [getattr(kind, name).__set__ for name in names]
    obj = object.__new__(kind)
    for setter, value in zip(setters, values, strict=True):
        setter(obj, value)
    return obj


def _restore_texts(kind: type, values: tuple, texts: tuple):
    """_restore, for an object whose fields at `texts` were saved as UTF-8 bytes."""
    values = list(values)
    for index in texts:
        values[index] = values[index].decode("utf-8", "surrogatepass")
    return _restore(kind, values)


class _CachePickler(pickle.Pickler):
    """Saves dataclasses with slots (merchants and what they hold) as their field values, so
    that a cache is read back quickly (see _restore).

    A text that is not ASCII goes out as the UTF-8 bytes str.encode() makes: pickling the
    text itself would leave that UTF-8 copy in the text object (CPython keeps it), and the
    merchants of the process that saves the cache then render pages with 1 MB more for
    each 1,000 of them (descriptions, summaries, addresses), which its workers inherit.
    """

    def reducer_override(self, obj):
        kind = type(obj)
        reducer = _REDUCERS.get(kind)
        if reducer is None:
            slotted = dataclasses.is_dataclass(kind) and "__slots__" in kind.__dict__
            reducer = _REDUCERS[kind] = _slots_reducer(kind) if slotted else False
        if not reducer:
            return NotImplemented
        reduced = reducer(obj)
        values = reduced[1]
        texts = tuple(
            index
            for index, value in enumerate(values)
            if type(value) is str and not value.isascii()
        )
        if not texts:
            return _restore, reduced
        values = list(values)
        for index in texts:
            values[index] = values[index].encode("utf-8", "surrogatepass")
        return _restore_texts, (kind, tuple(values), texts)


def save_pickle(path: Path, value, remember: bool = True) -> None:
    """Written beside, then renamed: an interrupted write leaves the old cache whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with partial.open("wb") as file:
        _CachePickler(file, protocol=5).dump((code_version(), value))
    os.replace(partial, path)
    if remember:
        _remember(path, value)


def write_file(path: Path, data: str | bytes) -> None:
    """Write a file of the build's own folder (build.py puts it in place if all went well)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def files_under(folder: Path) -> set:
    """Every file under a folder, as POSIX paths relative to it: what os.walk lists as files,
    links to files and broken links included; a link to a folder is neither listed nor entered.

    From the folder listings alone: os.walk asks the system again about each folder
    (islink), and a cold build at 10,000 merchants has 10,000 of them (0.7 s against 0.25).
    """
    found = set()
    pending = [(os.fspath(folder), "")]
    while pending:
        directory, prefix = pending.pop()
        try:
            with os.scandir(directory) as listing:
                for entry in listing:
                    try:
                        is_dir = entry.is_dir()
                    except OSError:
                        is_dir = False
                    if not is_dir:
                        found.add(prefix + entry.name)
                    elif not entry.is_symlink():
                        pending.append((entry.path, f"{prefix}{entry.name}/"))
        except OSError:  # gone meanwhile, or not a folder: nothing under it, as os.walk
            continue
    return found


def link_or_copy(source: Path, target: Path) -> None:
    """The same file at another path: a hard link, or a copy where links are not possible."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


class CachedFiles:
    """Puts files drawn or encoded once and kept in cache/ (photos' variants, share cards)
    into the output this build makes (`staging`), as hard links to the cache.

    One the output it replaces (`previous`) already holds is left there, not linked again:
    its name goes into `kept`, for publish to keep it. At 10,000 merchants, linking their
    20,000 unchanged share cards, then finding them unchanged, took a second of each rebuild.
    """

    def __init__(self, staging: Path, previous: Path | None):
        self.staging = staging
        self.kept: set = set()
        self._previous = f"{previous}{os.sep}" if previous is not None else None

    def place(self, cached: str, name: str) -> None:
        """The file `cached` at `name` (relative to the output)."""
        if self._previous is not None and _already_there(cached, self._previous + name):
            self.kept.add(name)
            return
        target = self.staging / name
        target.parent.mkdir(parents=True, exist_ok=True)
        link_or_copy(Path(cached), target)  # an unchanged file stays the same file


def _already_there(cached: str, published: str) -> bool:
    """Whether the published file is the cached one: the same file, or the same bytes.

    Same bytes in another file (drawn again after a change of code that left its pixels as
    they were, or a copy where links are not possible): the cache takes the published file
    in its place, so that the next build finds one file and compares nothing.
    """
    same = _same_contents(cached, published)
    if same != "bytes":
        return same == "file"
    temporary = Path(cached + ".link")
    try:
        os.link(published, temporary)
        os.replace(temporary, cached)
    except OSError:  # no hard links here: compared again next time
        temporary.unlink(missing_ok=True)
    return True


def _journal_path(output: Path) -> Path:
    return output.with_name(output.name + ".apply.json")


def pending_manifest(output: Path) -> Manifest:
    """The record the build just made hands over (hand_over), taken once."""
    return _pending.pop(output, None) or Manifest("", {})


def publish(staging: Path, output: Path, manifest: Manifest) -> tuple[int, dict]:
    """Put a finished build in place. Returns how many files were written or deleted, and the
    size of every file of the output.

    `staging` holds what this build wrote; the pages it reused and the files it kept (share
    cards) are still in `output`, as its `manifest` (the pending one) says. Only files whose
    bytes changed are moved in, and files the build no longer makes are deleted: a deploy
    then uploads only what changed.

    Before anything in `output` changes, a journal records the deletions; the staged files
    are then moved in one by one. If this is interrupted, `resume` finishes it at the next
    build, from the journal and what is left in `staging`.
    """
    drop_pending_manifest(output)
    staged = files_under(staging)
    if not output.exists():
        staging.rename(output)
        return len(staged), _settle(output, manifest, staged, staged, {})
    previous = load_pickle(pages_manifest_path(output), Manifest)
    sizes = dict(previous.files) if previous and previous.files else {}
    before = set(sizes) or files_under(output)
    produced = staged | set(manifest.pages) | manifest.kept_files
    unchanged = {name for name in staged if name in before and _same_bytes(staging, output, name)}
    for name in unchanged:
        (staging / name).unlink()
    deleted = sorted(before - produced)
    journal = _journal_path(output)
    journal.write_text(json.dumps({"staging": str(staging), "delete": deleted}))
    written = staged - unchanged
    _finish(staging, output, deleted, written)
    sizes = _settle(output, manifest, produced, written, sizes)
    # Only now: cut off before the record was saved, the next build must not trust the old one.
    journal.unlink()
    return len(written) + len(deleted), sizes


def resume(output: Path) -> None:
    """Finish putting in place a build that was interrupted while being put in place."""
    journal = _journal_path(output)
    try:
        plan = json.loads(journal.read_text())
    except (OSError, ValueError):
        journal.unlink(missing_ok=True)
        return
    _finish(Path(plan["staging"]), output, plan["delete"])
    journal.unlink()
    # The record of the pages may no longer match: the next build starts from scratch.
    pages_manifest_path(output).unlink(missing_ok=True)


def _finish(staging: Path, output: Path, deleted: list, moved: set | None = None) -> None:
    """Move the staged files in (`moved`, or whatever is left in `staging`), then delete."""
    for name in sorted(files_under(staging) if moved is None else moved):
        target = output / name
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / name, target)
    for name in deleted:
        gone = output / name
        gone.unlink(missing_ok=True)
        for folder in gone.parents:  # empty folders of deleted pages go too
            if folder == output or not folder.is_relative_to(output):
                break
            try:
                folder.rmdir()
            except OSError:
                break
    shutil.rmtree(staging, ignore_errors=True)


def _same_bytes(staging: Path, output: Path, name: str) -> bool:
    return _same_contents(f"{staging}{os.sep}{name}", f"{output}{os.sep}{name}") is not None


def _same_contents(ours: str, theirs: str) -> str | None:
    """Whether `theirs` holds what `ours` does: "file" if it is the very file (a hard link:
    CachedFiles), "bytes" if another regular file with the same bytes, else None (a symlink
    at `theirs` never does).
    """
    try:
        mine, found = os.stat(ours), os.stat(theirs, follow_symlinks=False)
        if (mine.st_dev, mine.st_ino) == (found.st_dev, found.st_ino):
            return "file"
        if not S_ISREG(found.st_mode) or found.st_size != mine.st_size:
            return None
        with open(ours, "rb") as new, open(theirs, "rb") as old:
            return "bytes" if new.read() == old.read() else None
    except OSError:
        return None


def _settle(output: Path, manifest: Manifest, files: set, written: set, sizes: dict) -> dict:
    """Record the build now in place: each page's file stat (only those written this time
    have a new one) and each file's size, for the next build to compare with.

    Returns the sizes.
    """
    sizes = {name: size for name, size in sizes.items() if name in files and name not in written}
    base = f"{output}{os.sep}"  # strings: a Path for each of 30,000 files costs a second
    stats = {}
    for name in files - sizes.keys():
        try:
            stats[name] = file_stat(base + name)  # (size, mtime)
        except OSError:
            continue
        sizes[name] = stats[name][0]
    pages, shared = {}, {}
    for name, record in manifest.pages.items():
        if name in written or record.stat is None:
            stat = stats.get(name)
            if stat is None:
                try:
                    stat = file_stat(base + name)
                except OSError:
                    continue
            # Pages ask about the same pages: one (url, exists) object each, pickled once.
            queries = tuple(shared.setdefault(query, query) for query in record.queries)
            record = PageRecord(record.fingerprint, queries, stat)
        pages[name] = record
    save_pickle(pages_manifest_path(output), Manifest(manifest.site_key, pages, sizes))
    return sizes


def drop_pending_manifest(final_output: Path) -> None:
    _pending.pop(final_output, None)


class PlanCache:
    """Pages as planned by the last build, with their fingerprints, in
    `cache/plans-<output>/`: the pages of an unchanged unit (one merchant's page, one list's
    pages) are neither planned nor fingerprinted again.

    A unit's pages are kept for its digest (of its merchants' digests and of the rest of
    what it is planned from: Planner.unit), under the site key (code, settings, data files,
    catalogs, templates) for the rest; what they depend on across the site (which pages
    exist, whether their titles are unique, their twins in other languages) is checked when
    planning. Each page is kept as a few fields (plan.KeptPageSpec), not whole: the rest is
    planned again if the page must be rendered again. Units are spread over SHARDS files, so
    that one change rewrites a few small files, not every page.
    """

    SHARDS = 64

    def __init__(self, folder: Path | None, site_key: str, reuse: bool = True):
        self.folder = folder
        self.site_key = site_key
        self.shards: list = [{} for _ in range(self.SHARDS)]
        self.used: list = [set() for _ in range(self.SHARDS)]
        self.changed: set = set()
        if folder is None or not reuse:
            return
        for number, entries in enumerate(load_shards(folder, self.SHARDS, site_key)):
            if entries is not None:
                self.shards[number] = entries

    def _shard(self, unit: tuple) -> int:
        return shard_of("/".join(unit), self.SHARDS)

    def get(self, unit: tuple, unit_digest: str, lang: str) -> list | None:
        """The states of the unit's pages in `lang` (see plan.KeptPageSpec) if it was planned
        from the same, else None.
        """
        number = self._shard(unit)
        entry = self.shards[number].get((unit, lang))
        if entry is None or entry[0] != unit_digest:
            return None
        self.used[number].add((unit, lang))
        return entry[1]

    def put(self, unit: tuple, unit_digest: str, lang: str, states: list) -> None:
        number = self._shard(unit)
        self.shards[number][(unit, lang)] = (unit_digest, states)
        self.used[number].add((unit, lang))
        self.changed.add(number)

    def save(self) -> None:
        """Only the shards that changed, without the units no longer planned."""
        if self.folder is None:
            return
        for number in range(self.SHARDS):
            entries, used = self.shards[number], self.used[number]
            if number in self.changed or set(entries) != used:
                kept = {key: entries[key] for key in sorted(used)}
                save_shard(self.folder, number, self.site_key, kept)


def plans_dir(final_output: Path) -> Path:
    return cache_dir(final_output) / f"plans-{final_output.name}"
