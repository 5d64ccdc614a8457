#!/usr/bin/env python3
"""Event types against CASE 2021 Task 2 (ACLED-labelled news snippets), dev split.

Usage: .venv/bin/python eval/events_case2021.py [--data ../shared/data/case2021_task2] [--limit N]
       [--errors N]

Each snippet (``dev.tsv``: id, EventSnippet, SubType) runs through the full pipeline
(``extract_articles`` on ``Article.create(text, "2021-01-01")``). ACLED sub-types are mapped to the PLOVER
types (and domain types) that describe the same happening, where such a mapping makes sense
(``ACLED_TO_PLOVER``); the rest (disasters, claims of responsibility, "other", headquarters)
have no event type of ours and are reported as "unmapped": for those the figure is how often
the pipeline still produced an event (an ASSAULT from "an explosion killed five" is a false
alarm there).

Per gold type it prints n, coverage (snippets with at least one event), hit (snippets where some
event's type is in the mapped set: the snippet's event is found with the right type), precision
(of the events produced on those snippets, the share whose type is in the set; a snippet
usually reports one event, but a second — "police arrested…" after a bombing — may be
legitimate), and the most frequent predicted types. Micro totals over the mapped types close the
table. The task's own systems classify whole snippets (one label out of 30); this measures
whether our trigger lexicon and parse find the labelled event, not a classifier.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "case2021_task2"

# ACLED sub-event type -> the PLOVER / domain types that describe it.
ACLED_TO_PLOVER: dict[str, frozenset[str]] = {
    "ARMED_CLASH": frozenset({"ASSAULT"}),
    "AIR_STRIKE": frozenset({"ASSAULT"}),
    "ART_MISS_ATTACK": frozenset({"ASSAULT"}),
    "ATTACK": frozenset({"ASSAULT"}),
    "GRENADE": frozenset({"ASSAULT"}),
    "SUIC_BOMB": frozenset({"ASSAULT"}),
    "REM_EXPLOS": frozenset({"ASSAULT"}),
    "CHEM_WEAP": frozenset({"ASSAULT"}),
    "SEX_VIOL": frozenset({"ASSAULT"}),
    "ABDUCT_DISSAP": frozenset({"ASSAULT"}),
    "PROPERTY_DISTRUCT": frozenset({"ASSAULT"}),
    "GOV_REGAINS_TERIT": frozenset({"ASSAULT"}),
    "NON_STATE_ACTOR_OVERTAKES_TER": frozenset({"ASSAULT"}),
    "MOB_VIOL": frozenset({"PROTEST", "ASSAULT"}),  # PLOVER: PROTEST mode riot
    "VIOL_DEMONSTR": frozenset({"PROTEST", "ASSAULT"}),
    "PEACE_PROTEST": frozenset({"PROTEST"}),
    "PROTEST_WITH_INTER": frozenset({"PROTEST", "COERCE"}),
    "FORCE_AGAINST_PROTEST": frozenset({"COERCE", "ASSAULT"}),
    "ARREST": frozenset({"COERCE"}),
    "DISR_WEAP": frozenset({"COERCE"}),  # PLOVER: COERCE mode seize
    "AGREEMENT": frozenset({"AGREE"}),
    "DIPLO": frozenset({"CONSULT", "COOPERATE", "SANCTION"}),  # visits, talks, sanctions, expulsions
    "CHANGE_TO_GROUP_ACT": frozenset({"MOBILIZE", "RETREAT"}),
    "NON_VIOL_TERRIT_TRANSFER": frozenset({"RETREAT"}),
    "ORG_CRIME": frozenset({"TRAFFIC", "RECRUIT"}),
}
UNMAPPED = ("NATURAL_DISASTER", "MAN_MADE_DISASTER", "ATTRIB", "HQ_ESTABLISHED", "OTHER")


def read_rows(path: Path, limit: int | None) -> list[tuple[str, str, str]]:
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader)
        rows = [(r[0], r[1], r[2].strip()) for r in reader if len(r) >= 3]
    return rows[:limit] if limit else rows


def _baseline() -> dict[str, float]:
    """Today's release figures (eval/baseline.json), printed beside the current ones."""
    import json

    path = Path(__file__).resolve().parent / "baseline.json"
    return dict(json.loads(path.read_text(encoding="utf-8")).get("case2021", {})) if path.exists() else {}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--errors", type=int, default=0, help="print N missed snippets")
    args = ap.parse_args()
    tsv = args.data / "dev.tsv"
    if not tsv.exists():
        print(f"no data at {tsv}", file=sys.stderr)
        return 2

    from newsgraph.extract.pipeline import extract_articles
    from newsgraph.model import Article

    rows = read_rows(tsv, args.limit)
    t0 = time.perf_counter()
    # Snippets carry no date; the shared task's year stands in (it only anchors relative times).
    graphs = list(extract_articles((Article.create(text, "2021-01-01") for _, text, _ in rows), batch_size=32))
    elapsed = time.perf_counter() - t0

    n: Counter[str] = Counter()
    covered: Counter[str] = Counter()
    hit: Counter[str] = Counter()
    good_events: Counter[str] = Counter()
    all_events: Counter[str] = Counter()
    predicted: dict[str, Counter[str]] = defaultdict(Counter)
    misses: list[tuple[str, str, list[str]]] = []
    for (_, text, gold), graph in zip(rows, graphs, strict=True):
        types = [e.type for e in graph.events]
        want = ACLED_TO_PLOVER.get(gold, frozenset())
        n[gold] += 1
        covered[gold] += bool(types)
        ok = any(t in want for t in types)
        hit[gold] += ok
        good_events[gold] += sum(t in want for t in types)
        all_events[gold] += len(types)
        predicted[gold].update(types)
        if want and not ok:
            misses.append((gold, text, types))

    def pct(a: int, b: int) -> str:
        return f"{100 * a / b:5.1f}" if b else "    -"

    print(f"CASE 2021 task 2 dev: {len(rows)} snippets, {elapsed:.1f}s ({len(rows) / elapsed:.1f} snippets/s)")
    print(f"{'ACLED type':31} {'n':>4} {'cover%':>7} {'hit%':>6} {'prec%':>6}  mapped to / predicted")
    for gold in sorted(ACLED_TO_PLOVER, key=lambda g: -n[g]):
        if not n[gold]:
            continue
        top = ", ".join(f"{t} {c}" for t, c in predicted[gold].most_common(3))
        print(
            f"{gold:31} {n[gold]:4} {pct(covered[gold], n[gold]):>7} {pct(hit[gold], n[gold]):>6} "
            f"{pct(good_events[gold], all_events[gold]):>6}  {'/'.join(sorted(ACLED_TO_PLOVER[gold]))} | {top}"
        )
    mapped = [g for g in ACLED_TO_PLOVER if n[g]]
    tn = sum(n[g] for g in mapped)
    print(
        f"{'micro (mapped types)':31} {tn:4} {pct(sum(covered[g] for g in mapped), tn):>7} "
        f"{pct(sum(hit[g] for g in mapped), tn):>6} "
        f"{pct(sum(good_events[g] for g in mapped), sum(all_events[g] for g in mapped)):>6}"
    )
    base = _baseline()
    if base:
        print(
            f"{'release baseline (baseline.json)':31} {base.get('n', ''):>4} {base.get('coverage', 0):7.1f} "
            f"{base.get('hit', 0):6.1f} {base.get('precision', 0):6.1f}"
        )
    for gold in UNMAPPED:
        if n[gold]:
            top = ", ".join(f"{t} {c}" for t, c in predicted[gold].most_common(3))
            print(f"{gold:31} {n[gold]:4} {pct(covered[gold], n[gold]):>7}  (unmapped: any event) | {top}")
    for gold, text, types in misses[: args.errors]:
        print(f"\nMISS {gold} -> {types or 'no event'}\n  {text[:300]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
