"""Normalisers of relative and composite expressions: anchored offsets ("two days later"),
relative units ("last month"), quarters, durations and spelled-out years."""

from __future__ import annotations

import datetime as dt
import re

from newsgraph.extract.times.anchoring import (
    NOT_PLURAL,
    Ctx,
    Norm,
    anchor_of,
    follows_noun_phrase,
    qualifier_of,
    season_index,
    season_of,
)
from newsgraph.extract.times.patterns import lexicon
from newsgraph.extract.times.values import GRAN_ORDER, duration_value, fmt, number_value, shift, unit_name

RATE_RX = re.compile(r"[\d$%£€]|illion$|thousand$|hundred$|cents?$|dollars?$", re.IGNORECASE)
COARSE_UNIT = {"decade": "year", "century": "year", "night": "day", "weekend": "week", "fortnight": "week"}


def spelled_year(m: re.Match[str], ctx: Ctx) -> Norm | None:
    """Years read out in transcripts: "nineteen ninety-six", "two thousand"."""
    g = m.groupdict()
    words = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
    tens = ["ten", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
    if g.get("sy"):
        y = 1900 + 10 * (tens.index(g["sy"].lower()) + 1) + (words.index(g["sy1"].lower()) + 1 if g.get("sy1") else 0)
        return Norm(str(y), anchor=None)
    y = 2000 + (words.index(g["sy2"].lower()) + 1 if g.get("sy2") else 0)
    return Norm(str(y), anchor=None)


def anchored(m: re.Match[str], ctx: Ctx) -> Norm | None:
    """Dates like "three years ago" (from publication), "two days later", "months before" (from the last
    dated expression). Hand-written: the anchoring to an earlier expression."""
    g = m.groupdict()
    direction = " ".join(g["dir"].lower().split())
    unit = unit_name(g["unit"])
    n = number_value(g.get("num")) if g.get("num") else None
    if direction in ("before", "after") and follows_noun_phrase(ctx):
        # "two years after the war": the span is the duration; its anchor is an event
        if n is None:
            return None
        dur = g["unit"]
        keep = m.group(0)[: m.start("unit") - m.start() + len(dur)]
        return Norm(duration_value(n, unit), type="DURATION", anchor=None, end_trim=len(m.group(0)) - len(keep))
    if direction in ("ago", "from now", "hence"):
        assert ctx.dct is not None
        base, base_gran, anchor_text = ctx.dct, "day", "publication"
        near = anchor_of(ctx) if ctx.prev is not None and ctx.end - ctx.prev.end < 300 else None
        if near is not None and near[1] == "quarter" and unit == "year":
            # "profit rose from $5 million a year ago": the period compared is the quarter just named
            base, base_gran, anchor_text = near
    else:
        base, base_gran, anchor_text = anchor_of(ctx)
    sign = -1 if direction in ("ago", "earlier", "before", "previously") else 1
    qual = "before" if sign < 0 else "after"
    if unit in ("hour", "minute", "second"):
        return Norm(fmt(base, base_gran), anchor=anchor_text)  # same day as the anchor
    if unit in COARSE_UNIT:
        scale = {"decade": 10, "century": 100, "fortnight": 2}.get(unit, 1)
        unit = COARSE_UNIT[unit]
        n = None if n is None or isinstance(n, str) else float(n) * scale
    if n is None or isinstance(n, str) or not float(n).is_integer():
        # vague amount: the anchor's value, qualified ("months before" July -> before 2023-07);
        # from the publication itself, TimeML's reference tokens ("several years ago")
        if anchor_text == "publication":
            return Norm("PAST_REF" if sign < 0 else "FUTURE_REF", anchor=anchor_text)
        return Norm(fmt(base, base_gran), qualifier=qual, anchor=anchor_text)
    d = shift(base, unit, sign * int(n))
    # from the publication, the unit's granularity ("three years ago": a year); from an earlier
    # expression, that expression's ("a year earlier" than a quarter is a quarter)
    gran = unit if anchor_text == "publication" else base_gran
    if GRAN_ORDER.get(unit, 4) > GRAN_ORDER[base_gran]:
        # finer unit than the anchor ("two days after July"): the anchor month, qualified
        return Norm(fmt(base, base_gran), qualifier=qual, anchor=anchor_text)
    q = qualifier_of(g.get("qual"))
    return Norm(fmt(d, gran), qualifier=q, anchor=anchor_text)


def rel_unit(m: re.Match[str], ctx: Ctx) -> Norm | None:
    """Dates like "last year", "this month", "next week", "earlier this year", "that year", "the following day"."""
    g = m.groupdict()
    relw = " ".join(g["rel"].lower().split())
    relw = relw[4:] if relw.startswith("the ") and relw not in ("the same",) else relw
    lex = lexicon()
    if g.get("season"):
        seas = lex.get("seasons")[g["season"].lower()]
        assert ctx.dct is not None
        off = {"last": -1, "past": -1, "previous": -1, "this past": -1, "next": 1, "coming": 1}.get(relw, 0)
        if relw == "this past":
            off = -1 if season_index(seas) > season_index(season_of(ctx.dct)) else 0
        return Norm(f"{ctx.dct.year + off:04d}-{seas}")
    unit = unit_name(g["unit"])
    if g.get("the") and relw in ("past", "last", "next", "coming", "previous") and unit not in ("decade", "century"):
        return Norm(duration_value(1, unit), type="DURATION", anchor=None)
    if relw in ("same", "the same", "that", "following", "preceding") or (relw == "previous" and g.get("the")):
        base, base_gran, anchor_text = anchor_of(ctx)
        off = {"following": 1, "preceding": -1, "previous": -1}.get(relw, 0)
        if unit in ("decade", "century", "weekend", "night"):
            unit = {"night": "day", "weekend": "week"}.get(unit, "year")
        if GRAN_ORDER.get(unit, 4) > GRAN_ORDER[base_gran] and off == 0:
            return Norm(fmt(base, base_gran), anchor=anchor_text)
        return Norm(fmt(shift(base, unit, off) if unit in GRAN_ORDER else base, unit), anchor=anchor_text)
    assert ctx.dct is not None
    dct = ctx.dct
    off = int(lex.get("relative_mods").get(relw, 0)) if relw not in ("this past", "this coming") else 0
    if unit == "decade":
        y = dct.year + 10 * off
        return Norm(str(y)[:3])
    if unit == "century":
        return Norm(f"{dct.year // 100 + off:02d}")
    if unit in ("night",):
        return Norm(fmt(dct + dt.timedelta(days=off), "day") + "TNI", type="TIME")
    if unit == "weekend":
        return Norm(fmt(shift(dct, "week", off), "week") + "-WE")
    if unit in ("second", "minute", "hour"):
        return None
    value = fmt(shift(dct, unit, off), unit)
    return Norm(value)


def quarter(m: re.Match[str], ctx: Ctx) -> Norm | None:
    g = m.groupdict()
    ordinal = g.get("ord")
    qmod = (g.get("qmod") or "").lower()
    half = g["qh"].lower() == "half"
    if not ordinal and not qmod and not g.get("qthe"):
        return None
    if ordinal and not re.search(r"quarter|half", m.group(0), re.I):
        return None
    assert ctx.dct is not None
    dct = ctx.dct
    year = dct.year
    if g.get("year") or g.get("year0"):
        year = int(g.get("year") or g["year0"])
    elif g.get("yrel") or g.get("yrel0"):
        year += {"this": 0, "last": -1, "next": 1}[(g.get("yrel") or g["yrel0"]).lower()]
    if half:
        if not ordinal:
            return None
        n = int(lexicon().get("ordinals")[ordinal.lower()])
        return Norm(f"{year:04d}-H{n}") if n <= 2 else None
    cur_q = (dct.month - 1) // 3 + 1
    if ordinal:
        qn = int(lexicon().get("ordinals")[ordinal.lower()])
        if not (g.get("year") or g.get("year0") or g.get("yrel") or g.get("yrel0")) and qn > cur_q and qmod != "next":
            year -= 1  # a quarter not yet begun: last year's (reporting news)
    elif qmod in ("latest", "last", "previous", "year-earlier", "year-ago") or not qmod:
        # "the quarter", "the latest quarter": the last one completed (reporting news)
        qn = cur_q - 1 or 4
        year = year - 1 if cur_q == 1 else year
    elif qmod == "next":
        qn = cur_q % 4 + 1
        year = year + 1 if cur_q == 4 else year
    else:
        qn = cur_q
    if qmod in ("year-earlier", "year-ago"):
        year -= 1
    return Norm(f"{year:04d}-Q{qn}")


def duration(m: re.Match[str], ctx: Ctx) -> Norm | None:
    g = m.groupdict()
    n = number_value(g["num"])
    if n is None:
        return None
    # "a second"/"the second" is an ordinal or a quantity word, not a duration
    if unit_name(g["unit"]) == "second" and not re.match(r"\d", g["num"]):
        return None
    if g["num"].lower() in ("a", "an") and not (g.get("qual") or g.get("drel")):
        # "a year" alone: a duration only when nothing else claims it; keep it (TimeML marks it)
        pass
    if g.get("half") and not isinstance(n, str):
        n = float(n) + 0.5
    q = qualifier_of(g.get("qual"))
    after = ctx.text[ctx.end : ctx.end + 12]
    if g["num"].lower() in ("a", "an") and not g.get("qual") and not g.get("drel"):
        prev = ctx.text[max(0, m.start() - 20) : m.start()].split()
        if prev and (RATE_RX.search(prev[-1]) or (prev[-1].endswith("s") and prev[-1].lower() not in NOT_PLURAL)):
            return None  # a rate: "$2 million a year", "four flights a week"
    if unit_name(g["unit"]) == "quarter" and re.match(r"\s+of\b", after):
        return None  # a fraction: "three-quarters of its food"
    if re.match(r"[\s-]*(?:old|of\s+age)\b", after) or re.fullmatch(r"1[6-9]\d\d|20\d\d", g["num"]):
        return None  # an age ("52 years old"), or a year before a unit word ("the 1988 second")
    return Norm(duration_value(n, g["unit"]), type="DURATION", qualifier=q, anchor=None)
