"""A GDELT-style event table (tab-separated, one row per event, with a header row).

Columns keep GDELT 1.0/2.0 event-table names and order for what newsgraph knows (dates,
actors, CAMEO codes, QuadClass, Goldstein, action place, source URL), then newsgraph's own
columns (PLOVER type and mode, certainty, who asserts it, evidence). PLOVER types map to CAMEO
codes through ``data/export/plover_cameo.yaml``; a type with no CAMEO category (TRAFFIC) leaves
the CAMEO columns empty. Counts (NumMentions, NumSources, NumArticles) are per article: 1.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from newsgraph import datafiles
from newsgraph.export._io import evidence, open_text, safe_text_cell
from newsgraph.model import ArticleGraph, Entity, Event

GDELT_COLUMNS = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1Type1Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2Type1Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode",
    "DATEADDED", "SOURCEURL",
)  # fmt: skip
EXTRA_COLUMNS = (
    "PloverType", "PloverMode", "Certainty", "Negated", "AssertedBy", "EventDate", "DateQualifier",
    "ArticleId", "EventId", "Trigger", "Evidence",
)  # fmt: skip
COLUMNS = GDELT_COLUMNS + EXTRA_COLUMNS

TYPE_CODES = {"government": "GOV", "ministry": "GOV", "military": "MIL", "army": "MIL", "police": "COP",
              "media": "MED", "party": "PTY", "ngo": "NGO", "court": "JUD", "rebels": "REB"}  # fmt: skip


@lru_cache(maxsize=1)
def cameo_map() -> dict[str, Any]:
    return dict(datafiles.load("export/plover_cameo.yaml"))


def cameo_code(event_type: str, mode: str | None) -> str | None:
    """The CAMEO event code for a PLOVER type (refined by mode), or None when CAMEO has no category."""
    entry = cameo_map()["types"].get(event_type)
    if not entry:
        return None
    modes = entry.get("modes") or {}
    code = modes.get((mode or "").lower().replace(" ", "_")) or entry.get("code")
    return str(code) if code else None


@lru_cache(maxsize=1024)
def _iso3(alpha2: str | None) -> str:
    if not alpha2:
        return ""
    import pycountry

    country = pycountry.countries.get(alpha_2=alpha2.upper())
    return str(country.alpha_3) if country else ""


@lru_cache(maxsize=4096)
def _country_of_name(name: str) -> str:
    import pycountry

    try:
        return str(pycountry.countries.lookup(name).alpha_3)
    except LookupError:
        return ""


def _actor(entity: Entity | None) -> tuple[str, str, str, str]:
    """(code, name, country code, type code) in GDELT's actor columns."""
    if entity is None:
        return "", "", "", ""
    country = _iso3(entity.country) or (_country_of_name(entity.name) if entity.type in ("Country", "Place") else "")
    type_code = TYPE_CODES.get((entity.subtype or "").lower(), "")
    code = country + type_code if entity.type in ("Country", "Organization") else country
    return code, entity.name.upper(), country, type_code


def _clean(value: object) -> str:
    """One TSV cell: no tab, newline, NUL or ESC, and no formula a spreadsheet would run (as the CSV export)."""
    return safe_text_cell(value)


def _ymd(value: str | None) -> str:
    return value.replace("-", "") if value and len(value) == 10 else ""


def event_row(graph: ArticleGraph, event: Event) -> dict[str, str]:
    art = graph.article
    by_id = {e.id: e for e in graph.entities}
    full_date = event.date.value if event.date and event.date.value and len(event.date.value) == 10 else None
    day = full_date or art.published or ""
    code = cameo_code(event.type, event.mode)
    root = code[:2] if code else ""
    root_info = cameo_map()["roots"].get(root, {}) if root else {}
    a1, a2 = _actor(by_id.get(event.source or "")), _actor(by_id.get(event.target or ""))
    place = by_id.get(event.location or "")
    fraction = ""
    if day:
        d = dt.date.fromisoformat(day)
        fraction = f"{d.year + (d.timetuple().tm_yday / 365):.4f}"
    said = by_id.get(event.asserted_by or "")
    row = {
        "GLOBALEVENTID": str(int(hashlib.sha1(f"{art.id}:{event.id}".encode()).hexdigest()[:12], 16)),
        "SQLDATE": _ymd(day), "MonthYear": _ymd(day)[:6], "Year": _ymd(day)[:4], "FractionDate": fraction,
        "Actor1Code": a1[0], "Actor1Name": a1[1], "Actor1CountryCode": a1[2], "Actor1Type1Code": a1[3],
        "Actor2Code": a2[0], "Actor2Name": a2[1], "Actor2CountryCode": a2[2], "Actor2Type1Code": a2[3],
        "IsRootEvent": "1" if graph.events and event is graph.events[0] else "0",
        "EventCode": code or "", "EventBaseCode": code[:3] if code else "", "EventRootCode": root,
        "QuadClass": str(root_info.get("quad_class", "")), "GoldsteinScale": str(root_info.get("goldstein", "")),
        "NumMentions": "1", "NumSources": "1", "NumArticles": "1", "AvgTone": "",
        "ActionGeo_Type": ("1" if place.type == "Country" else "4") if place else "",
        "ActionGeo_FullName": place.name if place else "",
        "ActionGeo_CountryCode": _actor(place)[2] if place else "",
        "DATEADDED": _ymd(art.published), "SOURCEURL": art.url or "",
        "PloverType": event.type, "PloverMode": event.mode or "", "Certainty": event.certainty,
        "Negated": "1" if event.negated else "0", "AssertedBy": said.name if said else "",
        "EventDate": event.date.value or "" if event.date else "",
        "DateQualifier": event.date.qualifier or "" if event.date else "",
        "ArticleId": art.id, "EventId": event.id, "Trigger": event.trigger,
        "Evidence": evidence(graph, event.start, event.end),
    }  # fmt: skip
    return {k: _clean(v) for k, v in row.items()}


def write(graphs: Iterable[ArticleGraph], out: Path | str, *, header: bool = True) -> int:
    n = 0
    with open_text(out, newline="") as fh:
        if header:
            fh.write("\t".join(COLUMNS) + "\n")
        for graph in graphs:
            for event in graph.events:
                row = event_row(graph, event)
                fh.write("\t".join(row[c] for c in COLUMNS) + "\n")
                n += 1
    return n
