#!/usr/bin/env python3
"""Score newsgraph's attributions on PolNeAR (dev split): source / cue / content spans.

Usage: .venv/bin/python eval/attribution_polnear.py [--data ../shared/data/polnear] [--limit N]
       [--errors N]

Runs the full pipeline (``extract_article`` on ``Article.create(text, date)``) over every dev
article, maps predicted spans back to the original file's offsets and compares them with the
gold brat annotations (``dev/attributions/*.ann``; for the two articles with six annotators the
first annotator file in name order is used, so every article counts once).

Per span type (Source, Cue, Content) it prints precision / recall / F1 for
- exact: same [start, end) after trimming whitespace (a discontinuous gold span counts as its
  hull from first to last piece);
- overlap: the two spans share at least one character.
A predicted span is correct when some gold span of the same type matches it; a gold span is
found when some predicted span matches it (spans are deduplicated per document and type).
"all spans overlap" pools the three types. Anchor: Citron (BBC) on PARC 3.0 — source exact
F1 82.0, content exact 59.3, all-spans overlap 83.2.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "polnear"
TYPES = ("Source", "Cue", "Content")


@dataclass
class Doc:
    name: str
    text: str
    date: str | None
    gold: dict[str, set[tuple[int, int]]] = field(default_factory=lambda: defaultdict(set))


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def read_ann(path: Path, text: str) -> dict[str, set[tuple[int, int]]]:
    """Gold spans per type, from the T lines that take part in an E (attribution) relation."""
    spans: dict[str, tuple[str, tuple[int, int]]] = {}
    used: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("T"):
            tid, info, *_ = line.split("\t")
            label, offsets = info.split(" ", 1)
            pieces = [tuple(map(int, p.split())) for p in offsets.split(";")]
            spans[tid] = (label, trim(text, min(p[0] for p in pieces), max(p[1] for p in pieces)))
        elif line.startswith("E"):
            for arg in line.split("\t")[1].split():
                role, tid = arg.split(":")
                if role in TYPES:
                    used.add(tid)
    gold: dict[str, set[tuple[int, int]]] = defaultdict(set)
    for tid in used:
        label, span = spans[tid]
        if label in TYPES:
            gold[label].add(span)
    return gold


def load_docs(data: Path) -> list[Doc]:
    dates: dict[str, str] = {}
    meta = data / "metadata_dev.tsv"
    if meta.exists():
        with open(meta, encoding="utf-8") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                dates[row["filename"]] = row["publication_date"]
    anns: dict[str, Path] = {}
    for ann in sorted((data / "dev" / "attributions").glob("*.ann")):
        name = ann.stem.rsplit("_", 1)[0]
        anns.setdefault(name, ann)
    docs = []
    for name, ann in sorted(anns.items()):
        text = (data / "dev" / "text" / f"{name}.txt").read_text(encoding="utf-8")
        doc = Doc(name, text, dates.get(name))
        doc.gold = read_ann(ann, text)
        docs.append(doc)
    return docs


def offset_map(original: str, normalised: str) -> list[int]:
    """For each offset of ``normalised`` (and its end), the offset in ``original``.

    ``model.normalise_text`` only deletes characters (carriage returns, trailing and edge
    whitespace) when the text is already NFC, so a greedy two-pointer walk aligns them.
    """
    out = [0] * (len(normalised) + 1)
    if unicodedata.normalize("NFC", original) != original:
        # composed characters change lengths: align with difflib (slow, but only for such texts)
        from difflib import SequenceMatcher

        for _tag, i1, i2, j1, j2 in SequenceMatcher(None, original, normalised, autojunk=False).get_opcodes():
            for j in range(j1, j2):
                out[j] = min(i1 + (j - j1), max(i1, i2 - 1))
        out[len(normalised)] = len(original.rstrip())
        return out
    i = 0
    for j, ch in enumerate(normalised):
        while i < len(original) and original[i] != ch:
            i += 1
        out[j] = i
        i += 1
    out[len(normalised)] = min(i, len(original))
    return out


def prf(tp_pred: int, n_pred: int, tp_gold: int, n_gold: int) -> tuple[float, float, float]:
    p = tp_pred / n_pred if n_pred else 0.0
    r = tp_gold / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--errors", type=int, default=0, help="print N missed/extra spans per type")
    args = parser.parse_args()

    from newsgraph.extract.pipeline import extract_articles
    from newsgraph.model import Article

    docs = load_docs(args.data)
    if args.limit:
        docs = docs[: args.limit]
    t0 = time.perf_counter()
    articles = [Article.create(d.text, d.date) for d in docs]
    counts: dict[str, dict[str, list[int]]] = {m: {t: [0, 0, 0, 0] for t in TYPES} for m in ("exact", "overlap")}
    errors: dict[str, list[str]] = defaultdict(list)
    for doc, article, graph in zip(docs, articles, extract_articles(articles, batch_size=16), strict=True):
        back = offset_map(doc.text, article.text)
        pred: dict[str, set[tuple[int, int]]] = defaultdict(set)
        for a in graph.attributions:
            for label, span in (("Source", a.source_span), ("Cue", a.cue_span), ("Content", a.content_span)):
                if span:
                    pred[label].add(trim(doc.text, back[span[0]], back[span[1]]))
        for label in TYPES:
            g, p = doc.gold.get(label, set()), pred.get(label, set())
            for mode, match in (("exact", lambda x, y: x == y), ("overlap", overlaps)):
                c = counts[mode][label]
                c[0] += sum(1 for x in p if any(match(x, y) for y in g))
                c[1] += len(p)
                c[2] += sum(1 for y in g if any(match(x, y) for x in p))
                c[3] += len(g)
            if args.errors:
                for y in sorted(g - p):
                    errors[f"{label} missed"].append(f"{doc.name}: {doc.text[y[0] : y[1]][:100]!r}")
                for x in sorted(p - g):
                    errors[f"{label} extra"].append(f"{doc.name}: {doc.text[x[0] : x[1]][:100]!r}")
    elapsed = time.perf_counter() - t0

    print(f"PolNeAR dev: {len(docs)} documents, {elapsed:.0f} s")
    print(f"{'span':9} {'match':8} {'P':>6} {'R':>6} {'F1':>6}   (pred ok/pred, gold found/gold)")
    for mode in ("exact", "overlap"):
        for label in TYPES:
            c = counts[mode][label]
            p, r, f = prf(*c)
            print(f"{label:9} {mode:8} {100 * p:6.1f} {100 * r:6.1f} {100 * f:6.1f}   ({c[0]}/{c[1]}, {c[2]}/{c[3]})")
    for mode in ("exact", "overlap"):
        tot = [sum(counts[mode][t][k] for t in TYPES) for k in range(4)]
        p, r, f = prf(*tot)
        print(
            f"{'all':9} {mode:8} {100 * p:6.1f} {100 * r:6.1f} {100 * f:6.1f}   ({tot[0]}/{tot[1]}, {tot[2]}/{tot[3]})"
        )
    if args.errors:
        for key, rows in sorted(errors.items()):
            print(f"\n## {key} ({len(rows)})")
            for row in rows[: args.errors]:
                print("  " + row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
