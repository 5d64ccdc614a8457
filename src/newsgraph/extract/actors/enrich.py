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

from functools import lru_cache
from typing import TYPE_CHECKING, cast

from newsgraph.extract.actors.context import ActorContext, alpha2
from newsgraph.extract.actors.coref import resolve_late_definites, resolve_pronouns
from newsgraph.extract.actors.knowledge import KnownActor, agent_sector, known_actor, place_country
from newsgraph.extract.actors.lexicon import lexicon
from newsgraph.extract.dateline import find_dateline
from newsgraph.extract.pipeline import Analysis, component
from newsgraph.model import ArticleGraph, Entity, EntityType, Mention, Relation, as_relation_type

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
    # taken from plural heads only: a singular "doctor" is one person, "the school" a building
    "PPL": ("Group", "people"),
    "MED": ("Group", "media"),
    "HLH": ("Group", "health"),
    "EDU": ("Group", "education"),
    "LAB": ("Group", "workers"),
    "PTY": ("Group", "party"),
    "BUS": ("Group", "business"),
    "REL": ("Group", "religious"),
    "MUS": ("Group", "religious"),
    "CHR": ("Group", "religious"),
    "JEW": ("Group", "religious"),
    "HIN": ("Group", "religious"),
    "BUD": ("Group", "religious"),
    "RAD": ("Group", "radicals"),
    "AGR": ("Group", "farmers"),
    "ELI": ("Group", "elite"),
    "NGO": ("Organization", "ngo"),
    "HRI": ("Organization", "ngo"),
}
# Sectors whose singular heads are bodies too ("the army", "police"); the others need a plural.
BODY_SECTORS = frozenset({"COP", "MIL", "JUD", "GOV", "SPY", "LEG", "REB", "UAF", "OPP", "CRM", "NGO", "HRI"})
# Bodies of a state: when the phrase names no country, the dateline's ("KABUL - Police said" quotes
# Afghan police). Nothing else takes a country the phrase does not state: not the article's most
# mentioned one ("militants" in a story about Israel are not Israeli).
STATE_SECTORS = frozenset({"COP", "JUD", "GOV", "LEG", "SPY"})
# Heads never an actor of their own ("the government" and "the authorities" are resolved as
# references to a government).
NEVER_HEADS = frozenset({"government", "state", "public", "authority"})
# Heads too vague to be an actor unless counted, described or modified ("three people", "Haitian
# officials", "people in Gaza"): a bare "people said" / "officials said" is no actor.
PEOPLE_HEADS = frozenset({"people", "person", "man", "woman", "official"})
PLURAL_TAGS = frozenset({"NNS", "NNPS"})
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
    _unnamed_titles(analysis)
    _titled_aliases(analysis)
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
    if d is None or analysis.text != analysis.article.text:
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
    """A one-word name used as a modifier ("Chandigarh police", "Goma residents", "the Tula region")."""
    places = lexicon().place_nouns
    return any(
        r.head.pos_ == "NOUN" and (r.head.tag_ == "NNS" or r.head.lemma_ == "police" or r.head.lemma_ in places)
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
        # a nationality tagged as a place or (one word) an organisation: "Nepali", "Guatemalan"
        demonym_type = ent.type in ("Place", "Group") or (ent.type == "Organization" and " " not in ent.name)
        code = countries.demonym(ent.name) if demonym_type else None
        if code and (ent.type != "Group" or not countries.plural(ent.name)):
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


def _quantity(head: Token) -> Token | None:
    """ "hundreds of (thousands of) people": the outermost word of quantity the head is counted by."""
    quantities = lexicon().quantity_nouns
    top = None
    tok = head
    while tok.dep_ == "pobj" and tok.head.lower_ == "of":
        gov = tok.head.head
        if gov.i == tok.i or not (gov.lower_ in quantities or gov.like_num or gov.pos_ == "NUM"):
            break
        if gov.lower_ == "one" or any(c.dep_ == "appos" for c in gov.rights):
            return None  # "one of the men, Ravi Sharma,": one person, named
        top = tok = gov
    return top


def _phrase(head: Token) -> tuple[int, int]:
    """The generic actor's words: the head with its adjective/noun modifiers ("riot police",
    "Darfur rebels"), a quantity it is counted by ("hundreds of people") and a following
    "in/of/from X" ("police in Senegal", "leaders of the coalition")."""
    lefts = [c for c in head.lefts if c.dep_ in ("amod", "compound", "nmod", "nummod") and c.i >= head.i - 3]
    start = min([head.idx, *[c.left_edge.idx for c in lefts]])
    quantity = _quantity(head)
    if quantity is not None:
        first = next((c for c in quantity.lefts if c.dep_ != "det"), quantity)
        start = min(start, first.idx if first.i < quantity.i else quantity.idx)
    end = head.idx + len(head.text)
    for child in head.rights:
        if child.dep_ == "prep" and child.lower_ in ("in", "of", "from"):
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                last = _np_last(pobj)
                end = last.idx + len(last.text)
            break
    return start, end


def _np_last(tok: Token) -> Token:
    """The last word of a noun phrase without what follows its head: no relative clause, no
    further prepositional phrase, apposition or coordination ("a party, which…", "X and Y")."""
    last = tok
    for child in tok.rights:
        if child.dep_ in ("prep", "relcl", "acl", "appos", "conj", "cc", "punct", "advcl", "prt"):
            break
        last = _np_last(child)
    return last


def _phrase_tokens(head: Token) -> list[Token]:
    """The tokens that can say whose a generic actor is: its modifiers, possessor and "in/of/from"
    phrase, not a coordinated actor ("Kurdish fighters and Syrian troops") or a relative clause."""
    toks = [head]
    for child in head.children:
        if child.dep_ in ("amod", "compound", "nmod", "nummod", "poss") or (
            child.dep_ == "prep" and child.lower_ in ("in", "of", "from", "at")
        ):
            toks.extend(child.subtree)
    return toks


def _scope(analysis: Analysis, ctx: ActorContext, head: Token, fallback: str | None) -> str | None:
    """The country a generic actor belongs to: one its phrase names (a country, a nationality, a
    known place's country: "police in Kabul", "Afghan police", "the city's police"), else the
    fallback."""
    for tok in _phrase_tokens(head):
        eid = ctx.country_entity_for(ctx.tok_entity(tok))
        ent = ctx.by_id.get(eid or "")
        if ent is not None and ent.type == "Place":
            code = ent.country or place_country(ent.name)
        else:
            code = ctx.country_code(eid) if eid else None
        if code:
            return code
        if tok.dep_ in ("amod", "compound"):
            code = lexicon().countries.demonym(tok.text)
            if code:
                return code
    return fallback


def _counted_or_described(tok: Token) -> bool:
    """ "three people", "hundreds of people", "Haitian officials", "people in Gaza", "officials of
    the ministry": a vague head made one actor by what the phrase says of it."""
    if _quantity(tok) is not None:
        return True
    if any(c.dep_ in ("nummod", "amod", "compound", "nmod") for c in tok.lefts):
        return True
    return any(c.dep_ == "prep" and c.lower_ in ("in", "of", "from") for c in tok.rights)


def _described_body(analysis: Analysis, ctx: ActorContext, head: Token) -> Token | None:
    """ "leaders of the coalition", "activists from the Labour Party", "doctors from two aid
    groups": the object of "of/from" when it is a body (not a place, not a quantity), else None."""
    if any(t.dep_ in ("punct", "cc", "conj") for t in head.lefts):
        return None  # a coordination the parser folded in ("Lula and others members of"): no one description
    for child in head.rights:
        if child.dep_ != "prep" or child.lower_ not in ("of", "from"):
            continue
        pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
        if pobj is None or pobj.pos_ not in ("NOUN", "PROPN") or pobj.lower_ in lexicon().quantity_nouns:
            return None
        ent = ctx.by_id.get(ctx.tok_entity(pobj) or "")
        if ent is not None and ent.type in ("Place", "Country"):
            return None
        if ent is None and (place_country(pobj.text) or lexicon().countries.lookup(pobj.text)):
            return None
        return pobj
    return None


def _generic_actors(analysis: Analysis, dateline_country: str | None) -> None:
    graph = analysis.graph
    analysis.index_mentions()
    ctx = ActorContext(analysis)
    names = _country_names()
    by_key: dict[tuple[str, str | None], Entity] = {}
    role_nouns = _role_nouns()
    lex = lexicon()
    described: list[tuple[Entity, Token, Token]] = []
    doc_text = analysis.text
    for tok in analysis.doc:
        if tok.pos_ not in ("NOUN", "PROPN") or tok.dep_ in ("amod", "nmod", "poss"):
            continue
        if tok.dep_ == "compound" and tok.head.lemma_.lower() not in role_nouns:
            continue  # but "police chief", "army spokesman": the body the role belongs to
        lemma = tok.lemma_.lower()
        plural = tok.tag_ in PLURAL_TAGS or tok.lower_ in lex.generic_people
        if lemma in NEVER_HEADS or analysis.mentions.of_token(tok):
            continue
        if lemma in PEOPLE_HEADS and not (plural and _counted_or_described(tok)):
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
        if tok.tag_ not in PLURAL_TAGS and (
            lemma in lex.person_titles or (lemma in role_nouns and not lex.person_noun(lemma, lemma + "s"))
        ):
            continue  # "the minister", "a president", "the police chief": one person (a title), not a body
        if _bare_definite(tok):
            continue  # "the ministry": a reference back (resolve_late_definites), not a new actor
        start, end = _phrase(tok)
        sector = agent_sector(doc_text[start : tok.idx + len(tok.text)], lemma)
        if sector in BODY_SECTORS and not plural and lex.person_noun(lemma, tok.lower_ + "s"):
            # "the bomber", "a prosecutor": one unnamed person, not a body; "his lawyer" is a relation
            if any(c.dep_ == "poss" for c in tok.lefts):
                continue
            etype, subtype = cast("EntityType", "Person"), None
        elif sector in BODY_SECTORS or (sector in GENERIC_SECTORS and plural and lex.person_noun(lemma, tok.lower_)):
            etype, subtype = GENERIC_SECTORS[sector]
        elif plural and tok.lower_ in lex.generic_people:
            etype, subtype = "Group", lex.generic_people[tok.lower_]
            if subtype == "members" and not _counted_or_described(tok):
                continue  # "members said": whose members the text does not say here
        else:
            continue
        if lemma in ("ministry", "department"):
            subtype = "ministry"  # "India's foreign ministry": "the ministry" refers back to it
        country = _scope(analysis, ctx, tok, dateline_country if sector in STATE_SECTORS else None)
        if tok.dep_ == "compound" and _scope(analysis, ctx, tok, None) is None:
            continue  # "ministry spokesman P" with no country said: whose ministry is a guess
        words = [c.lemma_.lower() for c in tok.lefts if c.dep_ in ("amod", "compound") and c.i >= tok.i - 3]
        words = [w for w in words if not lex.countries.demonym(w) and not lex.countries.lookup(w)]
        key = (" ".join([*words, lemma]) + (" (one)" if etype == "Person" else ""), country)
        counted = [c.text for c in tok.lefts if c.dep_ == "nummod"]
        quantity = _quantity(tok)
        if etype == "Group" and (counted or quantity is not None):
            # "three people" and "five people" are not the same people
            amount = doc_text[start : quantity.idx + len(quantity.text)] if quantity else " ".join(counted)
            key = (f"{amount.lower()} {key[0]}", country)
        text = doc_text[start:end]
        mention = Mention(start, end, text, graph.sentence_of(start), kind="nominal")
        # "the Red Hand militia", "Black Lantern fighters": capitalised modifiers that are no place
        # or nationality name the body: a named organisation, not a generic actor.
        proper = [c for c in tok.lefts if c.dep_ in ("compound", "amod", "nmod") and c.i >= tok.i - 3]
        named = (
            sector in ("REB", "UAF", "MIL")
            and proper
            and all((c.is_title and not (c.is_sent_start and c.pos_ != "PROPN")) or c.is_upper for c in proper)
        )  # a capital a sentence gives ("Masked gunmen") names nothing
        body = None if named else _described_body(analysis, ctx, tok)
        if body is not None and ctx.tok_entity(body) and (lemma in role_nouns or lemma in lex.member_words):
            continue  # "members of Hamas", "activists from the Labour Party": the named body acts
        if named and not any(lex.countries.demonym(c.text) or place_country(c.text) for c in proper):
            first = analysis.doc[min(c.left_edge.i for c in proper)]
            name_end = tok.idx + len(tok.text)
            label = doc_text[first.idx : name_end]
            key = ("named " + label.lower(), None)
            etype, subtype, country = "Organization", "military", None
            mention = Mention(first.idx, name_end, label, graph.sentence_of(start), kind="name")
        elif body is not None and "," in text:
            continue  # a list the parser folded into one phrase ("delegates from the, delegates from …")
        elif body is not None:
            # "leaders of the coalition": an actor of its own, named by the whole description
            label = text
            key = ("described " + label.lower(), country)
        else:
            label = ""
        ent = by_key.get(key)
        if ent is None and not label and any(c.lower_ == "the" for c in tok.lefts):
            # "a suicide bomber … the bomber": a definite generic refers back to the one of its head
            tail = [lemma, "(one)"] if etype == "Person" else [lemma]
            earlier = [e for (w, c), e in by_key.items() if c == country and w.split()[-len(tail) :] == tail]
            ent = earlier[0] if len(earlier) == 1 else None
        if ent is None:
            if not label:
                label = key[0].removesuffix(" (one)") if tok.tag_ != "NNS" else " ".join([*words, tok.lower_])
                if etype == "Group" and (counted or quantity is not None):
                    label = doc_text[start : tok.idx + len(tok.text)]  # "hundreds of people"
                    label = label[:1].lower() + label[1:] if analysis.doc[tok.i].pos_ != "PROPN" else label
            said = any(lex.countries.demonym(w) or lex.countries.lookup(w) for w in label.split())
            name = f"{label} ({names[country]})" if country in names and body is None and not said else label
            ent = Entity(id=_next_id(analysis), name=name, type=etype, subtype=subtype, country=country)
            by_key[key] = ent
            graph.entities.append(ent)
        ent.mentions.append(mention)
        if body is not None:
            described.append((ent, tok, body))
    _join_unscoped(graph, by_key)
    if described:
        analysis.index_mentions()
        _description_relations(analysis, described)


def _join_unscoped(graph: ArticleGraph, by_key: dict[tuple[str, str | None], Entity]) -> None:
    """ "Police in Lima arrested him. The police said…": a bare generic actor is the one scoped
    actor of the same words in the article, when there is exactly one."""
    for (words, country), ent in list(by_key.items()):
        if country is not None or words.startswith(("named ", "described ")):
            continue
        scoped = [e for (w, c), e in by_key.items() if w == words and c is not None]
        if len(scoped) != 1 or ent not in graph.entities:
            continue
        into = scoped[0]
        into.mentions = sorted([*into.mentions, *ent.mentions], key=lambda m: m.start)
        graph.entities.remove(ent)


def _description_relations(analysis: Analysis, described: list[tuple[Entity, Token, Token]]) -> None:
    """ "leaders of the coalition" leader_of the coalition, "activists from the party" member_of
    it: the relation the described group's noun gives (``description_relations``) to the body."""
    graph = analysis.graph
    by_id = {e.id: e for e in graph.entities}
    relation_of = lexicon().description_relations
    seen = {(r.type, r.source, r.target) for r in graph.relations}
    for ent, head, body in described:
        target = by_id.get(analysis.mentions.at(body.idx, body.idx + len(body.text)) or "")
        if target is None or target.id == ent.id:  # only the description's own phrase covers it
            target = _unnamed_body(analysis, body)
            if target is not None:
                by_id[target.id] = target
        rel = relation_of.get(head.lower_)
        if rel is None or target is None or target.id == ent.id or target.type != "Organization":
            continue  # "victims of traffickers", "members of both families": no membership stated
        rtype = as_relation_type(rel)
        if (rtype, ent.id, target.id) in seen:
            continue
        seen.add((rtype, ent.id, target.id))
        start = min(head.idx, body.idx)
        end = body.idx + len(body.text)
        graph.relations.append(
            Relation(
                id=f"R{len(graph.relations) + 1}",
                type=rtype,
                source=ent.id,
                target=target.id,
                sentence=graph.sentence_of(start) or 0,
                start=start,
                end=end,
            )
        )


def _unnamed_body(analysis: Analysis, body: Token) -> Entity | None:
    """ "the opposition coalition", "a farmers' union": an unnamed organisation (its head an
    organisation keyword) that a described group belongs to becomes an actor of its own."""
    subtype = lexicon().org_subtype(body.text)
    if subtype is None or body.tag_ in PLURAL_TAGS:
        return None
    words = [t for t in body.subtree if (t.i <= body.i and t.dep_ != "det") or t.i == body.i]
    first = min(words, key=lambda t: t.i)
    start, end = first.idx, body.idx + len(body.text)
    text = analysis.text[start:end]
    graph = analysis.graph
    ent = Entity(
        id=_next_id(analysis),
        name=text,
        type="Organization",
        subtype=subtype,
        mentions=[Mention(start, end, text, graph.sentence_of(start), kind="nominal")],
    )
    graph.entities.append(ent)
    analysis.index_mentions()
    return ent


def _unnamed_titles(analysis: Analysis) -> None:
    """ "Montenegro's prime minister", "the US President", "Cairo's security chief": a title whose
    country, place or organisation the phrase names, and no name follows, is a person of its own
    (named by the phrase, with that country), or the holder of that role the article already named."""
    doc, graph, lex = analysis.doc, analysis.graph, lexicon()
    doc_text = analysis.text
    analysis.index_mentions()
    ctx = ActorContext(analysis)
    heads = _role_nouns() | frozenset(t for t in lex.person_titles if " " not in t)
    made: dict[str, Entity] = {}
    for tok in doc:
        if tok.pos_ not in ("NOUN", "PROPN") or tok.tag_ in PLURAL_TAGS or tok.lower_ not in heads:
            continue
        if tok.lower_ in lex.honorifics or analysis.mentions.of_token(tok) or tok.dep_ == "compound":
            continue
        after = [t for t in doc[tok.i + 1 : tok.i + 3] if t.text != ","][:1]
        if (
            any(c.dep_ == "appos" for c in tok.rights)
            or (tok.dep_ == "appos" and analysis.mentions.of_token(tok.head))
            or any(t.pos_ == "PROPN" or t.lower_ == "of" for t in after)
        ):
            continue  # "Nepal's foreign minister, Ram Thapa", "P, the Guardian's correspondent": named
        lefts = [c for c in tok.lefts if c.dep_ in ("poss", "compound", "amod", "nmod")]
        owner: Entity | None = None
        code = None
        for c in lefts:
            for t in c.subtree:
                ent = ctx.by_id.get(ctx.tok_entity(t) or "")
                if ent is not None and ent.type in ("Country", "Place", "Organization"):
                    owner = ent
                    code = ent.country or ctx.country_code(ent.id) or place_country(ent.name)
                    break
                code = code or lex.countries.demonym(t.text)
            if owner is not None:
                break
        if owner is None and code is None:
            continue
        start = min(c.left_edge.idx for c in lefts)
        end = tok.idx + len(tok.text)
        name = doc_text[start:end]
        title_words = [c for c in lefts if c.dep_ == "compound" and not ctx.tok_entity(c)]
        title = " ".join(t.text for t in doc[tok.i - len(title_words) : tok.i + 1])
        key = f"{title.lower()}|{code}|{owner.id if owner is not None and owner.type == 'Organization' else ''}"
        holder = made.get(key) or _holder(graph.entities, title, tok.lower_, code)
        mention = Mention(start, end, name, graph.sentence_of(start), kind="title")
        if holder is None:
            holder = Entity(id=_next_id(analysis), name=name, type="Person", country=code, roles=[name])
            graph.entities.append(holder)
            if owner is not None and owner.type == "Organization":
                rtype = "works_for" if tok.lemma_.lower() in lex.employment_words else "member_of"
                _relate(analysis, rtype, holder, owner, start, end)
        made[key] = holder
        holder.mentions.append(mention)
        holder.mentions.sort(key=lambda m: m.start)


def _holder(entities: list[Entity], title: str, head: str, code: str | None) -> Entity | None:
    """The article's named holder of a title: a person of that country whose role is the title
    ("Prime Minister of Estonia" for "Estonia's prime minister"), else the one person of that
    country whose role has the title's head word ("Secretary of Defense" for "the US Defense
    Secretary"), never a former holder."""
    if code is None:
        return None
    country = lexicon().countries.name(code).lower()
    people = [
        e for e in entities if e.type == "Person" and (e.country == code or any(country in r.lower() for r in e.roles))
    ]
    for e in people:
        if any(r.lower().split(" of ")[0] == title.lower() for r in e.roles):
            return e
    heads = [
        e for e in people if any(head in r.lower().split() and not r.lower().startswith("former") for r in e.roles)
    ]
    return heads[0] if len(heads) == 1 else None


def _relate(analysis: Analysis, rtype: str, source: Entity, target: Entity, start: int, end: int) -> None:
    graph = analysis.graph
    graph.relations.append(
        Relation(
            id=f"R{len(graph.relations) + 1}",
            type=as_relation_type(rtype),
            source=source.id,
            target=target.id,
            sentence=graph.sentence_of(start) or 0,
            start=start,
            end=end,
        )
    )


def _titled_aliases(analysis: Analysis) -> None:
    """How the text introduces a person is another name of theirs: "U.S. negotiator Paul Nitze",
    "Paul Nitze, the chief U.S. negotiator," ("the chief U.S. negotiator" is an alias, and the role
    when none is known). A role noun must head the words before the name or the apposition."""
    doc = analysis.doc
    text = analysis.text
    lex = lexicon()
    titles = _role_nouns() | frozenset(lex.person_titles)

    class _Roles:  # a role noun: a title, a word of employment or membership, or any noun of people
        def __contains__(self, lemma: object) -> bool:
            return isinstance(lemma, str) and (lemma in titles or lex.person_noun(lemma, lemma + "s"))

    roles = _Roles()
    for ent in analysis.graph.entities:
        if ent.type != "Person":
            continue
        for m in ent.mentions:
            if m.kind != "name":
                continue
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            k = span.start
            while k > 0 and doc[k - 1].dep_ in ("compound", "amod", "nmod") and k <= doc[k - 1].head.i < span.end:
                k -= 1
            if k < span.start and doc[span.start - 1].lemma_.lower() in roles and doc[k].lower_ not in lex.honorifics:
                role_end = doc[span.start - 1].idx + len(doc[span.start - 1])
                _add_alias(ent, text[doc[k].idx : m.end], text[doc[k].idx : role_end])
            head = span.root.head
            if span.start > 1 and doc[span.start - 1].text == "," and head.lemma_.lower() not in roles:
                # the parser hung the apposition elsewhere: a role phrase ending right before the comma
                head = next(
                    (
                        t
                        for t in doc[max(0, span.start - 10) : span.start - 1]
                        if t.pos_ == "NOUN"
                        and t.lemma_.lower() in roles
                        and (t.i == span.start - 2 or t in doc[span.start - 2].ancestors)
                    ),
                    head,
                )
            if head.lemma_.lower() in roles and head.pos_ == "NOUN" and head.i < span.start - 1:
                # "the deputy governor of the region, Ivan Petrov,": the role phrase before the name
                toks = [t for t in head.subtree if t.i < span.start and t.dep_ != "punct"]
                words = [t for t in toks if not (t.i == toks[0].i and t.dep_ == "det")]
                if words:
                    phrase = text[words[0].idx : words[-1].idx + len(words[-1])]
                    _add_alias(ent, phrase, phrase)
            for appos in (c for c in span.root.rights if c.dep_ == "appos"):
                if appos.lemma_.lower() not in roles or appos.pos_ != "NOUN":
                    continue
                toks = [
                    t
                    for t in appos.subtree
                    if not any(a.dep_ in ("relcl", "acl") for a in [t, *t.ancestors] if a.i > appos.i)
                ]
                words = [t for t in toks if not (t.i == toks[0].i and t.dep_ == "det")]
                if words:
                    phrase = text[words[0].idx : words[-1].idx + len(words[-1])]
                    _add_alias(ent, phrase, phrase)


def _add_alias(ent: Entity, alias: str, role: str) -> None:
    alias = alias.strip(" ,")
    if alias.split(" ", 1)[0].lower() in ("his", "her", "their", "its", "our", "my", "your"):
        return  # "His lawyer, Sarah Nolan": whose lawyer is another actor's relation, not her name
    if alias and alias != ent.name and alias not in ent.aliases:
        ent.aliases.append(alias)
    if role and not ent.roles:
        ent.roles.append(role.strip(" ,"))


def _bare_definite(tok: Token) -> bool:
    """ "the ministry", "the group": "the" and only the words a definite description allows."""
    lex = lexicon()
    if tok.lower_ not in lex.definites:
        return False
    det = [c for c in tok.lefts if c.dep_ == "det"]
    mods = [c for c in tok.lefts if c.dep_ != "det"]
    return bool(det) and det[0].lower_ == "the" and all(c.lower_ in lex.definite_modifiers for c in mods)


@lru_cache(maxsize=1)
def _role_nouns() -> frozenset[str]:
    from newsgraph.extract.relations import load_cues

    cues = load_cues()
    return frozenset(cues.membership_nouns) | cues.employment_nouns


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    """ISO alpha-2 -> pycountry's name, built once."""
    import pycountry

    return {c.alpha_2: c.name for c in pycountry.countries}
