"""The mention index: which entity a stretch of text or a token denotes (one rule for every component).

Built by the `entities` component from the graph's resolved mentions; read by attributions,
events and relations. The rule: the mention overlapping the span most wins, the shortest on a
tie (a name nested in a longer phrase mention: "Haniyeh" in "the Hamas leader Ismail Haniyeh").
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token

    from newsgraph.model import Entity


@dataclass
class MentionIndex:
    """Every entity mention as (start, end, entity id), sorted by position."""

    spans: list[tuple[int, int, str]] = field(default_factory=list)
    longest: int = 0  # the longest mention: how far before a span a mention overlapping it can start

    @classmethod
    def of(cls, entities: Iterable[Entity]) -> MentionIndex:
        # a dateline ("DAKAR (Reuters) -") names where the story was filed: no argument of anything
        spans = sorted((m.start, m.end, e.id) for e in entities for m in e.mentions if m.kind != "dateline")
        return cls(spans, max((e - s for s, e, _ in spans), default=0))

    def at(self, start: int, end: int) -> str | None:
        """The entity whose mention best overlaps the character span [start, end)."""
        best: tuple[int, int, str] | None = None
        i = bisect.bisect_left(self.spans, (start - self.longest, 0, ""))
        for s, e, eid in self.spans[i:]:
            if s >= end:
                break
            overlap = min(e, end) - max(s, start)
            if overlap > 0 and (best is None or (overlap, -(e - s)) > (best[0], best[1])):
                best = (overlap, -(e - s), eid)
        return best[2] if best else None

    def of_token(self, tok: Token) -> str | None:
        """The entity a token belongs to."""
        return self.at(tok.idx, tok.idx + len(tok.text))

    def between(self, start: int, end: int) -> Iterator[tuple[int, int, str]]:
        """The mentions that start in [start, end), in text order."""
        i = bisect.bisect_left(self.spans, (start, 0, ""))
        for span in self.spans[i:]:
            if span[0] >= end:
                break
            yield span
