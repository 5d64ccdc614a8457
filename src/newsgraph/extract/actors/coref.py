"""In-article resolution ("coreference-lite"): every candidate mention to one entity.

Order of work:
1. named mentions, after document-level type consistency and surname linking;
2. roles and affiliations ("X, headed by P", "Russian President P", "P, the leader of X");
3. references in text order: definite descriptions to the nearest compatible antecedent,
   titles to their holder, governments ("the Kremlin", "the Cuban regime", "the government of P")
   to a `Government of <country>` entity, "the authorities" to the context country's government,
   "<demonym> diplomacy" to that country's foreign ministry, unnamed collectives to new actors.
"""

from __future__ import annotations

import bisect
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from newsgraph.extract.actors.detect import Cand, match_phrase, words_at
from newsgraph.extract.actors.lexicon import ActorLexicon, lexicon
from newsgraph.extract.quotes import QuotePair, covered_fraction, find_quote_marks
from newsgraph.model import Entity, Mention, as_entity_type

# Words before a title that say the role is held no longer ("former President", "ex-minister").
FORMER_WORDS = frozenset({"former", "ex", "ex-", "late", "then-former"})

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from newsgraph.model import ArticleGraph


def norm_name(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = " ".join("".join(c if c.isalnum() else " " for c in text).split())
    for det in ("the ", "a ", "an "):
        if text.startswith(det):
            text = text[len(det) :]
    return text


@dataclass
class RawRelation:
    type: str
    source: Entity
    target: Entity
    start: int
    end: int


class Coreference:
    def __init__(self, doc: Doc, lex: ActorLexicon, cands: list[Cand], graph: ArticleGraph) -> None:
        self.doc = doc
        self.lex = lex
        self.low = [t.lower_ for t in doc]
        self._starts: list[int] = []
        self.cands = cands
        self.graph = graph
        self.entities: list[Entity] = []
        self.by_key: dict[Any, Entity] = {}
        self.keys: dict[int, Any] = {}  # id(entity) -> key
        self.placed: list[tuple[int, Entity]] = []  # (start, entity) of every attached mention
        self.relations: list[RawRelation] = []
        self.tok2cand: dict[int, Cand] = {}
        for c in cands:
            for i in range(c.ts, c.te):
                self.tok2cand.setdefault(i, c)

    # ---- entities ------------------------------------------------------------------------

    def get(self, key: Any, name: str, type_: str, *, subtype: str | None = None, country: str | None = None) -> Entity:
        ent = self.by_key.get(key)
        if ent is None:
            ent = Entity(id="", name=name, type=as_entity_type(type_), subtype=subtype, country=country)
            self.by_key[key] = ent
            self.keys[id(ent)] = key
            self.entities.append(ent)
        else:
            ent.subtype = ent.subtype or subtype
            ent.country = ent.country or country
        return ent

    def country_entity(self, code: str) -> Entity:
        return self.get(("country", code), self.lex.countries.name(code), "Country", country=code)

    def government(self, code: str) -> Entity:
        name = f"Government of {self.lex.countries.name_in_text(code)}"
        return self.get(("gov", code), name, "Organization", subtype="government", country=code)

    def attach(self, cand: Cand, ent: Entity) -> None:
        cand.entity = ent
        self.placed.append((cand.start, ent))
        if cand.alias:
            ent.aliases.append(cand.alias)

    # ---- pass 1: named -------------------------------------------------------------------

    def resolve_named(self) -> None:
        named = [c for c in self.cands if c.ref == "name"]
        self.consistent_types(named)
        persons = self.person_names(named)
        for c in named:
            if c.type == "Person":
                full = self.full_name(c, persons)
                key = ("person", norm_name(full))
                if full != c.name:
                    c.kind = "name"
                self.attach(c, self.get(key, full, "Person"))
            elif c.type == "Country" and c.country:
                self.attach(c, self.country_entity(c.country))
            else:
                assert c.type is not None
                key = (c.type, norm_name(c.name))
                self.attach(c, self.get(key, c.name, c.type, subtype=c.subtype, country=c.country))
        for c in self.cands:
            if c.ref == "country" and c.entity is None and c.country:
                self.attach(c, self.country_entity(c.country))
            elif c.ref == "gov" and c.country:
                self.attach(c, self.government(c.country))
            elif c.ref == "group" and c.country:
                cls = c.key or "people"
                ent = self.get(("group", c.country, cls), c.name, "Group", subtype=cls, country=c.country)
                self.attach(c, ent)

    def consistent_types(self, named: list[Cand]) -> None:
        """One type per name in an article: a rule's type wins, then Person, then the majority."""
        groups: dict[str, list[Cand]] = {}
        for c in named:
            groups.setdefault(norm_name(c.name), []).append(c)
        for members in groups.values():
            ruled = [c for c in members if c.by_rule and c.type]
            if ruled:
                etype, sub = ruled[0].type, ruled[0].subtype
            elif any(c.type == "Person" for c in members):
                etype, sub = "Person", None
            else:
                etype = Counter(c.type for c in members).most_common(1)[0][0]
                sub = next((c.subtype for c in members if c.subtype), None)
            for c in members:
                c.type, c.subtype = etype, c.subtype or sub
                if etype != "Organization":
                    c.subtype = None
        # A bare name equal to the end of a person's name is that person ("Rodríguez").
        persons = self.person_names(named)
        for c in named:
            if c.type == "Person" or c.by_rule or c.type == "Country":
                continue
            if self.full_name(c, persons) != c.name:
                c.type, c.subtype = "Person", None

    @staticmethod
    def person_names(named: list[Cand]) -> list[tuple[int, list[str], str]]:
        return [
            (c.start, norm_name(c.name).split(), c.name)
            for c in named
            if c.type == "Person" and len(c.name.split()) > 1
        ]

    @staticmethod
    def full_name(c: Cand, persons: list[tuple[int, list[str], str]]) -> str:
        """The longer person name this one abbreviates (surname, or first + last), nearest first."""
        words = norm_name(c.name).split()
        if not words:
            return c.name
        hits = []
        for start, full, name in persons:
            if len(full) <= len(words):
                continue
            if (
                full[-len(words) :] == words
                or (len(words) > 1 and words[0] == full[0] and words[-1] == full[-1])
                or (len(words) > 1 and full[: len(words)] == words)
                or (len(words) == 1 and words[0] in full[1:] and len(words[0]) > 3)
            ):
                hits.append((start, name))
        if not hits:
            return c.name
        if len({norm_name(n) for _, n in hits}) == 1:
            return hits[0][1]
        before = [h for h in hits if h[0] < c.start]
        return (max(before) if before else min(hits))[1]

    # ---- pass 2: roles -------------------------------------------------------------------

    def resolve_roles(self) -> None:
        doc, lex = self.doc, self.lex
        for c in self.cands:
            if c.entity is None or c.entity.type != "Person" or c.ref != "name":
                continue
            self.title_before(c)
        for c in self.cands:
            if c.entity is None or c.entity.type != "Organization":
                continue
            # "X, headed by P"
            i = c.te
            if i < len(doc) and doc[i].text == ",":
                i += 1
            n = match_phrase(self.low, i, lex.leader_cues)
            if n:
                p = self.tok2cand.get(i + n)
                if p is not None and p.entity is not None and p.entity.type == "Person" and p.ts == i + n:
                    self.leads(p.entity, c.entity, doc[i].idx, p.end)
        for c in self.cands:
            if c.entity is None or c.entity.type != "Person":
                continue
            self.apposition(c)
        for c in self.cands:
            if c.ref == "title" and c.entity is None:
                self.title_apposition(c)

    def title_apposition(self, c: Cand) -> None:
        """'the Minister of X, Mr. P' and 'P, the Minister of X': the title is P's role, the mention is P."""
        doc, lex = self.doc, self.lex
        person = None
        i = c.te
        nxt = self.tok2cand.get(i)
        if nxt is not None and nxt.ts == i and nxt.entity is not None and nxt.entity.type == "Person":
            person = nxt.entity  # "the President of Colombia Alvaro Uribe"
        elif i < len(doc) and doc[i].text == ",":
            j = i + 1
            j += match_phrase(self.low, j, lex.honorifics)
            p = self.tok2cand.get(j)
            if p is not None and p.ts == j and p.entity is not None and p.entity.type == "Person":
                person = p.entity
        if person is None and c.ts >= 2 and doc[c.ts - 1].text == ",":
            p = self.tok2cand.get(c.ts - 2)
            if p is not None and p.te == c.ts - 1 and p.entity is not None and p.entity.type == "Person":
                person = p.entity
        if person is None:
            return
        role = c.name[4:] if c.name.lower().startswith("the ") else c.name
        if role not in person.roles:
            person.roles.append(role)
        person.country = person.country or c.country
        self.attach(c, person)

    def head_title(self, org: Entity) -> str:
        """The title of an organisation's head: 'Ministry of Foreign Affairs' -> 'Minister of Foreign Affairs'."""
        words = org.name.split()
        for k, w in enumerate(words):
            title = self.lex.org_head_titles.get(w.lower())
            if title:
                rest = " ".join(words[k + 1 :])
                role = " ".join([title.title(), rest]).strip()
                break
        else:
            role = f"Head of {org.name}"
        if org.country and self.lex.countries.name(org.country).lower() not in role.lower():
            role += f" of {self.lex.countries.name(org.country)}"
        return role

    def leads(self, person: Entity, org: Entity, start: int, end: int) -> None:
        self.relations.append(RawRelation("leader_of", person, org, start, end))
        self.relations.append(RawRelation("member_of", person, org, start, end))
        role = self.head_title(org)
        if role not in person.roles:
            person.roles.append(role)
        person.country = person.country or org.country

    def title_before(self, c: Cand) -> None:
        """'Russian President P', 'Foreign Minister P', 'President P': roles from the title before a name."""
        doc, lex = self.doc, self.lex
        title = c.title
        i = c.ts
        if title is not None and " ".join(self.low[max(0, i - len(title.split())) : i]) == title:
            i -= len(title.split())
        if title is None:
            for n in (3, 2, 1):
                if (
                    i - n >= 0
                    and " ".join(words_at(self.low, i - n, n)) in lex.person_titles
                    and (doc[i - n].is_title or (i - n >= 2 and self.low[i - n - 1] in ("'s", "’s")))
                ):
                    title, i = " ".join(words_at(self.low, i - n, n)), i - n
                    break
        if title is None:
            return
        code = None
        prev = self.tok2cand.get(i - 1)
        if prev is not None and prev.ref == "country" and prev.te == i and prev.country:
            code, i = prev.country, prev.ts
        elif i >= 2 and self.low[i - 1] in ("'s", "’s"):  # "Nepal's foreign minister P"
            prev = self.tok2cand.get(i - 2)
            if prev is not None and prev.ref == "country" and prev.te == i - 1 and prev.country:
                code, i = prev.country, prev.ts
        person = c.entity
        assert person is not None
        if title in lex.honorifics:
            return
        # "former President P", "ex-minister P": a role held no longer, and no leader_of today
        former = i > 0 and self.low[i - 1] in FORMER_WORDS
        if not former and i > 1 and self.low[i - 1] == "-" and self.low[i - 2] in FORMER_WORDS:
            former, i = True, i - 1
        if former:
            i -= 1
        role = ("former " if former else "") + title.title() + (f" of {self.lex.countries.name(code)}" if code else "")
        if role not in person.roles and not any(r.startswith(role) for r in person.roles):
            person.roles.append(role)
        # the whole titled name ("U.S. negotiator P", "Former Prime Minister P") names the person too
        titled = self.graph.article.text[doc[i].idx : c.end]
        if titled not in person.aliases:
            person.aliases.append(titled)
        if former:
            person.country = person.country or code
            return
        if code:
            person.country = person.country or code
            if title in lex.head_titles:
                self.relations.append(RawRelation("leader_of", person, self.government(code), doc[i].idx, c.end))
            elif title in lex.government_titles:
                self.relations.append(RawRelation("member_of", person, self.government(code), doc[i].idx, c.end))

    def apposition(self, c: Cand) -> None:
        """'P, the leader of X' and 'X spokesman P'."""
        doc, lex = self.doc, self.lex
        person = c.entity
        assert person is not None
        i = c.te
        if i + 2 < len(doc) and doc[i].text == ",":
            j = i + 1
            if doc[j].lower_ in ("the", "a", "an"):
                j += 1
            for words, rel in ((lex.leader_words, "leader_of"), (lex.member_words, "member_of")):
                n = match_phrase(self.low, j, words)
                if n and j + n < len(doc) and doc[j + n].lower_ in ("of", "for", "at"):
                    org = self.tok2cand.get(j + n + 1) or self.tok2cand.get(j + n + 2)
                    if org is not None and org.entity is not None and org.entity.type == "Organization":
                        word = " ".join(self.low[j : j + n])
                        rel = "works_for" if word in lex.employment_words else rel
                        self.relations.append(RawRelation(rel, person, org.entity, c.start, org.end))
                        if rel == "leader_of":
                            self.relations.append(RawRelation("member_of", person, org.entity, c.start, org.end))
                        return
        # "X spokesman P"
        for words, rel in ((lex.leader_words, "leader_of"), (lex.member_words, "member_of")):
            n = 0
            for k in (1, 2):
                if c.ts - k >= 0 and match_phrase(self.low, c.ts - k, words) == k:
                    n = k
            if n:
                org = self.tok2cand.get(c.ts - n - 1)
                if org is not None and org.entity is not None and org.entity.type == "Organization":
                    word = " ".join(self.low[c.ts - n : c.ts])
                    rel = "works_for" if word in lex.employment_words else rel
                    self.relations.append(RawRelation(rel, person, org.entity, org.start, c.end))
                    return

    # ---- pass 3: references --------------------------------------------------------------

    def sentence_of(self, offset: int) -> int:
        """Index of the sentence holding offset (-1 when none), by bisection."""
        if len(self._starts) != len(self.graph.sentences):
            self._starts = [x.start for x in self.graph.sentences]
        k = bisect.bisect_right(self._starts, offset) - 1
        if k < 0 or offset >= self.graph.sentences[k].end:
            return -1
        return self.graph.sentences[k].index

    def before(self, pos: int) -> list[tuple[int, Entity]]:
        return sorted((p for p in self.placed if p[0] < pos), key=lambda p: -p[0])

    def salient_country(self, pos: int, window: int | None = None) -> str | None:
        """The country most mentioned (itself, its demonyms, its institutions) before pos."""
        sent = self.sentence_of(pos)
        counts: Counter[str] = Counter()
        last: dict[str, int] = {}
        for start, ent in self.placed:
            if start >= pos or not ent.country:
                continue
            if window is not None and sent - self.sentence_of(start) > window:
                continue
            counts[ent.country] += 1
            last[ent.country] = max(last.get(ent.country, -1), start)
        if not counts:
            return None
        return max(counts, key=lambda k: (counts[k], last[k]))

    def resolve_references(self) -> None:
        for c in sorted(self.cands, key=lambda c: c.start):
            if c.entity is not None:
                continue
            handler = getattr(self, f"ref_{c.ref}", None)
            if handler is not None:
                handler(c)
        self.aliases_in_brackets()

    def ref_unnamed(self, c: Cand) -> None:
        ent = self.get(("unnamed", c.start), c.name, "Organization", subtype=c.subtype)
        self.attach(c, ent)

    def ref_definite(self, c: Cand) -> None:
        spec = c.extra["spec"]
        if spec.type == "Country":
            code = None
            islands = self.lex.countries.islands
            if spec.islands:
                code = next((e.country for _, e in self.before(c.start) if e.country in islands), None) or next(
                    (e.country for e in self.entities if e.type == "Country" and e.country in islands), None
                )
            else:
                code = c.country or self.local_country(c.start) or self.salient_country(c.start, window=2)
            if code:
                self.attach(c, self.country_entity(code))
            return
        for _, ent in self.before(c.start):
            if ent.type != spec.type:
                continue
            if spec.subtypes and ent.subtype not in spec.subtypes:
                continue
            if ent.subtype in spec.exclude:
                continue
            if c.country and ent.country and ent.country != c.country:
                continue
            self.attach(c, ent)
            return
        if c.extra.get("collective") and c.te - c.ts > 2:  # "the criminal group", not a bare "the group"
            self.attach(c, self.get(("unnamed", c.start), c.name, "Organization", subtype=c.extra["collective"]))

    def ref_title(self, c: Cand) -> None:
        """A title refers to the person holding it: a role seen earlier (nearest first), then anywhere."""
        title_words = norm_name(c.name)
        if c.country:
            for adj, code in self.lex.countries.demonyms.items():
                if code == c.country and title_words.startswith(adj + " "):
                    title_words = title_words[len(adj) + 1 :]
        earlier = [e for _, e in self.before(c.start)]
        for ent in [*earlier, *self.entities]:
            if ent.type != "Person":
                continue
            for role in ent.roles:
                r = norm_name(role)
                if (r == title_words or r.startswith(title_words + " of ")) and (
                    not c.country or ent.country in (None, c.country)
                ):
                    self.attach(c, ent)
                    return
        # A bare head title ("the minister") is the nearest earlier holder of a title with that head
        # ("Interior Minister Rafael Ortega"), not a deputy's or a former holder's.
        if " " not in title_words:
            for ent in earlier:
                if (
                    ent.type == "Person"
                    and (not c.country or ent.country in (None, c.country))
                    and any(
                        norm_name(role).split(" of ")[0].split()[-1:] == [title_words]
                        and norm_name(role).split()[0] not in ("vice", "deputy", "former", "acting", "ex")
                        for role in ent.roles
                    )
                ):
                    self.attach(c, ent)
                    return
        key = ("title", title_words, c.country)
        name = c.name[4:] if c.name.lower().startswith("the ") else c.name
        holder = self.get(key, name, "Person", country=c.country)
        self.attach(c, holder)
        if name not in holder.roles:
            holder.roles.append(name)

    def local_country(self, pos: int) -> str | None:
        """The country of the nearest person or organisation before pos in the same sentence."""
        sent = self.sentence_of(pos)
        for start, ent in self.before(pos):
            if self.sentence_of(start) != sent:
                break
            if ent.country and ent.type in ("Person", "Organization"):
                return ent.country
        return None

    def ref_authority(self, c: Cand) -> None:
        code = self.local_country(c.start) or self.salient_country(c.start)
        if code:
            self.attach(c, self.government(code))

    def ref_diplomacy(self, c: Cand) -> None:
        assert c.country
        for ent in self.entities:
            if (
                ent.type == "Organization"
                and ent.country == c.country
                and ent.subtype == "ministry"
                and any(w in ent.name.lower() for w in self.lex.foreign_ministry_words)
            ):
                self.attach(c, ent)
                return
        self.attach(c, self.country_entity(c.country))

    def ref_gov_of(self, c: Cand) -> None:
        ts, _te = c.extra["arg_tokens"]
        arg = self.tok2cand.get(ts)
        if arg is None or arg.entity is None:
            return
        ent = arg.entity
        if ent.type == "Organization" and not arg.by_rule and ent.subtype is None:
            ent.type = "Person"  # "the dictatorship of <name>": the name is a person
        if ent.type == "Country" and ent.country:
            self.attach(c, self.government(ent.country))
            return
        if ent.type != "Person":
            return
        code = ent.country
        if code is None:
            sent = self.sentence_of(c.start)
            taken = {e.country for s, e in self.placed if self.sentence_of(s) == sent and e.subtype == "government"}
            nearby = [
                (abs(s - c.start), e.country)
                for s, e in self.placed
                if self.sentence_of(s) == sent and e.type == "Country" and e.country not in taken
            ]
            code = min(nearby)[1] if nearby else self.salient_country(c.start)
        if code:
            gov = self.government(code)
            self.attach(c, gov)
            ent.country = ent.country or code
            self.relations.append(RawRelation("leader_of", ent, gov, c.start, arg.end))

    def aliases_in_brackets(self) -> None:
        """'X (formerly Y)': Y's mentions belong to X."""
        doc, lex = self.doc, self.lex
        for c in self.cands:
            if c.entity is None or c.ts < 3:
                continue
            n = 0
            for k in (1, 2, 3):
                if (
                    c.ts - k - 1 >= 0
                    and doc[c.ts - k - 1].text == "("
                    and match_phrase(self.low, c.ts - k, lex.alias_cues) == k
                ):
                    n = k
            if not n:
                continue
            prev = self.tok2cand.get(c.ts - n - 2)
            if prev is None or prev.entity is None or prev.entity is c.entity:
                continue
            old, new = c.entity, prev.entity
            for i, (s, e) in enumerate(self.placed):
                if e is old:
                    self.placed[i] = (s, new)
            for other in self.cands:
                if other.entity is old:
                    other.entity = new
            new.aliases.append(old.name)
            if old in self.entities:
                self.entities.remove(old)

    # ---- output --------------------------------------------------------------------------

    def run(self) -> tuple[list[Entity], list[RawRelation]]:
        self.resolve_named()
        self.resolve_roles()
        self.resolve_references()
        entities = self.emit()
        for r in self.relations:
            # "Russian Foreign Minister P" in an article that never names Russia's government: the
            # government has no mention, so the role goes to the country named in the title.
            key = self.keys.get(id(r.target))
            if not r.target.mentions and isinstance(key, tuple) and key[0] == "gov":
                country = self.by_key.get(("country", key[1]))
                if country is not None and country.mentions:
                    r.target = country
        return entities, self.relations

    def emit(self) -> list[Entity]:
        text = self.graph.article.text
        generic: set[tuple[int, int]] = set()  # "the ministry", "the authorities": mentions, not aliases
        for ent in self.entities:
            ent.mentions = []
        for c in self.cands:
            if c.entity is None:
                continue
            if c.ref in ("definite", "authority"):
                generic.add((c.start, c.end))
            c.entity.mentions.append(
                Mention(
                    start=c.start,
                    end=c.end,
                    text=text[c.start : c.end],
                    sentence=None if self.sentence_of(c.start) < 0 else self.sentence_of(c.start),
                    kind=c.kind,
                    label=c.label,
                )
            )
        used = [e for e in self.entities if e.mentions]
        used.sort(key=lambda e: min(m.start for m in e.mentions))
        for n, ent in enumerate(used, 1):
            ent.id = f"E{n}"
            ent.mentions.sort(key=lambda m: m.start)
            seen = {norm_name(ent.name)}
            aliases = []
            texts = [m.text for m in ent.mentions if (m.start, m.end) not in generic]
            for a in [*texts, *ent.aliases]:
                k = norm_name(a)
                if k and k not in seen:
                    seen.add(k)
                    aliases.append(a[4:] if a.lower().startswith("the ") else a)
            ent.aliases = aliases
        return used


# --- pronouns (issue 12) ------------------------------------------------------------------------

# Pronoun -> the entity types it can stand for ("it" a country or an organisation, "they" a group
# or a body of people; "he"/"she" a person). Closed class, English.
PRONOUN_TYPES: dict[str, frozenset[str]] = {
    "he": frozenset({"Person"}),
    "him": frozenset({"Person"}),
    "she": frozenset({"Person"}),
    "her": frozenset({"Person"}),
    "it": frozenset({"Organization", "Country"}),
    "they": frozenset({"Group", "Organization", "Country"}),
    "them": frozenset({"Group", "Organization", "Country"}),
}
# quoted sentences a pronoun after a quotation looks past for its antecedent (bounded: a long speech)
MAX_QUOTED_SKIPPED = 8
# "it" with these heads is expletive ("it is likely", "it seems"), not a reference.
EXPLETIVE_HEADS = frozenset({"be", "seem", "appear", "take", "remain", "matter", "happen", "become"})


def resolve_late_definites(graph: ArticleGraph, doc: Doc, lex: ActorLexicon, window: int = 3) -> int:
    """Definite descriptions ("the group", "the militia") that found no antecedent when names were
    resolved, because their antecedent is an actor made later from knowledge ("the Red Hand
    militia" as a named armed group): the nearest earlier compatible actor within ``window``
    sentences. Returns how many mentions were added."""
    # sorted by span only: two entities may share a span (entities do not order), the graph's order breaks ties
    mentioned = [(m.start, m.end, e) for e in graph.entities for m in e.mentions if m.kind != "dateline"]
    spans = sorted(mentioned, key=lambda item: (item[0], item[1]))
    covered = [(s, e) for s, e, _ in spans]
    added = 0
    for tok in doc:
        spec = lex.definites.get(tok.lower_)
        if spec is None or spec.type != "Organization" or tok.pos_ != "NOUN":
            continue
        det = [c for c in tok.lefts if c.dep_ == "det"]
        mods = [c for c in tok.lefts if c.dep_ != "det"]
        if not det or det[0].lower_ != "the" or any(c.lower_ not in lex.definite_modifiers for c in mods):
            continue
        start, end = det[0].idx, tok.idx + len(tok.text)
        if any(s < end and start < e for s, e in covered):
            continue
        sent = graph.sentence_of(start)
        found: list[tuple[int, bool, Entity]] = []  # (sentence, subject?, entity) in text order
        for s, e, ent in spans:
            if s >= start:
                break
            near = sent is not None and (graph.sentence_of(s) or 0) >= sent - window
            if (
                near
                and ent.type == spec.type
                and (not spec.subtypes or ent.subtype in spec.subtypes)
                and ent.subtype not in spec.exclude
            ):
                span = doc.char_span(s, e, alignment_mode="expand")
                subject = span is not None and _phrase_head(span.root).dep_ in ("nsubj", "nsubjpass")
                found.append((graph.sentence_of(s) or 0, subject, ent))
        best = None
        if found:
            # the nearest sentence with a compatible actor; there its subject beats an object ("The
            # M23 rebels accused the army of …. The group also …": the rebels), else the latest
            last = [f for f in found if f[0] == found[-1][0]]
            best = next((ent for _s, subj, ent in reversed(last) if subj), last[-1][2])
        if best is not None:
            best.mentions.append(Mention(start, end, doc.text[start:end], sent, kind="nominal"))
            best.mentions.sort(key=lambda m: m.start)
            added += 1
    return added


# Pronoun -> the gender it asks of a person antecedent.
PRONOUN_GENDER = {"he": "m", "him": "m", "she": "f", "her": "f"}
OBJECT_DEPS = frozenset({"dobj", "iobj", "dative", "pobj"})


def _phrase_head(tok: Any) -> Any:
    """The common noun a mention modifies: "Hamas" in "Hamas fighters" → fighters (not a name:
    "French" in "French President X" stays a modifier of another actor)."""
    while tok.dep_ in ("compound", "amod", "nmod") and tok.head.pos_ == "NOUN" and tok.head.i > tok.i:
        tok = tok.head
    return tok


def _inside_other(s: int, e: int, spans: list[tuple[int, int, Entity]], starts: list[int]) -> bool:
    """Whether a mention lies inside a longer mention of another actor."""
    k = bisect.bisect_right(starts, s)
    return any(s2 <= s and e <= e2 and (s2, e2) != (s, e) for s2, e2, _ent in spans[max(0, k - 4) : k])


def _coordinated(tok: Any) -> bool:
    """A name coordinated with another ("Ana Ruiz and Juan Pérez"): with it, a plural."""
    return any(c.dep_ == "conj" and c.pos_ == "PROPN" for c in tok.children) or (
        tok.dep_ == "conj" and tok.head.pos_ == "PROPN"
    )


def _clause_verb(tok: Any) -> Any:
    """The verb whose clause an object pronoun is in ("met him", "spoke to him")."""
    head = tok.head
    if tok.dep_ == "pobj" and head.dep_ in ("prep", "agent") and head.head.i != head.i:
        head = head.head
    return head if head.pos_ in ("VERB", "AUX") else None


def _gender(ent: Entity, doc: Doc) -> str | None:
    """A person's gender from the words the text uses for them: a form of address or a gendered
    title before a mention ("Mrs.", "Queen", "spokeswoman"), in a role or in an alias; None when
    nothing says. Hand-written: no offline first-name list is packaged."""
    words = lexicon().gender_words
    seen: set[str] = set()
    for m in ent.mentions:
        if m.kind == "pronoun":
            continue
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is not None:
            seen.update(t.lower_.rstrip(".") for t in doc[max(0, span.start - 2) : span.end])
    for text in [*ent.roles, *ent.aliases]:
        seen.update(w.lower().rstrip(".,") for w in text.split())
    found = {words[w] for w in seen if w in words}
    return found.pop() if len(found) == 1 else None


def _reporting_subject(tok: Any, spans: list[tuple[int, int, Entity]], starts: list[int]) -> Entity | None:
    """For the subject of a clause complement ("X said [he was…]"), the entity of the governing
    verb's subject (or of the name in apposition to it: "One of the men, Ravi Kumar, said he…")."""
    if tok.dep_ not in ("nsubj", "nsubjpass") or tok.head.dep_ != "ccomp":
        return None
    gov = tok.head.head
    for subj in gov.children:
        if subj.dep_ not in ("nsubj", "nsubjpass") or subj.i > tok.i:
            continue
        for cand in [subj, *(c for c in subj.children if c.dep_ == "appos")]:
            k = bisect.bisect_right(starts, cand.idx) - 1
            for s, e, ent in spans[max(0, k - 2) : k + 1]:
                if s <= cand.idx < e:
                    return ent
    return None


def _window_start(doc: Doc, tok: Token, window: int, quotes: list[QuotePair]) -> tuple[int, int]:
    """Where a pronoun's antecedent window starts: ``window`` sentences back, and the same count
    of sentences not made of someone's quoted words ('"… four sentences …", he said': "he" is
    the one named before the quotation). A pronoun inside a quotation keeps the usual window."""
    outside = covered_fraction((tok.idx, tok.idx + 1), quotes) == 0
    lo = tok.sent
    counted = 0
    while counted < window and lo.start > 0:
        lo = doc[lo.start - 1].sent
        counted += 1
    past = tok.sent
    counted = skipped = 0
    while outside and counted < window and past.start > 0:
        past = doc[past.start - 1].sent
        if skipped < MAX_QUOTED_SKIPPED and covered_fraction((past.start_char, past.end_char), quotes) >= 0.8:
            skipped += 1
        else:
            counted += 1
    return lo.start_char, (past.start_char if outside else lo.start_char)


def resolve_pronouns(graph: ArticleGraph, doc: Doc, window: int = 2) -> int:
    """Pronouns to the last compatible actor ("it" → the ministry, "they" → the rebels): a mention
    of kind ``pronoun`` added to that entity. Candidates are the entities mentioned in this
    sentence before the pronoun or in the ``window`` sentences before; as in centering theory, the
    latest one mentioned as a subject wins, else the latest one. "they" needs a plural or
    collective antecedent (a Group, a plural noun phrase, an organisation or country).
    Hand-written: spaCy's small model has no coreference component. Returns how many were added."""
    spans = sorted(  # by span only (entities do not order): the graph's order breaks ties
        ((m.start, m.end, e) for e in graph.entities for m in e.mentions if m.kind not in ("dateline", "pronoun")),
        key=lambda item: (item[0], item[1]),
    )
    starts = [s for s, _, _ in spans]
    added = 0
    genders: dict[str, str | None] = {}
    quotes = find_quote_marks(doc.text)
    for tok in doc:
        low = tok.lower_
        if low not in PRONOUN_TYPES or tok.pos_ != "PRON":
            continue
        if low == "it" and (tok.dep_ == "expl" or tok.head.lemma_.lower() in EXPLETIVE_HEADS):
            continue
        if any(s <= tok.idx < e for s, e, _ in spans[max(0, bisect.bisect_right(starts, tok.idx) - 3) :]):
            continue  # already part of a mention
        lo, lo_past_quotes = _window_start(doc, tok, window, quotes)
        want = PRONOUN_GENDER.get(low)
        clause = _clause_verb(tok) if tok.dep_ in OBJECT_DEPS else None
        latest = latest_subject = None
        # the usual window first; only when it holds no antecedent, past the quoted sentences in it
        for start in (lo, lo_past_quotes) if lo_past_quotes < lo else (lo,):
            for s, e, ent in spans[bisect.bisect_left(starts, start) : bisect.bisect_left(starts, tok.idx)]:
                span = doc.char_span(s, e, alignment_mode="expand")
                if span is None:
                    continue
                paired = low in ("they", "them") and ent.type == "Person" and _coordinated(span.root)
                if ent.type not in PRONOUN_TYPES[low] and not paired:
                    continue  # "X and Y remained in prison as they were charged": they are X and Y
                if want and genders.setdefault(ent.id, _gender(ent, doc)) not in (None, want):
                    continue  # "Mrs. Ana Ruiz … he": not her
                if clause is not None and span.root.dep_ in ("nsubj", "nsubjpass") and span.root.head.i == clause.i:
                    continue  # "Ana Ruiz met him": an object pronoun is not its own clause's subject
                head = _phrase_head(span.root)  # "Hamas fighters": the mention names the fighters' group
                collective = ent.subtype in ("police", "military", "government", "rebels") or ent.type == "Country"
                plural = ent.type == "Group" or head.tag_ in ("NNS", "NNPS") or collective or paired
                if low in ("they", "them") and not plural:
                    continue
                if head.i != span.root.i and _inside_other(s, e, spans, starts):
                    continue  # "Eight Burmese boat people": the phrase is its own actor, not Burma
                if span.root.i == tok.i or (span.root.head.i == tok.i and span.root.dep_ == "poss"):
                    continue
                latest = ent
                if head.dep_ in ("nsubj", "nsubjpass"):
                    latest_subject = ent
            if latest is not None:
                break
        target = latest_subject or latest
        speaker = _reporting_subject(tok, spans, starts)
        if (
            speaker is not None
            and speaker.type in PRONOUN_TYPES[low]
            and (low not in ("they", "them"))
            and (not want or genders.setdefault(speaker.id, _gender(speaker, doc)) in (None, want))
        ):
            target = speaker  # "Ravi Kumar said he was forced…": he is the one who says so
        if target is None:
            continue
        if want and target.type == "Person":
            genders[target.id] = want  # "he" once, "he" after: the pronoun tells the person's gender
        target.mentions.append(
            Mention(tok.idx, tok.idx + len(tok.text), tok.text, graph.sentence_of(tok.idx), kind="pronoun")
        )
        added += 1
    for ent in graph.entities:
        ent.mentions.sort(key=lambda m: m.start)
    return added
