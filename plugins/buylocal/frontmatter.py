"""Untrusted text files to plain values: front matter split, and YAML read without constructing.

YAML is composed into nodes by libyaml (C, fast) and then walked by hand: every scalar stays the
string the volunteer typed (so `no` stays "no", `1984` stays "1984"), explicit tags are refused,
and aliases are refused before anything is expanded (no "billion laughs").
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from .problems import Problem

try:
    _Loader = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _Loader = yaml.SafeLoader

_STANDARD_TAGS = {
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
}
_NULL_TAG = "tag:yaml.org,2002:null"
_FENCE = "---"
MAX_DEPTH = 8  # no field nests deeper than 3; a deeper file is hostile or broken
# libyaml's most frequent complaints, and what a volunteer should do about each.
_YAML_NOTES = {
    "mapping values are not allowed": "yaml_colon",
    "found character '\\t'": "yaml_tab",
    "found unexpected end of stream": "yaml_quote",
    "could not find expected ':'": "yaml_missing_colon",
    "did not find expected key": "yaml_indentation",
    "did not find expected '-' indicator": "yaml_indentation",
}


class YamlProblem(Exception):
    """A YAML document that cannot become plain values; line is 1-based within the document."""

    def __init__(self, code: str, line: int, field: str = "", **params):
        super().__init__(code)
        self.code, self.line, self.field, self.params = code, line, field, params


@dataclass(frozen=True, slots=True)
class FrontMatterFile:
    """A text file split into its YAML fields and its Markdown body."""

    fields: dict
    lines: dict  # dotted field path ("geo.lat", "categories.1") -> 1-based line in the file
    body: str
    body_line: int


def read_text(file, path: str, limit: int) -> tuple[str | None, list[Problem]]:
    """A file's text, refusing oversized ones before reading them."""
    raw, problems = read_bytes(file, path, limit)
    return (None, problems) if raw is None else decode(raw, path, limit)


def read_bytes(file, path: str, limit: int) -> tuple[bytes | None, list[Problem]]:
    """A file's bytes, refusing oversized ones before reading them."""
    try:
        size = file.stat().st_size
        if size > limit:
            return None, [Problem(path, 1, "", "too_large", {"size": size, "limit": limit})]
        return file.read_bytes(), []
    except OSError as error:  # gone since the folder was listed, not readable...
        detail = error.strerror or type(error).__name__
        return None, [Problem(path, 1, "", "unreadable_file", {"detail": detail})]


def decode(raw: bytes, path: str, limit: int) -> tuple[str | None, list[Problem]]:
    """Bytes to text, refusing oversized and non-UTF-8 files."""
    if len(raw) > limit:
        return None, [Problem(path, 1, "", "too_large", {"size": len(raw), "limit": limit})]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return None, [Problem(path, line, "", "not_utf8", {"pos": error.start})]
    # YAML counts these as line breaks, Python's split("\n") does not: line numbers would drift.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for separator in ("\x85", "\u2028", "\u2029"):
        if separator in text:  # rare: checking first is much faster than translate()
            text = text.replace(separator, " ")
    return text, []


def read_front_matter(text: str, path: str) -> tuple[FrontMatterFile | None, list[Problem]]:
    """Split '---' fenced YAML from the Markdown body and load the YAML as plain values."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != _FENCE:
        return None, [Problem(path, 1, "", "no_front_matter")]
    for index in range(1, len(lines)):
        if lines[index].rstrip() in (_FENCE, "..."):
            end = index
            break
    else:
        return None, [Problem(path, 1, "", "unclosed_front_matter")]
    yaml_text = "\n".join(lines[1:end])
    try:
        fields, field_lines = load_mapping(yaml_text)
    except YamlProblem as problem:
        params = dict(problem.params)
        if "other" in params:
            params["other"] += 1
        return None, [Problem(path, problem.line + 1, problem.field, problem.code, params)]
    shifted = {key: line + 1 for key, line in field_lines.items()}
    body = "\n".join(lines[end + 1 :])
    return FrontMatterFile(fields, shifted, body, end + 2), []


def _refuse_deep_nesting(text: str) -> None:
    """Libyaml composes nodes recursively on the C stack: a file nested 25,000 levels deep
    would crash the process. Events come without recursion, so count depth on them first,
    for the rare file with many brackets or dashes (an ordinary one has a few dozen).
    """
    if sum(text.count(mark) for mark in "[{-?") < 64:
        return
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH + 1:
                    raise YamlProblem("yaml_too_deep", event.start_mark.line + 1)
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        return  # composing reports it, with its line


def load_mapping(text: str) -> tuple[dict, dict]:
    """YAML text that must be a mapping, to (plain values, line of each dotted path)."""
    _refuse_deep_nesting(text)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        detail = (error.problem or str(error)).strip()
        # At the end of the file, the useful place is where the unclosed thing began.
        mark = error.problem_mark
        if error.context_mark and (not mark or "end of stream" in detail):
            mark = error.context_mark
        line = mark.line + 1 if mark else 1
        source_lines = text.split("\n")
        bad_line = source_lines[line - 1] if 0 < line <= len(source_lines) else ""
        note = next((code for start, code in _YAML_NOTES.items() if detail.startswith(start)), "")
        if "\t" in bad_line:
            note = "yaml_tab"
        raise YamlProblem("yaml_syntax", line, detail=detail, note=note) from None
    except yaml.YAMLError as error:
        raise YamlProblem("yaml_syntax", 1, detail=str(error), note="") from None
    finally:
        loader.dispose()
    if node is None:
        return {}, {}
    if not isinstance(node, yaml.MappingNode):
        raise YamlProblem("not_mapping", node.start_mark.line + 1)
    lines: dict[str, int] = {}
    value = _plain(node, "", lines, set(), node.start_mark.line + 1, 0)
    return value, lines


def _plain(node, path: str, lines: dict, seen: set, used_at: int, depth: int):
    """A node to str/None/list/dict, recording where each path starts.

    `used_at` is the line of the key that holds the node: an alias points back to its anchor's
    node, whose own line is the anchor's, not where the alias stands.
    """
    line = node.start_mark.line + 1
    if id(node) in seen:
        raise YamlProblem("yaml_alias", used_at, path)
    if depth > MAX_DEPTH:
        raise YamlProblem("yaml_too_deep", line, path.split(".")[0])
    seen.add(id(node))
    if node.tag not in _STANDARD_TAGS:
        raise YamlProblem("yaml_tag", line, path, tag=node.tag)
    if path:
        lines[path] = line
    if isinstance(node, yaml.ScalarNode):
        if node.tag == _NULL_TAG and not node.style:  # libyaml's plain style is "", not None
            return None
        return node.value
    if isinstance(node, yaml.SequenceNode):
        return [
            _plain(item, f"{path}.{index}" if path else str(index), lines, seen, used_at, depth + 1)
            for index, item in enumerate(node.value)
        ]
    mapping: dict = {}
    first_line: dict = {}
    for key_node, value_node in node.value:
        key_line = key_node.start_mark.line + 1
        if key_node.tag not in _STANDARD_TAGS:
            raise YamlProblem("yaml_tag", key_line, path, tag=key_node.tag)
        if not isinstance(key_node, yaml.ScalarNode):
            raise YamlProblem("not_mapping", key_line, path)
        key = key_node.value
        child = f"{path}.{key}" if path else key
        if key in mapping:
            raise YamlProblem("yaml_duplicate_key", key_line, child, other=first_line[key])
        first_line[key] = key_line
        mapping[key] = _plain(value_node, child, lines, seen, key_line, depth + 1)
        lines[child] = key_line
    return mapping
