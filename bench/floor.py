"""The floor of bench/compare.py: the least any Python build of this corpus could do.

    python bench/floor.py SITE OUT MANIFEST

Reads every file under SITE/content, then writes into OUT the files listed in MANIFEST (a
JSON list of [relative path, size], taken from chronicle's own output) with those sizes.
Nothing is parsed or rendered: what is left is interpreter start-up and file-system work,
the part of a build no optimization of the pipeline can remove.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main() -> None:
    site, out, manifest = (Path(arg) for arg in sys.argv[1:4])
    read = 0
    for path in (site / "content").rglob("*"):
        if path.is_file():
            read += len(path.read_bytes())
    files: list[tuple[str, int]] = json.loads(manifest.read_text(encoding="utf-8"))
    # One buffer sliced for every file: producing the bytes costs nothing, writing them all.
    largest = max((size for _, size in files), default=0)
    data = memoryview(b"x" * largest)
    made: set[Path] = set()
    for rel, size in files:
        target = out / rel
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_bytes(data[:size])
    print(f"read {read} bytes; wrote {len(files)} files", file=sys.stderr)


if __name__ == "__main__":
    main()
