"""Speakers and false alarms seen by hand in sample articles (issue 13, fourth session): each
construction on sentences written for the test."""

from __future__ import annotations

import pytest

from conftest import attribution_by_cue, cached_graph_of, span_text
from newsgraph.model import ArticleGraph

pytestmark = pytest.mark.slow


def speaker_name(g: ArticleGraph, cue: str) -> str | None:
    att = attribution_by_cue(g, cue)
    entity = g.entity(att.source)
    return entity.name if entity is not None else None


def cues(g: ArticleGraph) -> list[str | None]:
    return [span_text(g, a.cue_span) for a in g.attributions]


def test_apposition_names_the_speaker_when_the_title_holds_a_place_name() -> None:
    # the title "Latin America editor" holds a place name; the editor is the person in apposition
    g = cached_graph_of("The broadcaster's Latin America editor, Tomas Rivera, said the vote would be close.")
    assert speaker_name(g, "said") == "Tomas Rivera"


def test_name_after_a_title_with_an_organisation_in_according_to() -> None:
    g = cached_graph_of(
        "According to a senior fellow at the Baltic Institute, Mira Sandoval, the port lost money for years."
    )
    att = attribution_by_cue(g, "According to")
    assert speaker_name(g, "According to") == "Mira Sandoval"
    assert span_text(g, att.content_span) == "the port lost money for years"


def test_relative_pronoun_parsed_as_its_own_clause_stands_for_the_name_before() -> None:
    g = cached_graph_of(
        "This verdict does not satisfy Karl Ostrom at all, who simply wishes that the fine be cancelled."
    )
    assert speaker_name(g, "simply wishes") == "Karl Ostrom"


def test_the_group_is_the_body_the_previous_sentence_is_about() -> None:
    g = cached_graph_of("Sunni tribal leaders met Saturday in Ramadi. The group called for a boycott of the vote.")
    assert speaker_name(g, "called for") == "sunni tribal leaders"


@pytest.mark.parametrize(
    ("text", "cue", "speaker"),
    [
        # a participle after a preposition: its subject is the clause's subject, passive or not
        (
            'Ingrid Holm, a nurse, was injured in the crash. After saying her knee was "too swollen to walk," '
            "she was taken to a clinic.",
            "saying",
            "Ingrid Holm",
        ),
        # a participle under a coordinated preposition ("… and for saying …")
        (
            "Senator Paul Okafor resigned on Monday. He appeared before the committee for his role in selling "
            "the land and for saying that the price was fair.",
            "saying",
            "Paul Okafor",
        ),
    ],
)
def test_participle_speakers(text: str, cue: str, speaker: str) -> None:
    assert speaker_name(cached_graph_of(text), cue) == speaker


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("The opposition came just short of calling for new elections.", "calling for"),
        ("The union stopped short of calling a strike at the port.", "calling"),
        ("The minister never explained why the port was closed.", "never explained"),
        ("It was not announced whether the talks would resume.", "was not announced"),
        ("The company did not immediately respond to requests for comment.", "did not immediately respond to"),
    ],
)
def test_a_statement_that_was_not_made_is_no_attribution(text: str, absent: str) -> None:
    g = cached_graph_of(text)
    assert not [c for c in cues(g) if c and absent.split()[-1] in c], cues(g)


def test_a_negated_belief_is_still_held() -> None:
    g = cached_graph_of("The mayor does not believe that the bridge is safe.")
    att = attribution_by_cue(g, "does not believe")
    assert span_text(g, att.source_span) == "The mayor"
    assert att.certainty == "hypothetical"


def test_negation_inside_the_quotation_does_not_negate_the_cue() -> None:
    g = cached_graph_of('"Are we ready? Probably not," Ms. Lindqvist said.')
    att = attribution_by_cue(g, "said")
    assert att.certainty == "asserted"
    assert span_text(g, att.source_span) == "Ms. Lindqvist"


def test_asked_about_has_no_speaker_of_its_own() -> None:
    # the mayor was asked; who asked is not said
    g = cached_graph_of("Asked about the strike, Ana Petrova said the talks would go on.")
    asked = [a for a in g.attributions if span_text(g, a.cue_span) == "Asked about"]
    assert all(a.source is None and a.source_span is None for a in asked)
    assert span_text(g, attribution_by_cue(g, "said").source_span) == "Ana Petrova"
    assert asked


def test_participle_after_a_bare_object_is_the_subjects() -> None:
    # the parser reads "defeat" as the subject of "saying"
    for text in (
        'Late on Sunday Ruth Alvarez conceded defeat saying, "I congratulate my rival."',
        'At noon the governor, Ruth Alvarez, conceded defeat saying, "I congratulate my rival."',
    ):
        g = cached_graph_of(text)
        assert attribution_by_cue(g, "saying").source == attribution_by_cue(g, "conceded").source is not None
    g = cached_graph_of('Late on Sunday Ruth Alvarez conceded defeat saying, "I congratulate my rival."')
    assert span_text(g, attribution_by_cue(g, "saying").source_span) == "Ruth Alvarez"
    assert span_text(g, attribution_by_cue(g, "conceded").content_span) == "defeat"


def test_a_cue_inside_a_question_is_not_a_statement() -> None:
    g = cached_graph_of(
        "Reporters asked the minister, Carlos Mendez, if Peru will declare the militia a terrorist organisation."
    )
    asked = attribution_by_cue(g, "asked")
    assert span_text(g, asked.content_span) == "if Peru will declare the militia a terrorist organisation"
    assert "will declare" not in cues(g)


def test_a_quotation_after_a_colon_is_the_following_cues() -> None:
    g = cached_graph_of(
        "The Press Freedom Centre has called for the reporter's release: \u201cWe are deeply worried about our "
        "colleague,\u201d the centre's director, Lina Haddad, said in a statement."
    )
    assert span_text(g, attribution_by_cue(g, "said").content_span) == (
        "\u201cWe are deeply worried about our colleague,\u201d"
    )
    quote = next(q for q in g.quotes if q.text.startswith("We are"))
    assert g.entity(quote.speaker) is not None and g.entity(quote.speaker).name == "Lina Haddad"


def test_a_source_phrase_that_starts_in_the_dateline_keeps_its_part_after_it() -> None:
    g = cached_graph_of("BRUSSELS - European leaders warned on Tuesday that the talks could fail.")
    att = attribution_by_cue(g, "warned")
    assert span_text(g, att.source_span) == "European leaders"
    assert att.source is not None


def test_called_on_with_the_preposition_parsed_as_a_particle() -> None:
    g = cached_graph_of(
        "The Okafor family has called on police to release the videos and called on people to protest peacefully."
    )
    assert span_text(g, attribution_by_cue(g, "has called on").content_span) == "police to release the videos"


def test_a_noun_tagged_as_a_reporting_verb_is_no_cue() -> None:
    g = cached_graph_of("Gulf states Qatar and Oman attended the summit as observers.")
    assert "states" not in cues(g)


def test_a_spokesman_named_in_apposition_is_the_speaker() -> None:
    g = cached_graph_of('"We are ready to help," said a spokesman for the Foreign Ministry, Tom Reyes.')
    assert speaker_name(g, "said") == "Tom Reyes"
    g = cached_graph_of("A spokesman for the Foreign Ministry said the talks would resume.")
    assert speaker_name(g, "said") == "Foreign Ministry"


def test_he_is_the_person_a_run_of_he_subjects_goes_back_to() -> None:
    # a person named in passing inside the run ("the case of Peter Larsen") is not "he"
    g = cached_graph_of(
        'After six months of letters, Thomas Keller has lost all patience. "I have spent hours on the phone," '
        "he said. At the end of last week he read an article about the case of Peter Larsen. He then wrote to "
        'the company again. "Nothing changed," he continues.'
    )
    assert speaker_name(g, "continues") == "Thomas Keller"
