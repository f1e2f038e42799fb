"""generator.DirectCallContext calls plain functions at once: templates must see no
difference from Jinja's own Context.call.
"""

from __future__ import annotations

import jinja2
import pytest
from buylocal.generator import DirectCallContext
from jinja2.runtime import Context

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
