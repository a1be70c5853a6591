"""Site search with Pagefind (`build --search`): a search page in every language, a search box
in the masthead, and a Pagefind index per language.

What is indexed is not the pages as the theme lays them out but one small document per
entry, written from the content: its name or title, role, summary, dates, place, the names
it refers to, its tags and its body. So the index holds no navigation or footer text, does
not change when the theme is redesigned, and carries the filters (kind, year) without any
template having to print them. Each document sits at its page's path, so Pagefind gives
each result the page's address; `<html lang>` puts it in its language's index.

Pagefind runs as a separate program (`python -m pagefind`, the binary of the pinned
`pagefind[extended]` wheel, whose extended build segments Chinese text). The build reads the
bundle it writes into memory and adds it to the files to write, so a failed index stops
the build before anything is written and the previous output stays as it was. The preview
server indexes in the background instead (`BackgroundIndex`), only when the documents
changed, so a rebuild is never slowed down by it.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import NamedTuple

import jinja2

from chronicle.errors import ChronicleError, ExitCode, Hint, Report
from chronicle.model.i18n import html_lang
from chronicle.model.localize import LocalSite, body_token, route
from chronicle.reading.content import Entry, Event, Organization, Page, Person
from chronicle.rendering.exports import content_key
from chronicle.rendering.jobs import PageJob
from chronicle.rendering.problems import template_problem
from chronicle.rendering.render import Renderer
from chronicle.writing.plan import Plan

BUNDLE = "pagefind"  # the bundle's folder in the output, reserved in model.RESERVED
SEARCH_PATH = "/search/"
# Filter values are the same in every language; the search page shows them translated.
KIND_OF = {"people": "person", "organizations": "organization", "events": "event", "pages": "page"}
MAX_YEARS = 200  # a filter value per year: a range over millennia would bloat the index
TIMEOUT = 600.0  # seconds: far beyond what Pagefind needs for a large site

# Han, kana and Hangul: scripts written without spaces between words. Compiled when first
# needed (by re's own cache): its ranges are slow to compile, and builds without search
# would pay for it too.
_CJK = r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]"


class SearchError(ChronicleError):
    """Pagefind failed; nothing was written."""

    exit_code = ExitCode.CONTENT


# -- the search page and the search box -----------------------------------------------


def enable(renderer: Renderer) -> None:
    """Let templates show the search box (`search-box.html` checks `search_enabled`)."""
    renderer.env.globals["search_enabled"] = True


def render_pages(renderer: Renderer) -> tuple[dict[str, bytes], Report]:
    """The search page of every language, or the template problems that stopped one."""
    pages: dict[str, bytes] = {}
    report = Report()
    years = _all_years(next(iter(renderer.locals.values())))
    for job in search_jobs(renderer, years):
        try:
            pages[job.output] = renderer.render(job).encode("utf-8")
        except jinja2.TemplateError as exc:
            location, message = template_problem(exc, renderer.site_root, job)
            report.error(location, message, Hint("template"))
    return pages, report


def search_jobs(renderer: Renderer, years: list[int]) -> Iterator[PageJob]:
    for lang, local in renderer.locals.items():
        prefix = "" if lang == local.default_lang else f"{lang}/"
        context = {"years": years, "kinds": list(KIND_OF.values())}
        yield PageJob(f"{prefix}search/index.html", "search.html", SEARCH_PATH, lang, context)


# -- the documents Pagefind indexes ---------------------------------------------------


class Documents(NamedTuple):
    """The documents made for one state of the content: kept by a build's memory
    (incremental.memory), so that a rebuild in which no entry changed reuses them."""

    key: object
    docs: dict[str, bytes]  # by the output path of each entry's page


def documents(renderer: Renderer, kept: Documents | None = None) -> Documents:
    """One HTML document per entry and language, at the output path of the entry's page;
    `kept` itself when it was made for the same entries and bodies."""
    # The documents hold the bodies too, which the exports' key leaves out.
    bodies = tuple(
        body_token(entry)
        for local in renderer.locals.values()
        for table in (local.people, local.organizations, local.events_by_slug, local.pages)
        for entry in table.raw().values()
    )
    key = (content_key(renderer.locals), bodies)
    if kept is not None and kept.key == key:
        return kept
    return Documents(key, _documents(renderer))


def _documents(renderer: Renderer) -> dict[str, bytes]:
    docs: dict[str, bytes] = {}
    originals: dict[tuple[str, str], str] = {}  # the default language's names
    for lang, local in renderer.locals.items():
        prefix = "" if lang == local.default_lang else f"{lang}/"
        for entry in _entries(local):
            if lang == local.default_lang:
                originals[entry.kind, entry.slug] = entry.label
            path = prefix + route(entry).strip("/") + "/index.html"
            original = originals.get((entry.kind, entry.slug))
            docs[path] = document(local, entry, original).encode("utf-8")
    return docs


def _entries(local: LocalSite) -> Iterator[Entry]:
    yield from local.people.raw().values()
    yield from local.organizations.raw().values()
    yield from local.events.raw()
    yield from local.pages.raw().values()


def document(local: LocalSite, entry: Entry, original: str | None = None) -> str:
    """The searchable text of one entry, with its filters and the metadata results show.

    `original` is the entry's name in the default language, which a reader of a
    translation may type too.
    """
    e = html.escape
    kind = KIND_OF[entry.kind]
    # A person's or organization's own name weighs more than the same name in an event's
    # title, so that searching for a name finds its page first.
    weight = ' data-pagefind-weight="10"' if kind in ("person", "organization") else ""
    body = [f'<h1 data-pagefind-meta="title"{weight}>{e(entry.label)}</h1>']
    body += [f"<p>{e(text)}</p>" for text in _facts(local, entry) if text]
    summary = getattr(entry, "summary", None)
    if summary:
        body.append(f'<p data-pagefind-meta="summary">{e(summary)}</p>')
    body.append(local.body_html(entry))
    body += [f"<p>{e(text)}</p>" for text in _other_names(entry, original)]
    # Filters and metadata that are not text of the page: inline values, nothing indexed.
    marks = [f'<span data-pagefind-filter="kind:{kind}"></span>']
    marks += [f'<span data-pagefind-filter="year:{year}"></span>' for year in _years(local, entry)]
    marks.append(f'<span data-pagefind-meta="kind:{kind}"></span>')
    if isinstance(entry, Event):
        date = local.dates.format_range(entry.date, entry.end, local.lang)
        marks.append(f'<span data-pagefind-meta="date:{e(date)}"></span>')
    return (
        f'<!DOCTYPE html>\n<html lang="{e(html_lang(local.lang))}">\n<head><meta charset="utf-8">'
        f"<title>{e(entry.label)}</title></head>\n<body>\n<main data-pagefind-body>\n"
        + "\n".join(body)
        + "\n</main>\n"
        + "".join(marks)
        + "\n</body>\n</html>\n"
    )


def _facts(local: LocalSite, entry: Entry) -> list[str | None]:
    """The short texts a page shows about its entry, besides the name and the body; names
    listed as the language lists them in a sentence."""
    listed = partial(local.dates.format_list, lang=local.lang)
    if isinstance(entry, Person):
        ties = local.model.memberships_of_person(entry.slug)
        orgs = [local.ref("organizations", tie.org).label for tie in ties]
        return [entry.role, listed(orgs), listed(_tags(local, entry))]
    if isinstance(entry, Organization):
        founders = [link.label for link in local.founders(entry)]
        return [listed(founders), listed(_tags(local, entry))]
    if isinstance(entry, Event):
        names = [link.label for link in [*local.people_links(entry), *local.org_links(entry)]]
        sources = [source.title for source in entry.sources]
        return [
            local.dates.format_range(entry.date, entry.end, local.lang),
            entry.location_text,
            listed(names),
            listed(_tags(local, entry)),
            " · ".join(sources),  # titles, which may hold commas of their own
        ]
    return [listed(_tags(local, entry))] if isinstance(entry, Page) else []


def _tags(local: LocalSite, entry: Entry) -> list[str]:
    """The entry's tags by their names in the index's language."""
    return [tag.label for tag in local.tags_of(entry)]


def _other_names(entry: Entry, original: str | None) -> list[str]:
    """Other forms of the name that a reader may type.

    The Chinese index is cut into words by a dictionary, and the browser cuts the query by
    another: a transliterated name such as 巴布什金 may come out as 巴|布什|金 on one side
    and 巴|布|什|金 on the other, and then never match. The name once more with its Han
    characters apart puts each of them in the index as a word of its own. A translated
    entry also answers to its name in the default language.
    """
    found = []
    if re.search(_CJK, entry.label):
        found.append(spaced(entry.label))
    if original and original != entry.label:
        found.append(original)
    return found


def spaced(text: str) -> str:
    """Han, kana and Hangul characters set apart by spaces: `伊戈爾 Igor` -> `伊 戈 爾 Igor`."""
    return re.sub(f"(?<={_CJK})(?={_CJK})", " ", text)


def _years(local: LocalSite, entry: Entry) -> list[int]:
    """The years an entry belongs to: an event's span, an organization's founding, the
    years of a person's events."""
    if isinstance(entry, Event):
        last = (entry.end or entry.date).year
        return list(range(entry.date.year, min(last, entry.date.year + MAX_YEARS - 1) + 1))
    if isinstance(entry, Organization):
        return [entry.founded.year] if entry.founded else []
    if isinstance(entry, Person):
        events = local.model.events_of_person.get(entry.slug, [])
        return sorted({year for event in events for year in _years(local, event)})[:MAX_YEARS]
    return []


def _all_years(local: LocalSite) -> list[int]:
    """Every year a filter can take, newest first, for the search form."""
    years: set[int] = set()
    for entry in _entries(local):
        years.update(_years(local, entry))
    return sorted(years, reverse=True)


# -- running Pagefind -----------------------------------------------------------------


def index(plan: Plan, docs: Mapping[str, bytes]) -> Plan:
    """The plan with the Pagefind bundle added under /pagefind/ (unchanged without entries:
    Pagefind refuses an empty site, and the search page then says there is nothing yet)."""
    if not docs:
        return plan
    with tempfile.TemporaryDirectory(prefix="chronicle-search-") as tmp:
        bundle = run_pagefind(docs, Path(tmp))
        files = {f"{BUNDLE}/{rel}": (bundle / rel).read_bytes() for rel in _files(bundle)}
    return replace(plan, rendered={**plan.rendered, **files})


def run_pagefind(docs: Mapping[str, bytes], workdir: Path) -> Path:
    """Write the documents under `workdir`, index them; returns the bundle's folder."""
    site, bundle = workdir / "site", workdir / "bundle"
    for rel, data in docs.items():
        target = site / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-path", str(bundle)]
    # Pagefind also reads settings from PAGEFIND_* variables and from a pagefind.yml in its
    # working folder: neither may change what the build writes.
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}
    try:
        done = subprocess.run(
            [*command, "--quiet"],
            cwd=workdir,
            env=env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SearchError(f"could not run Pagefind to index the site for search: {exc}") from exc
    if done.returncode != 0 or not (bundle / "pagefind.js").is_file():
        output = (done.stdout + done.stderr).strip().splitlines()[-5:]
        raise SearchError(
            "Pagefind could not index the site for search (exit status "
            f"{done.returncode}): " + " / ".join(output)
        )
    return bundle


def _files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def digest(docs: Mapping[str, bytes]) -> str:
    """Equal digests, equal documents: the preview skips indexing what it already indexed."""
    hashed = hashlib.blake2b(digest_size=16)
    for rel in sorted(docs):
        hashed.update(rel.encode() + b"\0" + hashlib.blake2b(docs[rel]).digest())
    return hashed.hexdigest()


class BackgroundIndex:
    """Keeps `<folder>/pagefind/` equal to the latest documents, off the rebuild's thread.

    Documents handed over while an index runs replace each other: only the latest is
    indexed next. The new bundle is written beside the old one and takes its place by
    renames, so the preview never serves half an index.
    """

    def __init__(self, folder: Path, tell: Callable[[str], None]) -> None:
        self.folder = folder
        self.tell = tell
        self._lock = threading.Lock()
        self._pending: Mapping[str, bytes] | None = None
        self._digest = ""
        self._thread: threading.Thread | None = None
        self.runs = 0  # indexes written, for tests

    def update(self, docs: Mapping[str, bytes]) -> bool:
        """Index `docs` soon, unless they are what was last indexed; True when scheduled."""
        new = digest(docs)
        with self._lock:
            if new == self._digest:
                return False
            self._digest, self._pending = new, docs
            if self._thread is None:
                self._thread = threading.Thread(target=self._work, daemon=True)
                self._thread.start()
        return True

    def wait(self, timeout: float = TIMEOUT) -> None:
        """Until no index is running or waiting (for tests and shutdown)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if self._thread is None:
                    return
            time.sleep(0.02)

    def _work(self) -> None:
        while True:
            with self._lock:
                docs, self._pending = self._pending, None
                if docs is None:
                    self._thread = None
                    return
            self._index(docs)

    def _index(self, docs: Mapping[str, bytes]) -> None:
        started = time.perf_counter()
        try:
            if docs:
                self._replace(docs)
            self.runs += 1
        except (SearchError, OSError) as exc:
            with self._lock:
                self._digest = ""  # try again on the next rebuild
            self.tell(f"search index not updated: {exc}")
            return
        seconds = time.perf_counter() - started
        self.tell(f"search index: {len(docs)} documents in {seconds * 1000:.0f} ms")

    def _replace(self, docs: Mapping[str, bytes]) -> None:
        with tempfile.TemporaryDirectory(prefix=".search-", dir=self.folder.parent) as tmp:
            bundle = run_pagefind(docs, Path(tmp))
            target = self.folder / BUNDLE
            aside = Path(tmp) / "previous"
            if target.exists():
                target.rename(aside)  # removed with the temporary folder
            bundle.rename(target)
