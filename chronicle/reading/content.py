"""The content as read: one typed entry per person, organization, event and page.

Entries are what the reading stage hands on; a translation is kept beside its original,
which it overrides in text only. Nothing here knows files or YAML: see loader.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from chronicle.errors import Location, Problem
from chronicle.reading.aliases import Alias
from chronicle.reading.dates import PartialDate
from chronicle.reading.fields import Affiliation, Ref, Source

if TYPE_CHECKING:
    from chronicle.reading.tagnames import TagNames


class RoleText(NamedTuple):
    """One item of a translation's `organizations`: the same organization (and dates, if
    given) as the original's item at its position, with a role in the translation's language."""

    org: str
    role: str | None
    start: PartialDate | None
    end: PartialDate | None
    at: Location  # where the item's `org` (or slug) was written
    start_at: Location | None = None
    end_at: Location | None = None


class LinkText(NamedTuple):
    """One of a translation's `links`: its own label for one of the original's URLs."""

    url: str
    label: str
    at: Location


@dataclass(kw_only=True)
class Translation:
    location: Location
    text: dict[str, str]
    body: str | None
    source_titles: list[str]
    sources_location: Location | None = None
    # A translated source's own URL, by position (None: the original's URL).
    source_urls: list[str | None] = field(default_factory=list)
    roles: list[RoleText] = field(default_factory=list)  # by position, see RoleText
    links: list[LinkText] = field(default_factory=list)
    item_slug: str | None = None  # for an item of a translated YAML list
    body_line: int = 1  # file line of the body's first line, for link errors
    version: str = ""  # changes whenever the file's bytes do (see Entry.version)
    body_version: str = ""  # changes whenever the body does (see Entry.body_version)
    generated_from: str | None = None  # the language it was converted from, if generated


@dataclass(kw_only=True)
class Entry:
    kind: str
    slug: str
    location: Location  # the file, or the item in a YAML list
    draft: bool = False
    tags: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1
    translations: dict[str, Translation] = field(default_factory=dict)
    aliases: list[Alias] = field(default_factory=list)  # old addresses that redirect here
    lang: str = ""  # the language the text is in; set when the model localizes an entry
    slug_at: Location | None = field(default=None, compare=False)  # where the slug was set
    # A hash of the entry's file without its Markdown body, and the entry's place in the
    # file: equal versions, equal fields. The body has its own hash, so that editing a
    # biography re-renders the pages that show it, not every list that names the person.
    version: str = field(default="", compare=False)
    body_version: str = field(default="", compare=False)

    @property
    def label(self) -> str:
        raise NotImplementedError


@dataclass(kw_only=True)
class Person(Entry):
    name: str
    role: str | None = None
    summary: str | None = None
    photo: str | None = None
    photo_at: Location | None = field(default=None, compare=False)
    organizations: list[Affiliation] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)
    featured: bool = False

    @property
    def label(self) -> str:
        return self.name


@dataclass(kw_only=True)
class Organization(Entry):
    name: str
    founded: PartialDate | None = None
    founders: list[Ref] = field(default_factory=list)
    url: str | None = None
    summary: str | None = None

    @property
    def label(self) -> str:
        return self.name


@dataclass(kw_only=True)
class Event(Entry):
    title: str
    date: PartialDate
    end: PartialDate | None = None
    people: list[Ref] = field(default_factory=list)
    organizations: list[Ref] = field(default_factory=list)
    location_text: str | None = None
    summary: str | None = None
    sources: list[Source] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.title

    @property
    def sort_key(self) -> tuple[tuple[int, int, int], str]:
        return (self.date.sort_key, self.slug)


@dataclass(kw_only=True)
class Page(Entry):
    title: str
    summary: str | None = None

    @property
    def label(self) -> str:
        return self.title


@dataclass
class Content:
    people: list[Person] = field(default_factory=list)
    organizations: list[Organization] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)
    media: list[str] = field(default_factory=list)  # paths relative to content/media/
    # Files that could not be read, as (kind, the slug their name gives): references to
    # them are not "unknown", only unresolved until the file's own error is fixed.
    unread: set[tuple[str, str]] = field(default_factory=set)
    # Kinds whose folder could not be read (a link out, a file): one error says so, and
    # references to that kind are left unresolved without an error each.
    unread_kinds: set[str] = field(default_factory=set)
    tag_names: TagNames | None = None  # content/tags.yaml, read anew on every load
    # Made by patching the previous run's content (incremental.files.patch_last): that content, and
    # each entry replaced, as (old, new). The model then looks at those alone.
    based_on: Content | None = field(default=None, compare=False, repr=False)
    replaced: list[tuple[Entry, Entry]] = field(default_factory=list, compare=False, repr=False)

    def entries(self) -> list[Entry]:
        return [*self.people, *self.organizations, *self.events, *self.pages]


class Parsed(NamedTuple):
    """What one file yields on its own; cached while the file is unchanged (a tuple: the
    state holds one per file)."""

    entries: tuple[Entry, ...] = ()
    translations: tuple[Translation, ...] = ()
    problems: tuple[Problem, ...] = ()


EntryT = TypeVar("EntryT", bound="Entry | Translation")


def copy_entry(entry: EntryT, **changes: Any) -> EntryT:
    """A shallow copy with some fields changed. Much faster than dataclasses.replace, which
    runs __init__: a build copies every entry once per language."""
    new = object.__new__(type(entry))
    new.__dict__.update(entry.__dict__)
    new.__dict__.update(changes)
    return new
