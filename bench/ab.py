"""Two versions of chronicle, one after the other on copies of one corpus: edit builds (or
cold builds) timed in alternation, so that the machine's load falls on both alike.

    .venv/bin/python bench/ab.py 8b1a3b3 HEAD                # one edit, then a build; 9 rounds
    .venv/bin/python bench/ab.py HEAD~1 HEAD --mode cold --rounds 3
    .venv/bin/python bench/ab.py HEAD~1 HEAD --mode cold --minimal   # chronicle-minimal

Each version is taken with `git archive` into --work (tmpfs by default) and compiled, as pip
would install it; each gets its own copy of the corpus (bench/generate.py) and output, so
that its remembered state is its own. Prints every run, then the medians of wall and CPU
seconds and their ratios (CPU moves far less with the load of a shared machine).
"""

from __future__ import annotations

import argparse
import io
import resource
import shutil
import statistics
import subprocess
import sys
import tarfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from bench import peers  # noqa: E402
from bench.generate import generate  # noqa: E402

EDITED = "content/people/person-1.md"


def checkout(rev: str, into: Path) -> None:
    # The default theme sits at the top of the project where the version has it there.
    listed = subprocess.run(
        ["git", "ls-tree", "--name-only", rev], cwd=PROJECT, capture_output=True, check=True
    ).stdout.decode()
    theme = ("templates", "static", "i18n")
    parts = ["chronicle", "build.py", *(p for p in theme if p in listed.split())]
    archive = subprocess.run(
        ["git", "archive", rev, *parts],
        cwd=PROJECT,
        capture_output=True,
        check=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(into)], check=True)


def build(code: Path, site: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one build (CPU of every process of it: on a loaded machine
    it moves far less than the wall time does)."""
    command = [sys.executable, str(code / "build.py"), "build", "-q"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        [*command, "--site", str(site), "--out", str(site / "output")],
        capture_output=True,
        check=True,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("a", help="a commit, e.g. HEAD~3")
    parser.add_argument("b", help="another commit, e.g. HEAD")
    parser.add_argument("--mode", choices=("edit", "cold"), default="edit")
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--work", type=Path, default=Path("/dev/shm/chronicle-ab"))
    parser.add_argument(
        "--minimal",
        action="store_true",
        help="the corpus with compare.py's minimal templates (chronicle-minimal)",
    )
    args = parser.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    corpus = args.work / "corpus"
    generate(corpus, args.people, 1, cards=False)
    if args.minimal:
        peers.write_chronicle_minimal(corpus, args.work / "minimal")
        corpus = args.work / "minimal"
    sides = {}
    for name, rev in (("A", args.a), ("B", args.b)):
        code, site = args.work / name / "code", args.work / name / "site"
        checkout(rev, code)
        shutil.copytree(corpus, site)
        build(code, site)  # the state an edit build starts from
        sides[name] = (rev, code, site)
    times: dict[str, list[float]] = {"A": [], "B": []}
    cpu: dict[str, list[float]] = {"A": [], "B": []}
    for round_ in range(1, args.rounds + 1):
        for name, (rev, code, site) in sides.items():
            if args.mode == "edit":
                with (site / EDITED).open("a", encoding="utf-8") as handle:
                    handle.write(f"\nA sentence added in round {round_}.\n")
            else:
                shutil.rmtree(site / "output")
                shutil.rmtree(site / ".cache", ignore_errors=True)
            seconds, used = build(code, site)
            times[name].append(seconds)
            cpu[name].append(used)
            print(f"round {round_} {name} ({rev}): {seconds:.3f} s, CPU {used:.3f} s", flush=True)
    for name, (rev, _, _) in sides.items():
        runs = times[name]
        print(
            f"{name} {rev}: {args.mode} median {statistics.median(runs):.3f} s "
            f"(min {min(runs):.3f}, max {max(runs):.3f}, {len(runs)} runs), "
            f"CPU median {statistics.median(cpu[name]):.3f} s"
        )
    ratio = statistics.median(times["B"]) / statistics.median(times["A"])
    cpu_ratio = statistics.median(cpu["B"]) / statistics.median(cpu["A"])
    print(f"B / A: wall {ratio:.3f}, CPU {cpu_ratio:.3f}")


if __name__ == "__main__":
    main()
