#!/usr/bin/env python3
"""Time expressions on TempEval-3 (TimeBank + AQUAINT TimeML): newsgraph vs plain dateparser.

Reads the TimeML files in ``../shared/data/tempeval3/`` (document creation time + TIMEX3 gold;
research use only, never copied into the project) and prints, for both systems side by side,
the TempEval-3 measures:

- strict span P/R/F1 (exact offsets), relaxed span P/R/F1 (any overlap, one-to-one),
- value accuracy on relaxed-matched spans, and value F1 (a match with the right value counts;
  the figure TempEval-3 ranks normalisation by — HeidelTime scored about 77.6 on the test set),
- type accuracy on matched spans (newsgraph only: the baseline has no types).

Usage: python eval/timex_tempeval3.py [--sample N] [--part TimeBank|AQUAINT|all] [--data DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "tempeval3"


@dataclass
class Timex:
    start: int
    end: int
    value: str
    type: str = "DATE"


@dataclass
class Doc:
    name: str
    dct: str
    text: str
    gold: list[Timex] = field(default_factory=list)


def read_tml(path: Path) -> Doc:
    """Plain TEXT with gold TIMEX3 offsets, and the DCT value."""
    root = ET.parse(path).getroot()
    dct_el = root.find("DCT/TIMEX3")
    dct = (dct_el.get("value") if dct_el is not None else "") or ""
    text_el = root.find("TEXT")
    parts: list[str] = []
    gold: list[Timex] = []
    pos = 0

    def walk(el: ET.Element) -> None:
        nonlocal pos
        start = pos
        if el.text:
            parts.append(el.text)
            pos += len(el.text)
        for child in el:
            walk(child)
            if child.tail:
                parts.append(child.tail)
                pos += len(child.tail)
        if el.tag == "TIMEX3":
            gold.append(Timex(start, pos, el.get("value") or "", el.get("type") or "DATE"))

    if text_el is not None:
        walk(text_el)
    text = "".join(parts)
    # trim whitespace inside gold spans (a few annotations carry a leading space)
    for g in gold:
        while g.start < g.end and text[g.start].isspace():
            g.start += 1
        while g.end > g.start and text[g.end - 1].isspace():
            g.end -= 1
    return Doc(path.stem, dct[:10], text, [g for g in gold if g.end > g.start])


def newsgraph_system(docs: list[Doc]) -> list[list[Timex]]:
    from newsgraph.extract.times import find_times
    from newsgraph.nlp import load_nlp

    nlp = load_nlp()
    out = []
    for d, parsed in zip(docs, nlp.pipe(d.text for d in docs), strict=True):
        times = find_times(d.text, parsed, d.dct, sent_of=lambda _o: None)
        out.append([Timex(t.start, t.end, t.value or "", t.type) for t in times])
    return out


def dateparser_baseline(docs: list[Doc]) -> list[list[Timex]]:
    """Plain dateparser: search_dates over the text, RELATIVE_BASE = DCT, values as full dates."""
    from dateparser.search import search_dates

    out = []
    for d in docs:
        base = dt.datetime.fromisoformat(d.dct)
        found = search_dates(d.text, languages=["en"], settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"})
        spans: list[Timex] = []
        cursor = 0
        for sub, when in found or []:
            i = d.text.find(sub, cursor)
            if i < 0:
                continue
            cursor = i + len(sub)
            lead = len(sub) - len(sub.lstrip())
            trail = len(sub) - len(sub.rstrip())
            spans.append(Timex(i + lead, i + len(sub) - trail, when.date().isoformat()))
        out.append(spans)
    return out


def match(gold: list[Timex], sys_: list[Timex]) -> tuple[int, list[tuple[Timex, Timex]]]:
    """Strict matches (exact span), and one-to-one relaxed matches (overlap, largest first)."""
    strict = len({(g.start, g.end) for g in gold} & {(s.start, s.end) for s in sys_})
    pairs = []
    for g in gold:
        for s in sys_:
            ov = min(g.end, s.end) - max(g.start, s.start)
            if ov > 0:
                pairs.append((ov, id(g), id(s), g, s))
    pairs.sort(key=lambda p: -p[0])
    used_g: set[int] = set()
    used_s: set[int] = set()
    relaxed = []
    for _ov, ig, is_, g, s in pairs:
        if ig in used_g or is_ in used_s:
            continue
        used_g.add(ig)
        used_s.add(is_)
        relaxed.append((g, s))
    return strict, relaxed


def prf(correct: int, n_sys: int, n_gold: int) -> tuple[float, float, float]:
    p = correct / n_sys if n_sys else 0.0
    r = correct / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return 100 * p, 100 * r, 100 * f


def score(docs: list[Doc], outputs: list[list[Timex]]) -> dict[str, float]:
    n_gold = n_sys = strict = relaxed = val = typ = 0
    for d, sys_ in zip(docs, outputs, strict=True):
        s, pairs = match(d.gold, sys_)
        n_gold += len(d.gold)
        n_sys += len(sys_)
        strict += s
        relaxed += len(pairs)
        val += sum(1 for g, x in pairs if g.value == x.value)
        typ += sum(1 for g, x in pairs if g.type == x.type)
    sp, sr, sf = prf(strict, n_sys, n_gold)
    rp, rr, rf = prf(relaxed, n_sys, n_gold)
    _vp, _vr, vf = prf(val, n_sys, n_gold)
    return {
        "gold": n_gold, "system": n_sys,
        "strict P": sp, "strict R": sr, "strict F1": sf,
        "relaxed P": rp, "relaxed R": rr, "relaxed F1": rf,
        "value acc": 100 * val / relaxed if relaxed else 0.0, "value F1": vf,
        "type acc": 100 * typ / relaxed if relaxed else 0.0,
    }  # fmt: skip


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--part", default="all", help="TimeBank, AQUAINT or all")
    ap.add_argument("--sample", type=int, default=0, help="score N random documents (seed 0) instead of all")
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--errors", type=int, default=0, help="print N newsgraph errors")
    args = ap.parse_args()
    parts = ["TimeBank", "AQUAINT"] if args.part == "all" else [args.part]
    files = sorted(f for p in parts for f in (args.data / p).glob("*.tml"))
    if not files:
        print(f"no TimeML files under {args.data}", file=sys.stderr)
        return 2
    if args.sample:
        files = sorted(random.Random(0).sample(files, min(args.sample, len(files))))
    docs = [read_tml(f) for f in files]
    print(f"TempEval-3 TBAQ ({'+'.join(parts)}): {len(docs)} documents, {sum(len(d.gold) for d in docs)} gold TIMEX3")

    results: dict[str, dict[str, float]] = {}
    t0 = time.perf_counter()
    ours = newsgraph_system(docs)
    t_ours = time.perf_counter() - t0
    results["newsgraph"] = score(docs, ours)
    t_base = 0.0
    if not args.no_baseline:
        t0 = time.perf_counter()
        base = dateparser_baseline(docs)
        t_base = time.perf_counter() - t0
        results["dateparser"] = score(docs, base)

    names = list(results)
    print(f"{'measure':<12}" + "".join(f"{n:>12}" for n in names))
    for key in results["newsgraph"]:
        if key == "type acc" and "dateparser" in results:
            row = f"{results['newsgraph'][key]:>12.1f}{'-':>12}"
        else:
            row = "".join(
                f"{results[n][key]:>12.0f}" if key in ("gold", "system") else f"{results[n][key]:>12.1f}" for n in names
            )
        print(f"{key:<12}{row}")
    print(f"{'seconds':<12}{t_ours:>12.1f}" + (f"{t_base:>12.1f}" if t_base else "") + "  (newsgraph includes spaCy)")

    if args.errors:
        shown = 0
        for d, sys_ in zip(docs, ours, strict=True):
            _s, pairs = match(d.gold, sys_)
            matched_g = {id(g) for g, _ in pairs}
            matched_s = {id(s) for _, s in pairs}
            for g, x in pairs:
                if g.value != x.value and shown < args.errors:
                    gold_s, got_s = d.text[g.start : g.end], d.text[x.start : x.end]
                    print(f"VALUE {d.name} dct={d.dct} {gold_s!r}={g.value} got {got_s!r}={x.value}")
                    shown += 1
            for g in d.gold:
                if id(g) not in matched_g and shown < args.errors:
                    ctx = d.text[max(0, g.start - 40) : g.end + 30].replace("\n", " ")
                    print(f"MISS  {d.name} {d.text[g.start : g.end]!r}={g.value} ({g.type}) | {ctx}")
                    shown += 1
            for x in sys_:
                if id(x) not in matched_s and shown < args.errors:
                    ctx = d.text[max(0, x.start - 40) : x.end + 30].replace("\n", " ")
                    print(f"FP    {d.name} {d.text[x.start : x.end]!r}={x.value} | {ctx}")
                    shown += 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
