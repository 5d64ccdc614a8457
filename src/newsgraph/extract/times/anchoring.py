"""What a normaliser works with: the value it returns (`Norm`), the context of a match (`Ctx`) and
the shared helpers for months, seasons, years and anchoring to an earlier expression."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from newsgraph.extract.times.patterns import QUAL_WORDS, lexicon
from newsgraph.extract.times.values import fmt, parse_value, parse_with_dateparser
from newsgraph.model import TimeExpr

MONTH_CUES = {"in", "of", "since", "until", "by", "early", "late", "mid", "last", "next", "this", "from", "through"}
CLAUSE_WORDS = {"and", "as", "but", "when", "while", "in", "on", "at", "to", "with", "for", "that", "so", "or"}
NOT_PLURAL = {"was", "is", "has", "as", "this", "its", "his", "us", "thus", "plus", "less", "unless", "always", "news"}
NEAR_DAYS, FAR_DAYS = 62, 240


@dataclass
class Norm:
    value: str | None
    type: str = "DATE"
    qualifier: str | None = None
    anchor: str | None = "publication"
    start_trim: int = 0  # characters to drop from the start of the match
    end_trim: int = 0


@dataclass
class Ctx:
    dct: dt.date | None
    prefer: str  # past | future
    prev: TimeExpr | None  # the last dated expression before this one
    text: str  # whole article text
    end: int  # end offset of the match in the article


def qualifier_of(word: str | None) -> str | None:
    return QUAL_WORDS.get(" ".join(word.lower().split())) if word else None


def month_ok(m: re.Match[str]) -> bool:
    """A month name that is also a plain word ("may", "march") only counts capitalised, and
    "May"/"March" only with a day, a year, or a preposition before them."""
    word = m.group("month")
    key = word.lower().rstrip(".")
    if key not in set(lexicon().raw.get("ambiguous_months", [])):
        return True
    if not word[0].isupper():
        return False
    if key in ("may", "march") and not (m.groupdict().get("day") or m.groupdict().get("year")):
        if m.groupdict().get("rel") or m.groupdict().get("edge"):
            return True
        before = m.string[max(0, m.start() - 12) : m.start()].split()
        # mid-sentence capitalised "May" is the month; sentence-initially only after a time cue
        return bool(before) and (before[-1].lower() in MONTH_CUES or not before[-1].endswith((".", '"', "”")))
    # "Jan", "Dec" without a dot, a day or a year: too often a name
    g = m.groupdict()
    return not (
        len(key) <= 4
        and not word.endswith(".")
        and key not in ("may", "june", "july")
        and not (g.get("day") or g.get("year"))
    )


def month_no(word: str) -> int:
    return int(lexicon().get("months")[word.lower().rstrip(".")])


def anchor_of(ctx: Ctx) -> tuple[dt.date, str, str]:
    """The anchor of an expression relative to an earlier one: the last dated expression, else the
    publication date. (Hand-written: dateparser only knows one base date.)"""
    if ctx.prev is not None:
        parsed = parse_value(ctx.prev.value)
        if parsed:
            return parsed[0], parsed[1], ctx.prev.text
    assert ctx.dct is not None
    return ctx.dct, "day", "publication"


def follows_noun_phrase(ctx: Ctx) -> bool:
    """True when "before"/"after" is a preposition with an object ("two years after the war")."""
    rest = ctx.text[ctx.end : ctx.end + 30]
    m = re.match(r"\s+([A-Za-z]+)", rest)
    if not m:
        return False
    return m.group(1).lower() not in CLAUSE_WORDS


def month_value(mon: int, day: int | None, dct: dt.date, prefer: str, core: str, strict: bool = False) -> str | None:
    """A month (and day) without a year: dateparser picks the year in the preferred direction; the
    month of publication itself is this year's."""
    if mon == dct.month and (day is None or day == dct.day):
        return f"{dct.year:04d}-{mon:02d}" + (f"-{day:02d}" if day else "")
    d = directed(core, dct, prefer, strict=strict)
    if d is None:
        return None
    return fmt(d, "day") if day else fmt(d, "month")


def directed(core: str, dct: dt.date, prefer: str, strict: bool = False) -> dt.date | None:
    """dateparser's reading of a yearless date, past or future; "nearest" takes the closer.
    ``strict``: the text itself says the direction ("last December"): no override."""
    if strict and prefer in ("past", "future"):
        got = parse_with_dateparser(core, dct, prefer)
        return got[0] if got else None
    past = parse_with_dateparser(core, dct, "past")
    future = parse_with_dateparser(core, dct, "future")
    if past is None or future is None:
        return (past or future or (None,))[0]
    to_past, to_future = (dct - past[0]).days, (future[0] - dct).days
    # the tense decides, unless its reading is most of a year away and the other is close
    # ("dividends payable Nov. 10" in an October paper, whatever the verb's tense)
    if prefer == "past":
        return future[0] if to_past > FAR_DAYS and to_future < NEAR_DAYS else past[0]
    if prefer == "future":
        return past[0] if to_future > FAR_DAYS and to_past < NEAR_DAYS else future[0]
    return past[0] if to_past <= to_future else future[0]


def year_ok(m: re.Match[str], ctx: Ctx) -> bool:
    """A bare four-digit number is a year after a time preposition or before punctuation."""
    if m.group("edge") or m.group("fiscal"):
        return True
    before = ctx.text[max(0, m.start() - 14) : m.start()].lower().split()
    prev = before[-1] if before else ""
    if prev in {"in", "since", "by", "until", "till", "from", "to", "of", "during", "before", "after", "between",
                "and", "or", "through", "year", "early", "late", "mid", "for", "around", "circa", "(", "spring",
                "summer", "autumn", "fall", "winter"} or prev.endswith(","):  # fmt: skip
        return True
    # a count ("2000 people") rather than a year: a plural noun follows
    nxt = re.match(r"\s+([a-z]+)", ctx.text[m.end() : m.end() + 20])
    return not (nxt and nxt.group(1).endswith("s") and nxt.group(1) not in NOT_PLURAL)


def season_of(d: dt.date) -> str:
    return {12: "WI", 1: "WI", 2: "WI", 3: "SP", 4: "SP", 5: "SP", 6: "SU", 7: "SU", 8: "SU"}.get(d.month, "FA")


def season_index(code: str) -> int:
    return ["WI", "SP", "SU", "FA"].index(code)
