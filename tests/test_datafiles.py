"""The one data loader: every data file loads through it and fits the model's vocabularies."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT
from newsgraph import datafiles

DATA = ROOT / "src" / "newsgraph" / "data"


@pytest.mark.parametrize(
    "path", sorted(str(p.relative_to(DATA)) for p in DATA.rglob("*") if p.suffix in (".yaml", ".yml", ".json"))
)
def test_every_shipped_data_file_loads_and_validates(path: str) -> None:
    assert datafiles.load(path) is not None


def test_a_bad_event_type_in_a_trigger_file_fails_with_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "triggers.yaml"
    bad.write_text("verbs:\n  recruit: {type: RECRUTE}\n  meet: {type: CONSULT}\n", encoding="utf-8")
    with pytest.raises(datafiles.DataFileError) as err:
        datafiles.load_file(bad, "events/triggers.yaml")
    message = str(err.value)
    assert "data/events/triggers.yaml" in message and "verbs.recruit.type" in message
    assert "'RECRUTE' is not one of the event types" in message and "RECRUIT" in message
    assert "meet" not in message


def test_bad_relation_types_and_certainty_values_fail(tmp_path: Path) -> None:
    rel = tmp_path / "relations.yaml"
    rel.write_text("link_verbs: {tie: linked_with}\n", encoding="utf-8")
    with pytest.raises(datafiles.DataFileError, match=r"link_verbs\.tie: 'linked_with' is not one of the relation"):
        datafiles.load_file(rel, "events/relations.yaml")
    cues = tmp_path / "cues.yaml"
    cues.write_text("verbs:\n  claim: {certainty: doubtful}\n", encoding="utf-8")
    with pytest.raises(datafiles.DataFileError, match=r"claim\.certainty: 'doubtful' is not one of the certainty"):
        datafiles.load_file(cues, "attributions/cues.yaml")


def test_a_bare_on_is_the_preposition_not_a_boolean(tmp_path: Path) -> None:
    """YAML 1.1 reads `on` as True: the trigger lexicon once held the preposition as "True"."""
    f = tmp_path / "t.yaml"
    f.write_text("default_target_preps: [against, on, off, yes, no]\nflag: true\n", encoding="utf-8")
    data = datafiles.load_file(f, "events/triggers.yaml")
    assert data["default_target_preps"] == ["against", "on", "off", "yes", "no"]
    assert data["flag"] is True


def test_each_caller_gets_its_own_copy() -> None:
    first = datafiles.load("certainty/cues.yaml")
    first["alleged_modals"].append("surely")
    assert "surely" not in datafiles.load("certainty/cues.yaml")["alleged_modals"]
