"""The Jinja environment pages render with: it calls functions and macros directly where
Jinja would look each one over first, and must give the same results as Jinja's own."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from chronicle.rendering.environment import make_environment


@jinja2.pass_context
def page_name(context: jinja2.runtime.Context) -> str:
    return str(context["name"])


class Site:
    def url(self, path: str) -> str:
        return "/base" + path

    def stops(self) -> str:
        raise StopIteration


TEMPLATE = """\
{%- macro shout(text) %}{{ text | upper }}{% endmacro -%}
{{ site.url('/people/') }} {{ shout('ada') }} {{ page_name() }} {{ join(['a', 'b']) }}
{%- for item in [1] %}{% set inner = "set in the loop" %} {{ loop_name() }}{% endfor %}"""


@pytest.fixture
def env(tmp_path: Path) -> jinja2.Environment:
    environment = make_environment(tmp_path)
    environment.globals["page_name"] = page_name
    environment.globals["join"] = "-".join  # a builtin method: not a plain function
    # A context function sees what the loop set: Jinja passes it along with the call.
    environment.globals["loop_name"] = jinja2.pass_context(lambda c: c["inner"])
    return environment


def test_functions_macros_and_context_functions_give_what_jinja_gives(env, tmp_path):
    stock = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    stock.globals.update({k: env.globals[k] for k in ("page_name", "join", "loop_name")})
    values = {"site": Site(), "name": "home"}
    ours = env.from_string(TEMPLATE).render(values)
    assert ours == stock.from_string(TEMPLATE).render(values)
    assert ours == "/base/people/ ADA home a-b set in the loop"


def test_a_function_that_raises_stop_iteration_gives_undefined_as_in_jinja(env):
    with pytest.raises(jinja2.UndefinedError, match="StopIteration"):
        env.from_string("{{ site.stops() }}").render(site=Site())


def test_globals_set_after_a_template_is_loaded_are_seen_by_it(env):
    """The environment's globals stay live for templates loaded before (a renderer sets
    `picture` on an environment that may have compiled its templates already)."""
    template = env.from_string("{{ late() }}{% if 'late' is defined %}!{% endif %}")
    env.globals["late"] = lambda: "here"
    assert template.render() == "here!"
