"""`newsgraph ingest --engine dask` when extraction fails (#14 bugs): an article that breaks the
extractor is counted once in the progress bar (it read 5/5 for 4 articles), and a partition whose
worker keeps dying ends the run with one clear error line, not a ``KilledWorker`` traceback.

Faults are injected in every process of the run (driver and LocalCluster workers) by a
``sitecustomize`` module on ``PYTHONPATH``: an article holding BOOM breaks the extractor, one
holding KILLME kills the worker process that extracts it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import run_newsgraph, summary

pytestmark = pytest.mark.slow

FAULTS = '''
import os
if os.environ.get("NEWSGRAPH_TEST_FAULTS"):
    import newsgraph.extract.pipeline as _pipeline
    import newsgraph.scale as _scale

    _parse = _pipeline._parse_chunk
    _partition = _scale.extract_partition

    def _parse_chunk(articles, *args, **kw):
        if any("BOOM" in a.text for a in articles):
            raise RuntimeError("component bug")
        return _parse(articles, *args, **kw)

    def extract_partition(records, *args, **kw):
        if any("KILLME" in r["text"] for r in records):
            os._exit(9)
        return _partition(records, *args, **kw)

    _pipeline._parse_chunk = _parse_chunk
    _scale.extract_partition = extract_partition
'''


def feed(path: Path, texts: list[str]) -> Path:
    lines = [json.dumps({"id": f"a{i}", "date": f"2024-05-0{1 + i}", "text": t}) for i, t in enumerate(texts)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run_dask(tmp_path: Path, texts: list[str], *extra: str) -> tuple[int, str, str]:
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(FAULTS, encoding="utf-8")
    src = Path(__file__).resolve().parent.parent / "src"
    env = {**os.environ, "COLUMNS": "200", "NEWSGRAPH_TEST_FAULTS": "1",
           "PYTHONPATH": os.pathsep.join([str(hooks), os.environ.get("PYTHONPATH") or str(src)]),
           "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "0"}  # fmt: skip
    path = feed(tmp_path / "feed.jsonl", texts)
    run = run_newsgraph("ingest", path, "--db", tmp_path / "s.db", "--engine", "dask", "--workers", "1",
                        "--batch-size", "2", *extra, env=env)  # fmt: skip
    return run.returncode, run.stdout, run.stderr


GOOD = "The mayor of {} met union leaders on Tuesday, officials said."


def test_an_article_that_breaks_the_extractor_is_counted_once(tmp_path: Path) -> None:
    texts = [GOOD.format("Lisbon"), "BOOM: the mayor of Quito resigned, officials said.", GOOD.format("Oslo"),
             GOOD.format("Lima")]  # fmt: skip
    code, out, err = run_dask(tmp_path, texts)
    assert code == 1, err[-3000:]
    rows = summary(out)
    assert (rows["stored"], rows["failed"]) == ("3", "1"), out
    progress = [line for line in err.splitlines() if line.startswith("ingest")][-1]
    assert " 4/4 " in progress, progress
    assert "extraction failed (RuntimeError: component bug)" in err


def test_a_worker_that_keeps_dying_is_one_clear_error_line(tmp_path: Path) -> None:
    code, _out, err = run_dask(tmp_path, [GOOD.format("Lisbon"), "KILLME now, said the mayor of Accra."])
    assert code == 1
    assert "Traceback" not in err and "KilledWorker(" not in err, err[-3000:]
    (line,) = [ln for ln in err.splitlines() if ln.startswith("error:")]
    assert "worker" in line and "run the same command again" in line, line
