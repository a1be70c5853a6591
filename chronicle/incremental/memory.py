"""What a build keeps for the next one, in one object.

The stages take the part they use from a `Memory` passed to them, or work from nothing
without one. The preview keeps one Memory for its life (`Memory.for_preview`); a command-line
build gets one from the state the previous build saved (`remember.recall`), and puts back
into that state what the next build should find.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from chronicle.incremental.deps import RenderCache
from chronicle.incremental.files import FileCache
from chronicle.incremental.models import ModelCache
from chronicle.media.cards import CardMemory
from chronicle.media.images import ImageMemory
from chronicle.model.i18n import Dates
from chronicle.rendering.exports import Made
from chronicle.rendering.search import Documents

if TYPE_CHECKING:
    from chronicle.incremental.state import State


@dataclass
class Memory:
    files: FileCache = field(default_factory=FileCache)  # parsed content files
    pages: RenderCache | None = None  # rendered pages and what each one read
    models: ModelCache | None = None  # the site model (the preview only)
    exports: Made | None = None  # the data exports, by the content they were made from
    cards: CardMemory = field(default_factory=CardMemory)
    images: ImageMemory = field(default_factory=ImageMemory)
    dates: Dates = field(default_factory=Dates)  # dates formatted so far
    search: Documents | None = None  # what Pagefind indexed (build --search, serve --search)
    # The saved state this memory came from, which the build fills for the next one.
    state: State | None = None

    @classmethod
    def for_preview(cls) -> Memory:
        """A long-lived process's: files watched, the model and the pages kept too."""
        return cls(FileCache(watched=True), RenderCache(), ModelCache())

    @classmethod
    def of_state(cls, state: State) -> Memory:
        return cls(
            state.files,
            state.pages,
            exports=state.exports,
            cards=CardMemory.restored(state.cards),
            dates=Dates(state.dates),
            state=state,
        )

    def keep(self) -> None:
        """Put what this build made into the state it came from, for the next build."""
        if self.state is not None:
            self.state.exports = self.exports
            self.state.cards = self.cards.saved()
            self.state.dates = self.dates.kept()
