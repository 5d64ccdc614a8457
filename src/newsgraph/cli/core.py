"""Foundation commands: ingest, extract, entities, show, search, demo."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from newsgraph.cli.app import DbOption, app, console, db_path, err_console
from newsgraph.read import ReadError

if TYPE_CHECKING:
    from newsgraph.store import Store

SAMPLE_CORPUS = Path(__file__).resolve().parent.parent / "data" / "sample"

ProcessesOption = Annotated[
    int | None, typer.Option("--processes", "-j", min=1, help="Extraction processes (default: all cores).")
]


def cores() -> int:
    from newsgraph.nlp import cores as available

    return available()


def _count_inputs(paths: list[Path]) -> int | None:
    """Articles to expect, for the progress bar: cheap line counts for JSONL, one per other file."""
    from newsgraph.read import iter_files

    total = 0
    for path in paths:
        if not path.exists():
            continue
        for f in iter_files(path):
            if f.suffix.lower() in (".jsonl", ".ndjson"):
                with f.open("rb") as fh:
                    total += sum(1 for line in fh if line.strip())
            else:
                total += 1
    return total or None


def run_ingest(
    paths: list[Path],
    db: str | None,
    *,
    date: str | None,
    batch_size: int,
    n_process: int,
    replace: bool,
    engine: str = "local",
    scheduler: str | None = None,
    workers: int | None = None,
    work_dir: Path | None = None,
) -> int:
    from newsgraph.ingest import ingest
    from newsgraph.store import open_store

    store = open_store(db_path(db))
    failures: list[ReadError] = []
    with Progress(
        TextColumn("[bold]ingest"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=False,
    ) as progress:
        task = progress.add_task("ingest", total=_count_inputs(paths))

        def advance(n: int = 1) -> None:
            # The count is an estimate (a feed file counts as one): never show 33/30.
            progress.advance(task, n)
            done = progress.tasks[0]
            if done.total is not None and done.completed > done.total:
                progress.update(task, total=done.completed)

        def on_error(err: ReadError) -> None:
            failures.append(err)
            # One line per failed input, whatever its name or reason holds (no markup, no wrapping).
            progress.console.print(
                f"[red]error[/red] {escape(err.source)}: {escape(err.reason)}",
                markup=True,
                highlight=False,
                soft_wrap=True,
            )
            advance()

        try:
            if engine == "dask":
                from newsgraph.scale import VersionMismatch, WorkerLost, ingest_dask

                try:
                    report = ingest_dask(
                        paths,
                        store,
                        scheduler=scheduler,
                        n_workers=workers,
                        work_dir=work_dir,
                        partition_size=batch_size,
                        date=date,
                        replace=replace,
                        on_progress=advance,
                        on_error=on_error,
                    )
                # a worker that differs; a scheduler out of reach; a partition whose workers all died
                except (VersionMismatch, OSError, WorkerLost) as exc:
                    progress.stop()
                    err_console.print(f"error: {exc}", markup=False, highlight=False, soft_wrap=True)
                    store.close()
                    return 1
            else:
                report = ingest(
                    paths,
                    store,
                    date=date,
                    batch_size=batch_size,
                    n_process=n_process,
                    replace=replace,
                    on_progress=advance,
                    on_error=on_error,
                )
        except KeyboardInterrupt:
            progress.stop()
            store.close()
            err_console.print("interrupted: what was stored is kept; run the same command again to resume")
            return 130
    from newsgraph.corroboration import update_incidents

    placed = update_incidents(store)  # new events join incidents across articles (incrementally)
    table = Table(title="ingest summary", show_header=False)
    table.add_row("articles read", str(report.read))
    table.add_row("stored", str(report.stored))
    table.add_row("skipped (already stored)", str(report.skipped))
    table.add_row("stored, not analysed (language)", str(report.not_analysed))
    table.add_row("failed", str(len(report.failed)))
    table.add_row("events placed in incidents", f"{placed['placed']} ({placed['joined']} joined one)")
    if engine == "local":
        table.add_row("extraction processes", str(n_process))
    table.add_row("store", str(db_path(db)))
    console.print(table)
    store.close()
    return 0 if report.ok else 1


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or directories (.txt, .jsonl, .csv, .html, RSS/Atom).")],
    db: DbOption = None,
    date: Annotated[str | None, typer.Option(help="Publication date YYYY-MM-DD for files that carry none.")] = None,
    batch_size: Annotated[int, typer.Option(min=1, max=10_000)] = 64,
    processes: ProcessesOption = None,
    replace: Annotated[bool, typer.Option(help="Re-extract articles already stored.")] = False,
    engine: Annotated[
        str, typer.Option(help="local (this process, -j spaCy processes) or dask (Dask workers; see docs/scaling.md).")
    ] = "local",
    scheduler: Annotated[
        str | None, typer.Option(help="Dask scheduler address (tcp://host:8786); default: a LocalCluster.")
    ] = None,
    workers: Annotated[int | None, typer.Option(min=1, help="LocalCluster workers (default: cores).")] = None,
    work_dir: Annotated[
        Path | None, typer.Option(help="Where Dask writes Parquet partitions (default: next to the store).")
    ] = None,
) -> None:
    """Read, extract and store articles. Exit code 1 when some inputs failed (the rest are stored)."""
    if engine not in ("local", "dask"):
        err_console.print(f"unknown engine {engine!r}: use local or dask")
        raise typer.Exit(2)
    code = run_ingest(paths, db, date=date, batch_size=batch_size, n_process=processes or cores(), replace=replace,
                      engine=engine, scheduler=scheduler, workers=workers, work_dir=work_dir)  # fmt: skip
    raise typer.Exit(code)


@app.command()
def extract(
    file: Annotated[Path, typer.Argument(help="One input file (any readable format).")],
    format: Annotated[str, typer.Option("--format", "-f", help="jsonl (the interchange format) or pretty.")] = "jsonl",
    date: Annotated[str | None, typer.Option(help="Publication date YYYY-MM-DD for files that carry none.")] = None,
    processes: ProcessesOption = None,
) -> None:
    """Extract the article graph of FILE and print it (nothing is stored)."""
    from newsgraph.extract.pipeline import extract_articles
    from newsgraph.model import Article
    from newsgraph.read import read_paths

    if format not in ("jsonl", "pretty"):
        err_console.print(f"unknown format {format!r}: use jsonl or pretty")
        raise typer.Exit(2)
    failed = False

    def report(source: str, reason: str) -> None:
        nonlocal failed
        err_console.print(f"error {source}: {reason}", highlight=False, markup=False, soft_wrap=True)
        failed = True

    def readable() -> Iterator[Article]:
        for item in read_paths([file], date=date):
            if isinstance(item, ReadError):
                report(item.source, item.reason)
            else:
                yield item

    def broken(article: Article, reason: str) -> None:
        report(article.source_path or article.id, reason)

    # Streamed: graphs are printed while the workers extract the next articles.
    for graph in extract_articles(readable(), batch_size=64, n_process=processes or cores(), on_error=broken):
        if format == "jsonl":
            print(json.dumps(graph.to_dict(), ensure_ascii=False))
        else:
            _print_graph(graph)
    raise typer.Exit(1 if failed else 0)


def _print_graph(graph: object) -> None:
    from newsgraph.model import ArticleGraph

    assert isinstance(graph, ArticleGraph)
    art = graph.article
    console.rule(f"[bold]{art.title or art.id}", characters="─")
    console.print(
        f"id {art.id} · published {art.published} · language {art.language}"
        + ("" if art.language_supported else " (not analysed)")
        + (f" · source id {art.source_id}" if art.source_id else "")
        + (f" · url {art.url}" if art.url else ""),
        highlight=False,
        markup=False,
    )
    names = {e.id: e.name for e in graph.entities}
    t = Table(title=f"entities ({len(graph.entities)})")
    for col in ("id", "name", "type", "aliases", "mentions"):
        t.add_column(col)
    for e in graph.entities:
        t.add_row(e.id, e.name, e.type, ", ".join(e.aliases), str(len(e.mentions)))
    console.print(t)
    if graph.events:
        t = Table(title=f"events ({len(graph.events)})")
        for col in ("type", "source", "trigger", "target", "date", "said by", "certainty"):
            t.add_column(col)
        for v in graph.events:
            date = f"{v.date.qualifier + ' ' if v.date and v.date.qualifier else ''}{v.date.value if v.date else ''}"
            t.add_row(
                v.type,
                names.get(v.source or "", ""),
                v.trigger,
                names.get(v.target or "", ""),
                date,
                names.get(v.asserted_by or "", ""),
                v.certainty + (" (negated)" if v.negated else ""),
            )
        console.print(t)
    if graph.relations:
        t = Table(title=f"relations ({len(graph.relations)})")
        for col in ("source", "relation", "target", "said by", "certainty"):
            t.add_column(col)
        for r in graph.relations:
            t.add_row(
                names.get(r.source, r.source),
                r.type,
                names.get(r.target, r.target),
                names.get(r.asserted_by or "", ""),
                r.certainty,
            )
        console.print(t)
    if graph.quotes:
        t = Table(title=f"quotes ({len(graph.quotes)})")
        for col in ("speaker", "channel", "quote"):
            t.add_column(col)
        for q in graph.quotes:
            t.add_row(names.get(q.speaker or "", "?"), q.channel or "", q.text)
        console.print(t)
    if graph.times:
        t = Table(title=f"times ({len(graph.times)})")
        for col in ("text", "value", "qualifier"):
            t.add_column(col)
        for x in graph.times:
            t.add_row(x.text, x.value or "", x.qualifier or "")
        console.print(t)


@app.command()
def entities(
    db: DbOption = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 30,
    type: Annotated[str | None, typer.Option("--type", help="Person, Organization, Country, Place, Group.")] = None,
    name: Annotated[str | None, typer.Option(help="Only names containing this text.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Entities across articles, most widely reported first (the same as `newsgraph entity list`)."""
    from newsgraph.cli.entity import list_entities

    list_entities(db, type_=type, name=name, limit=limit, as_json=as_json)


def top_entities(store: Store, *, limit: int, type_: str | None = None) -> list[dict[str, Any]]:
    """The most reported actors: canonical entities once resolution has run, per name and type before."""
    return store.most_reported(type_=type_, limit=limit)[0]


@app.command()
def show(
    article_id: Annotated[
        str, typer.Argument(help="An article id (or an unambiguous prefix), or the article's id in its input or URL.")
    ],
    db: DbOption = None,
    format: Annotated[str, typer.Option("--format", "-f", help="pretty or jsonl.")] = "pretty",
) -> None:
    """Show one stored article graph."""
    from newsgraph.query import QueryService
    from newsgraph.store import open_store

    with open_store(db_path(db)) as store:
        graph = store.get_graph(article_id)
        candidates = QueryService(store).articles_by_prefix(article_id, limit=20) if graph is None else []
        shared = store.articles_by_source(article_id) if graph is None and not candidates else []
    if len(shared) > 1:  # several articles came with this input id or URL (two feeds, one id)
        err_console.print(f"{len(shared)}{'+' if len(shared) == 20 else ''} articles have the source id or URL "
                          f"{article_id!r}; give an article id:", markup=False, highlight=False)  # fmt: skip
    elif graph is None and len(candidates) > 1:
        err_console.print(f"{article_id!r} starts {len(candidates)}{'+' if len(candidates) == 20 else ''} article ids; "
                          "give more of one:", markup=False, highlight=False)  # fmt: skip
    if graph is None and (len(shared) > 1 or len(candidates) > 1):
        for c in shared if len(shared) > 1 else candidates:
            err_console.print(f"  {c['id']}  {c['published'] or 'undated'}  {c['title'] or ''}", markup=False,
                              highlight=False, soft_wrap=True)  # fmt: skip
        raise typer.Exit(2)
    if graph is None:
        err_console.print(f"no article {article_id!r} in the store", markup=False, highlight=False)
        raise typer.Exit(1)
    if format == "jsonl":
        print(json.dumps(graph.to_dict(), ensure_ascii=False))
    else:
        _print_graph(graph)


@app.command()
def search(
    text: Annotated[str, typer.Argument(help='Words (stemmed), prefix*, "a phrase", OR, NOT or -word.')],
    db: DbOption = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 20,
    date_from: Annotated[str | None, typer.Option("--from", help="From date: YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="To date (a prefix includes the whole period).")] = None,
    language: Annotated[str | None, typer.Option(help="Article language, e.g. en.")] = None,
    source: Annotated[str | None, typer.Option(help="Part of the outlet's URL or the title.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (with the matched spans).")] = False,
) -> None:
    """Full-text search over stored sentences, the matching words highlighted."""
    from rich.text import Text

    from newsgraph.cli.query import query_service
    from newsgraph.query import BadQuery, search_filter

    try:
        flt = search_filter(date_from=date_from, date_to=date_to, language=language, source=source)
    except BadQuery as exc:
        err_console.print(str(exc), markup=False, highlight=False)
        raise typer.Exit(2) from None
    with query_service(db) as qs:
        rows = qs.search_sentences(text, limit=limit, flt=flt).items
    if as_json:
        print(json.dumps(rows, ensure_ascii=False))
        return
    t = Table(title=f"sentences matching {text!r}")
    for col in ("article", "published", "sentence"):
        t.add_column(col, overflow="fold")
    for r in rows:
        sentence = Text(r["text"])
        for a, b in r.get("highlights", []):
            sentence.stylize("bold reverse", a, b)
        t.add_row(r["article_id"][:12], r["published"] or "", sentence)
    console.print(t)
    if not rows:
        err_console.print("no match")


@app.command()
def demo(
    db: DbOption = None,
    serve: Annotated[bool, typer.Option(help="Start the web view on the ingested corpus afterwards.")] = False,
    host: str = "127.0.0.1",
    port: int = 8765,
) -> None:
    """Ingest the bundled sample corpus and show what was found."""
    code = run_ingest([SAMPLE_CORPUS], db, date=None, batch_size=32, n_process=cores(), replace=False)
    from newsgraph.store import open_store

    with open_store(db_path(db)) as store:
        stats = store.stats()
        top = top_entities(store, limit=15)
    t = Table(title="store")
    t.add_column("table")
    t.add_column("rows", justify="right")
    for name, n in stats.items():
        t.add_row(name, str(n))
    console.print(t)
    t = Table(title="most reported entities")
    for col in ("name", "type", "articles"):
        t.add_column(col)
    for r in top:
        t.add_row(r["name"], r["type"], str(r["articles"]))
    console.print(t)
    if serve:
        from newsgraph.cli import web

        web.serve_store(db_path(db), host=host, port=port)
    raise typer.Exit(code)
