"""The initiative page, from content/data/initiative.yml: the problem, the objectives, the
expected benefits, the steps, the partners and who funds it.

The file is the town's and optional: without it there is no page and no link to one. It is
checked like the other data files, every problem located by line and field, in French first.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .fields import MISSING, FieldChecker
from .frontmatter import YamlProblem, load_mapping, read_text
from .markup import MarkdownTooDeep
from .model import Localized
from .problems import Problem, closest

FILE = "initiative.yml"
FIELDS = ("title", "summary", "problem", "objectives", "benefits", "steps", "partners", "funding")
STEP_FIELDS = ("title", "when", "status", "description")
STATUSES = ("done", "in_progress", "planned")
PARTNER_FIELDS = ("name", "url", "role")
FUNDING_FIELDS = ("name", "url", "contribution")


@dataclass(frozen=True, slots=True)
class Step:
    title: Localized
    status: str  # done, in_progress or planned
    when: Localized | None = None
    description: Localized | None = None


@dataclass(frozen=True, slots=True)
class Party:
    """A partner or a source of funding."""

    name: Localized
    url: str | None = None
    detail: Localized | None = None  # a partner's role, a funder's contribution


@dataclass(frozen=True, slots=True)
class Initiative:
    source_path: str
    summary: Localized
    problem_html: Localized  # sanitized HTML, per language
    title: Localized | None = None
    objectives: tuple = ()
    benefits: tuple = ()
    steps: tuple = ()
    partners: tuple = ()
    funding: tuple = ()


def read_initiative(path: Path, display: str, default_lang: str, max_bytes: int, render):
    """(Initiative or None, problems); (None, []) when the town has no such file."""
    if path.is_symlink():
        return None, [Problem(display, 1, "", "symlink")]
    if not path.is_file():
        return None, []
    text, problems = read_text(path, display, max_bytes)
    if text is None:
        return None, problems
    try:
        values, lines = load_mapping(text)
    except YamlProblem as problem:
        return None, [Problem(display, problem.line, problem.field, problem.code, problem.params)]
    check = FieldChecker(display, lines, default_lang)
    _unknown(check, values, FIELDS)
    title = _optional(check, values, "title", 120)
    summary = problem_html = None
    if check.required(values, "summary"):
        summary = check.localized("summary", values["summary"], 160)
    if check.required(values, "problem"):
        problem_text = check.localized("problem", values["problem"], 20_000, one_line=False)
        if problem_text is not None:
            try:
                problem_html = Localized(
                    {
                        lang: render(text, heading_level=3, site_links=True)
                        for lang, text in problem_text.texts.items()
                    },
                    default_lang,
                )
            except MarkdownTooDeep:
                check.fail("problem", "description_too_deep")
    objectives = _text_list(check, values, "objectives")
    benefits = _text_list(check, values, "benefits")
    steps = tuple(_maps(check, values, "steps", STEP_FIELDS, _step))
    partners = tuple(_maps(check, values, "partners", PARTNER_FIELDS, _party("role")))
    funding = tuple(_maps(check, values, "funding", FUNDING_FIELDS, _party("contribution")))
    if check.problems:
        return None, check.problems
    initiative = Initiative(
        display, summary, problem_html, title, objectives, benefits, steps, partners, funding
    )
    return initiative, []


def _unknown(check: FieldChecker, values: dict, allowed) -> None:
    for key in values:
        if key not in allowed:
            check.fail(key, "unknown_initiative_field", hint=closest(key, allowed))


def _optional(check: FieldChecker, values: dict, name: str, limit: int):
    value = values.get(name)
    return None if value in MISSING else check.localized(name, value, limit)


def _view(check: FieldChecker, prefix: str, name: str = "") -> FieldChecker:
    """A checker for one item of a list, whose lines are the item's own.

    An item's fields are then checked under their own names ("title"), each problem at
    the line where the item says it, or at the item's first line when it says nothing.
    """
    lines = {}
    for path, line in check.lines.items():
        if path == prefix or path.startswith(prefix + "."):
            lines[(name + path[len(prefix) :]).lstrip(".")] = line
    return FieldChecker(check.path, lines, check.default_lang, check.line(prefix))


def _items(check: FieldChecker, values: dict, name: str, example: str) -> list:
    value = values.get(name)
    if value in MISSING:
        return []
    if isinstance(value, str):
        return [value]  # one item written without a dash
    if not isinstance(value, list):
        check.fail(name, "not_list", example=example)
        return []
    return value


def _text_list(check: FieldChecker, values: dict, name: str) -> tuple:
    texts = []
    for index, item in enumerate(_items(check, values, name, "Premier, Deuxième")):
        view = _view(check, f"{name}.{index}", name)
        if item in MISSING:
            view.fail(name, "empty_item")
        else:
            text = view.localized(name, item, 300)
            if text is not None:
                texts.append(text)
        check.problems += view.problems
    return tuple(texts)


def _maps(check: FieldChecker, values: dict, name: str, allowed, build):
    """The items of a list of maps (steps, partners), each checked by `build`."""
    for index, item in enumerate(_items(check, values, name, "{name: …}")):
        view = _view(check, f"{name}.{index}")
        built = None
        if item in MISSING:
            view.fail("", "empty_item")
        elif not isinstance(item, dict):
            view.fail("", "not_mapping")
        else:
            _unknown(view, item, allowed)
            built = build(view, item)
        # Reported as "steps.title", while the message still says which line to write.
        for problem in view.problems:
            field = f"{name}.{problem.field}" if problem.field else name
            params = {"field": problem.field, **problem.params}
            check.problems.append(Problem(problem.path, problem.line, field, problem.code, params))
        if built is not None:
            yield built


def _step(check: FieldChecker, item: dict) -> Step | None:
    title = None
    if check.required(item, "title"):
        title = check.localized("title", item["title"], 120)
    when = _optional(check, item, "when", 60)
    description = _optional(check, item, "description", 500)
    status = "planned"
    if item.get("status") not in MISSING:
        status = check.choice("status", item["status"], STATUSES)
    if title is None or status is None:
        return None
    return Step(title, status, when, description)


def _party(detail_field: str):
    def build(check: FieldChecker, item: dict) -> Party | None:
        name = url = None
        if check.required(item, "name"):
            name = check.localized("name", item["name"], 120)
        if item.get("url") not in MISSING:
            url = check.url("url", item["url"])
        detail = _optional(check, item, detail_field, 200)
        return Party(name, url, detail) if name else None

    return build
