"""The ``actor_knowledge`` component: datelines, types from knowledge, generic actors (issue 12).

Runs right after ``entities`` and corrects what a sentence-level tagger cannot know:

- **datelines** ("DAKAR (Reuters) -", "WASHINGTON:", "THE HAGUE, Sept 24 -"): the place and the
  agency become the article's dateline entities (mention kind ``dateline``), which the mention
  index leaves out, so neither is ever a source, a speaker or an arrester;
- **types from knowledge**: a name the gazetteer knows as a place (pycountry subdivisions,
  GeoNames cities, Phoenix place lists) and no actor dictionary knows as an actor is a Place
  when the text uses it as one (after "in/at/near/from/to", or tagged GPE/LOC, or not a person
  name); a demonym typed Place ("Nepali") is a Group;
- **generic actors** ("police", "prosecutors", "rebels", "security forces", "the detainees"):
  a noun phrase whose head is a Phoenix generic agent becomes an actor, one per article and
  phrase, scoped to a country the phrase names ("police in Senegal", "Nepali police") or else
  the article's dateline country or its most salient country;
- **pronouns** ("it", "they", "he") to the last compatible actor (`coref.resolve_pronouns`), after
  the generic actors exist, so "they" can be the rebels.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsgraph.extract.actors.context import ActorContext, alpha2
from newsgraph.extract.actors.coref import resolve_late_definites, resolve_pronouns
from newsgraph.extract.actors.knowledge import KnownActor, agent_sector, known_actor, place_country
from newsgraph.extract.actors.lexicon import lexicon
from newsgraph.extract.dateline import find_dateline
from newsgraph.extract.pipeline import Analysis, component
from newsgraph.model import Entity, EntityType, Mention

if TYPE_CHECKING:
    from spacy.tokens import Token

LOCATIVE_PREPS = frozenset({"in", "at", "near", "from", "to", "outside", "inside", "into", "around", "across"})
# Sectors of generic agents taken as actors, and the entity type and subtype each gives.
GENERIC_SECTORS: dict[str, tuple[EntityType, str | None]] = {
    "COP": ("Organization", "police"),
    "MIL": ("Organization", "military"),
    "JUD": ("Organization", "judiciary"),
    "GOV": ("Organization", "government"),
    "SPY": ("Organization", "intelligence"),
    "LEG": ("Organization", "legislature"),
    "REB": ("Group", "rebels"),
    "UAF": ("Group", "armed group"),
    "OPP": ("Group", "opposition"),
    "CRM": ("Group", "criminals"),
    "CVL": ("Group", "civilians"),
    "REF": ("Group", "refugees"),
}
# Heads too vague to be one actor of the article ("people said", "the government" is named elsewhere).
VAGUE_HEADS = frozenset({"people", "person", "man", "woman", "official", "authority", "government", "state", "public"})
DATELINE = "dateline"


@component(
    "actor_knowledge",
    requires=("graph.sentences", "graph.entities", "analysis.mentions"),
    assigns=("graph.entities", "analysis.mentions"),
)
def actor_knowledge(analysis: Analysis) -> None:
    dateline_country = _datelines(analysis)
    _retype(analysis)
    _merge_short_names(analysis)
    _generic_actors(analysis, dateline_country)
    resolve_late_definites(analysis.graph, analysis.doc, lexicon())
    resolve_pronouns(analysis.graph, analysis.doc)
    analysis.index_mentions()


def _next_id(analysis: Analysis) -> str:
    used = {e.id for e in analysis.graph.entities}
    n = len(used) + 1
    while f"E{n}" in used:
        n += 1
    return f"E{n}"


def _datelines(analysis: Analysis) -> str | None:
    """Move the dateline's mentions out of the actors; returns the dateline place's country."""
    graph = analysis.graph
    d = find_dateline(analysis.article.text)
    if d is None or analysis.doc.text != analysis.article.text:
        return None
    kept: list[Entity] = []
    for ent in graph.entities:
        inside = [m for m in ent.mentions if m.start < d.end and m.end > d.start]
        ent.mentions = [m for m in ent.mentions if m not in inside]
        if ent.mentions:
            kept.append(ent)
            if inside and ent.name.isupper() and ent.mentions[0].text.lower() == ent.name.lower():
                ent.name = ent.mentions[0].text  # "NEW DELHI" in the dateline, "New Delhi" in the story
    graph.entities = kept
    text = analysis.article.text
    sentence = graph.sentence_of(d.start)
    place_start = text.find(d.place.split()[0].upper(), d.start)
    if place_start >= 0:
        end = place_start + len(d.place)
        code = place_country(d.place)
        graph.entities.append(
            Entity(
                id=_next_id(analysis),
                name=d.place,
                type="Place",
                country=code,
                mentions=[Mention(place_start, end, text[place_start:end], sentence, kind=DATELINE)],
                roles=["dateline place"],
            )
        )
    if d.agency:
        start = text.find(d.agency, d.start, d.end)
        if start >= 0:
            graph.entities.append(
                Entity(
                    id=_next_id(analysis),
                    name=d.agency,
                    type="Organization",
                    subtype="media",
                    mentions=[Mention(start, start + len(d.agency), d.agency, sentence, kind=DATELINE)],
                    roles=["dateline agency"],
                )
            )
    return place_country(d.place) or (alpha2(d.region) if d.region else None)


def _locative(analysis: Analysis, ent: Entity) -> bool:
    """A mention used as a place: after a locative preposition, or tagged GPE/LOC."""
    doc = analysis.doc
    for m in ent.mentions:
        if m.label in ("GPE", "LOC", "FAC"):
            return True
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            continue
        root = span.root
        while root.dep_ == "conj" and root.head.i != root.i:  # "in Ambala and Chandigarh"
            root = root.head
        if root.dep_ == "pobj" and root.head.lower_ in LOCATIVE_PREPS:
            return True
    return False


def _modifies_a_noun(analysis: Analysis, ent: Entity) -> bool:
    """A one-word name used as a modifier ("Chandigarh police", "Goma residents")."""
    return any(
        r.head.pos_ == "NOUN" and (r.head.tag_ == "NNS" or r.head.lemma_ == "police")
        for r in _mention_roots(analysis, ent)
        if r.dep_ in ("compound", "nmod")
    )


def _retype(analysis: Analysis) -> None:
    """Types from knowledge: known places are Places, demonyms are their country, armed groups
    are organisations, a name after a role noun is a person; known people get their country and
    their role at the article's date."""
    countries = lexicon().countries
    date = analysis.article.published
    graph = analysis.graph
    for ent in list(graph.entities):
        code = countries.demonym(ent.name) if ent.type in ("Place", "Group") else None
        if code and (ent.type == "Place" or not countries.plural(ent.name)):
            _demonym_to_country(analysis, ent, code)  # "Nepali", "Ukrainian": nationality, not a place
            continue
        if _armed_group(analysis, ent):
            continue
        if ent.type in ("Organization", "Place") and not ent.subtype and _after_role_noun(analysis, ent):
            ent.type, ent.country = "Person", None  # "Police chief Adeyemi Okonkwo"
            continue
        known = known_actor(ent.name, date) if ent.type in ("Person", "Organization") else None
        if known is not None and known.type == ent.type:
            _known_role(ent, known)
            continue
        if ent.type not in ("Person", "Organization") or ent.subtype or ent.roles:
            continue
        code = place_country(ent.name)
        if code is None or known is not None:
            continue
        if (
            _locative(analysis, ent)
            or (ent.type == "Organization" and " " not in ent.name)
            or (ent.type == "Person" and " " not in ent.name and _modifies_a_noun(analysis, ent))
        ):
            ent.type = "Place"
            ent.country = ent.country or code


def _merge_short_names(analysis: Analysis) -> None:
    """A one-word organisation name that is the last word of exactly one longer organisation name
    in the article is that organisation: "Treasury" after "U.S. Treasury", "the Guards" after
    "Iran's Revolutionary Guards". Its mentions, aliases and relations move to the longer one."""
    graph = analysis.graph
    orgs = [e for e in graph.entities if e.type == "Organization" and len(e.name.split()) > 1]
    moved: dict[str, str] = {}
    for ent in list(graph.entities):
        words = ent.name.split()
        if ent.type not in ("Organization", "Group") or len(words) != 1 or len(ent.name) < 4 or ent.roles:
            continue
        if not ent.name[:1].isupper() or ent.name.isupper() or (ent.type == "Group" and ent.country):
            continue
        longer = [o for o in orgs if o.name.split()[-1].lower() == ent.name.lower()]
        if len(longer) != 1:
            continue
        into = longer[0]
        into.mentions = sorted([*into.mentions, *ent.mentions], key=lambda m: m.start)
        into.aliases += [a for a in [ent.name, *ent.aliases] if a not in into.aliases]
        graph.entities.remove(ent)
        moved[ent.id] = into.id
    if moved:
        for r in graph.relations:
            r.source, r.target = moved.get(r.source, r.source), moved.get(r.target, r.target)
        graph.relations = [r for r in graph.relations if r.source != r.target]


# Heads of a name used as an armed group: "the M23 rebels", "Black Lantern militiamen".
ARMED_SECTORS = frozenset({"REB", "UAF", "MIL"})


def _mention_roots(analysis: Analysis, ent: Entity) -> list[Token]:
    roots = []
    for m in ent.mentions:
        if m.kind in ("pronoun", DATELINE):
            continue
        span = analysis.doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is not None:
            roots.append(span.root)
    return roots


def _armed_group(analysis: Analysis, ent: Entity) -> bool:
    """A name that modifies a noun of armed bodies ("the M23 rebels", "Black Lantern fighters") or
    that the Phoenix dictionaries list as a rebel/armed group is an Organization, not a Place."""
    if ent.type == "Country" or (ent.type == "Person" and " " in ent.name):
        return False
    # a dictionary name of one ordinary word ("Falcon") may be anything: only names, acronyms, codes
    distinctive = " " in ent.name or ent.name.isupper() or any(c.isdigit() for c in ent.name)
    known = known_actor(ent.name, analysis.article.published) if distinctive else None
    armed = known is not None and known.type == "Organization" and (known.code or "")[3:6] in ARMED_SECTORS
    if not armed:
        for root in _mention_roots(analysis, ent):
            if root.pos_ == "NOUN" and agent_sector(root.text, root.lemma_) in ("REB", "UAF") and " " in ent.name:
                armed = True  # "the Northern Shield militia" tagged as a place
                break
            head = root.head
            if (
                root.dep_ in ("compound", "nmod", "amod")
                and head.pos_ == "NOUN"
                and agent_sector(head.text, head.lemma_) in ("REB", "UAF")
            ):
                armed = True
                break
    if not armed or (ent.type == "Organization" and ent.subtype):
        return False
    if place_country(ent.name) and not known and ent.type == "Place":
        return False  # "Darfur rebels": rebels of a place
    ent.type, ent.subtype = "Organization", "military"
    ent.country = ent.country or (known.country if known else None)
    return True


def _after_role_noun(analysis: Analysis, ent: Entity) -> bool:
    """A two- to four-word name right after a role noun ("Police chief Adeyemi Okonkwo",
    "Meridian spokesman Tomas Varga") is the person holding the role, whatever the NER said."""
    roles = _role_nouns()
    words = ent.name.split()
    if not 2 <= len(words) <= 4 or lexicon().org_subtype(ent.name) or place_country(ent.name):
        return False
    doc = analysis.doc
    heads = roles - {"member"}
    for m in ent.mentions:
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None or not all(t.is_title or "-" in t.text for t in span):
            continue
        prev = doc[span.start - 1] if span.start else None
        if prev is not None and prev.lemma_.lower() in roles and prev.pos_ == "NOUN":
            return True
        # "Christophe Aupy-Fargues, head of a brokerage firm": a name in apposition with a role
        if any(c.dep_ == "appos" and c.lemma_.lower() in heads for c in span.root.rights):
            return True
    return False


def _known_role(ent: Entity, known: KnownActor) -> None:
    """A person the Phoenix dictionaries list: their country, and their role at the article's date
    ("government of Russia") when the text gave none."""
    if ent.type != "Person":
        return
    ent.country = ent.country or known.country
    country = lexicon().countries.name(known.country) if known.country else None
    if known.role and not ent.roles:
        ent.roles.append(f"{known.role} of {country}" if country else known.role)
    elif country and known.role == "government" and ent.country == known.country:
        # "Prime Minister X" and X is of Nepal's government at the article's date: "Prime Minister of Nepal"
        ent.roles = [r if " of " in r else f"{r} of {country}" for r in ent.roles]


def _demonym_to_country(analysis: Analysis, ent: Entity, code: str) -> None:
    """A demonym entity ("Nepali") becomes mentions of the country (kind ``demonym``): nationality
    is the country, not a place of its own. A mention inside another actor's phrase ("a Ukrainian
    soldier" when the soldier is an actor) is left to that actor."""
    graph = analysis.graph
    at = graph.entities.index(ent)
    graph.entities.remove(ent)
    country = next((e for e in graph.entities if e.type == "Country" and e.country == code), None)
    if country is None:
        country = Entity(id=ent.id, name=lexicon().countries.name(code), type="Country", country=code, mentions=[])
        graph.entities.insert(at, country)
    for m in ent.mentions:
        m.kind = "demonym" if m.kind == "name" else m.kind
        country.mentions.append(m)
    country.mentions.sort(key=lambda m: m.start)


def _phrase(head: Token) -> tuple[int, int]:
    """The generic actor's words: the head with its adjective/noun modifiers ("riot police",
    "Darfur rebels") and a following "in/of/from X" ("police in Senegal")."""
    lefts = [c for c in head.lefts if c.dep_ in ("amod", "compound", "nmod", "nummod") and c.i >= head.i - 3]
    start = min([head.idx, *[c.left_edge.idx for c in lefts]])
    end = head.idx + len(head.text)
    for child in head.rights:
        if child.dep_ == "prep" and child.lower_ in ("in", "of", "from"):
            last = list(child.subtree)[-1]
            end = last.idx + len(last.text)
            break
    return start, end


def _scope(analysis: Analysis, ctx: ActorContext, head: Token, fallback: str | None) -> str | None:
    """The country a generic actor belongs to: one its phrase names, else the fallback."""
    for tok in head.subtree:
        eid = ctx.country_entity_for(ctx.tok_entity(tok))
        code = ctx.country_code(eid) if eid else None
        if code:
            return code
        if tok.dep_ in ("amod", "compound"):
            code = lexicon().countries.demonym(tok.text)
            if code:
                return code
    return fallback


def _generic_actors(analysis: Analysis, dateline_country: str | None) -> None:
    graph = analysis.graph
    analysis.index_mentions()
    ctx = ActorContext(analysis)
    top = ctx.top_countries(1)
    fallback = dateline_country or (ctx.country_code(top[0]) if top else None)
    names = {c.alpha_2: c.name for c in _pycountries()}
    by_key: dict[tuple[str, str | None], Entity] = {}
    role_nouns = _role_nouns()
    for tok in analysis.doc:
        if tok.pos_ not in ("NOUN", "PROPN") or tok.dep_ in ("amod", "nmod", "poss"):
            continue
        if tok.dep_ == "compound" and tok.head.lemma_.lower() not in role_nouns:
            continue  # but "police chief", "army spokesman": the body the role belongs to
        lemma = tok.lemma_.lower()
        if lemma in VAGUE_HEADS or analysis.mentions.of_token(tok):
            continue
        if any(
            getattr(ctx.by_id.get(analysis.mentions.of_token(c) or ""), "type", "Place") not in ("Place", "Country")
            for c in tok.lefts
            if c.dep_ in ("compound", "poss", "nmod") and analysis.mentions.of_token(c)
        ):
            continue  # "the Communist Party regime", "Hamas fighters": the named actor's own body
        if any(analysis.mentions.of_token(c) for c in tok.rights if c.dep_ == "appos"):
            continue  # "two drug mules, Renae Lawrence and Scott Rush": the apposition names them
        if tok.dep_ == "appos" and analysis.mentions.of_token(tok.head):
            continue  # "Jean Mbala, commander of the brigade": a role of the named actor
        if tok.tag_ not in ("NNS", "NNPS") and lemma in lexicon().person_titles:
            continue  # "the minister", "a president": one person (a title), not a body
        if _bare_definite(tok):
            continue  # "the ministry": a reference back (resolve_late_definites), not a new actor
        start, end = _phrase(tok)
        sector = agent_sector(analysis.doc.text[start : tok.idx + len(tok.text)], lemma)
        if sector not in GENERIC_SECTORS:
            continue
        etype, subtype = GENERIC_SECTORS[sector]
        if lemma in ("ministry", "department"):
            subtype = "ministry"  # "India's foreign ministry": "the ministry" refers back to it
        country = _scope(analysis, ctx, tok, fallback)
        if tok.dep_ == "compound" and _scope(analysis, ctx, tok, None) is None:
            continue  # "ministry spokesman P" with no country said: whose ministry is a guess
        words = [c.lemma_.lower() for c in tok.lefts if c.dep_ in ("amod", "compound") and c.i >= tok.i - 3]
        words = [w for w in words if not lexicon().countries.demonym(w) and not lexicon().countries.lookup(w)]
        key = (" ".join([*words, lemma]), country)
        text = analysis.doc.text[start:end]
        mention = Mention(start, end, text, graph.sentence_of(start), kind="nominal")
        # "the Red Hand militia", "Black Lantern fighters": capitalised modifiers that are no place
        # or nationality name the body: a named organisation, not a generic actor.
        proper = [c for c in tok.lefts if c.dep_ in ("compound", "amod", "nmod") and c.i >= tok.i - 3]
        named = sector in ("REB", "UAF", "MIL") and proper and all(c.is_title or c.is_upper for c in proper)
        if named and not any(lexicon().countries.demonym(c.text) or place_country(c.text) for c in proper):
            first = analysis.doc[min(c.left_edge.i for c in proper)]
            name_end = tok.idx + len(tok.text)
            label = analysis.doc.text[first.idx : name_end]
            key = ("named " + label.lower(), None)
            etype, subtype, country = "Organization", "military", None
            mention = Mention(first.idx, name_end, label, graph.sentence_of(start), kind="name")
        else:
            label = ""
        ent = by_key.get(key)
        if ent is None:
            if not label:
                label = key[0] if tok.tag_ != "NNS" else " ".join([*words, tok.lower_])
            name = f"{label} ({names[country]})" if country in names else label
            ent = Entity(id=_next_id(analysis), name=name, type=etype, subtype=subtype, country=country)
            by_key[key] = ent
            graph.entities.append(ent)
        ent.mentions.append(mention)


def _bare_definite(tok: Token) -> bool:
    """ "the ministry", "the group": "the" and only the words a definite description allows."""
    lex = lexicon()
    if tok.lower_ not in lex.definites:
        return False
    det = [c for c in tok.lefts if c.dep_ == "det"]
    mods = [c for c in tok.lefts if c.dep_ != "det"]
    return bool(det) and det[0].lower_ == "the" and all(c.lower_ in lex.definite_modifiers for c in mods)


def _role_nouns() -> frozenset[str]:
    from newsgraph.extract.relations import load_cues

    cues = load_cues()
    return frozenset(cues.membership_nouns) | cues.employment_nouns


def _pycountries() -> list:
    import pycountry

    return list(pycountry.countries)
