"""Draw a random sample of extracted facts for judging by hand.

Precision on text nobody annotated can only be judged by reading: this script runs the user's own
command (``newsgraph extract FILE --format jsonl``, a subprocess, default options) over a corpus —
by default the bundled sample corpus — draws N events (or attributions, or quotes) with a fixed
seed, and prints each with its sentence and what was extracted, as a Markdown list with an empty
verdict to fill in. The same seed on the same output draws the same sample, so a judged list can
be re-checked after a change.

    .venv/bin/python eval/judge_sample.py events --n 20 --seed 12
    .venv/bin/python eval/judge_sample.py attributions --articles 5 --seed 13
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "src" / "newsgraph" / "data" / "sample" / "wikinews_topic_sample.jsonl"
NEWSGRAPH = Path(sys.executable).with_name("newsgraph")


def extract(corpus: Path) -> list[dict[str, Any]]:
    """Article graphs as the user gets them: the real command, its JSONL on stdout."""
    done = subprocess.run(
        [str(NEWSGRAPH), "extract", str(corpus), "--format", "jsonl"],
        check=True,
        capture_output=True,
        text=True,
    )
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


def names(graph: dict[str, Any]) -> dict[str, str]:
    return {e["id"]: f"{e['name']} ({e['type']})" for e in graph.get("entities", [])}


def sentence_text(graph: dict[str, Any], index: int | None) -> str:
    sentences = graph.get("sentences") or []
    if index is None or not 0 <= index < len(sentences):
        return ""
    s = sentences[index]
    if isinstance(s, dict):
        text = graph["article"].get("text", "")
        return str(s.get("text") or text[s.get("start", 0) : s.get("end", 0)])
    return str(s)


def describe_event(graph: dict[str, Any], event: dict[str, Any]) -> str:
    who = names(graph)
    flags = [f for f in ("negated", "hypothetical", "future", "historical") if event.get(f)]
    parts = [
        f"**{event['type']}**" + (f"/{event['mode']}" if event.get("mode") else ""),
        f'trigger "{event.get("trigger")}"',
        f"source: {who.get(event.get('source') or '', '—')}",
        f"target: {who.get(event.get('target') or '', '—')}",
        f"certainty: {event.get('certainty')}" + (f" ({', '.join(flags)})" if flags else ""),
    ]
    if event.get("asserted_by"):
        parts.append(f"asserted by: {who.get(event['asserted_by'], event['asserted_by'])}")
    return " · ".join(parts)


def describe_attribution(graph: dict[str, Any], item: dict[str, Any]) -> str:
    who = names(graph)
    text = graph["article"].get("text", "")
    speaker = item.get("speaker") or item.get("source")
    content = item.get("text")
    span = item.get("content_span") or ([item["start"], item["end"]] if item.get("start") is not None else None)
    if content is None and span:
        content = text[span[0] : span[1]]
    cue = item.get("cue") or ""
    channel = f" · channel {item['channel']}" if item.get("channel") else ""
    certainty = f" · {item['certainty']}" if item.get("certainty") else ""
    return (
        f'speaker: {who.get(speaker or "", speaker or "—")} · cue "{cue}"{channel}{certainty}'
        f' · "{(content or "")[:200]}"'
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("kind", choices=["events", "attributions", "quotes"])
    parser.add_argument("--corpus", type=Path, default=SAMPLE)
    parser.add_argument("--n", type=int, default=20, help="events: how many to draw")
    parser.add_argument("--articles", type=int, default=5, help="attributions/quotes: every one of N articles")
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()

    graphs = extract(args.corpus)
    rng = random.Random(args.seed)
    if args.kind == "events":
        pool = [(g, e) for g in graphs for e in g.get("events", [])]
        print(f"{len(pool)} events in {len(graphs)} articles; {args.n} drawn with seed {args.seed}\n")
        for i, (g, e) in enumerate(rng.sample(pool, min(args.n, len(pool))), 1):
            print(f'{i}. [{g["article"].get("id")}] "{sentence_text(g, e.get("sentence"))}"')
            print(f"   {describe_event(g, e)}")
            print("   verdict: \n")
        return
    with_items = [g for g in graphs if g.get(args.kind)]
    chosen = rng.sample(with_items, min(args.articles, len(with_items)))
    for g in chosen:
        print(f"## {g['article'].get('id')}: {g['article'].get('title', '')}\n")
        for item in g[args.kind]:
            print(f"- {item['id']}: {describe_attribution(g, item)}")
            print("  verdict: ")
        print()


if __name__ == "__main__":
    main()
