"""The fast attribute ruler and lemmatizer (newsgraph.spacy_pipes) give exactly spaCy's output."""

from __future__ import annotations

import pytest
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, ORTH, POS, SENT_START, TAG
from spacy.lang.en import English
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

from newsgraph.nlp import load_nlp
from newsgraph.spacy_pipes import FastAttributeRuler, FastEnglishLemmatizer

# Written for this test: the multi-token exceptions of the model's rules ("gon na", "got ta", "let's",
# "ain't", "y'all", expletive "there is"), pronoun case by function, auxiliaries against main verbs,
# "but" as an adverb, and line breaks (whitespace tokens).
TEXTS = [
    "We're gon na win this, and y'all got ta believe it. Let's go!",
    "It ain't over. There is a storm coming and there were warnings.\n\nI saw it; it saw me; you told it to you.",
    "She did her homework but she has had enough. Do you have it? He had been told, but only once.",
    "The minister, who was re-elected in 2019, has resigned.  \n  Officials said that the talks had failed.",
    "That is what they wanted: those who can, do.\n\n\nEnd.",
]
ATTRS = [ORTH, TAG, POS, MORPH, LEMMA, DEP, HEAD, SENT_START]


@pytest.fixture(scope="module")
def pipelines() -> tuple[object, object]:
    return load_nlp(), load_nlp(fast=False)


def test_the_default_pipeline_uses_the_fast_pipes(pipelines: tuple[object, object]) -> None:
    fast, stock = pipelines
    assert isinstance(fast.get_pipe("attribute_ruler"), FastAttributeRuler)  # type: ignore[attr-defined]
    assert isinstance(fast.get_pipe("lemmatizer"), FastEnglishLemmatizer)  # type: ignore[attr-defined]
    assert not isinstance(stock.get_pipe("attribute_ruler"), FastAttributeRuler)  # type: ignore[attr-defined]
    assert fast.pipe_names == stock.pipe_names  # type: ignore[attr-defined]


@pytest.mark.parametrize("text", TEXTS)
def test_same_tokens_tags_lemmas_and_morphology_as_spacy(pipelines: tuple[object, object], text: str) -> None:
    fast, stock = pipelines
    mine, theirs = fast(text), stock(text)  # type: ignore[operator]
    assert mine.to_array(ATTRS).tolist() == theirs.to_array(ATTRS).tolist()
    assert [(t.pos_, t.lemma_, str(t.morph)) for t in mine] == [(t.pos_, t.lemma_, str(t.morph)) for t in theirs]


def test_the_multi_token_rules_fire(pipelines: tuple[object, object]) -> None:
    fast, _stock = pipelines
    doc = fast("They are gon na leave.")  # type: ignore[operator]
    assert [t.lemma_ for t in doc if t.lower_ in ("gon", "na")] == ["go", "to"]


def _ruler(cls: type[AttributeRuler], patterns: list[dict[str, object]]) -> AttributeRuler:
    ruler = cls(English().vocab)
    ruler.add_patterns(patterns)  # type: ignore[arg-type]
    return ruler


def _doc(vocab: object, words: list[str]) -> Doc:
    tags = ["NN" if w.isalpha() else "." for w in words]
    return Doc(vocab, words=words, tags=tags)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "patterns",
    [
        # later rules win, per attribute; a set, a regex and a rule on the second token of two
        [
            {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN", "MORPH": "Number=Sing"}},
            {"patterns": [[{"LOWER": {"IN": ["a", "b"]}}]], "attrs": {"POS": "X"}},
            {"patterns": [[{"LOWER": {"REGEX": "^c+$"}}, {"TAG": "NN"}]], "attrs": {"LEMMA": "see"}, "index": -1},
            {"patterns": [[{"TAG": {"NOT_IN": ["NN"]}}]], "attrs": {"POS": "PUNCT"}},
        ],
        # what the fast path does not model (a quantifier) goes to spaCy's Matcher
        [{"patterns": [[{"TAG": "NN", "OP": "+"}, {"TAG": "."}]], "attrs": {"LEMMA": "end"}, "index": -1}],
    ],
)
def test_a_ruler_of_our_own_patterns_matches_spacys(patterns: list[dict[str, object]]) -> None:
    words = ["a", "cc", "d", ".", "b", "e", "ccc", "."]
    stock, fast = _ruler(AttributeRuler, patterns), _ruler(FastAttributeRuler, patterns)
    theirs = stock(_doc(stock.vocab, words))
    mine = fast(_doc(fast.vocab, words))
    assert [(t.pos_, t.lemma_, str(t.morph)) for t in mine] == [(t.pos_, t.lemma_, str(t.morph)) for t in theirs]
    assert any(t.pos_ or t.lemma_ for t in mine)


def test_a_blank_line_starts_a_sentence(pipelines: tuple[object, object]) -> None:
    fast, _stock = pipelines
    doc = fast("Protests in the capital\n\nThe police said nothing")  # type: ignore[operator]
    assert [s.text.strip() for s in doc.sents] == ["Protests in the capital", "The police said nothing"]
