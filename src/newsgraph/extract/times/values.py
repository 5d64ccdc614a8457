"""Time values: TIMEX3-style ISO prefixes, their granularity and arithmetic, durations, and
dateparser (cached) for what it reads well."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any

from newsgraph.extract.times.patterns import lexicon

GRAN_ORDER = {"year": 0, "quarter": 1, "month": 2, "week": 3, "day": 4, "time": 5}


def fmt(d: dt.date, gran: str) -> str:
    """An ISO-8601 prefix of ``d`` at granularity ``gran``."""
    if gran == "year":
        return f"{d.year:04d}"
    if gran == "quarter":
        return f"{d.year:04d}-Q{(d.month - 1) // 3 + 1}"
    if gran == "month":
        return f"{d.year:04d}-{d.month:02d}"
    if gran == "week":
        iso = d.isocalendar()
        return f"{iso[0]:04d}-W{iso[1]:02d}"
    return f"{d.year:04d}-{d.month:02d}-{d.day:02d}"


_ISO_RX = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def parse_value(value: str | None) -> tuple[dt.date, str] | None:
    """The date and granularity of an ISO-8601 prefix value (None for durations, refs, sets)."""
    if not value:
        return None
    m = _ISO_RX.match(value)
    if not m:
        return None
    y, mo, d = m.groups()
    q = re.match(r"^\d{4}-Q(\d)", value)
    w = re.match(r"^\d{4}-W(\d\d)", value)
    try:
        if d:
            return dt.date(int(y), int(mo), int(d)), "day"
        if mo:
            return dt.date(int(y), int(mo), 1), "month"
        if q:
            return dt.date(int(y), 3 * int(q.group(1)) - 2, 1), "quarter"
        if w:
            return dt.date.fromisocalendar(int(y), int(w.group(1)), 1), "week"
        return dt.date(int(y), 1, 1), "year"
    except ValueError:  # year 0000 (a date before year 1), month 13: not a calendar date
        return None


def shift(d: dt.date, unit: str, n: int) -> dt.date:
    from dateutil.relativedelta import relativedelta

    code = {"year": "years", "month": "months", "week": "weeks", "day": "days", "quarter": "months"}[unit]
    step = 3 * n if unit == "quarter" else n
    return d + relativedelta(**{code: step})  # type: ignore[arg-type]


def unit_name(word: str) -> str:
    """Singular unit name of a unit word ("years" -> "year", "centuries" -> "century")."""
    w = word.lower()
    if w.startswith("centur"):
        return "century"
    return w[:-1] if w.endswith("s") else w


def number_value(word: str | None) -> float | str | None:
    if word is None:
        return None
    w = " ".join(word.lower().split())
    if re.fullmatch(r"\d+(?:\.\d+)?", w):
        return float(w)
    nums = lexicon().get("numbers")
    v = nums.get(w)
    if v is None:
        parts = re.split(r"[\s-]", w)
        if len(parts) == 2 and isinstance(nums.get(parts[0]), int) and isinstance(nums.get(parts[1]), int):
            return float(nums[parts[0]] + nums[parts[1]])
    return v if v is not None else None


def duration_value(n: float | str | None, unit: str) -> str:
    """TIMEX3 duration: P3M, PT5H, P10Y for a decade, PXY when the number is vague."""
    u = unit_name(unit)
    spec = lexicon().get("units").get(u) or {"code": "D"}
    code = str(spec["code"])
    t = "T" if spec.get("time") else ""
    if n is None or n == "X" or isinstance(n, str):
        return f"P{t}X{code[-1] if code not in ('DE', 'CE', 'WE', '2W') else code}"
    if code == "DE":
        n, code = float(n) * 10, "Y"
    elif code == "CE":
        n, code = float(n) * 100, "Y"
    elif code == "2W":
        n, code = float(n) * 2, "W"
    elif code == "WE":
        code = "WE"
    num = int(n) if float(n).is_integer() else n
    return f"P{t}{num}{code}"


# --------------------------------------------------------------------------- dateparser, cached


@lru_cache(maxsize=8192)
def parse_with_dateparser(text: str, base: dt.date, prefer: str) -> tuple[dt.date, str] | None:
    """dateparser on one candidate span: (date, period) or None. Cached per (span, base, direction)."""
    parser = _ddp(base, prefer)
    try:
        data = parser.get_date_data(text)
    except OverflowError:  # dateparser steps past year 9999 (base 9999-12-31, "on Monday")
        return None
    if data.date_obj is None:
        return None
    return data.date_obj.date(), str(data.period or "day")


@lru_cache(maxsize=64)
def _ddp(base: dt.date, prefer: str) -> Any:
    from dateparser.date import DateDataParser

    settings = {
        "RELATIVE_BASE": dt.datetime(base.year, base.month, base.day),
        "PREFER_DATES_FROM": prefer,
        "RETURN_TIME_AS_PERIOD": True,
        "STRICT_PARSING": False,
    }
    return DateDataParser(languages=["en"], settings=settings)


def dp_value(text: str, base: dt.date, prefer: str = "past") -> str | None:
    got = parse_with_dateparser(" ".join(text.split()), base, prefer)
    if got is None:
        return None
    d, period = got
    gran = {"year": "year", "month": "month", "week": "week"}.get(period, "day")
    return fmt(d, gran)
