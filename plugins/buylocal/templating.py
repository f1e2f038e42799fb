"""Jinja, made cheaper for a build of tens of thousands of pages, with the same output.

Each of a cold build's 28,000 pages (10,000 merchants) prints about a hundred values and
calls about fifty helpers; Jinja's general-purpose paths for both cost more than the values
themselves. tests/test_templating.py renders the same templates with Jinja's own classes
and with these, and compares: a Jinja or MarkupSafe upgrade must keep those tests green.
"""

from __future__ import annotations

from types import BuiltinFunctionType, FunctionType, MethodType

from jinja2 import Environment, Template
from jinja2.runtime import Context
from jinja2.utils import internalcode
from markupsafe import escape

try:  # MarkupSafe 3: the C function that escape() wraps in a Markup object
    from markupsafe import _escape_inner
except ImportError:  # pragma: no cover - another MarkupSafe: its own escape(), as before
    _escape_inner = None

_PLAIN_CALLABLES = (FunctionType, BuiltinFunctionType, MethodType)


class DirectCallContext(Context):
    """Calls plain functions and methods (`_()`, `has_page()`, `fragment()`...) at once.

    Jinja's Context.call first asks every callable whether it wants the context, the
    evaluation context or the environment: three attribute lookups and two calls, about half
    of the 1.5 µs a call costs, 52 times on a merchant page. A function or method without
    `jinja_pass_arg` (what @pass_context and its kin set) wants none, and is then called as
    Context.call would call it.
    """

    @internalcode  # kept out of template tracebacks, as Jinja's own
    def call(__self, __obj, *args, **kwargs):  # Jinja's names: no clash with a keyword
        if type(__obj) in _PLAIN_CALLABLES and not hasattr(__obj, "jinja_pass_arg"):
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
            try:
                return __obj(*args, **kwargs)
            except StopIteration:
                return __self.environment.undefined(
                    "value was undefined because a callable raised a StopIteration exception"
                )
        return super().call(__obj, *args, **kwargs)


def printed(value) -> str:
    """What escape(value) prints, as a plain string.

    Compiled templates pass each value they print through escape(), which wraps the text
    in a new Markup object; Jinja then only joins what was printed (a page, a block kept
    in a variable, a macro's output, which it marks safe as a whole). Without the wrapper,
    rendering takes a sixth less time. Same branches as escape(): a plain string is
    escaped, an object with __html__ is printed as it says, anything else as str() says,
    escaped.
    """
    if type(value) is str:
        return _escape_inner(value)
    html = getattr(value, "__html__", None)
    if html is not None:
        text = html()
        return text if isinstance(text, str) else str(text)
    return _escape_inner(str(value))


class FastOutputTemplate(Template):
    """A template whose compiled code prints through printed() instead of escape().

    In the code Jinja 3.1 compiles, `escape` is only ever called on a value being printed
    (compiler.CodeGenerator._output_child_pre), and it is a global of the template's own
    module: replacing it there changes nothing else, not even another template.
    """

    @classmethod
    def from_code(cls, environment, code, globals, uptodate=None):
        # What loaders, the bytecode cache and from_string go through (a template from
        # Jinja's ModuleLoader, which the build does not use, prints through escape()).
        return _printing_plainly(super().from_code(environment, code, globals, uptodate))


def load_once(env: Environment) -> None:
    """Make `env.get_template` hand out each template it loaded before at once.

    Every include, `extends` and `import` of a compiled template asks the environment for
    its template again: 210,000 times in a cold build at 10,000 merchants, each time through
    Jinja's LRU cache (a lock, a weak reference, a queue kept in order). For a build, whose
    templates and globals no longer change once rendering starts (generator.py).
    """
    load, join = env.get_template, env.join_path
    loaded: dict = {}

    def get_template(name, parent=None, globals=None):
        if globals:  # globals for this template alone: Jinja's own way, every time
            return load(name, parent, globals)
        if parent is not None:
            name = join(name, parent)
        template = loaded.get(name)
        if template is None:
            template = loaded[name] = load(name)
        return template

    env.get_template = get_template


def _printing_plainly(template: Template) -> Template:
    namespace = template.root_render_func.__globals__
    if _escape_inner is not None and namespace.get("escape") is escape:
        namespace["escape"] = printed
    return template
