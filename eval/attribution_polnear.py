#!/usr/bin/env python3
"""Score newsgraph's attributions on PolNeAR (dev split): source / cue / content spans.

Usage: .venv/bin/python eval/attribution_polnear.py [--data ../shared/data/polnear] [--limit N]
       [--errors N] [--split dev|test]

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

"whole attribution" counts relations, not spans (issue 13): a predicted attribution is correct
when its content, cue and source each overlap those of one gold attribution (a gold attribution
without a source needs none); a gold attribution is found when some prediction matches it so.
Every figure is printed beside the release baseline (``BASELINE``: main on 2026-12-02, before
the issue-13 work). ``--verbose`` lists missed gold attributions with what was predicted
around them; ``--cache FILE`` keeps the parses (a spaCy DocBin) so a rerun only runs the
components.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "polnear"
TYPES = ("Source", "Cue", "Content")
DEFAULT_DATA_FALLBACK = Path("/work/shared/data/polnear")
HOLDOUT_DIRS = (ROOT.parent / "shared" / "holdout" / "polnear", Path("/work/shared/holdout/polnear"))
# The release's figures (main on 2026-12-02, before issue 13), printed beside the current ones:
# (P, R, F1) in percent.
BASELINE: dict[str, tuple[float, float, float]] = {
    "Source exact": (77.3, 57.6, 66.0),
    "Cue exact": (72.2, 52.6, 60.9),
    "Content exact": (59.9, 43.5, 50.4),
    "Source overlap": (81.9, 61.3, 70.1),
    "Cue overlap": (80.2, 58.4, 67.6),
    "Content overlap": (95.6, 62.0, 75.3),
    "all exact": (69.6, 51.0, 58.9),
    "all overlap": (86.0, 60.5, 71.1),
    "whole attribution": (76.0, 55.3, 64.0),
}
Span = tuple[int, int]


@dataclass(frozen=True)
class Relation:
    """One attribution: its source (None when the annotators marked none), cue and content."""

    source: Span | None
    cue: Span
    content: Span


@dataclass
class Doc:
    name: str
    text: str
    date: str | None
    gold: dict[str, set[tuple[int, int]]] = field(default_factory=lambda: defaultdict(set))
    relations: list[Relation] = field(default_factory=list)


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def read_ann(path: Path, text: str) -> tuple[dict[str, set[Span]], list[Relation]]:
    """Gold spans per type (from the T lines that take part in an E relation) and the relations."""
    spans: dict[str, tuple[str, tuple[int, int]]] = {}
    used: set[str] = set()
    events: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("T"):
            tid, info, *_ = line.split("\t")
            label, offsets = info.split(" ", 1)
            pieces = [tuple(map(int, p.split())) for p in offsets.split(";")]
            spans[tid] = (label, trim(text, min(p[0] for p in pieces), max(p[1] for p in pieces)))
        elif line.startswith("E"):
            roles: dict[str, str] = {}
            for arg in line.split("\t")[1].split():
                role, tid = arg.split(":")
                if role in TYPES:
                    used.add(tid)
                    roles[role] = tid
            events.append(roles)
    gold: dict[str, set[tuple[int, int]]] = defaultdict(set)
    for tid in used:
        label, span = spans[tid]
        if label in TYPES:
            gold[label].add(span)
    relations = [
        Relation(
            spans[r["Source"]][1] if "Source" in r else None,
            spans[r["Cue"]][1],
            spans[r["Content"]][1],
        )
        for r in events
        if "Cue" in r and "Content" in r
    ]
    return gold, relations


def load_docs(data: Path, split: str = "dev") -> list[Doc]:
    dates: dict[str, str] = {}
    meta = data / f"metadata_{split}.tsv"
    if meta.exists():
        with open(meta, encoding="utf-8") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                dates[row["filename"]] = row["publication_date"]
    anns: dict[str, Path] = {}
    for ann in sorted((data / split / "attributions").glob("*.ann")):
        name = ann.stem.rsplit("_", 1)[0]
        anns.setdefault(name, ann)
    docs = []
    for name, ann in sorted(anns.items()):
        text = (data / split / "text" / f"{name}.txt").read_text(encoding="utf-8")
        doc = Doc(name, text, dates.get(name))
        doc.gold, doc.relations = read_ann(ann, text)
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


def relation_matches(pred: Relation, gold: Relation) -> bool:
    """Content, cue and source each overlap; a gold relation without a source needs none."""
    if not (overlaps(pred.content, gold.content) and overlaps(pred.cue, gold.cue)):
        return False
    if gold.source is None:
        return True
    return pred.source is not None and overlaps(pred.source, gold.source)


def parsed_docs(texts: list[str], cache: Path | None) -> list[Any]:
    """spaCy parses of the texts, from ``cache`` (a DocBin) when it holds exactly these texts."""
    from spacy.tokens import DocBin

    from newsgraph.nlp import load_nlp

    nlp = load_nlp()
    if cache is not None and cache.exists():
        docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
        if [d.text for d in docs] == texts:
            return docs
    docs = list(nlp.pipe(texts, batch_size=16))
    if cache is not None:
        DocBin(docs=docs).to_disk(cache)
    return docs


def fmt(key: str, p: float, r: float, f: float, extra: str = "") -> str:
    bp, br, bf = BASELINE.get(key, (0.0, 0.0, 0.0))
    return (
        f"{key:19} {100 * p:6.1f} {100 * r:6.1f} {100 * f:6.1f}   |  {bp:6.1f} {br:6.1f} {bf:6.1f}"
        f"   {100 * f - bf:+5.1f}  {extra}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--errors", type=int, default=0, help="print N missed/extra spans per type")
    parser.add_argument("--verbose", action="store_true", help="list missed and extra whole attributions")
    parser.add_argument("--cache", type=Path, default=None, help="DocBin file to keep the parses in")
    parser.add_argument(
        "--split",
        choices=("dev", "test"),
        default="dev",
        help="test: the held-out split, to run once for a report (never to tune on)",
    )
    args = parser.parse_args()

    from newsgraph.extract.pipeline import build_graph
    from newsgraph.model import Article

    data = args.data if args.data.exists() else DEFAULT_DATA_FALLBACK
    if not (data / args.split / "attributions").is_dir():
        # the held-out split is kept apart from the shared data (SOURCE.md: holdout/polnear/test/)
        data = next((d for d in HOLDOUT_DIRS if (d / args.split / "attributions").is_dir()), data)
    if not (data / args.split / "attributions").is_dir():
        print(f"PolNeAR {args.split} split not found under {data} (nor {', '.join(map(str, HOLDOUT_DIRS))})")
        return 2
    docs = load_docs(data, args.split)
    if args.limit:
        docs = docs[: args.limit]
    t0 = time.perf_counter()
    articles = [Article.create(d.text, d.date) for d in docs]
    parses = parsed_docs([a.text for a in articles], args.cache)
    graphs = [build_graph(a, p) for a, p in zip(articles, parses, strict=True)]
    rel_counts = [0, 0, 0, 0]
    misses: list[str] = []
    counts: dict[str, dict[str, list[int]]] = {m: {t: [0, 0, 0, 0] for t in TYPES} for m in ("exact", "overlap")}
    errors: dict[str, list[str]] = defaultdict(list)
    for doc, article, graph in zip(docs, articles, graphs, strict=True):
        back = offset_map(doc.text, article.text)
        pred: dict[str, set[tuple[int, int]]] = defaultdict(set)
        rels: list[Relation] = []
        for a in graph.attributions:
            for label, span in (("Source", a.source_span), ("Cue", a.cue_span), ("Content", a.content_span)):
                if span:
                    pred[label].add(trim(doc.text, back[span[0]], back[span[1]]))
            src = trim(doc.text, back[a.source_span[0]], back[a.source_span[1]]) if a.source_span else None
            rels.append(
                Relation(
                    src,
                    trim(doc.text, back[a.cue_span[0]], back[a.cue_span[1]]),
                    trim(doc.text, back[a.content_span[0]], back[a.content_span[1]]),
                )
            )
        rel_counts[0] += sum(1 for x in rels if any(relation_matches(x, y) for y in doc.relations))
        rel_counts[1] += len(rels)
        rel_counts[2] += sum(1 for y in doc.relations if any(relation_matches(x, y) for x in rels))
        rel_counts[3] += len(doc.relations)
        if args.verbose:
            misses.extend(describe_misses(doc, rels))
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

    print(f"PolNeAR {args.split}: {len(docs)} documents, {elapsed:.0f} s")
    head = f"{'measure':19} {'P':>6} {'R':>6} {'F1':>6}   |  {'baseline P / R / F1':>20}   {'dF1':>5}"
    print(head + "  (pred ok/pred, gold found/gold)")
    for mode in ("exact", "overlap"):
        for label in TYPES:
            c = counts[mode][label]
            print(fmt(f"{label} {mode}", *prf(*c), f"({c[0]}/{c[1]}, {c[2]}/{c[3]})"))
    for mode in ("exact", "overlap"):
        tot = [sum(counts[mode][t][k] for t in TYPES) for k in range(4)]
        print(fmt(f"all {mode}", *prf(*tot), f"({tot[0]}/{tot[1]}, {tot[2]}/{tot[3]})"))
    c = rel_counts
    print(fmt("whole attribution", *prf(*c), f"({c[0]}/{c[1]}, {c[2]}/{c[3]})"))
    if args.verbose:
        print(f"\n## whole attributions missed or extra ({len(misses)})")
        for row in misses:
            print(row)
    if args.errors:
        for key, rows in sorted(errors.items()):
            print(f"\n## {key} ({len(rows)})")
            for row in rows[: args.errors]:
                print("  " + row)
    return 0


def describe_misses(doc: Doc, rels: list[Relation]) -> Iterator[str]:
    """Missed gold attributions (with the prediction nearest their cue) and unmatched predictions."""

    def show(span: Span | None) -> str:
        return repr(doc.text[span[0] : span[1]][:90]) if span else "-"

    for y in doc.relations:
        if any(relation_matches(x, y) for x in rels):
            continue
        near = [x for x in rels if overlaps(x.content, y.content) or overlaps(x.cue, y.cue)]
        yield f"MISS {doc.name} src={show(y.source)} cue={show(y.cue)} content={show(y.content)}"
        for x in near[:2]:
            yield f"   pred src={show(x.source)} cue={show(x.cue)} content={show(x.content)}"
    for x in rels:
        if not any(relation_matches(x, y) for y in doc.relations):
            yield f"EXTRA {doc.name} src={show(x.source)} cue={show(x.cue)} content={show(x.content)}"


if __name__ == "__main__":
    sys.exit(main())
