"""A pronoun after a long quotation ('"… four sentences …", he said') refers past the quoted
words: the speaker named before the quotation opened. The quoted sentences used to count against
the pronoun's window of two sentences, so the speaker was left empty."""

from __future__ import annotations

from conftest import graph_of


def _speaker_names(text: str) -> list[str | None]:
    graph = graph_of(text)
    names = {e.id: e.name for e in graph.entities}
    return [names.get(q.speaker or "") for q in graph.quotes]


def test_he_after_a_quote_of_several_sentences_is_the_one_named_before_it() -> None:
    text = (
        'Farmer Liesl Okafor has run out of patience. "We wrote to the council in spring. We phoned in summer. '
        'We went to the office in autumn. Nobody answered us. It is a wall", she said.'
    )
    (speaker,) = _speaker_names(text)
    assert speaker is not None and speaker.endswith("Liesl Okafor")

