"""Who speaks: the source phrase of an attribution, resolved to an entity and a channel.

"the spokesperson for X" speaks for X; "the statement published by Y" is Y's; a relative pronoun
("officials, who said …") stands for the noun it modifies; "he"/"she" is the person the text is
about; "the spokesman" is the person named before as a spokesman; a channel noun or a platform in
the cue's prepositional phrase ("on the social network X") gives the channel.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from newsgraph.extract.actors.context import ActorContext
from newsgraph.extract.actors.lexicon import lexicon as actor_lexicon
from newsgraph.extract.attributions.cues import CueLexicon, cue_lexicon
from newsgraph.extract.pipeline import Analysis
from newsgraph.extract.quotes import QUOTE_MARKS
from newsgraph.extract.syntax import pobj, speaker_subject

if TYPE_CHECKING:
    from spacy.tokens import Token

# Dependency labels that end a source noun phrase on its right (relative clauses, appositions
# after a comma, participial modifiers: "the ministry, headed by X," is the ministry).
NP_STOP_DEPS = frozenset({"relcl", "acl", "advcl", "punct", "appos", "cc", "conj"})
RELATIVE_TAGS = frozenset({"WP", "WDT"})
SPEAKER_PRONOUNS = frozenset({"he", "she"})
PLURAL_PRONOUNS = frozenset({"they", "their", "them"})
# How many sentences back a definite description ("the spokesman") looks for the named holder.
DESCRIPTION_REACH = 8
# How many sentences back "the bank" looks for the organisation or group it names again.
NAMESAKE_REACH = 15


def np_bounds(head: Token) -> tuple[int, int]:
    """Token bounds [i, j) of a speaker noun phrase without its clauses and comma appositions."""
    left = head.left_edge.i
    right = head.i
    for child in head.rights:
        if child.dep_ in NP_STOP_DEPS:
            if child.dep_ == "appos" and child.i > 0 and child.doc[child.i - 1].dep_ != "punct":
                right = child.right_edge.i  # "the newspaper Ryazan Gazette": no comma, same phrase
                continue
            break
        right = child.right_edge.i
    doc = head.doc
    while left < right and doc[left].is_punct:
        left += 1
    while right > left and doc[right].is_punct and doc[right].text not in QUOTE_MARKS:
        right -= 1
    return left, right + 1


def phrase_bounds(head: Token) -> tuple[int, int]:
    """Token bounds of a whole source phrase as PolNeAR marks it: the head's subtree (appositions,
    relative clauses and parentheses included, a comma-separated participle — "Trump, speaking
    in Ohio," — left out), edge punctuation trimmed; an apposition keeps its closing comma
    ("Phil Smith, a spokesman for the union, said"), and so does any phrase with a comma inside
    ("Ann Lee, of Dayton, Ohio, said"; "Ed Rendell, who chaired the party, agreed")."""
    doc = head.doc
    left, right = head.left_edge.i, head.right_edge.i
    for child in head.rights:
        if child.dep_ == "acl" and child.tag_ in ("VBG", "VBN") and doc[child.left_edge.i - 1].text == ",":
            right = child.left_edge.i - 1
            break
    # "Even China, …, said": a focus adverb on a name is not part of it ("only 52 percent" keeps
    # its adverb: it is part of the number)
    while left < right and (
        (doc[left].is_punct and doc[left].text not in QUOTE_MARKS)
        or (doc[left].dep_ == "advmod" and doc[left].head.i == head.i and head.pos_ == "PROPN")
    ):
        left += 1
    while (
        right > left
        and doc[right].is_punct
        and not (doc[right].text in ")]" and any(doc[k].text in "([" for k in range(left, right)))
    ):
        right -= 1
    if right + 1 < len(doc) and doc[right + 1].text == "," and any(doc[k].text == "," for k in range(left, right)):
        right += 1
    return left, right + 1


def char_span(doc_tokens: Any, i: int, j: int) -> tuple[int, int]:
    """Character offsets of the tokens [i, j)."""
    return doc_tokens[i].idx, doc_tokens[j - 1].idx + len(doc_tokens[j - 1].text)


@dataclass
class Speaker:
    entity: str | None
    span: tuple[int, int] | None
    channel: str | None = None


def entity_of_phrase(analysis: Analysis, head: Token) -> str | None:
    """The entity of a noun phrase: its head's mention first, else the best-overlapping one."""
    eid = analysis.mentions.at(head.idx, head.idx + len(head.text))
    if eid is None:
        i, j = np_bounds(head)
        start, end = char_span(head.doc, i, j)
        eid = analysis.mentions.at(start, end)
    return eid


def _channel_noun_speaker(head: Token, lex: CueLexicon) -> Token | None:
    """Who issued a statement: "the statement published by Y", "Y's statement", "a statement from Y"."""
    if head.dep_ == "dobj" and head.head.lemma_.lower() in lex.light_verbs | lex.publish_verbs:
        issuer = speaker_subject(head.head)  # "the Council issued a statement …"
        if issuer is not None:
            return issuer
    for child in head.children:
        if child.dep_ == "poss":
            return child
        if child.dep_ == "prep" and child.lower_ in ("from", "by", "of"):
            obj = pobj(child)
            if obj is not None:
                return obj
        if child.dep_ == "acl" and child.lemma_.lower() in lex.publish_verbs:
            for grand in child.children:
                if grand.dep_ == "agent":
                    obj = pobj(grand)
                    if obj is not None:
                        return obj
    return None


def resolve_speaker(analysis: Analysis, head: Token) -> Speaker:
    """Resolve the head of a source phrase to an entity (and a channel when it names one)."""
    lex = cue_lexicon()
    doc = head.doc
    if head.tag_ in RELATIVE_TAGS and head.head.dep_ == "relcl":
        noun = head.head.head  # "officials, who said …": the officials
        return Speaker(entity_of_phrase(analysis, noun), char_span(doc, head.i, head.i + 1))
    if head.tag_ == "WP" and head.lower_ in ("who", "whom"):
        # "… satisfy Ana Ruiz at all, who wishes …" parsed as a clause of its own: "who" still
        # stands for the name before it
        antecedent = _relative_antecedent(head)
        eid = entity_of_phrase(analysis, antecedent) if antecedent is not None else None
        return Speaker(eid, char_span(doc, head.i, head.i + 1))
    lemma = head.lemma_.lower()
    span = char_span(doc, *phrase_bounds(head))
    if lemma in lex.channel_nouns:
        channel = lex.channel_nouns[lemma]
        speaker = _channel_noun_speaker(head, lex)
        if speaker is not None:
            return Speaker(entity_of_phrase(analysis, speaker), span, channel)
        eid = analysis.mentions.at(*char_span(doc, *np_bounds(head))) or _issuer_by_modifier(analysis, head)
        return Speaker(eid, span, channel)
    if lemma in lex.spokesperson_nouns:
        # "a spokesman for the ministry, Tom Reyes, said": the person named in apposition (the parser
        # may hang the name on the ministry)
        for tok in head.subtree:
            if tok.dep_ == "appos" and tok.pos_ == "PROPN" and doc[tok.left_edge.i - 1].text == ",":
                person = analysis.graph.entity(entity_of_phrase(analysis, tok))
                if person is not None and person.type == "Person":
                    return Speaker(person.id, span)
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ in ("for", "of"):
                obj = pobj(child)
                if obj is not None:
                    eid = entity_of_phrase(analysis, obj)
                    if eid is not None:
                        return Speaker(eid, span)
        if entity_of_phrase(analysis, head) is None:
            eid = _issuer_by_modifier(analysis, head)  # "a military spokesman": the military named before
            if eid is not None:
                return Speaker(eid, span)
    eid = entity_of_phrase(analysis, head)
    untitled = head.pos_ == "NOUN" and analysis.mentions.at(head.idx, head.idx + len(head.text)) is None
    if not _is_named(analysis, eid) or untitled:
        # "the opposition's leader, Daniel Mwangi, said": the apposition names the speaker, also when
        # a name inside the title gave the phrase an entity ("the channel's Latin America editor,
        # Ana Ruiz", "a fellow at the University of X, Ana Ruiz": the editor is not the region)
        named = next((c for c in head.children if c.dep_ == "appos" and c.pos_ == "PROPN"), None)
        if named is not None:
            eid = entity_of_phrase(analysis, named) or eid
        elif untitled:
            trailing = _trailing_name(analysis, head)
            if trailing is not None:
                eid, end = trailing
                span = (span[0], end)
    if eid is None and head.pos_ == "PROPN":
        eid = _same_spelling(analysis, head)  # "Orange has promised …": the Orange named elsewhere
    if head.lower_ in SPEAKER_PRONOUNS:
        # "he said": the person a run of "he" subjects goes back to, else the person the text is about
        eid = pronoun_chain(analysis, head) or eid or ActorContext(analysis).last_person_before(head)
    elif head.lower_ in PLURAL_PRONOUNS and eid is None:
        eid = last_group_before(analysis, head)  # "they called on …": the group spoken of just before
    elif (
        head.pos_ == "NOUN"
        and any(c.dep_ == "det" and c.lower_ == "the" for c in head.children)
        and _is_named(analysis, eid)
    ):
        eid = recent_subject(analysis, head) or eid  # "… leaders met. The group said …": the leaders
    elif (
        head.pos_ == "NOUN"
        and not _is_named(analysis, eid)
        and any(c.dep_ == "det" and c.lower_ == "the" for c in head.children)
    ):
        eid = named_holder(analysis, head) or eid  # "the spokesman added": the spokesman named before
        if eid is None:
            eid = earlier_namesake(analysis, head)  # "the bank rejected …": the central bank named before
        if eid is None:
            eid = recent_subject(analysis, head)  # "… leaders met. The group said …": the leaders
    return Speaker(eid, span)


def recent_subject(analysis: Analysis, head: Token) -> str | None:
    """ "Opposition leaders met on Saturday. The group said …": a collective description ("the group",
    "the organisation", "the ministry") picks up the body the text was just about — the latest
    compatible subject in this sentence or the one before — rather than any earlier name (the
    subject is what the reader follows). Compatible: the description's kind of organisation
    (`definites` of the actor rules), or any group of people for a generic one ("the group")."""
    spec = actor_lexicon().definites.get(head.lower_)
    if spec is None or spec.type != "Organization":
        return None
    doc = head.doc
    floor = head.sent.start
    if floor > 0:
        floor = doc[floor - 1].sent.start
    start = head.left_edge.i
    for tok in reversed(doc[floor:start]):
        if tok.dep_ not in ("nsubj", "nsubjpass") or tok.pos_ not in ("NOUN", "PROPN"):
            continue
        eid = entity_of_phrase(analysis, tok)
        entity = analysis.graph.entity(eid)
        if entity is None:
            continue
        if entity.type == "Organization" and entity.subtype not in spec.exclude:
            if not spec.subtypes or entity.subtype in spec.subtypes:
                return eid
        elif entity.type == "Group" and not spec.subtypes:
            return eid
    return None


def pronoun_chain(analysis: Analysis, pron: Token) -> str | None:
    """ "Ana Ruiz has lost patience. … He said. … He then wrote to the case of Omar Haddad. “…,” he
    continues": a run of sentences whose subject is the same pronoun keeps one referent, so "he"
    is the named person that opens the run, not a person named in passing inside it. Sentences
    whose subjects are all first or second person (the quotations) do not break the run."""
    doc = pron.doc
    sent_start = pron.sent.start
    for _ in range(DESCRIPTION_REACH):
        if sent_start == 0:
            return None
        sent = doc[sent_start - 1].sent
        sent_start = sent.start
        subjects = [t for t in sent if t.dep_ in ("nsubj", "nsubjpass")]
        for subj in reversed(subjects):
            entity = analysis.graph.entity(entity_of_phrase(analysis, subj)) if subj.pos_ == "PROPN" else None
            if entity is not None and entity.type == "Person":
                return entity.id
        if any(t.lower_ == pron.lower_ for t in subjects):
            continue
        if subjects and not all(t.lower_ in ("i", "we", "you") for t in subjects):
            return None
    return None


def _relative_antecedent(rel: Token) -> Token | None:
    """The noun a relative pronoun stands for when the parser did not hang its clause on it: the
    nearest noun or name before it in the sentence ("Ana Ruiz at all, who …" → Ruiz)."""
    for tok in reversed(rel.doc[rel.sent.start : rel.i]):
        if tok.pos_ in ("PROPN", "NOUN"):
            while tok.dep_ in ("compound", "flat") and tok.head.i > tok.i:
                tok = tok.head
            return tok
        if tok.pos_ in ("VERB", "AUX") or tok.dep_ in ("cc", "mark"):
            return None
    return None


def _trailing_name(analysis: Analysis, head: Token) -> tuple[str, int] | None:
    """ "According to a senior fellow at the University of X, Ana Ruiz, …" where the parser did not
    make the name an apposition: a person's name between commas right after a title phrase is the
    one the title describes. Returns the person's entity and the end offset of the name."""
    doc = head.doc
    j = head.right_edge.i + 1
    if j + 1 >= len(doc) or doc[j].text != ",":
        return None
    start = doc[j + 1].idx
    k = j + 1
    while k < len(doc) and doc[k].pos_ == "PROPN":
        k += 1
    if k == j + 1 or k >= len(doc) or doc[k].text != ",":
        return None
    end = doc[k - 1].idx + len(doc[k - 1].text)
    eid = analysis.mentions.at(start, end)
    entity = analysis.graph.entity(eid)
    if entity is None or entity.type != "Person" or eid is None:
        return None
    return eid, end


def _same_spelling(analysis: Analysis, head: Token) -> str | None:
    """A name the entity detector left without a mention here ("Orange has promised …") is the
    entity that has a mention spelled the same elsewhere in the article."""
    i, j = np_bounds(head)
    text = head.doc[i:j].text
    for word in ("the ", "The "):
        text = text.removeprefix(word)
    found = {e.id for e in analysis.graph.entities for m in e.mentions if m.text == text and m.kind == "name"}
    return found.pop() if len(found) == 1 else None


def _issuer_by_modifier(analysis: Analysis, head: Token) -> str | None:
    """ "a military statement", "a police spokesman": a channel or spokesperson noun whose
    modifier names the body it speaks for, when that body was named before ("United States
    military forces reported …" … "a military statement said …")."""
    for child in head.lefts:
        if child.dep_ in ("amod", "compound") and child.pos_ in ("ADJ", "NOUN"):
            eid = earlier_namesake(analysis, child, anchor=head, common_only=True)
            if eid is not None:
                return eid
    return None


def earlier_namesake(
    analysis: Analysis, head: Token, anchor: Token | None = None, common_only: bool = False
) -> str | None:
    """ "the bank", "the protesters", "the ministry" with no entity of its own: the latest
    organisation or group mentioned before, within a few sentences, whose mention has that noun as
    one of its words ("the central bank said …" … "the bank rejected …"). A definite noun picks up
    the referent the reader already has; the nearest one with the same head noun is it."""
    lemma, low = head.lemma_.lower(), head.lower_
    anchor = anchor or head
    floor_tok = anchor.sent.start
    doc = head.doc
    for _ in range(NAMESAKE_REACH):
        if floor_tok == 0:
            break
        floor_tok = doc[floor_tok - 1].sent.start
    floor, limit = doc[floor_tok].idx, min(head.idx, anchor.idx)
    best: tuple[int, str] | None = None
    for entity in analysis.graph.entities:
        if entity.type not in ("Organization", "Group"):
            continue
        for m in entity.mentions:
            if not (floor <= m.start < limit):
                continue
            # a modifier matches only a common word of the mention ("military" in "United States
            # military forces"), never part of a name ("new" in "New York Times")
            words = {w.lower().strip(".,'’") for w in m.text.split() if not common_only or w.islower()}
            if (lemma in words or low in words) and (best is None or m.start > best[0]):
                best = (m.start, entity.id)
    return best[1] if best else None


def last_group_before(analysis: Analysis, pron: Token) -> str | None:
    """ "they": the latest plural or collective subject with an entity in this or the two sentences
    before (news prose keeps the group it is about as subject), a person excluded."""
    doc = pron.doc
    floor = pron.sent.start
    for _ in range(2):
        if floor == 0:
            break
        floor = doc[floor - 1].sent.start
    for tok in reversed(doc[floor : pron.i]):
        if tok.dep_ not in ("nsubj", "nsubjpass") or tok.pos_ not in ("NOUN", "PROPN"):
            continue
        eid = entity_of_phrase(analysis, tok)
        entity = analysis.graph.entity(eid)
        if entity is not None and entity.type != "Person":
            return eid
    return None


def _is_named(analysis: Analysis, eid: str | None) -> bool:
    entity = analysis.graph.entity(eid)
    return entity is not None and any(m.kind == "name" for m in entity.mentions)


def named_holder(analysis: Analysis, head: Token) -> str | None:
    """ "The spokesman added …": the named person introduced before with that noun as apposition or
    title ("Karim Nasser, a spokesman for the ministry," / "ministry spokesman Karim Nasser"), the
    latest one within a few sentences. A definite description picks up a referent the reader
    already knows; in news copy that is the person named with the role."""
    doc = head.doc
    lemma = head.lemma_.lower()
    floor = head.sent.start
    for _ in range(DESCRIPTION_REACH):
        if floor == 0:
            break
        floor = doc[floor - 1].sent.start
    for tok in reversed(doc[floor : head.sent.start]):
        if tok.lemma_.lower() != lemma:
            continue
        named: Token | None = None
        if tok.dep_ in ("appos", "compound", "nmod") and tok.head.pos_ == "PROPN":
            named = tok.head  # "Karim Nasser, a spokesman" / "spokesman Karim Nasser"
        else:
            named = next((c for c in tok.children if c.dep_ == "appos" and c.pos_ == "PROPN"), None)
        if named is None:
            continue
        eid = entity_of_phrase(analysis, named)
        entity = analysis.graph.entity(eid)
        if entity is not None and entity.type == "Person":
            return eid
    return None


def channel_of_cue(cue: Token, lex: CueLexicon) -> str | None:
    """A platform or channel noun in a prepositional phrase of the cue ("on X", "in an interview")."""
    found: str | None = None
    for child in cue.children:
        if child.dep_ != "prep" or child.lower_ not in lex.channel_preps:
            continue
        for tok in child.subtree:
            low = tok.lower_
            if low in lex.platforms and (low != "x" or tok.text == "X"):
                return lex.platforms[low]
            if found is None and tok.lemma_.lower() in lex.channel_nouns and tok.pos_ == "NOUN":
                found = lex.channel_nouns[tok.lemma_.lower()]
    return found
