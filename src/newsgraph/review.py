"""Review and correct: an analyst's judgements on facts, kept apart from machine output (pure logic, no SQL).

As nomenklatura keeps its judgements beside the data and followthemoney its statements, a
`Judgement` never edits an extracted row. It is anchored to what survives a re-extraction: the
article (its id is a hash of its text), the fact's kind and its evidence span with a label (event
type, relation type, the quote's words…), never to a row id. `locate` finds the anchored fact again
in a new extraction: the same span and label, else the same label on the most overlapping span of
that kind; when nothing matches, the judgement is *orphaned*: flagged for a look, never dropped.

Judgements are append-only: the newest judgement on an anchor is its status, the older ones are the
audit log (who, when, before, after, why). `merge_imports` brings another analyst's judgements in
and lists conflicts instead of overwriting. `precision` measures the extractor on reviewed facts.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal, cast

from newsgraph.model import ArticleGraph, Attribution, Entity, Event, Quote, Relation

FactKind = Literal["event", "relation", "attribution", "quote", "entity"]
Verdict = Literal["confirm", "reject", "correct", "note"]
FACT_KINDS: tuple[FactKind, ...] = ("event", "relation", "attribution", "quote", "entity")
VERDICTS: tuple[Verdict, ...] = ("confirm", "reject", "correct", "note")

# What a correction may change, per kind of fact (the fields an analyst can see and judge).
CORRECTABLE: dict[FactKind, tuple[str, ...]] = {
    "event": ("type", "source", "target", "date", "certainty", "location"),
    "relation": ("type", "source", "target", "certainty"),
    "attribution": ("source", "certainty"),
    "quote": ("speaker", "channel"),
    "entity": ("type", "name"),
}

Fact = Event | Relation | Attribution | Quote | Entity


class ReviewError(ValueError):
    """A judgement that cannot be made: an unknown fact, kind, verdict or field."""


@dataclass(frozen=True)
class Anchor:
    """Where a judged fact lives, in terms that survive re-extraction."""

    article_id: str
    kind: FactKind
    start: int
    end: int
    label: str  # event/relation type, the quote's words, the attribution's cue, the entity's name

    @property
    def key(self) -> str:
        raw = f"{self.article_id}|{self.kind}|{self.start}|{self.end}|{self.label}"
        return hashlib.sha256(raw.encode()).hexdigest()[:20]


@dataclass
class Judgement:
    anchor: Anchor
    verdict: Verdict
    reviewer: str
    at: str  # ISO timestamp, UTC
    corrections: dict[str, str] = field(default_factory=dict)  # field -> corrected value
    note: str | None = None
    before: dict[str, Any] = field(default_factory=dict)  # the machine's values when judged
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            raw = f"{self.anchor.key}|{self.verdict}|{self.reviewer}|{self.at}|{sorted(self.corrections.items())}"
            self.id = hashlib.sha256(raw.encode()).hexdigest()[:20]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Judgement:
        anchor = data.get("anchor")
        if not isinstance(anchor, dict):
            raise ReviewError("a judgement needs an 'anchor' object")
        try:
            made = cls(
                anchor=Anchor(
                    article_id=str(anchor["article_id"]),
                    kind=cast(FactKind, anchor["kind"]),
                    start=int(anchor["start"]),
                    end=int(anchor["end"]),
                    label=str(anchor["label"]),
                ),
                verdict=cast(Verdict, data["verdict"]),
                reviewer=str(data["reviewer"]),
                at=str(data["at"]),
                corrections={str(k): str(v) for k, v in (data.get("corrections") or {}).items()},
                note=data.get("note"),
                before=dict(data.get("before") or {}),
                id=str(data.get("id") or ""),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ReviewError(f"malformed judgement: {exc}") from exc
        validate(made)
        return made


def validate(judgement: Judgement) -> None:
    if judgement.anchor.kind not in FACT_KINDS:
        raise ReviewError(f"unknown fact kind {judgement.anchor.kind!r} (one of {', '.join(FACT_KINDS)})")
    if judgement.verdict not in VERDICTS:
        raise ReviewError(f"unknown verdict {judgement.verdict!r} (one of {', '.join(VERDICTS)})")
    allowed = CORRECTABLE[judgement.anchor.kind]
    for name in judgement.corrections:
        if name not in allowed:
            raise ReviewError(
                f"a {judgement.anchor.kind} has no correctable field {name!r} (one of {', '.join(allowed)})"
            )
    if judgement.verdict == "correct" and not judgement.corrections:
        raise ReviewError("a correction needs at least one field=value")


def reviewer_name() -> str:
    """Who is reviewing: $NEWSGRAPH_REVIEWER, else the login name."""
    return os.environ.get("NEWSGRAPH_REVIEWER") or getpass.getuser() or "unknown"


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def facts_of(graph: ArticleGraph, kind: FactKind) -> Sequence[Fact]:
    if kind == "event":
        return graph.events
    if kind == "relation":
        return graph.relations
    if kind == "attribution":
        return graph.attributions
    if kind == "quote":
        return graph.quotes
    return graph.entities


def span_and_label(kind: FactKind, fact: Fact) -> tuple[int, int, str]:
    """The evidence span and the label a fact is anchored by."""
    if isinstance(fact, Event):
        return fact.start, fact.end, fact.type
    if isinstance(fact, Relation):
        return fact.start, fact.end, fact.type
    if isinstance(fact, Attribution):
        return fact.content_span[0], fact.content_span[1], fact.cue or ""
    if isinstance(fact, Quote):
        return fact.start, fact.end, fact.text
    first = min(fact.mentions, key=lambda m: m.start) if fact.mentions else None
    return (first.start, first.end, fact.name) if first else (0, 0, fact.name)


def anchor_of(graph: ArticleGraph, kind: FactKind, fact_id: str) -> tuple[Anchor, Fact]:
    if kind not in FACT_KINDS:
        raise ReviewError(f"unknown fact kind {kind!r} (one of {', '.join(FACT_KINDS)})")
    fact = next((f for f in facts_of(graph, kind) if f.id == fact_id), None)
    if fact is None:
        raise ReviewError(f"article {graph.article.id[:12]} has no {kind} {fact_id!r}")
    start, end, label = span_and_label(kind, fact)
    return Anchor(graph.article.id, kind, start, end, label), fact


def visible_values(kind: FactKind, fact: Fact, graph: ArticleGraph) -> dict[str, Any]:
    """The judged fields as the analyst saw them (entity ids shown as names)."""
    names = {e.id: e.name for e in graph.entities}
    values: dict[str, Any] = {}
    for name in CORRECTABLE[kind]:
        value = getattr(fact, name, None)
        if name == "date" and value is not None:
            value = getattr(value, "value", value)
        if name in {"source", "target", "speaker", "location"} and isinstance(value, str):
            value = names.get(value, value)
        values[name] = value
    return values


def judge(
    graph: ArticleGraph,
    kind: FactKind,
    fact_id: str,
    verdict: Verdict,
    *,
    corrections: dict[str, str] | None = None,
    note: str | None = None,
    reviewer: str | None = None,
) -> Judgement:
    """A new judgement on one fact of `graph` (validated; the machine's values kept as `before`)."""
    anchor, fact = anchor_of(graph, kind, fact_id)
    made = Judgement(
        anchor=anchor,
        verdict=verdict,
        reviewer=reviewer or reviewer_name(),
        at=now(),
        corrections=dict(corrections or {}),
        note=note,
        before=visible_values(kind, fact, graph),
    )
    validate(made)
    return made


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def locate(anchor: Anchor, graph: ArticleGraph) -> Fact | None:
    """The fact an anchor names in (a possibly new extraction of) its article, or None: orphaned."""
    if graph.article.id != anchor.article_id:
        return None
    best: tuple[int, Fact] | None = None
    for fact in facts_of(graph, anchor.kind):
        start, end, label = span_and_label(anchor.kind, fact)
        if (start, end, label) == (anchor.start, anchor.end, anchor.label):
            return fact
        shared = _overlap((start, end), (anchor.start, anchor.end))
        if label == anchor.label and shared and (best is None or shared > best[0]):
            best = (shared, fact)
    return best[1] if best else None


def current(judgements: Iterable[Judgement]) -> dict[str, Judgement]:
    """The status of each anchor: its newest confirm/reject/correct (notes never change a status)."""
    status: dict[str, Judgement] = {}
    for j in sorted(judgements, key=lambda j: j.at):
        if j.verdict != "note":
            status[j.anchor.key] = j
    return status


@dataclass
class ReviewState:
    """One fact's review status, for the web view, the API, the CLI and exports."""

    status: Literal["unreviewed", "confirmed", "rejected", "corrected"]
    reviewer: str | None = None
    at: str | None = None
    corrections: dict[str, str] = field(default_factory=dict)
    before: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


_STATUS = {"confirm": "confirmed", "reject": "rejected", "correct": "corrected"}


def states(
    graph: ArticleGraph, judgements: Iterable[Judgement]
) -> tuple[dict[tuple[str, str], ReviewState], list[Judgement]]:
    """Each judged fact's state in `graph`, keyed by (kind, fact id), and the orphaned judgements."""
    mine = [j for j in judgements if j.anchor.article_id == graph.article.id]
    latest = current(mine)
    found: dict[tuple[str, str], ReviewState] = {}
    orphans: list[Judgement] = []
    for j in sorted(mine, key=lambda j: j.at):
        fact = locate(j.anchor, graph)
        if fact is None:
            orphans.append(j)
            continue
        state = found.setdefault((j.anchor.kind, fact.id), ReviewState("unreviewed"))
        if j.note:
            state.notes.append(j.note)
        if latest.get(j.anchor.key) is j:
            state.status = cast(Any, _STATUS[j.verdict])
            state.reviewer, state.at = j.reviewer, j.at
            state.corrections, state.before = dict(j.corrections), dict(j.before)
    return found, orphans


@dataclass
class ImportResult:
    added: list[Judgement]
    duplicates: int
    conflicts: list[tuple[Judgement, Judgement]]  # (ours, theirs): same anchor, different status


def merge_imports(ours: Iterable[Judgement], theirs: Iterable[Judgement]) -> ImportResult:
    """Bring in another analyst's judgements: new ones added, same ones skipped, disagreements listed."""
    known = {j.id for j in ours}
    our_status = current(ours)
    added: list[Judgement] = []
    conflicts: list[tuple[Judgement, Judgement]] = []
    duplicates = 0
    for j in theirs:
        if j.id in known:
            duplicates += 1
            continue
        mine = our_status.get(j.anchor.key)
        if mine and j.verdict != "note" and (mine.verdict, mine.corrections) != (j.verdict, j.corrections):
            conflicts.append((mine, j))
            continue
        added.append(j)
    return ImportResult(added, duplicates, conflicts)


def precision(judgements: Iterable[Judgement]) -> dict[str, dict[str, float | int]]:
    """The extractor's precision per kind of fact on reviewed facts: confirmed / (confirmed+rejected+corrected)."""
    out: dict[str, dict[str, float | int]] = {}
    for j in current(judgements).values():
        row = out.setdefault(j.anchor.kind, {"reviewed": 0, "confirmed": 0, "rejected": 0, "corrected": 0})
        row["reviewed"] += 1
        row[_STATUS[j.verdict]] += 1
    for row in out.values():
        row["precision"] = round(row["confirmed"] / row["reviewed"], 3) if row["reviewed"] else 0.0
    return out


def dumps(judgements: Iterable[Judgement]) -> str:
    return "".join(json.dumps(j.to_dict(), ensure_ascii=False, sort_keys=True) + "\n" for j in judgements)


def loads(text: str, *, source: str = "input") -> list[Judgement]:
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            out.append(Judgement.from_dict(json.loads(line)))
        except (json.JSONDecodeError, ReviewError) as exc:
            raise ReviewError(f"{source}, line {n}: {exc}") from exc
    return out
