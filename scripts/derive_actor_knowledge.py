#!/usr/bin/env python3
"""Derive actor knowledge from the Phoenix (PETRARCH) actor and agent dictionaries (issue 12, item 7).

    python scripts/derive_actor_knowledge.py [--lexicons ../shared/data/lexicons] [--check]

Writes ``src/newsgraph/data/actors/phoenix.json`` (MIT, attribution in PHOENIX_ATTRIBUTION.md):

- ``actors``: named actors of ``Phoenix.Countries/International/MilNonState.actors.txt`` — people
  (an entry with dated roles), organisations and armed groups — each with its name variants,
  type, country (ISO alpha-2) and dated roles ``[CAMEO code, from, to]``;
- ``places``: the place names listed under a country's own entry (its cities and provinces:
  "KABUL", "HELMAND" under AFGHANISTAN) -> ISO alpha-2;
- ``agents``: the generic agents of ``Phoenix.agents.txt`` ("police" -> COP, "rebels" -> REB,
  "foreign minister" -> GOV), lower case, by their head phrase.

Names are stored as lower-case word sequences (underscores read as spaces). ``--check`` exits 1
when the committed file is stale.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import derived_data
import pycountry

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "newsgraph" / "data" / "actors" / "phoenix.json"
DEFAULT_LEXICONS = ROOT.parent / "shared" / "data" / "lexicons"
ACTOR_FILES = ("Phoenix.Countries.actors.txt", "Phoenix.International.actors.txt", "Phoenix.MilNonState.actors.txt")
AGENTS = "Phoenix.agents.txt"
CODE = re.compile(r"\[([^\]]*)\]")
# CAMEO role/sector codes (CAMEO manual, actor codes): a country code followed by anything else
# ("USAASM" American Samoa) is a territory of that country, listed like a country.
# Head words of organisation names (closed list, English): "Afghan National Army" is no person.
ORG_WORDS = {
    "army",
    "forces",
    "force",
    "party",
    "council",
    "congress",
    "committee",
    "ministry",
    "front",
    "movement",
    "group",
    "union",
    "brigade",
    "brigades",
    "police",
    "government",
    "league",
    "organization",
    "organisation",
    "association",
    "agency",
    "bank",
    "company",
    "corporation",
    "commission",
    "court",
    "parliament",
    "assembly",
    "navy",
    "guard",
    "institute",
    "foundation",
    "fund",
    "office",
    "department",
    "bureau",
    "service",
    "services",
    "alliance",
    "coalition",
    "federation",
    "network",
    "cartel",
    "militia",
    "battalion",
    "regiment",
    "corps",
    "command",
    "tribunal",
    "senate",
    "cabinet",
    "authority",
    "administration",
    "secretariat",
    "programme",
    "program",
    "mission",
    "society",
    "center",
    "centre",
    "church",
    "university",
    "school",
    "hospital",
    "club",
    "team",
    "news",
    "radio",
    "television",
    "tv",
    "press",
    "times",
    "post",
    "herald",
    "daily",
    "airline",
    "airlines",
    "ltd",
    "inc",
    "co.",
}
SECTORS = {
    "AGR",
    "BUS",
    "CRM",
    "CVL",
    "DEV",
    "EDU",
    "ELI",
    "ENV",
    "GOV",
    "HLH",
    "HRI",
    "IGO",
    "IMG",
    "INS",
    "JUD",
    "LAB",
    "LEG",
    "MED",
    "MIL",
    "MNC",
    "NGM",
    "NGO",
    "OPP",
    "PTY",
    "REB",
    "REF",
    "REL",
    "SET",
    "SPY",
    "UAF",
    "UNO",
    "COP",
    "RAD",
    "MOD",
    "CON",
    "MUS",
    "CHR",
    "JEW",
    "BUD",
    "HIN",
    "SHI",
    "SUN",
    "ATH",
    "TAX",
    "PRO",
    "SEP",
    "GRP",
    "IRC",
}


def _name(raw: str) -> str | None:
    """``PRESIDENT_VLADIMIR_PUTIN_`` -> ``president vladimir putin``."""
    name = raw.strip().lstrip("+").split("#", 1)[0].strip()
    name = re.sub(r"\{.*?\}", "", name).strip()
    name = name.replace("_", " ").replace("!", " ").strip().lower()
    name = re.sub(r"\s+", " ", name)
    return name if len(name) >= 2 and re.search(r"[a-z]", name) else None


def _date(raw: str) -> str | None:
    """``580101`` -> 1958-01-01; ``19280101`` -> 1928-01-01 (the files' two- and four-digit years)."""
    raw = raw.strip()
    if len(raw) == 6 and raw.isdigit():
        yy = int(raw[:2])
        year = 1900 + yy if yy > 30 else 2000 + yy
        return f"{year}-{raw[2:4]}-{raw[4:6]}"
    if len(raw) == 8 and raw.isdigit():
        return f"{raw[:4]}-{raw[4:6]}-{raw[6:8]}"
    return None


def _role(code: str) -> list[Any]:
    """``AFGGOV 011113-011222`` / ``AFGGOV >011222`` / ``IGOUNO`` -> [code, from, to]."""
    parts = code.split()
    if not parts:
        return []
    start = end = None
    if len(parts) > 1:
        span = parts[1]
        if span.startswith(">"):
            start = _date(span[1:])
        elif span.startswith("<"):
            end = _date(span[1:])
        elif "-" in span:
            a, b = span.split("-", 1)
            start, end = _date(a), _date(b)
    return [parts[0], start, end]


def _alpha2(code: str) -> str | None:
    if len(code) < 3:
        return None
    try:
        country = pycountry.countries.get(alpha_3=code[:3])
    except (KeyError, LookupError):
        return None
    return str(country.alpha_2) if country is not None else None


def read_actors(path: Path) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Actor entries and, from a country's own entry, its places."""
    entries: list[dict[str, Any]] = []
    places: dict[str, str] = {}
    cur: dict[str, Any] | None = None
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if raw.startswith("#") or not raw.strip():
            continue
        text = raw.split("#", 1)[0]
        codes = [c.strip() for c in CODE.findall(text)]
        head = CODE.sub("", text)
        if raw[0] in " \t" and not head.strip():
            if cur is not None:
                cur["roles"].extend(r for r in map(_role, codes) if r)
            continue
        name = _name(head)
        if head.strip().startswith("+"):
            if cur is not None and name:
                cur["names"].append(name)
            continue
        if name is None:
            continue
        cur = {"names": [name], "roles": [r for r in map(_role, codes) if r], "person": "countryinfo" in raw.lower()}
        entries.append(cur)
    out = []
    for e in entries:
        if not e["roles"]:
            continue
        first = e["roles"][0][0]
        dated = any(r[1] or r[2] for r in e["roles"])
        territory = len(first) == 6 and first[3:] not in SECTORS
        if (len(first) == 3 or territory) and _alpha2(first) and len(e["roles"]) == 1 and not dated and not e["person"]:
            # the country's own entry: its variants and the cities/provinces listed with it
            for n in e["names"][1 if len(first) == 3 else 0 :]:
                places.setdefault(n, _alpha2(first) or "")
            continue
        org_word = bool(ORG_WORDS & set(re.split(r"[ \-]", e["names"][0])))
        people_file = path.name.startswith("Phoenix.Countries")
        kind = "Organization" if org_word else "Person" if (dated or e["person"] or people_file) else "Organization"
        out.append(
            {
                "name": e["names"][0],
                "variants": sorted(set(e["names"][1:])),
                "type": kind,
                "country": _alpha2(first),
                "roles": e["roles"],
            }
        )
    return out, places


def read_agents(path: Path) -> dict[str, str]:
    """Generic agent phrases -> CAMEO sector code (``~COP`` -> COP), with ``!MACRO!`` expanded."""
    macros: dict[str, list[str]] = {}
    agents: dict[str, str] = {}
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.split("#", 1)[0].strip()
        m = re.match(r"^!(\w+)!\s*=\s*(.*)$", line)
        if m:
            macros[m.group(1)] = [w.strip().lower() for w in m.group(2).split(",") if w.strip()]
            continue
        cm = CODE.search(line)
        if not cm or not cm.group(1).startswith("~"):
            continue
        code = cm.group(1)[1:].strip()
        head = line[: cm.start()].split("{", 1)[0].strip()
        variants = [head]
        mm = re.search(r"!(\w+)!", head)
        if mm and mm.group(1) in macros:
            variants = [
                head.replace(mm.group(0), "_" + w + "_" if head.index(mm.group(0)) else w + "_")
                for w in macros[mm.group(1)]
            ]
        for v in variants:
            name = _name(v)
            if name and code:
                agents.setdefault(name, code)
    return agents


def derive(lexicons: Path) -> dict[str, Any]:
    actors: list[dict[str, Any]] = []
    places: dict[str, str] = {}
    for name in ACTOR_FILES:
        a, p = read_actors(lexicons / name)
        actors.extend(a)
        for k, v in p.items():
            places.setdefault(k, v)
    return {
        "about": (
            "Generated by scripts/derive_actor_knowledge.py from the Phoenix actor and agent dictionaries of "
            "PETRARCH (MIT); see PHOENIX_ATTRIBUTION.md. Do not edit: run `make knowledge`."
        ),
        "agents": dict(sorted(read_agents(lexicons / AGENTS).items())),
        "places": dict(sorted(places.items())),
        "actors": actors,
    }


def render(data: dict[str, Any]) -> str:
    return derived_data.render(data, "actors")


def _summary(data: dict[str, Any]) -> str:
    return f"{len(data['actors'])} actors, {len(data['places'])} places, {len(data['agents'])} agents"


def main() -> int:
    return derived_data.main(
        __doc__, derive, render, _summary, lexicons=DEFAULT_LEXICONS, out=OUT, make_target="knowledge"
    )


if __name__ == "__main__":
    sys.exit(main())
