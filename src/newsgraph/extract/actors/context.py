"""Which actor a token denotes, and the countries and governments actors belong to.

Read by the events, relations and attributions components over the graph's entities and the
mention index (`Analysis.mentions`).
"""

from __future__ import annotations

from collections.abc import Collection
from functools import lru_cache
from typing import TYPE_CHECKING

from newsgraph.extract.actors.lexicon import Countries, lexicon
from newsgraph.extract.pipeline import Analysis
from newsgraph.model import Entity

if TYPE_CHECKING:
    from spacy.tokens import Token

PERSONAL_PRONOUNS = frozenset({"he", "she", "him", "her"})
ROLE_PREPS = frozenset({"of", "for"})


class ActorContext:
    """Per-article helpers: token → actor, countries, governments."""

    def __init__(self, analysis: Analysis) -> None:
        self.analysis = analysis
        self.graph = analysis.graph
        self.by_id: dict[str, Entity] = {e.id: e for e in analysis.graph.entities}

    def tok_entity(self, tok: Token) -> str | None:
        """The entity of a token (see `MentionIndex`)."""
        return self.analysis.mentions.of_token(tok)

    def actor(self, tok: Token, depth: int = 0) -> str | None:
        """The entity an argument head denotes: its own mention first, then its pre-modified
        phrase ("the Cuban regime"), then the object of a role preposition ("members of X")."""
        eid = self.tok_entity(tok)
        if eid:
            return eid
        if tok.pos_ in ("VERB", "AUX"):
            return None
        if tok.lower_ in PERSONAL_PRONOUNS:
            return self.last_person_before(tok)
        for child in tok.rights:  # "the Hamas leader Ismail Haniyeh", "the newspaper X"
            if child.dep_ == "appos":
                eid = self.tok_entity(child)
                if eid:
                    return eid
        lefts = [c for c in tok.lefts if c.dep_ not in ("punct", "cc")]
        if lefts:
            # "the Cuban regime" → Cuba (nationality is an actor code), not "the Melbourne salesman"
            start = min(c.left_edge.idx for c in lefts)
            eid = self.analysis.mentions.at(start, tok.idx + len(tok.text))
            ent = self.by_id.get(eid or "")
            if eid and (ent is None or ent.type != "Place"):
                return eid
        if depth < 2:
            plural = tok.tag_ in ("NNS", "NNPS")
            for child in tok.rights:
                # "members of X", "spokesperson for X", "officials from X" (not "a party from X")
                if child.dep_ == "prep" and (child.lower_ in ROLE_PREPS or (child.lower_ == "from" and plural)):
                    for pobj in child.children:
                        if pobj.dep_ == "pobj":
                            eid = self.actor(pobj, depth + 1)
                            if eid:
                                return eid
        if tok.dep_ == "poss":
            return None
        # the full phrase, relative clauses excluded ("a human trafficking network")
        return None

    def last_person_before(self, tok: Token, exclude: Collection[str | None] = ()) -> str | None:
        """ "he", "she": a Person mentioned before, in this or the two previous sentences. As in
        centering theory, the latest one that was a subject wins (news prose keeps the person it
        is about as subject); else the latest one at all. ``exclude``: Persons it cannot be (the
        clause's own subject, for an object pronoun)."""
        doc = tok.doc
        sent_start = tok.sent.start
        floor = doc[sent_start - 1].sent.start if sent_start > 0 else 0
        floor = doc[floor - 1].sent.start if floor > 0 else floor
        lo = doc[floor].idx
        latest = latest_subject = None
        for s, e, eid in self.analysis.mentions.between(lo, tok.idx):
            ent = self.by_id.get(eid)
            if s < lo or ent is None or ent.type != "Person" or eid in exclude:
                continue
            latest = eid
            span = doc.char_span(s, e, alignment_mode="expand")
            if span is not None and span.root.dep_ in ("nsubj", "nsubjpass"):
                latest_subject = eid
        return latest_subject or latest

    def country_entity_for(self, eid: str | None) -> str | None:
        """For a demonym-like Group entity ("Cuban"), the Country entity it names, if in the graph."""
        ent = self.by_id.get(eid or "")
        if ent is None or ent.type == "Country":
            return eid
        if ent.type != "Group":
            return eid
        table = _countries()
        code = table.demonym(ent.name) or table.plural(ent.name)
        name = ent.name.lower()
        for other in self.graph.entities:
            if other.type != "Country":
                continue
            if code and ((other.country or "").upper() == code or alpha2(other.name) == code):
                return other.id
            if not code and len(other.name) >= 4 and name.startswith(other.name.lower()[:-1]):
                return other.id
        return eid

    def country_of(self, eid: str | None) -> str | None:
        """The Country entity an actor belongs to: its ``country`` code, else a country named
        inside one of its mentions' phrases ("Cuban Ministry", "Foundation ... in Cuba")."""
        ent = self.by_id.get(eid or "")
        if ent is None:
            return None
        if ent.type == "Country":
            return ent.id
        if ent.country:
            for other in self.graph.entities:
                if other.type == "Country" and (
                    (other.country or "").upper() == ent.country.upper() or alpha2(other.name) == ent.country.upper()
                ):
                    return other.id
        doc = self.analysis.doc
        for m in ent.mentions:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            toks = list(span) + [t for t in span.root.subtree if t.i >= span.end and t.dep_ not in ("relcl", "acl")]
            for t in toks:
                cid = self.country_entity_for(self.tok_entity(t))
                if cid and cid != eid and getattr(self.by_id.get(cid), "type", None) == "Country":
                    return cid
        return None

    def country_code(self, eid: str | None) -> str | None:
        """ISO alpha-2 code of the country an actor belongs to (its ``country``, else the Country
        entity it names or is)."""
        ent = self.by_id.get(eid or "")
        if ent is None:
            return None
        if ent.country:
            return ent.country.upper()
        cid = self.country_of(eid)
        cent = self.by_id.get(cid or "")
        if cent is None:
            return None
        return (cent.country or alpha2(cent.name) or "").upper() or None

    def government_of(self, speaker: str | None) -> str | None:
        """The government entity of the speaker's country, if the graph holds one."""
        code = self.country_code(speaker)
        if not code:
            return None
        for ent in self.graph.entities:
            if ent.type != "Organization" or ent.id == speaker:
                continue
            low = ent.name.lower()
            if ent.subtype == "government" and (ent.country or "").upper() == code:
                return ent.id
            if low.startswith("government of ") and alpha2(ent.name[len("government of ") :]) == code:
                return ent.id
        return None

    def top_countries(self, n: int = 2) -> list[str]:
        """The n most salient Country entities, most salient first. A country's salience counts
        its own mentions and those of the actors that belong to it ("the Cuban regime")."""
        score: dict[str, int] = {}
        for ent in self.graph.entities:
            cid = ent.id if ent.type == "Country" else self.country_of(ent.id)
            if cid:
                score[cid] = score.get(cid, 0) + len(ent.mentions)
        first = {
            e.id: min((m.start for m in e.mentions), default=1 << 30)
            for e in self.graph.entities
            if e.type == "Country"
        }
        ranked = sorted(score, key=lambda c: (-score[c], first.get(c, 1 << 30)))
        return ranked[:n]


def _countries() -> Countries:
    """The actors layer's country table (names, demonyms → ISO code)."""
    return lexicon().countries


@lru_cache(maxsize=512)
def alpha2(name: str) -> str | None:
    code = _countries().lookup(name)
    if code:
        return str(code)
    import pycountry

    try:
        return str(pycountry.countries.lookup(name).alpha_2)
    except LookupError:
        return None
