"""Loading and validating the rubric TOML: the numbers, the areas, and loud errors that name the line."""

from __future__ import annotations

import hashlib
import re

import pytest

from disclosures.core.rubric import (
    CURRENT_RUBRIC,
    RUBRICS_DIR,
    RubricError,
    load_rubric,
    load_rubric_from_text,
    rubric_sha256,
)
from disclosures.core.types import AREAS, STATUSES

SOURCE = (RUBRICS_DIR / f"{CURRENT_RUBRIC}.toml").read_text(encoding="utf-8")


def line_of(needle: str, text: str = SOURCE) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in the rubric")


def broken(old: str, new: str) -> str:
    assert SOURCE.count(old) == 1, old
    return SOURCE.replace(old, new)


def test_it_loads_the_current_rubric_with_all_five_areas_in_order() -> None:
    rubric = load_rubric()
    assert CURRENT_RUBRIC == "ctsca-1"
    assert rubric.version == "ctsca-1"
    assert tuple(rubric.areas) == AREAS


def test_it_caches_the_loaded_rubric() -> None:
    assert load_rubric() is load_rubric(CURRENT_RUBRIC)


def test_it_hashes_the_file_bytes() -> None:
    expected = hashlib.sha256((RUBRICS_DIR / "ctsca-1.toml").read_bytes()).hexdigest()
    assert rubric_sha256("ctsca-1") == expected
    assert load_rubric().sha256 == expected


def test_it_carries_the_rubric_numbers() -> None:
    scoring = load_rubric().scoring
    assert scoring.status_points == {"does": 2, "does_hedged": 2, "does_not": 2, "unclear": 1, "silent": 0}
    assert set(scoring.status_points) == set(STATUSES)
    assert (scoring.compliance_max, scoring.compliance_max_with_homepage, scoring.practice_max) == (12, 15, 55)
    assert [name for name, _ in load_rubric().tiers] == ["complete", "substantial", "partial", "minimal"]
    assert load_rubric().areas["audits"].base_points == 3
    assert load_rubric().areas["training"].base_points == 4


def test_it_carries_the_crosswalk_for_three_regimes() -> None:
    crosswalk = load_rubric().crosswalk
    assert set(crosswalk) == {"uk", "au", "ca"}
    assert {signal.name for signal in crosswalk["uk"].signals} >= {"board_approval", "director_signature"}
    assert "governing_body_approval" in {signal.name for signal in crosswalk["au"].signals}


def test_it_loads_the_same_rubric_from_text() -> None:
    rubric = load_rubric_from_text(SOURCE, "copy.toml")
    assert rubric.version == "ctsca-1"
    assert rubric.sha256 == load_rubric().sha256


def test_it_rejects_an_unknown_key_naming_file_and_line() -> None:
    text = broken("base_points = 3\n", "base_points = 3\nbase_pionts = 3\n")
    with pytest.raises(RubricError, match=rf"^edit\.toml:{line_of('base_pionts', text)}: .*unknown key 'base_pionts'"):
        load_rubric_from_text(text, "edit.toml")


def test_it_rejects_a_broken_regular_expression_on_its_line() -> None:
    text = broken("'\\bsmeta\\b',", "'\\bsmeta(\\b',")
    with pytest.raises(
        RubricError, match=rf"^edit\.toml:{line_of('smeta(', text)}: areas\.audits\.activity: bad regular"
    ):
        load_rubric_from_text(text, "edit.toml")


def test_it_rejects_a_missing_area() -> None:
    text = re.sub(r"\[areas\.training\]", "[areas.trainings]", SOURCE)
    with pytest.raises(RubricError, match="unknown area 'trainings'"):
        load_rubric_from_text(text, "edit.toml")


def test_it_rejects_weights_that_do_not_add_up() -> None:
    text = broken("compliance_max = 12 ", "compliance_max = 13 ")
    with pytest.raises(RubricError, match=rf"^edit\.toml:{line_of('compliance_max = 13', text)}: .*add up to 12"):
        load_rubric_from_text(text, "edit.toml")


def test_it_rejects_a_negative_weight() -> None:
    text = broken("qualifier_points = 1", "qualifier_points = -1")
    with pytest.raises(RubricError, match="whole number >= 0"):
        load_rubric_from_text(text, "edit.toml")


def test_it_rejects_tiers_out_of_order() -> None:
    text = broken('name = "partial"\nmin = 40', 'name = "partial"\nmin = 95')
    with pytest.raises(RubricError, match="strictly descending"):
        load_rubric_from_text(text, "edit.toml")


def test_it_rejects_a_trigger_that_is_not_a_word_beginning() -> None:
    text = broken("'smeta', 'sa8000',", "'Smeta', 'sa8000',")
    with pytest.raises(RubricError, match=rf"^edit\.toml:{line_of(chr(39) + 'Smeta', text)}: .*trigger 'Smeta'"):
        load_rubric_from_text(text, "edit.toml")


def test_it_rejects_invalid_toml_with_its_line() -> None:
    with pytest.raises(RubricError, match=r"^edit\.toml:2: not valid TOML"):
        load_rubric_from_text('version = "x"\ntitle = \n', "edit.toml")


def test_it_rejects_version_names_that_could_escape_the_folder() -> None:
    with pytest.raises(RubricError, match="not a rubric version name"):
        load_rubric("../settings")


def test_it_reports_a_missing_rubric_file() -> None:
    with pytest.raises(RubricError, match="cannot read rubric"):
        load_rubric("ctsca-999")
