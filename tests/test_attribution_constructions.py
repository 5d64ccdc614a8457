"""Attribution constructions of issue 13 (speaker spans, speakers, cues), each on sentences written
for the test."""

from __future__ import annotations

import pytest

from conftest import attribution_by_cue, cached_graph_of, span_text

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    ("text", "cue", "source"),
    [
        # a phrase with a comma inside keeps its closing comma, whatever the modifier
        (
            "Ana Lindqvist, of Uppsala, Sweden, said the harbour would close in May.",
            "said",
            "Ana Lindqvist, of Uppsala, Sweden,",
        ),
        (
            "Tomas Berg, who chaired the port board until 2019, argued that the fees were too high.",
            "argued",
            "Tomas Berg, who chaired the port board until 2019,",
        ),
        # no comma inside: nothing to close
        ("The port board said the fees were too high.", "said", "The port board"),
    ],
)
def test_source_span_keeps_the_closing_comma(text: str, cue: str, source: str) -> None:
    g = cached_graph_of(text)
    assert span_text(g, attribution_by_cue(g, cue).source_span) == source


def test_dash_byline_name_without_its_full_stop() -> None:
    g = cached_graph_of("“We will rebuild the school before winter.”\n― Maria Okafor.")
    assert span_text(g, attribution_by_cue(g, "―").source_span) == "Maria Okafor"


@pytest.mark.parametrize(
    ("text", "cue", "content"),
    [
        ("The minister stressed the need for new dams.", "stressed", "the need for new dams"),
        ("The central bank report indicates a slowing economy.", "indicates", "a slowing economy"),
        ("She did not suggest retaliation.", "did not suggest", "retaliation"),
        ("The film explains the history of the port strike.", "explains", "the history of the port strike"),
    ],
)
def test_reporting_verb_with_a_noun_object(text: str, cue: str, content: str) -> None:
    g = cached_graph_of(text)
    assert span_text(g, attribution_by_cue(g, cue).content_span) == content


def test_reflexive_object_is_not_what_is_said() -> None:
    g = cached_graph_of("You can always explain yourself to the committee later.")
    assert not [a for a in g.attributions if span_text(g, a.cue_span) and "explain" in str(span_text(g, a.cue_span))]


@pytest.mark.parametrize(
    ("text", "cue", "source"),
    [
        # a comma participle after the reported clause is the reporter's
        (
            "Analysts said regional factors have helped the port, citing the strategic location of the city.",
            "citing",
            "Analysts",
        ),
        # the clause's pronoun subject is the reporter again
        (
            "Senator Ana Ruiz said she would vote for the bill and warned against further delays.",
            "warned against",
            "Senator Ana Ruiz",
        ),
        # a past tense beside a modal verb cannot share its modal: it goes with "said"
        (
            "The prime minister said that the country would leave the union by March and suggested that "
            "it would quit the single market.",
            "suggested",
            "The prime minister",
        ),
        # otherwise the coordinated verb keeps the clause's subject
        ("The residents said the mayor ignored the report and criticized the engineers.", "criticized", "the mayor"),
        ("They said he rated the entries and talked about the prizes.", "talked about", "he"),
    ],
)
def test_cue_coordinated_inside_a_reported_clause(text: str, cue: str, source: str) -> None:
    g = cached_graph_of(text)
    assert span_text(g, attribution_by_cue(g, cue).source_span) == source


def test_statement_issued_by_a_body_speaks_for_the_body() -> None:
    g = cached_graph_of(
        "The Security Council issued a statement calling the test a clear violation of its resolutions."
    )
    a = attribution_by_cue(g, "calling")
    assert span_text(g, a.source_span) == "The Security Council"
    assert a.channel == "statement"


def test_source_phrase_stops_before_its_own_cue() -> None:
    g = cached_graph_of("In a statement announcing the merger, the union thanked its members.")
    assert span_text(g, attribution_by_cue(g, "announcing").source_span) == "a statement"


def test_cue_inside_a_reported_quotation_is_the_quoted_speakers_words() -> None:
    g = cached_graph_of("“People tell me the plant will close next year,” the mayor said.")
    assert [span_text(g, a.cue_span) for a in g.attributions] == ["said"]
    assert span_text(g, g.attributions[0].source_span) == "the mayor"


def test_cue_inside_a_quotation_nobody_is_given_stays() -> None:
    g = cached_graph_of("The valley was quiet. “Officials told us the road is safe.” The bus left at noon.")
    assert "told" in [span_text(g, a.cue_span) for a in g.attributions]


@pytest.mark.parametrize(
    ("text", "cue", "source", "content"),
    [
        (
            'As Ms. Okonjo put it in a statement, the port is "the heart of the city."',
            "put it",
            "Ms. Okonjo",
            'the port is "the heart of the city."',
        ),
        (
            'Marchers in the square chanted "No more fees!" until dusk.',
            "chanted",
            "Marchers in the square",
            '"No more fees!"',
        ),
        ('"Is anyone hurt?" she yells while running to the bus.', "yells", "she", '"Is anyone hurt?"'),
        # a second object the parser gives an object-complement verb is the complement
        ('Norway branded the regime an "outlaw state."', "branded", "Norway", 'the regime an "outlaw state."'),
    ],
)
def test_idiom_voice_and_branding_cues(text: str, cue: str, source: str, content: str) -> None:
    g = cached_graph_of(text)
    a = attribution_by_cue(g, cue)
    assert (span_text(g, a.source_span), span_text(g, a.content_span)) == (source, content)


def test_put_is_a_cue_only_as_put_it() -> None:
    g = cached_graph_of("She put the report on the table and left.")
    assert not [a for a in g.attributions if "put" in str(span_text(g, a.cue_span))]


def test_whatever_you_call_them_is_not_a_branding() -> None:
    g = cached_graph_of("The rebels, or whatever you call them, took the town.")
    assert not [a for a in g.attributions if span_text(g, a.cue_span) == "call"]


@pytest.mark.parametrize(
    ("text", "cue", "source"),
    [
        (
            "Even Norway, the fund's largest backer, said it was opposed to the plan.",
            "said",
            "Norway, the fund's largest backer,",
        ),
        ("Only 52 percent of the members agreed that the rules were fair.", "agreed", "Only 52 percent of the members"),
    ],
)
def test_source_phrase_edges(text: str, cue: str, source: str) -> None:
    g = cached_graph_of(text)
    assert span_text(g, attribution_by_cue(g, cue).source_span) == source
