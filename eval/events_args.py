#!/usr/bin/env python3
"""Who did what to whom (issue 12): PLOVER gold records and WikiEvents, current vs today's release.

Usage: .venv/bin/python eval/events_args.py [plover|wikievents|all] [--verbose]

Runs the shared scorer (``../shared/tools/score_events.py``) on ``.venv/bin/newsgraph extract``
output and prints each figure beside the release baseline recorded in ``eval/baseline.json``
(measured on main before the issue-12 work). Type hit: an event of the gold type in the gold
sentence; edge hit: such an event whose source and target name the gold actors (see the
scorer's --help). The data stay in ``../shared/data``; nothing is copied into the repository.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCORER = ROOT.parent / "shared" / "tools" / "score_events.py"
WIKIEVENTS = ROOT.parent / "shared" / "data" / "wikievents"
BASELINE = Path(__file__).resolve().parent / "baseline.json"
FIGURE = re.compile(r"type hit ([0-9.]+), edge hit ([0-9.]+)")


def realigned_wikievents(folder: Path) -> Path:
    """A copy of WikiEvents dev whose ``text`` matches its own token offsets.

    In the shared ``dev.jsonl`` the sentences are joined with no separator ("…in SyriaThe desert…")
    while every token's character offsets count one space between sentences, so most gold mentions
    and sentence spans point a few characters off the text the scorer hands to newsgraph. Here each
    token is written at its own offsets (spaces between), which restores both the offsets and the
    sentence breaks; the scorer itself is unchanged. The copy lives in a temporary folder only.
    """
    for name in ("dev.jsonl", "coref_dev.jsonlines"):
        lines = (WIKIEVENTS / name).read_text(encoding="utf-8").splitlines()
        if name == "dev.jsonl":
            fixed = []
            for line in lines:
                doc = json.loads(line)
                tokens = [t for sentence in doc["sentences"] for t in sentence[0]]
                chars = [" "] * max(end for _, _, end in tokens)
                for text, start, end in tokens:
                    if len(text) == end - start:  # a slice of another length would shift the rest
                        chars[start:end] = text
                doc["text"] = "".join(chars)
                fixed.append(json.dumps(doc))
            lines = fixed
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def run(which: str, verbose: bool, path: Path | None = None) -> dict[str, float]:
    where = [str(path)] if path else []  # the scorer reads its positionals together: set, then path
    cmd = [sys.executable, str(SCORER), which, *where, "--newsgraph", str(ROOT / ".venv" / "bin" / "newsgraph")]
    out = subprocess.run(cmd + (["--verbose"] if verbose else []), capture_output=True, text=True, cwd=ROOT)
    if out.returncode:
        sys.exit(out.stderr[-1000:])
    if verbose:
        print(out.stdout)
    m = FIGURE.search(out.stdout)
    if not m:
        sys.exit(f"no figures in scorer output:\n{out.stdout[-1000:]}")
    return {"type_hit": float(m.group(1)), "edge_hit": float(m.group(2))}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("set", nargs="?", default="all", choices=["plover", "wikievents", "all"])
    ap.add_argument("--verbose", action="store_true", help="also print the scorer's misses")
    ap.add_argument(
        "--realigned",
        action="store_true",
        help="also score WikiEvents on a copy whose text matches its token offsets (see realigned_wikievents)",
    )
    args = ap.parse_args()
    if not SCORER.exists():
        print(f"no scorer at {SCORER}", file=sys.stderr)
        return 2
    base = json.loads(BASELINE.read_text(encoding="utf-8"))
    sets = ["plover", "wikievents"] if args.set == "all" else [args.set]
    print(f"{'set':12} {'figure':10} {'baseline':>9} {'now':>7} {'target':>7}")
    for which in sets:
        now = run(which, args.verbose)
        ref = base[which]
        for key in ("type_hit", "edge_hit"):
            target = ref.get("targets", {}).get(key)
            print(f"{which:12} {key:10} {ref[key]:9.3f} {now[key]:7.3f} {'>= ' + str(target) if target else '':>7}")
        if which == "wikievents" and args.realigned:
            with tempfile.TemporaryDirectory() as tmp:
                fixed = run(which, args.verbose, realigned_wikievents(Path(tmp)))
            for key in ("type_hit", "edge_hit"):
                target = ref.get("targets", {}).get(key)
                goal = f">= {target}" if target else ""
                print(f"{'wikievents*':12} {key + '*':10} {'':>9} {fixed[key]:7.3f} {goal:>7}")
            print("* realigned: the text rebuilt from the tokens at their own offsets (the scorer unchanged)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
