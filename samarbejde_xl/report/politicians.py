"""The politicians' summary as its own workbook: renders :func:`samarbejde_xl.core.publication.politicians_summary`.

What may be shown is decided in the core (aggregates only, small counts suppressed); this module only lays the
tables out with the report's sheet helper (``report/leader_report.py``), marks "<5" and "x", and draws the outcome
chart.
It is a separate file so that the internal report, with its overdue list of pseudonymous ids, never travels with it.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from samarbejde_xl import schema
from samarbejde_xl.core.figures import ConsolidationResult
from samarbejde_xl.core.publication import Cell, Mark, PoliticiansSummary, Row, Table, politicians_summary
from samarbejde_xl.core.suppression import DEFAULT_MIN_COUNT
from samarbejde_xl.fileio import atomic_output
from samarbejde_xl.report.leader_report import (
    BLUE,
    DECIMAL,
    HELPER_COLUMN,
    HIDDEN,
    HIDDEN_MARKER,
    INTEGER,
    PERCENT,
    PERCENT_FORMAT,
    Col,
    TablePlace,
    Value,
    _add_sheet,
    _Hidden,
    _open_workbook,
    _Sheet,
    _subtitle,
    share_bars,
    small_marker,
)

POLITICIANS_TITLE = "Samarbejdsmodellen – sammenfatning til politikere"
ROUNDED_APART_NOTE = (
    "Andelene er afrundet hver for sig, fordi nogle tal er skjult: de giver ikke nødvendigvis præcis 100 % tilsammen."
)


def write_politicians_summary(
    result: ConsolidationResult, path: str | os.PathLike[str], *, min_count: int = DEFAULT_MIN_COUNT
) -> None:
    """Write the politicians' summary (aggregates, suppressed) to its own workbook ``path``, atomically."""
    summary = politicians_summary(result, min_count)
    with atomic_output(path) as temp_path:
        workbook, formats = _open_workbook(temp_path, result, POLITICIANS_TITLE)
        sheet = _add_sheet(workbook, formats, schema.REPORT_SHEET_POLITICIANS)
        _write(sheet, result, summary)
        sheet.finish()
        workbook.close()


def _write(sheet: _Sheet, result: ConsolidationResult, summary: PoliticiansSummary) -> None:
    sheet.header_title = POLITICIANS_TITLE
    sheet.title(POLITICIANS_TITLE, _subtitle(result))
    sheet.note(suppression_note(summary.min_count), columns=5)
    marks = _Marks(summary.min_count)
    sheet.heading("Unge i forløb")
    for first_header, table in (("Modelvariant", summary.caseload_by_variant), ("Alder", summary.caseload_by_age_band)):
        marks.table(
            sheet,
            [Col(first_header), Col("Aktive", INTEGER), Col("Startet", INTEGER), Col("Afsluttet", INTEGER)],
            table,
        )
    sheet.heading("Udfald – uddannelse og job")
    place = marks.table(
        sheet, [Col("Udfald"), Col("Gruppe"), Col("Antal", INTEGER), Col("Andel", PERCENT)], summary.outcomes
    )
    _outcome_chart(sheet, place, [row.cells[1] for row in summary.outcomes.rows])
    sheet.heading("Møder til tiden og den unges deltagelse")
    marks.table(
        sheet,
        [Col("Møder"), Col("Antal", INTEGER), Col("Til tiden / deltog", INTEGER), Col("Andel", PERCENT)],
        summary.meetings,
    )
    sheet.heading("Livsområder – gennemsnitlig score (1–10, 10 er bedst)")
    marks.table(
        sheet,
        [
            Col("Livsområde"),
            Col("Unge (n)", INTEGER),
            Col("Første score", DECIMAL),
            Col("Seneste score", DECIMAL),
            Col("Forbedret", PERCENT),
            Col("Forværret", PERCENT),
        ],
        summary.life_areas,
    )
    if summary.survey is not None:
        answers = schema.SURVEY_ANSWER.labels
        sheet.heading("Fagpersoners vurdering af samarbejdet")
        columns = [
            Col("Udsagn"),
            *(Col(label, INTEGER) for label in answers),
            Col("Svar i alt", INTEGER),
            *(Col(f"Andel: {label.lower()}", PERCENT) for label in answers),
        ]
        marks.table(sheet, columns, summary.survey)
    sheet.note(
        f"Dannet {result.generated_at.strftime('%d-%m-%Y')} af samarbejde-xl {result.tool_version}.", columns=5, gap=0
    )


class _Marks:
    """Published cells as the sheet shows them: "<5" for a small count, "x" for a hidden value, blank for none."""

    def __init__(self, min_count: int) -> None:
        self.small = _Hidden(small_marker(min_count))

    def value(self, cell: Cell) -> Value:
        if cell is Mark.SMALL:
            return self.small
        if cell is Mark.HIDDEN:
            return HIDDEN
        if cell is Mark.NONE:
            return None
        return cell

    def row(self, row: Row) -> list[Value]:
        return [*row.labels, *map(self.value, row.cells)]

    def table(self, sheet: _Sheet, columns: Sequence[Col], table: Table) -> TablePlace:
        """The table; under it, when some of its shares stand beside hidden counts, a note that they may not add
        up to 100 % (kept on the table's page)."""
        total = self.row(table.total) if table.total is not None else None
        rows = [self.row(row) for row in table.rows]
        if not table.shares_rounded_apart:
            return sheet.table(columns, rows, total=total)
        place = sheet.table(columns, rows, total=total, gap=0)
        sheet.note(ROUNDED_APART_NOTE, columns=len(columns))
        sheet.keep_with_previous()
        return place


def _outcome_chart(sheet: _Sheet, place: TablePlace, shares: Sequence[Cell]) -> None:
    """A bar per category. The chart reads a hidden helper column: blank where the table shows a marker (text would
    plot as 0 %)."""
    sheet.hidden_cols.add(HELPER_COLUMN)
    for offset, value in enumerate(shares):
        if not isinstance(value, Mark):
            sheet.worksheet.write_number(place.first_row + offset, HELPER_COLUMN, value, sheet.formats.percent)
    chart = share_bars(
        sheet, place, "Udfald – andel af unge med registrering", "Andel", HELPER_COLUMN, fill={"color": BLUE}, gap=60
    )
    chart.show_hidden_data()
    chart.set_x_axis({"name": "Andel (skjulte tal vises ikke)", "num_format": PERCENT_FORMAT, "min": 0})
    sheet.chart_beside(place, chart, width=560, height=360)


def suppression_note(min_count: int) -> str:
    """What the markers mean, for the top of the summary."""
    if min_count <= 1:
        return "Ingen tal er skjult (mindste viste antal er sat til 1). Arket indeholder kun samletal."
    if min_count == 2:
        return (
            f"{HIDDEN_MARKER} = skjult. Tallet 1 vises ikke, og andre tal skjules også, så det ikke kan regnes ud fra "
            f"totalerne. Andele af skjulte tal vises som {HIDDEN_MARKER}. Arket indeholder kun samletal: ingen id'er, "
            "navne eller fritekst."
        )
    small = small_marker(min_count)
    meaning = f"mellem 1 og {min_count - 1} (det præcise tal vises ikke)"
    return (
        f"{small} = {meaning}. {HIDDEN_MARKER} = skjult, så små tal ikke kan regnes ud fra totalerne. Nogle steder "
        f"står {HIDDEN_MARKER} også for et lille tal, fordi {small} dér ville afsløre for meget. Andele af skjulte tal "
        f"vises som {HIDDEN_MARKER}. Arket indeholder kun samletal: ingen id'er, navne eller fritekst."
    )
