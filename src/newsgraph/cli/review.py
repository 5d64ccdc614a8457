"""`newsgraph review …`: confirm, reject, correct or annotate facts; the audit log; share judgements.

Thin: the rules live in `newsgraph.review`, the rows in the store.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, cast

import typer

from newsgraph.cli.app import DbOption, app, console, db_path, err_console

review_app = typer.Typer(help="Review facts: confirm, reject, correct, annotate; the audit log; export and import.",
                         no_args_is_help=True)  # fmt: skip
app.add_typer(review_app, name="review")

FactArg = Annotated[str, typer.Argument(help="The fact as KIND:ID, e.g. event:V3, quote:Q1, entity:E2.")]
ArticleArg = Annotated[str, typer.Argument(help="An article id (or an unambiguous prefix).")]
NoteOption = Annotated[str | None, typer.Option("--note", "-n", help="Why: kept in the audit log.")]


def _fail(message: str, code: int = 1) -> None:
    err_console.print(message, markup=False, highlight=False)
    raise typer.Exit(code)


def _split_fact(fact: str) -> tuple[str, str]:
    kind, sep, fact_id = fact.partition(":")
    if not sep or not fact_id:
        _fail(f"{fact!r}: give the fact as KIND:ID (e.g. event:V3)", 2)
    return kind, fact_id


def _judge(article: str, fact: str, verdict: str, db: str | None, note: str | None, sets: list[str]) -> None:
    from newsgraph.review import FactKind, ReviewError, Verdict, judge
    from newsgraph.store import open_store

    kind, fact_id = _split_fact(fact)
    corrections: dict[str, str] = {}
    for item in sets:
        name, sep, value = item.partition("=")
        if not sep:
            _fail(f"--set {item!r}: give FIELD=VALUE", 2)
        corrections[name.strip()] = value.strip()
    with open_store(db_path(db)) as store:
        graph = store.get_graph(article)
        if graph is None:
            _fail(f"no article {article!r} in the store (or the prefix is ambiguous)")
        assert graph is not None
        try:
            made = judge(graph, cast(FactKind, kind), fact_id, cast(Verdict, verdict),
                         corrections=corrections, note=note)  # fmt: skip
        except ReviewError as exc:
            _fail(f"{article}: {exc}", 2)
        store.add_judgements([made])
    console.print(f"{made.verdict}: {kind} {fact_id} of {graph.article.id[:12]} by {made.reviewer}", markup=False,
                  highlight=False)  # fmt: skip


@review_app.command()
def confirm(article: ArticleArg, fact: FactArg, db: DbOption = None, note: NoteOption = None) -> None:
    """Mark a fact right."""
    _judge(article, fact, "confirm", db, note, [])


@review_app.command()
def reject(article: ArticleArg, fact: FactArg, db: DbOption = None, note: NoteOption = None) -> None:
    """Mark a fact wrong (it stays stored, marked rejected; filters can hide it)."""
    _judge(article, fact, "reject", db, note, [])


@review_app.command()
def correct(
    article: ArticleArg,
    fact: FactArg,
    sets: Annotated[list[str], typer.Option("--set", help="FIELD=VALUE, e.g. --set speaker=E4 --set type=ACCUSE.")],
    db: DbOption = None,
    note: NoteOption = None,
) -> None:
    """Correct fields of a fact (type, source, target, date, certainty, speaker…); the machine's version is kept."""
    _judge(article, fact, "correct", db, note, sets)


@review_app.command("note")
def add_note(
    article: ArticleArg,
    fact: FactArg,
    text: Annotated[str, typer.Argument(help="The note.")],
    db: DbOption = None,
) -> None:
    """Add a note to a fact without changing its status."""
    _judge(article, fact, "note", db, text, [])


@review_app.command("show")
def show_article(
    article: ArticleArg, db: DbOption = None, as_json: Annotated[bool, typer.Option("--json")] = False
) -> None:
    """Every fact of one article with its review status, and judgements whose fact is gone (orphans)."""
    from newsgraph.review import FACT_KINDS, facts_of, states
    from newsgraph.store import open_store

    with open_store(db_path(db)) as store:
        graph = store.get_graph(article)
        if graph is None:
            _fail(f"no article {article!r} in the store (or the prefix is ambiguous)")
        assert graph is not None
        found, orphans = states(graph, store.judgements(article_id=graph.article.id))
    rows: list[dict[str, Any]] = []
    for kind in FACT_KINDS:
        for fact in facts_of(graph, kind):
            state = found.get((kind, fact.id))
            rows.append({"fact": f"{kind}:{fact.id}", "status": state.status if state else "unreviewed",
                         "reviewer": state.reviewer if state else None,
                         "corrections": state.corrections if state else {},
                         "notes": state.notes if state else []})  # fmt: skip
    if as_json:
        print(json.dumps({"article": graph.article.id, "facts": rows,
                          "orphaned": [o.to_dict() for o in orphans]}, ensure_ascii=False))  # fmt: skip
        return
    for row in rows:
        extra = f" {row['corrections']}" if row["corrections"] else ""
        extra += "".join(f" — {note}" for note in row["notes"])
        console.print(f"{row['fact']:<16} {row['status']:<10} {row['reviewer'] or ''}{extra}", markup=False,
                      highlight=False)  # fmt: skip
    for o in orphans:
        console.print(f"ORPHANED {o.anchor.kind} {o.verdict} by {o.reviewer}: its fact is gone; please look again",
                      markup=False, highlight=False)  # fmt: skip


@review_app.command("log")
def audit_log(
    db: DbOption = None,
    article: Annotated[str | None, typer.Option("--article", help="Only this article (id or prefix).")] = None,
    limit: Annotated[int, typer.Option(help="Newest first, at most this many.")] = 50,
) -> None:
    """The audit log: who judged what, when, before and after, why."""
    from newsgraph.store import open_store

    with open_store(db_path(db)) as store:
        rows = store.judgements(article_id=article)
    for j in sorted(rows, key=lambda j: j.at, reverse=True)[:limit]:
        after = j.corrections or {"confirm": "right", "reject": "wrong", "note": "(note)"}.get(j.verdict, "")
        why = f" — {j.note}" if j.note else ""
        console.print(f"{j.at} {j.reviewer}: {j.verdict} {j.anchor.kind} in {j.anchor.article_id[:12]} "
                      f"[{j.anchor.start}:{j.anchor.end}] before {j.before} after {after}{why}", markup=False,
                      highlight=False, soft_wrap=True)  # fmt: skip


@review_app.command("export")
def export_judgements(out: Annotated[Path, typer.Argument(help="JSONL file to write.")], db: DbOption = None) -> None:
    """Write every judgement as JSONL, for another analyst to import."""
    from newsgraph.review import dumps
    from newsgraph.store import open_store

    with open_store(db_path(db)) as store:
        rows = store.judgements()
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(dumps(rows), encoding="utf-8")
    tmp.replace(out)
    console.print(f"{len(rows)} judgements written to {out}", markup=False, highlight=False)


@review_app.command("import")
def import_judgements(
    src: Annotated[Path, typer.Argument(help="JSONL file of judgements.")], db: DbOption = None
) -> None:
    """Bring in another analyst's judgements; conflicting ones are listed, never overwrite yours (exit 1)."""
    from newsgraph.review import ReviewError, loads, merge_imports
    from newsgraph.store import open_store

    try:
        theirs = loads(src.read_text(encoding="utf-8"), source=str(src))
    except (OSError, UnicodeDecodeError, ReviewError) as exc:
        _fail(f"{src}: {exc}" if not str(exc).startswith(str(src)) else str(exc), 2)
    with open_store(db_path(db)) as store:
        result = merge_imports(store.judgements(), theirs)
        store.add_judgements(result.added)
    console.print(f"{len(result.added)} imported, {result.duplicates} already here, {len(result.conflicts)} conflicts",
                  markup=False, highlight=False)  # fmt: skip
    for ours, other in result.conflicts:
        console.print(f"CONFLICT {ours.anchor.kind} in {ours.anchor.article_id[:12]} [{ours.anchor.start}:"
                      f"{ours.anchor.end}]: yours {ours.verdict} {ours.corrections or ''} ({ours.reviewer}), theirs "
                      f"{other.verdict} {other.corrections or ''} ({other.reviewer})", markup=False, highlight=False,
                      soft_wrap=True)  # fmt: skip
    if result.conflicts:
        raise typer.Exit(1)


def _quality(db: str | None, as_json: bool) -> None:
    """The extractor's precision per kind of fact on the reviewed facts (one implementation, two commands)."""
    from newsgraph.review import precision
    from newsgraph.store import open_store

    with open_store(db_path(db)) as store:
        figures = precision(store.judgements())
    if as_json:
        print(json.dumps(figures))
        return
    if not figures:
        console.print("no reviewed facts yet: `newsgraph review confirm|reject|correct ARTICLE KIND:ID`, or the "
                      "buttons in the web view's evidence panel", markup=False, highlight=False)  # fmt: skip
        return
    console.print("precision = confirmed / reviewed (a corrected or rejected fact counts as wrong)", markup=False,
                  highlight=False)  # fmt: skip
    for kind, row in sorted(figures.items()):
        console.print(f"{kind:<12} reviewed {row['reviewed']:>4}  confirmed {row['confirmed']:>4}  rejected "
                      f"{row['rejected']:>4}  corrected {row['corrected']:>4}  precision {row['precision']:.3f}",
                      markup=False, highlight=False, soft_wrap=True)  # fmt: skip
    total = sum(int(row["reviewed"]) for row in figures.values())
    console.print(
        f"on {total} reviewed facts of this store: a measure of the facts you chose to review, not of "
        "the whole corpus unless you reviewed at random",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )


@review_app.command("quality")
def quality(db: DbOption = None, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """The extractor's precision per kind of fact, measured on the facts reviewed in this store."""
    _quality(db, as_json)


@app.command("eval")
def eval_command(
    reviews: Annotated[bool, typer.Option("--reviews", help="Measure on the facts reviewed in this store.")] = False,
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Measure the extractor on your own corpus: `--reviews` gives its precision per kind of fact on reviewed facts."""
    if not reviews:
        _fail("newsgraph eval measures on your reviews: pass --reviews (the benchmark evaluations are the "
              "scripts under eval/, see eval/README.md)", 2)  # fmt: skip
    _quality(db, as_json)
