"""Shared syntactic helpers over spaCy's dependency parse (ClearNLP labels): subjects, objects,
prepositional objects, passives, relative-clause antecedents, sentences.

Every component that reads the parse uses these, so "the subject of a verb" means one thing.
Hand-written: spaCy offers the parse but no argument helpers for these constructions.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from newsgraph.model import Sentence

SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
PASSIVE_SUBJECT_DEPS = frozenset({"nsubjpass", "csubjpass"})
REL_PRONOUNS = frozenset({"that", "which", "who", "whom", "whose"})
# "accused X of backing", "blamed X for", "banned X from running", "charged X with": X does the gerund
GERUND_PREPS = frozenset({"of", "for", "from", "with"})
# Dependencies of a non-finite clause whose missing subject is its governor's ("escaped being
# captured", "fled after being attacked", "asked to be released").
NONFINITE_DEPS = frozenset({"xcomp", "advcl", "pcomp"})
# Prepositions whose gerund the governing verb's own doer does ("spent money on backing Y",
# "responded by shelling Y", "succeeded in recruiting Y", "left without paying").
SUBJECT_GERUND_PREPS = frozenset({"on", "in", "by", "without", "before", "after", "upon", "despite"})
# Stative ("adjectival") passives: "Israel is opposed to X", "forces were engaged in Y", "is committed
# to Z" describe the subject's own stance or activity; with no "by" agent the subject is the doer.
STATIVE_PASSIVES = frozenset({"oppose", "engage", "involve", "commit", "determine", "dedicate", "devote"})


def end_of(tok: Token) -> int:
    """The character offset just after a token."""
    return tok.idx + len(tok.text)


def children(tok: Token, *deps: str) -> list[Token]:
    """The token's children with one of the dependency labels."""
    return [c for c in tok.children if c.dep_ in deps]


def pobj(prep: Token) -> Token | None:
    """The object of a preposition."""
    return next((c for c in prep.children if c.dep_ == "pobj"), None)


def prep_objects(prep: Token) -> list[Token]:
    """The objects of a preposition; when the parser left it without one because the noun went on
    to be the subject of a following clause ("granted asylum to [five officers] holed up in X"),
    that subject."""
    objs = [c for c in prep.children if c.dep_ == "pobj"]
    if objs or prep.pos_ != "ADP" or any(c.dep_ == "pcomp" for c in prep.children):
        return objs
    for tok in prep.doc[prep.i + 1 : min(prep.i + 8, prep.sent.end)]:
        if tok.dep_ in ("nsubj", "nsubjpass") and tok.head.i > tok.i and tok.pos_ in ("NOUN", "PROPN"):
            return [tok]
        if tok.pos_ in ("VERB", "AUX") or tok.is_punct:
            break
    return []


def pobjs(tok: Token, preps: Collection[str]) -> list[Token]:
    """Objects of the token's prepositions (and datives, agents) named in ``preps``: "linked *to* X"."""
    out: list[Token] = []
    for child in tok.children:
        if child.dep_ in ("prep", "dative", "agent") and child.lower_ in preps:
            out += [c for c in child.children if c.dep_ == "pobj"]
    return out


def is_passive(tok: Token) -> bool:
    """A passive verb, or a past participle modifying a noun ("the network *funded* by X")."""
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children):
        return True
    return tok.tag_ == "VBN" and tok.dep_ == "acl" and not misparsed_main_verb(tok)


def misparsed_main_verb(tok: Token) -> bool:
    """ "Doctors from two aid groups donated and delivered goods to X": the parser, reading the
    past tense "donated" as a participle, left the sentence without a verb (its root is a noun).
    A participle modifying a noun inside a verbless root's phrase, coordinated with a finite verb,
    is the main verb; the root noun is its subject."""
    if tok.tag_ != "VBN" or tok.dep_ != "acl" or tok.sent.root.pos_ not in ("NOUN", "PROPN"):
        return False
    return any(c.dep_ == "conj" and c.tag_ in ("VBD", "VBZ", "VBP") for c in tok.children)


def is_stative_passive(tok: Token) -> bool:
    """ "X is opposed to Y", "X was engaged in Z": a passive form whose subject is the doer (no agent)."""
    deps = {c.dep_ for c in tok.children}
    return (
        tok.lemma_.lower() in STATIVE_PASSIVES
        and tok.tag_ == "VBN"
        and "agent" not in deps
        and bool(stative_subject(tok))
    )


def stative_subject(tok: Token) -> list[Token]:
    """The subject of a stative passive; the parser sometimes hangs it on the auxiliary ("Chile
    [is] opposed": Chile ← is)."""
    for holder in [tok, *children(tok, "auxpass")]:
        subj = children(holder, "nsubjpass", "nsubj")
        if subj and (holder is not tok or subj[0].i < holder.i):
            return subj[:1]
    return []


def displaced_agent(verb: Token) -> list[Token]:
    """The "by X" of a passive that the parser attached elsewhere: on the verb's object ("was
    refused entry by Jordan") or, after the verb, on an active governing verb ("X has been accused
    of misusing funds, much of it believed embezzled, by officials")."""
    for obj in children(verb, "dobj"):
        for prep in children(obj, "prep"):
            if prep.lower_ == "by":
                return children(prep, "pobj")
    gov, steps = verb, 0
    while gov.dep_ in ("ccomp", "conj", "xcomp") and gov.head.i != gov.i and steps < 2:
        gov, steps = gov.head, steps + 1
        if is_passive(gov):
            return []
        for prep in children(gov, "prep"):
            if prep.lower_ == "by" and prep.i > verb.i:
                return children(prep, "pobj")
    return []


def antecedent(rel_verb: Token) -> Token:
    """The noun a relative clause modifies. High attachment across a participial modifier:
    in "a network linked to the government that recruits", the clause belongs to "network"."""
    head = rel_verb.head
    if head.dep_ == "pobj" and head.head.dep_ == "prep":
        participle = head.head.head
        if participle.dep_ == "acl" and participle.tag_ == "VBN" and participle.head.pos_ in ("NOUN", "PROPN"):
            return participle.head
    return head


def reduced_passive_patient(participle: Token) -> Token | None:
    """What a subjectless past-participle clause describes. After a comma it is the noun just
    before the comma, whatever the parser hung the clause on ("a shaky start for the truce,
    already threatened after …" -> truce); at the front of its sentence it is the main clause's
    subject ("Threatened with arrest, the leaders fled" -> leaders). None when neither is found."""
    doc = participle.doc
    before = participle.left_edge.i - 1
    if before > 0 and doc[before].text == ",":
        noun = doc[before - 1]
        return noun if noun.pos_ in ("NOUN", "PROPN", "PRON") else None
    if participle.left_edge.i == participle.sent.start:
        return next((c for c in participle.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return None


def conjuncts(tok: Token) -> list[Token]:
    """The token and the conjuncts after it ("A and B" from A)."""
    return [tok, *[c for c in tok.conjuncts if c.i > tok.i]]


def doer(verb: Token, controls_object: Callable[[Token], bool] = lambda _v: False, depth: int = 0) -> list[Token]:
    """The tokens that denote the doer of ``verb``: its subject, the agent of a passive, the
    antecedent of a relative pronoun, or the doer of the verb governing a conjunct, a controlled
    infinitive or a participle ("recruit Cubans to fight": Cubans fight, when ``controls_object``
    says the governing verb passes its object down)."""
    out: list[Token] = []
    if is_stative_passive(verb):
        out = stative_subject(verb)
    elif is_passive(verb):
        for agent in children(verb, "agent"):
            out = children(agent, "pobj")
        if not out:
            out = displaced_agent(verb)
    else:
        subj = children(verb, *SUBJECT_DEPS)
        if subj:
            s = subj[0]
            out = [antecedent(verb)] if s.lower_ in REL_PRONOUNS and verb.dep_ == "relcl" else [s]
        elif verb.dep_ == "acl" and verb.tag_ == "VBG":
            out = [verb.head]  # "a network recruiting Cubans"
        elif misparsed_main_verb(verb):
            out = [verb.sent.root]
        elif verb.dep_ == "acl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
            out = children(verb.head, "poss")[:1]  # "the IRA's decision to carry out attacks": the IRA
    if not out and depth < 4:
        head = verb.head
        if verb.dep_ == "conj" and is_passive(verb) and not is_passive(head):
            return out  # "X surrendered or was captured": X is captured, by someone unnamed
        if verb.dep_ in NONFINITE_DEPS and is_passive(verb) and not children(verb, "nsubjpass"):
            return out  # "X escaped being captured", "asked to be released": X undergoes it
        if is_passive(verb) and children(verb, "nsubjpass") and not is_stative_passive(verb):
            return out  # "X stayed in prison as they were charged": a passive clause of its own
        if verb.dep_ == "conj" and head.pos_ in ("VERB", "AUX"):
            out = doer(head, controls_object, depth + 1)
        elif verb.dep_ in ("xcomp", "advcl") and head.pos_ in ("VERB", "AUX"):
            dobj = children(head, "dobj")
            out = dobj if dobj and controls_object(head) else doer(head, controls_object, depth + 1)
        elif (
            verb.dep_ == "xcomp"
            and head.pos_ == "ADJ"
            and head.dep_ in ("acomp", "oprd")
            and head.head.pos_ in ("VERB", "AUX")
        ):
            out = doer(head.head, controls_object, depth + 1)  # "X is willing to send": X sends
        elif verb.dep_ == "pcomp" and head.lower_ in GERUND_PREPS and head.head.pos_ in ("VERB", "AUX"):
            # "accused X of backing Y", "banned X from running", "X was accused of backing Y":
            # the governing verb's object (or passive subject) does the gerund; else its doer
            gov = head.head
            obj = children(gov, "dobj", "nsubjpass")
            out = obj[:1] if obj else doer(gov, controls_object, depth + 1)
        elif (
            verb.dep_ == "pcomp"
            and head.lower_ in SUBJECT_GERUND_PREPS
            and not is_passive(verb)
            and head.head.pos_ in ("VERB", "AUX")
        ):
            # "X spent money on backing Y", "X retaliated by shelling Y": the governing verb's doer
            out = doer(head.head, controls_object, depth + 1)
        elif (
            verb.dep_ == "pcomp"
            and not is_passive(verb)
            and head.head.pos_ == "ADJ"
            and head.head.dep_ in ("acomp", "oprd")
            and head.head.head.pos_ in ("VERB", "AUX")
        ):
            # "X was responsible for rescuing Y", "X is capable of striking Y": the one it is said of
            out = doer(head.head.head, controls_object, depth + 1)
    return out


def speaker_subject(verb: Token) -> Token | None:
    """The speaker of a reporting verb: its subject, the agent of a passive, or its governor's
    subject ("denied it and said that …", "…, saying that …")."""
    subjects = children(verb, *SUBJECT_DEPS)
    if subjects:
        # "“… panic mode,” said Leslie Wimes": a quoted clause can lend the verb a second subject;
        # the speaker is the one nearest the verb
        return min(subjects, key=lambda c: abs(c.i - verb.i))
    for child in verb.children:
        if child.dep_ == "agent":
            obj = pobj(child)
            if obj is not None:
                return obj
    if any(c.dep_ in PASSIVE_SUBJECT_DEPS for c in verb.children):
        return None
    if verb.dep_ in ("conj", "advcl", "xcomp") and verb.head.i != verb.i and verb.head.pos_ in ("VERB", "AUX"):
        return speaker_subject(verb.head)
    return None


def sentence_span(doc: Doc, sentence: Sentence) -> Span | None:
    """The spaCy span of one of the graph's sentences (expanded to whole tokens)."""
    return doc.char_span(sentence.start, sentence.end, alignment_mode="expand")
