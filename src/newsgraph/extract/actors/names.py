"""Name rules: spaCy's named entities, their types and spans corrected by the actor lexicon
(descriptors, seats, platforms, countries, titles), and names propagated to their repetitions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsgraph.extract.actors.candidates import (
    NER_TYPES,
    OTHER_LABELS,
    SPLITTERS,
    Cand,
    DetectorBase,
    match_phrase,
    split_phrase,
    words_at,
)

if TYPE_CHECKING:
    from spacy.tokens import Span


# Legal forms written after a company's name.
COMPANY_FORMS = frozenset(
    {"llc", "inc", "ltd", "corp", "plc", "gmbh", "ag", "sa", "s.a", "jsc", "ooo", "llp", "fze", "fzco"}
)


class NameRules(DetectorBase):
    """Rules over the statistical NER's names."""

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
            if i + n < te and words_at(self.low, i, n) == split_phrase(phrase):
                return i + n, subtype, country
        return ts, None, None

    def descriptor_before(self, ts: int) -> tuple[int, str | None, str | None]:
        """A descriptor just before a name ('the russian newspaper' + 'Ryazan Gazette')."""
        doc = self.doc
        for phrase, subtype in self.lex.descriptors:
            n = len(phrase.split())
            if ts - n >= 0 and words_at(self.low, ts - n, n) == split_phrase(phrase) and self.free(ts - n, ts):
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
        # "Falcon Maritime" + "LLC": a company's legal form right after its name belongs to it.
        if label == "ORG":
            k = te
            while k < len(doc) and k - te < 3 and doc[k].pos_ == "PROPN" and doc[k].is_title and not doc[k].ent_type_:
                k += 1
            if k < len(doc) and doc[k].lower_.rstrip(".") in COMPANY_FORMS and self.free(te, k + 1):
                te = k + 1
        # A descriptor inside, before or after the name fixes its kind: "the NGO X", "X news agency".
        name_ts, dsub, dcountry = self.descriptor_inside(ts, te)
        mention_ts = ts
        if dsub is None:
            mention_ts, dsub, dcountry = self.descriptor_before(ts)
        if dsub is None:
            for phrase, kind in self.lex.descriptors:
                n = len(split_phrase(phrase))
                trailing = kind == "media" and phrase not in ("daily", "weekly", "channel", "outlet")
                if (
                    trailing
                    and te - n > ts
                    and words_at(self.low, te - n, n) == split_phrase(phrase)
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
            self.propose(self.det_start(ts), te, "government", country=seat, label=label)
            return
        if low in lex.social_networks:
            self.propose(ts, te, "social_network", name=text, label=label)
            return
        if dsub:
            # The mention is the name; the descriptor ("the NGO", "the russian newspaper") is an alias.
            for k in range(mention_ts, name_ts):
                self.taken[k] = True
            self.propose(
                name_ts,
                te,
                "organization",
                name=text,
                subtype=dsub,
                country=dcountry or self.name_country(name_ts, te),
                label=label,
                alias=doc[mention_ts:te].text,
            )
            return
        words = [t.lower_ for t in doc[ts:te]]
        person_country = label == "PERSON" and text.lower() not in countries.person_like
        if label in ("GPE", "LOC", "ORG", "NORP", "FAC") or label in OTHER_LABELS or person_country:
            code = countries.lookup(text)
            if (code and label != "ORG") or (code and label == "ORG" and len(words) == 1):
                self.propose(
                    ts, te, "country", name=countries.name(code), country=code, label=label, by_rule=label != "GPE"
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
            self.propose(ts + n, te, "person", name=doc[ts + n : te].text, label=label, title=title)
            return
        if subtype and (label not in ("GPE", "LOC") or subtype in ("media", "ministry", "party", "company", "ngo")):
            self.propose(
                ts, te, "organization", name=text, subtype=subtype, country=self.name_country(ts, te), label=label
            )
            return
        if label in OTHER_LABELS:
            return
        etype = NER_TYPES[label]
        self.propose(
            ts,
            te,
            kind="name",
            type=etype,
            ref="name",
            name=text,
            label=label,
            country=self.name_country(ts, te) if etype == "Organization" else None,
            by_rule=False,
        )

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
                self.propose(
                    i,
                    i + n,
                    kind="name",
                    type=src.type,
                    ref="name",
                    name=" ".join(words),
                    subtype=src.subtype,
                    country=src.country,
                    label=None,
                    by_rule=False,
                )

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
                self.propose(i, i + n, "country", name=countries.name(code), country=code)
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
        self.propose(j, k, "person", name=doc[j:k].text, title=title)
        return True
