"""Fagpersoners vurdering (issue 14, seed 001): the survey template, consolidation, chart and suppression.

Twelve professionals answer (H = meget høj eller høj grad, N = nogen grad, M = mindre grad eller slet ikke):

    statement    H  N  M  answered   shares
    holistic     7  4  1  12         58.3 % / 33.3 % / 8.3 %
    complement   5  5  2  12         41.7 % / 41.7 % / 16.7 %
    barriers     3  6  2  11 (one left it blank)
    partners     9  3  0  12

A thirteenth answer is dated after the report date and a fourteenth row is empty: neither counts.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from samarbejde_xl import schema
from samarbejde_xl.cli import cli
from samarbejde_xl.core.survey import SurveyError, count_answers
from samarbejde_xl.workbook.survey import build_survey_workbook, read_survey
from samarbejde_xl.workbook.template import save_template

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
COMMITTED = Path(__file__).resolve().parents[1] / "workbook_templates" / "fagpersoners-vurdering.xlsx"
H, N, M = schema.SURVEY_ANSWER.labels
ANSWERS: list[tuple[date | None, str, tuple[str | None, str | None, str | None, str | None]]] = [
    (date(2026, 9, 1), "UU-vejleder", (H, H, H, H)),
    (date(2026, 9, 1), "jobcenterkonsulent", (H, H, H, H)),
    (date(2026, 9, 2), "sagsbehandler voksen", (H, H, H, H)),
    (date(2026, 9, 2), "koordinator/guide", (H, H, N, H)),
    (date(2026, 9, 3), "", (H, H, N, H)),
    (None, "", (H, N, N, H)),
    (date(2026, 9, 3), "", (H, N, N, H)),
    (date(2026, 9, 4), "", (N, N, N, H)),
    (date(2026, 9, 4), "", (N, N, N, H)),
    (date(2026, 9, 5), "", (N, M, M, N)),
    (date(2026, 9, 5), "", (N, M, M, N)),
    (date(2026, 9, 6), "", (M, N, None, N)),
    (date(2026, 10, 20), "", (M, M, M, M)),  # after the report date
    (None, "", (None, None, None, None)),
]
EXPECTED = {  # statement -> (counts, answered)
    "holistic": ((7, 4, 1), 12),
    "complement": ((5, 5, 2), 12),
    "barriers": ((3, 6, 2), 11),
    "partners": ((9, 3, 0), 12),
}


def _fill(path: Path, answers: list[Any]) -> Path:
    workbook = build_survey_workbook()
    sheet = workbook[schema.SURVEY_SHEET]
    for offset, (day, profession, statements) in enumerate(answers):
        row = schema.SURVEY_FIRST_ROW + offset
        sheet.cell(row, schema.survey_column("date"), day)
        sheet.cell(row, schema.survey_column("profession"), profession or None)
        for (code, _), answer in zip(schema.SURVEY_STATEMENTS, statements, strict=True):
            sheet.cell(row, schema.survey_column(schema.SURVEY_STATEMENT_PREFIX + code), answer)
    workbook.save(path)
    return path


def test_the_template_has_the_question_four_statements_and_three_answers(tmp_path: Path) -> None:
    path = tmp_path / "skema.xlsx"
    build_survey_workbook().save(path)
    sheet = openpyxl.load_workbook(path)[schema.SURVEY_SHEET]
    assert sheet[schema.SURVEY_QUESTION_CELL].value == schema.SURVEY_QUESTION
    headers = [sheet.cell(schema.SURVEY_HEADER_ROW, col).value for col in range(1, len(schema.SURVEY_COLUMNS) + 1)]
    assert headers[2:] == [text for _, text in schema.SURVEY_STATEMENTS]
    lists = openpyxl.load_workbook(path)[schema.SURVEY_LISTS_SHEET]
    assert [lists.cell(row, 1).value for row in range(2, 5)] == [H, N, M]
    answer_lists = [dv for dv in sheet.data_validations.dataValidation if "$A$2:$A$4" in (dv.formula1 or "")]
    assert len(answer_lists) == len(schema.SURVEY_STATEMENTS)


def test_committed_survey_template_equals_a_fresh_build() -> None:
    from samarbejde_xl.workbook.canonical import canonical_dump, dump_json
    from samarbejde_xl.workbook.save import workbook_bytes

    fresh = dump_json(canonical_dump(workbook_bytes(build_survey_workbook()), include_times=True))
    assert dump_json(canonical_dump(COMMITTED, include_times=True)) == fresh, "run samarbejde-xl template survey"


def test_answers_are_counted_by_hand(tmp_path: Path) -> None:
    result = count_answers([read_survey(_fill(tmp_path / "svar.xlsx", ANSWERS))], date(2026, 9, 30))
    assert result.respondents == 12
    assert {row.code: (row.counts, row.answered) for row in result.rows} == EXPECTED
    holistic = result.rows[0]
    assert holistic.shares == pytest.approx((7 / 12, 4 / 12, 1 / 12))


def test_consolidate_writes_the_survey_sheet_chart_and_suppressed_summary(tmp_path: Path) -> None:
    survey = _fill(tmp_path / "svar.xlsx", ANSWERS)
    report = tmp_path / "rapport.xlsx"
    result = CliRunner().invoke(
        cli,
        ["consolidate", str(EXAMPLES), "-o", str(report), "--today", "2026-10-01", "--quarter", "2026Q3"]
        + ["--no-history", "-j", "1", "--survey", str(survey)],
    )
    assert result.exit_code == 0, result.output
    workbook = openpyxl.load_workbook(report)
    sheet = workbook[schema.REPORT_SHEET_SURVEY]
    rows = {row[0]: row[1:] for row in sheet.iter_rows(values_only=True) if row[0]}
    for code, text in schema.SURVEY_STATEMENTS:
        counts, answered = EXPECTED[code]
        # Shares as shown: within one percent of exact, and adding up to 100 % (largest remainder).
        assert rows[text][:7] == (*(pytest.approx(count / answered, abs=0.01) for count in counts), *counts, answered)
        assert round(100 * sum(rows[text][:3])) == 100
    assert any("Fagpersoner, der har svaret: 12" in str(key) for key in rows)
    from zipfile import ZipFile

    with ZipFile(report) as archive:
        charts = [archive.read(name).decode() for name in archive.namelist() if name.startswith("xl/charts/")]
    assert any('<c:grouping val="percentStacked"/>' in chart and "Fagpersoners vurdering" in chart for chart in charts)

    summary = openpyxl.load_workbook(tmp_path / "rapport-politikere.xlsx")[schema.REPORT_SHEET_POLITICIANS]
    shown = {row[0]: row[1:5] for row in summary.iter_rows(values_only=True) if row[0]}
    text = dict(schema.SURVEY_STATEMENTS)
    assert shown[text["holistic"]] == (7, "<5", "<5", 12)
    assert shown[text["barriers"]] == ("<5", 6, "<5", 11)
    assert shown[text["partners"]] == ("x", "<5", 0, 12)  # 3 alone would follow from 12 - 0: 9 is hidden too
    # 2 is small; with one 5 hidden too, the hidden pair sums to 7 and a 3 would leave 4 (neither 0 nor 5+):
    # both 5s are hidden.
    assert shown[text["complement"]] == ("x", "x", "<5", 12)


def test_a_report_without_survey_says_how_to_get_one(tmp_path: Path) -> None:
    report = tmp_path / "rapport.xlsx"
    result = CliRunner().invoke(
        cli, ["consolidate", str(EXAMPLES), "-o", str(report), "--today", "2026-10-01", "--no-history", "-j", "1"]
    )
    assert result.exit_code == 0, result.output
    texts = [
        c for row in openpyxl.load_workbook(report)[schema.REPORT_SHEET_SURVEY].iter_rows(values_only=True) for c in row
    ]
    assert any(isinstance(t, str) and "samarbejde-xl template survey" in t for t in texts)


def test_a_wrong_answer_names_file_sheet_and_cell(tmp_path: Path) -> None:
    survey = _fill(tmp_path / "svar.xlsx", [(None, "", (H, "Meget", None, None))])
    report = tmp_path / "rapport.xlsx"
    result = CliRunner().invoke(
        cli,
        ["consolidate", str(EXAMPLES), "-o", str(report), "--today", "2026-10-01", "--no-history", "-j", "1"]
        + ["--survey", str(survey)],
    )
    cell = schema.cell_address(schema.SURVEY_FIRST_ROW, schema.survey_column("statement.complement"))
    assert result.exit_code == 2
    assert f"svar.xlsx: arket '{schema.SURVEY_SHEET}', celle {cell}: 'Meget' er ikke et af svarene" in result.output
    assert not report.exists()


def test_a_case_workbook_is_not_a_survey(tmp_path: Path) -> None:
    case_workbook = tmp_path / "sager.xlsx"
    save_template(case_workbook)
    with pytest.raises(SurveyError, match="mangler, så det er ikke et skema"):
        read_survey(case_workbook)
    with pytest.raises(SurveyError, match="kan ikke læses") as not_a_workbook:
        read_survey(Path(__file__))
    assert "filen er afkortet eller ødelagt" in str(not_a_workbook.value)
    assert "zip file" not in str(not_a_workbook.value)  # zipfile's own English text


def test_survey_command_builds_the_template(tmp_path: Path) -> None:
    target = tmp_path / "skema.xlsx"
    result = CliRunner().invoke(cli, ["template", "survey", "-o", str(target)])
    assert result.exit_code == 0 and target.exists()
    assert read_survey(target)[1][0] == [None] * len(schema.SURVEY_COLUMNS)
