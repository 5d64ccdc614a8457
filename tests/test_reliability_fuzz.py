"""Bad input fuzzing (hypothesis): random bytes, random Unicode, huge lines, deeply nested HTML,
bad dates, hostile records, over every reader, over `extract` and over a whole ingest.

The property everywhere: nothing raises out of the batch; every input yields articles that
can be stored or exactly one clear error (one line, naming the input); limits hold.
Examples per test: NEWSGRAPH_FUZZ_EXAMPLES (default 40); the spaCy model loads once.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import record_figures
from newsgraph.model import Article
from newsgraph.read import ReadError, read_paths
from newsgraph.read.decode import InputError, decode, parse_date
from newsgraph.settings import Settings

EXAMPLES = int(os.environ.get("NEWSGRAPH_FUZZ_EXAMPLES", "40"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
    derandomize=True,  # CI is repeatable; run with --hypothesis-seed=random to explore further
)
LIMITS = Settings(max_file_bytes=2_000_000, max_text_chars=200_000)
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
READER_SUFFIXES = (".txt", ".jsonl", ".csv", ".html", ".rss", ".atom", ".xml")
# Counted per test and checked at the end of each, so a silently-skipped strategy fails.
COUNTS: dict[str, int] = {}


@pytest.fixture(scope="module", autouse=True)
def _figures() -> Iterator[None]:
    yield
    record_figures(__name__, COUNTS)


@pytest.fixture(autouse=True)
def _every_strategy_ran(request: pytest.FixtureRequest) -> Iterator[None]:
    """A property test whose strategy produced (almost) nothing fails, instead of passing on no input."""
    before = sum(COUNTS.values())
    yield
    fn = request.function
    if not hasattr(fn, "hypothesis"):  # not a @given test
        return
    wanted = max(1, fn._hypothesis_internal_use_settings.max_examples // 4)
    ran = sum(COUNTS.values()) - before
    assert ran >= wanted, f"{request.node.name}: only {ran} examples reached the code under test (want {wanted})"


@contextmanager
def input_file(suffix: str, data: bytes, name: str = "input_2023-05-06") -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{name}{suffix}"
        path.write_bytes(data)
        yield path


def check_results(path: Path, results: list[object], *, single: bool) -> None:
    """The contract of a reader on any input."""
    assert results, f"{path}: neither an article nor an error"
    if single:
        assert len(results) == 1, results
    for r in results:
        assert isinstance(r, Article | ReadError), r
        if isinstance(r, ReadError):
            assert r.source == str(path) or r.source.startswith((f"{path}:", f"{path}#")), r.source
            assert r.reason.strip() and "\n" not in r.reason and len(r.reason) < 600, repr(r.reason)
        else:
            assert r.text.strip() and len(r.text) <= LIMITS.max_text_chars
            assert r.published and ISO_DATE.match(r.published), r.published
            for value in (r.text, r.title, r.url, r.source_path, r.language):
                assert value is None or isinstance(value, str)
                if value is not None:
                    value.encode("utf-8")  # storable: no lone surrogates


def read_file(suffix: str, data: bytes, *, date: str | None = None) -> None:
    with input_file(suffix, data) as path:
        results = list(read_paths([path], date=date, settings=LIMITS))
        check_results(path, results, single=suffix in (".txt", ".html"))
    COUNTS[suffix] = COUNTS.get(suffix, 0) + 1


# ---- strategies ---------------------------------------------------------------------------------

ENCODINGS = ("utf-8", "utf-16", "cp1252", "latin-1", "shift_jis", "koi8-r", "utf-8-sig")
unicode_text = st.text(max_size=1500)
encoded_text = st.tuples(unicode_text, st.sampled_from(ENCODINGS)).map(lambda t: t[0].encode(t[1], "replace"))
bad_dates = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["2023-02-30", "0000-00-00", "9999-99-99", "31/31/2023", "yesterday", "Smarch 45", "1e400",
                     "10:00", "-2023-01-01", "2023-01-01T25:61:00", "\x00", "２０２３-０１-０１", "99999-01-01"]),
    st.integers().map(str),
    st.floats().map(str),
)  # fmt: skip
json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=200))
json_values = st.recursive(
    json_scalars, lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=8), c, max_size=4), max_leaves=12
)
FIELDS = ("id", "date", "published", "title", "text", "url")
records = st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=6), json_values | bad_dates, max_size=7)
good_record = st.fixed_dictionaries(
    {"date": st.sampled_from(["2023-05-06", "6 May 2023", "Sat, 06 May 2023 10:00:00 +0000"]) | bad_dates,
     "text": unicode_text.filter(lambda t: t.strip()), "title": json_values, "url": json_values}
)  # fmt: skip
jsonl_lines = st.lists(
    st.one_of(
        records.map(lambda r: json.dumps(r, ensure_ascii=True)),  # ensure_ascii: lone surrogates as \udXXX
        good_record.map(json.dumps),
        json_values.map(json.dumps),
        st.text(max_size=200).filter(lambda t: "\n" not in t and "\r" not in t),
    ),
    min_size=1,
    max_size=8,
)


def csv_bytes(rows: list[list[str]], header: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8", "surrogatepass")


csv_files = st.builds(
    csv_bytes,
    st.lists(st.lists(st.text(max_size=300) | bad_dates, max_size=7), max_size=6),
    st.lists(st.sampled_from(FIELDS) | st.text(max_size=5), min_size=1, max_size=7),
)

TAGS = ("div", "p", "article", "span", "script", "style", "a", "img", "table", "td", "svg", "iframe", "main", "h1")
ATTRS = ("onerror", "onclick", "href", "src", "class", "style", "datetime", "content")
ATTR_VALUES = ("javascript:alert(1)", "x", "2023-05-06", "data:text/html,<script>alert(1)</script>", '"><script>')


@st.composite
def html_trees(draw: st.DrawFn, depth: int = 0) -> str:
    tag = draw(st.sampled_from(TAGS))
    attrs = "".join(
        f' {draw(st.sampled_from(ATTRS))}="{draw(st.sampled_from(ATTR_VALUES) | st.text(max_size=20))}"'
        for _ in range(draw(st.integers(0, 2)))
    )
    children = [draw(st.text(max_size=120))]
    if depth < 4:
        children += draw(st.lists(html_trees(depth + 1), max_size=3))
    closing = draw(st.sampled_from([f"</{tag}>", "", "</div>"]))  # unclosed and mis-nested too
    return f"<{tag}{attrs}>{''.join(children)}{closing}"


html_pages = st.builds(
    lambda head, body, date: (
        f'<html><head><title>{head}</title><meta name="date" content="{date}"></head><body>{body}</body></html>'
    ),
    st.text(max_size=60),
    html_trees(),
    bad_dates | st.just("2023-05-06"),
)


def nested_html(depth: int, tag: str) -> bytes:
    body = "The minister of Peru resigned on Monday, officials said. " * 3
    return f"<html><body>{f'<{tag}>' * depth}{body}{f'</{tag}>' * depth}</body></html>".encode()


def rss(items: list[tuple[str, str, str]]) -> bytes:
    entries = "".join(
        f"<item><title>{t}</title><description>{d}</description><pubDate>{p}</pubDate></item>" for t, d, p in items
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>f</title>{entries}</channel></rss>'.encode(
        "utf-8", "replace"
    )


def atom(items: list[tuple[str, str, str]]) -> bytes:
    entries = "".join(
        f"<entry><title>{t}</title><content type='html'>{d}</content><updated>{p}</updated></entry>"
        for t, d, p in items
    )
    return f'<feed xmlns="http://www.w3.org/2005/Atom"><title>f</title>{entries}</feed>'.encode("utf-8", "replace")


feed_items = st.lists(st.tuples(st.text(max_size=40), st.text(max_size=300) | html_trees(), bad_dates), max_size=5)


# ---- every reader -------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", READER_SUFFIXES)
@FUZZ
@given(data=st.binary(max_size=4096) | encoded_text)
@example(data=b"")
@example(data=b"\x00" * 100)
@example(data=b"\xff\xfe" + "Tekst po polsku o rządzie w Warszawie.".encode("utf-16-le"))
@example(data=b"\xef\xbb\xbf")
def test_any_bytes_in_any_reader(suffix: str, data: bytes) -> None:
    read_file(suffix, data, date="2023-05-06")


@pytest.mark.parametrize("suffix", READER_SUFFIXES)
@FUZZ
@given(text=unicode_text, date=st.none() | bad_dates)
def test_any_unicode_in_any_reader(suffix: str, text: str, date: str | None) -> None:
    read_file(suffix, text.encode("utf-8"), date=date)


@FUZZ
@given(header=bad_dates, text=unicode_text)
def test_txt_seed_header_with_bad_dates(header: str, text: str) -> None:
    read_file(".txt", f" date {header} {text}".encode("utf-8", "replace"))


@FUZZ
@given(lines=jsonl_lines)
def test_jsonl_hostile_records(lines: list[str]) -> None:
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    read_file(".jsonl", data)
    with input_file(".jsonl", data) as path:  # at most one result per line, each naming its line
        results = list(read_paths([path], settings=LIMITS))
        assert len(results) <= len(lines)


@FUZZ
@given(data=csv_files)
def test_csv_hostile_rows(data: bytes) -> None:
    read_file(".csv", data)


@FUZZ
@given(page=html_pages)
def test_html_hostile_pages(page: str) -> None:
    read_file(".html", page.encode("utf-8", "surrogatepass"))


@pytest.mark.parametrize("tag", ["div", "span", "table", "b"])
@settings(max_examples=max(4, EXAMPLES // 8), deadline=None, derandomize=True)
@given(depth=st.integers(100, 60_000))
def test_deeply_nested_html(tag: str, depth: int) -> None:
    read_file(".html", nested_html(depth, tag))


@pytest.mark.parametrize("kind", ["rss", "atom"])
@FUZZ
@given(items=feed_items)
def test_feed_hostile_entries(kind: str, items: list[tuple[str, str, str]]) -> None:
    read_file(".rss" if kind == "rss" else ".atom", rss(items) if kind == "rss" else atom(items))


@pytest.mark.parametrize("suffix", READER_SUFFIXES)
@settings(max_examples=max(3, EXAMPLES // 10), deadline=None, derandomize=True)
@given(size=st.integers(100_000, 1_900_000), chunk=st.text(min_size=1, max_size=20), newline=st.booleans())
def test_huge_lines(suffix: str, size: int, chunk: str, newline: bool) -> None:
    """One enormous line (no newline at all, or at the end): refused or read, never a crash or a hang."""
    body = (chunk * (size // len(chunk) + 1))[:size]
    if suffix == ".jsonl":
        body = json.dumps({"date": "2023-05-06", "text": body})
    read_file(suffix, body.encode("utf-8") + (b"\n" if newline else b""), date="2023-05-06")


def test_limits_are_settings_with_sane_defaults(tmp_path: Path) -> None:
    defaults = Settings()
    assert 1_000_000 <= defaults.max_file_bytes <= 200_000_000
    assert 100_000 <= defaults.max_text_chars <= 1_000_000  # spaCy's own limit is 1M
    path = tmp_path / "long_2023-05-06.txt"
    path.write_text("word " * 50_000, encoding="utf-8")
    (err,) = read_paths([path], settings=Settings(max_text_chars=1000))
    assert isinstance(err, ReadError) and "NEWSGRAPH_MAX_TEXT_CHARS" in err.reason
    (err,) = read_paths([path], settings=Settings(max_file_bytes=1000))
    assert isinstance(err, ReadError) and "NEWSGRAPH_MAX_FILE_BYTES" in err.reason


# ---- the pieces under the readers ---------------------------------------------------------------


@settings(max_examples=EXAMPLES * 5, deadline=None, derandomize=True)
@given(value=bad_dates | json_values)
def test_parse_date_returns_iso_or_one_clear_error(value: object) -> None:
    try:
        iso = parse_date(value)
    except InputError as exc:
        assert str(exc) and "\n" not in str(exc)
    else:
        assert ISO_DATE.match(iso), iso
    COUNTS["parse_date"] = COUNTS.get("parse_date", 0) + 1


@settings(max_examples=EXAMPLES * 5, deadline=None, derandomize=True)
@given(data=st.binary(max_size=2048) | encoded_text)
def test_decode_returns_text_or_one_clear_error(data: bytes) -> None:
    try:
        text = decode(data)
    except InputError as exc:
        assert str(exc) and "\n" not in str(exc)
    else:
        assert isinstance(text, str)
    COUNTS["decode"] = COUNTS.get("decode", 0) + 1


# ---- extract and ingest -------------------------------------------------------------------------

article_texts = st.one_of(
    st.text(min_size=1, max_size=800),
    st.text(alphabet=st.sampled_from(list(" .,;:!?\"'()\n-–—…")) | st.characters(), min_size=1, max_size=400),
    st.lists(
        st.sampled_from([
            "The Ministry of Defence of Ruritania said on Monday", "“We deny it,” he said.", "Acme Corp.",
            "\n\n", "according to officials", "was arrested in Paris on 3 May 2021", "U.S.", "(AP) —",
            "<script>alert(1)</script>", "javascript:alert(1)", "🙂", "١٢٣", "Dr.", "'", "\u200b", "\t",
            "Mr. Smith, who leads the party, accused them", "", "said", "in 1066 BC", "next Tuesday",
        ]),
        min_size=1, max_size=40,
    ).map(" ".join),
).filter(lambda t: t.strip())  # fmt: skip


@pytest.mark.slow
@settings(max_examples=EXAMPLES * 2, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(text=article_texts)
def test_extract_any_text_gives_a_sane_storable_graph(text: str) -> None:
    from newsgraph.extract.pipeline import extract_article

    graph = extract_article(Article.create(text, "2023-05-06"))
    n = len(graph.article.text)
    json.dumps(graph.to_dict(), ensure_ascii=False).encode("utf-8")
    for s in graph.sentences:
        assert 0 <= s.start <= s.end <= n
    ids = {e.id for e in graph.entities}
    for e in graph.entities:
        for m in e.mentions:
            assert 0 <= m.start <= m.end <= n
    for v in graph.events:
        assert 0 <= v.start <= v.end <= n
        assert v.source in ids | {None} and v.target in ids | {None}
    for r in graph.relations:
        assert r.source in ids and r.target in ids
    COUNTS["extract"] = COUNTS.get("extract", 0) + 1


@pytest.mark.slow
@settings(max_examples=max(5, EXAMPLES // 4), deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(
    files=st.lists(
        st.tuples(
            st.sampled_from(READER_SUFFIXES),
            st.binary(max_size=600)
            | jsonl_lines.map(lambda ls: "\n".join(ls).encode("utf-8", "surrogatepass"))
            | article_texts.map(str.encode),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_ingest_of_any_files_never_raises_and_stores_whole_articles(files: list[tuple[str, bytes]]) -> None:
    from newsgraph.ingest import ingest
    from newsgraph.store import Store
    from newsgraph.store.backup import check_store

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        for i, (suffix, data) in enumerate(files):
            (corpus / f"f{i}_2023-05-06{suffix}").write_bytes(data)
        db = Path(tmp) / "s.db"
        with Store(db) as store:
            report = ingest([corpus], store, batch_size=3, settings=LIMITS)
            stored = store.stats()["articles"]
        assert stored == report.stored
        for err in report.failed:
            assert err.source.startswith(str(corpus)) and "\n" not in err.reason
            assert "extraction failed" not in err.reason, f"an extraction component crashed: {err}"
        assert check_store(db) == []
    COUNTS["ingest"] = COUNTS.get("ingest", 0) + 1


@pytest.mark.slow
@settings(max_examples=max(5, EXAMPLES // 2), deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(suffix=st.sampled_from(READER_SUFFIXES), data=st.binary(max_size=1500) | encoded_text)
def test_extract_command_on_any_file(suffix: str, data: bytes) -> None:
    """`newsgraph extract FILE`: JSON lines out, or one error line per bad input naming it, exit 1."""
    from typer.testing import CliRunner

    from newsgraph.cli import app

    with input_file(suffix, data) as path:
        result = CliRunner().invoke(app, ["extract", str(path), "--date", "2023-05-06"])
    assert isinstance(result.exception, SystemExit | None), repr(result.exception)
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.exit_code == (1 if errors else 0), (result.exit_code, errors)
    for line in errors:
        assert line.startswith(f"error {path}"), line
    for line in result.stdout.splitlines():
        assert "article" in json.loads(line)
    COUNTS["extract command"] = COUNTS.get("extract command", 0) + 1
