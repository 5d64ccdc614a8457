"""The plain, typed values every stage passes along.

One `Article` goes in; one `ArticleGraph` comes out of extraction, is stored,
exported and served. The graph serialises to the interchange format defined in
``shared/seed/README.md`` (``to_dict`` / ``from_dict``); fields beyond that
contract are extras the format welcomes.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal, TypeVar, cast, get_args

EntityType = Literal["Person", "Organization", "Country", "Place", "Group"]
ENTITY_TYPES: tuple[str, ...] = get_args(EntityType)

Certainty = Literal["asserted", "alleged", "denied", "hypothetical"]
CERTAINTIES: tuple[str, ...] = get_args(Certainty)

Qualifier = Literal["before", "after", "about"] | None

EventType = Literal[
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
    "RECRUIT", "TRAFFIC", "INVESTIGATE",
]  # fmt: skip
EVENT_TYPES: tuple[str, ...] = get_args(EventType)

RelationType = Literal[
    "linked_to", "member_of", "leader_of", "located_in", "funds", "benefits", "affiliated_with", "works_for",
]  # fmt: skip
RELATION_TYPES: tuple[str, ...] = get_args(RelationType)
TimexType = Literal["DATE", "TIME", "DURATION", "SET"]


def _one_of(value: str | None, allowed: tuple[str, ...], what: str) -> str:
    if value not in allowed:
        raise ValueError(f"{value!r} is not one of the {what} ({', '.join(allowed)})")
    return value


def as_event_type(value: str) -> EventType:
    """``value`` as an event type, checked (rule data is validated when loaded; this types it)."""
    return cast(EventType, _one_of(value, EVENT_TYPES, "event types"))


def as_relation_type(value: str) -> RelationType:
    return cast(RelationType, _one_of(value, RELATION_TYPES, "relation types"))


def as_entity_type(value: str) -> EntityType:
    return cast(EntityType, _one_of(value, ENTITY_TYPES, "entity types"))


def as_certainty(value: str) -> Certainty:
    return cast(Certainty, _one_of(value, CERTAINTIES, "certainty values"))


def as_qualifier(value: str | None) -> Qualifier:
    return None if value is None else cast(Qualifier, _one_of(value, ("before", "after", "about"), "qualifiers"))


def as_timex_type(value: str) -> TimexType:
    return cast(TimexType, _one_of(value, get_args(TimexType), "TIMEX3 types"))


def normalise_text(text: str) -> str:
    """Unicode NFC, unified newlines, no trailing spaces: what the article id hashes."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def article_id(text: str, published: str | None) -> str:
    """Stable id: the same text and date always give the same id (idempotent ingest)."""
    digest = hashlib.sha256(f"{published or ''}\n{normalise_text(text)}".encode()).hexdigest()
    return digest[:16]


@dataclass(frozen=True)
class Article:
    """One news article as read from its source, before any analysis."""

    id: str
    text: str
    published: str | None  # ISO date YYYY-MM-DD
    title: str | None = None
    url: str | None = None
    language: str = "en"
    source_path: str | None = None
    language_supported: bool = True  # False: stored and flagged, not analysed
    source_id: str | None = None  # the input's own id (a JSONL/CSV ``id``); ``id`` is the content hash
    # Characters of the text as given before ``text`` starts (a header, leading whitespace): add it to
    # an offset to point into the user's text. Exact while the text has no CR LF line ends.
    text_offset: int = 0

    @classmethod
    def create(
        cls,
        text: str,
        published: str | None,
        *,
        title: str | None = None,
        url: str | None = None,
        language: str = "en",
        source_path: str | None = None,
        language_supported: bool = True,
        source_id: str | None = None,
        text_offset: int = 0,
    ) -> Article:
        """Build an article with its normalised text and content-derived id.

        ``text_offset`` is where ``text`` starts in the source; the leading whitespace stripped
        here is added to it.
        """
        clean = normalise_text(text)
        return cls(
            id=article_id(clean, published),
            text=clean,
            published=published,
            title=title,
            url=url,
            language=language,
            source_path=source_path,
            language_supported=language_supported,
            source_id=source_id,
            text_offset=text_offset + len(text) - len(text.lstrip()),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "published": self.published,
            "url": self.url,
            "language": self.language,
            "text": self.text,
            "source_path": self.source_path,
            "language_supported": self.language_supported,
            "source_id": self.source_id,
            "text_offset": self.text_offset,
        }


@dataclass
class Sentence:
    index: int
    start: int
    end: int


@dataclass
class Mention:
    """A span of the article text that refers to an entity."""

    start: int
    end: int
    text: str
    sentence: int | None = None
    kind: str = "name"  # name | nominal | pronoun | demonym | title | dateline
    label: str | None = None  # the raw NER label, for diagnosis


@dataclass
class Entity:
    id: str
    name: str
    type: EntityType
    aliases: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    subtype: str | None = None  # media, government, ministry, party, ngo, network, social_network…
    country: str | None = None  # ISO 3166 alpha-2 where known
    canonical_id: str | None = None  # filled by cross-article resolution


@dataclass
class DateValue:
    value: str | None  # ISO-8601 prefix: 2023, 2023-07, 2023-07-14
    qualifier: Qualifier = None


@dataclass
class Event:
    id: str
    type: EventType
    trigger: str
    sentence: int
    start: int  # the evidence span (the clause), offsets into article text
    end: int
    mode: str | None = None
    source: str | None = None
    target: str | None = None
    location: str | None = None
    date: DateValue | None = None
    asserted_by: str | None = None
    certainty: Certainty = "asserted"
    negated: bool = False
    trigger_start: int | None = None
    trigger_end: int | None = None
    hypothetical: bool = False
    future: bool = False
    historical: bool = False
    context: str | None = None  # PLOVER context, e.g. trafficking
    attribution: str | None = None  # the Attribution id this event is reported in
    certainty_cue: str | None = None  # the word that set the certainty: allegedly, would, claims, not…
    incident: str | None = None  # filled by the store: the incident (one occurrence, many articles) it reports


@dataclass
class Relation:
    id: str
    type: RelationType
    source: str
    target: str
    sentence: int
    start: int
    end: int
    asserted_by: str | None = None
    certainty: Certainty = "asserted"
    cue: str | None = None
    attribution: str | None = None
    certainty_cue: str | None = None  # the word that set the certainty: allegedly, would, claims, not…


@dataclass
class Attribution:
    """A reported statement in the source–cue–content scheme (PARC, PolNeAR)."""

    id: str
    source: str | None
    source_span: list[int] | None
    cue_span: list[int]
    content_span: list[int]
    certainty: Certainty = "asserted"
    direct: bool = False
    cue: str | None = None
    channel: str | None = None
    sentence: int | None = None
    parent: str | None = None  # nested attribution: the one this sits inside
    certainty_cue: str | None = None  # the word that set the certainty: claims, allegedly, would…


@dataclass
class Quote:
    id: str
    text: str
    speaker: str | None
    start: int
    end: int
    channel: str | None = None  # statement | x | interview | …
    attribution: str | None = None


@dataclass
class TimeExpr:
    text: str
    start: int
    end: int
    value: str | None
    qualifier: Qualifier = None
    type: TimexType = "DATE"  # TIMEX3 type
    anchor: str | None = None  # "publication" or the text of the anchoring expression
    sentence: int | None = None


T = TypeVar("T")


def _build(cls: type[T], data: dict[str, Any]) -> T:
    """Construct a dataclass from a dict, ignoring unknown (extra) keys."""
    names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
    return cls(**{k: v for k, v in data.items() if k in names})


@dataclass
class ArticleGraph:
    """Everything extracted from one article: the unit that is stored and exchanged."""

    article: Article
    sentences: list[Sentence] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    attributions: list[Attribution] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    times: list[TimeExpr] = field(default_factory=list)
    extractor_version: str = ""

    def entity(self, entity_id: str | None) -> Entity | None:
        return next((e for e in self.entities if e.id == entity_id), None)

    def sentence_of(self, offset: int) -> int | None:
        for s in self.sentences:
            if s.start <= offset < s.end:
                return s.index
        return None

    def to_dict(self) -> dict[str, Any]:
        """The interchange format (shared/seed/README.md), plus extra fields."""
        out: dict[str, Any] = {"article": self.article.to_dict()}
        for key in ("sentences", "entities", "events", "relations", "attributions", "quotes", "times"):
            out[key] = [asdict(x) for x in getattr(self, key)]
        out["extractor_version"] = self.extractor_version
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ArticleGraph:
        art = _build(Article, data["article"])
        entities = []
        for e in data.get("entities", []):
            ent = _build(Entity, e)
            ent.mentions = [_build(Mention, m) for m in e.get("mentions", [])]
            entities.append(ent)
        events = []
        for v in data.get("events", []):
            ev = _build(Event, v)
            d = v.get("date")
            ev.date = _build(DateValue, d) if isinstance(d, dict) else None
            events.append(ev)
        return cls(
            article=art,
            sentences=[_build(Sentence, s) for s in data.get("sentences", [])],
            entities=entities,
            events=events,
            relations=[_build(Relation, r) for r in data.get("relations", [])],
            attributions=[_build(Attribution, a) for a in data.get("attributions", [])],
            quotes=[_build(Quote, q) for q in data.get("quotes", [])],
            times=[_build(TimeExpr, t) for t in data.get("times", [])],
            extractor_version=data.get("extractor_version", ""),
        )
