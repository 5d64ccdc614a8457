"""The derived trigger lexicon (issue 12, item 1): fresh, licensed, and merged with the overrides."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsgraph.extract.events.lexicon import merged_triggers

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("NEWSGRAPH_SHARED", ROOT.parent / "shared"))
LEXICONS = SHARED / "data" / "lexicons"
DATA = ROOT / "src" / "newsgraph" / "data" / "events"


@pytest.mark.slow
def test_generated_lexicon_is_not_stale() -> None:
    """`make lexicon` output equals the committed file: a changed source or script shows here."""
    if not (LEXICONS / "CAMEO.2.0.txt").exists():
        pytest.skip(f"shared lexicons not available at {LEXICONS} (set NEWSGRAPH_SHARED)")
    out = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "derive_event_lexicon.py"), "--lexicons", str(LEXICONS), "--check"],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr


def test_licence_and_attribution_beside_the_derived_file() -> None:
    text = (DATA / "CAMEO_LEXICON_ATTRIBUTION.md").read_text(encoding="utf-8")
    assert "CC BY-SA 4.0" in text or "Attribution-ShareAlike 4.0" in text
    assert "MIT" in text
    assert (DATA / "LICENSE-petrarch2-MIT.txt").exists()


def test_derived_verbs_carry_plover_types() -> None:
    lex = merged_triggers()
    # verbs the hand-written file never listed come from the CAMEO dictionary with their PLOVER type
    assert lex["verbs"]["imprison"]["type"] == "COERCE"
    assert lex["verbs"]["slay"]["type"] == "ASSAULT"
    assert lex["verbs"]["rebuff"]["type"] == "ACCUSE"
    assert "cameo" in lex["verbs"]["slay"]


def test_overrides_win_and_domain_types_survive() -> None:
    lex = merged_triggers()
    assert lex["verbs"]["recruit"]["type"] == "RECRUIT"  # domain extension, not CAMEO
    assert lex["verbs"]["meet"]["reciprocal"] is True  # argument behaviour from the overrides


def test_dictionary_non_event_readings_become_guards() -> None:
    """CAMEO's own `[---]` patterns ("killed in an accident", "an earthquake killed") are guards."""
    g = merged_triggers()["guards"]["kill"]
    assert "accident" in g["prep_objects"]
    assert "earthquake" in g["subjects"]


@pytest.mark.slow
def test_generated_actor_knowledge_is_not_stale() -> None:
    """`make knowledge` output equals the committed data/actors/phoenix.json."""
    if not (LEXICONS / "Phoenix.agents.txt").exists():
        pytest.skip(f"shared lexicons not available at {LEXICONS} (set NEWSGRAPH_SHARED)")
    out = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "derive_actor_knowledge.py"), "--lexicons", str(LEXICONS), "--check"],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
