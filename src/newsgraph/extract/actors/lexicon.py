"""The actor rules and country tables, loaded once from ``newsgraph/data/actors/*.yaml``.

Countries come from ``pycountry`` (name, common name, official name) plus a
small table of short names, other names and demonyms: pycountry alone does
not find "Russia" (its name is "Russian Federation") nor "Cuban".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from newsgraph import datafiles


def _words(values: Any) -> tuple[str, ...]:
    return tuple(str(v).lower() for v in values or ())


@dataclass(frozen=True)
class Definite:
    type: str
    subtypes: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    islands: bool = False


@dataclass
class ActorLexicon:
    org_keywords: list[tuple[str, tuple[str, ...]]]
    descriptors: list[tuple[str, str]]  # (phrase, subtype), longest phrase first
    social_networks: dict[str, str]  # lower -> display
    alias_cues: tuple[str, ...]
    person_titles: tuple[str, ...]
    head_titles: tuple[str, ...]
    honorifics: tuple[str, ...]
    government_titles: tuple[str, ...]
    org_head_titles: dict[str, str]
    leader_cues: tuple[str, ...]
    leader_words: tuple[str, ...]
    member_words: tuple[str, ...]
    employment_words: tuple[str, ...]
    government_words: tuple[str, ...]
    authority_phrases: tuple[str, ...]
    authority_heads: tuple[str, ...]
    diplomacy_words: tuple[str, ...]
    foreign_ministry_words: tuple[str, ...]
    group_nouns: dict[str, str]  # noun -> class
    generic_people: dict[str, str]  # plural people noun -> class (group_nouns and generic_people)
    quantity_nouns: tuple[str, ...]
    person_suffixes: tuple[str, ...]
    place_nouns: tuple[str, ...]
    gender_words: dict[str, str]  # word -> "m" | "f"
    not_person_suffixes: tuple[str, ...]
    description_relations: dict[str, str]  # plural noun -> relation to the body it is "of"
    collective_heads: dict[str, str]
    collective_modifiers: tuple[str, ...]
    definites: dict[str, Definite]
    definite_modifiers: tuple[str, ...]
    countries: Countries = field(repr=False, default=None)  # type: ignore[assignment]
    # built on first use: one regex per organisation subtype, the person titles by their first word
    _keyword_res: list[tuple[str, re.Pattern[str]]] | None = field(default=None, init=False, repr=False, compare=False)
    _titles_by_first: dict[str, list[tuple[list[str], str]]] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def org_subtype(self, text: str) -> str | None:
        """The subtype of the first organisation keyword the (lowercased) name contains, if any."""
        if self._keyword_res is None:
            # " w " in the padded name, for any keyword w of the subtype: one search per subtype
            self._keyword_res = [
                (subtype, re.compile("(?<= )(?:" + "|".join(re.escape(w) for w in words) + ")(?= )"))
                for subtype, words in self.org_keywords
                if words
            ]
        padded = f" {plain(text)} "
        for subtype, regex in self._keyword_res:
            if regex.search(padded):
                return subtype
        return None

    def person_noun(self, lemma: str, plural: str) -> bool:
        """A noun of people by its listing or its ending ("teacher", "journalist"), not of a place
        or institution ("school", "settlement")."""
        if plural.lower() in self.generic_people:
            return True
        low = lemma.lower()
        return low.endswith(self.person_suffixes) and not low.endswith(self.not_person_suffixes)

    def title_of(self, words: list[str]) -> str | None:
        """The longest person title the lowercased words start with (the first listed of equal length)."""
        if self._titles_by_first is None:
            index: dict[str, list[tuple[list[str], str]]] = {}
            for title in self.person_titles:
                parts = title.split()
                if parts:
                    index.setdefault(parts[0], []).append((parts, title))
            self._titles_by_first = index
        if not words:
            return None
        best, best_n = None, 0
        for parts, title in self._titles_by_first.get(words[0], ()):
            if len(parts) > best_n and words[: len(parts)] == parts:
                best, best_n = title, len(parts)
        return best


def plain(text: str) -> str:
    """Lowercase, punctuation (but not hyphens or dots inside words) spaced out."""
    out = []
    for ch in text.lower():
        out.append(ch if ch.isalnum() or ch in "-.'&" else " ")
    return " ".join("".join(out).split())


@dataclass
class Country:
    code: str
    name: str


class Countries:
    """Country names, other names and demonyms → ISO alpha-2 code and display name."""

    def __init__(self, data: dict[str, Any]) -> None:
        import pycountry

        self.names: dict[str, str] = {}  # lower name -> code
        self.display: dict[str, str] = {}
        for c in pycountry.countries:
            code = c.alpha_2
            self.display[code] = getattr(c, "common_name", None) or c.name
            for attr in ("name", "common_name", "official_name"):
                value = getattr(c, attr, None)
                if value:
                    self.names.setdefault(value.lower(), code)
        for code, name in (data.get("short_names") or {}).items():
            self.display[code] = name
            self.names[name.lower()] = code
        for code, names in (data.get("aliases") or {}).items():
            for name in names:
                self.names.setdefault(name.lower(), code)
        self.demonyms: dict[str, str] = {}  # lower adjective -> code
        self.plurals: dict[str, str] = {}  # lower plural noun -> code
        for code, adjs in (data.get("demonyms") or {}).items():
            for adj in adjs:
                self.demonyms[adj.lower()] = code
                if not adj.lower().endswith(("ese", "sh", "ch", "ss")):
                    self.plurals[adj.lower() + "s"] = code
        for code, nouns in (data.get("plural_demonyms") or {}).items():
            for noun in nouns:
                self.plurals[noun.lower()] = code
        self.islands: frozenset[str] = frozenset(data.get("islands") or ())
        self.takes_the: frozenset[str] = frozenset(data.get("takes_the") or ())
        self.person_like: frozenset[str] = frozenset(str(x).lower() for x in data.get("person_like") or ())
        self.seats: dict[str, str] = {k.lower(): v for k, v in (data.get("government_seats") or {}).items()}

    def lookup(self, name: str) -> str | None:
        """The code of a country name ("Russia", "the United States", "Cuba"), or None."""
        key = " ".join(name.split()).lower()
        if key in self.names:
            return self.names[key]
        if key.startswith("the ") and key[4:] in self.names:
            return self.names[key[4:]]
        return None

    def demonym(self, word: str) -> str | None:
        return self.demonyms.get(word.lower())

    def plural(self, word: str) -> str | None:
        return self.plurals.get(word.lower())

    def name(self, code: str) -> str:
        return self.display.get(code, code)

    def name_in_text(self, code: str) -> str:
        """The name as running text uses it: 'the United States', 'Cuba'."""
        return ("the " if code in self.takes_the else "") + self.name(code)


def _read(name: str) -> dict[str, Any]:
    data = datafiles.load(f"actors/{name}")
    return data if isinstance(data, dict) else {}


@lru_cache(maxsize=1)
def lexicon() -> ActorLexicon:
    rules = _read("rules.yaml")
    descriptors = [(str(p).lower(), sub) for sub, ps in rules["descriptors"].items() for p in ps]
    descriptors.sort(key=lambda x: -len(x[0].split()))
    lex = ActorLexicon(
        org_keywords=[(sub, _words(ws)) for sub, ws in rules["org_keywords"].items()],
        descriptors=descriptors,
        social_networks={str(s).lower(): str(s) for s in rules["social_networks"]},
        alias_cues=_words(rules["alias_cues"]),
        person_titles=_words(rules["person_titles"]),
        head_titles=_words(rules["head_titles"]),
        honorifics=_words(rules["honorifics"]),
        government_titles=_words(rules["government_titles"]),
        org_head_titles={str(k).lower(): str(v).lower() for k, v in rules["org_head_titles"].items()},
        leader_cues=_words(rules["leader_cues"]),
        leader_words=_words(rules["leader_words"]),
        member_words=_words(rules["member_words"]),
        employment_words=_words(rules.get("employment_words") or ()),
        government_words=_words(rules["government_words"]),
        authority_phrases=_words(rules["authority_phrases"]),
        authority_heads=_words(rules["authority_heads"]),
        diplomacy_words=_words(rules["diplomacy_words"]),
        foreign_ministry_words=_words(rules["foreign_ministry_words"]),
        group_nouns={str(n).lower(): str(k) for k, ns in rules["group_nouns"].items() for n in ns},
        generic_people={
            str(n).lower(): str(k)
            for table in (rules["group_nouns"], rules.get("generic_people") or {})
            for k, ns in table.items()
            for n in ns
        },
        quantity_nouns=_words(rules.get("quantity_nouns") or ()),
        person_suffixes=_words(rules.get("person_suffixes") or ()),
        place_nouns=_words(rules.get("place_nouns") or ()),
        gender_words={str(w).lower(): g for g, ws in (rules.get("gender_words") or {}).items() for w in ws},
        not_person_suffixes=_words(rules.get("not_person_suffixes") or ()),
        description_relations={str(k).lower(): str(v) for k, v in (rules.get("description_relations") or {}).items()},
        collective_heads={str(k).lower(): str(v) for k, v in rules["collective_heads"].items()},
        collective_modifiers=_words(rules["collective_modifiers"]),
        definites={
            str(k).lower(): Definite(
                type=v["type"],
                subtypes=tuple(v.get("subtypes") or ()),
                exclude=tuple(v.get("exclude") or ()),
                islands=bool(v.get("islands")),
            )
            for k, v in rules["definites"].items()
        },
        definite_modifiers=_words(rules["definite_modifiers"]),
    )
    lex.countries = Countries(_read("countries.yaml"))
    return lex
