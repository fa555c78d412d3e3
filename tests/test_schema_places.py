"""Logical places: the current layout turns each into the cell the schema gives for it, and nothing else does."""

from __future__ import annotations

import pickle

import pytest

from samarbejde_xl import schema
from samarbejde_xl.core.problems import make_problem

CURRENT = schema.template_layout(schema.TEMPLATE_VERSION)


def test_fields_blocks_checklist_and_settings_resolve_to_the_schemas_cells() -> None:
    for field in schema.CASE_FIELDS + schema.CASE_COMPUTED_FIELDS:
        assert CURRENT.cell_of(schema.field_place(field.key)) == field.cell
    for block in schema.CASE_BLOCKS:
        for index in range(block.rows):
            for column in block.columns:
                assert CURRENT.cell_of(schema.block_place(block.key, index, column.key)) == block.cell(
                    index, column.key
                )
    for row in (schema.CHECKLIST_HEADER_ROW, schema.CHECKLIST_FIRST_ROW, 4000):
        for column in schema.CHECKLIST_COLUMNS:
            assert CURRENT.cell_of(schema.checklist_place(row, column.key)) == schema.checklist_cell(row, column.key)
    for setting in schema.SETTINGS_ROWS:
        assert CURRENT.cell_of(schema.setting_place(setting.key)) == schema.settings_value_cell(setting.key)
    assert CURRENT.cell_of(schema.named_cell(schema.CASE_TITLE_CELL)) == schema.CASE_TITLE_CELL


@pytest.mark.parametrize(
    "place",
    [
        schema.WHOLE_SHEET,
        schema.field_place("no_such_field"),
        schema.block_place("no_such_block", 0, "name"),
        schema.block_place("team", 0, "no_such_column"),
        schema.checklist_place(5, "no_such_column"),
        schema.setting_place("no_such_setting"),
    ],
)
def test_a_place_the_layout_lacks_has_no_cell(place: schema.Place) -> None:
    assert CURRENT.cell_of(place) == ""


def test_a_block_row_outside_the_block_is_a_mistake() -> None:
    team = schema.CASE_BLOCKS_BY_KEY["team"]
    with pytest.raises(IndexError):
        CURRENT.cell_of(schema.block_place("team", team.rows, "name"))


def test_a_problem_names_a_place_not_a_cell() -> None:
    with pytest.raises(TypeError, match="place"):
        make_problem("required-missing", file="f", sheet="U-0001", cell="B6", label="Ung-id")


def test_a_problem_travels_between_processes_with_its_cell() -> None:
    problem = make_problem(
        "required-missing", file="f", sheet="U-0001", place=schema.field_place("birth_date"), label="Fødselsdato"
    )
    copy = pickle.loads(pickle.dumps(problem))
    assert copy == problem and copy.cell == problem.cell == schema.CASE_FIELDS_BY_KEY["birth_date"].cell
