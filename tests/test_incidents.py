"""Incidents: one occurrence reported by many articles; independent corroboration; contradictions.

Sentences are written for these tests.
"""

from __future__ import annotations

from newsgraph.incidents import (
    EventReport,
    IncidentIndex,
    contradictions,
    corroboration,
    near_duplicate_groups,
)


def report(key: str, article: str, **kw: object) -> EventReport:
    fields: dict = {"type": "COERCE", "lemma": "arrest", "published": "2024-03-02", "date": "2024-03-01"}
    fields.update(kw)
    return EventReport(key=key, article_id=article, **fields)


def test_two_outlets_reporting_one_arrest_make_one_incident() -> None:
    index = IncidentIndex()
    a = index.add(
        report(
            "a/V1",
            "a",
            source="police:NP",
            target="person:ram thapa",
            sentence="Police in Kathmandu arrested Ram Thapa on Friday for recruiting young men.",
        )
    )
    b = index.add(
        report(
            "b/V3",
            "b",
            source="police:NP",
            target="person:ram thapa",
            date="2024-03-01",
            sentence="Ram Thapa was arrested by Kathmandu police on suspicion of recruiting men.",
        )
    )
    assert a == b
    decision = index.decisions[-1]
    assert decision.merged and "same target actor" in decision.reasons


def test_different_type_or_distant_dates_stay_apart() -> None:
    index = IncidentIndex()
    first = index.add(report("a/V1", "a", target="person:ram thapa", sentence="Police arrested Ram Thapa."))
    other_type = index.add(
        report(
            "b/V1",
            "b",
            type="ACCUSE",
            lemma="accuse",
            target="person:ram thapa",
            sentence="Activists accused Ram Thapa.",
        )
    )
    months_later = index.add(
        report(
            "c/V1",
            "c",
            target="person:ram thapa",
            date="2024-09-20",
            published="2024-09-21",
            sentence="Police arrested Ram Thapa again.",
        )
    )
    assert len({first, other_type, months_later}) == 3


def test_a_different_doer_counts_against_a_merge() -> None:
    index = IncidentIndex()
    first = index.add(
        report("a/V1", "a", source="army:SD", target="town:el fasher", sentence="The army shelled El Fasher on Friday.")
    )
    second = index.add(
        report(
            "b/V1",
            "b",
            lemma="shell",
            type="COERCE",
            source="rsf:SD",
            target="village:tawila",
            sentence="Paramilitaries shelled Tawila, a village to the west.",
        )
    )
    assert first != second


def test_a_new_article_joins_without_reclustering_and_a_split_undoes_it() -> None:
    index = IncidentIndex()
    index.add(report("a/V1", "a", target="person:ram thapa", sentence="Police arrested Ram Thapa."))
    index.add(report("b/V1", "b", type="ACCUSE", lemma="accuse", sentence="Critics accused the council."))
    before = {k: v for k, v in index.of_report.items()}
    joined = index.add(report("c/V2", "c", target="person:ram thapa", sentence="Ram Thapa was arrested."))
    assert {k: index.of_report[k] for k in before} == before  # nothing already placed moved
    assert joined == index.of_report["a/V1"]
    alone = index.split("c/V2")
    assert alone != joined and index.of_report["c/V2"] == alone
    assert [r.key for r in index.incidents[joined].reports] == ["a/V1"]


def test_syndicated_copies_count_once_and_one_speaker_stays_single_source() -> None:
    wire = (
        "The interior ministry said on Monday that 14 men had been detained at the border while trying to "
        "reach a recruitment office, and that a broker who charged each of them a fee was still at large."
    )
    local = (
        "A local paper wrote its own story about the detentions, quoting families of the men who said "
        "they had been promised jobs abroad."
    )
    texts = {"wire": wire, "reprint": "Published with permission. " + wire, "local": local}
    groups = near_duplicate_groups(texts)
    assert groups["reprint"] == groups["wire"] and groups["local"] == "local"
    reprinted = [report(f"{a}/V1", a, asserted_by="ministry:interior", outlet=a) for a in ("wire", "reprint")]
    backing = corroboration(reprinted, groups)
    assert backing.articles == 2 and backing.independent_articles == 1 and backing.single_source
    both = [*reprinted, report("local/V1", "local", asserted_by="group:families", outlet="local")]
    assert not corroboration(both, groups).single_source


def test_contradictions_list_each_side_with_its_reports() -> None:
    reports = [
        report("a/V1", "a", source="army:SD", sentence="The army killed 12 civilians."),
        report("b/V1", "b", source="rsf:SD", sentence="Paramilitaries killed 30 civilians."),
        report("c/V1", "c", source="army:SD", negated=True, sentence="The army denied killing civilians."),
    ]
    found = {d.aspect: d.sides for d in contradictions(reports)}
    assert found["doer"] == {"army:SD": ["a/V1", "c/V1"], "rsf:SD": ["b/V1"]}
    assert found["assertion"] == {"asserted": ["a/V1", "b/V1"], "denied": ["c/V1"]}
    assert set(found["number"]) == {"12", "30"}


def test_two_occurrences_of_one_kind_with_no_shared_participant_stay_apart_in_alike_stories() -> None:
    index = IncidentIndex()
    story = "Executions in the region drew protests from rights groups who oppose the death penalty."
    index.set_article_text("a", story + " Singapore hanged a man convicted of drug trafficking.")
    index.set_article_text("b", story + " Texas executed a prisoner convicted of murder.")
    for n in range(3):  # other stories in the store, so the shared story's words weigh in TF-IDF
        index.set_article_text(f"other{n}", f"Parliament debated the budget for the {n}th time on Tuesday.")
    first = index.add(
        report(
            "a/V1",
            "a",
            type="ASSAULT",
            lemma="execute",
            target="person:van tran",
            sentence="Singapore executed Van Tran at dawn.",
        )
    )
    second = index.add(
        report(
            "b/V1",
            "b",
            type="ASSAULT",
            lemma="execute",
            target="person:kevin boyd",
            sentence="Kevin Boyd was executed in Texas.",
        )
    )
    assert first != second
    assert "no shared participant or wording" in index.decisions[-1].reasons
