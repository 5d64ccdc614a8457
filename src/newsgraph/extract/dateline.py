"""Datelines: "DAKAR (Reuters) -", "WASHINGTON:", "THE HAGUE, Sept 24 -" (issue 12, item 5).

A wire story opens with where it was filed and, often, which agency filed it. That opening names
no actor of the story: the place is the article's dateline place and the agency its source
agency; neither is a speaker, a source or an arrester. The pattern is the news-agency style
convention (a place in capitals, optionally ", Country" or ", Month Day", optionally
"(Agency)", then a dash or a colon); written by hand because no kept library parses datelines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
# A capitalised place: all-caps words ("THE HAGUE", "SAN JOSE", "N'DJAMENA"), then optionally a
# region/country in title case ("KYIV, Ukraine") and a date ("Sept 24").
_DATELINE = re.compile(
    r"""\A[ \t]*
    (?P<place>[A-Z][A-Z'.\-]+(?:[ ][A-Z][A-Z'.\-]+){0,3})
    (?:,[ ](?P<region>(?!"""
    + _MONTH
    + r"""\b)[A-Z][A-Za-z.\-]+(?:[ ][A-Z][A-Za-z.\-]+){0,2}))?
    (?:,?[ ](?P<date>"""
    + _MONTH
    + r"""[ ]\d{1,2}))?
    (?:[ ]?\((?P<agency>[A-Za-z][A-Za-z .&\-]{1,30})\))?
    [ ]*(?P<sep>--|-|\u2014|\u2013|:)[ ]*""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class Dateline:
    """Where (and by which agency) a story was filed; ``end`` is where the story text starts."""

    place: str
    region: str | None
    agency: str | None
    date_text: str | None
    start: int
    end: int


def find_dateline(text: str) -> Dateline | None:
    """The dateline opening ``text``, if any: a short capitalised place (a headline in capitals
    runs on for more words) closed by a dash or a colon, with optional region, date and agency."""
    m = _DATELINE.match(text)
    if not m:
        return None
    place = m.group("place")
    if len(place.replace(" ", "")) < 3 or not any(c.isalpha() for c in place):
        return None
    lead = len(text) - len(text.lstrip(" \t"))
    return Dateline(
        place=_title(place),
        region=m.group("region"),
        agency=m.group("agency").strip() if m.group("agency") else None,
        date_text=m.group("date"),
        start=lead,
        end=m.end(),
    )


def _title(name: str) -> str:
    """ "THE HAGUE" -> "The Hague", "N'DJAMENA" -> "N'Djamena"."""
    return " ".join("'".join(p.capitalize() for p in w.split("'")) for w in name.split())
