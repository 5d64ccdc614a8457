"""Scale-out on Dask: extraction on Dask workers, article graphs as Parquet partitions, loaded into the store.

``newsgraph ingest --engine dask [--scheduler ADDRESS]`` runs `ingest_dask`:

1. The driver streams the input (`newsgraph.read.read_paths`) and cuts it into partitions of
   ``partition_size`` articles, leaving out articles the store already holds (content id), so a
   re-run on a grown feed only sends new articles.
2. Each partition goes to a Dask worker (`extract_partition`): the model is loaded once per worker
   process, the partition is parsed and extracted, and the graphs come back as JSON rows (an
   article that breaks the extractor comes back as an error row, the rest of the partition is kept).
   At most ``max_inflight`` partitions are out at once, so the driver's memory stays bounded.
3. The driver writes each result as a Parquet file (pyarrow, zstd) in the work directory, then
   loads it into the store (SQLite, or PostgreSQL by URL) in batches, one transaction each;
   known ids are skipped, so loading is idempotent. Loaded partitions are listed in
   ``loaded.txt``; a partition written but not loaded (an interrupted run) is loaded on the next run.

Without ``--scheduler`` a `LocalCluster` of worker processes (one thread each) is started on this
machine; with an address (``tcp://host:8786``) the work runs on that cluster, whose workers need
the same newsgraph and model versions as the driver: `check_versions` refuses a cluster that
differs, and each partition carries the driver's versions, so a worker that joins later and differs
fails its partition with the same clear error (see docs/scaling.md).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsgraph.ingest import IngestReport, batched, link_interrupted, read_counted
from newsgraph.model import Article, ArticleGraph
from newsgraph.read import ReadError
from newsgraph.settings import Settings
from newsgraph.store import Store

if TYPE_CHECKING:
    from dask.distributed import Client

PART_COLUMNS = ("id", "published", "source", "analysed", "extractor_version", "graph_json", "error")
LOADED_LIST = "loaded.txt"
# How long the driver waits for a scheduler to answer and for its first worker to join.
WAIT_SECONDS = float(os.environ.get("NEWSGRAPH_DASK_WAIT", "60"))


class VersionMismatch(RuntimeError):
    """A Dask worker runs another newsgraph, extractor or model version than the driver."""


class WorkerLost(RuntimeError):
    """Every worker that tried one partition died (Dask's ``KilledWorker``): the run stops, what was
    stored is kept."""


def _result(future: Any) -> Any:
    """A partition's rows; a ``KilledWorker`` becomes one `WorkerLost` a user can read."""
    from distributed import KilledWorker

    try:
        return future.result()
    except KilledWorker as exc:
        worker = getattr(exc.last_worker, "address", exc.last_worker)
        raise WorkerLost(
            f"the Dask worker extracting a partition died, {exc.allowed_failures + 1} time(s) on as many "
            f"workers (last: {worker}; out of memory?). What was stored is kept: run the same command "
            "again to resume; see the workers' logs and memory limit (docs/scaling.md)"
        ) from None


def versions() -> dict[str, str]:
    """What must match between the driver and every worker for their graphs to be the same."""
    from importlib.metadata import PackageNotFoundError, version

    from newsgraph import __version__
    from newsgraph.extract.pipeline import EXTRACTOR_VERSION
    from newsgraph.nlp import MODEL_PACKAGE

    try:
        model = f"{MODEL_PACKAGE} {version(MODEL_PACKAGE)}"
    except PackageNotFoundError:
        model = f"{MODEL_PACKAGE} (not installed)"
    return {"newsgraph": __version__, "extractor": EXTRACTOR_VERSION, "model": model}


def _differences(expected: dict[str, str], found: dict[str, str]) -> str:
    return ", ".join(f"{k} {found.get(k)!r} (driver: {v!r})" for k, v in expected.items() if found.get(k) != v)


# ---- on the workers -------------------------------------------------------------------------------


def _row(graph: ArticleGraph) -> dict[str, str | None]:
    art = graph.article
    return {"id": art.id, "published": art.published, "source": art.source_path,
            "analysed": "true" if art.language_supported else "false", "extractor_version": graph.extractor_version,
            "graph_json": json.dumps(graph.to_dict(), ensure_ascii=False), "error": None}  # fmt: skip


def extract_partition(
    records: list[dict[str, Any]], batch_size: int = 32, expected: dict[str, str] | None = None
) -> list[dict[str, str | None]]:
    """Extract one partition on a worker: article dicts in, one JSON row per article out.

    The spaCy model is cached per process (`newsgraph.nlp.load_nlp`), so each worker loads it once.
    If the batch fails, articles are retried one at a time and a failing one becomes an error row.
    ``expected`` (the driver's `versions`) is checked first: a worker that differs refuses the work.
    """
    from newsgraph.extract.pipeline import extract_articles

    if expected is not None and (diff := _differences(expected, versions())):
        raise VersionMismatch(f"a Dask worker runs {diff}; install the same versions on the driver and every worker")

    articles = [Article(**r) for r in records]
    try:
        return [_row(g) for g in extract_articles(articles, batch_size=batch_size)]
    except Exception:
        pass  # find the culprit below
    rows: list[dict[str, str | None]] = []
    for art in articles:
        try:
            rows.extend(_row(g) for g in extract_articles([art], batch_size=1))
        except Exception as exc:
            rows.append({"id": art.id, "published": art.published, "source": art.source_path,
                         "analysed": "false", "extractor_version": None, "graph_json": None,
                         "error": f"extraction failed ({type(exc).__name__}: {exc})"})  # fmt: skip
    return rows


def _warm() -> str:
    from newsgraph.nlp import load_nlp

    load_nlp()
    return str(os.getpid())


def warm_workers(client: Client) -> None:
    """Load the model on every worker now (otherwise the first partition on each worker pays for it)."""
    client.run(_warm)


def check_versions(client: Client) -> None:
    """Refuse a cluster whose workers run other newsgraph/extractor/model versions than this driver.

    Dask's own ``get_versions(check=True)`` compares Python and Dask packages but not newsgraph or
    the model, which decide what the graphs hold; mixing them would store graphs that differ.
    """
    expected = versions()
    found: dict[str, dict[str, str]] = client.run(versions)
    wrong = {addr: diff for addr, v in sorted(found.items()) if (diff := _differences(expected, v))}
    if wrong:
        lines = "; ".join(f"worker {addr} runs {diff}" for addr, diff in wrong.items())
        raise VersionMismatch(f"{lines}; install the same versions on the driver and every worker")


# ---- on the driver --------------------------------------------------------------------------------


def default_work_dir(store: Store) -> Path:
    """Next to a SQLite store (``news.db`` -> ``news.db.parts/``); for a server URL,
    ``./newsgraph-parts/<host>-<port>-<database>``, one folder per database, so a partition left
    pending for one database is never loaded into another."""
    url = store.url
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            return Path(url.database + ".parts")
        return Path("newsgraph-parts") / "memory"
    name = "-".join(str(x) for x in (url.host or "local", url.port or "default", url.database or "default"))
    return Path("newsgraph-parts") / "".join(c if c.isalnum() or c in "-_." else "_" for c in name)


def write_part(rows: list[dict[str, str | None]], work_dir: Path) -> Path:
    """One Parquet partition, written atomically (temporary name, then rename); named by its content."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    digest = hashlib.sha1("\n".join(str(r["id"]) for r in rows).encode()).hexdigest()[:16]
    path = work_dir / f"part-{digest}.parquet"
    table = pa.Table.from_pylist(rows, schema=pa.schema([(c, pa.string()) for c in PART_COLUMNS]))
    tmp = path.with_suffix(".parquet.tmp")
    pq.write_table(table, tmp, compression="zstd")
    os.replace(tmp, path)
    return path


def load_part(
    path: Path, store: Store, *, replace: bool = False, batch_size: int = 64
) -> tuple[int, int, list[ReadError]]:
    """Load one Parquet partition into the store: (stored, skipped, errors). Idempotent."""
    import pyarrow.parquet as pq

    stored = skipped = 0
    errors: list[ReadError] = []
    for batch in pq.ParquetFile(path).iter_batches(batch_size=batch_size, columns=list(PART_COLUMNS)):
        graphs = []
        for row in batch.to_pylist():
            if row["error"]:
                errors.append(ReadError(row["source"] or row["id"], row["error"]))
            elif row["graph_json"]:
                graphs.append(ArticleGraph.from_dict(json.loads(row["graph_json"])))
        if not replace:
            known = store.known_ids(g.article.id for g in graphs)
            skipped += sum(1 for g in graphs if g.article.id in known)
            graphs = [g for g in graphs if g.article.id not in known]
        result = store.save_graphs(graphs, replace=replace)
        stored += result.stored
        skipped += result.skipped
        if result.stored:  # cross-article resolution, as the local ingest does after each batch
            store.resolve_graphs([g for g in graphs if g.entities])
    return stored, skipped, errors


def _loaded(work_dir: Path) -> set[str]:
    listing = work_dir / LOADED_LIST
    return set(listing.read_text().split()) if listing.exists() else set()


def _mark_loaded(work_dir: Path, path: Path) -> None:
    with (work_dir / LOADED_LIST).open("a") as fh:
        fh.write(path.name + "\n")


def load_pending(work_dir: Path, store: Store, report: IngestReport, *, replace: bool = False) -> int:
    """Load partitions an interrupted run wrote but did not load; returns how many."""
    done = _loaded(work_dir)
    pending = sorted(p for p in work_dir.glob("part-*.parquet") if p.name not in done)
    for path in pending:
        stored, skipped, errors = load_part(path, store, replace=replace)
        report.stored += stored
        report.skipped += skipped
        report.failed.extend(errors)
        _mark_loaded(work_dir, path)
    return len(pending)


@contextlib.contextmanager
def dask_client(
    scheduler: str | None = None, n_workers: int | None = None, client: Client | None = None
) -> Iterator[Client]:
    """The given client; a client of the scheduler at ``scheduler``; or a fresh `LocalCluster`."""
    if client is not None:
        yield client
        return
    from dask.distributed import Client, LocalCluster

    if scheduler:
        try:
            c = Client(scheduler, timeout=WAIT_SECONDS)
        except OSError as exc:
            raise OSError(f"cannot reach the Dask scheduler at {scheduler} ({exc})") from exc
        with c:
            try:
                c.wait_for_workers(1, timeout=WAIT_SECONDS)
            except TimeoutError as exc:
                msg = f"no Dask worker joined the scheduler at {scheduler} within {WAIT_SECONDS:g} s"
                raise TimeoutError(msg) from exc
            yield c
        return
    workers = n_workers or os.cpu_count() or 1
    with _ignoring_ctrl_c():  # the worker processes inherit it: Ctrl-C reaches the driver, which stops them
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            # CRITICAL, not ERROR: at Ctrl-C a worker whose heartbeat meets the closed scheduler logs
            # a traceback the user should not see (a task's own error still reaches the driver)
            silence_logs=logging.CRITICAL,
        )
    with cluster, Client(cluster) as c:
        yield c


@contextlib.contextmanager
def _ignoring_ctrl_c() -> Iterator[None]:
    """Ignore SIGINT while LocalCluster starts its worker processes, which inherit the setting.

    A terminal's Ctrl-C goes to the whole process group; without this each worker process would
    die with its own KeyboardInterrupt traceback while the driver is stopping them anyway.
    """
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def ingest_dask(
    paths: Iterable[str | Path],
    store: Store,
    *,
    scheduler: str | None = None,
    n_workers: int | None = None,
    client: Client | None = None,
    work_dir: str | Path | None = None,
    partition_size: int = 64,
    batch_size: int = 32,
    max_inflight: int | None = None,
    date: str | None = None,
    replace: bool = False,
    settings: Settings | None = None,
    on_progress: Callable[[int], None] | None = None,
    on_error: Callable[[ReadError], None] | None = None,
) -> IngestReport:
    """Ingest ``paths`` with extraction on Dask workers; same report as `newsgraph.ingest.ingest`."""
    from dask.distributed import as_completed

    work = Path(work_dir) if work_dir else default_work_dir(store)
    work.mkdir(parents=True, exist_ok=True)
    report = IngestReport()
    link_interrupted(store)  # a run killed between storing a partition and linking it
    load_pending(work, store, report, replace=replace)

    def finish(future: Any, size: int) -> None:
        rows = _result(future)
        path = write_part(rows, work)
        stored, skipped, errors = load_part(path, store, replace=replace)
        _mark_loaded(work, path)
        report.stored += stored
        report.skipped += skipped
        report.not_analysed += sum(1 for r in rows if r["graph_json"] and r["analysed"] == "false")
        for err in errors:
            report.failed.append(err)
            if on_error:
                on_error(err)
        if on_progress:  # each failed article was counted by on_error
            on_progress(size - len(errors))

    with contextlib.ExitStack() as stack:
        # The client (and its as_completed queue, which needs one) is made at the first partition
        # with work: a re-run with nothing new starts and connects to nothing.
        c: Client | None = None
        pending: Any = None
        limit = max_inflight or 2
        expected = versions()
        outstanding: dict[Any, tuple[Any, int]] = {}  # future key -> (future, articles)
        for part in batched(
            read_counted(paths, report, date=date, settings=settings, on_error=on_error), partition_size
        ):
            seen: set[str] = set()
            unique = [a for a in part if not (a.id in seen or seen.add(a.id))]  # type: ignore[func-returns-value]
            known = set() if replace else store.known_ids(a.id for a in unique)
            todo = [a for a in unique if a.id not in known]
            report.skipped += len(part) - len(todo)
            if not todo:
                if on_progress:
                    on_progress(len(part))
                continue
            if c is None:
                c = stack.enter_context(dask_client(scheduler, n_workers, client))
                check_versions(c)
                stack.callback(_cancel_all, outstanding)  # Ctrl-C or an error: nothing is left running
                pending = as_completed(loop=c.loop)
                limit = max_inflight or 2 * max(1, len(c.scheduler_info().get("workers", {})))
            future = c.submit(extract_partition, [a.to_dict() for a in todo], batch_size, expected, pure=False)
            outstanding[future.key] = (future, len(part))
            pending.add(future)
            while pending.count() >= limit:
                done = next(pending)
                finish(done, outstanding.pop(done.key)[1])
        if pending is not None:
            for done in pending:
                finish(done, outstanding.pop(done.key)[1])
    return report


def _cancel_all(outstanding: dict[Any, tuple[Any, int]]) -> None:
    """Cancel the partitions still out (after Ctrl-C or an error); finished ones were already loaded."""
    for future, _size in list(outstanding.values()):
        future.cancel()
