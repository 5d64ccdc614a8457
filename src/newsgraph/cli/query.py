"""The investigator's questions as commands: profile, claims, timeline, graph (#16).

Each takes an actor by name, any alias, or actor key (``c:…``/``n:Type:name``), the same filters as
the web view (``--from``/``--to`` dates, ``--type``, ``--certainty``, ``--said-by``) and ``--json``
for the query layer's answer as it is. A thin layer over `newsgraph.query.QueryService`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from newsgraph.cli.app import DbOption, app, console, db_path, err_console

if TYPE_CHECKING:
    from newsgraph.query import FactFilter, QueryService

JsonOption = Annotated[bool, typer.Option("--json", help="Print the answer as JSON (the API's shape).")]
DateFrom = Annotated[str | None, typer.Option("--from", help="From date: YYYY, YYYY-MM or YYYY-MM-DD.")]
DateTo = Annotated[str | None, typer.Option("--to", help="To date (a prefix includes the whole period).")]
TypeOpt = Annotated[
    list[str] | None, typer.Option("--type", "-t", help="Event or relation type (repeat or comma-separate).")
]
CertaintyOpt = Annotated[
    list[str] | None, typer.Option("--certainty", "-c", help="asserted, alleged, denied, hypothetical.")
]
SaidBy = Annotated[
    str | None, typer.Option("--said-by", help="Who says so: an actor (name, alias or key), or 'article'.")
]
ConfirmedOnly = Annotated[
    bool, typer.Option("--confirmed-only", help="Only facts a reviewer confirmed or corrected (#18).")
]
HideRejected = Annotated[bool, typer.Option("--hide-rejected", help="Leave out facts a reviewer rejected.")]
REVIEW_MARK = {"confirmed": "✓ confirmed", "rejected": "✗ rejected", "corrected": "✎ corrected"}


def say(text: str) -> None:
    console.print(text, markup=False, highlight=False, soft_wrap=True)


def print_json(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=1))


@contextmanager
def query_service(db: str | None) -> Iterator[QueryService]:
    """The query layer over the chosen store; says which store it opened when that store is empty."""
    from newsgraph.query import QueryService
    from newsgraph.store import open_store

    path = db_path(db)
    with open_store(path) as store:
        if store.stats()["articles"] == 0:
            err_console.print(
                f"the store {path} is empty: ingest articles (`newsgraph ingest FILES` or `newsgraph demo`), "
                "or name another store with --db or $NEWSGRAPH_DB",
                markup=False,
                highlight=False,
                soft_wrap=True,
            )
        yield QueryService(store)


def split_values(values: list[str] | None) -> list[str]:
    return [x.strip() for v in values or [] for x in v.split(",") if x.strip()]


def actor_key(qs: QueryService, text: str) -> str:
    """The one actor ``text`` names; lists the candidates and exits 2 when it names several, 1 when none."""
    found = qs.find_actors(text)
    exact = [a for a in found if a["name"].lower() == text.strip().lower()]
    if len(found) == 1 or len(exact) == 1:
        return str((exact or found)[0]["key"])
    if not found:
        err_console.print(f"no actor named {text!r} in the store", markup=False, highlight=False)
        raise typer.Exit(1)
    err_console.print(f"{text!r} names {len(found)} actors; give one of these keys:", markup=False, highlight=False)
    for a in found:
        n = a.get("articles")
        err_console.print(f"  {a['key']}  {a['name']} ({a.get('type', '')}"
                          f"{f', {n} articles' if n else ''})", markup=False, highlight=False)  # fmt: skip
    raise typer.Exit(2)


def fact_type(text: str) -> str:
    """An event or relation type in any case: ``recruit`` is RECRUIT, ``Member_Of`` is member_of."""
    from newsgraph.model import EVENT_TYPES, RELATION_TYPES

    if text.upper() in EVENT_TYPES:
        return text.upper()
    return text.lower() if text.lower() in RELATION_TYPES else text


def fact_filter(
    qs: QueryService,
    *,
    types: list[str] | None,
    certainty: list[str] | None,
    date_from: str | None,
    date_to: str | None,
    said_by: str | None,
) -> FactFilter:
    from newsgraph.query import BadQuery, make_filter

    by = None
    if said_by:
        by = "article" if said_by.strip().lower() in ("article", "the article") else actor_key(qs, said_by)
    try:
        return make_filter(types=[fact_type(t) for t in split_values(types)],
                           certainty=[c.lower() for c in split_values(certainty)],
                           date_from=date_from, date_to=date_to, said_by=by)  # fmt: skip
    except BadQuery as exc:
        err_console.print(str(exc), markup=False, highlight=False)
        raise typer.Exit(2) from None


def reviewed(qs: QueryService, data: dict[str, Any], confirmed_only: bool, hide_rejected: bool) -> dict[str, Any]:
    """The answer with each fact's review state, filtered as asked (`newsgraph.review.with_reviews`)."""
    from newsgraph.review import ReviewFilter, with_reviews

    return with_reviews(qs.store, data, ReviewFilter(confirmed_only=confirmed_only, hide_rejected=hide_rejected))


def review_mark(item: dict[str, Any]) -> str:
    """ "  ✓ confirmed by ana" for a reviewed fact (or a link/claim: its facts' statuses), else ""."""
    evidence = item.get("evidence")
    if isinstance(evidence, list):
        counts = item.get("review_counts") or {}
        return "  " + ", ".join(f"{REVIEW_MARK[k]} {v}" for k, v in sorted(counts.items())) if counts else ""
    state = item.get("review") or (evidence.get("review") if isinstance(evidence, dict) else None)
    if not state or state.get("status") not in REVIEW_MARK:
        return ""
    return f"  {REVIEW_MARK[state['status']]} by {state.get('reviewer')}"


def _fact_line(f: dict[str, Any]) -> str:
    """One fact: date, the fact as a sentence, its certainty and who says so, its article."""
    evidence = f.get("evidence") or {}
    ev = evidence[0] if isinstance(evidence, list) and evidence else evidence if isinstance(evidence, dict) else {}
    date = f.get("date") or ev.get("date") or ev.get("published") or "undated"
    if isinstance(f.get("sources"), list):
        said = ", ".join(s["name"] for s in f["sources"] if not str(s["key"]).startswith("article:"))
    else:
        said = (f.get("said_by") or {}).get("name") or ""
    bits = [f["certainty"]] + ([f"says {said}"] if said else [])
    return f"{date}  {f['label']}  [{', '.join(bits)}]  ({str(ev.get('article_id', ''))[:12]}){review_mark(f)}"


@app.command()
def profile(
    actor: Annotated[str, typer.Argument(help="A name, any alias, or an actor key.")],
    db: DbOption = None,
    as_json: JsonOption = False,
    confirmed_only: ConfirmedOnly = False,
    hide_rejected: HideRejected = False,
) -> None:
    """Everything about one actor: names, roles, articles, events by and about it, claims, quotes."""
    with query_service(db) as qs:
        p = reviewed(qs, qs.profile(actor_key(qs, actor)), confirmed_only, hide_rejected)
    if as_json:
        print_json(p)
        return
    say(f"{p['name']} ({p['type']}{', ' + ', '.join(p['subtypes']) if p['subtypes'] else ''})  {p['key']}")
    say(f"{p['article_count']} articles, {p['first_seen'] or '?'} to {p['last_seen'] or '?'}")
    if p["aliases"]:
        say("also: " + "; ".join(p["aliases"][:15]))
    if p["roles"]:
        say("roles: " + "; ".join(p["roles"][:10]))
    for title, key in (("events by it", "events_by"), ("events about it", "events_about"),
                       ("relations", "relations"), ("claims it makes", "claims_made"),
                       ("claims others make about it", "claims_about")):  # fmt: skip
        if p[key]:
            say(f"\n{title} ({len(p[key])})")
            for f in p[key][:50]:
                say("  " + _fact_line(f))
    if p["quotes"]:
        say(f"\nquotes ({len(p['quotes'])})")
        for x in p["quotes"][:20]:
            say(f"  {x['published'] or 'undated'}  “{x['text']}”{review_mark(x)}")
    say(f"\narticles ({p['article_count']})")
    for a in p["articles"][:30]:
        say(f"  {a['published'] or 'undated'}  {a['id'][:12]}  {a['title'] or ''}  ({a['mentions']} mentions)")


@app.command()
def claims(
    actor: Annotated[str | None, typer.Argument(help="Only claims involving this actor (name, alias or key).")] = None,
    db: DbOption = None,
    single_source: Annotated[bool, typer.Option(help="Only claims that rest on one source.")] = False,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    type: TypeOpt = None,
    certainty: CertaintyOpt = None,
    said_by: SaidBy = None,
    limit: Annotated[int, typer.Option(min=1, max=500, help="Groups to show.")] = 50,
    as_json: JsonOption = False,
    confirmed_only: ConfirmedOnly = False,
    hide_rejected: HideRejected = False,
) -> None:
    """Claims grouped by who asserts them, each with how many independent sources carry it."""
    with query_service(db) as qs:
        key = actor_key(qs, actor) if actor else None
        flt = fact_filter(qs, types=type, certainty=certainty, date_from=date_from, date_to=date_to, said_by=said_by)
        from newsgraph.corroboration import claims as corroborated_claims

        found = corroborated_claims(qs, key=key, flt=flt, single_source=single_source, limit=limit)
        res = reviewed(qs, found, confirmed_only, hide_rejected)
    if as_json:
        print_json(res)
        return
    if not res["items"]:
        say("no claims with these filters")
    for g in res["items"]:
        say(f"{g['label']} ({len(g['claims'])})")
        for c in g["claims"]:
            n = c["source_count"]
            say(f"  {_fact_line(c)}  {'single source' if n == 1 else f'{n} sources'}")
    if res["total"] > len(res["items"]):
        say(f"… {res['total'] - len(res['items'])} more groups (--limit)")


@app.command()
def timeline(
    actor: Annotated[str, typer.Argument(help="A name, any alias, or an actor key.")],
    db: DbOption = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    type: TypeOpt = None,
    certainty: CertaintyOpt = None,
    said_by: SaidBy = None,
    limit: Annotated[int, typer.Option(min=1, max=5000)] = 200,
    as_json: JsonOption = False,
    confirmed_only: ConfirmedOnly = False,
    hide_rejected: HideRejected = False,
) -> None:
    """What happened to an actor, in date order: its events, relations and appearances."""
    with query_service(db) as qs:
        key = actor_key(qs, actor)
        flt = fact_filter(qs, types=type, certainty=certainty, date_from=date_from, date_to=date_to, said_by=said_by)
        res = reviewed(qs, qs.timeline(key=key, flt=flt, limit=limit), confirmed_only, hide_rejected)
    if as_json:
        print_json(res)
        return
    for it in res["items"]:
        date = f"{it.get('date_qualifier') + ' ' if it.get('date_qualifier') else ''}{it['date'] or 'undated'}"
        if it["kind"] == "article":
            say(f"{date}  appears in “{it['label']}”")
        else:
            say(f"{date}  {it['label']}  [{it['certainty']}]{review_mark(it)}")
    say(f"{res['total']} items" + (f", {limit} shown (--limit)" if res["total"] > limit else ""))


@app.command()
def graph(
    actor: Annotated[str, typer.Argument(help="A name, any alias, or an actor key.")],
    db: DbOption = None,
    hops: Annotated[int, typer.Option(min=1, max=3, help="Links away from the actor.")] = 1,
    co_mentions: Annotated[bool, typer.Option(help="Also link actors named in one sentence.")] = False,
    max_nodes: Annotated[int, typer.Option(min=2, max=1000)] = 150,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    type: TypeOpt = None,
    certainty: CertaintyOpt = None,
    said_by: SaidBy = None,
    format: Annotated[str, typer.Option("--format", "-f", help="text or graphml.")] = "text",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="GraphML file to write.")] = None,
    as_json: JsonOption = False,
    confirmed_only: ConfirmedOnly = False,
    hide_rejected: HideRejected = False,
) -> None:
    """An actor's neighbourhood: the actors within N links and the links, as text, JSON or GraphML."""
    if format not in ("text", "graphml"):
        err_console.print(f"unknown format {format!r}: use text or graphml")
        raise typer.Exit(2)
    if format == "graphml" and out is None:
        err_console.print("--format graphml writes a file: pass --out")
        raise typer.Exit(2)
    with query_service(db) as qs:
        key = actor_key(qs, actor)
        flt = fact_filter(qs, types=type, certainty=certainty, date_from=date_from, date_to=date_to, said_by=said_by)
        nb = reviewed(qs, qs.neighbourhood(key, hops=hops, flt=flt, co_mentions=co_mentions, max_nodes=max_nodes),
                      confirmed_only, hide_rejected)  # fmt: skip
    names = {n["id"]: n["name"] for n in nb["nodes"]}
    for e in nb["edges"]:
        e["label"] = e["evidence"][0]["label"] if e.get("evidence") and e["evidence"][0].get("label") else e["type"]
    if format == "graphml":
        from newsgraph.export.graphml import write_neighbourhood

        assert out is not None
        n = write_neighbourhood(nb, out)
        err_console.print(f"wrote {len(nb['nodes'])} actors and {n} links to {out}", markup=False, highlight=False)
        return
    if as_json:
        print_json(nb)
        return
    cap = f" (capped at {max_nodes} actors: --max-nodes)" if nb["truncated"] else ""
    say(
        f"{names[key]}: {len(nb['nodes']) - 1} actors within {hops} hop{'s' if hops > 1 else ''}, "
        f"{len(nb['edges'])} links{cap}"
    )
    t = Table(show_header=True, box=None)
    judged = any(e.get("review_counts") for e in nb["edges"])  # a review column once anything is reviewed
    for col in ("source", "link", "target", "certainty", "n", "dates", "said by") + (("review",) if judged else ()):
        t.add_column(col, overflow="fold")
    order = {"event": 0, "relation": 1, "co_mention": 2}
    for e in sorted(nb["edges"], key=lambda e: (order.get(e["kind"], 3), -e["count"])):
        link = "named together" if e["kind"] == "co_mention" else e["type"]
        dates = e["first_date"] or ""
        if e["last_date"] and e["last_date"] != e["first_date"]:
            dates += f"–{e['last_date']}"
        cert = "—" if e["kind"] == "co_mention" else e["certainty"]  # named together is no assertion
        t.add_row(names[e["source"]], link, names[e["target"]], cert, str(e["count"]), dates,
                  ", ".join(e["said_by"]), *([review_mark(e).strip()] if judged else []))  # fmt: skip
    console.print(t, markup=False, highlight=False)
