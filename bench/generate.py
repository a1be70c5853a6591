"""Write a synthetic site to the content contract, reproducibly from a seed.

    .venv/bin/python bench/generate.py DIR --people 1000 [--seed 1]
    .venv/bin/python bench/generate.py DIR --defaults     # = --cards --no-summaries

N people with 300-600-word Markdown biographies (a fifth of them in Chinese), 5 x N events
at all three date precisions, N / 10 organizations, and a few dozen tags.

`--defaults` writes the site as a new one runs by default: social cards on (site.toml's
default) and no `summary:` fields, as a site imported from a spreadsheet rarely has them.
Without options the corpus is the like-for-like one of bench/compare.py: cards off (the
peers draw no images) and a summary on every entry.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
from pathlib import Path

WORDS = (  # noqa: SIM905 (one sentence of words reads better than 37 quoted ones)
    "founder engineer research model training cluster company launch product team scale data "
    "capital investor market science physics learning network system design build ship growth "
    "lab paper result open source safety alignment compute chip robot vision language agent"
).split()
HANZI = "人工智慧研究團隊創辦公司模型訓練資料中心物理學習網路系統設計產品投資安全未來科學工程"
TAGS = [f"topic {i}" for i in range(40)] + ["深度學習", "人工智慧", "AI Safety", "ai safety"]


def sentence(rng: random.Random, chinese: bool) -> str:
    if chinese:
        return "".join(rng.choice(HANZI) for _ in range(rng.randint(12, 30))) + "。"
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 18))]
    return " ".join(words).capitalize() + "."


def biography(rng: random.Random, chinese: bool, links: list[str]) -> str:
    paragraphs = []
    target = rng.randint(300, 600)
    count = 0
    while count < target:
        text = " ".join(sentence(rng, chinese) for _ in range(rng.randint(3, 6)))
        if links and rng.random() < 0.3:
            text += f" See [{links[0]}](/people/{links[0]}/)."
        paragraphs.append(text)
        count += len(text.split()) if not chinese else len(text) // 2
    headed = [f"## Part {i + 1}\n\n{p}" if i % 3 == 0 else p for i, p in enumerate(paragraphs)]
    return "\n\n".join(headed) + "\n"


def date(rng: random.Random) -> str:
    year = rng.randint(1990, 2025)
    precision = rng.choice(("year", "month", "day"))
    if precision == "year":
        return str(year)
    month = rng.randint(1, 12)
    if precision == "month":
        return f"{year}-{month:02d}"
    return f"{year}-{month:02d}-{rng.randint(1, 28):02d}"


def q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def generate(
    root: Path, people: int, seed: int, *, cards: bool = False, summaries: bool = True
) -> None:
    """The corpus; `cards`: the theme's social cards on (a PNG per person and event, which
    the peers' minimal templates do not draw, so the comparison leaves them out);
    `summaries`: a `summary:` on every entry. The random draws are the same either way, so
    that the two corpora differ only in those fields."""
    rng = random.Random(seed)

    def summary(chinese: bool) -> str:
        text = sentence(rng, chinese)  # drawn either way: the rest of the corpus stays alike
        return f"summary: {q(text)}\n" if summaries else ""

    if root.exists():
        shutil.rmtree(root)
    for kind in ("people", "organizations", "events", "pages"):
        (root / "content" / kind).mkdir(parents=True)
    (root / "site.toml").write_text(
        'title = "Synthetic founders"\nbase_url = "https://example.org/"\n'
        f"social_cards = {str(cards).lower()}\n",
        encoding="utf-8",
    )
    orgs = [f"org-{i}" for i in range(max(1, people // 10))]
    slugs = [f"person-{i}" for i in range(people)]
    for slug in orgs:
        (root / "content/organizations" / f"{slug}.md").write_text(
            f"---\nname: {q(slug.title())}\nfounded: {date(rng)}\n"
            f"founders: [{rng.choice(slugs)}]\ntags: [{q(rng.choice(TAGS))}]\n"
            f"{summary(False)}---\n"
            f"{sentence(rng, False)}\n",
            encoding="utf-8",
        )
    for index, slug in enumerate(slugs):
        chinese = index % 5 == 0
        name = "".join(rng.choice(HANZI) for _ in range(3)) if chinese else f"Person {index}"
        tags = ", ".join(q(t) for t in rng.sample(TAGS, 2))
        (root / "content/people" / f"{slug}.md").write_text(
            f"---\nname: {q(name)}\nrole: {q('Founder, ' + rng.choice(orgs))}\n"
            f"{summary(chinese)}"
            f"organizations: [{rng.choice(orgs)}]\nfeatured: {str(index < 6).lower()}\n"
            f"tags: [{tags}]\n---\n{biography(rng, chinese, rng.sample(slugs, 1))}",
            encoding="utf-8",
        )
    for index in range(people * 5):
        who = ", ".join(rng.sample(slugs, rng.randint(1, 3)))
        (root / "content/events" / f"event-{index}.md").write_text(
            f"---\ntitle: {q(sentence(rng, False)[:60])}\ndate: {date(rng)}\n"
            f"people: [{who}]\norganizations: [{rng.choice(orgs)}]\n"
            f"tags: [{q(rng.choice(TAGS))}]\n{summary(False)}"
            f'sources:\n  - {{title: Source {index}, url: "https://example.com/{index}"}}\n---\n'
            f"{sentence(rng, False)} {sentence(rng, False)}\n",
            encoding="utf-8",
        )
    (root / "content/pages/about.md").write_text("---\ntitle: About\n---\nA synthetic site.\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cards", action="store_true", help="social cards on")
    parser.add_argument(
        "--no-summaries",
        dest="summaries",
        action="store_false",
        help="no summary: fields (an imported spreadsheet rarely has them)",
    )
    parser.add_argument(
        "--defaults",
        action="store_true",
        help="the default settings' corpus: --cards --no-summaries",
    )
    args = parser.parse_args()
    if args.defaults:
        args.cards, args.summaries = True, False
    generate(args.root, args.people, args.seed, cards=args.cards, summaries=args.summaries)


if __name__ == "__main__":
    main()
