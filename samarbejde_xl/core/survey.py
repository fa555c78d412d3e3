"""Fagpersoners vurdering (seed 001): the professionals' answers to four statements on the collaboration, counted.

Pure: the workbook module hands over the rows of the survey sheet as cell values. A row counts when any statement
has an answer; a blank statement is no answer (each statement has its own number of answers). Answers dated after
the report date are left out; an undated answer counts (the survey is yearly and the file given is the round to
report on). A value that is not one of the three answers stops the reading with a message naming file, sheet and
cell: the count would be wrong otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from samarbejde_xl import schema
from samarbejde_xl.core.errors import SamarbejdeError
from samarbejde_xl.core.figures import share
from samarbejde_xl.core.raw import CellValue


class SurveyError(SamarbejdeError):
    """A survey file that cannot be counted; the message is Danish and names file, sheet and cell."""


@dataclass(frozen=True)
class SurveyRow:
    code: str  # SURVEY_STATEMENTS code
    label: str  # the statement, Danish
    counts: tuple[int, int, int]  # SURVEY_ANSWER order: high, some, low
    answered: int

    @property
    def shares(self) -> tuple[float | None, float | None, float | None]:
        high, some, low = self.counts
        return share(high, self.answered), share(some, self.answered), share(low, self.answered)


@dataclass(frozen=True)
class SurveyResult:
    files: tuple[str, ...]
    respondents: int  # rows with at least one answer
    rows: tuple[SurveyRow, ...]  # SURVEY_STATEMENTS order


def _as_date(value: CellValue) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return None


def count_answers(files: Sequence[tuple[str, Sequence[Sequence[CellValue]]]], as_of: date) -> SurveyResult:
    """``files``: (file name, rows of the survey sheet from :data:`schema.SURVEY_FIRST_ROW`, one value per
    :data:`schema.SURVEY_COLUMNS`)."""
    statements = [
        (schema.survey_column(schema.SURVEY_STATEMENT_PREFIX + code) - 1, code) for code, _ in schema.SURVEY_STATEMENTS
    ]
    date_index = schema.survey_column("date") - 1
    answers = schema.SURVEY_ANSWER
    counts = {code: [0, 0, 0] for code, _ in schema.SURVEY_STATEMENTS}
    respondents = 0
    for file, rows in files:
        for offset, row in enumerate(rows):
            day = _as_date(row[date_index]) if date_index < len(row) else None
            if day is not None and day > as_of:
                continue
            given = False
            for index, code in statements:
                value = row[index] if index < len(row) else None
                if value is None or (isinstance(value, str) and not value.strip()):
                    continue
                answer = answers.code_of(str(value))
                if answer is None:
                    cell = schema.cell_address(schema.SURVEY_FIRST_ROW + offset, index + 1)
                    allowed = " / ".join(f"'{label}'" for label in answers.labels)
                    raise SurveyError(
                        f"{file}: arket '{schema.SURVEY_SHEET}', celle {cell}: '{value}' er ikke et af svarene "
                        f"{allowed}. Vælg svaret i rullelisten og kør igen."
                    )
                counts[code][answers.codes.index(answer)] += 1
                given = True
            respondents += given
    return SurveyResult(
        tuple(file for file, _ in files),
        respondents,
        tuple(
            SurveyRow(code, label, (counts[code][0], counts[code][1], counts[code][2]), sum(counts[code]))
            for code, label in schema.SURVEY_STATEMENTS
        ),
    )
