"""Sentences: spaCy's segmentation (blank lines are hard breaks), trimmed of whitespace.

A "sentence" that starts with a comma or semicolon is a broken fragment of the
one before (common in machine-translated text): it is joined back to it.
"""

from __future__ import annotations

from newsgraph.extract.pipeline import Analysis, component
from newsgraph.model import Sentence

FRAGMENT_STARTS = (",", ";", ":", ")", "]")


@component("sentences", assigns=("graph.sentences",))
def sentences(analysis: Analysis) -> None:
    out: list[Sentence] = []
    for sent in analysis.doc.sents:
        text = sent.text
        stripped = text.strip()
        if not stripped:
            continue
        start = sent.start_char + (len(text) - len(text.lstrip()))
        end = start + len(stripped)
        if out and stripped.startswith(FRAGMENT_STARTS):
            out[-1].end = end
            continue
        out.append(Sentence(index=len(out), start=start, end=end))
    analysis.graph.sentences = out
