"""`newsgraph entity …`: canonical entities across articles — list, show, merge, split, resolve, log."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from newsgraph.cli.app import DbOption, app, console, db_path, err_console

entity_app = typer.Typer(
    name="entity",
    help="Canonical entities across articles: list, show, merge and split by hand, see the merge log.",
    no_args_is_help=True,
)
app.add_typer(entity_app, name="entity")


def entity_type(text: str | None) -> str | None:
    """An entity type in any case (``country`` is Country); exits 2 naming the known types otherwise."""
    from newsgraph.model import ENTITY_TYPES

    if not text:
        return None
    for t in ENTITY_TYPES:
        if t.lower() == text.strip().lower():
            return t
    err_console.print(f"unknown type {text!r}: one of {', '.join(ENTITY_TYPES)} (any case)")
    raise typer.Exit(2)


def list_entities(db: str | None, *, type_: str | None, name: str | None, limit: int, as_json: bool) -> None:
    """`newsgraph entities` and `newsgraph entity list`: one listing, one set of options."""
    from newsgraph.store import open_store

    wanted = entity_type(type_)
    with open_store(db_path(db)) as store:
        rows, _total = store.most_reported(name=name, type_=wanted, limit=limit)
    if as_json:
        print(json.dumps(rows, ensure_ascii=False))
        return
    t = Table(title="entities" + (f" ({wanted})" if wanted else ""))
    for col in ("id", "name", "type", "articles"):
        t.add_column(col)
    for r in rows:
        t.add_row(r["id"] or "", r["name"], r["type"], str(r["articles"]))
    console.print(t)


@entity_app.command("list")
def list_(
    db: DbOption = None,
    type: Annotated[str | None, typer.Option("--type", help="Person, Organization, Country, Place, Group.")] = None,
    name: Annotated[str | None, typer.Option(help="Only names containing this text.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 30,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Entities across articles, most widely reported first (the same as `newsgraph entities`)."""
    list_entities(db, type_=type, name=name, limit=limit, as_json=as_json)


@entity_app.command()
def show(
    canonical_id: Annotated[str, typer.Argument(help="A canonical entity id (C…) or an exact name.")],
    db: DbOption = None,
    format: Annotated[str, typer.Option("--format", "-f", help="pretty or json.")] = "pretty",
) -> None:
    """One canonical entity: aliases, the articles it appears in, its merge log."""
    from newsgraph.store import open_store

    with open_store(db_path(db)) as store:
        info = store.get_canonical(canonical_id)
        if info is None:  # a name instead of an id: show it when exactly one entity has that name
            same = [r for r in store.list_canonical(name=canonical_id, limit=50)
                    if r["name"].lower() == canonical_id.lower()]  # fmt: skip
            if len(same) == 1:
                info = store.get_canonical(same[0]["id"])
    if info is None:
        err_console.print(f"no canonical entity {canonical_id!r} (give an id from `newsgraph entity list`)")
        raise typer.Exit(1)
    if format == "json":
        print(json.dumps(info, ensure_ascii=False))
        return
    console.print(f"[bold]{info['name']}[/bold] ({info['type']}) {info['id']}", highlight=False)
    console.print(f"key: {info['key']}", highlight=False, markup=False)
    console.print("aliases: " + (", ".join(info["aliases"]) or "—"), highlight=False, markup=False)
    t = Table(title=f"articles ({len(info['articles'])})")
    for col in ("article", "published", "title", "entities"):
        t.add_column(col, overflow="fold")
    for a in info["articles"]:
        t.add_row(a["id"], a["published"] or "", a["title"] or "", ", ".join(a["entities"]))
    console.print(t)
    if info["merge_log"]:
        _print_log(info["merge_log"])


def _print_log(rows: list[dict[str, object]]) -> None:
    t = Table(title="merge log")
    for col in ("seq", "at", "action", "canonical", "other", "article:entity", "reason"):
        t.add_column(col, overflow="fold")
    for r in rows:
        where = f"{r['article_id']}:{r['entity_id']}" if r.get("article_id") else ""
        t.add_row(str(r["seq"]), str(r["at"]), str(r["action"]), str(r["canonical_id"]), str(r["other_id"] or ""),
                  where, str(r["reason"]))  # fmt: skip
    console.print(t)


@entity_app.command()
def merge(
    keep: Annotated[str, typer.Argument(help="The canonical entity to keep.")],
    others: Annotated[list[str], typer.Argument(help="Canonical entities to fold into KEEP.")],
    db: DbOption = None,
    reason: Annotated[str, typer.Option(help="Why (kept in the merge log).")] = "manual merge",
) -> None:
    """Merge canonical entities: every article entity of OTHERS becomes KEEP."""
    from newsgraph.store import open_store

    with open_store(db_path(db)) as store:
        for other in others:
            try:
                kept = store.merge(keep, other, reason=reason)
            except KeyError as exc:
                err_console.print(str(exc.args[0]))
                raise typer.Exit(1) from None
            console.print(f"merged {other} into {kept}", highlight=False)


@entity_app.command()
def split(
    canonical_id: Annotated[str, typer.Argument(help="The canonical entity to split.")],
    members: Annotated[list[str], typer.Argument(help="ARTICLE:ENTITY pairs to move out (article id or prefix).")],
    db: DbOption = None,
    name: Annotated[str | None, typer.Option(help="Name of the new canonical entity.")] = None,
    reason: Annotated[str, typer.Option(help="Why (kept in the merge log).")] = "manual split",
) -> None:
    """Split article entities off a canonical entity into a new one (kept across re-extraction)."""
    from newsgraph.store import open_store

    with open_store(db_path(db)) as store:
        info = store.get_canonical(canonical_id)
        if info is None:
            err_console.print(f"no canonical entity {canonical_id!r}")
            raise typer.Exit(1)
        pairs = []
        for m in members:
            aid, _, eid = m.rpartition(":")
            hits = [a["id"] for a in info["articles"] if a["id"].startswith(aid) and eid in a["entities"]]
            if not aid or len(hits) != 1:
                err_console.print(f"{m!r} names no single article entity of {info['id']} (use ARTICLE:ENTITY)")
                raise typer.Exit(2)
            pairs.append((hits[0], eid))
        new_id = store.split(info["id"], pairs, name=name, reason=reason)
    console.print(f"split {len(pairs)} article entit{'y' if len(pairs) == 1 else 'ies'} into {new_id}")


@entity_app.command()
def resolve(db: DbOption = None) -> None:
    """Link every stored article entity not yet linked (ingest does this by itself)."""
    from newsgraph.store import open_store

    with open_store(db_path(db)) as store:
        n = store.resolve_all()
    console.print(f"linked {n} article entities")


@entity_app.command()
def log(
    db: DbOption = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 50,
) -> None:
    """The merge log: automatic links beyond an exact key, merges and splits, newest first."""
    from newsgraph.store import open_store

    with open_store(db_path(db)) as store:
        rows = store.merge_log(limit=limit)
    _print_log(rows)
