"""Normalisation: one function per pattern name, looked up in `NORMALISERS` (was one if-chain).

Each takes the pattern's match and its context and returns the value (`Norm`), or None to reject
the match. Hand-written: neither dateparser nor dateutil knows TIMEX3 sets, durations, quarters,
seasons, decades or anchoring to an earlier expression (see the package doc).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from newsgraph.extract.times.anchoring import (
    Ctx,
    Norm,
    anchor_of,
    directed,
    month_no,
    month_ok,
    month_value,
    season_index,
    season_of,
    year_ok,
)
from newsgraph.extract.times.patterns import lexicon
from newsgraph.extract.times.relative import anchored, duration, quarter, rel_unit, spelled_year
from newsgraph.extract.times.values import duration_value, fmt

Normaliser = Callable[[re.Match[str], Ctx], "Norm | None"]


def normalise(name: str, m: re.Match[str], ctx: Ctx) -> Norm | None:
    """Value of one pattern match; None rejects the match."""
    g = m.groupdict()
    if name in ("month", "day_month", "month_rel_year") and not month_ok(m):
        return None
    if name == "weekday" and (g.get("weekday") or "")[:1].islower():
        return None
    if ctx.dct is None and name not in ("iso", "numeric", "year", "decade") and not g.get("year"):
        return Norm(None, anchor=None)
    normaliser = NORMALISERS.get(name)
    return normaliser(m, ctx) if normaliser is not None else None


def _iso(m: re.Match[str], ctx: Ctx) -> Norm | None:
    try:
        return Norm(dt.date.fromisoformat(m.group(0)).isoformat(), anchor=None)
    except ValueError:  # 2023-13-45 is not a date
        return None


def _numeric(m: re.Match[str], ctx: Ctx) -> Norm | None:
    text = m.group(0)
    from dateutil import parser as du

    try:
        return Norm(fmt(du.parse(text, dayfirst=False).date(), "day"), anchor=None)
    except (ValueError, OverflowError):
        return None


def _month_rel_year(m: re.Match[str], ctx: Ctx) -> Norm | None:
    g = m.groupdict()
    dct = ctx.dct
    assert dct is not None
    off = {"this": 0, "last": -1, "next": 1}.get(g["yrel"].split()[-1].lower())
    if off is None:
        anchor_d, _, anchor_text = anchor_of(ctx)
        return Norm(f"{anchor_d.year:04d}-{month_no(g['month']):02d}", anchor=anchor_text)
    return Norm(f"{dct.year + off:04d}-{month_no(g['month']):02d}")


def _month(m: re.Match[str], ctx: Ctx) -> Norm | None:
    g = m.groupdict()
    dct = ctx.dct
    lex = lexicon()
    mon = lex.get("months")[g["month"].lower().rstrip(".")]
    if g.get("year") and not g.get("rel"):
        if g.get("day"):
            return Norm(f"{int(g['year']):04d}-{mon:02d}-{int(g['day']):02d}", anchor=None)
        return Norm(f"{int(g['year']):04d}-{mon:02d}", anchor=None)
    assert dct is not None
    core = f"{g['month'].rstrip('.')} {g['day']}" if g.get("day") else g["month"].rstrip(".")
    prefer = ctx.prefer
    relw = " ".join((g.get("rel") or "").lower().split())
    if relw == "this":
        return Norm(f"{dct.year:04d}-{mon:02d}" + (f"-{int(g['day']):02d}" if g.get("day") else ""))
    if relw in ("last", "past", "previous", "this past"):
        prefer = "past"
    elif relw in ("next", "coming", "this coming", "following"):
        prefer = "future"
    value = month_value(mon, int(g["day"]) if g.get("day") else None, dct, prefer, core, strict=bool(relw))
    return Norm(value) if value else None


def _weekday(m: re.Match[str], ctx: Ctx) -> Norm | None:
    g = m.groupdict()
    dct = ctx.dct
    lex = lexicon()
    if g.get("month") and g.get("day"):
        if not month_ok(m):
            return None
        mon = lex.get("months")[g["month"].lower().rstrip(".")]
        if g.get("year"):
            return Norm(f"{int(g['year']):04d}-{mon:02d}-{int(g['day']):02d}", anchor=None)
    if dct is None:  # a weekday or yearless date cannot be placed without a publication date
        return Norm(None, anchor=None)
    if g.get("month") and g.get("day"):
        return Norm(month_value(mon, int(g["day"]), dct, ctx.prefer, f"{g['month'].rstrip('.')} {g['day']}"))
    wd = lex.get("weekdays")[g["weekday"].lower().rstrip(".")]
    relw = " ".join((g.get("rel") or "").lower().split())
    if relw.startswith("the "):
        relw = relw[4:]
    if relw in ("previous", "preceding", "following"):
        # "the previous Friday": the one before the date just named (hand-written anchoring)
        base, base_gran, anchor_text = anchor_of(ctx)
        if base_gran != "day":
            base, anchor_text = dct, "publication"
        step = -1 if relw != "following" else 1
        d = base + dt.timedelta(days=step)
        while d.isoweekday() != wd:
            d += dt.timedelta(days=step)
        return Norm(fmt(d, "day"), anchor=anchor_text)
    prefer = "future" if relw in ("next", "coming", "this coming") else "past" if relw else ctx.prefer
    if wd == dct.isoweekday() and not relw:
        d = dct  # "Friday" in a Friday paper is that day
    else:
        # a bare weekday in news is the past one unless the clause looks ahead
        got_d = directed(g["weekday"].rstrip("."), dct, "future" if prefer == "future" else "past")
        if got_d is None:
            return None
        d = got_d
    value = fmt(d, "day")
    if g.get("part"):
        return Norm(value + "T" + lex.get("day_parts")[g["part"].lower()], type="TIME")
    return Norm(value)


def _dayword(m: re.Match[str], ctx: Ctx) -> Norm | None:
    g = m.groupdict()
    text = m.group(0)
    dct = ctx.dct
    lex = lexicon()
    assert dct is not None
    dw = g["dw"].lower()
    if dw == "tonight":
        return Norm(fmt(dct, "day") + "TNI", type="TIME")
    offset = {"yesterday": -1, "today": 0, "tomorrow": 1, "this": 0, "last": -1}[dw]
    lower = text.lower()
    if lower.startswith("the day before"):
        offset -= 1
    elif lower.startswith("the day after"):
        offset += 1
    d = dct + dt.timedelta(days=offset)
    if g.get("part"):
        part = g["part"].lower()
        code = "NI" if (dw == "last" and part == "night") else lex.get("day_parts")[part]
        return Norm(fmt(d, "day") + "T" + code, type="TIME")
    return Norm(fmt(d, "day"))


def _set(m: re.Match[str], ctx: Ctx) -> Norm | None:
    g = m.groupdict()
    text = m.group(0)
    lex = lexicon()
    if g.get("weekday"):
        return Norm(f"XXXX-WXX-{lex.get('weekdays')[g['weekday'].lower().rstrip('.')]}", type="SET")
    if g.get("month"):
        if not month_ok(m):
            return None
        return Norm(f"XXXX-{lex.get('months')[g['month'].lower().rstrip('.')]:02d}", type="SET")
    if g.get("season"):
        return Norm(f"XXXX-{lex.get('seasons')[g['season'].lower()]}", type="SET")
    step = 2 if "other" in text.lower() else 1
    return Norm(duration_value(step, g["unit"]), type="SET", anchor=None)


def _set_times(m: re.Match[str], ctx: Ctx) -> Norm | None:
    g = m.groupdict()
    return Norm(duration_value(1, g["unit"]), type="SET", anchor=None)


def _set_word(m: re.Match[str], ctx: Ctx) -> Norm | None:
    g = m.groupdict()
    lex = lexicon()
    return Norm(str(lex.get("set_words")[g["sw"].lower()]), type="SET", anchor=None)


def _year_earlier(m: re.Match[str], ctx: Ctx) -> Norm | None:
    dct = ctx.dct
    assert dct is not None
    cur_q = (dct.month - 1) // 3 + 1
    last_q, y = (cur_q - 1, dct.year) if cur_q > 1 else (4, dct.year - 1)
    return Norm(f"{y - 1:04d}-Q{last_q}")


def _century(m: re.Match[str], ctx: Ctx) -> Norm | None:
    g = m.groupdict()
    return Norm(f"{int(g['cn']) - 1:02d}", anchor=None)


def _decade(m: re.Match[str], ctx: Ctx) -> Norm | None:
    g = m.groupdict()
    dct = ctx.dct
    dec = g.get("dec")  # "the 1990s"; "the '90s" (decade_short) has no dec group
    if dec:
        return Norm(dec[:3], anchor=None)
    assert dct is not None
    d2 = int(g["dec2"])
    century = (dct.year // 100) * 100
    y = century + d2 if century + d2 <= dct.year else century - 100 + d2
    return Norm(str(y)[:3])


def _year(m: re.Match[str], ctx: Ctx) -> Norm | None:
    g = m.groupdict()
    if not year_ok(m, ctx):
        return None
    return Norm(g["year"], anchor=None)


def _season(m: re.Match[str], ctx: Ctx) -> Norm | None:
    g = m.groupdict()
    dct = ctx.dct
    lex = lexicon()
    seas = lex.get("seasons")[g["season"].lower()]
    if g.get("year"):
        return Norm(f"{g['year']}-{seas}", anchor=None)
    relw = (g.get("rel") or "").lower()
    if not relw and not g.get("sthe"):
        return None  # a bare season word is too often not a date ("fall" the verb)
    assert dct is not None
    if not relw:  # "the summer": this year's, read backward in the past tense, forward in the future
        cur, idx = season_index(season_of(dct)), season_index(seas)
        y = dct.year
        if idx > cur and ctx.prefer == "past":
            y -= 1  # not begun yet this year: last year's
        elif idx < cur and ctx.prefer == "future":
            y += 1  # already over this year: next year's
        return Norm(f"{y:04d}-{seas}")
    off = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}.get(relw, 0)
    return Norm(f"{dct.year + off:04d}-{seas}")


def _weekend(m: re.Match[str], ctx: Ctx) -> Norm | None:
    dct = ctx.dct
    assert dct is not None
    # Monday to Wednesday papers mean the weekend just past; later in the week, the coming one
    ref = dct - dt.timedelta(days=7) if dct.isoweekday() <= 3 and ctx.prefer != "future" else dct
    return Norm(fmt(ref, "week") + "-WE")


def _whole_year(m: re.Match[str], ctx: Ctx) -> Norm | None:
    dct = ctx.dct
    assert dct is not None
    return Norm(f"{dct.year:04d}")


def _month_end(m: re.Match[str], ctx: Ctx) -> Norm | None:
    dct = ctx.dct
    assert dct is not None
    return Norm(fmt(dct, "month"))


def _year_end(m: re.Match[str], ctx: Ctx) -> Norm | None:
    dct = ctx.dct
    assert dct is not None
    return Norm(f"{dct.year - (1 if ctx.prefer == 'past' and dct.month < 12 else 0):04d}")


def _year_ended(m: re.Match[str], ctx: Ctx) -> Norm | None:
    return Norm("P1Y", type="DURATION", anchor=None)


def _duration_bare(m: re.Match[str], ctx: Ctx) -> Norm | None:
    g = m.groupdict()
    drel = g["drel"].lower()
    if drel == "recent":
        return Norm("PAST_REF")
    return Norm(duration_value("X", g["unit"]), type="DURATION", anchor=None)


def _duration_vague(m: re.Match[str], ctx: Ctx) -> Norm | None:
    g = m.groupdict()
    return Norm(duration_value("X", g["unit"]), type="DURATION", anchor=None)


def _time_date(m: re.Match[str], ctx: Ctx) -> Norm | None:
    g = m.groupdict()
    lex = lexicon()
    rest = m.group("rest")
    day_value: str | None = None
    for pname, rx in lex.patterns:
        if pname in ("weekday", "month", "dayword"):
            sub = rx.fullmatch(rest)
            if sub:
                got = normalise(pname, sub, ctx)
                day_value = got.value if got else None
                break
    if not day_value or not re.fullmatch(r"\d{4}-\d\d-\d\d", day_value):
        return None
    clock = normalise("noon" if g.get("nm") else "time", m, ctx)
    if clock is None or not clock.value:
        return None
    return Norm(day_value + clock.value[10:], type="TIME")


def _time(m: re.Match[str], ctx: Ctx) -> Norm | None:
    g = m.groupdict()
    dct = ctx.dct
    assert dct is not None
    if g.get("nm"):
        hh, mm = (12, 0) if g["nm"].lower() == "noon" else (24, 0)
    else:
        hh, mm = int(g["h"]), int(g.get("m") or 0)
        if hh > 12:
            return None
        if g["ap"].lower().startswith("p") and hh < 12:
            hh += 12
        elif g["ap"].lower().startswith("a") and hh == 12:
            hh = 0
    return Norm(f"{fmt(dct, 'day')}T{hh:02d}:{mm:02d}", type="TIME")


def _ref(m: re.Match[str], ctx: Ctx) -> Norm | None:
    g = m.groupdict()
    lex = lexicon()
    if g["ref"].lower() == "soon" and re.search(r"\bas\s+$", ctx.text[max(0, m.start() - 4) : m.start()]):
        return None  # "as soon as": a conjunction
    return Norm(str(lex.get("ref_words")[" ".join(g["ref"].lower().split())]))


def _holiday(m: re.Match[str], ctx: Ctx) -> Norm | None:
    g = m.groupdict()
    dct = ctx.dct
    lex = lexicon()
    assert dct is not None
    md = str(lex.get("holidays")[" ".join(g["hol"].lower().split())])
    mon, day = (int(x) for x in md.split("-"))
    y = dct.year if (mon, day) <= (dct.month, dct.day) or ctx.prefer == "future" else dct.year - 1
    return Norm(f"{y:04d}-{mon:02d}-{day:02d}")


NORMALISERS: dict[str, Normaliser] = {
    "iso": _iso,
    "numeric": _numeric,
    "month_rel_year": _month_rel_year,
    "month": _month,
    "day_month": _month,
    "weekday": _weekday,
    "dayword": _dayword,
    "part_rel": _dayword,
    "anchored": anchored,
    "anchored_bare": anchored,
    "rel_unit": rel_unit,
    "set": _set,
    "set_times": _set_times,
    "set_word": _set_word,
    "quarter": quarter,
    "year_earlier": _year_earlier,
    "century": _century,
    "decade": _decade,
    "decade_short": _decade,
    "year": _year,
    "season": _season,
    "duration": duration,
    "weekend": _weekend,
    "whole_year": _whole_year,
    "month_end": _month_end,
    "year_end": _year_end,
    "spelled_year": spelled_year,
    "year_ended": _year_ended,
    "duration_bare": _duration_bare,
    "duration_vague": _duration_vague,
    "time_date": _time_date,
    "time": _time,
    "noon": _time,
    "ref": _ref,
    "holiday": _holiday,
}
