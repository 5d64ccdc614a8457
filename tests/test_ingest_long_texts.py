"""Over-long texts are parsed in paragraph pieces (memory) and joined back into one Doc."""

from __future__ import annotations

from newsgraph.nlp import LONG_TEXT, parse, pieces

PARAGRAPH = (
    "The council met on Tuesday to discuss the harbour. Its members said the work would take a year. "
    "A spokesman for the port authority declined to comment on the cost."
)


def _long_text() -> str:
    text = ""
    i = 0
    while len(text) <= LONG_TEXT + 5_000:
        text += f"{PARAGRAPH} Item {i}.\n\n"
        i += 1
    return text + "The last paragraph has no blank line after it."


def test_pieces_join_back_and_stay_near_the_size() -> None:
    text = _long_text()
    parts = pieces(text, 2_000)
    assert "".join(parts) == text
    assert len(parts) > 5
    assert all(len(p) <= 2_000 + len(PARAGRAPH) + 20 for p in parts)
    assert all(p.endswith("\n\n") for p in parts[:-1])  # cut after blank lines only


def test_a_paragraph_longer_than_the_size_stays_whole() -> None:
    text = "word " * 3_000 + "\n\n" + "short paragraph."
    assert pieces(text, 1_000) == ["word " * 3_000 + "\n\n", "short paragraph."]
    assert pieces("no blank line at all " * 100, 100) == ["no blank line at all " * 100]


def test_a_long_text_parses_to_one_doc_with_its_offsets_and_sentences() -> None:
    text = _long_text()
    short = "The mayor said on Monday that the bridge would reopen."
    docs = list(parse([short, text, short], batch_size=2))
    assert [d.text for d in docs] == [short, text, short]
    doc = docs[1]
    assert doc.has_annotation("DEP") and doc.has_annotation("SENT_START")
    # every paragraph starts a sentence, and token offsets index the original text
    starts = {s.start_char for s in doc.sents}
    assert all(text.index(f"Item {i}.") - len(PARAGRAPH) - 1 in starts for i in range(3))
    assert all(text[t.idx : t.idx + len(t.text)] == t.text for t in doc)
    assert any(e.label_ == "DATE" and e.text == "Tuesday" for e in doc.ents)
