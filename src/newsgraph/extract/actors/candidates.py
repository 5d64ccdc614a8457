"""Mention candidates: the `Cand` a detection rule proposes, the presets of its kinds, and the
detector's shared state and helpers (`DetectorBase`). Rules live in `names` (spaCy's entities,
corrected) and `phrases` (phrases built around tokens); `detect.Detector` runs them."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from newsgraph.extract.actors.lexicon import ActorLexicon, plain

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

NER_TYPES = {
    "PERSON": "Person",
    "ORG": "Organization",
    "GPE": "Place",
    "LOC": "Place",
    "FAC": "Place",
    "NORP": "Group",
}
OTHER_LABELS = {"WORK_OF_ART", "PRODUCT", "EVENT", "LAW"}
DETERMINERS = {"the", "a", "an"}
SPLITTERS = {"(", ")", "[", "]", ",", ";", "-", "--", "–", "—", "/"}
PLURAL_TAGS = {"NNS", "NNPS"}

# What a rule's candidate is, by the kind of phrase the rule found: `Detector.propose` fills these
# fields, the rule gives the rest (its span, name, country, label…).
PRESETS: dict[str, dict[str, str]] = {
    "government": {"kind": "nominal", "type": "Organization", "ref": "gov", "subtype": "government"},
    "authority": {"kind": "nominal", "type": "Organization", "ref": "authority", "subtype": "government"},
    "social_network": {"kind": "name", "type": "Organization", "ref": "name", "subtype": "social_network"},
    "organization": {"kind": "name", "type": "Organization", "ref": "name"},
    "country": {"kind": "name", "type": "Country", "ref": "country"},
    "person": {"kind": "name", "type": "Person", "ref": "name"},
}


@dataclass
class Cand:
    """A mention candidate: a span of text, what it is and how to resolve it."""

    ts: int  # token span [ts, te)
    te: int
    start: int  # character span of the mention
    end: int
    kind: str  # name | nominal | demonym | title
    type: str | None
    ref: str  # name | country | gov | group | unnamed | definite | title | authority | diplomacy | gov_of | alias
    name: str = ""
    subtype: str | None = None
    country: str | None = None
    label: str | None = None
    by_rule: bool = False  # the type comes from a rule, not from the statistical NER
    key: Any = None
    alias: str | None = None  # a longer phrase to keep as an alias ("the government of X")
    arg: int | None = None  # index of a related candidate (the person of "the government of P")
    title: str | None = None
    entity: Any = None  # the resolved model.Entity
    extra: dict[str, Any] = field(default_factory=dict)


@lru_cache(maxsize=8192)
def split_phrase(phrase: str) -> tuple[str, ...]:
    return tuple(plain(phrase).split())


def words_at(low: list[str], i: int, n: int) -> tuple[str, ...]:
    return tuple(low[i : i + n])


def match_phrase(low: list[str], i: int, phrases: tuple[str, ...] | list[str]) -> int:
    """Length in tokens of the longest phrase starting at token i (0 when none); ``low``: lowercased tokens."""
    best = 0
    if i >= len(low) or i < 0:
        return 0
    first = low[i]
    for phrase in phrases:
        parts = split_phrase(phrase)
        n = len(parts)
        if n > best and parts and parts[0] == first and tuple(low[i : i + n]) == parts:
            best = n
    return best


_PhraseIndex = tuple[dict[str, list[tuple[tuple[str, ...], str]]], dict[str, list[tuple[str, ...]]]]
_PHRASE_INDEX: dict[int, tuple[ActorLexicon, _PhraseIndex]] = {}


def _phrases_by_first_word(lex: ActorLexicon) -> _PhraseIndex:
    """Seats of government and social-network descriptors, split once per lexicon and indexed by
    first word, so the per-token rules look up only the phrases that can start at a token."""
    cached = _PHRASE_INDEX.get(id(lex))
    if cached is not None and cached[0] is lex:
        return cached[1]
    seats: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for seat, code in lex.countries.seats.items():
        words = split_phrase(seat)
        seats.setdefault(words[0], []).append((words, code))
    social: dict[str, list[tuple[str, ...]]] = {}
    for phrase, subtype in lex.descriptors:  # longest first, as the lexicon orders them
        if subtype == "social_network":
            words = split_phrase(phrase)
            social.setdefault(words[0], []).append(words)
    _PHRASE_INDEX[id(lex)] = (lex, (seats, social))
    return seats, social


class DetectorBase:
    """The detector's state over one document and the helpers every rule uses."""

    def __init__(self, doc: Doc, lex: ActorLexicon) -> None:
        self.doc = doc
        self.lex = lex
        self.low = [t.lower_ for t in doc]
        self.ents = list(doc.ents)
        self.ent_at = {e.start: e for e in self.ents}
        self.seats_at, self.social_at = _phrases_by_first_word(lex)
        self.cands: list[Cand] = []
        self.taken = [False] * len(doc)  # tokens already inside a candidate

    # ---- helpers -------------------------------------------------------------------------

    def free(self, ts: int, te: int) -> bool:
        return not any(self.taken[ts:te])

    def add(self, cand: Cand) -> Cand:
        for i in range(cand.ts, cand.te):
            self.taken[i] = True
        self.cands.append(cand)
        return cand

    def span_chars(self, ts: int, te: int) -> tuple[int, int]:
        return self.doc[ts].idx, self.doc[te - 1].idx + len(self.doc[te - 1].text)

    def cand(self, ts: int, te: int, **kw: Any) -> Cand:
        s, e = self.span_chars(ts, te)
        return Cand(ts=ts, te=te, start=s, end=e, **kw)

    def propose(self, ts: int, te: int, preset: str | None = None, **fields: Any) -> Cand:
        """The one way a rule adds a candidate for tokens [ts, te): the fields of its `PRESETS`
        kind, then the rule's own; typed by the rule (``by_rule``) unless it says otherwise."""
        fields = {**PRESETS[preset], **fields} if preset else fields
        fields.setdefault("by_rule", True)
        return self.add(self.cand(ts, te, **fields))

    def demonym_country(self, tok: Token) -> str | None:
        return self.lex.countries.demonym(tok.text)

    def demonym_at(self, i: int) -> tuple[int, str | None]:
        """The longest demonym starting at token i ("South African", "Cuban"): (tokens, code)."""
        low = self.low
        for n in (3, 2, 1):
            if i + n <= len(low):
                code = self.lex.countries.demonyms.get(" ".join(low[i : i + n]))
                if code:
                    return n, code
        return 0, None

    def strip_det(self, ts: int, te: int) -> int:
        while ts < te and self.doc[ts].lower_ in DETERMINERS:
            ts += 1
        return ts

    def det_start(self, ts: int) -> int:
        return ts - 1 if ts > 0 and self.doc[ts - 1].lower_ == "the" and self.free(ts - 1, ts) else ts
