"""Fuzz over the real corpora: every Wikinews and Reuters article, then each with random byte damage,
through the reader checks (`decode`, `make_article`) and every extraction component. Counts crashes.

A crash is any exception other than the reader's own `InputError` (a clear refusal of bad input).
Too slow for the default test suite (hours for the ~10,000 articles on a busy 2-core machine), so it
runs by hand; shard it over processes with ``--shard I/N``:

    .venv/bin/python bench/fuzz_corpora.py --shard 0/2 --json /tmp/fuzz0.json &
    .venv/bin/python bench/fuzz_corpora.py --shard 1/2 --json /tmp/fuzz1.json &

The damaged copies can also go through the real command: ``--write-damaged DIR`` writes each one
as ``DIR/<corpus>-<id>-<date>.txt`` (the date in the name is how a text file gives its date) and
stops; then ``newsgraph ingest DIR --db /tmp/x.db`` reads, decodes, extracts and stores them as a
user's folder is (a crash is a traceback or an ``extraction failed`` line; a refused file is an
``error`` line naming it). The clean articles go through ``newsgraph ingest`` of the JSONL files.

Reuters texts are research-only: they are read by path from ../shared/data, never copied into the
project (written damaged copies belong in a temporary directory, deleted after the run).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPORA = [
    ROOT.parent / "shared" / "data" / "wikinews" / "articles.jsonl",
    ROOT.parent / "shared" / "data" / "news_corpus" / "reuters21578_sample.jsonl",
]


def damage(data: bytes, rng: random.Random) -> bytes:
    """1-8 random byte edits: a flipped byte, a random byte inserted, a byte dropped, or a run of bytes
    overwritten with random ones (bad UTF-8, stray NULs and controls, cut multi-byte characters)."""
    buf = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if not buf:
            break
        i = rng.randrange(len(buf))
        op = rng.randrange(4)
        if op == 0:
            buf[i] ^= 1 << rng.randrange(8)
        elif op == 1:
            buf.insert(i, rng.randrange(256))
        elif op == 2:
            del buf[i]
        else:
            n = rng.randint(1, 16)
            buf[i : i + n] = bytes(rng.randrange(256) for _ in range(n))
    return bytes(buf)


def records(paths: list[Path], shard: int, shards: int) -> Iterator[tuple[str, dict[str, Any]]]:
    n = 0
    for path in paths:
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if not line.strip():
                    continue
                if n % shards == shard:
                    rec = json.loads(line)
                    yield f"{path.parent.name}/{rec.get('id') or n}", rec
                n += 1


def write_damaged(corpora: list[Path], out: Path, shard: int, shards: int, seed: int, limit: int) -> int:
    """Each article's damaged copy (the bytes `main` would check) as a text file for `newsgraph ingest`."""
    rng = random.Random(seed * 1000 + shard)
    out.mkdir(parents=True, exist_ok=True)
    n = 0
    for name, rec in records(corpora, shard, shards):
        if limit and n >= limit:
            break
        data = damage((rec.get("text") or "").encode("utf-8"), rng)
        date = str(rec.get("date") or "")[:10]
        stem = "".join(c if c.isalnum() or c in "-_" else "_" for c in name)[:80]
        (out / f"{stem}-{date if DATE.fullmatch(date) else 'undated'}.txt").write_bytes(data)
        n += 1
    print(f"wrote {n} damaged copies to {out}", flush=True)
    return 0


DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpora", nargs="*", type=Path, default=DEFAULT_CORPORA)
    ap.add_argument("--shard", default="0/1", help="I/N: this process takes every N-th article from the I-th")
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument("--limit", type=int, default=0, help="stop after this many articles (0: all)")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--variants", choices=("both", "clean", "damaged"), default="both")
    ap.add_argument("--json", type=Path, help="write the figures here (rewritten every batch)")
    ap.add_argument("--write-damaged", type=Path, metavar="DIR", help="only write each damaged copy as a .txt here")
    args = ap.parse_args()
    shard, shards = (int(x) for x in args.shard.split("/"))
    if args.write_damaged:
        return write_damaged(args.corpora, args.write_damaged, shard, shards, args.seed, args.limit)

    from newsgraph.extract.pipeline import build_graph
    from newsgraph.nlp import load_nlp
    from newsgraph.read.decode import InputError, decode
    from newsgraph.read.formats import make_article
    from newsgraph.settings import Settings

    settings = Settings()
    nlp = load_nlp()
    rng = random.Random(args.seed * 1000 + shard)
    figures: dict[str, Any] = {"articles": 0, "damaged": 0, "refused": 0, "extracted": 0, "crashes": 0}
    crashes: list[dict[str, str]] = []
    started = time.monotonic()

    def flush(batch: list[tuple[str, Any]]) -> None:
        docs = nlp.pipe((a.text for _, a in batch), batch_size=args.batch)
        for (name, article), doc in zip(batch, docs, strict=True):
            try:
                build_graph(article, doc)
                figures["extracted"] += 1
            except Exception as exc:
                figures["crashes"] += 1
                where = traceback.extract_tb(exc.__traceback__)[-1]
                crashes.append({"article": name, "error": f"{type(exc).__name__}: {exc}"[:300],
                                "at": f"{where.filename}:{where.lineno}"})  # fmt: skip
                print("CRASH", name, crashes[-1]["error"], crashes[-1]["at"], flush=True)
        batch.clear()
        figures["seconds"] = round(time.monotonic() - started)
        if args.json:
            args.json.write_text(json.dumps({**figures, "crash_list": crashes}, indent=1))

    batch: list[tuple[str, Any]] = []
    for name, rec in records(args.corpora, shard, shards):
        if args.limit and figures["articles"] >= args.limit:
            break
        figures["articles"] += 1
        raw = (rec.get("text") or "").encode("utf-8")
        variants = [(name, raw), (f"{name}+damage", damage(raw, rng))]
        for variant, data in {"both": variants, "clean": variants[:1], "damaged": variants[1:]}[args.variants]:
            figures["damaged"] += variant != name
            try:
                article = make_article(decode(data), rec.get("date"), settings, title=rec.get("title"))
            except InputError:
                figures["refused"] += 1
                continue
            except Exception as exc:
                figures["crashes"] += 1
                crashes.append({"article": variant, "error": f"{type(exc).__name__}: {exc}"[:300], "at": "read"})
                print("CRASH", variant, crashes[-1]["error"], flush=True)
                continue
            if article.language_supported:
                batch.append((variant, article))
        if len(batch) >= args.batch:
            flush(batch)
            print(f"progress {figures}", flush=True)
    flush(batch)
    print(f"done {figures}", flush=True)
    return 1 if figures["crashes"] else 0


if __name__ == "__main__":
    sys.exit(main())
