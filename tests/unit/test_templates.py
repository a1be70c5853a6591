"""The Jinja environment pages render with: a stock jinja2.Environment whose templates
come from the site before the default theme, escape HTML and XML but not text, and fail
on undefined names; functions, macros and context functions behave as Jinja's own."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import jinja2
import pytest

from chronicle import theme
from chronicle.rendering.environment import make_environment


@jinja2.pass_context
def page_name(context: jinja2.runtime.Context) -> str:
    return str(context["name"])


class Site:
    def url(self, path: str) -> str:
        return "/base" + path


TEMPLATE = """\
{%- macro shout(text) %}{{ text | upper }}{% endmacro -%}
{{ site.url('/people/') }} {{ shout('ada') }} {{ page_name() }} {{ join(['a', 'b']) }}
{%- for item in [1] %}{% set inner = "set in the loop" %} {{ loop_name() }}{% endfor %}"""


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> jinja2.Environment:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))  # compiled templates
    environment = make_environment(tmp_path)
    environment.globals["page_name"] = page_name
    environment.globals["join"] = "-".join
    # A context function sees what the loop set: Jinja passes it along with the call.
    environment.globals["loop_name"] = jinja2.pass_context(lambda c: c["inner"])
    return environment


def test_the_environment_is_jinjas_own(env):
    """Nothing of Jinja's runtime replaced: jinja2 may move within 3.x."""
    assert type(env) is jinja2.Environment
    assert env.context_class is jinja2.runtime.Context


def test_functions_macros_and_context_functions_give_what_jinja_gives(env):
    stock = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    stock.globals.update({k: env.globals[k] for k in ("page_name", "join", "loop_name")})
    values = {"site": Site(), "name": "home"}
    ours = env.from_string(TEMPLATE).render(values)
    assert ours == stock.from_string(TEMPLATE).render(values)
    assert ours == "/base/people/ ADA home a-b set in the loop"


def test_globals_set_after_a_template_is_loaded_are_seen_by_it(env):
    """The environment's globals stay live for templates loaded before (a renderer sets
    `picture` on an environment that may have compiled its templates already)."""
    template = env.from_string("{{ late() }}{% if 'late' is defined %}!{% endif %}")
    env.globals["late"] = lambda: "here"
    assert template.render() == "here!"


def test_a_site_template_replaces_the_themes_of_the_same_name(env, tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates/robots.txt").write_text("mine\n")
    assert env.get_template("robots.txt").render() == "mine\n"
    theirs = env.get_template("sitemap.xml").filename
    assert theirs is not None and Path(theirs).parent == theme.templates()


def test_html_and_xml_are_escaped_text_is_not_and_undefined_names_fail(env, tmp_path):
    (tmp_path / "templates").mkdir()
    for name in ("a.html", "a.xml", "a.txt"):
        (tmp_path / "templates" / name).write_text("{{ text }}")
    rendered = [env.get_template(n).render(text="<b>") for n in ("a.html", "a.xml", "a.txt")]
    assert rendered == ["&lt;b&gt;", "&lt;b&gt;", "<b>"]
    with pytest.raises(jinja2.UndefinedError):
        env.get_template("a.html").render()


def test_templates_compile_once_into_the_users_cache(env, tmp_path):
    env.get_template("robots.txt")
    compiled = list((tmp_path / "user-cache").rglob("*.cache"))
    assert len(compiled) == 1, compiled
    again = make_environment(tmp_path)

    def compiling(*args: object, **kwargs: object) -> None:
        raise AssertionError("compiled again")

    again.compile = compiling  # type: ignore[method-assign]
    assert "Sitemap" in again.get_template("robots.txt").render(
        settings=None, site=SimpleNamespace(absolute=lambda path: path)
    )
