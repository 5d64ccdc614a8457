"""Cross-document event coreference on ECB+ with newsgraph's incident clustering.

    python eval/cdec_ecbplus.py [--data FILE.jsonl] [--clusters-out FILE] [--end-to-end]

(a) default: cluster the gold event mentions (in the annotated sentences, as ECB+'s README asks)
    with `newsgraph.incidents.IncidentIndex`; (b) `--end-to-end`: cluster the events newsgraph
    itself extracts from the same documents, scored on the gold mentions they overlap (a gold
    mention no extracted event overlaps stays a singleton in the response).
Prints P/R/F1 for MUC, B³, CEAF-e and the CoNLL F1 (their mean), scored with `scorch` (a Python
implementation of the CoNLL-2012 reference scorer), and a same-lemma baseline beside it.
Writes the clusters as JSONL {"doc_id", "m_id", "cluster"} so other scorers can check them.
The data (CC BY 3.0 annotation over news texts) is read by path, never copied into the repo.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from scorch import scores  # type: ignore[import-untyped]

from newsgraph.incidents import EventReport, IncidentIndex

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "cdec" / "ecbplus_dev.jsonl"


def load(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def gold_mentions(docs: list[dict[str, Any]]) -> list[tuple[str, str, dict[str, Any]]]:
    """(doc_id, m_id, mention) for every gold event mention in an annotated sentence."""
    out = []
    for doc in docs:
        annotated = set(doc.get("annotated_sentences") or [])
        for m in doc["mentions"]:
            if m["kind"] == "event" and (m.get("in_annotated_sentence") or m["sentence"] in annotated):
                out.append((doc["doc_id"], m["m_id"], m))
    return out


def gold_clusters(mentions: list[tuple[str, str, dict[str, Any]]]) -> dict[tuple[str, str], str]:
    return {
        (d, i): (m["cluster_id"] if m.get("cluster_id") else f"singleton:{d}:{i}") for d, i, m in mentions
    }


class Parser:
    """spaCy over ECB+'s own tokens (no re-tokenising), sentence by sentence, cached per document."""

    def __init__(self) -> None:
        from spacy.tokens import Doc

        from newsgraph.nlp import load_nlp

        self.nlp = load_nlp()
        self.Doc = Doc
        self.cache: dict[tuple[str, int], Any] = {}

    def sentence(self, doc: dict[str, Any], index: int) -> Any:
        key = (doc["doc_id"], index)
        if key not in self.cache:
            words = doc["sentences"][doc["sentence_ids"].index(index)]
            parsed = self.Doc(self.nlp.vocab, words=words)
            for _, proc in self.nlp.pipeline:
                parsed = proc(parsed)
            self.cache[key] = parsed
        return self.cache[key]


def head_lemma(parsed: Any, start: int, end: int) -> str:
    """The lemma of the mention's syntactic head (the token whose head lies outside the span)."""
    span = parsed[start:end]
    heads = [t for t in span if not (start <= t.head.i < end) or t.head.i == t.i]
    token = heads[0] if heads else span[-1]
    return str(token.lemma_.lower() or token.text.lower())


def participants(parsed: Any) -> frozenset[str]:
    return frozenset(e.text.lower() for e in parsed.ents if e.label_ in {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"})


def doc_text(doc: dict[str, Any]) -> str:
    return "\n".join(" ".join(s) for s in doc["sentences"])


def cluster_gold(docs: list[dict[str, Any]], *, lemma_only: bool = False) -> dict[tuple[str, str], str]:
    """(a): newsgraph's incident clustering over the gold event mentions."""
    parser = Parser()
    by_doc = {d["doc_id"]: d for d in docs}
    index = IncidentIndex(allow_same_article=True)
    for d in docs:
        index.set_article_text(d["doc_id"], doc_text(d))
    response: dict[tuple[str, str], str] = {}
    for doc_id, m_id, m in gold_mentions(docs):
        doc = by_doc[doc_id]
        parsed = parser.sentence(doc, m["sentence"])
        lemma = head_lemma(parsed, m["start"], m["end"])
        if lemma_only:
            response[(doc_id, m_id)] = f"lemma:{lemma}"
            continue
        report = EventReport(
            key=f"{doc_id}/{m_id}",
            article_id=doc_id,
            type=None,
            lemma=lemma,
            sentence=parsed.text,
            participants=participants(parsed),
        )
        response[(doc_id, m_id)] = index.add(report)
    return response


def cluster_end_to_end(docs: list[dict[str, Any]]) -> dict[tuple[str, str], str]:
    """(b): incidents over the events newsgraph extracts, mapped to the gold mentions they overlap."""
    from newsgraph.extract.pipeline import extract_article
    from newsgraph.model import Article

    index = IncidentIndex(allow_same_article=True)
    response: dict[tuple[str, str], str] = {}
    for doc in docs:
        lines = [" ".join(s) for s in doc["sentences"]]
        text = "\n\n".join(lines)
        offsets, pos = [], 0
        for line in lines:
            offsets.append(pos)
            pos += len(line) + 2
        graph = extract_article(Article.create(text, None))
        index.set_article_text(doc["doc_id"], text)
        names = {e.id: e.name.lower() for e in graph.entities}
        event_incident: list[tuple[int, int, str]] = []
        for ev in graph.events:
            report = EventReport(
                key=f"{doc['doc_id']}/{ev.id}",
                article_id=doc["doc_id"],
                type=ev.type,
                lemma=ev.trigger.lower(),
                sentence=text[ev.start : ev.end],
                source=names.get(ev.source or ""),
                target=names.get(ev.target or ""),
                negated=ev.negated,
            )
            if ev.trigger_start is not None and ev.trigger_end is not None:
                start, end = ev.trigger_start, ev.trigger_end
            else:  # the trigger word inside the evidence clause, never the whole clause
                at = text.find(ev.trigger, ev.start, ev.end)
                start, end = (at, at + len(ev.trigger)) if at >= 0 else (ev.start, ev.start)
            event_incident.append((start, end, index.add(report)))
        for _, m_id, m in gold_mentions([doc]):
            sent = doc["sentence_ids"].index(m["sentence"])
            words = doc["sentences"][sent]
            start = offsets[sent] + sum(len(w) + 1 for w in words[: m["start"]])
            end = offsets[sent] + sum(len(w) + 1 for w in words[: m["end"]]) - 1
            hit = next((inc for s, e, inc in event_incident if s < end and start < e), None)
            response[(doc["doc_id"], m_id)] = hit or f"singleton:{doc['doc_id']}:{m_id}"
    return response


def as_sets(assignment: dict[tuple[str, str], str]) -> list[set[tuple[str, str]]]:
    groups: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for mention, cluster in assignment.items():
        groups[cluster].add(mention)
    return list(groups.values())


def evaluate(key: dict[tuple[str, str], str], response: dict[tuple[str, str], str]) -> dict[str, tuple[float, ...]]:
    k, r = as_sets(key), as_sets(response)
    out = {
        "MUC": tuple(scores.muc(k, r)),
        "B3": tuple(scores.b_cubed(k, r)),
        "CEAF-e": tuple(scores.ceaf_e(k, r)),
    }
    out["CoNLL"] = (sum(v[2] for v in out.values()) / 3,)
    return out


def show(name: str, result: dict[str, tuple[float, ...]]) -> None:
    parts = [f"{m} P {v[0]:.3f} R {v[1]:.3f} F1 {v[2]:.3f}" for m, v in result.items() if m != "CoNLL"]
    print(f"{name:<28} " + " | ".join(parts) + f" | CoNLL F1 {result['CoNLL'][0]:.3f}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT)
    ap.add_argument("--clusters-out", type=Path)
    ap.add_argument("--end-to-end", action="store_true", help="(b): cluster newsgraph's own extracted events")
    args = ap.parse_args(argv)
    if not args.data.exists():
        print(f"no such file: {args.data}", file=sys.stderr)
        return 2
    docs = load(args.data)
    key = gold_clusters(gold_mentions(docs))
    print(f"{args.data.name}: {len(docs)} documents, {len(key)} gold event mentions, "
          f"{len(set(key.values()))} gold clusters")  # fmt: skip
    show("same-lemma baseline", evaluate(key, cluster_gold(docs, lemma_only=True)))
    response = cluster_end_to_end(docs) if args.end_to_end else cluster_gold(docs)
    show("newsgraph (b) end to end" if args.end_to_end else "newsgraph (a) gold mentions", evaluate(key, response))
    if args.clusters_out:
        with args.clusters_out.open("w", encoding="utf-8") as fh:
            for (doc_id, m_id), cluster in sorted(response.items()):
                fh.write(json.dumps({"doc_id": doc_id, "m_id": m_id, "cluster": cluster}) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
