"""The tables and the goals that bench/compare.py prints (and docs/performance.md shows)."""

from __future__ import annotations

import os
import statistics
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bench.compare import Phase

TITLES = {
    "like": "like-for-like corpus (cards off, summaries; chronicle-minimal: minimal templates)",
    "default": "default corpus (social cards on, no summaries, the full theme)",
}
COLUMNS = (("cold", "cold"), ("warm", "warm"), ("edit", "one edit"), ("deploy", "deploy"))

Check = Callable[[float], bool]
# label, target, check (None: shown, no goal), wall (or the value), CPU (or None)
Row = tuple[str, str, Check | None, float | None, float | None]


def fmt(value: float | None, digits: int = 2) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None or b == 0 else a / b


def peak(phase: Phase, name: str) -> float | None:
    """A cold build's peak memory, summed over its processes (ru_maxrss in older results)."""
    summed = phase.median(name, "cold", "peak_mb")
    return summed if summed else phase.median(name, "cold", "rss_mb")


def times(phase: Phase) -> list[str]:
    modes = [(m, label) for m, label in COLUMNS if any(phase.ran(g, m) for g in phase.samples)]
    head = " | ".join(label for _, label in modes)
    lines = [
        f"### {TITLES.get(phase.corpus, phase.corpus)}, N = {phase.people:,}\n",
        f"| generator | files | MB written | {head} | peak MiB |",
        "|---|---:|---:|" + "---:|" * len(modes) + "---:|",
    ]
    for name in phase.samples:
        files, size = phase.sizes.get(name, (0, 0))
        cells = []
        for mode, _ in modes:
            if phase.ran(name, mode):
                wall, cpu = phase.median(name, mode, "wall"), phase.median(name, mode, "cpu")
                cells.append(f"{fmt(wall)} / {fmt(cpu)}")
            else:
                cells.append("= cold" if mode in ("warm", "edit") else "")
        row = f"| {name} | {files:,} | {size / 1e6:.0f} | " + " | ".join(cells)
        lines.append(row + f" | {fmt(peak(phase, name), 0)} |")
    return lines


def both(phase: Phase, a: str, am: str, b: str, bm: str) -> tuple[float | None, float | None]:
    return (
        ratio(phase.median(a, am, "wall"), phase.median(b, bm, "wall")),
        ratio(phase.median(a, am, "cpu"), phase.median(b, bm, "cpu")),
    )


def phase_goals(phase: Phase) -> list[Row]:
    """The goals within one corpus at one N, for each chronicle measured."""
    rows: list[Row] = []
    at = f"{phase.corpus}, N = {phase.people:,}:"
    chronicles = [c for c in ("chronicle", "chronicle-minimal") if c in phase.samples]
    for c in chronicles:
        if phase.corpus == "like":
            rows += [
                (f"{at} {c} cold / Hugo cold", "≤ 1.0", lambda x: x <= 1.0,
                 *both(phase, c, "cold", "hugo", "cold")),
                (f"{at} Eleventy cold / {c} cold", "≥ 3", lambda x: x >= 3,
                 *both(phase, "eleventy", "cold", c, "cold")),
                (f"{at} Pelican cold / {c} cold", "≥ 3", lambda x: x >= 3,
                 *both(phase, "pelican", "cold", c, "cold")),
            ]  # fmt: skip
        else:
            rows.append((f"{at} {c} cold / Hugo cold", "", None,
                         *both(phase, c, "cold", "hugo", "cold")))  # fmt: skip
        rows += [
            (f"{at} {c} warm / Hugo cold", "≤ 0.25", lambda x: x <= 0.25,
             *both(phase, c, "warm", "hugo", "cold")),
            (f"{at} {c} warm / floor", "≤ 2", lambda x: x <= 2,
             *both(phase, c, "warm", "floor", "cold")),
        ]  # fmt: skip
        if phase.ran(c, "edit"):
            edit = phase.median(c, "edit", "wall"), phase.median(c, "edit", "cpu")
            rows.append((f"{at} {c} one edit, seconds", "< 0.5 s", lambda x: x < 0.5, *edit))
        memory = ratio(peak(phase, c), peak(phase, "hugo"))
        rows.append((f"{at} {c} peak memory / Hugo's", "< 1", lambda x: x < 1, memory, None))
    if phase.ran("chronicle", "deploy"):
        deploy = both(phase, "chronicle", "deploy", "chronicle-cards-off", "cold")
        rows.append((f"{at} deploy / cold with cards off", "≤ 1.1", lambda x: x <= 1.1, *deploy))
    return rows


def growth_goals(small: Phase, large: Phase) -> list[Row]:
    """A larger N against the baseline, on the same corpus."""
    at = f"{large.corpus}, N = {large.people:,}:"
    limit = 1.1 * large.people / small.people
    cold = large.median("chronicle", "cold", "wall"), large.median("chronicle", "cold", "cpu")
    base = small.median("chronicle", "cold", "wall"), small.median("chronicle", "cold", "cpu")
    return [
        (f"{at} chronicle cold, seconds", "", None, *cold),
        (
            f"{at} chronicle cold / cold at N = {small.people:,}",
            f"≤ {limit:.1f}",
            lambda x: x <= limit,
            ratio(cold[0], base[0]),
            ratio(cold[1], base[1]),
        ),
    ]


def goals(phases: list[Phase]) -> list[Row]:
    rows: list[Row] = []
    for phase in phases:
        smaller = [p for p in phases if p.corpus == phase.corpus and p.people < phase.people]
        if smaller:
            rows += growth_goals(min(smaller, key=lambda p: p.people), phase)
        rows += phase_goals(phase)
    return rows


def report(phases: list[Phase], command: str, memory: str) -> str:
    lines = [f"command: .venv/bin/python {command}"]
    stamps = sorted(
        {s.code for p in phases for ms in p.samples.values() for ss in ms.values() for s in ss}
        - {""}
    )
    lines.append(f"chronicle sources: {', '.join(stamps) or 'n/a'}")
    how = {"pss": "sampled PSS", "cgroup": "a cgroup's memory.peak"}.get(memory, "ru_maxrss")
    lines.append(
        f"medians; times are wall / CPU seconds; peak MiB: a cold build's, summed over its "
        f"processes ({how})\n"
    )
    for phase in phases:
        lines += [*times(phase), ""]
    lines += [
        "### Goals (pass or fail on wall time)\n",
        "| goal | target | measured (wall / CPU) | pass |",
        "|---|---|---:|---|",
    ]
    for label, target, check, wall, cpu in goals(phases):
        met = "" if check is None else "n/a" if wall is None else "pass" if check(wall) else "FAIL"
        value = fmt(wall) if cpu is None else f"{fmt(wall)} / {fmt(cpu)}"
        lines.append(f"| {label} | {target or '—'} | {value} | {met} |")
    if len(stamps) > 1:
        lines.append(
            f"\nWarning: chronicle's sources changed during the runs ({len(stamps)} versions "
            "measured): the medians mix them; see results.json (`code`) for which run was which."
        )
    loads = [s.load for p in phases for ms in p.samples.values() for ss in ms.values() for s in ss]
    if loads:
        lines.append(
            f"\nLoad average at the start of the runs: median {statistics.median(loads):.1f}, "
            f"max {max(loads):.1f}, on {os.cpu_count()} cores (above the core count, wall "
            "times include waiting for other work; CPU seconds do not)."
        )
    return "\n".join(lines)
