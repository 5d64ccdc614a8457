"""Time expressions: detection and TIMEX3 normalisation against the publication date.

Pattern-level cases run without spaCy (``doc=None``: no tense, no NER candidates), so
they are fast; the parse-dependent cases (tense, NER candidates) are in test_times_events.py.
"""

from __future__ import annotations

import pytest

from newsgraph.extract.times import find_times, parse_value
from newsgraph.model import TimeExpr

PUB = "2023-09-05"  # a Tuesday


def times(text: str, published: str | None = PUB) -> list[TimeExpr]:
    return find_times(text, None, published, sent_of=lambda _o: None)


def one(text: str, published: str | None = PUB) -> TimeExpr:
    found = times(text, published)
    assert len(found) == 1, [(t.text, t.value) for t in found]
    return found[0]


@pytest.mark.parametrize(
    ("text", "span", "value", "qualifier", "ttype"),
    [
        ("Sales fell last year.", "last year", "2022", None, "DATE"),
        ("They will vote next month.", "next month", "2023-10", None, "DATE"),
        ("The plant closed three years ago.", "three years ago", "2020", None, "DATE"),
        ("The talks began earlier this month.", "earlier this month", "2023-09", None, "DATE"),
        ("The bill passed in March of last year.", "March of last year", "2022-03", None, "DATE"),
        ("The law took effect in April of this year.", "April of this year", "2023-04", None, "DATE"),
        ("The treaty was signed on Aug. 7, 1998, in Rome.", "Aug. 7, 1998", "1998-08-07", None, "DATE"),
        ("It was founded in 1974 by two brothers.", "1974", "1974", None, "DATE"),
        ("Prices soared in the 1970s.", "the 1970s", "197", None, "DATE"),
        ("The board met yesterday.", "yesterday", "2023-09-04", None, "DATE"),
        ("Output rose in the second quarter.", "the second quarter", "2023-Q2", None, "DATE"),
        ("The strike lasted for three years.", "three years", "P3Y", None, "DURATION"),
        ("The unit met every week.", "every week", "P1W", None, "SET"),
        ("Lessons take place every Monday.", "every Monday", "XXXX-WXX-1", None, "SET"),
        ("It is now clear.", "now", "PRESENT_REF", None, "DATE"),
        ("The visit ended at 5 p.m. on the border.", "5 p.m.", "2023-09-05T17:00", None, "TIME"),
        ("They met this summer in Oslo.", "this summer", "2023-SU", None, "DATE"),
        ("It happened the 2022-11-03 night.", "2022-11-03", "2022-11-03", None, "DATE"),
        ("The group was formed twenty-four years ago.", "twenty-four years ago", "1999", None, "DATE"),
    ],
)
def test_expression_value(text: str, span: str, value: str, qualifier: str | None, ttype: str) -> None:
    t = one(text)
    assert (t.text, t.value, t.qualifier, t.type) == (span, value, qualifier, ttype)
    assert text[t.start : t.end] == t.text


def test_anchored_to_previous_expression_not_publication() -> None:
    text = "The envoys arrived on March 3, 2021. Two days later, the talks collapsed."
    first, second = times(text)
    assert (first.value, second.text, second.value) == ("2021-03-03", "Two days later", "2021-03-05")
    assert second.anchor == first.text


def test_vague_interval_before_an_earlier_expression_is_qualified() -> None:
    text = "The summit took place in May 2019. Delegations had visited weeks before, as part of a tour."
    _first, second = times(text)
    assert (second.text, second.value, second.qualifier) == ("weeks before", "2019-05", "before")


def test_interval_before_a_noun_phrase_is_a_duration() -> None:
    t = one("Riots broke out two years after the election.")
    assert (t.text, t.type, t.value) == ("two years", "DURATION", "P2Y")


@pytest.mark.parametrize(
    "text",
    [
        "Prices may rise again.",  # the modal
        "Protesters march on the capital.",  # the verb
        "She finished second in the race.",  # an ordinal
        "The company hired 2000 workers.",  # a count, not a year
        "He was 52 years old at the time.",  # an age
    ],
)
def test_plain_words_are_not_times(text: str) -> None:
    assert [(t.text, t.value) for t in times(text)] == []


def test_capitalised_month_is_a_month() -> None:
    t = one("The accord was signed in May and ratified soon after.".replace(" soon after", ""))
    assert (t.text, t.value) == ("May", "2023-05")


def test_unqualified_past_month_is_the_most_recent_not_after_publication() -> None:
    # without a parse the direction is "nearest"; November is nearer in the past than ahead
    t = one("The agreement of November changed little.", published="2024-01-10")
    assert t.value == "2023-11"


def test_no_publication_date_keeps_absolute_values_only() -> None:
    found = times("The war ended in 1945 and trade resumed last year.", published=None)
    by_text = {t.text: t.value for t in found}
    assert by_text["1945"] == "1945"
    assert by_text.get("last year") is None


def test_parse_value_granularity() -> None:
    assert parse_value("2023-07")[1] == "month"  # type: ignore[index]
    assert parse_value("2023-Q3")[1] == "quarter"  # type: ignore[index]
    assert parse_value("P3Y") is None


def test_previous_weekday_is_counted_from_the_date_just_named() -> None:
    text = "The deal closed on March 10, 2023. Talks had begun the previous Friday."
    _first, second = times(text)
    assert (second.text, second.value, second.anchor) == ("the previous Friday", "2023-03-03", "March 10, 2023")


def test_explicit_last_month_name_is_never_read_forward() -> None:
    # the next December is close, but "last" says which one
    assert one("Prices peaked last December.", published="2023-11-20").value == "2022-12"


def test_a_season_with_the_is_this_years_without_tense() -> None:
    assert one("Elections are expected in the fall.", published="2005-03-15").value == "2005-FA"


def test_event_date_of_a_week_is_its_month() -> None:
    from newsgraph.extract.times import date_of

    week = one("Talks collapsed last week.")  # 2023-W35: Aug 28 to Sep 3
    assert week.value == "2023-W35"
    assert date_of(week, PUB) is not None and date_of(week, PUB).value == "2023"  # type: ignore[union-attr]
    inside = one("Talks collapsed last week.", published="2023-09-20")  # 2023-W37: Sep 11 to 17
    assert date_of(inside, "2023-09-20").value == "2023-09"  # type: ignore[union-attr]
