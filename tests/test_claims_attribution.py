"""Attribution, certainty and quotes, construction by construction, on hand-written sentences."""

from __future__ import annotations

import pytest

from conftest import attribution_by_cue, cached_graph_of, span_text
from newsgraph.extract.attributions import attribution_covering, cue_lexicon
from newsgraph.extract.certainty import hedge_certainty
from newsgraph.extract.quotes import find_quote_marks
from newsgraph.model import ArticleGraph

pytestmark = pytest.mark.slow


def name_of(g: ArticleGraph, entity_id: str | None) -> str | None:
    e = g.entity(entity_id)
    return e.name if e else None


# --------------------------------------------------------------------------- pure helpers


def test_quote_marks_pair_by_position_within_paragraphs() -> None:
    text = "He said “yes” and \"no\".\n\nShe said ”odd” then “unclosed\n\nnext “ok” and ''wire style''"
    pairs = find_quote_marks(text)
    assert [text[q.start : q.end] for q in pairs] == ["yes", "no", "odd", "ok", "wire style"]
    assert [text[q.open : q.close] for q in pairs][-1] == "''wire style''"


def test_yaml_prepositions_stay_strings() -> None:
    # a bare `on` in YAML is a boolean: the lexicon must hold the word
    assert "on" in cue_lexicon().channel_preps
    assert "on" in cue_lexicon().prep_frames["call"]


# --------------------------------------------------------------------------- reporting verbs


def test_said_that_content_is_the_complement_clause() -> None:
    g = cached_graph_of("Maria Lopez said that the bridge in Lima had collapsed after the storm.")
    a = attribution_by_cue(g, "said")
    assert span_text(g, a.content_span) == "that the bridge in Lima had collapsed after the storm"
    assert span_text(g, a.source_span) == "Maria Lopez"
    assert name_of(g, a.source) == "Maria Lopez"
    assert a.certainty == "asserted" and not a.direct


def test_has_said_and_also_stated_keep_auxiliaries_in_the_cue() -> None:
    g = cached_graph_of(
        "The Peruvian government has said that it will not raise taxes. Oxfam also stated that prices rose."
    )
    assert span_text(g, attribution_by_cue(g, "has said").content_span) == "that it will not raise taxes"
    stated = attribution_by_cue(g, "also stated")
    assert stated.channel == "statement"
    assert span_text(g, stated.content_span) == "that prices rose"


def test_claims_is_alleged_and_denied_is_denied() -> None:
    g = cached_graph_of(
        "The newspaper Lima Herald claims that the mayor took bribes. "
        "The mayor's office denied that any money had changed hands."
    )
    claims = attribution_by_cue(g, "claims")
    assert claims.certainty == "alleged"
    assert name_of(g, claims.source) is not None and "Lima Herald" in (name_of(g, claims.source) or "")
    assert attribution_by_cue(g, "denied").certainty == "denied"


def test_according_to_with_would_is_alleged() -> None:
    g = cached_graph_of("According to Amnesty International, the prisoners would be held in a military base.")
    a = attribution_by_cue(g, "According to")
    assert span_text(g, a.source_span) == "Amnesty International"
    assert name_of(g, a.source) == "Amnesty International"
    assert span_text(g, a.content_span) == "the prisoners would be held in a military base"
    assert a.certainty == "alleged"
    assert a.direct is False


def test_according_to_at_the_end_of_the_sentence() -> None:
    g = cached_graph_of("Fuel prices rose by ten percent in March, according to the Central Bank of Chile.")
    a = attribution_by_cue(g, "according to")
    assert span_text(g, a.content_span) == "Fuel prices rose by ten percent in March"
    assert a.certainty == "asserted"


def test_spokesperson_speaks_for_the_organisation() -> None:
    g = cached_graph_of("The spokesman for Greenpeace said that the tanker was leaking oil.")
    a = attribution_by_cue(g, "said")
    assert name_of(g, a.source) == "Greenpeace"


def test_nested_attribution_has_its_parent() -> None:
    g = cached_graph_of("The Guardian reported that Angela Merkel said that the talks had failed.")
    outer, inner = attribution_by_cue(g, "reported"), attribution_by_cue(g, "said")
    assert inner.parent == outer.id and outer.parent is None
    # a clause inside the inner content is asserted by the innermost attribution
    text = g.article.text
    start = text.index("the talks")
    assert attribution_covering(g, start, start + len("the talks had failed")) == inner
    # the inner cue itself sits in the outer content only
    assert attribution_covering(g, inner.cue_span[0], inner.cue_span[1]) == outer


def test_denounced_object_is_content() -> None:
    g = cached_graph_of("Human Rights Watch has denounced a smuggling ring that moves migrants across the border.")
    a = attribution_by_cue(g, "has denounced")
    assert span_text(g, a.content_span) == "a smuggling ring that moves migrants across the border"


def test_no_attribution_for_plain_narration() -> None:
    g = cached_graph_of("The two presidents met in Brasilia on Monday to sign a trade agreement.")
    assert g.attributions == []
    assert g.quotes == []


# --------------------------------------------------------------------------- quotes


def test_quote_before_says_the_statement_published_by() -> None:
    text = "“We will rebuild every school,” says the statement published by the Ministry of Education."
    g = cached_graph_of(text)
    assert len(g.quotes) == 1
    q = g.quotes[0]
    assert q.text == "We will rebuild every school,"
    assert text[q.start : q.end] == q.text
    assert q.channel == "statement"
    assert "Ministry of Education" in (name_of(g, q.speaker) or "")
    a = g.attributions[0]
    assert a.direct and q.attribution == a.id
    assert span_text(g, a.content_span) == "“We will rebuild every school,”"


def test_quote_on_social_network_gets_channel_x() -> None:
    g = cached_graph_of(
        "On the social network X (formerly Twitter), Gabriel Boric said that "
        "“the government will not tolerate violence against journalists”."
    )
    (q,) = g.quotes
    assert q.text.startswith("the government will not tolerate")
    assert q.channel == "x"
    assert name_of(g, q.speaker) == "Gabriel Boric"


def test_split_quote_pieces_share_the_speaker() -> None:
    g = cached_graph_of('"We are ready," Angela Merkel said, "and we will not wait any longer."')
    assert len(g.quotes) == 2
    assert {name_of(g, q.speaker) for q in g.quotes} == {"Angela Merkel"}


def test_quote_without_speaker_takes_the_previous_sentence_frame() -> None:
    g = cached_graph_of(
        "Angela Merkel spoke to reporters in Berlin on Friday and said that Europe must act. "
        "“Nobody else will do it for us.”"
    )
    q = next(q for q in g.quotes if q.text.startswith("Nobody"))
    assert name_of(g, q.speaker) == "Angela Merkel"


def test_scare_quote_in_the_article_voice_is_not_a_quote() -> None:
    g = cached_graph_of("The so-called “experts” met in Geneva last week.")
    assert g.quotes == []


def test_said_colon_then_quote() -> None:
    g = cached_graph_of("Emmanuel Macron said: “France will stand with Ukraine for as long as it takes.”")
    (q,) = g.quotes
    assert name_of(g, q.speaker) == "Emmanuel Macron"
    assert attribution_by_cue(g, "said").direct


# --------------------------------------------------------------------------- hedges


def _tokens(g_text: str, words: str) -> list:
    from newsgraph.nlp import load_nlp

    doc = load_nlp()(g_text)
    start = g_text.index(words)
    sp = doc.char_span(start, start + len(words), alignment_mode="expand")
    assert sp is not None
    return list(sp)


@pytest.mark.parametrize(
    ("text", "words", "expected"),
    [
        ("Police arrested a gang allegedly linked to the cartel.", "allegedly linked", ("alleged", "allegedly")),
        ("The army reportedly shelled the village.", "shelled", ("alleged", "reportedly")),
        ("The money would be going to the party.", "going", ("alleged", "would")),
        ("The company plans to recruit engineers in Kenya.", "recruit", ("hypothetical", "plans")),
        ("The talks may collapse next week.", "collapse", ("hypothetical", "may")),
        ("The minister denied meeting the lobbyists.", "meeting", ("denied", "denied")),
        ("The alleged smugglers were detained.", "alleged smugglers", ("alleged", "alleged")),
        ("The army shelled the village.", "shelled", ("asserted", None)),
    ],
)
def test_hedge_certainty(text: str, words: str, expected: tuple[str, str | None]) -> None:
    assert hedge_certainty(_tokens(text, words)) == expected


# --------------------------------------------------------------------------- more frames


def test_negated_cue_is_not_an_assertion() -> None:
    # no statement was made, so none is listed; what it leaves open stays unasserted
    g = cached_graph_of("The Ministry of Defence has not said whether the soldiers were deployed.")
    assert not [a for a in g.attributions if span_text(g, a.cue_span) == "has not said"]
    assert g.events and all(e.certainty == "hypothetical" for e in g.events)
    # a negated statement with a that-clause is kept, not asserted, so its content stays out of the
    # article's voice
    g = cached_graph_of("The Ministry of Defence has not said that the soldiers were deployed.")
    assert attribution_by_cue(g, "has not said").certainty == "hypothetical"


def test_fronted_content_before_subject_and_cue() -> None:
    g = cached_graph_of("The new rules are unclear on whether single mothers are covered, experts say.")
    a = attribution_by_cue(g, "say")
    assert span_text(g, a.content_span) == "The new rules are unclear on whether single mothers are covered"


def test_called_for_takes_the_preposition_into_the_cue() -> None:
    g = cached_graph_of("Senator Elizabeth Warren called for an inquiry into the bank's sales practices.")
    a = attribution_by_cue(g, "called for")
    assert span_text(g, a.content_span) == "an inquiry into the bank's sales practices"


def test_noun_cue_with_possessor() -> None:
    g = cached_graph_of("Vladimir Putin repeated his claim that the sanctions had failed.")
    a = attribution_by_cue(g, "claim")
    assert span_text(g, a.content_span) == "that the sanctions had failed"
    assert a.certainty == "alleged"


def test_continued_quote_after_the_cue_is_one_statement() -> None:
    text = "“We are ready,” Angela Merkel said. “Europe will not wait any longer.”"
    g = cached_graph_of(text)
    a = attribution_by_cue(g, "said")
    assert a.content_span == [0, len(text)]


def test_dash_byline_and_transcript_turn() -> None:
    g = cached_graph_of(
        "“The debate changed my mind about both candidates.” ― Maria Gonzalez\n\nWALLACE: Let us move on to trade."
    )
    dash = attribution_by_cue(g, "―")
    assert span_text(g, dash.source_span) == "Maria Gonzalez"
    assert span_text(g, dash.content_span) == "“The debate changed my mind about both candidates.”"
    turn = attribution_by_cue(g, ":")
    assert span_text(g, turn.source_span) == "WALLACE"
    assert span_text(g, turn.content_span) == "Let us move on to trade"


def test_first_person_cue_inside_a_quote_is_not_a_new_source() -> None:
    g = cached_graph_of("“I think the tariffs will hurt farmers,” Governor Kim Reynolds said.")
    assert [span_text(g, a.cue_span) for a in g.attributions] == ["said"]


@pytest.mark.parametrize(
    ("text", "channel"),
    [
        ("Nayib Bukele said on Facebook that the prison was full.", "facebook"),
        ("Gustavo Petro wrote on X that the ceasefire would hold.", "x"),
        ("Lula da Silva said in an interview that Brazil would mediate.", "interview"),
        ("Javier Milei tweeted that the peso would be replaced.", "x"),
    ],
)
def test_channel_of_a_statement(text: str, channel: str) -> None:
    g = cached_graph_of(text)
    assert [a.channel for a in g.attributions] == [channel]


def test_attribution_covering_tolerates_the_full_stop() -> None:
    g = cached_graph_of("Maria Lopez said that the bridge in Lima had collapsed.")
    (a,) = g.attributions
    start = g.article.text.index("the bridge")
    assert attribution_covering(g, start, len(g.article.text)) == a
    assert attribution_covering(g, 0, len(g.article.text)) is None


def test_quote_closing_its_own_sentence_is_not_taken_by_the_next_cue() -> None:
    g = cached_graph_of(
        'Israel has said it is investigating the shootings "at the most senior level." Egypt has said little.'
    )
    assert [span_text(g, a.cue_span) for a in g.attributions] == ["has said"]
    (q,) = g.quotes
    assert name_of(g, q.speaker) == "Israel"


def test_quote_before_told_reporters() -> None:
    g = cached_graph_of("“We will win this election.” Justin Trudeau told reporters in Ottawa.")
    (q,) = g.quotes
    assert name_of(g, q.speaker) == "Justin Trudeau"
