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
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal, Protocol, cast

from newsgraph.model import CERTAINTIES, ArticleGraph, Attribution, DateValue, Entity, Event, Quote, Relation

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
ENTITY_FIELDS = ("source", "target", "speaker", "location")  # corrected with an entity id (or a name, or "")
_ISO_PREFIX = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


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
    certainty = judgement.corrections.get("certainty")
    if certainty is not None and certainty not in CERTAINTIES:
        raise ReviewError(f"certainty {certainty!r} is none of {', '.join(CERTAINTIES)}")
    date = judgement.corrections.get("date")
    if date and not _ISO_PREFIX.match(date):
        raise ReviewError(f"date {date!r} is no ISO date (2024, 2024-03 or 2024-03-04)")


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


# ---- the reviewed version of a graph (exports, filters) -----------------------------------------

REVIEW_STATUSES = ("unreviewed", "confirmed", "rejected", "corrected")


def keeps(status: str | None, *, confirmed_only: bool = False, hide_rejected: bool = False) -> bool:
    """Whether a fact with this status passes the "confirmed only" / "hide rejected" filters.

    "Confirmed only" keeps what a reviewer checked and found right or corrected; ``None`` is something
    that is no reviewable fact (a co-mention, an appearance), which "confirmed only" drops too."""
    if hide_rejected and status == "rejected":
        return False
    return not confirmed_only or status in ("confirmed", "corrected")


def state_dict(state: ReviewState | None) -> dict[str, Any]:
    """A fact's review state as JSON (``{"status": "unreviewed"}`` when nobody judged it)."""
    if state is None:
        return {"status": "unreviewed"}
    return {"status": state.status, "reviewer": state.reviewer, "at": state.at, "corrections": state.corrections,
            "machine": state.before, "notes": state.notes}  # fmt: skip


def _entity_ref(graph: ArticleGraph, value: str) -> str | None:
    """A corrected actor as an entity id of ``graph``: the id itself, else the entity of that name; "" is none."""
    value = value.strip()
    if not value or value.lower() in {"none", "-"}:
        return None
    for ent in graph.entities:
        if ent.id == value:
            return ent.id
    folded = value.casefold().removeprefix("the ")
    for ent in graph.entities:
        plain = re.sub(r"\s*\(.*\)$", "", ent.name).casefold()  # "police (Nepal)" is named "police" too
        if folded in (ent.name.casefold(), plain) or any(a.casefold() == folded for a in ent.aliases):
            return ent.id
    return None


def corrected(graph: ArticleGraph, fact: Fact, corrections: dict[str, str]) -> Fact:
    """``fact`` with an analyst's corrections applied (the machine's fact is left as it was)."""
    changes: dict[str, Any] = {}
    for name, value in corrections.items():
        if name in ENTITY_FIELDS:
            changes[name] = _entity_ref(graph, value)
        elif name == "date":
            changes[name] = DateValue(value) if value else None
        elif hasattr(fact, name):
            changes[name] = value
    if isinstance(fact, Relation):  # a relation always has both ends: an unknown actor leaves the machine's
        changes = {k: v for k, v in changes.items() if k not in ("source", "target") or v}
    return replace(fact, **changes)


def reviewed_graph(
    graph: ArticleGraph, judgements: Iterable[Judgement], *, confirmed_only: bool = False, hide_rejected: bool = False
) -> tuple[ArticleGraph, dict[tuple[str, str], ReviewState]]:
    """The graph as reviewed: corrections applied, filtered facts left out; and each judged fact's state.

    The filters apply to facts (events, relations, attributions, quotes); entities stay (facts name them)
    and take their corrected name or type."""
    found, _orphans = states(graph, judgements)
    if not found and not confirmed_only:
        return graph, found

    def review(kind: FactKind, facts: Sequence[Any]) -> list[Any]:
        out = []
        for fact in facts:
            st = found.get((kind, fact.id))
            status = st.status if st else "unreviewed"
            if kind != "entity" and not keeps(status, confirmed_only=confirmed_only, hide_rejected=hide_rejected):
                continue
            out.append(corrected(graph, fact, st.corrections) if st and st.status == "corrected" else fact)
        return out

    return replace(
        graph,
        entities=review("entity", graph.entities),
        events=review("event", graph.events),
        relations=review("relation", graph.relations),
        attributions=review("attribution", graph.attributions),
        quotes=review("quote", graph.quotes),
    ), found


class JudgementSource(Protocol):
    def judgements(self, *, article_id: str | None = None) -> list[Judgement]: ...

    def get_graph(self, article_id: str) -> ArticleGraph | None: ...


class Reviews:
    """The review state of facts across a store: every judgement read once, graphs only of judged articles.

    Pass graphs through `apply` to get them as reviewed (exports); `state` answers one fact (the API)."""

    def __init__(self, store: JudgementSource, *, confirmed_only: bool = False, hide_rejected: bool = False) -> None:
        self.store = store
        self.confirmed_only, self.hide_rejected = confirmed_only, hide_rejected
        self.by_article: dict[str, list[Judgement]] = {}
        for j in store.judgements():
            self.by_article.setdefault(j.anchor.article_id, []).append(j)
        self._states: dict[str, dict[tuple[str, str], ReviewState]] = {}

    @property
    def filtering(self) -> bool:
        return self.confirmed_only or self.hide_rejected

    def __bool__(self) -> bool:
        return bool(self.by_article)

    def of_article(self, article_id: str) -> dict[tuple[str, str], ReviewState]:
        if article_id not in self.by_article:
            return {}
        if article_id not in self._states:
            graph = self.store.get_graph(article_id)
            self._states[article_id] = states(graph, self.by_article[article_id])[0] if graph else {}
        return self._states[article_id]

    def state(self, article_id: str, kind: str, fact_id: str) -> ReviewState | None:
        return self.of_article(article_id).get((kind, fact_id))

    def status(self, article_id: str, kind: str, fact_id: str) -> str:
        st = self.state(article_id, kind, fact_id)
        return st.status if st else "unreviewed"

    def apply(self, graphs: Iterable[ArticleGraph]) -> Iterator[ArticleGraph]:
        """Each graph as reviewed (corrections applied, filtered); its states kept for `state`."""
        for graph in graphs:
            mine = self.by_article.get(graph.article.id, [])
            if not mine and not self.confirmed_only:
                yield graph
                continue
            out, found = reviewed_graph(graph, mine, confirmed_only=self.confirmed_only,
                                        hide_rejected=self.hide_rejected)  # fmt: skip
            self._states[graph.article.id] = found
            yield out

    def columns(self, article_id: str, kind: str, fact_id: str) -> dict[str, str]:
        """The review columns of a table row (CSV, GraphML): status, reviewer, when, the machine's values."""
        st = self.state(article_id, kind, fact_id)
        if st is None:
            return {"review_status": "unreviewed", "reviewed_by": "", "reviewed_at": "", "machine": ""}
        machine = json.dumps({k: st.before.get(k) for k in st.corrections}, ensure_ascii=False, default=str)
        return {"review_status": st.status, "reviewed_by": st.reviewer or "", "reviewed_at": st.at or "",
                "machine": machine if st.status == "corrected" else ""}  # fmt: skip


# ---- review states in query answers (API, CLI) --------------------------------------------------

POINTERS: tuple[FactKind, ...] = ("event", "relation", "attribution", "quote")


@dataclass(frozen=True)
class ReviewFilter:
    """The review filters of fact listings: "confirmed only", "hide rejected"."""

    confirmed_only: bool = False
    hide_rejected: bool = False


def _pointer_status(reviews: Reviews, node: dict[str, Any]) -> str | None:
    """The review status of a provenance pointer (``review`` added to it), None when it is no fact."""
    if node.get("kind") not in POINTERS or not node.get("article_id") or not node.get("fact_id"):
        return None
    state = reviews.state(str(node["article_id"]), str(node["kind"]), str(node["fact_id"]))
    if state is not None:
        node["review"] = state_dict(state)
    return state.status if state else "unreviewed"


def _walk(reviews: Reviews, node: Any, rf: ReviewFilter) -> bool:
    """Mark every fact in a JSON answer with its review state, and drop what the filters leave out.

    Returns whether ``node`` stays. An item carrying a list of evidence (a link, a claim) keeps the
    evidence that passes and goes when none does; its ``count`` loses the pointers dropped."""
    if isinstance(node, list):
        node[:] = [x for x in node if _walk(reviews, x, rf)]
        return True
    if not isinstance(node, dict):
        return True
    flt = {"confirmed_only": rf.confirmed_only, "hide_rejected": rf.hide_rejected}
    own = _pointer_status(reviews, node)
    evidence = node.get("evidence")
    if isinstance(evidence, list) and evidence and all(isinstance(x, dict) for x in evidence):
        found = [(x, _pointer_status(reviews, x)) for x in evidence]
        kept = [x for x, status in found if keeps(status, **flt)]
        if not kept:
            return False
        if len(kept) < len(evidence):
            node["evidence"] = kept
            if isinstance(node.get("count"), int):
                node["count"] = max(len(kept), node["count"] - (len(evidence) - len(kept)))
        tally: dict[str, int] = {}
        for _x, status in found:
            if status and status != "unreviewed":
                tally[status] = tally.get(status, 0) + 1
        if tally:
            node["review_counts"] = tally
    elif isinstance(evidence, dict):
        status = _pointer_status(reviews, evidence)
        own = own if own is not None else status
        if own is None and (rf.confirmed_only and evidence.get("kind")):
            return False
    if own is not None and not keeps(own, **flt):
        return False
    for key, value in node.items():
        if key != "evidence" and isinstance(value, list | dict):
            _walk(reviews, value, rf)
    return True


def with_reviews(store: JudgementSource, data: dict[str, Any], rf: ReviewFilter | None = None) -> dict[str, Any]:
    """A query answer with each fact's review state (``review``) and the review filters applied.

    Nothing to do (and nothing read but the judgements) in a store nobody reviewed yet."""
    rf = rf or ReviewFilter()
    reviews = Reviews(store)
    if not reviews and not rf.confirmed_only:
        return data
    _walk(reviews, data, rf)
    if "nodes" in data and "edges" in data and (rf.confirmed_only or rf.hide_rejected):
        linked = {e["source"] for e in data["edges"]} | {e["target"] for e in data["edges"]}
        data["nodes"] = [n for n in data["nodes"] if n.get("focus") or n["id"] in linked]
    if isinstance(data.get("items"), list) and data["items"] and "claims" in data["items"][0]:
        data["items"] = [g for g in data["items"] if g.get("claims")]
    return data
