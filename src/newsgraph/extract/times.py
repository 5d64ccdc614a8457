"""Time expressions, normalised against the publication date, and the date of every event.

Two components:

- ``times`` finds time expressions (spaCy DATE/TIME entities plus the patterns of
  ``data/time/lexicon.yaml``, which spaCy misses or over-extends) and normalises
  each to a TIMEX3-style value: an ISO-8601 prefix for dates (``2023``,
  ``2023-07``, ``2023-07-14``, ``2023-W34``, ``2023-Q3``, ``2023-SU``, ``199``),
  ``P3M``-style durations, ``P1W``/``XXXX-WXX-1`` sets and the reference tokens
  ``PRESENT_REF``/``PAST_REF``/``FUTURE_REF``; plus a qualifier (before/after/about).
- ``event_dates`` (last in the pipeline) gives every event the date of the time
  expression that governs its clause in the dependency parse, else one in its
  sentence, else the publication date qualified ``before``.

Division of labour (see docs/time.md):

- ``dateparser`` normalises what it does well: calendar dates with month names,
  weekdays, deictic days (yesterday), "last month", "three days ago" — with
  RELATIVE_BASE = publication date and its PREFER_DATES_FROM direction chosen
  from the clause's tense. Its ``period`` gives the granularity of the value.
- ``python-dateutil`` parses numeric dates (``11/02/89``: two-digit years) and
  does the calendar arithmetic (``relativedelta``).
- Written by hand, because neither library has it: the candidate patterns and
  their span boundaries, rejection of plain words ("may", "march", "second"),
  durations and sets (TIMEX3 P-values), quarters, seasons, decades, reference
  tokens, qualifiers, and the *anchoring* of an expression to an earlier one
  ("two days later", "months before", "that year" — relative to the last dated
  expression, not to the publication).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsgraph import datafiles
from newsgraph.extract.pipeline import Analysis, component
from newsgraph.model import DateValue, TimeExpr

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

LEXICON_PATH = Path(__file__).resolve().parent.parent / "data" / "time" / "lexicon.yaml"

MONTH_CUES = {"in", "of", "since", "until", "by", "early", "late", "mid", "last", "next", "this", "from", "through"}
CLAUSE_WORDS = {"and", "as", "but", "when", "while", "in", "on", "at", "to", "with", "for", "that", "so", "or"}
NOT_PLURAL = {"was", "is", "has", "as", "this", "its", "his", "us", "thus", "plus", "less", "unless", "always", "news"}
NEAR_DAYS, FAR_DAYS = 62, 240
OPEN_DATE_WORDS = {"effective", "payable", "due", "until", "till", "through", "starting", "beginning", "expiring"}
RATE_RX = re.compile(r"[\d$%£€]|illion$|thousand$|hundred$|cents?$|dollars?$", re.IGNORECASE)
COARSE_UNIT = {"decade": "year", "century": "year", "night": "day", "weekend": "week", "fortnight": "week"}

QUAL_WORDS = {
    "about": "about", "around": "about", "approximately": "about", "roughly": "about", "nearly": "about",
    "almost": "about", "some": "about", "more than": "after", "at least": "after",
    "less than": "before", "up to": "before",
}  # fmt: skip


# --------------------------------------------------------------------------- lexicon and patterns


@dataclass(frozen=True)
class Lexicon:
    raw: dict[str, Any]
    patterns: tuple[tuple[str, re.Pattern[str]], ...]
    trigger: frozenset[str]  # the words every pattern needs: patterns run only near them

    def get(self, key: str) -> dict[str, Any]:
        value = self.raw.get(key) or {}
        return value if isinstance(value, dict) else {}


def _alt(words: Any) -> str:
    """A regex alternation of words, longest first, with flexible inner whitespace."""
    items = sorted({str(w) for w in words}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in items)


def _names(names: Any, dot: str = "?") -> str:
    """Full names, or abbreviations with a dot (``dot="?"``: optional) — "Sept." but not "Monday."."""
    full = [n for n in names if len(n) > 4 or n in ("may", "june", "july", "monday", "friday", "sunday")]
    short = [n for n in names if n not in full]
    return rf"(?:(?:{_alt(full)})\b|(?:{_alt(short)})\b\.{dot})"


def _number_words(raw: dict[str, Any]) -> str:
    """Number words, including compounds such as "twenty-four"."""
    nums = raw["numbers"]
    tens = [w for w, v in nums.items() if isinstance(v, int) and 20 <= v <= 90]
    ones = [w for w, v in nums.items() if isinstance(v, int) and 1 <= v <= 9 and w not in ("a", "an")]
    return rf"(?:{_alt(tens)})[\s-](?:{_alt(ones)})|{_alt(nums)}"


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """Load the lexicon and compile the candidate patterns once per process."""
    raw: dict[str, Any] = datafiles.load("time/lexicon.yaml")
    month = rf"(?P<month>{_names(raw['months'])})"
    weekday = rf"(?P<weekday>{_names(raw['weekdays'], dot='')})"  # "Sun", "Sat": names, verbs
    num = rf"(?P<num>(?:{_number_words(raw)})|\d+(?:\.\d+)?)"
    unit = (
        r"(?P<unit>centur(?:y|ies)|"
        r"(?:second|minute|hour|day|night|week(?:end)?|fortnight|month|quarter|year|decade)s?)"
    )
    sg_unit = r"(?P<unit>century|second|minute|hour|day|night|week(?:end)?|month|quarter|year|decade)"
    pl_unit = r"(?P<unit>centuries|seconds|minutes|hours|days|nights|weeks|months|years|decades)"
    season = rf"(?P<season>{_alt(raw['seasons'])})"
    part = rf"(?P<part>{_alt(raw['day_parts'])})"
    edge = (
        r"(?:(?P<edge>early|mid|late|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|the\s+middle\s+of)"
        r"[\s-]+)?"
    )
    qual = rf"(?:(?P<qual>{_alt(QUAL_WORDS)})\s+)?"
    rel = rf"(?P<rel>{_alt(raw['relative_mods'])}|this\s+past|this\s+coming|the\s+same|that)"
    year = r"(?P<year>(?:1[6-9]|20)\d\d)"
    direction = r"(?P<dir>ago|earlier|later|before|after|previously|from\s+now|hence)"
    specs: list[tuple[str, str]] = [
        ("iso", r"\b\d{4}-\d{2}-\d{2}\b"),
        ("numeric", r"\b\d{1,2}/\d{1,2}/\d{2,4}\b"),
        ("month_rel_year",
         rf"\b{edge}{month}\s+(?:of\s+)?(?P<yrel>this|last|next|that|the\s+same|the\s+following)\s+year\b"),
        ("day_month", rf"\b(?:the\s+)?(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{month}(?:,?\s+{year})?\b"),
        ("month", rf"\b{edge}(?:{rel}\s+)?{month}(?:\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b)?(?:,?\s+{year})?(?!\w)"),
        ("weekday", rf"\b(?:(?:the\s+)?{rel}\s+)?{weekday}(?:\s+{part})?"
                    rf"(?:,?\s+{month}\s+(?P<day>\d{{1,2}})(?:,?\s+{year})?)?(?!\w)"),
        ("dayword", rf"\b(?:the\s+day\s+(?:before|after)\s+)?(?P<dw>{_alt(raw['day_words'])})(?:\s+{part})?\b"),
        ("part_rel", rf"\b(?P<dw>this|last|tomorrow|yesterday)\s+{part}\b"),
        ("anchored", rf"\b{qual}{num}[\s-]+{unit}\s+{direction}(?!\w)"),
        ("anchored_bare", rf"\b{pl_unit}\s+{direction}(?!\w)"),
        ("rel_unit", rf"\b(?:(?P<pre>early|late|mid|earlier|later|the\s+end\s+of)[\s-]+)?"
                     rf"(?P<the>the\s+)?{rel}\s+(?:fiscal\s+)?(?:{sg_unit}|{season})\b(?!-)"),
        ("set", rf"\b(?:every|each|per)\s+(?:other\s+)?(?:{sg_unit}|{weekday}|{month}|{season})(?!\w)"
                r"(?<!second)(?<!minute)"),
        ("set_times", rf"\b(?:once|twice|{num}\s+times)\s+(?:a|an|per|each)\s+{sg_unit}\b"),
        ("set_word", rf"\b(?P<sw>{_alt(raw['set_words'])})\b"),
        ("quarter", rf"\b(?P<qthe>the\s+)?"
                    r"(?:(?P<qmod>latest|last|previous|current|next|same|year-earlier|year-ago)\s+)?"
                    r"(?:(?P<year0>(?:19|20)\d\d)\s+|(?P<yrel0>this|last|next)\s+year's\s+)?"
                    rf"(?:(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+)?(?P<qh>quarter|half)(?!-)"
                    rf"(?:\s+of\s+(?:{year}|(?P<yrel>this|last|next)\s+year))?\b"),
        ("year_earlier", r"\byear-(?:earlier|ago)\b"),
        ("century", r"\b(?:the\s+)?(?P<cn>\d{1,2})(?:st|nd|rd|th)[\s-]+century\b"),
        ("decade", rf"\b(?:the\s+)?{edge}(?P<dec>(?:1[6-9]|20)\d0)'?s\b"),
        ("decade_short", rf"\b(?:the\s+)?{edge}'(?P<dec2>\d0)s\b"),
        ("year", rf"(?<![\d$£€.,])\b(?:{edge})?(?:(?P<fiscal>fiscal(?:\s+year)?)\s+)?{year}\b"
                 r"(?![.,]\d|\s*%|-)"),
        ("season", rf"\b(?:(?P<sthe>the\s+)(?:(?:early|late|mid)[\s-]+)?|{rel}\s+)?{season}"
                   rf"(?:\s+(?:of\s+)?{year})?\b"),
        ("weekend", r"\bthe\s+weekend\b"),
        ("whole_year", r"\bthe\s+(?:full|whole|entire)\s+(?:fiscal\s+|calendar\s+)?year\b(?!\s+end)"),
        ("month_end", r"\b(?:the\s+end\s+of\s+the\s+month|month[\s-]end)\b"),
        ("year_end", r"\b(?:the\s+end\s+of\s+the\s+year|year[\s-]end|year's\s+end)\b"),
        ("spelled_year", r"\b(?:the\s+year\s+)?(?:nineteen[\s-]"
                         r"(?P<sy>ten|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
                         r"(?:[\s-](?P<sy1>one|two|three|four|five|six|seven|eight|nine))?|two\s+thousand(?:\s+and\s+"
                         r"(?P<sy2>one|two|three|four|five|six|seven|eight|nine|ten))?)\b"),
        ("year_ended", r"\bthe\s+(?:fiscal\s+)?year(?=\s+end(?:ed|ing)\b)"),
        ("duration", rf"\b{qual}(?:(?P<the>the|a|an)\s+)?"
                     r"(?:(?P<drel>past|last|next|coming|first|final|previous|following)\s+)?"
                     rf"{num}(?P<half>[\s-]+and[\s-]+a[\s-]+half)?[\s-]+{unit}(?:[\s-]+long)?\b"),
        ("duration_bare", rf"\b(?:(?P<the>the)\s+)?(?P<drel>past|last|next|coming|recent)\s+"
                          rf"(?:(?P<few>few|several)\s+)?{pl_unit}\b"),
        ("duration_vague", rf"(?:(?<=\bfor\s)|(?<=\bwithin\s)){pl_unit}\b"),
        ("time", r"\b(?P<h>\d{1,2})(?::(?P<m>\d\d))?\s*(?P<ap>a\.m\.|p\.m\.|am\b|pm\b)(?:\s+(?P<tz>[A-Z]{2,4}T)\b)?"),
        ("noon", r"\b(?P<nm>noon|midnight)\b"),
        ("time_date", r"\b(?:(?P<h>\d{1,2})(?::(?P<m>\d\d))?\s*(?P<ap>a\.m\.|p\.m\.|am\b|pm\b)|(?P<nm>noon|midnight))"
                      rf"(?:\s+[A-Z]{{2,4}}T\b)?,?\s+(?:on\s+)?(?P<rest>{weekday}|{month}\s+\d{{1,2}}\b|"
                      rf"{_alt(raw['day_words'])})"),
        ("ref", rf"\b(?P<ref>{_alt(k for k, v in raw['ref_words'].items() if v)})\b"),
        ("holiday", rf"\b(?P<hol>{_alt(raw.get('holidays') or {})})\b"),
    ]  # fmt: skip
    flags = re.IGNORECASE
    patterns = tuple((name, re.compile(rx, flags)) for name, rx in specs if rx.strip())
    words = [
        *raw["months"], *raw["weekdays"], *raw["day_words"], *raw["seasons"], *raw["set_words"],
        *(raw.get("holidays") or {}), *(k for k, v in raw["ref_words"].items() if v), *raw["day_parts"],
        "second", "minute", "hour", "day", "night", "week", "weekend", "fortnight", "month", "quarter", "half",
        "year", "decade", "century", "centuries", "noon", "midnight", "nineteen", "thousand",
    ]  # fmt: skip
    stop = {"the", "in", "at", "of", "new", "a", "an"}
    trigger = frozenset(w for phrase in words for w in str(phrase).lower().split() if w not in stop)
    return Lexicon(raw=raw, patterns=patterns, trigger=trigger)


WINDOW_BEFORE, WINDOW_AFTER = 64, 48


_WORD_RX = re.compile(r"[A-Za-z]+(?:'s)?|\d+")
_AMPM_RX = re.compile(r"\s*[ap]\.?m\b", re.IGNORECASE)


def _is_trigger(text: str, m: re.Match[str], words: frozenset[str]) -> bool:
    w = m.group()
    if w[0].isdigit():
        after = text[m.end() : m.end() + 1]
        return (
            len(w) == 4
            or after in ("/", ":", "-", "s")
            or text[m.start() - 1 : m.start()] == "'"
            or bool(_AMPM_RX.match(text, m.end()))
        )
    lw = w.lower()
    return lw in words or lw[:-1] in words or lw[:-2] in words or lw[:-3] in words  # -s, -ly, -ies, 's


def _windows(text: str, trigger: frozenset[str]) -> list[tuple[int, int]]:
    """Stretches of text around time words, merged, cut at whitespace: the only places the
    patterns are run (most of an article has no time word, and the patterns are costly).
    A word scan with a set lookup: much faster than one big alternation regex."""
    out: list[tuple[int, int]] = []
    n = len(text)
    for m in _WORD_RX.finditer(text):
        if not _is_trigger(text, m, trigger):
            continue
        start = max(0, m.start() - WINDOW_BEFORE)
        end = min(n, m.end() + WINDOW_AFTER)
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        while end < n and not text[end].isspace():
            end += 1
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


# --------------------------------------------------------------------------- values


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
    if d:
        return dt.date(int(y), int(mo), int(d)), "day"
    if mo:
        return dt.date(int(y), int(mo), 1), "month"
    q = re.match(r"^\d{4}-Q(\d)", value)
    if q:
        return dt.date(int(y), 3 * int(q.group(1)) - 2, 1), "quarter"
    w = re.match(r"^\d{4}-W(\d\d)", value)
    if w:
        return dt.date.fromisocalendar(int(y), int(w.group(1)), 1), "week"
    return dt.date(int(y), 1, 1), "year"


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
def _dateparser(text: str, base: dt.date, prefer: str) -> tuple[dt.date, str] | None:
    """dateparser on one candidate span: (date, period) or None. Cached per (span, base, direction)."""
    parser = _ddp(base, prefer)
    data = parser.get_date_data(text)
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
    got = _dateparser(" ".join(text.split()), base, prefer)
    if got is None:
        return None
    d, period = got
    gran = {"year": "year", "month": "month", "week": "week"}.get(period, "day")
    return fmt(d, gran)


# --------------------------------------------------------------------------- normalisation


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


def _q(word: str | None) -> str | None:
    return QUAL_WORDS.get(" ".join(word.lower().split())) if word else None


def _month_ok(m: re.Match[str]) -> bool:
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


def _month_no(word: str) -> int:
    return int(lexicon().get("months")[word.lower().rstrip(".")])


def _anchor(ctx: Ctx) -> tuple[dt.date, str, str]:
    """The anchor of an expression relative to an earlier one: the last dated expression, else the
    publication date. (Hand-written: dateparser only knows one base date.)"""
    if ctx.prev is not None:
        parsed = parse_value(ctx.prev.value)
        if parsed:
            return parsed[0], parsed[1], ctx.prev.text
    assert ctx.dct is not None
    return ctx.dct, "day", "publication"


def _follows_noun_phrase(ctx: Ctx) -> bool:
    """True when "before"/"after" is a preposition with an object ("two years after the war")."""
    rest = ctx.text[ctx.end : ctx.end + 30]
    m = re.match(r"\s+([A-Za-z]+)", rest)
    if not m:
        return False
    return m.group(1).lower() not in CLAUSE_WORDS


def normalise(name: str, m: re.Match[str], ctx: Ctx) -> Norm | None:
    """Value of one pattern match; None rejects the match."""
    g = m.groupdict()
    text = m.group(0)
    dct = ctx.dct
    lex = lexicon()
    if name in ("month", "day_month", "month_rel_year") and not _month_ok(m):
        return None
    if name == "weekday" and (g.get("weekday") or "")[:1].islower():
        return None
    if dct is None and name not in ("iso", "numeric", "year", "decade") and not g.get("year"):
        return Norm(None, anchor=None)

    if name == "iso":
        return Norm(text, anchor=None)
    if name == "numeric":
        from dateutil import parser as du

        try:
            return Norm(fmt(du.parse(text, dayfirst=False).date(), "day"), anchor=None)
        except (ValueError, OverflowError):
            return None
    if name == "month_rel_year":
        assert dct is not None
        off = {"this": 0, "last": -1, "next": 1}.get(g["yrel"].split()[-1].lower())
        if off is None:
            anchor_d, _, anchor_text = _anchor(ctx)
            return Norm(f"{anchor_d.year:04d}-{_month_no(g['month']):02d}", anchor=anchor_text)
        return Norm(f"{dct.year + off:04d}-{_month_no(g['month']):02d}")
    if name in ("month", "day_month"):
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
        value = _month_value(mon, int(g["day"]) if g.get("day") else None, dct, prefer, core, strict=bool(relw))
        return Norm(value) if value else None
    if name == "weekday":
        if g.get("month") and g.get("day"):
            if not _month_ok(m):
                return None
            mon = lex.get("months")[g["month"].lower().rstrip(".")]
            if g.get("year"):
                return Norm(f"{int(g['year']):04d}-{mon:02d}-{int(g['day']):02d}", anchor=None)
        if dct is None:  # a weekday or yearless date cannot be placed without a publication date
            return Norm(None, anchor=None)
        if g.get("month") and g.get("day"):
            return Norm(_month_value(mon, int(g["day"]), dct, ctx.prefer, f"{g['month'].rstrip('.')} {g['day']}"))
        wd = lex.get("weekdays")[g["weekday"].lower().rstrip(".")]
        relw = " ".join((g.get("rel") or "").lower().split())
        if relw.startswith("the "):
            relw = relw[4:]
        if relw in ("previous", "preceding", "following"):
            # "the previous Friday": the one before the date just named (hand-written anchoring)
            base, base_gran, anchor_text = _anchor(ctx)
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
            got_d = _directed(g["weekday"].rstrip("."), dct, "future" if prefer == "future" else "past")
            if got_d is None:
                return None
            d = got_d
        value = fmt(d, "day")
        if g.get("part"):
            return Norm(value + "T" + lex.get("day_parts")[g["part"].lower()], type="TIME")
        return Norm(value)
    if name in ("dayword", "part_rel"):
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
    if name in ("anchored", "anchored_bare"):
        return _anchored(m, ctx)
    if name == "rel_unit":
        return _rel_unit(m, ctx)
    if name == "set":
        if g.get("weekday"):
            return Norm(f"XXXX-WXX-{lex.get('weekdays')[g['weekday'].lower().rstrip('.')]}", type="SET")
        if g.get("month"):
            if not _month_ok(m):
                return None
            return Norm(f"XXXX-{lex.get('months')[g['month'].lower().rstrip('.')]:02d}", type="SET")
        if g.get("season"):
            return Norm(f"XXXX-{lex.get('seasons')[g['season'].lower()]}", type="SET")
        step = 2 if "other" in text.lower() else 1
        return Norm(duration_value(step, g["unit"]), type="SET", anchor=None)
    if name == "set_times":
        return Norm(duration_value(1, g["unit"]), type="SET", anchor=None)
    if name == "set_word":
        return Norm(str(lex.get("set_words")[g["sw"].lower()]), type="SET", anchor=None)
    if name == "quarter":
        return _quarter(m, ctx)
    if name == "year_earlier":
        assert dct is not None
        cur_q = (dct.month - 1) // 3 + 1
        last_q, y = (cur_q - 1, dct.year) if cur_q > 1 else (4, dct.year - 1)
        return Norm(f"{y - 1:04d}-Q{last_q}")
    if name == "century":
        return Norm(f"{int(g['cn']) - 1:02d}", anchor=None)
    if name in ("decade", "decade_short"):
        dec = g.get("dec") if name == "decade" else None
        if dec:
            return Norm(dec[:3], anchor=None)
        assert dct is not None
        d2 = int(g["dec2"])
        century = (dct.year // 100) * 100
        y = century + d2 if century + d2 <= dct.year else century - 100 + d2
        return Norm(str(y)[:3])
    if name == "year":
        if not _year_ok(m, ctx):
            return None
        return Norm(g["year"], anchor=None)
    if name == "season":
        seas = lex.get("seasons")[g["season"].lower()]
        if g.get("year"):
            return Norm(f"{g['year']}-{seas}", anchor=None)
        relw = (g.get("rel") or "").lower()
        if not relw and not g.get("sthe"):
            return None  # a bare season word is too often not a date ("fall" the verb)
        assert dct is not None
        if not relw:  # "the summer": this year's, read backward in the past tense, forward in the future
            cur, idx = _season_index(_season_of(dct)), _season_index(seas)
            y = dct.year
            if idx > cur and ctx.prefer == "past":
                y -= 1  # not begun yet this year: last year's
            elif idx < cur and ctx.prefer == "future":
                y += 1  # already over this year: next year's
            return Norm(f"{y:04d}-{seas}")
        off = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}.get(relw, 0)
        return Norm(f"{dct.year + off:04d}-{seas}")
    if name == "duration":
        return _duration(m, ctx)
    if name == "weekend":
        assert dct is not None
        # Monday to Wednesday papers mean the weekend just past; later in the week, the coming one
        ref = dct - dt.timedelta(days=7) if dct.isoweekday() <= 3 and ctx.prefer != "future" else dct
        return Norm(fmt(ref, "week") + "-WE")
    if name == "whole_year":
        assert dct is not None
        return Norm(f"{dct.year:04d}")
    if name == "month_end":
        assert dct is not None
        return Norm(fmt(dct, "month"))
    if name == "year_end":
        assert dct is not None
        return Norm(f"{dct.year - (1 if ctx.prefer == 'past' and dct.month < 12 else 0):04d}")
    if name == "spelled_year":
        return _spelled_year(g)
    if name == "year_ended":
        return Norm("P1Y", type="DURATION", anchor=None)
    if name == "duration_bare":
        drel = g["drel"].lower()
        if drel == "recent":
            return Norm("PAST_REF")
        return Norm(duration_value("X", g["unit"]), type="DURATION", anchor=None)
    if name == "duration_vague":
        return Norm(duration_value("X", g["unit"]), type="DURATION", anchor=None)
    if name == "time_date":
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
    if name in ("time", "noon"):
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
    if (
        name == "ref"
        and g["ref"].lower() == "soon"
        and re.search(r"\bas\s+$", ctx.text[max(0, m.start() - 4) : m.start()])
    ):
        return None  # "as soon as": a conjunction
    if name == "ref":
        return Norm(str(lex.get("ref_words")[" ".join(g["ref"].lower().split())]))
    if name == "holiday":
        assert dct is not None
        md = str(lex.get("holidays")[" ".join(g["hol"].lower().split())])
        mon, day = (int(x) for x in md.split("-"))
        y = dct.year if (mon, day) <= (dct.month, dct.day) or ctx.prefer == "future" else dct.year - 1
        return Norm(f"{y:04d}-{mon:02d}-{day:02d}")
    return None


def _spelled_year(g: dict[str, Any]) -> Norm | None:
    """Years read out in transcripts: "nineteen ninety-six", "two thousand"."""
    words = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
    tens = ["ten", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
    if g.get("sy"):
        y = 1900 + 10 * (tens.index(g["sy"].lower()) + 1) + (words.index(g["sy1"].lower()) + 1 if g.get("sy1") else 0)
        return Norm(str(y), anchor=None)
    y = 2000 + (words.index(g["sy2"].lower()) + 1 if g.get("sy2") else 0)
    return Norm(str(y), anchor=None)


def _month_value(mon: int, day: int | None, dct: dt.date, prefer: str, core: str, strict: bool = False) -> str | None:
    """A month (and day) without a year: dateparser picks the year in the preferred direction; the
    month of publication itself is this year's."""
    if mon == dct.month and (day is None or day == dct.day):
        return f"{dct.year:04d}-{mon:02d}" + (f"-{day:02d}" if day else "")
    d = _directed(core, dct, prefer, strict=strict)
    if d is None:
        return None
    return fmt(d, "day") if day else fmt(d, "month")


def _directed(core: str, dct: dt.date, prefer: str, strict: bool = False) -> dt.date | None:
    """dateparser's reading of a yearless date, past or future; "nearest" takes the closer.
    ``strict``: the text itself says the direction ("last December"): no override."""
    if strict and prefer in ("past", "future"):
        got = _dateparser(core, dct, prefer)
        return got[0] if got else None
    past = _dateparser(core, dct, "past")
    future = _dateparser(core, dct, "future")
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


def _year_ok(m: re.Match[str], ctx: Ctx) -> bool:
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


def _anchored(m: re.Match[str], ctx: Ctx) -> Norm | None:
    """Dates like "three years ago" (from publication), "two days later", "months before" (from the last
    dated expression). Hand-written: the anchoring to an earlier expression."""
    g = m.groupdict()
    direction = " ".join(g["dir"].lower().split())
    unit = unit_name(g["unit"])
    n = number_value(g.get("num")) if g.get("num") else None
    if direction in ("before", "after") and _follows_noun_phrase(ctx):
        # "two years after the war": the span is the duration; its anchor is an event
        if n is None:
            return None
        dur = g["unit"]
        keep = m.group(0)[: m.start("unit") - m.start() + len(dur)]
        return Norm(duration_value(n, unit), type="DURATION", anchor=None, end_trim=len(m.group(0)) - len(keep))
    if direction in ("ago", "from now", "hence"):
        assert ctx.dct is not None
        base, base_gran, anchor_text = ctx.dct, "day", "publication"
        near = _anchor(ctx) if ctx.prev is not None and ctx.end - ctx.prev.end < 300 else None
        if near is not None and near[1] == "quarter" and unit == "year":
            # "profit rose from $5 million a year ago": the period compared is the quarter just named
            base, base_gran, anchor_text = near
    else:
        base, base_gran, anchor_text = _anchor(ctx)
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
    q = _q(g.get("qual"))
    return Norm(fmt(d, gran), qualifier=q, anchor=anchor_text)


def _rel_unit(m: re.Match[str], ctx: Ctx) -> Norm | None:
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
            off = -1 if _season_index(seas) > _season_index(_season_of(ctx.dct)) else 0
        return Norm(f"{ctx.dct.year + off:04d}-{seas}")
    unit = unit_name(g["unit"])
    if g.get("the") and relw in ("past", "last", "next", "coming", "previous") and unit not in ("decade", "century"):
        return Norm(duration_value(1, unit), type="DURATION", anchor=None)
    if relw in ("same", "the same", "that", "following", "preceding") or (relw == "previous" and g.get("the")):
        base, base_gran, anchor_text = _anchor(ctx)
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


def _season_of(d: dt.date) -> str:
    return {12: "WI", 1: "WI", 2: "WI", 3: "SP", 4: "SP", 5: "SP", 6: "SU", 7: "SU", 8: "SU"}.get(d.month, "FA")


def _season_index(code: str) -> int:
    return ["WI", "SP", "SU", "FA"].index(code)


def _quarter(m: re.Match[str], ctx: Ctx) -> Norm | None:
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


def _duration(m: re.Match[str], ctx: Ctx) -> Norm | None:
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
    q = _q(g.get("qual"))
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


# --------------------------------------------------------------------------- the component


def clause_tense(token: Token) -> str:
    """The tense of the clause governing ``token``: past, future, or nearest (present, modal,
    unknown), read from the verb and its auxiliaries in the dependency parse."""
    node = token
    for _ in range(6):
        if node.pos_ in ("VERB", "AUX") or node.head is node:
            break
        if node.lower_ in OPEN_DATE_WORDS:
            return "nearest"  # "effective Feb. 1", "payable Nov. 10", "until March": not the verb's tense
        node = node.head
    if node.pos_ not in ("VERB", "AUX"):
        return "nearest"
    auxes = [c for c in node.children if c.dep_ in ("aux", "auxpass")]
    if any(a.lower_ in ("will", "shall", "'ll", "wo") for a in auxes):
        return "future"
    if node.lower_ == "going" and any(c.dep_ == "xcomp" for c in node.children):
        return "future"
    if node.tag_ == "VB" and any(a.lower_ == "to" for a in auxes):
        return "future"  # "is expected to close", "plans to meet"
    if node.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes):
        return "past"
    if node.tag_ == "VBN" and any(a.lemma_ == "have" for a in auxes):
        return "past"
    return "nearest"


def _sent_index(analysis: Analysis, offset: int) -> int | None:
    if analysis.graph.sentences:
        return analysis.graph.sentence_of(offset)
    doc = analysis.doc
    for i, sent in enumerate(doc.sents):
        if sent.start_char <= offset < sent.end_char:
            return i
    return None


_LEAD_RX = re.compile(
    r"^(?:(?:in|on|at|since|by|until|till|from|during|for|over|within|through|throughout|of|to|after|before|"
    r"as\s+of|as\s+early\s+as|as\s+late\s+as)\s+)+",
    re.IGNORECASE,
)
_TRAIL_RX = re.compile(r"[\s,.;:!?\"'“”()]+$")
_TIMEWORD_RX: re.Pattern[str] | None = None


def _timeword_rx() -> re.Pattern[str]:
    global _TIMEWORD_RX
    if _TIMEWORD_RX is None:
        raw = lexicon().raw
        words = [*raw["months"], *raw["weekdays"], *raw["day_words"], *raw["seasons"]]
        _TIMEWORD_RX = re.compile(rf"\b(?:{_alt(words)})\b|\b(?:1[6-9]|20)\d\d\b|\d{{1,2}}[:/]\d", re.IGNORECASE)
    return _TIMEWORD_RX


def find_times(
    text: str, doc: Doc | None, published: str | None, *, sent_of: Callable[[int], int | None]
) -> list[TimeExpr]:
    """All time expressions of a text, normalised against ``published`` (YYYY-MM-DD)."""
    dct: dt.date | None = None
    if published:
        try:
            dct = dt.date.fromisoformat(published[:10])
        except ValueError:
            dct = None
    lex = lexicon()
    cands: list[tuple[int, int, str, re.Match[str]]] = []
    for w_start, w_end in _windows(text, lex.trigger):
        for name, rx in lex.patterns:
            for m in rx.finditer(text, w_start, w_end):
                if m.end() > m.start():
                    cands.append((m.start(), m.end(), name, m))
    # longest match wins; ties: the earlier pattern in the list
    order = {name: i for i, (name, _) in enumerate(lex.patterns)}
    cands.sort(key=lambda c: (-(c[1] - c[0]), order[c[2]], c[0]))
    chosen: list[tuple[int, int, str, re.Match[str]]] = []
    taken: list[tuple[int, int]] = []
    for c in cands:
        if any(c[0] < e and s < c[1] for s, e in taken):
            continue
        chosen.append(c)
        taken.append((c[0], c[1]))
    chosen.sort(key=lambda c: c[0])

    # spaCy DATE/TIME entities the patterns did not cover: normalised by dateparser, if it can
    extra: list[tuple[int, int]] = []
    if doc is not None:
        for ent in doc.ents:
            if ent.label_ not in ("DATE", "TIME"):
                continue
            if any(ent.start_char < e and s < ent.end_char for s, e in taken):
                continue
            raw = ent.text
            lead = _LEAD_RX.match(raw)
            s = ent.start_char + (lead.end() if lead else 0)
            body = text[s : ent.end_char]
            trail = _TRAIL_RX.search(body)
            e = ent.end_char - (len(trail.group(0)) if trail else 0)
            if e > s and _timeword_rx().search(text[s:e]):
                extra.append((s, e))

    tense_at: dict[int, str] = {}
    if doc is not None:
        for c_start, c_end, _n, _m in chosen:
            tok = doc.char_span(c_start, c_end, alignment_mode="expand")
            if tok is not None and len(tok):
                tense_at[c_start] = clause_tense(tok.root)

    out: list[TimeExpr] = []
    prev: TimeExpr | None = None
    items: list[tuple[int, int, str | None, re.Match[str] | None]] = [(s, e, n, m) for s, e, n, m in chosen]
    items += [(s, e, None, None) for s, e in extra]
    items.sort(key=lambda x: x[0])
    for start, end, pname, pm in items:
        prefer = tense_at.get(start, "nearest")
        if pname is None or pm is None:
            span = text[start:end]
            if dct is None or span.lower() in set(lex.raw.get("reject_alone", [])):
                continue
            dp = dp_value(span, dct, "future" if prefer == "future" else "past")
            if dp is None:
                continue
            norm = Norm(dp)
        else:
            ctx = Ctx(dct=dct, prefer=prefer, prev=prev, text=text, end=end)
            got = normalise(pname, pm, ctx)
            if got is None:
                continue
            norm = got
            start += norm.start_trim
            end -= norm.end_trim
        span = text[start:end]
        t = TimeExpr(
            text=span,
            start=start,
            end=end,
            value=norm.value,
            qualifier=norm.qualifier,
            type=norm.type,
            anchor=norm.anchor,
            sentence=sent_of(start),
        )
        out.append(t)
        if t.type in ("DATE", "TIME") and parse_value(t.value) and t.qualifier is None:
            prev = t
    return out


@component("times", requires=("graph.sentences",), assigns=("graph.times",))
def times(analysis: Analysis) -> None:
    analysis.graph.times = find_times(
        analysis.article.text if analysis.article.text == analysis.doc.text else analysis.doc.text,
        analysis.doc,
        analysis.article.published,
        sent_of=lambda off: _sent_index(analysis, off),
    )


# --------------------------------------------------------------------------- event dating


def _date_of(t: TimeExpr, published: str | None) -> DateValue | None:
    """The date an event takes from a time expression (None: the expression cannot date it)."""
    if t.type not in ("DATE", "TIME") or not t.value:
        return None
    if t.value == "PRESENT_REF":
        return DateValue(published, None) if published else None
    if t.value == "PAST_REF":
        return DateValue(published, "before") if published else None
    if t.value == "FUTURE_REF":
        return DateValue(published, "after") if published else None
    parsed = parse_value(t.value)
    if not parsed:
        return None
    # an event date is a plain ISO prefix: a week is its month when it lies in one;
    # weeks across two months, quarters and seasons fall back to their year
    value = t.value.split("T")[0]
    if parsed[1] == "week":
        monday = parsed[0]
        sunday = monday + dt.timedelta(days=6)
        value = fmt(monday, "month") if monday.month == sunday.month else f"{monday.year:04d}"
    elif not re.match(r"^\d{4}-\d\d", value):
        value = value[:4]
    return DateValue(value, t.qualifier)


def date_events(analysis: Analysis) -> None:
    graph = analysis.graph
    doc = analysis.doc
    published = analysis.article.published
    usable: list[tuple[TimeExpr, DateValue, Token | None]] = []
    for t in graph.times:
        dv = _date_of(t, published)
        if dv is None:
            continue
        span = doc.char_span(t.start, t.end, alignment_mode="expand")
        usable.append((t, dv, span.root if span is not None and len(span) else None))
    for ev in graph.events:
        trig: Token | None = None
        if ev.trigger_start is not None and ev.trigger_end is not None:
            span = doc.char_span(ev.trigger_start, ev.trigger_end, alignment_mode="expand")
            trig = span.root if span is not None and len(span) else None
        chosen: DateValue | None = None
        if trig is not None:
            # walk up from the trigger: the first node a time expression attaches to governs
            by_head: dict[int, list[tuple[TimeExpr, DateValue]]] = {}
            for t, dv, root in usable:
                if root is None or root.sent.start != trig.sent.start:
                    continue
                head = root.head
                # a time inside a prepositional phrase ("in July") attaches through the preposition
                if head.dep_ == "prep" or head.pos_ == "ADP":
                    head = head.head
                by_head.setdefault(head.i, []).append((t, dv))
            node = trig
            for _ in range(12):
                hits = by_head.get(node.i)
                if hits:
                    hits.sort(key=lambda h: abs(h[0].start - (ev.trigger_start or 0)))
                    chosen = hits[0][1]
                    break
                if node.head is node:
                    break
                node = node.head
        if chosen is None:
            same = [(t, dv) for t, dv, _ in usable if t.sentence == ev.sentence and ev.start <= t.start < ev.end]
            if not same:
                same = [(t, dv) for t, dv, _ in usable if t.sentence == ev.sentence]
            if same:
                pivot = ev.trigger_start if ev.trigger_start is not None else ev.start
                same.sort(key=lambda h: abs(h[0].start - pivot))
                chosen = same[0][1]
        if chosen is None:
            chosen = DateValue(published, "before") if published else DateValue(None, None)
        ev.date = DateValue(chosen.value, chosen.qualifier)


@component("event_dates", requires=("graph.times", "graph.events"), assigns=("event.date",))
def event_dates(analysis: Analysis) -> None:
    date_events(analysis)
