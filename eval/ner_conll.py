#!/usr/bin/env python3
"""Entity typing on CoNLL-2003 (dev, eng.testa): bare spaCy vs newsgraph, side by side.

Usage: .venv/bin/python eval/ner_conll.py [PATH/TO/eng.testa] [--limit N]

Each CoNLL document becomes one text (one sentence a line), parsed once with
newsgraph's spaCy model. The same parse is scored twice:

- spaCy: its `doc.ents`, PERSON→PER, ORG→ORG, GPE/LOC/FAC→LOC;
- newsgraph: the `entities` component's named mentions (kind ``name``),
  Person→PER, Organization→ORG, Country/Place→LOC.

MISC and Group are left out on both sides. A prediction counts when its
character span and type equal a gold entity's (exact match, as conlleval).
Prints precision, recall and F1 per type and micro-averaged.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT.parent / "shared" / "data" / "conll2003" / "eng.testa"
TYPES = ("PER", "ORG", "LOC")
SPACY_MAP = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}
NEWSGRAPH_MAP = {"Person": "PER", "Organization": "ORG", "Country": "LOC", "Place": "LOC"}

Span = tuple[int, int, str]


def read_conll(path: Path) -> list[tuple[str, set[Span]]]:
    """Documents as (text, gold spans): tokens joined by spaces, one sentence a line, IOB1 tags."""
    docs: list[list[list[tuple[str, str]]]] = []
    sent: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("-DOCSTART-"):
            docs.append([])
            continue
        if not line.strip():
            if sent:
                docs[-1].append(sent)
                sent = []
            continue
        parts = line.split()
        sent.append((parts[0], parts[-1]))
    if sent:
        docs[-1].append(sent)
    out = []
    for sentences in docs:
        text_parts: list[str] = []
        gold: set[Span] = set()
        pos = 0
        for k, s in enumerate(sentences):
            if k:
                text_parts.append("\n")
                pos += 1
            cur: list[int] | None = None
            cur_type = ""
            for j, (tok, tag) in enumerate(s):
                if j:
                    text_parts.append(" ")
                    pos += 1
                start, end = pos, pos + len(tok)
                text_parts.append(tok)
                pos = end
                kind = tag[2:] if tag != "O" else ""
                if kind and cur is not None and kind == cur_type and not tag.startswith("B-"):
                    cur[1] = end
                    continue
                if cur is not None:
                    gold.add((cur[0], cur[1], cur_type))
                    cur = None
                if kind:
                    cur, cur_type = [start, end], kind
            if cur is not None:
                gold.add((cur[0], cur[1], cur_type))
        out.append(("".join(text_parts), {g for g in gold if g[2] in TYPES}))
    return out


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def score(pred: list[set[Span]], gold: list[set[Span]]) -> dict[str, tuple[float, float, float]]:
    tp: Counter[str] = Counter()
    npred: Counter[str] = Counter()
    ngold: Counter[str] = Counter()
    for p, g in zip(pred, gold, strict=True):
        for x in p:
            npred[x[2]] += 1
        for x in g:
            ngold[x[2]] += 1
        for x in p & g:
            tp[x[2]] += 1
    out = {t: prf(tp[t], npred[t], ngold[t]) for t in TYPES}
    out["all"] = prf(sum(tp.values()), sum(npred.values()), sum(ngold.values()))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("path", nargs="?", default=str(DEFAULT))
    ap.add_argument("--limit", type=int, default=0, help="score only the first N documents")
    ap.add_argument(
        "--knowledge",
        action="store_true",
        help="also run actor_knowledge (types from the gazetteer and the Phoenix dictionaries), as extraction does",
    )
    args = ap.parse_args()
    path = Path(args.path)
    if not path.exists():
        print(f"no CoNLL file at {path}", file=sys.stderr)
        return 2

    from newsgraph.extract.pipeline import build_graph
    from newsgraph.model import Article, normalise_text
    from newsgraph.nlp import load_nlp

    docs = read_conll(path)
    if args.limit:
        docs = docs[: args.limit]
    nlp = load_nlp()
    texts = [t for t, _ in docs]
    for t in texts:
        assert normalise_text(t) == t, "CoNLL text must survive normalisation unchanged"
    gold = [g for _, g in docs]
    spacy_pred: list[set[Span]] = []
    ng_pred: list[set[Span]] = []
    pipeline = ("sentences", "entities", "actor_knowledge") if args.knowledge else ("sentences", "entities")
    t0 = time.perf_counter()
    t_actor = 0.0
    for text, doc in zip(texts, nlp.pipe(texts, batch_size=16), strict=True):
        spacy_pred.append({(e.start_char, e.end_char, SPACY_MAP[e.label_]) for e in doc.ents if e.label_ in SPACY_MAP})
        t1 = time.perf_counter()
        graph = build_graph(Article.create(text, None), doc, pipeline=pipeline)
        t_actor += time.perf_counter() - t1
        ng_pred.append(
            {
                (m.start, m.end, NEWSGRAPH_MAP[e.type])
                for e in graph.entities
                if e.type in NEWSGRAPH_MAP
                for m in e.mentions
                if m.kind == "name"
            }
        )
    elapsed = time.perf_counter() - t0
    a, b = score(spacy_pred, gold), score(ng_pred, gold)
    n_gold = sum(len(g) for g in gold)
    print(f"CoNLL-2003 dev ({path.name}): {len(docs)} documents, {n_gold} PER/ORG/LOC entities")
    print(f"parse + actors {elapsed:.1f}s (actor layer {t_actor:.1f}s)")
    print(f"{'type':<5} {'spaCy P':>8} {'R':>6} {'F1':>6}   {'newsgraph P':>11} {'R':>6} {'F1':>6}   {'ΔF1':>6}")
    for t in (*TYPES, "all"):
        (p1, r1, f1), (p2, r2, f2) = a[t], b[t]
        print(f"{t:<5} {p1:8.3f} {r1:6.3f} {f1:6.3f}   {p2:11.3f} {r2:6.3f} {f2:6.3f}   {f2 - f1:+6.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
