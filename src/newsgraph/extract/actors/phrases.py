"""Phrase rules: the actor phrases the statistical NER does not give, built around tokens —
seats of government, platforms, demonyms and the governments, groups and diplomacy they head,
authorities, unnamed collectives, definite descriptions, titles."""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsgraph.extract.actors.candidates import DETERMINERS, PLURAL_TAGS, match_phrase, words_at
from newsgraph.extract.actors.names import NameRules

if TYPE_CHECKING:
    from spacy.tokens import Span, Token


# Lower-case words inside a name ("Families Against Detention", "Friends of the Earth").
NAME_LINKS = frozenset({"of", "for", "against", "and", "the", "de", "del", "la", "el", "al", "on", "in"})
# Organisation nouns an apposition can end in, with the subtype they give unless a modifier says more.
APPOSITIVE_KINDS = {
    "group": None,
    "organization": "organization",
    "organisation": "organization",
    "charity": "ngo",
    "movement": "organization",
    "coalition": "organization",
    "alliance": "organization",
    "militia": "military",
    "faction": "military",
    "company": "company",
    "firm": "company",
    "conglomerate": "company",
    "bank": "company",
    "lender": "company",
    "network": "network",
    "gang": "network",
    "cartel": "network",
    "syndicate": "network",
}
APPOSITIVE_MODIFIERS = {
    "ngo": frozenset(
        {
            "rights",
            "advocacy",
            "campaign",
            "campaigning",
            "aid",
            "humanitarian",
            "charity",
            "monitoring",
            "watchdog",
            "civil",
            "non-profit",
            "nonprofit",
            "non-governmental",
            "relief",
            "environmental",
        }
    ),
    "military": frozenset(
        {
            "rebel",
            "armed",
            "militant",
            "jihadist",
            "insurgent",
            "paramilitary",
            "separatist",
            "guerrilla",
            "mercenary",
            "islamist",
            "extremist",
            "terrorist",
        }
    ),
    "network": frozenset({"criminal", "crime", "trafficking", "smuggling", "drug", "mafia"}),
    "company": frozenset(
        {
            "shipping",
            "trading",
            "security",
            "logistics",
            "mining",
            "oil",
            "energy",
            "investment",
            "holding",
            "consulting",
            "private",
            "defence",
            "defense",
            "arms",
        }
    ),
}


class PhraseRules(NameRules):
    """Rules over tokens and the phrases around them."""

    def token_rules(self, tok: Token) -> None:
        doc, lex = self.doc, self.lex
        i = tok.i
        # Seats of government: "the Kremlin", "the White House".
        for seat_words, code in self.seats_at.get(self.low[i], ()):
            n = len(seat_words)
            if words_at(self.low, i, n) == seat_words and doc[i].is_title and self.free(i, i + n):
                self.propose(self.det_start(i), i + n, "government", country=code)
                return
        # Named platforms: "Twitter"; "the social network X".
        if tok.lower_ in lex.social_networks and tok.text[:1].isupper():
            self.propose(i, i + 1, "social_network", name=tok.text)
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
                    self.propose(j, k, "social_network", name=doc[j:k].text, alias=doc[i:k].text)
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
            self.propose(
                i,
                i + 1,
                kind="demonym",
                type="Group",
                ref="group",
                country=plural,
                name=tok.text,
                label=tok.ent_type_ or None,
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
        title = lex.title_of(self.low[j : j + 3])
        if i > 0 and self.low[i - 1] == "the" and title and title not in lex.honorifics:
            k = j + len(title.split())
            if k >= len(doc) or not (doc[k].is_title and doc[k].pos_ == "PROPN"):
                return  # "the Russian minister": a title reference (nominal rules), not the country
        n = match_phrase(self.low, j, lex.government_words)
        if n and self.free(j, j + n):
            self.propose(self.det_start(i), j + n, "government", country=code, label=label)
            return
        n = match_phrase(self.low, j, lex.diplomacy_words)
        if n and self.free(j, j + n):
            self.propose(
                i,
                j + n,
                kind="nominal",
                type="Organization",
                ref="diplomacy",
                country=code,
                subtype="ministry",
                label=label,
            )
            return
        n = match_phrase(self.low, j, tuple(lex.group_nouns))
        if n and self.free(j, j + n):
            self.propose(
                i,
                j + n,
                kind="nominal",
                type="Group",
                ref="group",
                country=code,
                name=doc[i : j + n].text,
                label=label,
                key=lex.group_nouns.get(doc[i + n0 : j + n].text.lower(), "people"),
            )
            return
        if tok.text[:1].isupper() or tok.ent_type_ == "NORP":
            self.propose(
                i,
                j,
                kind="demonym",
                type="Country",
                ref="country",
                country=code,
                name=self.lex.countries.name(code),
                label=label,
            )

    def norp(self, ent: Span) -> None:
        """A NORP span the country table does not know: a plural ('Latinos') is a Group."""
        last = ent[-1]
        if last.tag_ in PLURAL_TAGS or last.text.endswith("s"):
            self.propose(
                ent.start, ent.end, kind="name", type="Group", ref="name", name=ent.text, label="NORP", by_rule=False
            )

    # ---- names described by an apposition ------------------------------------------------

    def appositive_names(self) -> None:
        """ "Families Against Detention, a Geneva-based human rights group," / "Kestrel Holdings, the
        shipping firm,": the capitalised name before the comma is an organisation of the kind the
        apposition says (a descriptor, or an organisation noun with a telling modifier), even when
        the NER missed or mistyped it. The apposition itself is no actor of its own."""
        doc = self.doc
        for k, tok in enumerate(doc):
            if tok.text != "," or k + 2 >= len(doc) or self.low[k + 1] not in DETERMINERS:
                continue
            det = doc[k + 1]
            if det.dep_ == "det" and det.head.pos_ in ("NOUN", "PROPN") and 0 < det.head.i - k <= 8:
                head, end = det.head.i, det.head.i + 1
            else:
                head, end = self.np_end(k + 1)
            if head < 0 or head - k > 8:
                continue
            subtype = self.appositive_kind(k + 2, head)
            if subtype is None:
                continue
            ts = k
            while (
                ts > 0
                and (
                    doc[ts - 1].is_title
                    or doc[ts - 1].is_upper
                    or (self.low[ts - 1] in NAME_LINKS and ts - 1 > doc[ts - 1].sent.start)
                )
                and doc[ts - 1].pos_ != "PUNCT"
                and k - ts < 7
            ):
                ts -= 1
            while ts < k and self.low[ts] in NAME_LINKS | DETERMINERS:
                ts += 1
            if ts >= k or not (doc[ts].is_title or doc[ts].is_upper) or doc[k - 1].lower_ in NAME_LINKS:
                continue
            if ts == doc[ts].sent.start and k - ts == 1 and doc[ts].pos_ != "PROPN":
                continue  # "Yesterday, a rights group …"
            existing = next((c for c in self.cands if c.ts == ts and c.te == k), None)
            if existing is not None:
                if not existing.by_rule and existing.ref == "name" and existing.type != "Country":
                    existing.type, existing.subtype, existing.by_rule = "Organization", subtype, True
            elif self.free(ts, k):
                self.propose(ts, k, "organization", name=doc[ts:k].text, subtype=subtype, alias=doc[ts:end].text)
            else:
                continue
            self.taken[k + 1] = True  # the describing phrase is not an unnamed actor

    def appositive_kind(self, i: int, head: int) -> str | None:
        """The organisation subtype a describing phrase doc[i:head+1] gives, else None."""
        lex, low = self.lex, self.low
        for phrase, subtype in lex.descriptors:
            parts = phrase.split()
            if subtype != "social_network" and tuple(low[head + 1 - len(parts) : head + 1]) == tuple(parts):
                return subtype
        hw = low[head]
        mods = set(low[i:head])
        if hw in APPOSITIVE_KINDS:
            for sub, words in APPOSITIVE_MODIFIERS.items():
                if mods & words:
                    return sub
            return APPOSITIVE_KINDS[hw]
        return None

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
                    self.propose(
                        i,
                        i + 1 + n,
                        kind="nominal",
                        type="Organization",
                        ref="gov_of",
                        subtype="government",
                        alias=doc[i : arg.te].text,
                        extra={"arg_tokens": (arg.ts, arg.te)},
                    )
                    return
        # "Russia's government", "Cuba's authorities": the country's government.
        if low in ("'s", "’s") and i > 0:
            prev = next((c for c in self.cands if c.te == i and c.ref == "country" and c.country), None)
            n = match_phrase(self.low, i + 1, lex.government_words)
            if prev is not None and n and self.free(i + 1, i + 1 + n):
                self.propose(i + 1, i + 1 + n, "government", country=prev.country, alias=doc[prev.ts : i + 1 + n].text)
                return
        if low not in DETERMINERS and low not in ("its", "their", "this", "that", "these"):
            # Bare "authorities" (no determiner) also names the government in context.
            if low == "authorities" and self.free(i, i + 1):
                self.propose(i, i + 1, "authority")
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
            self.propose(i, end, "authority")
            return
        # "the Russian minister": a title with a nationality before it is that country's holder
        tcountry = self.demonym_country(doc[i + 1]) if mods and doc[i + 1].text[:1].isupper() else None
        tmods = mods[1:] if tcountry else mods
        title = lex.title_of([*tmods, hw]) if low == "the" else None
        if title in lex.honorifics:
            title = None
        if title and len(title.split()) == len(tmods) + 1:
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
            self.propose(
                i,
                end2,
                kind="title",
                type="Person",
                ref="title",
                name=doc[i + 1 : end2].text,
                title=title,
                **({"country": tcountry} if tcountry else {}),
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
                self.propose(
                    i, end, kind="nominal", type="Organization", ref="unnamed", subtype=sub, name=doc[i + 1 : end].text
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
        self.propose(
            i,
            end,
            kind="nominal",
            type=spec.type,
            ref="definite",
            name=doc[i + 1 : end].text,
            country=country,
            extra={"spec": spec, "head": hw, "collective": lex.collective_heads.get(hw)},
        )
