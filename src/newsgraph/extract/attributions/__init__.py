"""Attributions: who says so, through which channel, and how sure they are.

`cues` reads the reporting cues, `speakers` resolves a source phrase to an entity and a channel,
`component` finds the statements (the ``attributions`` extraction component, which also fills
the graph's quotes through `newsgraph.extract.quotes`). See docs/attributions.md.
"""

from newsgraph.extract.attributions.component import attribution_covering, attribution_speaker, attributions
from newsgraph.extract.attributions.cues import CueLexicon, cue_lexicon
from newsgraph.extract.attributions.speakers import Speaker, resolve_speaker

__all__ = [
    "CueLexicon",
    "Speaker",
    "attribution_covering",
    "attribution_speaker",
    "attributions",
    "cue_lexicon",
    "resolve_speaker",
]
