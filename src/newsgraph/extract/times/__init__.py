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

Modules: `patterns` (the lexicon compiled into named patterns), `values` (ISO values, durations,
dateparser), `anchoring` (the context of a match and shared helpers), `normalise` (one
normaliser per pattern name, in a table), `relative` (anchored and relative expressions), `find`
(the ``times`` component), `event_dates` (the ``event_dates`` component).
"""

from newsgraph.extract.times.event_dates import date_events, date_of, event_dates
from newsgraph.extract.times.find import clause_tense, find_times, times
from newsgraph.extract.times.normalise import NORMALISERS, normalise
from newsgraph.extract.times.values import dp_value, fmt, parse_value

__all__ = [
    "NORMALISERS",
    "clause_tense",
    "date_events",
    "date_of",
    "dp_value",
    "event_dates",
    "find_times",
    "fmt",
    "normalise",
    "parse_value",
    "times",
]
