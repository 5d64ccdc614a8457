"""Mention detection and typing: spaCy's named entities corrected by the rules, plus the
actor phrases the statistical NER does not give (demonyms, governments, groups, unnamed
collectives, definite descriptions, titles).

Every detected phrase becomes a `Cand`: a span with a kind, a type and a `ref` telling
the resolver (`coref.py`) how to find its entity.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from newsgraph.extract.actors.lexicon import Lexicon, plain

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

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
def _split(phrase: str) -> tuple[str, ...]:
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
        parts = _split(phrase)
        n = len(parts)
        if n > best and parts and parts[0] == first and tuple(low[i : i + n]) == parts:
            best = n
    return best


_PhraseIndex = tuple[dict[str, list[tuple[tuple[str, ...], str]]], dict[str, list[tuple[str, ...]]]]
_PHRASE_INDEX: dict[int, tuple[Lexicon, _PhraseIndex]] = {}


def _phrases_by_first_word(lex: Lexicon) -> _PhraseIndex:
    """Seats of government and social-network descriptors, split once per lexicon and indexed by
    first word, so the per-token rules look up only the phrases that can start at a token."""
    cached = _PHRASE_INDEX.get(id(lex))
    if cached is not None and cached[0] is lex:
        return cached[1]
    seats: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for seat, code in lex.countries.seats.items():
        words = _split(seat)
        seats.setdefault(words[0], []).append((words, code))
    social: dict[str, list[tuple[str, ...]]] = {}
    for phrase, subtype in lex.descriptors:  # longest first, as the lexicon orders them
        if subtype == "social_network":
            words = _split(phrase)
            social.setdefault(words[0], []).append(words)
    _PHRASE_INDEX[id(lex)] = (lex, (seats, social))
    return seats, social


class Detector:
    def __init__(self, doc: Doc, lex: Lexicon) -> None:
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

    # ---- detection -----------------------------------------------------------------------

    def run(self) -> list[Cand]:
        doc = self.doc
        ents = [e for e in self.ents if e.label_ in NER_TYPES or e.label_ in OTHER_LABELS]
        # Pass 1: named spans from the NER, corrected (organisations first: they may absorb a place).
        for ent in sorted(ents, key=lambda e: (e.label_ != "ORG", e.start)):
            if ent.label_ == "NORP":
                continue
            self.named(ent)
        # Pass 2: phrases built around tokens (demonyms, seats, platforms, governments, groups…).
        for tok in doc:
            if not self.taken[tok.i]:
                self.token_rules(tok)
        for ent in ents:
            if ent.label_ == "NORP" and self.free(ent.start, ent.end):
                self.norp(ent)
        self.propagate()
        for tok in doc:
            if not self.taken[tok.i]:
                self.nominal(tok)
        self.cands.sort(key=lambda c: (c.start, -c.end))
        return self.cands

    def strip_det(self, ts: int, te: int) -> int:
        while ts < te and self.doc[ts].lower_ in DETERMINERS:
            ts += 1
        return ts

    def descriptor_inside(self, ts: int, te: int) -> tuple[int, str | None, str | None]:
        """'NGO Foundation …' / 'newspaper X': skip a leading descriptor (and a demonym before it)."""
        country = None
        i = ts
        if i < te and self.demonym_country(self.doc[i]) and i + 1 < te:
            n = match_phrase(self.low, i + 1, [p for p, _ in self.lex.descriptors])
            if n and i + 1 + n < te:
                country = self.demonym_country(self.doc[i])
                i += 1
        for phrase, subtype in self.lex.descriptors:
            n = len(phrase.split())
            if i + n < te and words_at(self.low, i, n) == _split(phrase):
                return i + n, subtype, country
        return ts, None, None

    def descriptor_before(self, ts: int) -> tuple[int, str | None, str | None]:
        """A descriptor just before a name ('the russian newspaper' + 'Ryazan Gazette')."""
        doc = self.doc
        for phrase, subtype in self.lex.descriptors:
            n = len(phrase.split())
            if ts - n >= 0 and words_at(self.low, ts - n, n) == _split(phrase) and self.free(ts - n, ts):
                start = ts - n
                country = None
                if start > 0 and self.demonym_country(doc[start - 1]) and self.free(start - 1, start):
                    country = self.demonym_country(doc[start - 1])
                    start -= 1
                return start, subtype, country
        return ts, None, None

    def named(self, ent: Span) -> None:
        doc, lex = self.doc, self.lex
        ts, te = self.strip_det(ent.start, ent.end), ent.end
        if ts >= te or not self.free(ts, te):
            return
        label = ent.label_
        # A spaced bracket, comma or dash ends a name ("Scott Draper ( Australia", "Romania - Contra").
        for k in range(ts + 1, te):
            if doc[k].text in SPLITTERS and doc[k - 1].whitespace_:
                te = k
                break
        # Trailing possessives, numbers and punctuation are not part of a name ("Somerset 83", "Boatmen 's").
        while te - ts > 1 and (
            doc[te - 1].text in ("'s", "’s", "'", "’") or not any(c.isalpha() for c in doc[te - 1].text)
        ):
            te -= 1
        if ts >= te:
            return
        # A descriptor inside, before or after the name fixes its kind: "the NGO X", "X news agency".
        name_ts, dsub, dcountry = self.descriptor_inside(ts, te)
        mention_ts = ts
        if dsub is None:
            mention_ts, dsub, dcountry = self.descriptor_before(ts)
        if dsub is None:
            for phrase, kind in self.lex.descriptors:
                n = len(_split(phrase))
                trailing = kind == "media" and phrase not in ("daily", "weekly", "channel", "outlet")
                if (
                    trailing
                    and te - n > ts
                    and words_at(self.low, te - n, n) == _split(phrase)
                    and all(t.is_title or t.is_upper for t in doc[ts : te - n])
                ):
                    for k in range(te - n, te):
                        self.taken[k] = True
                    dsub, te, mention_ts, name_ts = kind, te - n, ts, ts
                    break
        text = doc[name_ts:te].text
        low = text.lower()
        countries = lex.countries
        # Span repair: "Foundation for Human Rights" + "in Cuba".
        if label == "ORG" or dsub in ("ngo", "party"):
            te = self.run_on(name_ts, te)
            text = doc[name_ts:te].text
        seat = countries.seats.get(low)
        if seat:
            self.add(
                self.cand(
                    self.det_start(ts),
                    te,
                    kind="nominal",
                    type="Organization",
                    ref="gov",
                    country=seat,
                    subtype="government",
                    label=label,
                    by_rule=True,
                )
            )
            return
        if low in lex.social_networks:
            self.add(
                self.cand(
                    ts,
                    te,
                    kind="name",
                    type="Organization",
                    ref="name",
                    name=text,
                    subtype="social_network",
                    label=label,
                    by_rule=True,
                )
            )
            return
        if dsub:
            # The mention is the name; the descriptor ("the NGO", "the russian newspaper") is an alias.
            for k in range(mention_ts, name_ts):
                self.taken[k] = True
            self.add(
                self.cand(
                    name_ts,
                    te,
                    kind="name",
                    type="Organization",
                    ref="name",
                    name=text,
                    subtype=dsub,
                    country=dcountry or self.name_country(name_ts, te),
                    label=label,
                    by_rule=True,
                    alias=doc[mention_ts:te].text,
                )
            )
            return
        words = [t.lower_ for t in doc[ts:te]]
        person_country = label == "PERSON" and text.lower() not in countries.person_like
        if label in ("GPE", "LOC", "ORG", "NORP", "FAC") or label in OTHER_LABELS or person_country:
            code = countries.lookup(text)
            if (code and label != "ORG") or (code and label == "ORG" and len(words) == 1):
                self.add(
                    self.cand(
                        ts,
                        te,
                        kind="name",
                        type="Country",
                        ref="country",
                        name=countries.name(code),
                        country=code,
                        label=label,
                        by_rule=label != "GPE",
                    )
                )
                return
        subtype = lex.org_subtype(text)
        title = lex.title_of(words)
        n_title = len(title.split()) if title else 0
        if title and (n_title == te - ts or (label != "PERSON" and subtype is None and words[n_title] == "of")):
            if title in lex.member_words and n_title < te - ts:
                return
            self.title_mention(ts, te, title, label)
            return
        if title and label == "PERSON" and n_title < te - ts and doc[ts].is_title:
            # "President Vladimir Putin" inside the NER span: the name is what follows the title.
            n = len(title.split())
            self.add(
                self.cand(
                    ts + n,
                    te,
                    kind="name",
                    type="Person",
                    ref="name",
                    name=doc[ts + n : te].text,
                    label=label,
                    title=title,
                    by_rule=True,
                )
            )
            return
        if subtype and (label not in ("GPE", "LOC") or subtype in ("media", "ministry", "party", "company", "ngo")):
            self.add(
                self.cand(
                    ts,
                    te,
                    kind="name",
                    type="Organization",
                    ref="name",
                    name=text,
                    subtype=subtype,
                    country=self.name_country(ts, te),
                    label=label,
                    by_rule=True,
                )
            )
            return
        if label in OTHER_LABELS:
            return
        etype = NER_TYPES[label]
        self.add(
            self.cand(
                ts,
                te,
                kind="name",
                type=etype,
                ref="name",
                name=text,
                label=label,
                country=self.name_country(ts, te) if etype == "Organization" else None,
            )
        )

    def det_start(self, ts: int) -> int:
        return ts - 1 if ts > 0 and self.doc[ts - 1].lower_ == "the" and self.free(ts - 1, ts) else ts

    def name_country(self, ts: int, te: int) -> str | None:
        """The country an organisation name carries: 'Cuban Ministry …', '… of Cuba', '… in Cuba'."""
        countries = self.lex.countries
        for tok in self.doc[ts:te]:
            dem = countries.demonym(tok.text)
            if dem and tok.i == ts:
                return dem
        for i in range(ts, te):
            if self.doc[i].lower_ in ("of", "in", "for"):
                for j in range(te, i + 1, -1):
                    code = countries.lookup(self.doc[i + 1 : j].text)
                    if code:
                        return code
        return None

    def run_on(self, ts: int, te: int) -> int:
        """Extend an organisation name over '… in <Country>' when the name is a 'X for Y' kind."""
        doc = self.doc
        words = {t.lower_ for t in doc[ts:te]}
        sub = self.lex.org_subtype(doc[ts:te].text)
        if "for" not in words or sub in (None, "ministry", "government") or te + 1 >= len(doc):
            return te
        if doc[te].lower_ not in ("in", "of"):
            return te
        ent = self.ent_at.get(te + 1)
        if ent is not None and ent.label_ in ("GPE", "LOC"):
            after = doc[ent.end] if ent.end < len(doc) else None
            if after is None or not (after.is_title and after.pos_ == "PROPN"):
                return ent.end
        return te

    def title_mention(self, ts: int, te: int, title: str, label: str | None) -> None:
        """'the Minister of Foreign Affairs', 'the Russian President': refers to the title's holder."""
        doc = self.doc
        country = None
        if ts > 0 and self.demonym_country(doc[ts - 1]) and self.free(ts - 1, ts):
            country = self.demonym_country(doc[ts - 1])
            ts -= 1
        n = len(title.split())
        if self.demonym_country(doc[ts]) and ts + 1 < te:
            country = self.demonym_country(doc[ts])
        of = doc[ts:te].text
        c = self.cand(
            self.det_start(ts),
            te,
            kind="title",
            type="Person",
            ref="title",
            name=of,
            label=label,
            country=country or self.name_country(ts + n, te),
            title=title,
            by_rule=True,
        )
        self.add(c)

    def propagate(self) -> None:
        """Names the NER tagged once and missed elsewhere: the same words again, and people's surnames."""
        doc = self.doc
        seqs: dict[tuple[str, ...], Cand] = {}
        for c in list(self.cands):
            if c.ref != "name" or c.kind != "name" or not c.name:
                continue
            words = tuple(t.text for t in doc[c.ts : c.te])
            if len(words) > 1 and all(w[:1].isupper() or not w[:1].isalpha() for w in words):
                seqs.setdefault(words, c)
            if c.type == "Person" and len(words) > 1 and len(words[-1]) > 2 and words[-1][:1].isupper():
                seqs.setdefault((words[-1],), c)
        if not seqs:
            return
        texts = [t.text for t in doc]
        where: dict[str, list[int]] = {}
        for i, t in enumerate(texts):
            where.setdefault(t, []).append(i)
        for words, src in sorted(seqs.items(), key=lambda kv: -len(kv[0])):
            n = len(words)
            for i in where.get(words[0], ()):
                if tuple(texts[i : i + n]) != words or not self.free(i, i + n):
                    continue
                if i + n < len(doc) and doc[i + n].text[:1].isupper() and doc[i + n].pos_ == "PROPN":
                    continue  # part of a longer name
                if i > 0 and doc[i - 1].text[:1].isupper() and doc[i - 1].pos_ == "PROPN":
                    continue
                self.add(
                    self.cand(
                        i, i + n, kind="name", type=src.type, ref="name", name=" ".join(words),
                        subtype=src.subtype, country=src.country, label=None, by_rule=False,
                    )
                )  # fmt: skip

    def country_name(self, i: int) -> bool:
        """A country name the NER left untagged ("Nigeria", "AUSTRALIA"), as written with capitals."""
        doc = self.doc
        tok = doc[i]
        if not (tok.is_title or tok.is_upper) or tok.ent_type_ or len(tok.text) < 3:
            return False
        countries = self.lex.countries
        for n in (3, 2, 1):
            if i + n > len(doc) or not self.free(i, i + n):
                continue
            words = doc[i : i + n]
            if any(t.ent_type_ for t in words) or not all(t.is_title or t.is_upper or t.is_lower for t in words):
                continue
            text = words.text
            if text.lower() in countries.person_like or not words[-1].text[:1].isupper():
                continue
            code = countries.names.get(text.lower())
            if code:
                self.add(self.cand(i, i + n, kind="name", type="Country", ref="country", name=countries.name(code),
                                   country=code, by_rule=True))  # fmt: skip
                return True
        return False

    def titled_name(self, i: int) -> bool:
        """'President Ana Torres' when the NER missed the name: a title, then capitalised proper nouns."""
        doc, lex = self.doc, self.lex
        if not doc[i].is_title:
            return False
        title = lex.title_of(self.low[i : i + 3])
        if title is None or title in lex.member_words:
            return False
        j = i + len(title.split())
        k = j
        while k < len(doc) and k - j < 4 and doc[k].pos_ == "PROPN" and doc[k].is_title and not self.taken[k]:
            k += 1
        if k - j < 2 or not self.free(i, k):  # a single word after a title may be anything
            return False
        for t in range(i, j):
            self.taken[t] = True
        self.add(self.cand(j, k, kind="name", type="Person", ref="name", name=doc[j:k].text, title=title,
                           by_rule=True))  # fmt: skip
        return True

    # ---- token rules ---------------------------------------------------------------------

    def token_rules(self, tok: Token) -> None:
        doc, lex = self.doc, self.lex
        i = tok.i
        # Seats of government: "the Kremlin", "the White House".
        for seat_words, code in self.seats_at.get(self.low[i], ()):
            n = len(seat_words)
            if words_at(self.low, i, n) == seat_words and doc[i].is_title and self.free(i, i + n):
                self.add(
                    self.cand(
                        self.det_start(i),
                        i + n,
                        kind="nominal",
                        type="Organization",
                        ref="gov",
                        country=code,
                        subtype="government",
                        by_rule=True,
                    )
                )
                return
        # Named platforms: "Twitter"; "the social network X".
        if tok.lower_ in lex.social_networks and tok.text[:1].isupper():
            self.add(
                self.cand(
                    i,
                    i + 1,
                    kind="name",
                    type="Organization",
                    ref="name",
                    name=tok.text,
                    subtype="social_network",
                    by_rule=True,
                )
            )
            return
        for phrase_words in self.social_at.get(self.low[i], ()):
            n = len(phrase_words)
            if words_at(self.low, i, n) == phrase_words:
                j = i + n
                k = j
                while k < len(doc) and doc[k].text[:1].isupper() and not self.taken[k] and k - j < 4:
                    k += 1
                if k > j and self.free(i, k):
                    for t in range(i, j):
                        self.taken[t] = True
                    self.add(
                        self.cand(
                            j,
                            k,
                            kind="name",
                            type="Organization",
                            ref="name",
                            name=doc[j:k].text,
                            subtype="social_network",
                            by_rule=True,
                            alias=doc[i:k].text,
                        )
                    )
                    return
        if self.titled_name(i):
            return
        if self.country_name(i):
            return
        # Demonyms: groups, governments, diplomacy, or the country itself.
        prev = doc[i - 1] if i > 0 else None
        if prev is not None and prev.is_title and not prev.is_sent_start and prev.lower_ not in DETERMINERS:
            return  # "South American", "Latin American": a compound adjective, not a nationality
        plural = lex.countries.plural(tok.text) if tok.text[:1].isupper() else None
        if plural and tok.tag_ in PLURAL_TAGS | {"NNP"}:
            self.add(
                self.cand(
                    i,
                    i + 1,
                    kind="demonym",
                    type="Group",
                    ref="group",
                    country=plural,
                    name=tok.text,
                    label=tok.ent_type_ or None,
                    by_rule=True,
                )
            )
            return
        n, dem = self.demonym_at(i)
        if dem and tok.text[:1].isalpha() and self.free(i, i + n):
            if tok.ent_iob_ == "I" or (tok.ent_type_ and tok.ent_type_ != "NORP"):
                return  # inside a longer name ("Latin American", "New Mexican …")
            ent_end = self.ent_at[i].end if i in self.ent_at else i + n
            if tok.ent_type_ == "NORP" and ent_end > i + n:
                return
            self.demonym_phrase(i, n, dem)

    def demonym_phrase(self, i: int, n0: int, code: str) -> None:
        doc, lex = self.doc, self.lex
        tok = doc[i]
        j = i + n0
        label = tok.ent_type_ or None
        n = match_phrase(self.low, j, lex.government_words)
        if n and self.free(j, j + n):
            self.add(
                self.cand(
                    self.det_start(i),
                    j + n,
                    kind="nominal",
                    type="Organization",
                    ref="gov",
                    country=code,
                    subtype="government",
                    label=label,
                    by_rule=True,
                )
            )
            return
        n = match_phrase(self.low, j, lex.diplomacy_words)
        if n and self.free(j, j + n):
            self.add(
                self.cand(
                    i,
                    j + n,
                    kind="nominal",
                    type="Organization",
                    ref="diplomacy",
                    country=code,
                    subtype="ministry",
                    label=label,
                    by_rule=True,
                )
            )
            return
        n = match_phrase(self.low, j, tuple(lex.group_nouns))
        if n and self.free(j, j + n):
            self.add(
                self.cand(
                    i,
                    j + n,
                    kind="nominal",
                    type="Group",
                    ref="group",
                    country=code,
                    name=doc[i : j + n].text,
                    label=label,
                    by_rule=True,
                    key=lex.group_nouns.get(doc[i + n0 : j + n].text.lower(), "people"),
                )
            )
            return
        if tok.text[:1].isupper() or tok.ent_type_ == "NORP":
            self.add(
                self.cand(
                    i,
                    j,
                    kind="demonym",
                    type="Country",
                    ref="country",
                    country=code,
                    name=self.lex.countries.name(code),
                    label=label,
                    by_rule=True,
                )
            )

    def norp(self, ent: Span) -> None:
        """A NORP span the country table does not know: a plural ('Latinos') is a Group."""
        last = ent[-1]
        if last.tag_ in PLURAL_TAGS or last.text.endswith("s"):
            self.add(self.cand(ent.start, ent.end, kind="name", type="Group", ref="name", name=ent.text, label="NORP"))

    # ---- nominal phrases -----------------------------------------------------------------

    def np_end(self, i: int) -> tuple[int, int]:
        """From a determiner at i: the index of the head noun and the end of the phrase (no PPs)."""
        doc = self.doc
        j = i + 1
        while (
            j < len(doc)
            and doc[j].pos_ in ("ADJ", "NOUN", "PROPN", "ADV", "VERB", "CCONJ", "PUNCT")
            and (doc[j].pos_ != "PUNCT" or doc[j].text == "-")
        ):
            if doc[j].pos_ in ("VERB", "ADV") and doc[j].tag_ not in ("VBG", "VBN"):
                break
            if doc[j].pos_ == "CCONJ" and not (j + 1 < len(doc) and doc[j + 1].pos_ == "ADJ"):
                break
            if doc[j].pos_ in ("NOUN", "PROPN") and (j + 1 >= len(doc) or doc[j + 1].pos_ not in ("NOUN", "PROPN")):
                return j, j + 1
            j += 1
        return -1, -1

    def nominal(self, tok: Token) -> None:
        doc, lex = self.doc, self.lex
        i = tok.i
        low = tok.lower_
        # "the government of P", "the dictatorship of P".
        if low == "the":
            n = match_phrase(self.low, i + 1, lex.government_words)
            if n and i + 1 + n < len(doc) and doc[i + 1 + n].lower_ == "of":
                k = i + 2 + n
                arg = next((c for c in self.cands if c.ts == k and c.ref in ("name", "country")), None)
                if arg is not None:
                    self.add(
                        self.cand(
                            i,
                            i + 1 + n,
                            kind="nominal",
                            type="Organization",
                            ref="gov_of",
                            subtype="government",
                            alias=doc[i : arg.te].text,
                            by_rule=True,
                            extra={"arg_tokens": (arg.ts, arg.te)},
                        )
                    )
                    return
        # "Russia's government", "Cuba's authorities": the country's government.
        if low in ("'s", "’s") and i > 0:
            prev = next((c for c in self.cands if c.te == i and c.ref == "country" and c.country), None)
            n = match_phrase(self.low, i + 1, lex.government_words)
            if prev is not None and n and self.free(i + 1, i + 1 + n):
                self.add(
                    self.cand(
                        i + 1,
                        i + 1 + n,
                        kind="nominal",
                        type="Organization",
                        ref="gov",
                        country=prev.country,
                        subtype="government",
                        alias=doc[prev.ts : i + 1 + n].text,
                        by_rule=True,
                    )
                )
                return
        if low not in DETERMINERS and low not in ("its", "their", "this", "that", "these"):
            # Bare "authorities" (no determiner) also names the government in context.
            if low == "authorities" and self.free(i, i + 1):
                self.add(
                    self.cand(
                        i,
                        i + 1,
                        kind="nominal",
                        type="Organization",
                        ref="authority",
                        subtype="government",
                        by_rule=True,
                    )
                )
            return
        if tok.dep_ == "det" and 0 < tok.head.i - i <= 6 and tok.head.pos_ in ("NOUN", "PROPN"):
            head, end = tok.head.i, tok.head.i + 1
        else:
            head, end = self.np_end(i)
        if head < 0 or not self.free(i, end):
            return
        hw = doc[head].lower_
        mods = [t.lower_ for t in doc[i + 1 : head]]
        phrase = " ".join([*mods, hw])
        if (
            low == "the"
            and (phrase in lex.authority_phrases or f"the {phrase}" in lex.authority_phrases)
            and hw in lex.authority_heads
        ):
            self.add(
                self.cand(
                    i, end, kind="nominal", type="Organization", ref="authority", subtype="government", by_rule=True
                )
            )
            return
        title = lex.title_of([*mods, hw]) if low == "the" else None
        if title in lex.honorifics:
            title = None
        if title and len(title.split()) == len(mods) + 1:
            if title in lex.member_words and end < len(doc) and doc[end].lower_ in ("for", "of"):
                return  # "the spokesperson for X" speaks for X: no actor of its own
            end2 = end
            if end < len(doc) - 1 and doc[end].lower_ == "of" and doc[end + 1].is_title:
                k = end + 1
                while k < len(doc) and (doc[k].is_title or doc[k].lower_ in ("of", "and")) and not self.taken[k]:
                    k += 1
                while k > end + 1 and doc[k - 1].lower_ in ("of", "and"):
                    k -= 1
                end2 = k if k > end + 1 else end
            self.add(
                self.cand(
                    i,
                    end2,
                    kind="title",
                    type="Person",
                    ref="title",
                    name=doc[i + 1 : end2].text,
                    title=title,
                    by_rule=True,
                )
            )
            return
        if doc[head].tag_ in PLURAL_TAGS:
            return
        if low in ("a", "an"):
            sub = lex.collective_heads.get(hw)
            if sub and (
                any(m in lex.collective_modifiers for m in mods) or any(t.pos_ == "NOUN" for t in doc[i + 1 : head])
            ):
                if head + 1 < len(doc) and doc[head + 1].lower_ == "of":
                    return
                self.add(
                    self.cand(
                        i,
                        end,
                        kind="nominal",
                        type="Organization",
                        ref="unnamed",
                        subtype=sub,
                        name=doc[i + 1 : end].text,
                        by_rule=True,
                    )
                )
            return
        if low != "the":
            return
        spec = lex.definites.get(hw)
        if spec is None:
            return
        if any(
            m not in lex.definite_modifiers and not self.demonym_country(t)
            for m, t in zip(mods, doc[i + 1 : head], strict=True)
        ):
            return
        country = next((self.demonym_country(t) for t in doc[i + 1 : head] if self.demonym_country(t)), None)
        self.add(
            self.cand(
                i,
                end,
                kind="nominal",
                type=spec.type,
                ref="definite",
                name=doc[i + 1 : end].text,
                country=country,
                by_rule=True,
                extra={"spec": spec, "head": hw, "collective": lex.collective_heads.get(hw)},
            )
        )
