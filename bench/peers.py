"""The peers of bench/compare.py: the generated corpus converted to Hugo, Eleventy and Pelican,
and copied for chronicle with minimal templates.

Each peer gets the same four kinds of page, with minimal templates written here: a page per
person (`/people/<slug>/`), a page per event (`/events/<slug>/`), the people index
(`/people/`) and one timeline page grouped by year (`/timeline/`). Front matter fields are
mapped to what each peer understands; Markdown bodies are copied as they are, so each peer
pays for its own Markdown renderer.

Chronicle's build does more than this (organizations, tags, per-person and per-tag timelines,
feeds, sitemap, JSON exports, a social card image per page): compare.py prints the number of
files and bytes each generator wrote, so that difference stays visible next to the timings.

"chronicle-minimal" (write_chronicle_minimal) is the same corpus for chronicle, with a
templates/ folder of the site's own: a file there replaces the default theme's of the same
name. Its four kinds of page show what the peers' do (title, fields, body, lists), and every
other page template chronicle renders is as minimal, so that no page uses the full theme and
the engines are compared like for like. Chronicle still builds its other pages and files
(organizations, tags, filtered timelines, feeds, sitemap, exports); compare.py keeps the full
theme's run beside it.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

SITE_TITLE = "Synthetic founders"


@dataclass(frozen=True)
class Person:
    slug: str
    name: str
    role: str
    summary: str
    organizations: list[str]
    tags: list[str]
    body: str


@dataclass(frozen=True)
class Event:
    slug: str
    title: str
    date: str  # as written: 2023, 2023-07 or 2023-07-12
    people: list[str]
    organizations: list[str]
    tags: list[str]
    summary: str
    sources: list[dict[str, str]]
    body: str

    @property
    def year(self) -> str:
        return self.date[:4]

    @property
    def sort_key(self) -> str:
        # Chronicle's order: within a year a coarser date comes before the finer dates it
        # contains, then by slug. Missing parts as 00 give exactly that as a string order.
        parts = [*self.date.split("-"), "00", "00"][:3]
        return "-".join(parts) + " " + self.slug

    @property
    def full_date(self) -> str:
        # Pelican wants a complete date for its own (unused) article dates.
        return self.sort_key[:10].replace("-00", "-01")


@dataclass(frozen=True)
class Corpus:
    people: list[Person]
    events: list[Event]


def split(path: Path) -> tuple[dict[str, Any], str]:
    text = path.read_text(encoding="utf-8")
    _, head, body = text.split("---\n", 2)
    data = yaml.safe_load(head)
    assert isinstance(data, dict), path
    return data, body


def text(value: object) -> str:
    # YAML reads 2023 as an int and 2023-07-12 as a date; the contract keeps them as written.
    return "" if value is None else str(value)


def read_corpus(site: Path) -> Corpus:
    """People and events of a site written by bench/generate.py (organizations and the
    about page are not part of the peers' pages)."""
    people = []
    for path in sorted((site / "content/people").glob("*.md")):
        data, body = split(path)
        people.append(
            Person(
                path.stem,
                text(data["name"]),
                text(data.get("role")),
                text(data.get("summary")),
                [text(o) for o in data.get("organizations", [])],
                [text(t) for t in data.get("tags", [])],
                body,
            )
        )
    events = []
    for path in sorted((site / "content/events").glob("*.md")):
        data, body = split(path)
        events.append(
            Event(
                path.stem,
                text(data["title"]),
                text(data["date"]),
                [text(p) for p in data.get("people", [])],
                [text(o) for o in data.get("organizations", [])],
                [text(t) for t in data.get("tags", [])],
                text(data.get("summary")),
                [{k: text(v) for k, v in s.items()} for s in data.get("sources", [])],
                body,
            )
        )
    return Corpus(people, events)


def front_matter(data: dict[str, object], body: str) -> str:
    # JSON is YAML: every string quoted, so no peer re-interprets "no" or "2023".
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in data.items()]
    return "---\n" + "\n".join(lines) + "\n---\n" + body


def fresh(root: Path) -> None:
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)


def write(path: Path, content: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")


def person_fields(person: Person) -> dict[str, object]:
    # `tags` becomes `topics`: in Hugo and Eleventy `tags` would make taxonomy pages or
    # collections, pages the other generators do not build.
    return {
        "name": person.name,
        "role": person.role,
        "summary": person.summary,
        "organizations": person.organizations,
        "topics": person.tags,
    }


def event_fields(event: Event) -> dict[str, object]:
    # `date` becomes `when`: Hugo and Eleventy read `date` as a full timestamp and would
    # reject or reinterpret 2023 and 2023-07. Year and sort key are given so that each
    # peer's template can group and order without date arithmetic in its template language.
    return {
        "title": event.title,
        "when": event.date,
        "year": event.year,
        "sortkey": event.sort_key,
        "people": event.people,
        "organizations": event.organizations,
        "topics": event.tags,
        "summary": event.summary,
        "sources": event.sources,
    }


# --- Hugo ---------------------------------------------------------------------------------

HUGO_CONFIG = f"""\
baseURL = "https://example.org/"
title = "{SITE_TITLE}"
# Only the four kinds of page every generator builds: no home, feeds, sitemap, tag pages.
disableKinds = ["home", "RSS", "sitemap", "robotsTXT", "404", "taxonomy", "term"]
[taxonomies]
"""

HUGO_BASE = """\
<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} | {{ site.Title }}</title></head>
<body><nav><a href="/people/">People</a> <a href="/timeline/">Timeline</a></nav>
<main>{{ block "main" . }}{{ end }}</main></body></html>
"""

HUGO_PERSON = """\
{{ define "main" }}<article><h1>{{ .Params.name }}</h1>
<p class="role">{{ .Params.role }}</p><p class="summary">{{ .Params.summary }}</p>
<ul class="orgs">{{ range .Params.organizations }}<li>{{ . }}</li>{{ end }}</ul>
<ul class="tags">{{ range .Params.topics }}<li>{{ . }}</li>{{ end }}</ul>
{{ .Content }}</article>{{ end }}
"""

HUGO_EVENT = """\
{{ define "main" }}<article><h1>{{ .Title }}</h1><p><time>{{ .Params.when }}</time></p>
<p class="summary">{{ .Params.summary }}</p>
<ul class="people">{{ range .Params.people }}{{ with site.GetPage (printf "/people/%s" .) }}\
<li><a href="{{ .RelPermalink }}">{{ .Params.name }}</a></li>{{ end }}{{ end }}</ul>
<ul class="orgs">{{ range .Params.organizations }}<li>{{ . }}</li>{{ end }}</ul>
{{ .Content }}
<ul class="sources">{{ range .Params.sources }}<li><a href="{{ .url }}">{{ .title }}</a></li>\
{{ end }}</ul></article>{{ end }}
"""

HUGO_PEOPLE = """\
{{ define "main" }}<h1>People</h1><ul>{{ range .Pages.ByParam "name" }}\
<li><a href="{{ .RelPermalink }}">{{ .Params.name }}</a> {{ .Params.role }}</li>{{ end }}\
</ul>{{ end }}
"""

HUGO_TIMELINE = """\
{{ define "main" }}<h1>Timeline</h1>\
{{ range (where site.RegularPages "Section" "events").GroupByParam "year" "asc" }}\
<section><h2>{{ .Key }}</h2><ol>{{ range .Pages.ByParam "sortkey" }}\
<li id="{{ .File.ContentBaseName }}"><time>{{ .Params.when }}</time> \
<a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Params.summary }}</li>{{ end }}</ol>\
</section>{{ end }}{{ end }}
"""


def write_hugo(corpus: Corpus, root: Path) -> None:
    fresh(root)
    write(root / "hugo.toml", HUGO_CONFIG)
    layouts = root / "layouts"
    write(layouts / "baseof.html", HUGO_BASE)
    write(layouts / "people/page.html", HUGO_PERSON)
    write(layouts / "people/section.html", HUGO_PEOPLE)
    write(layouts / "events/page.html", HUGO_EVENT)
    write(layouts / "timeline/section.html", HUGO_TIMELINE)
    content = root / "content"
    write(content / "people/_index.md", front_matter({"title": "People"}, ""))
    # No /events/ list page: the other generators have none.
    write(content / "events/_index.md", "---\nbuild:\n  render: never\n---\n")
    write(content / "timeline/_index.md", front_matter({"title": "Timeline"}, ""))
    for person in corpus.people:
        fields = {"title": person.name, **person_fields(person)}
        write(content / f"people/{person.slug}.md", front_matter(fields, person.body))
    for event in corpus.events:
        write(content / f"events/{event.slug}.md", front_matter(event_fields(event), event.body))


def hugo_person_path(root: Path, slug: str) -> Path:
    return root / "content/people" / f"{slug}.md"


# --- Eleventy -----------------------------------------------------------------------------

ELEVENTY_CONFIG = """\
// Collections sorted once here, and a slug -> person map for the event pages' names.
export default function (config) {
  config.addCollection("people", (api) =>
    api.getFilteredByGlob("./people/*.md").sort((a, b) => a.data.name.localeCompare(b.data.name)));
  config.addCollection("events", (api) =>
    api.getFilteredByGlob("./events/*.md")
      .sort((a, b) => (a.data.sortkey < b.data.sortkey ? -1 : a.data.sortkey > b.data.sortkey)));
  config.addCollection("personBySlug", (api) =>
    Object.fromEntries(api.getFilteredByGlob("./people/*.md").map((p) => [p.page.fileSlug, p])));
  // Bodies are Markdown only, as in the other generators: no Liquid pass over them.
  return { markdownTemplateEngine: false, htmlTemplateEngine: "njk",
           dir: { input: ".", includes: "_includes" } };
}
"""

ELEVENTY_BASE = """\
<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title or name }} | SITE_TITLE</title></head>
<body><nav><a href="/people/">People</a> <a href="/timeline/">Timeline</a></nav>
<main>{{ content | safe }}</main></body></html>
""".replace("SITE_TITLE", SITE_TITLE)

ELEVENTY_PERSON = """\
---
layout: base.njk
---
<article><h1>{{ name }}</h1>
<p class="role">{{ role }}</p><p class="summary">{{ summary }}</p>
<ul class="orgs">{% for o in organizations %}<li>{{ o }}</li>{% endfor %}</ul>
<ul class="tags">{% for t in topics %}<li>{{ t }}</li>{% endfor %}</ul>
{{ content | safe }}</article>
"""

ELEVENTY_EVENT = """\
---
layout: base.njk
---
<article><h1>{{ title }}</h1><p><time>{{ when }}</time></p>
<p class="summary">{{ summary }}</p>
<ul class="people">{% for slug in people %}{% set p = collections.personBySlug[slug] %}\
{% if p %}<li><a href="{{ p.url }}">{{ p.data.name }}</a></li>{% endif %}{% endfor %}</ul>
<ul class="orgs">{% for o in organizations %}<li>{{ o }}</li>{% endfor %}</ul>
{{ content | safe }}
<ul class="sources">{% for s in sources %}<li><a href="{{ s.url }}">{{ s.title }}</a></li>\
{% endfor %}</ul></article>
"""

ELEVENTY_PEOPLE = """\
---
layout: base.njk
title: People
permalink: /people/
---
<h1>People</h1><ul>{% for p in collections.people %}\
<li><a href="{{ p.url }}">{{ p.data.name }}</a> {{ p.data.role }}</li>{% endfor %}</ul>
"""

ELEVENTY_TIMELINE = """\
---
layout: base.njk
title: Timeline
permalink: /timeline/
---
<h1>Timeline</h1>{% for year, items in collections.events | groupby("data.year") %}\
<section><h2>{{ year }}</h2><ol>{% for e in items %}<li id="{{ e.page.fileSlug }}">\
<time>{{ e.data.when }}</time> <a href="{{ e.url }}">{{ e.data.title }}</a> \
{{ e.data.summary }}</li>{% endfor %}</ol></section>{% endfor %}
"""


def write_eleventy(corpus: Corpus, root: Path) -> None:
    fresh(root)
    write(root / "eleventy.config.mjs", ELEVENTY_CONFIG)
    write(root / "_includes/base.njk", ELEVENTY_BASE)
    write(root / "_includes/person.njk", ELEVENTY_PERSON)
    write(root / "_includes/event.njk", ELEVENTY_EVENT)
    write(root / "people-index.njk", ELEVENTY_PEOPLE)
    write(root / "timeline.njk", ELEVENTY_TIMELINE)
    # Directory data: the layout of every file in the folder (the default permalinks,
    # /people/<slug>/ and /events/<slug>/, are already the contract's addresses).
    write(root / "people/people.json", json.dumps({"layout": "person.njk"}))
    write(root / "events/events.json", json.dumps({"layout": "event.njk"}))
    for person in corpus.people:
        write(root / f"people/{person.slug}.md", front_matter(person_fields(person), person.body))
    for event in corpus.events:
        write(root / f"events/{event.slug}.md", front_matter(event_fields(event), event.body))


def eleventy_person_path(root: Path, slug: str) -> Path:
    return root / "people" / f"{slug}.md"


# --- Pelican ------------------------------------------------------------------------------

PELICAN_CONFIG = f"""\
SITENAME = "{SITE_TITLE}"
SITEURL = ""
PATH = "content"
THEME = "theme"
THEME_STATIC_PATHS = []
STATIC_PATHS = []
PAGE_PATHS = []
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_DATE = (2000, 1, 1)
# Each file names its category, `people` or `events` (a folder becomes a category only
# where category pages are written, and they are not).
ARTICLE_URL = "{{category}}/{{slug}}/"
ARTICLE_SAVE_AS = "{{category}}/{{slug}}/index.html"
# Only the four kinds of page every generator builds: no index, tag, category, author or
# archive pages, no feeds.
DIRECT_TEMPLATES = ["people_index", "timeline"]
PAGINATED_TEMPLATES = {{}}
PEOPLE_INDEX_SAVE_AS = "people/index.html"
TIMELINE_SAVE_AS = "timeline/index.html"
TAG_SAVE_AS = CATEGORY_SAVE_AS = AUTHOR_SAVE_AS = ""
TAGS_SAVE_AS = CATEGORIES_SAVE_AS = AUTHORS_SAVE_AS = ARCHIVES_SAVE_AS = ""
FEED_ALL_ATOM = CATEGORY_FEED_ATOM = TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None
# Pelican's own cache of read content: its warm build uses it, the cold build removes it.
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CACHE_PATH = "cache"
# Summaries stay plain text, as in the other generators (Pelican renders them as Markdown).
FORMATTED_FIELDS = []
PLUGIN_PATHS = ["plugins"]
PLUGINS = ["names"]
"""

# Event pages need people's names; a template cannot build that map once, a plugin can.
PELICAN_PLUGIN = """\
from pelican import signals


def add_names(generator):
    generator.context["person_names"] = {
        a.slug: a for a in generator.articles if a.category.name == "people"
    }


def register():
    signals.article_generator_finalized.connect(add_names)
"""

PELICAN_BASE = """\
<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{% block title %}{% endblock %} | {{ SITENAME }}</title></head>
<body><nav><a href="/people/">People</a> <a href="/timeline/">Timeline</a></nav>
<main>{% block main %}{% endblock %}</main></body></html>
"""

PELICAN_ARTICLE = """\
{% extends "base.html" %}{% block title %}{{ article.title }}{% endblock %}
{% block main %}{% if article.category.name == "people" %}
<article><h1>{{ article.title }}</h1>
<p class="role">{{ article.role }}</p><p class="summary">{{ article.summary }}</p>
<ul class="orgs">{% for o in article.organizations.split(", ") %}<li>{{ o }}</li>{% endfor %}</ul>
<ul class="tags">{% for t in article.tags %}<li>{{ t }}</li>{% endfor %}</ul>
{{ article.content }}</article>
{% else %}
<article><h1>{{ article.title }}</h1><p><time>{{ article.when }}</time></p>
<p class="summary">{{ article.summary }}</p>
<ul class="people">{% for slug in article.people.split(", ") %}\
{% set p = person_names.get(slug) %}{% if p %}<li><a href="/{{ p.url }}">{{ p.title }}</a></li>\
{% endif %}{% endfor %}</ul>
<ul class="orgs">{% for o in article.organizations.split(", ") %}<li>{{ o }}</li>{% endfor %}</ul>
{{ article.content }}
<ul class="sources">{% for s in article.sources.split(" ;; ") %}{% set t, u = s.split(" | ") %}\
<li><a href="{{ u }}">{{ t }}</a></li>{% endfor %}</ul></article>
{% endif %}{% endblock %}
"""

PELICAN_PEOPLE = """\
{% extends "base.html" %}{% block title %}People{% endblock %}
{% block main %}<h1>People</h1><ul>\
{% for p in articles | selectattr("category.name", "equalto", "people") \
| sort(attribute="title") %}\
<li><a href="/{{ p.url }}">{{ p.title }}</a> {{ p.role }}</li>{% endfor %}</ul>{% endblock %}
"""

PELICAN_TIMELINE = """\
{% extends "base.html" %}{% block title %}Timeline{% endblock %}
{% block main %}<h1>Timeline</h1>\
{% for year, items in articles | selectattr("category.name", "equalto", "events") \
| sort(attribute="sortkey") | groupby("year") %}<section><h2>{{ year }}</h2><ol>\
{% for e in items %}<li id="{{ e.slug }}"><time>{{ e.when }}</time> \
<a href="/{{ e.url }}">{{ e.title }}</a> {{ e.summary }}</li>{% endfor %}</ol></section>\
{% endfor %}{% endblock %}
"""


def pelican_metadata(fields: dict[str, str], body: str) -> str:
    # Pelican's Markdown reader takes `Key: value` lines, not YAML; lists are joined with
    # separators the templates split on again.
    return "".join(f"{key}: {value}\n" for key, value in fields.items()) + "\n" + body


def write_pelican(corpus: Corpus, root: Path) -> None:
    fresh(root)
    write(root / "pelicanconf.py", PELICAN_CONFIG)
    write(root / "plugins/names.py", PELICAN_PLUGIN)
    templates = root / "theme/templates"
    write(templates / "base.html", PELICAN_BASE)
    write(templates / "article.html", PELICAN_ARTICLE)
    write(templates / "people_index.html", PELICAN_PEOPLE)
    write(templates / "timeline.html", PELICAN_TIMELINE)
    for person in corpus.people:
        fields = {
            "Title": person.name,
            "Slug": person.slug,
            "Category": "people",
            "Role": person.role,
            "Summary": person.summary,
            "Organizations": ", ".join(person.organizations),
            "Tags": ", ".join(person.tags),
        }
        write(pelican_person_path(root, person.slug), pelican_metadata(fields, person.body))
    for event in corpus.events:
        fields = {
            "Title": event.title,
            "Slug": event.slug,
            "Category": "events",
            "Date": event.full_date,
            "When": event.date,
            "Year": event.year,
            "Sortkey": event.sort_key,
            "People": ", ".join(event.people),
            "Organizations": ", ".join(event.organizations),
            "Tags": ", ".join(event.tags),
            "Summary": event.summary,
            "Sources": " ;; ".join(f"{s['title']} | {s.get('url', '')}" for s in event.sources),
        }
        path = root / "content/events" / f"{event.slug}.md"
        write(path, pelican_metadata(fields, event.body))


def pelican_person_path(root: Path, slug: str) -> Path:
    return root / "content/people" / f"{slug}.md"


# --- chronicle with minimal templates -----------------------------------------------------

# The same site as chronicle's own run, with a `templates/` folder of its own: a file there
# replaces the theme's file of the same name (environment.make_environment), so every page below
# renders without the theme's macros, avatars, drawn timelines and metadata. The four kinds
# of page show what the peers' templates show; the other pages chronicle always builds
# (home, organizations, tags, free pages, 404, the filtered timelines, redirects) get the
# same treatment. Feeds, sitemap and robots.txt stay the theme's: they are small and plain.
# Dates are shown as written (PartialDate.iso), as the peers show them.

CHRONICLE_BASE = """\
<!doctype html>
<html lang="{{ html_lang(lang) }}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{% block title %}{{ site.settings.title }}{% endblock %}</title></head>
<body><nav><a href="{{ site.url('/people/') }}">{{ t.people }}</a> \
<a href="{{ site.url('/timeline/') }}">{{ t.timeline }}</a></nav>
<main>{% block main %}{% endblock %}</main></body></html>
"""

CHRONICLE_PERSON = """\
{% extends "base.html" %}
{% block title %}{{ person.name }} | {{ site.settings.title }}{% endblock %}
{% block main %}<article><h1>{{ person.name }}</h1>
<p class="role">{{ person.role or "" }}</p><p class="summary">{{ person.summary or "" }}</p>
<ul class="orgs">{% for a in person.organizations %}<li>{{ a.org.slug }}</li>{% endfor %}</ul>
<ul class="tags">{% for tag in person.tags %}<li>{{ tag }}</li>{% endfor %}</ul>
{{ site.body_html(person) | safe }}</article>{% endblock %}
"""

CHRONICLE_EVENT = """\
{% extends "base.html" %}
{% block title %}{{ event.title }} | {{ site.settings.title }}{% endblock %}
{% block main %}<article><h1>{{ event.title }}</h1><p><time>{{ event.date.iso() }}</time>\
{% if event.end %} – <time>{{ event.end.iso() }}</time>{% endif %}</p>
<p class="summary">{{ event.summary or "" }}</p>
<ul class="people">{% for p in site.people_links(event) %}\
<li>{% if p.url %}<a href="{{ p.url }}">{{ p.label }}</a>{% else %}{{ p.label }}{% endif %}</li>\
{% endfor %}</ul>
<ul class="orgs">{% for r in event.organizations %}<li>{{ r.slug }}</li>{% endfor %}</ul>
{{ site.body_html(event) | safe }}
<ul class="sources">{% for s in event.sources %}\
<li>{% if s.url %}<a href="{{ s.url }}">{{ s.title }}</a>{% else %}{{ s.title }}{% endif %}</li>\
{% endfor %}</ul></article>{% endblock %}
"""

CHRONICLE_PEOPLE = """\
{% extends "base.html" %}
{% block title %}{{ t.people }} | {{ site.settings.title }}{% endblock %}
{% block main %}<h1>{{ t.people }}</h1><ul>\
{% for p in site.people.values() | sort(attribute="name") %}\
<li><a href="{{ site.url_of(p) }}">{{ p.name }}</a> {{ p.role or "" }}</li>{% endfor %}\
</ul>{% endblock %}
"""

# /timeline/, and the same page narrowed to one person, organization or tag at
# /timeline/<kind>/<key>/ (chronicle always builds those: filter_kind and filter_key set).
CHRONICLE_TIMELINE = """\
{% extends "base.html" %}
{% set kind = filter_kind if filter_kind is defined else none %}
{% set key = filter_key if filter_key is defined else none %}
{% if kind == "tags" %}
{% set label = (site.tags | selectattr("key", "equalto", key) | first).label %}
{% elif kind %}
{% set label = site.ref(kind, key).label %}
{% endif %}
{% set heading = t["timeline_" ~ kind].format(name=label) if kind else t.timeline %}
{% block title %}{{ heading }} | {{ site.settings.title }}{% endblock %}
{% block main %}<h1>{{ heading }}</h1>\
{% for year, items in (filtered_events(site, kind, key) if kind else site.events) \
| groupby("date.year") %}<section><h2>{{ year }}</h2><ol>{% for e in items %}\
<li id="{{ e.slug }}"><time>{{ e.date.iso() }}</time> \
<a href="{{ site.url_of(e) }}">{{ e.title }}</a> {{ e.summary or "" }}</li>{% endfor %}</ol>\
</section>{% endfor %}{% endblock %}
"""

CHRONICLE_HOME = """\
{% extends "base.html" %}
{% block main %}<h1>{{ site.settings.title }}</h1>
{% if site.settings.description %}<p>{{ site.settings.description }}</p>{% endif %}
<h2>{{ t.featured_people }}</h2><ul>\
{% for p in site.people.values() | selectattr("featured") %}\
<li><a href="{{ site.url_of(p) }}">{{ p.name }}</a> {{ p.role or "" }}</li>{% endfor %}</ul>
<h2>{{ t.latest_events }}</h2><ol>\
{% for e in (site.events | reverse | list)[:site.settings.home_events] %}\
<li><time>{{ e.date.iso() }}</time> <a href="{{ site.url_of(e) }}">{{ e.title }}</a></li>\
{% endfor %}</ol>{% endblock %}
"""

CHRONICLE_ORGANIZATION = """\
{% extends "base.html" %}
{% block title %}{{ org.name }} | {{ site.settings.title }}{% endblock %}
{% block main %}<article><h1>{{ org.name }}</h1>
<p class="summary">{{ org.summary or "" }}</p>
{% if org.founded %}<p><time>{{ org.founded.iso() }}</time></p>{% endif %}
{% if org.url %}<p><a href="{{ org.url }}">{{ org.url }}</a></p>{% endif %}
<ul class="founders">{% for p in site.founders(org) %}\
<li>{% if p.url %}<a href="{{ p.url }}">{{ p.label }}</a>{% else %}{{ p.label }}{% endif %}</li>\
{% endfor %}</ul>
<ul class="tags">{% for tag in org.tags %}<li>{{ tag }}</li>{% endfor %}</ul>
{{ site.body_html(org) | safe }}</article>{% endblock %}
"""

CHRONICLE_ORGANIZATIONS = """\
{% extends "base.html" %}
{% block title %}{{ t.organizations }} | {{ site.settings.title }}{% endblock %}
{% block main %}<h1>{{ t.organizations }}</h1><ul>\
{% for o in site.organizations.values() | sort(attribute="name") %}\
<li><a href="{{ site.url_of(o) }}">{{ o.name }}</a></li>{% endfor %}</ul>{% endblock %}
"""

CHRONICLE_TAG = """\
{% extends "base.html" %}
{% block title %}{{ t.tagged.format(tag=tag.label) }} | {{ site.settings.title }}{% endblock %}
{% block main %}<h1>{{ t.tagged.format(tag=tag.label) }}</h1><ul>\
{% for e in site.tagged(tag) %}<li><a href="{{ site.url_of(e) }}">{{ e.label }}</a></li>\
{% endfor %}</ul>{% endblock %}
"""

CHRONICLE_TAGS = """\
{% extends "base.html" %}
{% block title %}{{ t.tags }} | {{ site.settings.title }}{% endblock %}
{% block main %}<h1>{{ t.tags }}</h1><ul>{% for tag in site.tags %}\
<li><a href="{{ site.url('/tags/' ~ tag.key ~ '/') }}">{{ tag.label }}</a></li>{% endfor %}\
</ul>{% endblock %}
"""

CHRONICLE_PAGE = """\
{% extends "base.html" %}
{% block title %}{{ page.title }} | {{ site.settings.title }}{% endblock %}
{% block main %}<article><h1>{{ page.title }}</h1>
{{ site.body_html(page) | safe }}</article>{% endblock %}
"""

CHRONICLE_404 = """\
{% extends "base.html" %}
{% block title %}{{ t.not_found }} | {{ site.settings.title }}{% endblock %}
{% block main %}<h1>{{ t.not_found }}</h1><p>{{ t.not_found_text }}</p>
<p><a href="{{ site.url('/') }}">{{ t.go_home }}</a></p>{% endblock %}
"""

# Only written for an alias in front matter (the generated corpus has none).
CHRONICLE_REDIRECT = """\
<!doctype html>
<html lang="{{ html_lang(lang) }}"><head><meta charset="utf-8">
<title>{{ site.settings.title }}</title>
<meta http-equiv="refresh" content="0; url={{ site.url(target) }}"></head>
<body><p><a href="{{ site.url(target) }}">{{ site.absolute(target) }}</a></p></body></html>
"""

# Every page template that jobs.site_jobs uses. Not here: search.html (only for
# `build --search`, which the benchmark does not run; it extends base.html, so it would
# take this one), macros.html and search-box.html (only the theme's own pages use them),
# and the feeds, sitemaps and robots.txt (kept as the theme has them).
CHRONICLE_TEMPLATES = {
    "base.html": CHRONICLE_BASE,
    "person.html": CHRONICLE_PERSON,
    "event.html": CHRONICLE_EVENT,
    "people.html": CHRONICLE_PEOPLE,
    "timeline.html": CHRONICLE_TIMELINE,
    "home.html": CHRONICLE_HOME,
    "organization.html": CHRONICLE_ORGANIZATION,
    "organizations.html": CHRONICLE_ORGANIZATIONS,
    "tag.html": CHRONICLE_TAG,
    "tags.html": CHRONICLE_TAGS,
    "page.html": CHRONICLE_PAGE,
    "404.html": CHRONICLE_404,
    "redirect.html": CHRONICLE_REDIRECT,
}


def write_chronicle_minimal(corpus_dir: Path, root: Path) -> None:
    """A copy of the generated site (content and site.toml, not its build cache) with the
    minimal templates in its own templates/ folder."""
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(corpus_dir, root, ignore=shutil.ignore_patterns(".cache"))
    for name, text in CHRONICLE_TEMPLATES.items():
        write(root / "templates" / name, text)


def chronicle_minimal_person_path(root: Path, slug: str) -> Path:
    return root / "content/people" / f"{slug}.md"
