"""The professionals' survey workbook (Fagpersoners vurdering): built from the schema, and read for consolidate.

A small workbook of its own, so it can be sent to the partners without any case data: one sheet with the seed's
question, the four statements as columns with a dropdown of the three answers, one row per professional.
"""

from __future__ import annotations

import os
import zipfile
from datetime import date, time
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.packaging.core import DocumentProperties
from openpyxl.styles import Alignment
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from samarbejde_xl import schema
from samarbejde_xl.core.raw import CellValue
from samarbejde_xl.core.survey import SurveyError
from samarbejde_xl.core.wording import package_reason
from samarbejde_xl.workbook.save import save_workbook
from samarbejde_xl.workbook.template import (
    BOLD_FONT,
    BOX,
    BUILD_TIMESTAMP,
    CREATOR,
    HEADER_ALIGNMENT,
    HEADER_FILL,
    TITLE_FONT,
    UNLOCKED,
)

_LIST_ERROR = "Vælg et svar fra rullelisten."
_DATE_ERROR = "Skriv en dato som dd-mm-åååå."


def build_survey_workbook() -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = schema.SURVEY_SHEET
    sheet[schema.SURVEY_TITLE_CELL] = schema.SURVEY_TITLE
    sheet[schema.SURVEY_TITLE_CELL].font = TITLE_FONT
    sheet[schema.SURVEY_QUESTION_CELL] = schema.SURVEY_QUESTION
    sheet[schema.SURVEY_QUESTION_CELL].font = BOLD_FONT
    sheet[schema.SURVEY_HELP_CELL] = schema.SURVEY_HELP
    last_row = schema.SURVEY_FIRST_ROW + schema.SURVEY_TEMPLATE_ROWS - 1
    for index, column in enumerate(schema.SURVEY_COLUMNS, start=1):
        header = sheet.cell(schema.SURVEY_HEADER_ROW, index, column.header)
        header.font, header.fill, header.alignment, header.border = BOLD_FONT, HEADER_FILL, HEADER_ALIGNMENT, BOX
        letter = schema.column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        ref = f"{letter}{schema.SURVEY_FIRST_ROW}:{letter}{last_row}"
        if column.choice is not None:
            validation = DataValidation(
                type="list", formula1=schema.survey_list_range(column.choice), error=_LIST_ERROR, allow_blank=True
            )
        else:
            validation = DataValidation(type="date", operator="greaterThan", formula1="1", error=_DATE_ERROR)
            validation.allow_blank = True
        validation.showErrorMessage = True
        validation.add(ref)
        sheet.add_data_validation(validation)
        for row in range(schema.SURVEY_FIRST_ROW, last_row + 1):
            cell = sheet.cell(row, index)
            cell.protection, cell.border = UNLOCKED, BOX
            if column.kind is schema.Kind.DATE:
                cell.number_format = schema.DATE_FORMAT
    sheet.row_dimensions[schema.SURVEY_HEADER_ROW].height = 60
    for address in (schema.SURVEY_QUESTION_CELL, schema.SURVEY_HELP_CELL):
        sheet[address].alignment = Alignment(wrap_text=False, vertical="top")
    sheet.freeze_panes = schema.cell_address(schema.SURVEY_FIRST_ROW, 1)
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False

    lists = workbook.create_sheet(schema.SURVEY_LISTS_SHEET)
    for index, choice in enumerate(schema.SURVEY_LISTS, start=1):
        lists.cell(1, index, choice.title).font = BOLD_FONT
        for offset, label in enumerate(choice.labels, start=2):
            lists.cell(offset, index, label)
        lists.column_dimensions[schema.column_letter(index)].width = schema.LISTS_COLUMN_WIDTH
    lists.sheet_state = "hidden"
    lists.protection.sheet = True
    workbook.properties = DocumentProperties(
        title=schema.SURVEY_TITLE,
        creator=CREATOR,
        lastModifiedBy=CREATOR,
        created=BUILD_TIMESTAMP,
        modified=BUILD_TIMESTAMP,
        language="da-DK",
    )
    return workbook


def save_survey_template(path: str | os.PathLike[str]) -> None:
    save_workbook(build_survey_workbook(), path)


def _cell_value(value: object) -> CellValue:
    if value is None or isinstance(value, str | int | float | bool | date | time):
        return value
    return str(value)  # rich text and the like: their text


def read_survey(path: str | os.PathLike[str]) -> tuple[str, list[list[CellValue]]]:
    """(file name, answer rows) of a survey workbook; SurveyError (Danish) when it is not one or cannot be read."""
    name = Path(path).name
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, InvalidFileException, KeyError, ValueError) as error:
        raise SurveyError(
            f"{name}: filen kan ikke læses som en Excel-projektmappe ({package_reason(error)}). Gem den som .xlsx og "
            "kør igen."
        ) from error
    try:
        if schema.SURVEY_SHEET not in workbook.sheetnames:
            raise SurveyError(
                f"{name}: arket '{schema.SURVEY_SHEET}' mangler, så det er ikke et skema til fagpersoners vurdering. "
                "Brug skabelonen fra 'samarbejde-xl template survey'."
            )
        sheet = workbook[schema.SURVEY_SHEET]
        title = sheet[schema.SURVEY_TITLE_CELL].value
        if title != schema.SURVEY_TITLE:
            raise SurveyError(
                f"{name}: arket '{schema.SURVEY_SHEET}' har ikke overskriften '{schema.SURVEY_TITLE}' i celle "
                f"{schema.SURVEY_TITLE_CELL}. Brug skabelonen fra 'samarbejde-xl template survey'."
            )
        width = len(schema.SURVEY_COLUMNS)
        rows = [
            [_cell_value(value) for value in row]
            for row in sheet.iter_rows(min_row=schema.SURVEY_FIRST_ROW, max_col=width, values_only=True)
        ]
    finally:
        workbook.close()
    return name, rows
