"""The time lexicon (``data/time/lexicon.yaml``) compiled into named candidate patterns, and the
cheap scan that finds where in a text they are worth running."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from newsgraph import datafiles

QUAL_WORDS = {
    "about": "about", "around": "about", "approximately": "about", "roughly": "about", "nearly": "about",
    "almost": "about", "some": "about", "more than": "after", "at least": "after",
    "less than": "before", "up to": "before",
}  # fmt: skip


@dataclass(frozen=True)
class TimeLexicon:
    raw: dict[str, Any]
    patterns: tuple[tuple[str, re.Pattern[str]], ...]
    trigger: frozenset[str]  # the words every pattern needs: patterns run only near them

    def get(self, key: str) -> dict[str, Any]:
        value = self.raw.get(key) or {}
        return value if isinstance(value, dict) else {}


def alt(words: Any) -> str:
    """A regex alternation of words, longest first, with flexible inner whitespace."""
    items = sorted({str(w) for w in words}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in items)


def _names(names: Any, dot: str = "?") -> str:
    """Full names, or abbreviations with a dot (``dot="?"``: optional) — "Sept." but not "Monday."."""
    full = [n for n in names if len(n) > 4 or n in ("may", "june", "july", "monday", "friday", "sunday")]
    short = [n for n in names if n not in full]
    return rf"(?:(?:{alt(full)})\b|(?:{alt(short)})\b\.{dot})"


def _number_words(raw: dict[str, Any]) -> str:
    """Number words, including compounds such as "twenty-four"."""
    nums = raw["numbers"]
    tens = [w for w, v in nums.items() if isinstance(v, int) and 20 <= v <= 90]
    ones = [w for w, v in nums.items() if isinstance(v, int) and 1 <= v <= 9 and w not in ("a", "an")]
    return rf"(?:{alt(tens)})[\s-](?:{alt(ones)})|{alt(nums)}"


@lru_cache(maxsize=1)
def lexicon() -> TimeLexicon:
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
    season = rf"(?P<season>{alt(raw['seasons'])})"
    part = rf"(?P<part>{alt(raw['day_parts'])})"
    edge = (
        r"(?:(?P<edge>early|mid|late|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|the\s+middle\s+of)"
        r"[\s-]+)?"
    )
    qual = rf"(?:(?P<qual>{alt(QUAL_WORDS)})\s+)?"
    rel = rf"(?P<rel>{alt(raw['relative_mods'])}|this\s+past|this\s+coming|the\s+same|that)"
    year = r"(?P<year>(?:1[6-9]|20)\d\d)"
    direction = r"(?P<dir>ago|earlier|later|before|after|previously|from\s+now|hence)"
    specs: list[tuple[str, str]] = [
        ("iso", r"(?<![\d-])\b\d{4}-\d{2}-\d{2}\b(?!-\d)"),  # not inside a phone number (0800-77-90-15)
        ("numeric", r"\b\d{1,2}/\d{1,2}/\d{2,4}\b"),
        ("month_rel_year",
         rf"\b{edge}{month}\s+(?:of\s+)?(?P<yrel>this|last|next|that|the\s+same|the\s+following)\s+year\b"),
        ("day_month", rf"\b(?:the\s+)?(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{month}(?:,?\s+{year})?\b"),
        ("month", rf"\b{edge}(?:{rel}\s+)?{month}(?:\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b)?(?:,?\s+{year})?(?!\w)"),
        ("weekday", rf"\b(?:(?:the\s+)?{rel}\s+)?{weekday}(?:\s+{part})?"
                    rf"(?:,?\s+{month}\s+(?P<day>\d{{1,2}})(?:,?\s+{year})?)?(?!\w)"),
        ("dayword", rf"\b(?:the\s+day\s+(?:before|after)\s+)?(?P<dw>{alt(raw['day_words'])})(?:\s+{part})?\b"),
        ("part_rel", rf"\b(?P<dw>this|last|tomorrow|yesterday)\s+{part}\b"),
        ("anchored", rf"\b{qual}{num}[\s-]+{unit}\s+{direction}(?!\w)"),
        ("anchored_bare", rf"\b{pl_unit}\s+{direction}(?!\w)"),
        ("rel_unit", rf"\b(?:(?P<pre>early|late|mid|earlier|later|the\s+end\s+of)[\s-]+)?"
                     rf"(?P<the>the\s+)?{rel}\s+(?:fiscal\s+)?(?:{sg_unit}|{season})\b(?!-)"),
        ("set", rf"\b(?:every|each|per)\s+(?:other\s+)?(?:{sg_unit}|{weekday}|{month}|{season})(?!\w)"
                r"(?<!second)(?<!minute)"),
        ("set_times", rf"\b(?:once|twice|{num}\s+times)\s+(?:a|an|per|each)\s+{sg_unit}\b"),
        ("set_word", rf"\b(?P<sw>{alt(raw['set_words'])})\b"),
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
                      rf"{alt(raw['day_words'])})"),
        ("ref", rf"\b(?P<ref>{alt(k for k, v in raw['ref_words'].items() if v)})\b"),
        ("holiday", rf"\b(?P<hol>{alt(raw.get('holidays') or {})})\b"),
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
    return TimeLexicon(raw=raw, patterns=patterns, trigger=trigger)


WINDOW_BEFORE, WINDOW_AFTER = 64, 48


_WORD_RX = re.compile(r"[A-Za-z]+(?:'s)?|\d+")
_AMPM_RX = re.compile(r"\s*[ap]\.?m\b", re.IGNORECASE)


def is_trigger(text: str, m: re.Match[str], words: frozenset[str]) -> bool:
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


def candidate_windows(text: str, trigger: frozenset[str]) -> list[tuple[int, int]]:
    """Stretches of text around time words, merged, cut at whitespace: the only places the
    patterns are run (most of an article has no time word, and the patterns are costly).
    A word scan with a set lookup: much faster than one big alternation regex."""
    out: list[tuple[int, int]] = []
    n = len(text)
    for m in _WORD_RX.finditer(text):
        if not is_trigger(text, m, trigger):
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
