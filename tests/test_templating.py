"""templating.py's shortcuts through Jinja (DirectCallContext calls plain functions at once,
FastOutputTemplate prints values without a Markup object each): templates must see no
difference from Jinja's own Context and Template.
"""

from __future__ import annotations

import collections

import jinja2
import pytest
from buylocal import templating
from buylocal.templating import DirectCallContext, FastOutputTemplate, load_once, printed
from conftest import FIXTURES, build
from hypothesis import given
from hypothesis import strategies as st
from jinja2.runtime import Context
from markupsafe import Markup, escape

TEMPLATE = """
{{- plain("a", b=1) }}|{{ method(2) }}|{{ builtin("k", "none") }}|{{ with_context() }}
{%- for i in [1, 2] %}|{{ plain(i, loop=loop.index) }}|{{ with_context() }}{% endfor %}
{%- macro m(x) %}<{{ plain(x) }}>{% endmacro %}|{{ m(3) }}
{%- set local = 7 %}{% for i in [1] %}|{{ with_context() }}{% endfor %}|{{ callable_class(4) }}
|{{ with_environment() }}|{{ stops() }}
"""


class Helper:
    def method(self, value):
        return f"method {value}"


class CallableWithContext:
    @jinja2.pass_context
    def __call__(self, context, value):
        return f"class {value} {context.get('local')}"


def names(kind):
    @jinja2.pass_context
    def with_context(context):
        return f"context {kind is type(context)} {context.get('local')}"

    def stops():
        raise StopIteration

    return {
        "plain": lambda value, **kwargs: f"plain {value} {sorted(kwargs)}",
        "method": Helper().method,
        "builtin": {"k": "v"}.get,
        "with_context": with_context,
        "with_environment": jinja2.pass_environment(lambda env: f"env {env.autoescape}"),
        "callable_class": CallableWithContext(),
        "stops": stops,
    }


def render(context_class) -> str:
    env = jinja2.Environment(autoescape=True)
    env.context_class = context_class
    env.globals.update(names(context_class))
    return env.from_string(TEMPLATE).render()


def test_direct_calls_give_what_jinja_gives():
    direct = render(DirectCallContext)
    assert direct == render(Context)
    assert "plain a [&#39;b&#39;]" in direct  # keyword arguments, without Jinja's own
    assert "context True 7" in direct  # @pass_context still gets its context, with set vars
    assert "class 4 7" in direct
    assert "env True" in direct
    assert direct.endswith("|env True|")  # StopIteration: undefined, printed as nothing


@pytest.mark.parametrize("context_class", [Context, DirectCallContext])
def test_a_plain_function_is_not_asked_about_its_call_attribute(context_class, monkeypatch):
    """What makes the difference: Jinja's Context.call looks at __call__ first."""
    looked = []
    original = jinja2.runtime._PassArg.from_obj

    def spy(obj):
        looked.append(obj)
        return original(obj)

    monkeypatch.setattr(jinja2.runtime._PassArg, "from_obj", staticmethod(spy))
    env = jinja2.Environment(autoescape=True)
    env.context_class = context_class
    env.globals["f"] = lambda: "x"
    assert env.from_string("{{ f() }}").render() == "x"
    assert (looked == []) == (context_class is DirectCallContext)


# Every way a compiled template prints a value: plain text and text marked safe, numbers,
# None, an undefined name, objects that say how they print, in blocks, macros, a caller,
# a block kept in a variable, a filter block, an autoescape block (volatile code), includes,
# {% trans %}, concatenation, and what printed values then go through (|length, |upper).
PRINTING = {
    "base.html": """<title>{% block title %}{{ text }}{% endblock %}</title>
{% block body %}{% endblock %}|{{ self.title() }}""",
    "partial.html": "<p>{{ text }} {{ safe }} {{ number }}</p>",
    "page.html": """{% extends "base.html" %}
{% block title %}{{ super() }} &amp; {{ text|upper }}{% endblock %}
{% block body %}
{{- text }}|{{ safe }}|{{ number }}|{{ 1.5 }}|{{ none }}|{{ missing }}|{{ missing is defined }}
|{{ html_object }}|{{ html_markup }}|{{ str_object }}|{{ text ~ safe }}|{{ text|e }}
|{{ text|safe }}|{{ "<literal>" }}|{{ items|join(", ") }}|{{ safe ~ "&" }}
{%- macro card(value) %}<b>{{ value }}</b>{{ caller() if caller else "" }}{% endmacro %}
|{{ card(text) }}|{% call card(safe) %}<i>{{ text }}</i>{% endcall %}
{%- set kept %}<u>{{ text }}</u>{% endset %}|{{ kept }}|{{ kept|length }}|{{ kept|upper }}
|{% filter upper %}{{ text }}{% endfilter %}
|{% autoescape false %}{{ text }}{% endautoescape %}
|{% autoescape true %}{{ text }}{% endautoescape %}
|{% include "partial.html" %}
|{% for item in items %}{{ loop.index }}{{ item }}{% endfor %}
|{% trans name=text %}Bonjour {{ name }} & cie{% endtrans %}|{{ _("L’été <b>") }}
|{{ gettext("%(n)s & co", n=text) }}|{{ ngettext("%(num)d item", "%(num)d items", 2) }}
{%- endblock %}""",
}


class HTMLObject:
    def __html__(self):
        return "<em>kept as it is</em>"


class MarkupObject:
    def __html__(self):
        return Markup("<em>markup</em>")


class StrObject:
    def __str__(self):
        return "a < b & 'c'"


VALUES = {
    "text": 'L\'Ardoise & <Fils> "bio"',
    "safe": Markup("<strong>déjà sûr</strong>"),
    "number": 42,
    "none": None,
    "html_object": HTMLObject(),
    "html_markup": MarkupObject(),
    "str_object": StrObject(),
    "items": ["a&b", Markup("<c>"), 3],
}


def render_printing(template_class, loaded=None) -> str:
    env = jinja2.Environment(
        loader=jinja2.DictLoader(PRINTING), autoescape=True, extensions=["jinja2.ext.i18n"]
    )
    if loaded is not None:
        env = loaded(env)
    env.template_class = template_class
    env.install_null_translations(newstyle=True)
    return env.get_template("page.html").render(**VALUES)


def test_fast_output_prints_what_jinja_prints():
    fast = render_printing(FastOutputTemplate)
    assert fast == render_printing(jinja2.Template)
    assert "L&#39;Ardoise &amp; &lt;Fils&gt; &#34;bio&#34;" in fast  # still escaped
    assert "|<strong>déjà sûr</strong>|" in fast and "<em>kept as it is</em>" in fast


def test_fast_output_is_used_by_every_template_loaded_or_compiled(tmp_path):
    """Through a loader and the bytecode cache the build keeps (generator.py), and from a
    string; Jinja's own templates keep escape()."""
    for _ in range(2):  # the second time from the bytecode cache
        env = jinja2.Environment(
            loader=jinja2.DictLoader(PRINTING),
            autoescape=True,
            extensions=["jinja2.ext.i18n"],
            bytecode_cache=jinja2.FileSystemBytecodeCache(str(tmp_path)),
        )
        env.template_class = FastOutputTemplate
        for name in ("page.html", "partial.html"):
            assert env.get_template(name).root_render_func.__globals__["escape"] is printed
    assert any(tmp_path.iterdir())
    assert env.from_string("{{ x }}").root_render_func.__globals__["escape"] is printed
    plain = jinja2.Environment(autoescape=True).from_string("{{ x }}")
    assert plain.root_render_func.__globals__["escape"] is escape


@pytest.fixture
def loads(monkeypatch) -> list:
    """The name of each template Jinja loads (from its cache or its loader) from now on."""
    found = []
    load = jinja2.Environment._load_template

    def counted(env, name, globals):
        found.append(name)
        return load(env, name, globals)

    monkeypatch.setattr(jinja2.Environment, "_load_template", counted)
    return found


def test_each_template_is_loaded_once_and_prints_the_same(loads):
    envs = []

    def loaded_once(env):
        load_once(env)
        envs.append(env)
        return env

    expected = render_printing(FastOutputTemplate)
    loads.clear()
    for _ in range(3):
        assert render_printing(FastOutputTemplate, loaded_once) == expected
    # Per environment: the page, the base it extends and its include, once each.
    assert sorted(loads) == sorted(["page.html", "base.html", "partial.html"] * 3)
    env = envs[-1]
    included = env.get_template("partial.html", "page.html")  # as page.html includes it
    assert len(loads) == 9 and included is env.get_template("partial.html")
    for _ in range(2):  # globals for this template alone: Jinja's way, each time
        extra = env.get_template("partial.html", globals={"text": "own"})
        assert extra.render().startswith("<p>own ")
    assert loads[-2:] == ["partial.html", "partial.html"] and len(loads) == 11


@given(st.one_of(st.text(), st.text().map(Markup), st.integers(), st.floats(), st.none()))
def test_printed_is_the_text_of_escape(value):
    assert printed(value) == str(escape(value))
    assert type(printed(value)) in (str, Markup)


def test_the_build_prints_through_the_fast_path(tmp_path, monkeypatch):
    calls = []

    def counted(value):
        calls.append(value)
        return printed(value)

    monkeypatch.setattr(templating, "printed", counted)
    code, _ = build(FIXTURES / "small", tmp_path / "output", BUYLOCAL_WORKERS=1)
    assert code == 0
    assert len(calls) > 1000


def test_the_build_loads_each_template_once(tmp_path, loads):
    code, _ = build(FIXTURES / "small", tmp_path / "output", BUYLOCAL_WORKERS=1)
    assert code == 0
    # Once before rendering (Pelican's own pages, the site key), once while rendering.
    # Without load_once: once per include, tens of times in this small build.
    assert "partials/merchant_card.html" in loads
    assert max(collections.Counter(loads).values()) <= 2
