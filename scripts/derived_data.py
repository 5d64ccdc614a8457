"""Shared by the scripts that derive data files from ../shared/data/lexicons
(``derive_event_lexicon.py``, ``derive_actor_knowledge.py``): render the derived JSON (its
attribution and licence header first, one row a line for the long list) and write it, or, with
``--check``, fail when the committed file is stale (the tests run that)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any


def render(data: dict[str, Any], rows_key: str, *, sort_keys: bool = False) -> str:
    """The derived JSON: every key on one line, except ``rows_key``, a list written one row a
    line (reviewable diffs); ``sort_keys`` sorts the keys of the one-line values."""
    compact = (",", ":")
    lines = ["{"]
    keys = list(data)
    for i, key in enumerate(keys):
        comma = "," if i < len(keys) - 1 else ""
        if key == rows_key:
            rows = [json.dumps(r, ensure_ascii=False, separators=compact) for r in data[key]]
            lines.append(f'"{key}": [\n' + ",\n".join(rows) + f"\n]{comma}")
        elif sort_keys:
            lines.append(f'"{key}": {json.dumps(data[key], ensure_ascii=False, sort_keys=True)}{comma}')
        else:
            lines.append(f'"{key}": {json.dumps(data[key], ensure_ascii=False, separators=compact)}{comma}')
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(
    doc: str | None,
    derive: Callable[[Path], dict[str, Any]],
    render_data: Callable[[dict[str, Any]], str],
    summary: Callable[[dict[str, Any]], str],
    *,
    lexicons: Path,
    out: Path,
    make_target: str,
) -> int:
    """The command line of a derive script: ``--lexicons``, ``--out``, ``--check``."""
    ap = argparse.ArgumentParser(description=(doc or "").splitlines()[0] if doc else None)
    ap.add_argument("--lexicons", type=Path, default=lexicons)
    ap.add_argument("--out", type=Path, default=out)
    ap.add_argument("--check", action="store_true", help="exit 1 if the committed file differs from a fresh derivation")
    args = ap.parse_args()
    text = render_data(derive(args.lexicons))
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != text:
            print(f"{args.out} is stale: run `make {make_target}`", file=sys.stderr)
            return 1
        print(f"{args.out} is up to date")
        return 0
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}: {summary(json.loads(text))}")
    return 0
