"""Cross-article resolution: one canonical entity per real actor (pure logic, no SQL).

Each article entity gets a *key* — a normalised identity that two articles about
the same actor compute alike:

- ``country:CU``, ``government:CU``, ``group:CU:people`` — from the ISO code the
  actor layer found, whatever the wording ("Cuba", "the island", "the Cuban regime");
- ``person:vladimir putin`` — the ASCII-folded full name;
- ``org:CU:ministry foreign affairs`` — the organisation name without articles,
  stop words and country words, plus its country when known;
- ``place:…``, and for actors without a name (unnamed networks, bare titles) a key
  local to the article, so they are never merged across articles by wording alone.

`decide` links an entity to an existing canonical entity by key, then by a close
name (rapidfuzz) that type, country and — for people — given names agree with.
Two people who only share a surname are never merged; a bare surname is linked
only when one known person carries it and the articles share context. The store
(`newsgraph.store.canonical`) persists the result and the merge log.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from newsgraph.model import Entity

STOPWORDS = frozenset(
    ["the", "a", "an", "of", "for", "in", "on", "and", "de", "del", "la", "le", "les", "el", "los", "das", "do",
     "da", "di", "du", "des", "von", "van", "der", "al"]
)  # fmt: skip
NAME_THRESHOLD = 92.0  # rapidfuzz token ratio for a name variant of the same type and country


@lru_cache(maxsize=65536)
def ascii_fold(text: str) -> str:
    """ASCII form of a name: accents dropped; other scripts transliterated by rigour ("Путин" -> "Putin")."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    if folded.isascii():
        return folded
    from rigour.text import ascii_text

    return str(ascii_text(folded))


def tokens(name: str) -> list[str]:
    folded = ascii_fold(name).lower().replace("’", "'")
    folded = (folded + " ").replace("'s ", " ")
    words = "".join(c if c.isalnum() else " " for c in folded).split()
    while len(words) > 1 and len(words[-1]) == 1:
        words.pop()  # a stray initial or possessive at the end
    return words


def acronym(name: str) -> str:
    """Initials of the identifying words: 'United Nations' -> 'un'."""
    return "".join(w[0] for w in fingerprint(name).split())


def strong_context(shared: set[str]) -> bool:
    """Context that ties two articles to one actor: another named actor, or several shared ones."""
    return any(not k.startswith(("country:", "government:", "group:")) for k in shared) or len(shared) >= 3


@lru_cache(maxsize=1)
def _country_words() -> frozenset[str]:
    """Lowercased single-word country names and demonyms (dropped from organisation keys)."""
    from newsgraph.extract.actors.lexicon import lexicon

    countries = lexicon().countries
    words = {w for w in countries.demonyms if " " not in w}
    words |= {w for w in countries.names if " " not in w}
    return frozenset(ascii_fold(w) for w in words)


@lru_cache(maxsize=65536)
def fingerprint(name: str, *, drop_countries: bool = False) -> str:
    """Name reduced to its identifying words: ASCII, lowercase, no stop words (nor country words)."""
    words = [w for w in tokens(name) if w not in STOPWORDS]
    if drop_countries:
        kept = [w for w in words if w not in _country_words()]
        words = kept or words
    return " ".join(words)


def is_unnamed(entity: Entity) -> bool:
    """An actor the article never names: only nominal or title mentions."""
    kinds = {m.kind for m in entity.mentions}
    return bool(kinds) and not kinds & {"name", "demonym"}


def entity_key(entity: Entity, article_id: str) -> str:
    """The identity two articles about the same actor compute alike."""
    t = entity.type
    if t == "Country" and entity.country:
        return f"country:{entity.country}"
    if t == "Organization" and entity.subtype == "government" and entity.country:
        return f"government:{entity.country}"
    if t == "Group" and entity.country:
        return f"group:{entity.country}:{entity.subtype or 'people'}"
    if is_unnamed(entity) or not fingerprint(entity.name):
        return f"local:{article_id}:{entity.id}"
    if t == "Person":
        return f"person:{fingerprint(entity.name)}"
    if t == "Organization":
        return f"org:{entity.country or ''}:{fingerprint(entity.name, drop_countries=bool(entity.country))}"
    return f"{t.lower()}:{fingerprint(entity.name)}"


def canonical_id_for(key: str) -> str:
    """Deterministic id of the canonical entity first created for a key."""
    return "C" + hashlib.sha1(key.encode()).hexdigest()[:12]


@dataclass
class Candidate:
    """An existing canonical entity that a new one might be."""

    id: str
    name: str
    type: str
    key: str
    context: set[str] = field(default_factory=set)  # keys of entities it appears with


@dataclass
class Decision:
    canonical_id: str | None  # None: create a new canonical entity with `key`
    key: str
    score: float
    reason: str


@lru_cache(maxsize=65536)
def key_country(key: str) -> str | None:
    parts = key.split(":")
    if parts[0] in ("country", "government", "group", "org") and len(parts) > 1:
        return parts[1] or None
    return None


def person_compatible(a: str, b: str) -> tuple[bool, str]:
    """Can two person names be one person? Same surname and compatible given names."""
    ta, tb = fingerprint(a).split(), fingerprint(b).split()
    if not ta or not tb:
        return False, "empty name"
    if ta[-1] != tb[-1]:
        return False, "different surnames"
    ga, gb = ta[:-1], tb[:-1]
    if not ga or not gb:
        return False, "surname only"
    if ga[0] == gb[0]:
        return True, f"same given name {ga[0]!r} and surname {ta[-1]!r}"
    if (len(ga[0]) == 1 and gb[0].startswith(ga[0])) or (len(gb[0]) == 1 and ga[0].startswith(gb[0])):
        return True, f"initial matches given name, same surname {ta[-1]!r}"
    return False, f"different given names {ga[0]!r} / {gb[0]!r}"


def decide(
    entity: Entity,
    article_id: str,
    context: set[str],
    exact: Candidate | None,
    candidates: list[Candidate],
) -> Decision:
    """Which canonical entity this article entity is (or None: a new one)."""
    key = entity_key(entity, article_id)
    if exact is not None:
        return Decision(exact.id, key, 1.0, f"same key {key}")
    if key.startswith("local:") or entity.type in ("Country",) or key.startswith(("government:", "group:")):
        return Decision(None, key, 1.0, f"new {key}")
    from rapidfuzz import fuzz

    name_fp = fingerprint(entity.name)
    # the same for every candidate: computed once (the loop runs over up to 2,000 candidates)
    own_country, own_fp = key_country(key), key.split(":", 2)[-1]
    raw = entity.name.replace(".", "")
    is_acronym = raw.isupper() and 2 <= len(raw) <= 6 and raw.isalpha()
    best: tuple[float, Candidate, str] | None = None
    for cand in candidates:
        if cand.type != entity.type or cand.key.startswith("local:"):
            continue
        if entity.type == "Person":
            words = name_fp.split()
            if len(words) == 1:
                # A bare surname: only one known person with it, and shared context.
                same = [c for c in candidates if c.type == "Person" and c.key.split()[-1] == words[0]]
                shared = context & cand.context
                multi = len(cand.key.split()) > 1
                if len(same) == 1 and multi and cand.key.split()[-1] == words[0] and strong_context(shared):
                    reason = f"surname {words[0]!r} of the only known bearer; shared context {sorted(shared)[:3]}"
                    return Decision(cand.id, key, 0.8, reason)
                continue
            ok, why = person_compatible(entity.name, cand.name)
            if not ok:
                continue
            score = float(fuzz.token_set_ratio(name_fp, fingerprint(cand.name)))
            if best is None or score > best[0]:
                best = (score, cand, why)
            continue
        if own_country != key_country(cand.key):
            continue
        if is_acronym:
            if acronym(cand.name) == raw.lower() and len(fingerprint(cand.name).split()) == len(raw):
                same = [c for c in candidates if c.type == cand.type and acronym(c.name) == raw.lower()]
                if len(same) == 1:
                    return Decision(cand.id, key, 0.9, f"acronym of {cand.name!r}")
            continue
        cand_fp = cand.key.split(":", 2)[-1]
        score = float(fuzz.ratio(own_fp, cand_fp))
        if score >= NAME_THRESHOLD and (best is None or score > best[0]):
            best = (score, cand, f"name variant ({score:.0f}) of {cand.name!r}, same type and country")
    if best is not None:
        score, cand, why = best
        return Decision(cand.id, key, score / 100, why)
    return Decision(None, key, 1.0, f"new {key}")
