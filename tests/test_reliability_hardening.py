"""Hardening round two (#15): each test here failed before its fix, and runs as the user does
(the `newsgraph` command in a subprocess, real files) where the item is a user path.
"""

from __future__ import annotations

import csv
import dataclasses
import http.server
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsgraph.store import Store
from newsgraph.store.backup import check_store

pytestmark = pytest.mark.slow


def newsgraph(*args: str, cwd: Path, timeout: float = 600, **kw: object) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("newsgraph")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "newsgraph.cli"]
    return subprocess.run(
        [*cmd, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout,
        env={**os.environ, "COLUMNS": "200"}, **kw,  # type: ignore[call-overload]
    )  # fmt: skip


def _popen(*args: str, cwd: Path) -> subprocess.Popen[str]:
    exe = Path(sys.executable).with_name("newsgraph")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "newsgraph.cli"]
    return subprocess.Popen(
        [*cmd, *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "COLUMNS": "200"},
    )  # fmt: skip


CITIES = ["Oslo", "Quito", "Accra", "Hanoi", "Lima", "Riga", "Dakar", "Perth", "Bern", "Sofia", "Doha", "Kyiv"]


def _articles(n: int) -> list[dict[str, str]]:
    return [
        {"title": f"Bridge {i}", "date": "2024-03-04",
         "text": f"The mayor of {CITIES[i % len(CITIES)]} opened bridge number {i} on Monday, officials said."}
        for i in range(n)
    ]  # fmt: skip


# ---- 12. two overlapping ingests into one store -------------------------------------------------


def test_two_overlapping_ingests_into_one_store_skip_each_others_articles(tmp_path: Path) -> None:
    """Before: one of them died with `UNIQUE constraint failed: articles.id` (exit 1)."""
    records = _articles(12)
    (tmp_path / "a.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records[:10]))
    (tmp_path / "b.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records[2:]))
    db = tmp_path / "s.db"
    Store(db).close()  # the store exists: this is not the new-store race (see test_reliability_schema.py)
    procs = [
        _popen("ingest", name, "--db", str(db), "--batch-size", "1", cwd=tmp_path) for name in ("a.jsonl", "b.jsonl")
    ]
    outs = [p.communicate(timeout=600) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [err[-1500:] for _, err in outs]
    assert check_store(db) == []
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 12


# ---- 10. a second restore keeps the first restore's backup -------------------------------------


def test_each_restore_keeps_its_own_before_restore_copy(tmp_path: Path) -> None:
    """Before: a second `restore` silently overwrote STORE.before-restore."""
    db = tmp_path / "s.db"
    with Store(db) as store:
        store.save_graphs(_fixture_graphs()[:1])
    steps = [("backup", "snap.db"), ("restore", "snap.db"), ("restore", "snap.db")]
    for command, arg in steps:
        result = newsgraph(command, arg, "--db", str(db), cwd=tmp_path)
        assert result.returncode == 0, (command, result.stderr[-1500:])
    kept = sorted(tmp_path.glob("s.db.before-restore*"))
    assert len(kept) == 2 and all(check_store(k) == [] for k in kept), kept


# ---- 1. a feed's content is never fetched or opened ------------------------------------------


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []  # noqa: RUF012 (shared by the handler instances of one test)

    def do_GET(self) -> None:
        _Recorder.hits.append(self.path)
        body = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>x</title>' \
               b"<description>The mayor of Oslo opened a bridge.</description>" \
               b"<pubDate>Mon, 04 Mar 2024 10:00:00 GMT</pubDate></item></channel></rss>"  # fmt: skip
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        pass


def test_a_feed_whose_content_is_a_url_or_a_path_is_never_fetched_or_opened(tmp_path: Path) -> None:
    """Before: feedparser.parse(text) fetched the URL (SSRF, no timeout) and read the named file."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _Recorder.hits.clear()
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.rss"
    secret.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>secret</title>'
        "<description>The private ledger of Acme lists every payment.</description>"
        "<pubDate>Mon, 04 Mar 2024 10:00:00 GMT</pubDate></item></channel></rss>"
    )
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    (feeds / "a.rss").write_text(f"http://127.0.0.1:{server.server_port}/probe")
    (feeds / "b.rss").write_text(str(secret))
    try:
        result = newsgraph("ingest", "feeds", "--db", str(tmp_path / "s.db"), cwd=tmp_path)
    finally:
        server.shutdown()
    assert _Recorder.hits == [], "the feed's content was fetched"
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error")]
    assert len(errors) == 2 and "a.rss" in errors[0] and "b.rss" in errors[1], result.stderr
    with sqlite3.connect(tmp_path / "s.db") as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 0


# ---- 2. the server answers only its own names (DNS rebinding) ----------------------------------


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`newsgraph serve` (the real command) on a store of the fixture graphs: its host:port."""
    import httpx

    from conftest import free_port

    tmp = tmp_path_factory.mktemp("served")
    with Store(tmp / "s.db") as store:
        store.save_graphs(_fixture_graphs())
    port = free_port()
    proc = _popen("serve", "--db", str(tmp / "s.db"), "--port", str(port), cwd=tmp)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2)
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline and proc.poll() is None, "server did not start"
                time.sleep(0.3)
        yield f"127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(30)


def test_the_server_refuses_a_host_header_it_is_not_bound_to(served: str) -> None:
    """Before: any Host was answered, so a page on attacker.example could read the store via DNS rebinding."""
    import httpx

    port = served.rsplit(":", 1)[1]
    url = f"http://{served}/api/health"
    hosts = (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}", "localhost",
             f"attacker.example:{port}", "attacker.example", f"127.0.0.1.attacker.example:{port}")  # fmt: skip
    status = {h: httpx.get(url, headers={"Host": h}, timeout=10).status_code for h in hosts}
    assert status == {
        f"127.0.0.1:{port}": 200, f"localhost:{port}": 200, f"[::1]:{port}": 200, "localhost": 200,
        f"attacker.example:{port}": 400, "attacker.example": 400, f"127.0.0.1.attacker.example:{port}": 400,
    }  # fmt: skip


def test_host_check_allows_what_host_names_and_ip_literals_on_every_interface() -> None:
    from newsgraph.api import allowed_hosts, host_allowed

    named = allowed_hosts("news.lan")
    assert host_allowed("news.lan:8765", named, any_ip=False) and host_allowed("NEWS.LAN.", named, any_ip=False)
    assert not host_allowed("10.0.0.5:8765", named, any_ip=False)
    everywhere = allowed_hosts("0.0.0.0")
    assert host_allowed("10.0.0.5:8765", everywhere, any_ip=True) and host_allowed(
        "[fe80::1]:80", everywhere, any_ip=True
    )
    assert not host_allowed("attacker.example", everywhere, any_ip=True)


# ---- 3. the GDELT TSV neutralises formulas like the CSV export -------------------------------


def _fixture_graphs() -> list[Any]:
    sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures"))
    from make_store_fixture import graphs

    return list(graphs())


def test_gdelt_tsv_cells_cannot_be_formulas_or_hold_control_characters(tmp_path: Path) -> None:
    g = _fixture_graphs()[0]
    g.article = dataclasses.replace(g.article, url='=HYPERLINK("http://evil.example","x")\x00\x1b[31m')
    for e in g.entities:
        e.name = "+cmd|' /C calc'!A0" if e.id == "e1" else "@SUM(1+1)"
    db = tmp_path / "s.db"
    with Store(db) as store:
        store.save_graphs([g])
    result = newsgraph("export", "--format", "gdelt", "--out", "out.tsv", "--db", str(db), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader((tmp_path / "out.tsv").open(encoding="utf-8"), delimiter="\t"))
    header, body = rows[0], rows[1:]
    assert body
    for row in body:
        assert len(row) == len(header)
        for cell in row:
            assert not cell.startswith(("=", "+", "@", "\t", "\r")) and not re.search(r"[\x00-\x08\x1b]", cell), cell
            if cell.startswith("-"):
                float(cell)  # only a number may start with a minus (GoldsteinScale)
    url = body[0][header.index("SOURCEURL")]
    assert url.startswith("'=HYPERLINK(")


# ---- 4. symlinks out of the folder; a newline in a file name ----------------------------------


def test_symlinks_out_of_an_ingested_folder_are_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    (outside / "deep").mkdir(parents=True)
    (outside / "secret-2024-03-04.txt").write_text("The private ledger of Acme lists every payment to officials.\n")
    (outside / "deep" / "more-2024-03-04.txt").write_text("The second ledger of Acme lists more payments.\n")
    corpus = tmp_path / "in"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "good-2024-03-04.txt").write_text("The mayor of Oslo opened a new bridge, officials said.\n")
    (corpus / "link-2024-03-04.txt").symlink_to(outside / "secret-2024-03-04.txt")
    (corpus / "linkdir").symlink_to(outside / "deep")
    (corpus / "sub" / "inside-2024-03-04.txt").symlink_to(corpus / "good-2024-03-04.txt")  # stays inside: fine
    db = tmp_path / "s.db"
    result = newsgraph("ingest", "in", "--db", str(db), cwd=tmp_path)
    with sqlite3.connect(db) as conn:
        texts = [r[0] for r in conn.execute("SELECT text FROM articles")]
    assert texts and not any("ledger" in t for t in texts)
    errors = [line for line in result.stderr.splitlines() if line.startswith("error")]
    assert len(errors) == 2 and all("symbolic link out of the folder" in e for e in errors), result.stderr


def test_a_newline_in_a_file_name_cannot_forge_an_error_line(tmp_path: Path) -> None:
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "bad\nerror evil.txt: forged line.txt").write_text("")  # empty: one real error
    (corpus / "good-2024-03-04.txt").write_text("The mayor of Oslo opened a new bridge, officials said.\n")
    result = newsgraph("ingest", "in", "--db", str(tmp_path / "s.db"), cwd=tmp_path)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error")]
    assert len(errors) == 1 and "bad\\nerror evil.txt" in errors[0], result.stderr
    assert not any(line.startswith("error evil.txt") for line in result.stderr.splitlines())


# ---- 5. files are not skipped because their name contains "source" or "license" ---------------


def test_files_are_skipped_only_by_exact_documentation_names(tmp_path: Path) -> None:
    corpus = tmp_path / "in"
    corpus.mkdir()
    names = [
        "water resources.txt",
        "licensed-operators.txt",
        "open-source-attribution.txt",
        "README.txt",
        ".hidden.txt",
    ]
    for i, name in enumerate(names):
        (corpus / name).write_text(f"The mayor of {CITIES[i]} opened bridge number {i} on Monday, officials said.\n")
    result = newsgraph("ingest", "in", "--db", str(tmp_path / "s.db"), "--date", "2024-03-04", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(tmp_path / "s.db") as conn:
        stored = sorted(Path(r[0]).name for r in conn.execute("SELECT source_path FROM articles"))
    assert stored == sorted(names[:3])


# ---- 8. a few bad bytes in UTF-8 stay UTF-8; UTF-16 without a BOM ------------------------------


def test_bad_bytes_in_utf8_and_bomless_utf16_decode_right(tmp_path: Path) -> None:
    corpus = tmp_path / "in"
    corpus.mkdir()
    good = "Die Bürgermeisterin von München eröffnete am Montag die Brücke über die Isar, sagte die Stadt."
    text = "The mayor of München said on Monday that the new bridge in Köln will open, officials said. " * 3
    data = text.encode("utf-8")
    (corpus / "damaged-2024-03-04.txt").write_bytes(data[:40] + b"\xff" + data[40:90] + b"\xc3" + data[90:])
    (corpus / "utf16-2024-03-04.txt").write_bytes(text.encode("utf-16-le"))
    (corpus / "latin1-2024-03-04.txt").write_bytes(good.encode("latin-1"))
    db = tmp_path / "s.db"
    result = newsgraph("ingest", "in", "--db", str(db), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(db) as conn:
        texts = {Path(p).name: t for p, t in conn.execute("SELECT source_path, text FROM articles")}
    damaged = texts["damaged-2024-03-04.txt"]
    assert damaged.count("München") == 3 and damaged.count("Köln") == 3 and "\ufffd" in damaged
    assert texts["utf16-2024-03-04.txt"] == text.strip()
    assert texts["latin1-2024-03-04.txt"] == good  # a real Latin-1 file still gets its charset guessed


# ---- 9. real text that crashed the time normaliser --------------------------------------------


def test_phone_numbers_and_dates_at_the_end_of_the_calendar_do_not_crash_extraction(tmp_path: Path) -> None:
    """Before: '0800-77-90-15' was an ISO date (ValueError: month must be in 1..12); a publication date
    of 9999-12-31 with 'on Monday' overflowed (OverflowError)."""
    (tmp_path / "phone-2007-01-19.txt").write_text(
        "The chain said its computers were hacked in mid-December. Customers can call the help line at "
        "0800-77-90-15 in the United Kingdom or 866-484-6978 in the United States.\n"
    )
    (tmp_path / "end.txt").write_text(
        "date 9999-12-31 The council will meet on Monday and again next year, the mayor said tomorrow.\n"
    )
    (tmp_path / "start.txt").write_text("date 0001-01-01 The council met last year and on Monday, the mayor said.\n")
    for name in ("phone-2007-01-19.txt", "end.txt", "start.txt"):
        result = newsgraph("extract", name, "--format", "jsonl", cwd=tmp_path)
        assert result.returncode == 0, result.stderr[-1500:]
        times = json.loads(result.stdout.splitlines()[0])["times"]
        assert all(not (t.get("value") or "").startswith("0800") for t in times)
        if name.startswith("phone"):
            assert any(t["text"] == "mid-December" and t["value"] == "2006-12" for t in times)


# ---- 10. JSONL lines, FIFOs, feed dates, /api/actors offset, NUL in a search -------------------


def test_an_over_long_jsonl_line_is_never_read_whole(tmp_path: Path) -> None:
    """Before: the whole line was read, then refused (a 300 MB line: 679 MB RSS)."""
    import tracemalloc

    from newsgraph.read import read_paths
    from newsgraph.settings import Settings

    path = tmp_path / "big.jsonl"
    with path.open("wb") as fh:
        fh.write(b'{"date": "2024-03-04", "text": "' + b"x" * (40 << 20) + b'"}\n')
        fh.write(json.dumps(_articles(1)[0]).encode() + b"\n")
    settings = Settings(max_file_bytes=1 << 20)
    tracemalloc.start()
    items = read_paths([path], settings=settings)
    first = next(items)
    peak = tracemalloc.get_traced_memory()[1]  # refusing the long line (the next article loads langdetect)
    tracemalloc.stop()
    items = [first, *items]
    assert [type(i).__name__ for i in items] == ["ReadError", "Article"]
    assert "line too large" in str(items[0]) and peak < 8 << 20, peak  # before: 85 MB


def test_a_fifo_is_refused_never_opened(tmp_path: Path) -> None:
    """Before: a FIFO in a folder hung the ingest (or its content was lost as an 'empty file')."""
    corpus = tmp_path / "in"
    corpus.mkdir()
    os.mkfifo(corpus / "pipe.jsonl")
    os.mkfifo(tmp_path / "direct.txt")
    (corpus / "good-2024-03-04.txt").write_text("The mayor of Oslo opened a new bridge, officials said.\n")
    result = newsgraph("ingest", "in", "direct.txt", "--db", str(tmp_path / "s.db"), cwd=tmp_path, timeout=300)
    errors = [line for line in result.stderr.splitlines() if line.startswith("error")]
    assert result.returncode == 1 and len(errors) == 2 and all("not a regular file" in e for e in errors), result.stderr
    with sqlite3.connect(tmp_path / "s.db") as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 1


def test_feed_dates_keep_the_sources_own_date_and_progress_never_passes_its_total(tmp_path: Path) -> None:
    """Before: feedparser's UTC stamp was used: 21:30 -0500 on 10 October became 11 October. And the
    progress bar counts a feed as one article (it cannot know more without parsing it): 3 entries and
    a text file read 4/2 (issue: 33/30)."""
    stamps = ["Tue, 10 Oct 2023 21:30:00 -0500", "Wed, 11 Oct 2023 01:30:00 +0900", "Thu, 12 Oct 2023 12:00:00 GMT"]
    items = "".join(
        f"<item><title>t{i}</title><description>The mayor of {CITIES[i]} opened a new bridge, officials said."
        f"</description><pubDate>{stamp}</pubDate></item>"
        for i, stamp in enumerate(stamps)
    )
    corpus = tmp_path / "in"
    corpus.mkdir()
    rss = f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'
    (corpus / "f.rss").write_text(rss)
    (corpus / "a-2024-03-04.txt").write_text("The mayor of Lima opened a new school, officials said.\n")
    result = newsgraph("ingest", "in", "--db", str(tmp_path / "s.db"), "-j", "1", cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-1500:]
    with sqlite3.connect(tmp_path / "s.db") as conn:
        got = dict(conn.execute("SELECT title, published FROM articles WHERE title LIKE 't_'").fetchall())
    assert got == {"t0": "2023-10-10", "t1": "2023-10-11", "t2": "2023-10-12"}
    bar = [line for line in result.stderr.splitlines() if line.startswith("ingest")][-1]
    done, total = (int(x) for x in re.search(r"(\d+)/(\d+)", bar).groups())  # type: ignore[union-attr]
    assert done == 4 and done <= total, bar


def test_api_actors_pages_without_a_query_and_a_nul_matches_nothing(served: str) -> None:
    """Before: /api/actors ignored `offset` without `q`; a NUL in an actor or source filter matched
    everything (SQLite's LIKE stops at a NUL)."""
    import httpx

    def get(path: str, **params: object) -> Any:
        r = httpx.get(f"http://{served}{path}", params=params, timeout=30)  # type: ignore[arg-type]
        assert r.status_code == 200, (path, params, r.text[:300])
        return r.json()

    first = get("/api/actors", limit=1)["items"]
    second = get("/api/actors", limit=1, offset=1)["items"]
    assert first and second and first != second
    for q in ("\x00", "zzqx\x00"):
        assert get("/api/actors", q=q)["items"] == [], repr(q)
    word = "ministry"
    assert get("/api/search", q=word)["sentences"]["items"], "the fixture store has no sentence to find"
    for source in ("\x00", "zz\x00qx", "\x00example"):
        assert get("/api/search", q=word, source=source)["sentences"]["items"] == [], repr(source)


# ---- 11. SIGKILL of a -j N ingest: the workers end too -----------------------------------------


def test_workers_of_a_killed_parallel_ingest_exit(tmp_path: Path) -> None:
    """Before: the N spaCy workers of a SIGKILLed `ingest -j N` lived forever."""
    import psutil

    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in _articles(400)))
    proc = _popen("ingest", "c.jsonl", "--db", str(tmp_path / "s.db"), "-j", "2", "--batch-size", "4", cwd=tmp_path)
    parent = psutil.Process(proc.pid)
    deadline = time.monotonic() + 240
    workers: list[psutil.Process] = []
    while len(workers) < 2:
        assert time.monotonic() < deadline and proc.poll() is None, "no workers started"
        workers = [c for c in parent.children(recursive=True) if "resource_tracker" not in " ".join(c.cmdline())]
        time.sleep(0.5)
    time.sleep(3)
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    _gone, alive = psutil.wait_procs(workers, timeout=30)
    for p in alive:
        p.kill()
    assert not alive, f"{len(alive)} worker(s) outlived their killed parent"


# ---- 13. exports: temp file and rename; GraphML strips what XML cannot hold -------------------


def test_graphml_export_of_control_characters_is_valid_xml_and_exports_are_atomic(tmp_path: Path) -> None:
    """Before: a control character in a name killed the GraphML writer and left a half-written file."""
    from lxml import etree

    g = _fixture_graphs()[0]
    g.entities[0].name = "Acme\x0bCorp\x00oration\x1b"
    db = tmp_path / "s.db"
    with Store(db) as store:
        store.save_graphs([g])
    out = tmp_path / "out.graphml"
    out.write_text("previous export\n")
    result = newsgraph("export", "--format", "graphml", "--out", str(out), "--db", str(db), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    root = etree.parse(str(out)).getroot()
    labels = [d.text for d in root.iter("{*}data") if d.text and "Acme" in d.text]
    assert labels and all("\x0b" not in t and "\x00" not in t for t in labels)
    assert not list(tmp_path.glob(".*partial"))

    from newsgraph.export import jsonl

    def broken() -> Iterator[Any]:
        yield g
        raise RuntimeError("disk gone")

    out2 = tmp_path / "out.jsonl"
    out2.write_text("previous export\n")
    with pytest.raises(RuntimeError):
        jsonl.write(broken(), out2)
    assert out2.read_text() == "previous export\n" and not list(tmp_path.glob(".*partial"))


# ---- 10. readers during `ingest --replace` -------------------------------------------------------


def test_readers_never_see_an_articles_facts_vanish_during_ingest_replace(tmp_path: Path) -> None:
    """Before: `ingest --replace` stored an article's new rows, then linked them in a second transaction,
    so between the two a reader saw every actor of the batch lose that article, then get it back."""
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in _articles(24)))
    db = tmp_path / "s.db"
    first = newsgraph("ingest", "c.jsonl", "--db", str(db), "-j", "1", cwd=tmp_path)
    assert first.returncode == 0, first.stderr[-1500:]

    def counts(store: Store) -> dict[str, int]:
        rows, _total = store.most_reported(resolved=True, limit=1000)
        return {r["key"]: r["articles"] for r in rows}

    with Store(db) as store:
        before = counts(store)
        assert len(before) >= len(CITIES) and sum(before.values()) >= 24, before
        proc = _popen("ingest", "c.jsonl", "--db", str(db), "--replace", "-j", "1", "--batch-size", "2", cwd=tmp_path)
        seen, reads = [], 0
        while proc.poll() is None:
            now = counts(store)
            reads += 1
            seen += [f"{k}: {before[k]} -> {now.get(k, 0)}" for k in before if now.get(k, 0) < before[k]]
            time.sleep(0.002)
        _out, err = proc.communicate()
        assert proc.returncode == 0, err[-1500:]
        assert counts(store) == before
    assert reads >= 20, reads
    assert seen == [], f"{len(seen)} of {reads} reads saw an article vanish, e.g. {seen[:3]}"


# ---- 10. a full disk during an ingest ------------------------------------------------------------


def _file_size_limit(limit: int) -> Any:
    """For Popen's preexec_fn: files this process writes stop growing at `limit` bytes, as on a full
    disk (SIGXFSZ ignored, so a write past it fails instead of killing the process). No root needed."""
    import resource

    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_a_full_disk_ends_an_ingest_with_one_error_line_naming_the_store(tmp_path: Path) -> None:
    """Before: a 40-line SQLAlchemy traceback ending in `database or disk is full`."""
    rows = [
        {"title": f"Harbour report {i}", "date": "2024-05-06",
         "text": " ".join(f"The port authority of {CITIES[(i + k) % len(CITIES)]} said on Tuesday that ship {k} "
                          f"of convoy {i} had been delayed by the storm." for k in range(12))}
        for i in range(40)
    ]  # fmt: skip
    (tmp_path / "c.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    db = tmp_path / "s.db"
    Store(db).close()
    limit = db.stat().st_size + 150_001  # odd: the write that crosses it is cut short, as when a disk fills
    result = newsgraph("ingest", "c.jsonl", "--db", str(db), "-j", "1", "--batch-size", "4", cwd=tmp_path,
                       preexec_fn=_file_size_limit(limit))  # fmt: skip
    assert result.returncode == 1, result.stderr[-2000:]
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    errors = [line for line in result.stderr.splitlines() if line.startswith("error")]
    assert len(errors) == 1 and str(db) in errors[0] and "full" in errors[0], result.stderr[-2000:]
    assert check_store(db) == []  # what was committed before is intact
    with sqlite3.connect(db) as conn:
        stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert 0 < stored < len(rows), stored


# ---- 9. damaged bytes: a stray NUL or a few bytes no charset explains are damage, not a binary file -----


def test_a_stray_nul_or_a_few_unexplained_bytes_do_not_lose_an_article(tmp_path: Path) -> None:
    """Found by the damaged-corpus run: one NUL byte in a text file refused the whole article as
    binary, and a few random bytes in a short ASCII article that charset-normalizer could place in no
    encoding refused it as "not text" (about 1 damaged copy in 10). Both are text with U+FFFD now;
    real binary files are still refused."""
    base = (b"The harbour board of Tromso said on Friday that two ferries had been held in port by the storm. "
            b"Officials expect the service to resume on Monday, a spokeswoman said.\n")  # fmt: skip
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "nul-2024-03-04.txt").write_bytes(base[:60] + b"\x00" + base[60:])
    unexplained = bytearray(base)
    for i, byte in ((14, 0xED), (24, 0xA9), (26, 0x80), (72, 0x81), (77, 0x85)):
        unexplained[i] = byte
    (corpus / "bytes-2024-03-04.txt").write_bytes(bytes(unexplained))
    (corpus / "image-2024-03-04.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    result = newsgraph("ingest", "in", "--db", str(tmp_path / "s.db"), "-j", "1", cwd=tmp_path)
    errors = [line for line in result.stderr.splitlines() if line.startswith("error")]
    assert len(errors) == 1 and "image-" in errors[0] and "binary" in errors[0], result.stderr[-1500:]
    with sqlite3.connect(tmp_path / "s.db") as conn:
        texts = [r[0] for r in conn.execute("SELECT text FROM articles")]
    assert len(texts) == 2 and all("spokeswoman said" in t and "\x00" not in t for t in texts), texts
