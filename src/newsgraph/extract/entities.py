"""Entities v0: spaCy's named-entity mentions, typed, grouped by exact name.

The actor layer (type correction, aliases, unnamed actors) builds on this.
"""

from __future__ import annotations

from functools import lru_cache

from newsgraph.extract.pipeline import Analysis, component
from newsgraph.model import Entity, Mention

NER_TYPES = {
    "PERSON": "Person",
    "ORG": "Organization",
    "GPE": "Place",
    "LOC": "Place",
    "FAC": "Place",
    "NORP": "Group",
}


@lru_cache(maxsize=4096)
def is_country(name: str) -> bool:
    """True when pycountry knows the name as a country (fuzzy-free lookup)."""
    import pycountry

    try:
        pycountry.countries.lookup(name)
    except LookupError:
        return False
    return True


def entity_type(label: str, name: str) -> str | None:
    etype = NER_TYPES.get(label)
    if etype == "Place" and label == "GPE" and is_country(name):
        return "Country"
    return etype


@component("entities")
def entities(analysis: Analysis) -> None:
    by_key: dict[tuple[str, str], Entity] = {}
    graph = analysis.graph
    for ent in analysis.doc.ents:
        name = ent.text.strip()
        etype = entity_type(ent.label_, name)
        if not etype or not name:
            continue
        key = (name, etype)
        if key not in by_key:
            by_key[key] = Entity(id=f"E{len(by_key) + 1}", name=name, type=etype)
        start = ent.start_char + (len(ent.text) - len(ent.text.lstrip()))
        by_key[key].mentions.append(
            Mention(start=start, end=start + len(name), text=name, sentence=graph.sentence_of(start), label=ent.label_)
        )
    graph.entities = list(by_key.values())
    analysis.index_mentions()
