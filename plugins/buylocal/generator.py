"""The Pelican generator: context (read, validate, index, plan) then output (render, write)."""

from __future__ import annotations

import gc
import logging
import os
import shutil
import traceback
from contextlib import contextmanager
from functools import lru_cache, partial
from pathlib import Path
from urllib.parse import quote_plus

from babel import Locale
from babel.dates import format_date
from jinja2 import FileSystemBytecodeCache, TemplateError
from markupsafe import Markup, escape
from pelican.generators import Generator

from . import (
    hours,
    images,
    incremental,
    languages,
    outreach,
    parallel,
    publications,
    qr,
    seo,
    share_cards,
    urls,
)
from .content import load_content
from .githost import GitHost
from .index import build_directory
from .plan import (
    KeptPageSpec,
    LazyPageSpec,
    PlanChanged,
    Planner,
    light_state,
    page_fingerprint,
)
from .problems import ContentError, Problem
from .report import is_stale
from .settings import site_config
from .templating import DirectCallContext, FastOutputTemplate, load_once

logger = logging.getLogger(__name__)


class BuyLocalGenerator(Generator):
    """Builds every page of the directory from content/merchants and content/data."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.config = site_config(self.settings)
        self.specs = []
        self.directory = None
        self._fragments = {}  # see _fragment
        self._depth_dependent: set = set()
        self._depths_checked: set = set()
        self._shared_queries = {}  # see _render_page and _fragment
        self._usage = None  # what the page being rendered asks about the rest of the site
        # Each language's catalog, read once per build (a town's theme may bring its own).
        self._catalogs = {
            lang: languages.translations(lang, self.theme) for lang in self.config.languages
        }
        # The language of the page being rendered: its catalog, and where its pages live.
        self._lang = self.config.default_lang
        self._translations = self._catalogs[self._lang]
        self._prefix = ""
        self._built = frozenset()
        self._merchant_digests = {}
        self._fingerprints = {}  # page index -> fingerprint, taken before rendering
        self.site_key = ""  # see _site_key
        self._plans = None  # incremental.PlanCache: merchant pages planned by earlier builds
        self._planners = []  # this build's, one per language
        self._background = None  # parallel.Background writing the feeds and search index
        self._previous = None  # (previous output folder, its Manifest), to reuse pages from
        self.manifest = None  # this build's record, handed to build.py (incremental.hand_over)
        # Set by build.py: the folder this build will replace (pages are reused from it, and
        # the caches sit beside it), and whether reusing is allowed (not with --full).
        replaces = self.settings.get("BUYLOCAL_REPLACES_OUTPUT")
        self._replaces = Path(replaces) if replaces else None
        self._reuse = self.settings.get("BUYLOCAL_REUSE_PAGES", True)
        self._cache = incremental.cache_dir(Path(self.output_path))
        # Merchant files come from strangers: escape everything, whatever the settings say.
        self.env.autoescape = True
        # Compiled templates are kept in cache/: compiling them is most of rendering the
        # few pages a rebuild renders. Jinja checks each template's source itself; the
        # folder's name covers the rest of what compiling reads.
        compiled = self._cache / f"jinja-{_compile_key(self.env)}"
        compiled.mkdir(parents=True, exist_ok=True)
        for older in self._cache.glob("jinja-*"):  # of older code or settings
            if older != compiled:
                shutil.rmtree(older, ignore_errors=True)
        self.env.bytecode_cache = FileSystemBytecodeCache(str(compiled))
        # Templates do not change during a build: without this, Jinja reads each one's
        # modification time at every include and partial (280,000 times at 10,000 merchants).
        self.env.auto_reload = False
        self.env.context_class = DirectCallContext
        self.env.template_class = FastOutputTemplate
        self._install_translations()
        config = self.config
        githost = (
            GitHost(config.repository_url, config.repository_branch)
            if config.repository_url
            else None
        )
        self.env.filters.update(
            {
                "long_date": self._long_date,
                "clock": _clock,
                "language_name": self._language_name,
                "local": _in_language,
                # Planned pages hold text or StructuredData; a town's template may pass a dict.
                "jsonld": seo.script_text,
            }
        )
        self.env.globals.update(
            {
                "site": self.config,
                "day_names": hours.DAY_NAMES,
                "urls": urls,
                "map_url": self._map_url,
                "absolute": lambda url: seo.absolute(self.config, url),
                "fragment": self._fragment,
                "language_label": languages.NAMES.get,
                "locale": languages.LOCALES.get,
                "image_widths": images.widths,
                "image_variant": images.variant_path,
                "share_image": self._share_image,
                "githost": githost,
                "source_file": self._source_file,
                "is_stale": lambda m: is_stale(m, self.config.today, self.config.stale_months),
            }
        )

    def generate_context(self):
        with collector_paused():
            self._generate_context()

    def generate_output(self, writer):
        with collector_paused():
            self._generate_output()

    def _generate_context(self):
        # ContentError: its message lists every problem.
        content = load_content(
            self.config, self._cache if self._replaces else None, reuse=self._reuse
        )
        self.directory = build_directory(content)
        # The feeds and the search index need only the directory: on a large site, another
        # process writes them while this one plans and renders the pages.
        files = partial(
            publications.write_files,
            Path(self.output_path),
            self.directory,
            self.config,
            self._catalogs,
        )
        self._background = parallel.Background(
            files, self.config.workers, len(self.directory.merchants)
        )
        try:
            self._plan_pages()
        except BaseException:
            self._background.wait_quietly()
            raise

    def _plan_pages(self):
        # Other plugins (a town's own) can read the validated directory from here.
        self.context["buylocal_directory"] = self.directory
        self.env.globals.update(
            {
                "directory": incremental.WatchedDirectory(self.directory, self._uses_directory),
                "ref": self.directory.reference,
                "site_pages": self.directory.content.pages,
                # A closed merchant's town or category may have no page: link only to what exists.
                "has_page": self._has_page,
                **publications.template_globals(self.directory, self.config),
            }
        )
        self.site_key = self._site_key()
        # Whether pages of the last output can be reused: if not, every page is rendered,
        # and the pages of units (merchants, lists, posters) are planned light
        # (plan.LightPageSpec).
        self._prepare_reuse()
        self._merchant_digests = {
            m.key: incremental.merchant_digest(m) for m in self.directory.merchants
        }
        plans = self._replaces and incremental.plans_dir(self._replaces)
        self._plans = incremental.PlanCache(plans, self.site_key, self._reuse)
        try:
            self.specs = self._plan(self._kept)
        except PlanChanged:  # rare: a new title collision, a town's page gone or back...
            self.specs = self._plan(None)
        self._built = frozenset(spec.url for spec in self.specs)

    def _plan(self, kept) -> list:
        """Every page in every language; `kept` gives pages from cache/ (PlanCache)."""
        shared: dict = {}  # what both languages' planners would otherwise work out twice
        specs = []
        self._planners = []
        for lang in self.config.languages:
            planner = Planner(
                self.directory,
                self.config,
                lang,
                self._catalogs[lang],
                shared,
                kept,
                self._merchant_digests,
                light=not self._previous,
            )
            specs += planner.plan()
            self._planners.append(planner)
        publications.write_downloads(Path(self.output_path), shared)
        _link_translations(specs)
        for spec in specs:
            if isinstance(spec, KeptPageSpec) and spec.alternates != spec.expected[2]:
                raise PlanChanged(spec.url)
        return specs

    def _kept(self, unit: tuple, unit_digest: str, lang: str) -> list | None:
        return self._plans.get(unit, unit_digest, lang)

    def _keep_plans(self) -> None:
        """Keep the units planned anew, with their pages' fingerprints, for the next build."""
        index_of = {id(spec): index for index, spec in enumerate(self.specs)}
        for planner in self._planners:
            for unit, unit_digest, specs in planner.units:
                pages = []
                for spec in specs:
                    fingerprint = self._fingerprints.get(index_of[id(spec)])
                    if fingerprint is None:
                        break
                    draft_title, answers = planner.drafts[id(spec)]
                    state = light_state(spec)
                    # As planning first drafts it: its title before made unique, its URL
                    # within its language's site.
                    state["url"], state["title"] = spec.path, draft_title
                    state["expected"] = (answers, spec.title, spec.alternates)
                    state["fingerprint"] = fingerprint
                    pages.append(state)
                else:
                    if unit_digest is not None:
                        self._plans.put(unit, unit_digest, planner.lang, pages)
        self._plans.save()

    def _site_key(self) -> str:
        """Everything every page depends on besides its own inputs: a change to any of it
        renders every page again.
        """
        loader, templates = self.env.loader, []
        for name in sorted(self.env.list_templates()):
            templates.append((name, loader.get_source(self.env, name)[0]))
        directory = self.directory
        # Pelican applies these to the templates' environment itself.
        jinja = [
            _describe(self.settings.get(name))
            for name in ("JINJA_ENVIRONMENT", "JINJA_FILTERS", "JINJA_GLOBALS", "JINJA_TESTS")
        ]
        helpers = [sorted(self.env.globals), sorted(self.env.filters), sorted(self.env.tests)]
        return incremental.value_digest(
            incremental.code_version(),
            templates,
            # The catalogs: a corrected translation renders the pages that show it.
            [
                path.read_bytes()
                for lang in self.config.languages
                for path in languages.catalog_files(lang, self.theme)
            ],
            jinja,
            helpers,
            self.config,
            directory.reference,
            directory.content.pages,
            # Which towns have a feed: the home and town pages link to theirs.
            publications.site_key_inputs(directory, self.config),
        )

    def _generate_output(self):
        output = Path(self.output_path)
        try:
            self._write_pages(output)
        except BaseException:
            self._background.wait_quietly()
            raise
        self._background.wait()
        if self._replaces is not None:
            incremental.hand_over(self._replaces, self.manifest)
        logger.info("buylocal: %d pages written", len(self.specs))

    def _write_pages(self, output: Path) -> None:
        """The pages (rendered, or kept as they are), the sitemap, the 404 page, images."""
        qr.use_cache(self._cache / "qr")  # posters' codes, drawn while rendering
        self._freeze_template_globals()
        results = incremental.render_or_reuse(
            len(self.specs), self._reused, self._render_page, self.config.workers
        )
        for index, (_, _, fingerprint) in enumerate(results):
            self._fingerprints.setdefault(index, fingerprint)
        # What is left of the build reads only what a kept page holds (plan.LIGHT_FIELDS):
        # the context and the JSON-LD of every page go before the pages' record is made,
        # which would otherwise be the build's peak of memory.
        for spec in self.specs:  # a light page let go of them where it was rendered
            if not isinstance(spec, LazyPageSpec):
                _let_go(spec)
        self.manifest.pages = {
            spec.output_file: record
            for spec, (record, _, _) in zip(self.specs, results, strict=True)
            if record is not None
        }
        self.manifest.reused = sum(1 for _, reused, _ in results if reused)
        self.manifest.page_count = len(self.specs)
        # Worked out only if the output is near a host's limit (host_limits.report).
        self.manifest.optional_files = partial(outreach.optional_files, self.specs)
        self._keep_plans()
        sitemap = [
            (spec.url, spec.lastmod, spec.alternates) for spec in self.specs if spec.indexable
        ]
        for name, text in seo.sitemap_files(sitemap, self.config).items():
            incremental.write_file(output / name, text)
        incremental.write_file(output / "robots.txt", seo.robots_txt(self.config))
        favicon = self.env.get_template("favicon.svg").render()
        incremental.write_file(output / "favicon.svg", favicon)
        root = self.config.site_url + "/" if self.config.site_url else "/"
        # Hosts serve one 404.html for every missing address: it speaks every language.
        sections = [
            self._fragment("partials/not_found.html", root, root, other)
            for other in self.config.languages
        ]
        lang = self.config.default_lang
        self._set_language(lang)
        not_found = self.get_template("404").render(
            page=None, root=root, site_root=root, lang=lang, sections=sections
        )
        incremental.write_file(output / "404.html", not_found)
        # Photos and cards the output this build replaces holds already stay there.
        files = incremental.CachedFiles(output, self._replaces if self._reuse else None)
        self._publish_images(output, files)
        share_cards.publish_pages(self.specs, self.config, self.theme, files)
        self.manifest.kept_files = files.kept

    def _freeze_template_globals(self) -> None:
        """Give templates a plain dict of the globals, now that they are all set, and look
        each template up once from now on (templating.load_once).

        Jinja gives each template a ChainMap over the environment's globals and copies it,
        key by key in Python, into every context: at each render, include and partial.
        """
        env, frozen = self.env, dict(self.env.globals)
        env.make_globals = lambda own: {**frozen, **own} if own else dict(frozen)
        if env.cache is not None:
            env.cache.clear()  # templates loaded before now hold the ChainMap
        load_once(env)  # each include asks again for its template

    def _prepare_reuse(self) -> None:
        site_key = self.site_key
        self.manifest = incremental.Manifest(site_key, {})
        previous = self._replaces
        if previous is None or not previous.is_dir() or not self._reuse:
            return
        manifest_path = incremental.pages_manifest_path(previous)
        old = incremental.load_pickle(manifest_path, incremental.Manifest)
        if old is not None and old.site_key == site_key:
            # The folder as a string: a Path for each of 28,000 pages costs 0.3 s.
            self._previous = (f"{previous}{os.sep}", old)

    def _reused(self, index: int) -> incremental.PageRecord | None:
        """The previous build's record of a page if nothing it shows changed (the page in the
        last good output then stays as it is), else None.
        """
        spec = self.specs[index]
        if isinstance(spec, KeptPageSpec):
            fingerprint = spec.fingerprint  # taken when it was planned, from the same inputs
        elif not self._previous:
            return None  # nothing to reuse: the worker that renders it takes its fingerprint
        else:
            fingerprint = page_fingerprint(spec, self._merchant_digests)
        self._fingerprints[index] = fingerprint
        if self._previous and fingerprint:
            previous, manifest = self._previous
            record = manifest.pages.get(spec.output_file)
            if record and record.still_valid(fingerprint, self._built, previous + spec.output_file):
                return record
        return None

    def _render_page(self, index: int) -> tuple:
        """Render and write one page; runs in a worker process for large sites. Returns the
        page's record (None: never reused), False (not reused) and its fingerprint.
        """
        spec = self.specs[index]
        if index in self._fingerprints:
            fingerprint = self._fingerprints[index]
        else:  # taken here, in parallel: a second of a cold build at 10,000 merchants
            fingerprint = page_fingerprint(spec, self._merchant_digests)
        self._usage = incremental.Usage()
        self._set_language(spec.lang)
        try:
            html = self.get_template(spec.template).render(
                page=spec,
                root=urls.relative_root(spec.path),  # back to this language's home
                site_root=urls.relative_root(spec.url),  # back to the shared files
                lang=spec.lang,
                **spec.context,
            )
        except TemplateError as error:
            # Told apart here, where the traceback still shows the template's line.
            raise RenderError(template_error_place(error), str(error)) from None
        incremental.write_file(Path(self.output_path) / spec.output_file, html)
        # Nothing reads them once the page is written (_write_pages): what only this page
        # held is free for the next pages' work, in whichever process rendered it.
        _let_go(spec)
        usage, self._usage = self._usage, None
        if fingerprint is None or usage.whole_directory:
            return None, False, fingerprint  # never reused: rendered again at every build
        # Pages ask about the same pages, often all alike: one object each, which pickle
        # sends back from a worker once per chunk (28,000 pages: 30 MB less).
        shared = self._shared_queries
        queries = tuple(shared.setdefault(query, query) for query in sorted(usage.queries.items()))
        record = incremental.PageRecord(fingerprint, shared.setdefault(queries, queries))
        return record, False, fingerprint

    def _has_page(self, url: str) -> bool:
        """Whether the site has this page in the language being rendered (`url` is
        within that language's site, like every link of the templates).
        """
        url = self._prefix + url
        exists = url in self._built
        if self._usage is not None:
            self._usage.queries[url] = exists
        return exists

    def _uses_directory(self) -> None:
        if self._usage is not None:
            self._usage.whole_directory = True

    def _publish_images(self, output: Path, files: incremental.CachedFiles):
        """Copy only the images that were validated: merchant photos, logo, share image.

        Nothing else under content/images/ is published, so a stray file (or a symlink to
        /etc/passwd) in a pull request never reaches the site.
        """
        source = Path(self.config.content_path) / self.config.images_dir
        cache = self._cache / "images"
        photos = sorted({m.image.path: m for m in self.directory.merchants if m.image}.items())

        def encode(item) -> list | None:  # in parallel: a first build encodes every photo
            try:
                return images.variants(source / item[0], item[0], cache)
            except (OSError, ValueError, SyntaxError):  # what Pillow raises on damaged files
                return None

        found = parallel.map_items(
            encode, photos, self.config.workers, per_process=images.PHOTOS_PER_PROCESS
        )
        problems = []
        for (relative, merchant), variants in zip(photos, found, strict=True):
            if variants is None:
                params = {"value": relative, "detail": "fichier abîmé"}
                problems.append(Problem(merchant.source_path, 1, "image", "bad_image", params))
                continue
            for cached, name in variants:
                files.place(cached, name)
        if problems:
            raise ContentError(problems)
        for relative in (self.config.logo, self.config.default_image):
            if relative:  # the town's own files: same format and size, without metadata
                images.without_metadata(source / relative, output / "images" / relative)

    # -- template helpers ------------------------------------------------------------------

    def _install_translations(self):
        """`_()` and `ngettext()` for templates, as plain functions, in the language of the
        page being rendered (`_set_language`).

        Jinja's i18n extension wraps every call in Markup and escapes its arguments: tens of
        calls a page, at 10,000 pages, cost seconds. Plain strings are escaped once, on output,
        by autoescaping, which is as safe since no message contains markup.
        """

        def translate(message, **values):
            text = self._translations.gettext(message)
            return text % values if values else text

        def translate_plural(singular, plural, number, **values):
            text = self._translations.ngettext(singular, plural, number)
            # %(num)d, written as the language writes numbers: « 1 234 », "1,234".
            number_text = self._translations.number(number)
            return text.replace("%(num)d", "%(num)s") % {"num": number_text, **values}

        self.env.globals.update(
            {
                "_": translate,
                "gettext": translate,
                "ngettext": translate_plural,
                "punctuation": lambda mark=":": self._translations.punctuation(mark),
                "format_number": lambda value: self._translations.number(value),
            }
        )

    def _set_language(self, lang: str) -> str:
        """Make `_()` and `has_page()` speak `lang`; returns the language they spoke."""
        previous, self._lang = self._lang, lang
        self._translations = self._catalogs[lang]
        self._prefix = languages.prefix(lang, self.config.default_lang)
        return previous

    def _fragment(self, template: str, root: str, site_root: str, lang: str, merchant=None):
        """A partial rendered once per (partial, merchant, language), then reused.

        The same header, footer and merchant card appear on thousands of pages and differ
        only by the relative path back to the root: each is rendered once with stand-ins
        for `root` and `site_root`, put back as text on each page. A partial that does more
        with them than print them is rendered at each depth instead: noticed when a stand-in
        comes out changed (a filter, `tojson`), or when its first use at a depth differs from
        a real render there.
        """
        by_depth = template in self._depth_dependent
        roots = (root, site_root) if by_depth else (_ROOT_MARK, _SITE_ROOT_MARK)
        key = (template, merchant.key if merchant else None, lang) + roots
        cached = self._fragments.get(key)
        if cached is None:
            html, queries, whole_directory = self._render_fragment(template, *roots, lang, merchant)
            if not by_depth and not _marks_intact(html):
                self._depth_dependent.add(template)
                return self._fragment(template, root, site_root, lang, merchant)
            # Tens of thousands of cards ask the same few questions: one tuple for them all.
            queries = self._shared_queries.setdefault(queries, queries)
            # A merchant's partial is kept as UTF-8 bytes: with the stand-ins in it, the text
            # takes two bytes a character, and each rendering process keeps every card it
            # showed (18.2 MB at 10,000 merchants, 9.2 as bytes). The few shared partials
            # (header, footer), on every page, are kept as text: decoding them was 3%.
            stored = html.encode() if merchant else html
            self._fragments[key] = (stored, queries, whole_directory)
        else:
            stored, queries, whole_directory = cached
            html = stored.decode() if merchant else stored
        if not by_depth:
            html = _put_roots(html, root, site_root)
            depth = (template, lang, root, site_root)
            if depth not in self._depths_checked:
                self._depths_checked.add(depth)
                if html != self._render_fragment(template, root, site_root, lang, merchant)[0]:
                    self._depth_dependent.add(template)
                    return self._fragment(template, root, site_root, lang, merchant)
        if self._usage is not None:  # what the partial asked, the page asked too
            self._usage.queries.update(queries)
            self._usage.whole_directory |= whole_directory
        return Markup(html)

    def _render_fragment(self, template, root, site_root, lang, merchant) -> tuple:
        """The partial's HTML, and what it asked about the site (see Usage)."""
        page_usage, self._usage = self._usage, incremental.Usage()
        page_lang = self._set_language(lang)
        try:
            html = self.env.get_template(template).render(
                merchant=merchant, root=root, site_root=site_root, lang=lang
            )
        finally:
            usage, self._usage = self._usage, page_usage
            self._set_language(page_lang)
        return html, tuple(usage.queries.items()), usage.whole_directory

    def _long_date(self, value, lang=None):
        return _long_date(value, languages.LOCALES[lang or self.config.default_lang])

    def _language_name(self, code, lang=None):
        return _language_names(lang or self.config.default_lang).get(code, code)

    def _share_image(self, page) -> str | None:
        """The og:image of a page: its photo's largest JPEG, or the site's default image."""
        if page and page.image:
            return images.largest_jpeg(page.image.path, page.image.width)
        return self.config.default_image

    def _source_file(self, merchant) -> str:
        """The merchant's file as a path in the repository, for the web editor's link."""
        config = self.config
        return (
            f"{config.repository_content_dir}/{config.merchants_dir}/"
            f"{merchant.town}/{merchant.slug}.md"
        )

    def _map_url(self, merchant):
        if merchant.geo:
            return self.config.map_url.format(lat=merchant.geo.lat, lon=merchant.geo.lon)
        return self.config.map_search_url.format(query=quote_plus(merchant.address or ""))


def _let_go(spec) -> None:
    """What a page holds for its rendering only, once it is written."""
    if isinstance(spec, LazyPageSpec):
        spec.lighten()
    else:
        spec.context = spec.jsonld = None


@contextmanager
def collector_paused():
    """Python's cycle collector, paused: each of its full passes goes through every object
    alive, and with the caches of 10,000 merchants loaded that was a third of a rebuild
    (1.3 s of 4.5). What a build makes is freed by reference counting as usual; workers
    forked meanwhile collect again (parallel.py).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# Stand-ins for a partial's `root` and `site_root` (_fragment): text that autoescaping leaves
# as it is, and that no page holds otherwise.
_ROOT_WORD, _SITE_ROOT_WORD = "buylocal-root", "buylocal-site-root"
_ROOT_MARK = f"\ue000{_ROOT_WORD}\ue000"
_SITE_ROOT_MARK = f"\ue000{_SITE_ROOT_WORD}\ue000"


def _put_roots(html: str, root: str, site_root: str) -> str:
    return html.replace(_ROOT_MARK, root).replace(_SITE_ROOT_MARK, site_root)


def _marks_intact(html: str) -> bool:
    """Whether every stand-in in a partial's HTML is whole, as printed: one that a filter
    changed (escaped as JSON or URL, cut short, upper-cased) would not be put back.

    Only the stand-ins' own words are counted: a shop named "BuyLocal-Rimouski" made every
    merchant card of the site render at each depth.
    """
    whole = html.count(_ROOT_MARK) + html.count(_SITE_ROOT_MARK)
    folded = html.casefold()
    words = folded.count(_ROOT_WORD) + folded.count(_SITE_ROOT_WORD)
    return html.count("\ue000") == 2 * whole and words == whole


def _link_translations(specs) -> None:
    """Give each page the address of its twin in the other languages (hreflang, switcher)."""
    by_path: dict = {}
    for spec in specs:
        by_path.setdefault((spec.template, spec.path), []).append((spec.lang, spec.url))
    for spec in specs:
        twins = by_path[(spec.template, spec.path)]
        spec.alternates = tuple(twins) if len(twins) > 1 else ()


def _in_language(value, lang: str, name: str | None = None, block: bool = False) -> Markup:
    """A text in the page's language, or the French one marked lang="fr" so that screen
    readers and translators know: `m|local(lang, "summary")`, `m|local(lang,
    "description_html", block=True)` (sanitized HTML), `town.description|local(lang)`.
    """
    if isinstance(value, str):  # written in French by a volunteer (tags, source)
        text, text_lang = value, languages.CONTENT_LANG
    elif name is None:  # a Localized
        text, text_lang = value.get(lang), value.lang_of(lang)
    else:  # a Merchant or a Page
        text, text_lang = languages.field_text(value, name, lang)
    html = Markup(text) if block else escape(text)
    if text_lang == lang or not text:
        return html
    tag = "div" if block else "span"
    return Markup(f'<{tag} lang="{text_lang}">{html}</{tag}>')


def _describe(value) -> str:
    """A setting as part of a digest: its stable digest, or its repr (a lambda's repr holds
    its address, so such a setting only means that pages are never reused).
    """
    try:
        return incremental.value_digest(value)
    except Exception:  # noqa: BLE001 - whatever cannot be pickled
        return repr(value)


def _compile_key(env) -> str:
    """What Jinja's compiled code depends on besides a template's source: the environment's
    syntax and options, Jinja's version and our code (Python's version is in each file).
    """

    def named(value):  # a function by its name: its repr holds its address
        if value is None or isinstance(value, bool | str):
            return value
        return getattr(value, "__qualname__", None) or repr(type(value))

    options = [
        getattr(env, name)
        for name in (
            "block_start_string",
            "block_end_string",
            "variable_start_string",
            "variable_end_string",
            "comment_start_string",
            "comment_end_string",
            "line_statement_prefix",
            "line_comment_prefix",
            "trim_blocks",
            "lstrip_blocks",
            "newline_sequence",
            "keep_trailing_newline",
            "optimized",
            "is_async",
        )
    ]
    options += [sorted(env.extensions), named(env.autoescape), named(env.finalize)]
    options.append(named(env.undefined))
    return incremental.digest(incremental.code_version().encode(), repr(options).encode())[:16]


@lru_cache(maxsize=4096)  # a few hundred dates, each on thousands of pages
def _long_date(value, locale: str) -> str:
    """Each language's own long date: "1er octobre 2026", "October 1, 2026"."""
    text = format_date(value, "d MMMM y" if locale == "fr_CA" else "long", locale=locale)
    return "1er" + text[1:] if locale == "fr_CA" and value.day == 1 else text


@lru_cache(maxsize=8)
def _language_names(lang: str) -> dict:
    return dict(Locale(lang).languages)


def _clock(value: str, lang: str = "fr") -> str:
    """French clock times ("11:30" -> "11 h 30", "14:00" -> "14 h"); English ones unchanged."""
    if lang != "fr":
        return value
    hour, minute = value.split(":")
    return f"{int(hour)} h" + (f" {minute}" if minute != "00" else "")


class RenderError(Exception):
    """A template failed; carries where and why, and crosses process boundaries."""

    def __init__(self, place: str, message: str):
        super().__init__(place, message)
        self.place, self.message = place, message


def template_error_place(error: TemplateError) -> str:
    """Where a template failed ("path/template.html:12"), for whoever edited it."""
    where = getattr(error, "filename", None) or getattr(error, "name", None)
    line = getattr(error, "lineno", None)
    if where is None:
        # Runtime errors carry the template in their traceback, not in the exception.
        frames = traceback.extract_tb(error.__traceback__)
        frame = next((f for f in reversed(frames) if f.filename.endswith(".html")), None)
        where, line = (frame.filename, frame.lineno) if frame else ("?", None)
    return f"{where}:{line}" if line else str(where)
