"""The leader-group report: one xlsx with native Excel charts, written with XlsxWriter from a ConsolidationResult.

Sheets (``schema.REPORT_SHEETS``): a cover page, outcome categories, meetings (with the internal overdue list),
agreements, life areas, involvement, the professionals' survey, development over the quarters and data quality.
The summary for politicians is a workbook of its own (``report/politicians.py``), so that this internal report,
with its overdue list of pseudonymous ids, never travels with it; the cover says where it is.

Every text cell is written with ``write_string`` (``safe_text.write_text``, or straight for a table column of
non-empty text): names and messages from the case workbooks can start with ``=``. The workbook is opened with
``strings_to_formulas`` and ``strings_to_urls`` off as a second guard. The output is reproducible: the document dates
are ``result.generated_at`` and XlsxWriter stamps the zip members with a fixed time, so the same result gives the
same bytes.
"""

from __future__ import annotations

import math
import os
import posixpath
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from typing import Any, cast

import xlsxwriter

from samarbejde_xl import schema
from samarbejde_xl.core.breakdowns import DIMENSIONS
from samarbejde_xl.core.figures import (
    Attendance,
    CaseloadRow,
    ConsolidationResult,
    KeyFigures,
    LifeAreaRow,
    MeetingStats,
    OutcomeTable,
)
from samarbejde_xl.core.identifiers import public_municipality
from samarbejde_xl.core.outcomes import UNREGISTERED_LABEL
from samarbejde_xl.core.percentages import largest_remainder
from samarbejde_xl.core.quarter import Period, Quarter, parse_quarter
from samarbejde_xl.core.wording import counted
from samarbejde_xl.fileio import atomic_output
from samarbejde_xl.safe_text import write_text

# --------------------------------------------------------------------------------------------------
# Layout constants
# --------------------------------------------------------------------------------------------------

PERCENT_FORMAT = "0%"
DECIMAL_FORMAT = "0.0"
DATETIME_FORMAT = schema.DATE_FORMAT + " hh:mm"
SHARES_NOTE = "Andelene er afrundet, så de lægger op til 100 % (største rest-metoden)."
HIDDEN_MARKER = "x"
"""Shown on the politicians' summary for a value hidden so that a small count cannot be worked out (complementary
suppression), for hidden totals, for shares of hidden counts, and for small counts where the small marker would
say too much (the nested milestone rows; ``core.suppression``'s last resort)."""
SMALL_MARKER = "<{min_count}"
"""Shown for a count from 1 to min_count - 1 (primary suppression): "<5" by default. See ``_suppression_note``."""

EXCEL_EPOCH_ORDINAL = date(1899, 12, 30).toordinal()
"""Excel's day 0 in its 1900 date system: a date's serial number is its ordinal minus this."""
FIRST_PLAIN_SERIAL_DAY = date(1900, 3, 1)
"""From this day on the serial number is plain arithmetic (before it, Excel counts a 29 February 1900)."""
ROW_HEIGHT_PX = 20
ORPHAN_ROWS = 6
"""A table too long for one page starts on a new page unless this many of its first rows (heading, header and data)
fit on the current one."""
CHART_WIDTH_PX = 720
CHART_HEIGHT_PX = 320
MIN_COLUMN_WIDTH = 9.0
MAX_COLUMN_WIDTH = 60.0
HEADER_MEASURE_CAP = 13  # a long header wraps instead of widening its column
BREAKDOWN_HEADER_CAP = 9  # the wide breakdown tables wrap their headers more, so the sheet prints larger
NOTE_COLUMNS = 6  # notes are merged over this many columns (at least) and wrapped
A4_PAPER = 9
FONT = {"font_name": "Arial", "font_size": 10}
"""Arial, not Calibri: LibreOffice has a metric-compatible stand-in everywhere (Liberation Sans), so the PDF keeps
Excel's column widths; Arial 10 has the same 7-pixel digit width as Calibri 11."""
DEFAULT_ROW_POINTS = 15.0
# Printable area of an A4 landscape page inside the margins set in ``_Sheet.finish`` (points), a little conservative:
# used to scale the sheet to the page width and to place page breaks so that no chart or table is cut in two.
PAGE_WIDTH_POINTS = 760.0
PAGE_HEIGHT_POINTS = 480.0
HELPER_COLUMN = 26
"""A hidden column right of every table: chart data that differs from what the table shows."""

# Series colours (colour-blind friendly, Okabe-Ito).
BLUE, ORANGE, GREEN, VERMILION, SKY, PURPLE, GREY = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#56B4E9",
    "#CC79A7",
    "#999999",
)

# Cell kinds of a table column.
TEXT, INTEGER, PERCENT, DECIMAL, DATE = "text", "integer", "percent", "decimal", "date"


@dataclass(frozen=True)
class _Hidden:
    """A suppressed value on the politicians' summary, shown as ``marker``."""

    marker: str = HIDDEN_MARKER


HIDDEN = _Hidden()


def small_marker(min_count: int) -> str:
    """The text shown for a small count: "<5" for ``min_count`` 5. At 2 it is the plain hidden marker: "<2" would
    say the count is 1."""
    return HIDDEN_MARKER if min_count == 2 else SMALL_MARKER.format(min_count=min_count)


Value = str | int | float | date | datetime | _Hidden | None


@dataclass(frozen=True)
class Col:
    header: str
    kind: str = TEXT
    width: float | None = None  # fixed width; None = fit to the content


@dataclass(frozen=True)
class TablePlace:
    """Where a table landed (0-based rows and columns, XlsxWriter style)."""

    header_row: int
    first_row: int
    last_row: int  # == first_row - 1 when the table has no rows
    first_col: int
    last_col: int

    def column(self, offset: int) -> int:
        return self.first_col + offset


# --------------------------------------------------------------------------------------------------
# Formats and a small sheet helper
# --------------------------------------------------------------------------------------------------


class _Formats:
    def __init__(self, workbook: Any) -> None:
        add = workbook.add_format
        base = {**FONT, "valign": "top"}
        self.title = add({**base, "bold": True, "font_size": 16, "font_color": "#1F3864"})
        self.subtitle = add({**base, "italic": True, "font_color": "#404040"})
        self.heading = add({**base, "bold": True, "font_size": 13, "font_color": "#1F3864"})
        self.header = add({**base, "bold": True, "text_wrap": True, "bg_color": "#D9E1F2", "border": 1})
        self.header_number = add(
            {**base, "bold": True, "text_wrap": True, "bg_color": "#D9E1F2", "border": 1, "align": "right"}
        )
        self.label = add({**base, "bold": True})
        self.text = add({**base, "border": 1, "border_color": "#BFBFBF"})
        self.text_wrap = add({**base, "border": 1, "border_color": "#BFBFBF", "text_wrap": True})
        self.integer = add({**base, "num_format": schema.INTEGER_FORMAT, "border": 1, "border_color": "#BFBFBF"})
        self.percent = add({**base, "num_format": PERCENT_FORMAT, "border": 1, "border_color": "#BFBFBF"})
        self.decimal = add({**base, "num_format": DECIMAL_FORMAT, "border": 1, "border_color": "#BFBFBF"})
        self.date = add({**base, "num_format": schema.DATE_FORMAT, "border": 1, "border_color": "#BFBFBF"})
        self.datetime = add({**base, "num_format": DATETIME_FORMAT, "align": "left"})
        self.plain = add({**base})
        self.plain_integer = add({**base, "num_format": schema.INTEGER_FORMAT, "align": "left"})
        self.plain_percent = add({**base, "num_format": PERCENT_FORMAT, "align": "left"})
        self.plain_date = add({**base, "num_format": schema.DATE_FORMAT, "align": "left"})
        self.hidden = add({**base, "border": 1, "border_color": "#BFBFBF", "align": "right", "font_color": "#7F7F7F"})
        self.note = add({**base, "text_wrap": True, "font_color": "#404040"})
        self.warning = add(
            {**base, "text_wrap": True, "bold": True, "font_color": "#9C0006", "bg_color": "#FFC7CE", "border": 1}
        )
        self.total_text = add({**base, "bold": True, "top": 2, "border": 1, "border_color": "#BFBFBF"})
        self.total_integer = add(
            {
                **base,
                "bold": True,
                "num_format": schema.INTEGER_FORMAT,
                "top": 2,
                "border": 1,
                "border_color": "#BFBFBF",
            }
        )
        self.total_percent = add(
            {**base, "bold": True, "num_format": PERCENT_FORMAT, "top": 2, "border": 1, "border_color": "#BFBFBF"}
        )

    def for_kind(self, kind: str, total: bool = False) -> Any:
        if total:
            return {INTEGER: self.total_integer, PERCENT: self.total_percent}.get(kind, self.total_text)
        return {INTEGER: self.integer, PERCENT: self.percent, DECIMAL: self.decimal, DATE: self.date}.get(
            kind, self.text
        )


DATE_WIDTH = 12
"""Characters a date cell is measured as."""


def _number_width(value: float, kind: str) -> float:
    """Characters a number cell of ``kind`` is measured as."""
    return len(f"{value:.0%}" if kind == PERCENT else f"{value:,.1f}") + 3


@dataclass
class _Sheet:
    """Writes a sheet top to bottom; remembers content widths so columns can be fitted at the end."""

    workbook: Any
    worksheet: Any
    formats: _Formats
    name: str
    row: int = 0
    widths: dict[int, float] = field(default_factory=dict)
    fixed_widths: dict[int, float] = field(default_factory=dict)
    freeze_row: int = 2
    notes: list[tuple[int, int, str]] = field(default_factory=list)  # (row, last merged column, text)
    hidden_cols: set[int] = field(default_factory=set)
    header_title: str = schema.REPORT_TITLE  # printed at the top of every page
    header_columns: dict[int, list[str]] = field(default_factory=dict)  # header row -> headers (height estimate)
    one_page: bool = False  # print the sheet on a single portrait page (the cover); else landscape, fit to width
    heights: dict[int, float] = field(default_factory=dict)  # rows with a set height (points)
    keep_together: dict[int, int] = field(default_factory=dict)  # first row -> last row of a table or chart
    chart_extents: list[tuple[int, int]] = field(default_factory=list)  # (column, pixels right of its left edge)
    last_heading_row: int = -1
    block_since_heading: bool = True
    last_kept: int = 0  # first row of the latest keep-together block
    forced_breaks: set[int] = field(default_factory=set)  # rows that start a printed page
    title_row: int | None = None  # a table header repeated at the top of every printed page after it
    wrapped: dict[int, list[tuple[int, str]]] = field(default_factory=dict)  # row -> (column, text) too wide

    # -- cells ----------------------------------------------------------------------------------

    def measure(self, col: int, chars: float) -> None:
        self.widths[col] = max(self.widths.get(col, 0.0), chars)

    def text(self, row: int, col: int, value: str, cell_format: Any = None, *, measure: bool = True) -> None:
        width = max((len(line) for line in value.splitlines()), default=0) * 1.1 + 2
        if width > MAX_COLUMN_WIDTH and cell_format is self.formats.text:
            cell_format = self.formats.text_wrap
            self.wrapped.setdefault(row, []).append((col, value))
        write_text(self.worksheet, row, col, value, cell_format)
        if measure:
            self.measure(col, width)

    def value(self, row: int, col: int, value: Value, kind: str, cell_format: Any) -> None:
        if isinstance(value, _Hidden):
            self.text(row, col, value.marker, self.formats.hidden)
        elif value is None:
            self.worksheet.write_blank(row, col, None, cell_format)
        elif isinstance(value, str):
            self.text(row, col, value, cell_format)
        elif isinstance(value, datetime | date):
            self.worksheet.write_datetime(row, col, value, cell_format)
            self.measure(col, DATE_WIDTH)
        elif isinstance(value, bool):
            raise TypeError("booleans are written as Danish text, not as cell values")
        else:
            self.worksheet.write_number(row, col, value, cell_format)
            self.measure(col, _number_width(value, kind))

    # -- blocks ---------------------------------------------------------------------------------

    def title(self, text: str, subtitle: str = "") -> None:
        self.text(self.row, 0, text, self.formats.title, measure=False)
        self.set_height(self.row, 24)
        self.row += 1
        if subtitle:
            self.text(self.row, 0, subtitle, self.formats.subtitle, measure=False)
        self.row += 2
        self.freeze_row = 2

    def heading(self, text: str) -> None:
        self.text(self.row, 0, text, self.formats.heading, measure=False)
        self.set_height(self.row, 20)
        self.last_heading_row = self.row
        self.block_since_heading = False
        self.row += 1

    def note(self, text: str, *, columns: int = NOTE_COLUMNS, cell_format: Any = None, gap: int = 1) -> None:
        """Wrapped text merged over ``columns`` columns, row height estimated from its length."""
        cell_format = cell_format or self.formats.note
        last_col = max(columns, 1) - 1
        if last_col > 0:
            self.worksheet.merge_range(self.row, 0, self.row, last_col, "", cell_format)
        self.text(self.row, 0, text, cell_format, measure=False)
        self.notes.append((self.row, last_col, text))
        self.row += 1 + gap

    def label_values(self, pairs: Sequence[tuple[str, Value, str]]) -> None:
        """Label in the first column, value in the second; kind picks the format."""
        formats = {
            INTEGER: self.formats.plain_integer,
            PERCENT: self.formats.plain_percent,
            DATE: self.formats.plain_date,
            TEXT: self.formats.plain,
            DECIMAL: self.formats.decimal,
        }
        for label, value, kind in pairs:
            self.text(self.row, 0, label, self.formats.label)
            cell_format = self.formats.datetime if isinstance(value, datetime) else formats[kind]
            if isinstance(value, str):  # may run on into the empty cells to its right: do not widen the column
                self.text(self.row, 1, value, cell_format, measure=False)
            else:
                self.value(self.row, 1, value, kind, cell_format)
            self.row += 1
        self.row += 1

    def table(
        self,
        columns: Sequence[Col],
        rows: Sequence[Sequence[Value]],
        *,
        total: Sequence[Value] | None = None,
        gap: int = 1,
        autofilter: bool = False,
        row_kinds: Sequence[str] | None = None,
        excel_table: str = "",
        header_cap: int = HEADER_MEASURE_CAP,
    ) -> TablePlace:
        """A table with a header row; ``row_kinds`` gives each row one kind for all but its first cell.
        ``excel_table``: the name of an Excel table over it (filter buttons; several may share a sheet).
        ``header_cap``: header characters a column is widened for (a longer header wraps)."""
        header_row = self.row
        header_formats = []
        for offset, column in enumerate(columns):
            numeric = column.kind in (INTEGER, PERCENT, DECIMAL)
            header_format = self.formats.header_number if numeric else self.formats.header
            header_formats.append(header_format)
            write_text(self.worksheet, header_row, offset, column.header, header_format)
            self.measure(offset, min(len(column.header), header_cap) * 1.1 + 2)
            if column.width is not None:
                self.fixed_widths[offset] = column.width
        row = header_row + 1
        if row_kinds is None:
            row = self._rows(row, columns, rows)
        else:
            for index, values in enumerate(rows):
                for offset, (column, value) in enumerate(zip(columns, values, strict=True)):
                    kind = row_kinds[index] if offset > 0 else column.kind
                    self.value(row, offset, value, kind, self.formats.for_kind(kind))
                row += 1
        last_row = row - 1
        if total is not None:
            for offset, (column, value) in enumerate(zip(columns, total, strict=True)):
                self.value(row, offset, value, column.kind, self.formats.for_kind(column.kind, total=True))
            row += 1
        if autofilter and rows:
            self.worksheet.autofilter(header_row, 0, last_row, len(columns) - 1)
        if excel_table and rows:
            headers = [
                {"header": column.header, "header_format": fmt}
                for column, fmt in zip(columns, header_formats, strict=True)
            ]
            options = {"name": excel_table, "columns": headers, "style": "Table Style Light 1", "autofilter": True}
            self.worksheet.add_table(header_row, 0, last_row, len(columns) - 1, options)
        self.header_columns[header_row] = [column.header for column in columns]
        self.keep(header_row, row - 1)
        self.row = row + gap
        return TablePlace(header_row, header_row + 1, last_row, 0, len(columns) - 1)

    def _rows(self, row: int, columns: Sequence[Col], rows: Sequence[Sequence[Value]]) -> int:
        """Write the rows of a table whose columns each have one kind: what :meth:`value` does for every cell. The
        overdue list makes most of a large report's cells, so a column of only plain text, whole numbers or dates
        is looked at once (types, widths, serial days) and its cells are written without a dispatch per cell; the
        other columns go cell by cell (:meth:`value`). Cells are written row by row, as :meth:`value` would."""
        for values in rows:
            if len(values) != len(columns):
                raise ValueError(f"a row of {len(values)} values in a table of {len(columns)} columns")
        if not rows:
            return row
        writers, cells = zip(
            *(
                self._column(offset, column.kind, values)
                for offset, (column, values) in enumerate(zip(columns, zip(*rows, strict=True), strict=True))
            ),
            strict=True,
        )
        formats = [self.formats.for_kind(column.kind) for column in columns]
        offsets = range(len(columns))
        for values in zip(*cells, strict=True):
            for offset in offsets:
                writers[offset](row, offset, values[offset], formats[offset])
            row += 1
        return row

    def _column(self, offset: int, kind: str, values: Sequence[Value]) -> tuple[Callable[..., Any], Sequence[Value]]:
        """How to write a table column's cells: the writer called as ``writer(row, col, value, cell_format)`` and
        the values to give it. A column of one-line text that needs no wrapping, of whole numbers (an
        integer column) or of dates from 1 March 1900 is measured here, its widest cell as :meth:`value` measures
        it, and written straight to the worksheet (a date as its serial day number, as ``write_datetime`` would
        store it); any other column goes through :meth:`value`."""
        types = set(map(type, values))
        if types == {str}:
            texts = cast("Sequence[str]", values)
            width = max(map(len, texts)) * 1.1 + 2
            if width <= MAX_COLUMN_WIDTH and "\n" not in "".join(texts):
                self.measure(offset, width)
                # An empty text is a blank cell with the column's format (write_text), measured as 2 like any.
                return (self.worksheet.write_string if "" not in texts else partial(write_text, self.worksheet)), texts
        elif types == {int} and kind == INTEGER:
            numbers = cast("Sequence[int]", values)
            # The widest "1,234.0" is that of the largest or of the most negative number.
            self.measure(offset, max(_number_width(number, kind) for number in (max(numbers), min(numbers))))
            return self.worksheet.write_number, numbers
        elif types == {date}:
            days = cast("Sequence[date]", values)
            if min(days) >= FIRST_PLAIN_SERIAL_DAY:
                self.measure(offset, DATE_WIDTH)
                return self.worksheet.write_number, [day.toordinal() - EXCEL_EPOCH_ORDINAL for day in days]
        return lambda row, col, value, cell_format: self.value(row, col, value, kind, cell_format), values

    def chart(self, chart: Any, *, width: int = CHART_WIDTH_PX, height: int = CHART_HEIGHT_PX) -> None:
        """Insert ``chart`` below everything written so far and move on below it."""
        self.chart_row([chart], width=width, height=height)

    def chart_row(self, charts: Sequence[Any], *, width: int = CHART_WIDTH_PX, height: int = CHART_HEIGHT_PX) -> None:
        """Insert charts side by side below everything written so far and move on below them."""
        gap = 16
        for index, chart in enumerate(charts):
            chart.set_size({"width": width, "height": height})
            self.worksheet.insert_chart(self.row, 0, chart, {"x_offset": index * (width + gap), "object_position": 1})
        rows = math.ceil(height / ROW_HEIGHT_PX)
        # Start the page one (empty) row above the chart: a chart right at a page break leaves its border behind.
        self.keep(max(self.row - 1, 0), self.row + rows - 1)
        self.chart_extents.append((0, len(charts) * (width + gap)))
        self.row += rows + 2

    def chart_beside(
        self, place: TablePlace, chart: Any, *, width: int = CHART_WIDTH_PX, height: int = CHART_HEIGHT_PX
    ) -> None:
        """Insert ``chart`` right of the table at ``place`` (one empty column between them)."""
        col = place.last_col + 2
        chart.set_size({"width": width, "height": height})
        self.worksheet.insert_chart(place.header_row, col, chart, {"object_position": 1})
        last_row = place.header_row + math.ceil(height / ROW_HEIGHT_PX) - 1
        first = self.last_kept
        self.keep_together[first] = max(self.keep_together.get(first, last_row), last_row)
        self.chart_extents.append((col, width))
        self.row = max(self.row, last_row + 3)

    def set_height(self, row: int, points: float) -> None:
        self.worksheet.set_row(row, points)
        self.heights[row] = points

    def new_page(self) -> None:
        """Start the next block on a new printed page."""
        self.forced_breaks.add(self.row)

    def long_list(self, columns: Sequence[Col], rows: Sequence[Sequence[Value]]) -> TablePlace:
        """A list that may run over many printed pages: filterable, with its header row repeated at the top of
        every page. Excel repeats one row range per sheet, so such a list ends its sheet (nothing may follow)."""
        if self.title_row is not None:
            raise ValueError(f"sheet {self.name!r} already ends with a long list")
        place = self.table(columns, rows, autofilter=True)
        self.title_row = place.header_row
        return place

    def keep_with_previous(self, since: int | None = None) -> None:
        """Keep everything written since the latest kept block (a line or a note under a table), or since the block
        that starts at row ``since``, on one printed page (when it fits on a page)."""
        first = self.last_kept if since is None else since
        self.keep_together[first] = max(self.keep_together.get(first, first), self.row - 1)

    def keep(self, first_row: int, last_row: int) -> None:
        """Keep rows on one printed page (with their heading and notes above them) when they fit on a page."""
        if not self.block_since_heading:
            first_row = self.last_heading_row
            self.block_since_heading = True
        self.keep_together[first_row] = max(last_row, self.keep_together.get(first_row, last_row))
        self.last_kept = first_row

    def page_breaks(self) -> list[int]:
        """Rows to start a new printed page at, so that tables and charts are not cut in two.

        The sheet is printed fit to the page width; the scale is estimated from the column and chart widths
        (Excel's column width unit is ~7 pixels of Arial 10, a pixel is 0.75 points).
        """
        columns = set(self.widths) | set(self.fixed_widths)
        table_points = sum((self.width_of(col) * 7 + 5) * 0.75 for col in columns if col not in self.hidden_cols)
        chart_points = max(
            (
                (sum(self.width_of(left) * 7 + 5 for left in range(col)) + pixels) * 0.75
                for col, pixels in self.chart_extents
            ),
            default=0.0,
        )
        scale = min(1.0, PAGE_WIDTH_POINTS / max(table_points, chart_points, 1.0))
        page = PAGE_HEIGHT_POINTS / scale

        def height(row: int) -> float:
            return self.heights.get(row, DEFAULT_ROW_POINTS)

        breaks: list[int] = []
        used = 0.0
        for row in range(self.row):
            last = self.keep_together.get(row)
            if row in self.forced_breaks and used > 0:
                breaks.append(row)
                used = 0.0
            elif last is not None and used > 0:
                block = sum(height(inside) for inside in range(row, last + 1))
                # A block taller than a page starts on a new one unless its heading, header and a few rows fit.
                start = sum(height(inside) for inside in range(row, min(last, row + ORPHAN_ROWS) + 1))
                if used + (block if block <= page else start) > page:
                    breaks.append(row)
                    used = 0.0
            if used + height(row) > page and used > 0:
                # Where the printer would break by itself: set it, so the page ends where the estimate says (the
                # estimate is conservative) and a block after it is not cut in two by a later printer break.
                breaks.append(row)
                used = 0.0
            used += height(row)
        return breaks

    def width_of(self, col: int) -> float:
        if col in self.fixed_widths:
            return self.fixed_widths[col]
        return min(max(self.widths.get(col, MIN_COLUMN_WIDTH), MIN_COLUMN_WIDTH), MAX_COLUMN_WIDTH)

    # -- finishing ------------------------------------------------------------------------------

    def finish(self) -> None:
        for col in sorted(set(self.widths) | set(self.fixed_widths) | self.hidden_cols):
            options = {"hidden": True} if col in self.hidden_cols else {}
            self.worksheet.set_column(col, col, self.width_of(col), None, options)
        for row, last_col, text in self.notes:
            # Merged cells do not grow with wrapped text: estimate the lines from the final column widths.
            width = sum(self.width_of(col) for col in range(last_col + 1))
            lines = sum(max(1, math.ceil(len(part) * 0.95 / max(width, 1.0))) for part in text.split("\n"))
            self.set_height(row, 13 * lines + 5)
        for row, cells in self.wrapped.items():
            lines = max(math.ceil(len(text) * 0.95 / max(self.width_of(col), 1.0)) for col, text in cells)
            self.set_height(row, max(self.heights.get(row, DEFAULT_ROW_POINTS), 13.0 * lines + 3))
        for row, headers in self.header_columns.items():
            lines = max(math.ceil(len(text) * 1.05 / max(self.width_of(col), 1.0)) for col, text in enumerate(headers))
            if lines > 1:  # neither Excel nor LibreOffice grows a row for wrapped text reliably
                self.set_height(row, 13.0 * lines + 3)
        self.worksheet.freeze_panes(self.freeze_row, 0)
        self.worksheet.set_paper(A4_PAPER)
        if self.one_page:
            self.worksheet.set_portrait()
            self.worksheet.fit_to_pages(1, 1)
        else:
            self.worksheet.set_landscape()
            self.worksheet.fit_to_pages(1, 0)
            self.worksheet.set_h_pagebreaks(self.page_breaks())
        if self.title_row is not None:
            self.worksheet.repeat_rows(self.title_row)
        self.worksheet.center_horizontally()
        self.worksheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
        self.worksheet.set_header(f"&L&8{self.header_title}&R&8&A")
        self.worksheet.set_footer("&R&8Side &P af &N")


def _series_ref(sheet: _Sheet, first_row: int, col: int, last_row: int) -> list[Any]:
    return [sheet.name, first_row, col, last_row, col]


def share_bars(sheet: _Sheet, place: TablePlace, title: str, name: str, values_col: int, **style: Any) -> Any:
    """A horizontal bar per row of ``place`` (labels in its first column, shares 0..1 in ``values_col``), the first
    row at the top, each bar labelled with its percentage; ``style``: the series' ``fill`` and ``gap``."""
    chart = _new_chart(sheet.workbook, "bar", None, title)
    chart.add_series(
        {
            "name": name,
            "categories": _series_ref(sheet, place.first_row, place.column(0), place.last_row),
            "values": _series_ref(sheet, place.first_row, values_col, place.last_row),
            "data_labels": {"value": True, "num_format": PERCENT_FORMAT},
            **style,
        }
    )
    chart.set_y_axis({"reverse": True})
    chart.set_legend({"none": True})
    return chart


def _new_chart(workbook: Any, kind: str, subtype: str | None, title: str) -> Any:
    options: dict[str, str] = {"type": kind}
    if subtype:
        options["subtype"] = subtype
    chart = workbook.add_chart(options)
    chart.set_title({"name": title, "name_font": {"name": FONT["font_name"], "size": 12, "bold": True}})
    chart.set_legend({"position": "bottom"})
    return chart


# --------------------------------------------------------------------------------------------------
# Danish text helpers
# --------------------------------------------------------------------------------------------------


def _danish_date(day: date) -> str:
    return day.strftime("%d-%m-%Y")


def data_quality_headline(result: ConsolidationResult) -> str:
    """E.g. '3 projektmapper kunne ikke læses; 12 fejl og 40 advarsler i de læste.'"""
    counts = result.counts
    problems = f"{counted(counts.errors, 'fejl')} og {counted(counts.warnings, 'advarsel')}"
    if counts.workbooks_unreadable:
        unreadable = counted(counts.workbooks_unreadable, "projektmappe")
        return f"{unreadable} kunne ikke læses; {problems} i de læste."
    if counts.workbooks_read == 1:
        return f"Projektmappen kunne læses; {problems}."
    return f"Alle {counts.workbooks_read} projektmapper kunne læses; {problems}."


def _period(result: ConsolidationResult) -> str:
    period = result.quarter
    if isinstance(period, Period) and period.cohort:
        return f"kohorte: {period.label}"
    dates = f"{_danish_date(period.start)} – {_danish_date(period.end)}"
    return dates if period.label == dates else f"{period.label} ({dates})"


def _the_period(result: ConsolidationResult) -> str:
    """'kvartalet' for a quarterly report, 'perioden' for a half-year, a year, any dates or a cohort."""
    return "kvartalet" if isinstance(result.quarter, Quarter) else "perioden"


def _municipalities(result: ConsolidationResult) -> str:
    shown = [name for name in map(public_municipality, result.municipalities) if name]  # never a person's name
    return ", ".join(shown) if shown else "(ikke angivet)"


def _subtitle(result: ConsolidationResult) -> str:
    return f"{_municipalities(result)} · {_period(result)} · opgjort pr. {_danish_date(result.as_of)}"


# --------------------------------------------------------------------------------------------------
# Sheets
# --------------------------------------------------------------------------------------------------


def _caseload_table(sheet: _Sheet, result: ConsolidationResult, first_header: str, rows: Sequence[CaseloadRow]) -> None:
    columns = [
        Col(first_header),
        Col(f"Aktive i {_the_period(result)}", INTEGER),
        Col("Startet", INTEGER),
        Col("Afsluttet", INTEGER),
    ]
    sheet.table(
        columns,
        [[row.label, row.active, row.started, row.ended] for row in rows],
        total=["I alt", sum(r.active for r in rows), sum(r.started for r in rows), sum(r.ended for r in rows)],
    )


def workbook_folder(result: ConsolidationResult) -> str:
    """The folder every workbook found lies in (as the run names files: "/"-separated), "" when they share none.
    The cover names it once, and the lists name each file below it: a path such as
    C:/Users/<name>/OneDrive - Kommune/… repeated on every one of thousands of rows is only noise."""
    parents = {posixpath.dirname(row.file) for row in result.data_quality}
    try:
        return posixpath.commonpath(parents) if parents else ""
    except ValueError:  # absolute and relative paths mixed
        return ""


def _below(folder: str) -> Callable[[str], str]:
    """A file's name below ``folder`` (as given when it lies elsewhere)."""
    if not folder:
        return lambda file: file
    prefix = folder.rstrip("/") + "/"
    return lambda file: file[len(prefix) :] if file.startswith(prefix) else file


def _write_cover(sheet: _Sheet, result: ConsolidationResult) -> None:
    counts = result.counts
    sheet.one_page = True
    sheet.title(schema.REPORT_TITLE, _subtitle(result))
    sheet.label_values(
        [
            ("Periode", _period(result), TEXT),
            ("Opgjort pr.", result.as_of, DATE),
            ("Kommune", _municipalities(result), TEXT),
            ("Dannet", result.generated_at, DATE),
            ("Version", f"samarbejde-xl {result.tool_version}", TEXT),
            ("Regler", result.settings_source or f"standard og hver projektmappes ark {schema.SHEET_SETTINGS}", TEXT),
            *([("Mappe", folder, TEXT)] if (folder := workbook_folder(result)) else []),
        ]
    )
    sheet.heading("Datakvalitet")
    sheet.note(data_quality_headline(result), cell_format=sheet.formats.label)
    sheet.heading(f"Tal for {_the_period(result)}")
    sheet.label_values(
        [
            ("Projektmapper fundet", counts.workbooks_found, INTEGER),
            ("Projektmapper læst", counts.workbooks_read, INTEGER),
            ("Projektmapper der ikke kunne læses", counts.workbooks_unreadable, INTEGER),
            ("Koordinatorer/guides", counts.coordinators, INTEGER),
            ("Unge i projektmapperne", counts.young_people, INTEGER),
            (f"Aktive unge i {_the_period(result)}", counts.active, INTEGER),
            (f"Startet i {_the_period(result)}", counts.started, INTEGER),
            (f"Afsluttet i {_the_period(result)}", counts.ended, INTEGER),
            ("Unge med ufuldstændige stamdata (ikke i tallene)", counts.incomplete, INTEGER),
        ]
    )
    sheet.heading("Unge efter modelvariant")
    _caseload_table(sheet, result, "Modelvariant", result.caseload_by_variant)
    sheet.heading("Unge efter alder")
    _caseload_table(sheet, result, "Alder", result.caseload_by_age_band)
    sheet.note(
        f"Kun til intern brug: arket {schema.REPORT_SHEET_MEETINGS} har en liste over forfaldne møder med pseudonyme "
        "id'er. Pseudonyme id'er er personoplysninger. Listen er til de ledere, der skal handle, og må ikke gives "
        f"videre til direktion eller politikere. {_politicians_pointer(result)}",
        cell_format=sheet.formats.warning,
    )
    _reading_guide(sheet, result)


def _reading_guide(sheet: _Sheet, result: ConsolidationResult) -> None:
    """The cover's "Sådan læses rapporten": what each sheet holds and how the figures are counted."""
    sheet.heading("Sådan læses rapporten")
    guide = [
        f"{schema.REPORT_SHEET_OUTCOMES}: de syv udfaldskategorier fra modellens egen opgørelse, for unge med mindst "
        "én registrering af uddannelse eller job; delt på modelvariant og alder.",
        f"{schema.REPORT_SHEET_MEETINGS}: afholdte møder, om milepælsmøderne blev holdt inden for deres vindue, "
        "fremmøde og listen over forfaldne møder (intern).",
        f"{schema.REPORT_SHEET_AGREEMENTS}: mål og aftaler for de aktive unge.",
        f"{schema.REPORT_SHEET_LIFE_AREAS}: første og seneste score (1–10) for unge, der er scoret mindst to gange.",
        f"{schema.REPORT_SHEET_INVOLVEMENT}: de unges svar om inddragelse (1 = slet ikke, 5 = i høj grad).",
        f"{schema.REPORT_SHEET_TREND}: nøgletal kvartal for kvartal.",
        f"{schema.REPORT_SHEET_DATA_QUALITY}: hvad der ikke kunne læses, og de hyppigste fejl i projektmapperne.",
        f"Til politikere: en særskilt fil{_politicians_name(result)} med samletal uden id'er; tal under 5 er skjult.",
        f"{schema.REPORT_SHEET_OUTCOMES} og {schema.REPORT_SHEET_MEETINGS} slutter med tabeller efter "
        "koordinator/guide, afdeling og modelvariant, som ledere kan filtrere (kun til intern brug).",
        f"Møder med frist i {_the_period(result)}: møder, hvis vindue lukkede i {_the_period(result)}. Forfaldne "
        f"møder: ikke holdt, og vinduet er lukket pr. {_danish_date(result.as_of)}; dage over fristen tælles til den "
        "dag.",
        "Andele, der deler en helhed op (fx udfald eller status), er afrundet, så de lægger op til 100 % (største "
        "rest-metoden). Overholdelse og fremmøde er andele for hver række for sig og lægger ikke op til 100 %.",
        "Alle tal er beregnet fra de indtastede data. En tom celle betyder, at tallet ikke kan beregnes "
        "(ingen i nævneren).",
    ]
    for line in guide:
        sheet.note("• " + line, gap=0)


def _politicians_name(result: ConsolidationResult) -> str:
    return f" ({result.politicians_file})" if result.politicians_file else ""


def _politicians_pointer(result: ConsolidationResult) -> str:
    """Where the politicians' summary is: a file of its own, so that this report never travels with it."""
    if result.politicians_file:
        return f"Brug den særskilte fil {result.politicians_file} til dem."
    return "Brug den særskilte sammenfatning til politikere, som consolidate skriver ved siden af rapporten."


def _shares(counts: Sequence[int]) -> list[Value]:
    """Shares of a column that add up to 100 % as shown (largest remainder, ``core.percentages``)."""
    return list(largest_remainder(counts))


def _total_share(total: int) -> Value:
    return 1.0 if total else None


def _outcome_rows(table: OutcomeTable) -> list[list[Value]]:
    shares = _shares([row.count for row in table.rows])
    return [[row.label, row.group, row.count, pct] for row, pct in zip(table.rows, shares, strict=True)]


def _write_outcomes(sheet: _Sheet, result: ConsolidationResult) -> None:
    sheet.title("Udfald – uddannelse og job", _subtitle(result))
    outcomes = result.outcomes
    if result.programme_counts_as_job is not False:
        sheet.heading("Afgang til uddannelse og/eller job- og beskæftigelsesrettede tilbud")
    sheet.label_values(
        [
            ("Unge med mindst én registrering af uddannelse eller job", outcomes.total, INTEGER),
            (f"{UNREGISTERED_LABEL} (ikke med i tabellen)", result.outcome_unregistered, INTEGER),
        ]
    )
    sheet.note(
        "Succes = i uddannelse/job ved seneste registrering; delvis succes = startet, men stoppet igen. "
        + _programme_rule(result.programme_counts_as_job)
        + " "
        + SHARES_NOTE
    )
    place = sheet.table(
        [Col("Udfald"), Col("Gruppe"), Col("Antal", INTEGER), Col("Andel", PERCENT)],
        _outcome_rows(outcomes),
        total=["I alt", "", outcomes.total, _total_share(outcomes.total)],
    )
    chart = share_bars(
        sheet, place, "Udfald – andel af unge med registrering", "Andel", place.column(3), fill={"color": BLUE}, gap=60
    )
    chart.set_x_axis(
        {"name": "Andel af unge", "num_format": PERCENT_FORMAT, "min": 0, "major_gridlines": {"visible": True}}
    )
    sheet.chart(chart)
    _outcome_cross_tables(sheet, result)
    _status_tables(sheet, result)
    _outcome_breakdown(sheet, result)


def _outcome_cross_tables(sheet: _Sheet, result: ConsolidationResult) -> None:
    """The seven categories side by side for each variant and each age band."""
    for heading, tables in (
        ("Udfald efter modelvariant", result.outcomes_by_variant),
        ("Udfald efter alder", result.outcomes_by_age_band),
    ):
        sheet.heading(heading)
        columns = [Col("Udfald"), Col("Gruppe")]
        for table in tables:
            columns += [Col(f"{table.label}: antal", INTEGER), Col(f"{table.label}: andel", PERCENT)]
        rows: list[list[Value]] = [[category.label, category.group] for category in result.outcomes.rows]
        total: list[Value] = ["I alt", ""]
        for table in tables:
            for row, cells in zip(rows, _outcome_rows(table), strict=True):
                row += cells[2:]
            total += [table.total, _total_share(table.total)]
        sheet.table(columns, rows, total=total)


def _status_tables(sheet: _Sheet, result: ConsolidationResult) -> None:
    sheet.heading("Status på uddannelse og job (seneste registrering)")
    heading_row = sheet.last_heading_row
    for header, counts in (("Uddannelse", result.education_status), ("Job", result.job_status)):
        shares = _shares([count.count for count in counts])
        sheet.table(
            [Col(header), Col("Antal", INTEGER), Col("Andel", PERCENT)],
            [[count.label, count.count, pct] for count, pct in zip(counts, shares, strict=True)],
        )
    sheet.label_values([("I beskæftigelsesrettet forløb", result.programme, INTEGER)])
    sheet.keep_with_previous(heading_row)  # both tables and the line under their heading: the line not alone


def _breakdown_heading(sheet: _Sheet, figures: str) -> None:
    sheet.heading(f"{figures} efter koordinator/guide, afdeling og modelvariant")
    sheet.note(
        "Til ledere: filtrér på 'Opdelt efter' (og 'Gruppe') med knapperne i overskriften. Hver opdeling lægger op "
        "til tallene øverst på arket. Afdeling er den afdeling, der står ud for koordinator/guide i den unges team. "
        "Små tal er ikke skjult: tabellen er kun til intern brug og kommer ikke med i sammenfatningen til politikere."
    )


def _outcome_breakdown(sheet: _Sheet, result: ConsolidationResult) -> None:
    _breakdown_heading(sheet, "Udfald")
    names = dict(DIMENSIONS)
    rows: list[list[Value]] = []
    for cut in result.breakdowns.outcomes:
        shares = _shares([cut.success, cut.partial, cut.none])
        rows.append([names[cut.dimension], cut.group, cut.active, cut.registered, *shares, cut.unregistered])
    groups = ("Succes", "Delvis succes", "Ingen succes")
    sheet.table(
        [
            Col("Opdelt efter"),
            Col("Gruppe"),
            Col(f"Aktive i {_the_period(result)}", INTEGER),
            Col("Med registrering", INTEGER),
            *(Col(f"{group} (andel)", PERCENT) for group in groups),
            Col("Uden registrering", INTEGER),
        ],
        rows,
        excel_table="UdfaldOpdelt",
        header_cap=BREAKDOWN_HEADER_CAP,
    )


def _programme_rule(counts: bool | None) -> str:
    if counts is None:
        return (
            "Et beskæftigelsesrettet forløb tæller som job i nogle af projektmapperne, men ikke i alle "
            "(indstillingen 'Beskæftigelsesrettet forløb tæller som job'): tallene blander de to opgørelser."
        )
    if counts:
        return "Et beskæftigelsesrettet forløb tæller som job (seedmaterialets opgørelse)."
    return "Et beskæftigelsesrettet forløb tæller ikke som job (kommunens indstilling)."


def _attendance_rows(rows: Sequence[Attendance]) -> list[list[Value]]:
    return [[row.label, row.present, row.meetings, row.rate] for row in rows]


def _reporting_day(result: ConsolidationResult) -> str:
    return f"pr. {_danish_date(result.as_of)}"


def _write_meetings(sheet: _Sheet, result: ConsolidationResult) -> None:
    meetings, due = result.meetings, f"med frist i {_the_period(result)}"
    sheet.title("Møder – afholdt, til tiden og fremmøde", _subtitle(result))
    sheet.note(
        f"Ordene i arket: et krævet møde har frist, når dets vindue lukker. Møder {due} er dem, hvis vindue lukkede "
        f"i {_the_period(result)}; overholdelsen regnes af dem. Et møde er forfaldent, når vinduet er lukket, "
        f"uden at mødet er holdt; forfaldne møder tælles {_reporting_day(result)} (opgørelsesdagen), og dagene over "
        "fristen tælles til den dag."
    )
    sheet.label_values(
        [
            (f"Møder afholdt i {_the_period(result)}", meetings.held_in_quarter, INTEGER),
            (f"Krævede møder {due} (alle mødetyper)", meetings.required_due, INTEGER),
            ("Heraf afholdt inden for vinduet", meetings.required_held_in_window, INTEGER),
            ("Heraf afholdt for sent", meetings.required_held_late, INTEGER),
            ("Overholdelse, alle krævede møder", meetings.required_compliance, PERCENT),
            (f"Milepælsmøder {due}", meetings.milestones_due, INTEGER),
            ("Heraf afholdt inden for vinduet", meetings.milestones_held_in_window, INTEGER),
            ("Heraf afholdt for sent", meetings.milestones_held_late, INTEGER),
            (f"Overholdelse (afholdt inden for vinduet / {due})", meetings.compliance, PERCENT),
            (f"Møde ved 18½ år: {due}", meetings.m18_5_due, INTEGER),
            ("Møde ved 18½ år: afholdt inden for vinduet", meetings.m18_5_held_in_window, INTEGER),
            ("Møde ved 18½ år: overholdelse", meetings.m18_5_compliance, PERCENT),
            (f"Forfaldne møder {_reporting_day(result)} (se listen nederst)", len(result.overdue), INTEGER),
            ("Aktive unge med gyldigt samtykke", result.consent_valid, INTEGER),
            ("Andel med gyldigt samtykke", result.consent_valid_pct, PERCENT),
        ]
    )
    _compliance_tables(sheet, result)
    _held_by_kind(sheet, meetings)
    _attendance(sheet, meetings)
    _meeting_breakdown(sheet, result)
    _overdue_list(sheet, result)


def _compliance_tables(sheet: _Sheet, result: ConsolidationResult) -> None:
    meetings = result.meetings
    columns = [
        Col("Møde"),
        Col(f"Med frist i {_the_period(result)}", INTEGER),
        Col("Afholdt inden for vinduet", INTEGER),
        Col("Afholdt for sent", INTEGER),
        Col("Overholdelse", PERCENT),
    ]
    sheet.heading("Krævede møder efter mødetype")
    sheet.note(
        "Milepælsmøderne og de faste møder imellem (opfølgning hver 3. måned i udsatte, kvartalsmøder til 18 år i "
        "psykisk). Et møde, der ikke blev holdt inden fristen, tæller med i den periode, hvor fristen lå, og står "
        "på listen over forfaldne møder, indtil det holdes eller markeres som ikke relevant."
    )
    sheet.table(
        columns,
        [[row.label, row.due, row.held_in_window, row.held_late, row.compliance] for row in meetings.by_required_kind],
        total=[
            "I alt",
            meetings.required_due,
            meetings.required_held_in_window,
            meetings.required_held_late,
            meetings.required_compliance,
        ],
    )
    sheet.heading("Milepælsmøder")
    sheet.table(
        columns,
        [[row.label, row.due, row.held_in_window, row.held_late, row.compliance] for row in meetings.by_milestone],
    )


def _held_by_kind(sheet: _Sheet, meetings: MeetingStats) -> None:
    sheet.heading("Afholdte møder efter mødetype")
    shares = _shares([row.count for row in meetings.held_by_kind])
    sheet.table(
        [Col("Mødetype"), Col("Antal", INTEGER), Col("Andel", PERCENT)],
        [[row.label, row.count, pct] for row, pct in zip(meetings.held_by_kind, shares, strict=True)],
        total=["I alt", meetings.held_in_quarter, _total_share(meetings.held_in_quarter)],
    )


def _attendance(sheet: _Sheet, meetings: MeetingStats) -> None:
    sheet.heading("Fremmøde")
    sheet.note(
        "Den unge: møder hvor den unge deltog / møder hvor det er registreret. Den unges voksne: møder hvor den "
        "voksne deltog / møder med unge, der har en voksen. En profession: møder hvor den var til stede / møder "
        "med unge, der har professionen i teamet."
    )
    attendance = [meetings.young_person, meetings.adult, *meetings.professions]
    place = sheet.table(
        [Col("Deltager"), Col("Til stede", INTEGER), Col("Møder", INTEGER), Col("Fremmøde", PERCENT)],
        _attendance_rows(attendance),
    )
    chart = share_bars(
        sheet, place, "Fremmøde pr. deltager", "Fremmøde", place.column(3), fill={"color": GREEN}, gap=40
    )
    chart.set_x_axis({"name": "Andel af møderne", "num_format": PERCENT_FORMAT, "min": 0, "max": 1})
    sheet.chart(chart, height=max(CHART_HEIGHT_PX, 22 * len(attendance) + 90))


def _meeting_breakdown(sheet: _Sheet, result: ConsolidationResult) -> None:
    _breakdown_heading(sheet, "Møder")
    names = dict(DIMENSIONS)
    sheet.table(
        [
            Col("Opdelt efter"),
            Col("Gruppe"),
            Col(f"Aktive i {_the_period(result)}", INTEGER),
            Col("Møder afholdt", INTEGER),
            Col(f"Krævede møder med frist i {_the_period(result)}", INTEGER),
            Col("Afholdt inden for vinduet", INTEGER),
            Col("Afholdt for sent", INTEGER),
            Col("Ikke afholdt", INTEGER),
            Col("Overholdelse", PERCENT),
            Col("Den unge deltog", PERCENT),
            # Wide enough for "pr. 30-09-2026" on one line: the wrapped header split the date in two.
            Col(f"Forfaldne møder {_reporting_day(result)}", INTEGER, width=15),
        ],
        [
            [
                names[cut.dimension],
                cut.group,
                cut.active,
                cut.held,
                cut.due,
                cut.held_in_window,
                cut.held_late,
                cut.not_held,
                cut.compliance,
                cut.young_person_rate,
                cut.overdue,
            ]
            for cut in result.breakdowns.meetings
        ],
        excel_table="MoederOpdelt",
        header_cap=BREAKDOWN_HEADER_CAP,
    )


def _overdue_list(sheet: _Sheet, result: ConsolidationResult) -> None:
    """The internal list, on a page of its own with its header row repeated on every printed page."""
    sheet.new_page()
    sheet.heading(f"Forfaldne møder {_reporting_day(result)} (intern liste)")
    sheet.note(
        "Kun til intern brug i ledergruppen: pseudonyme id'er er personoplysninger og må ikke gives videre til "
        "direktion eller politikere. Sorteret efter flest dage over fristen.",
        cell_format=sheet.formats.warning,
    )
    overdue = sorted(result.overdue, key=lambda row: (-row.days_overdue, row.file, row.case_id, row.kind))
    if not overdue:
        sheet.note("Ingen forfaldne møder.")
        return
    shown = _below(workbook_folder(result))
    sheet.long_list(
        [
            Col("Ung-id"),
            Col("Projektmappe"),
            Col("Koordinator/guide"),
            Col("Møde"),
            Col("Skulle holdes", DATE),
            Col("Frist (vinduet lukkede)", DATE),
            Col(f"Dage over fristen {_reporting_day(result)}", INTEGER),
        ],
        [
            [row.case_id, shown(row.file), row.coordinator, row.kind_label, row.due, row.window_end, row.days_overdue]
            for row in overdue
        ],
    )


def _write_agreements(sheet: _Sheet, result: ConsolidationResult) -> None:
    agreements = result.agreements
    sheet.title("Mål og aftaler", _subtitle(result))
    sheet.label_values(
        [
            ("Aftaler for aktive unge i alt", agreements.total, INTEGER),
            (f"Indgået i {_the_period(result)}", agreements.made_in_quarter, INTEGER),
            ("Fristen er overskredet (hverken nået eller opgivet)", agreements.overdue, INTEGER),
            ("Aktive unge med aktuelle aftaler (ikke startet/i gang)", agreements.young_people_with_current, INTEGER),
            ("Andel af de aktive unge", agreements.young_people_with_current_pct, PERCENT),
            (
                f"Aftaler indgået på {_the_period(result)}s møder (antal i {schema.SHEET_CHECKLIST})",
                agreements.made_at_meetings,
                INTEGER,
            ),
            (f"Aftaler fulgt op på {_the_period(result)}s møder", agreements.followed_up_at_meetings, INTEGER),
        ]
    )
    sheet.heading("Aftaler efter status")
    statuses: list[tuple[str, int]] = [
        (schema.GOAL_STATUS.label_of("not_started"), agreements.not_started),
        (schema.GOAL_STATUS.label_of("in_progress"), agreements.in_progress),
        (schema.GOAL_STATUS.label_of("met"), agreements.met),
        (schema.GOAL_STATUS.label_of("abandoned"), agreements.abandoned),
        ("uden status", agreements.no_status),
    ]
    place = sheet.table(
        [Col("Status"), Col("Antal", INTEGER), Col("Andel", PERCENT)],
        [[label, count, pct] for (label, count), pct in zip(statuses, _shares([c for _, c in statuses]), strict=True)],
        total=["I alt", agreements.total, 1.0 if agreements.total else None],
    )
    chart = _new_chart(sheet.workbook, "column", None, "Aftaler efter status")
    chart.add_series(
        {
            "name": "Antal aftaler",
            "categories": _series_ref(sheet, place.first_row, place.column(0), place.last_row),
            "values": _series_ref(sheet, place.first_row, place.column(1), place.last_row),
            "fill": {"color": BLUE},
            "data_labels": {"value": True},
        }
    )
    chart.set_y_axis({"name": "Antal aftaler", "min": 0})
    chart.set_legend({"none": True})
    sheet.chart_beside(place, chart, width=520, height=300)


def _life_area_shares(row: LifeAreaRow) -> list[Value]:
    """Improved / unchanged / worsened as shown: adding up to 100 %."""
    return _shares([row.improved_count, row.unchanged_count, row.worsened_count])


def _write_life_areas(sheet: _Sheet, result: ConsolidationResult) -> None:
    sheet.title("Livsområder – første og seneste score", _subtitle(result))
    sheet.note(
        "Score 1–10, hvor 10 er bedst. Kun unge, der er scoret på mindst to forskellige datoer, tæller med (n). "
        "Forbedret/uændret/forværret er andele af n."
    )
    rows = result.life_areas
    place = sheet.table(
        [
            Col("Livsområde"),
            Col("Unge (n)", INTEGER),
            Col("Første score (gns.)", DECIMAL),
            Col("Seneste score (gns.)", DECIMAL),
            Col("Forbedret", PERCENT),
            Col("Uændret", PERCENT),
            Col("Forværret", PERCENT),
        ],
        [[row.label, row.n, row.first_avg, row.latest_avg, *_life_area_shares(row)] for row in rows],
    )
    radar = _new_chart(sheet.workbook, "radar", "with_markers", "Livsområder – gennemsnit første og seneste score")
    for offset, name, colour in ((2, "Første score", ORANGE), (3, "Seneste score", BLUE)):
        radar.add_series(
            {
                "name": name,
                "categories": _series_ref(sheet, place.first_row, place.column(0), place.last_row),
                "values": _series_ref(sheet, place.first_row, place.column(offset), place.last_row),
                "line": {"color": colour, "width": 2.25},
                "marker": {"type": "circle", "size": 5, "fill": {"color": colour}, "border": {"color": colour}},
            }
        )
    radar.set_y_axis({"min": 0, "max": 10, "major_unit": 2})
    sheet.chart_beside(place, radar, width=600, height=460)

    change = _new_chart(sheet.workbook, "bar", "percent_stacked", "Udvikling pr. livsområde (andel af unge)")
    for offset, name, colour in ((4, "Forbedret", GREEN), (5, "Uændret", GREY), (6, "Forværret", VERMILION)):
        change.add_series(
            {
                "name": name,
                "categories": _series_ref(sheet, place.first_row, place.column(0), place.last_row),
                "values": _series_ref(sheet, place.first_row, place.column(offset), place.last_row),
                "fill": {"color": colour},
                "gap": 50,
            }
        )
    change.set_x_axis({"num_format": PERCENT_FORMAT})
    change.set_y_axis({"reverse": True})
    sheet.chart(change)


def _write_involvement(sheet: _Sheet, result: ConsolidationResult) -> None:
    sheet.title("Den unges oplevelse af inddragelse", _subtitle(result))
    sheet.note(
        f"Svar fra {_the_period(result)}s møder: 1 = slet ikke, 5 = i høj grad. Gennemsnit og andel 4–5 er over "
        "svarene 1–5 (uden 'ved ikke')."
    )
    answers = ["1", "2", "3", "4", "5"]
    columns = [
        Col("Udsagn"),
        *(Col(answer, INTEGER) for answer in answers),
        Col(schema.DONT_KNOW.capitalize(), INTEGER),
        Col("Svar i alt", INTEGER),
        Col("Gennemsnit", DECIMAL),
        Col("Andel 4–5", PERCENT),
    ]
    place = sheet.table(
        columns,
        [
            [row.label, *row.counts, row.dont_know, row.answered, row.mean, row.share_4_or_5]
            for row in result.involvement
        ],
    )
    chart = _new_chart(sheet.workbook, "bar", "percent_stacked", "Svarfordeling pr. udsagn")
    colours = (VERMILION, ORANGE, GREY, SKY, BLUE, PURPLE)
    for offset, colour in enumerate(colours, start=1):
        chart.add_series(
            {
                "name": [sheet.name, place.header_row, place.column(offset)],
                "categories": _series_ref(sheet, place.first_row, place.column(0), place.last_row),
                "values": _series_ref(sheet, place.first_row, place.column(offset), place.last_row),
                "fill": {"color": colour},
                "gap": 50,
            }
        )
    chart.set_x_axis({"name": "Andel af svarene", "num_format": PERCENT_FORMAT})
    chart.set_y_axis({"reverse": True})
    sheet.chart(chart)


_SURVEY_COLOURS = (GREEN, GREY, VERMILION)  # high, some, low


def _write_survey(sheet: _Sheet, result: ConsolidationResult) -> None:
    sheet.title("Fagpersoners vurdering af samarbejdet", _subtitle(result))
    survey = result.survey
    if survey is None:
        sheet.note(
            "Ingen besvarelser i denne rapport. Send skemaet fra 'samarbejde-xl template survey' til fagpersonerne "
            "(fx én gang om året), og giv de udfyldte skemaer til rapporten med --survey."
        )
        return
    sheet.note(f"{schema.SURVEY_QUESTION} Fagpersoner, der har svaret: {survey.respondents}.")
    answers = schema.SURVEY_ANSWER.labels
    place = sheet.table(
        [
            Col("Udsagn"),
            *(Col(label, PERCENT) for label in answers),
            *(Col(f"Antal: {label.lower()}", INTEGER) for label in answers),
            Col("Svar i alt", INTEGER),
        ],
        [[row.label, *_shares(row.counts), *row.counts, row.answered] for row in survey.rows],
    )
    chart = _new_chart(sheet.workbook, "bar", "percent_stacked", "Fagpersoners vurdering – andel pr. udsagn")
    for offset, colour in enumerate(_SURVEY_COLOURS, start=1):
        chart.add_series(
            {
                "name": [sheet.name, place.header_row, place.column(offset)],
                "categories": _series_ref(sheet, place.first_row, place.column(0), place.last_row),
                "values": _series_ref(sheet, place.first_row, place.column(offset + len(answers)), place.last_row),
                "fill": {"color": colour},
                "data_labels": {"value": True},
                "gap": 50,
            }
        )
    chart.set_x_axis({"name": "Andel af svarene", "num_format": PERCENT_FORMAT})
    chart.set_y_axis({"reverse": True})
    chart.set_legend({"position": "bottom"})
    sheet.chart(chart)
    sheet.note(f"Skemaer: {', '.join(survey.files)}.")


_TREND_ROWS: tuple[tuple[str, str, Callable[[KeyFigures], Value]], ...] = (
    ("Projektmapper", INTEGER, lambda row: row.workbooks),
    ("Unge", INTEGER, lambda row: row.young_people),
    ("Aktive", INTEGER, lambda row: row.active),
    ("Startet", INTEGER, lambda row: row.started),
    ("Afsluttet", INTEGER, lambda row: row.ended),
    ("Møder afholdt", INTEGER, lambda row: row.meetings_held),
    ("Milepælsmøder til tiden", PERCENT, lambda row: row.milestone_compliance),
    ("Møde ved 18½ år til tiden", PERCENT, lambda row: row.m18_5_compliance),
    ("Den unge deltog", PERCENT, lambda row: row.young_person_attendance),
    ("Succes", PERCENT, lambda row: row.success_share),
    ("Delvis succes", PERCENT, lambda row: row.partial_share),
    ("Ingen succes", PERCENT, lambda row: row.none_share),
    ("Forfaldne møder", INTEGER, lambda row: row.overdue),
    ("Antal fejl", INTEGER, lambda row: row.errors),
    ("Antal advarsler", INTEGER, lambda row: row.warnings),
)


def _write_trend(sheet: _Sheet, result: ConsolidationResult) -> None:
    sheet.title("Udvikling kvartal for kvartal", _subtitle(result))
    trend = result.trend
    if not trend:
        sheet.note("Historikken er tom: der er ingen nøgletal at vise.")
        return
    if len(trend) == 1:
        sheet.note(
            "Historikken har kun dette kvartal. Kurverne viser ét punkt nu og får en linje, når rapporten er dannet "
            "for det næste kvartal."
        )
    # One column per quarter, one row per key figure: the table stays narrow as the history grows. Quarters not in
    # the history get an empty column, so the charts' axis is real time and a missing quarter shows as a gap.
    columns = trend_columns(trend)
    place = sheet.table(
        [Col("Nøgletal"), *(Col(label, INTEGER) for label, _ in columns)],
        [[header, *(getter(row) if row else None for _, row in columns)] for header, _, getter in _TREND_ROWS],
        row_kinds=[kind for _, kind, _ in _TREND_ROWS],
    )
    headers = [header for header, _, _ in _TREND_ROWS]
    last_col = place.column(len(columns))
    charts = []
    for title, series, axis in (
        (
            "Aktive unge og afholdte møder",
            (("Aktive", BLUE), ("Startet", GREEN), ("Afsluttet", ORANGE), ("Møder afholdt", PURPLE)),
            {"name": "Antal", "min": 0},
        ),
        (
            "Til tiden, fremmøde og succes",
            (
                ("Milepælsmøder til tiden", BLUE),
                ("Møde ved 18½ år til tiden", SKY),
                ("Den unge deltog", GREEN),
                ("Succes", ORANGE),
            ),
            {"name": "Andel", "num_format": PERCENT_FORMAT, "min": 0, "max": 1},
        ),
    ):
        chart = _new_chart(sheet.workbook, "line", None, title)
        for header, colour in series:
            row = place.first_row + headers.index(header)
            chart.add_series(
                {
                    "name": [sheet.name, row, place.first_col],
                    "categories": [sheet.name, place.header_row, place.column(1), place.header_row, last_col],
                    "values": [sheet.name, row, place.column(1), row, last_col],
                    "line": {"color": colour, "width": 2.25},
                    "marker": {"type": "circle", "size": 6, "fill": {"color": colour}, "border": {"color": colour}},
                }
            )
        chart.set_y_axis(axis)
        chart.set_x_axis({"name": "Kvartal"})
        charts.append(chart)
    sheet.chart_row(charts, width=540)


TREND_MAX_QUARTERS = 40
"""The trend shows at most the last ten years (the history may hold older quarters)."""


def trend_columns(trend: Sequence[KeyFigures]) -> list[tuple[str, KeyFigures | None]]:
    """(label, figures or None) for every quarter from the first stored to the last, oldest first."""
    stored = {row.quarter: row for row in trend}
    try:
        quarters = sorted(parse_quarter(code) for code in stored)
    except ValueError:  # a hand-edited store: show what is there, in stored order
        return [(row.label, row) for row in trend]
    if not quarters:
        return []
    first, last = quarters[0], quarters[-1]
    first = max(first, Quarter(last.year - TREND_MAX_QUARTERS // 4, last.number).next())
    columns: list[tuple[str, KeyFigures | None]] = []
    current = first
    while current <= last:
        columns.append((current.label, stored.get(current.code)))
        current = current.next()
    return columns


def _write_data_quality(sheet: _Sheet, result: ConsolidationResult) -> None:
    shown = _below(workbook_folder(result))
    sheet.title("Datakvalitet", _subtitle(result))
    sheet.note(data_quality_headline(result), cell_format=sheet.formats.label)
    sheet.heading("Hyppigste problemer")
    if result.top_problems:
        sheet.table(
            [Col("Kode"), Col("Beskrivelse"), Col("Alvor"), Col("Antal", INTEGER)],
            [[row.code, row.title, row.severity, row.count] for row in result.top_problems],
        )
    else:
        sheet.note("Ingen problemer i de læste projektmapper.")
    if result.skipped_lock_files:
        sheet.heading("Låsefiler der blev sprunget over")
        sheet.table([Col("Fil")], [[shown(name)] for name in result.skipped_lock_files])
    if result.skipped_reports:
        sheet.heading("Tidligere rapporter der blev sprunget over")
        sheet.table([Col("Fil")], [[shown(name)] for name in result.skipped_reports])
    if result.skipped_files:
        sheet.heading("Andre filer og mapper der blev sprunget over")
        sheet.table(
            [Col("Fil eller mappe"), Col("Hvorfor")], [[shown(name), why] for name, why in result.skipped_files]
        )
    if result.copies:
        sheet.heading("Samme unge i flere projektmapper (talt én gang)")
        sheet.table(
            [Col("Id"), Col("Talt fra"), Col("Ikke talt i"), Col("Hvorfor")],
            [
                [copy.case_id, shown(copy.used), ", ".join(map(shown, copy.others)), copy.reason]
                for copy in result.copies
            ],
        )
    # One line per workbook: a thousand workbooks fill pages, so the list comes last, its header on every page.
    sheet.heading("Projektmapper")
    sheet.long_list(
        [
            Col("Projektmappe"),
            Col("Skabelonversion", INTEGER),
            Col("Kommune"),
            Col("Unge", INTEGER),
            Col("Antal fejl", INTEGER),
            Col("Antal advarsler", INTEGER),
            Col("Kunne ikke læses (årsag)"),
        ],
        [
            [
                shown(row.file),
                row.template_version,
                row.municipality,
                row.young_people,
                row.errors,
                row.warnings,
                row.unreadable_reason,
            ]
            for row in result.data_quality
        ],
    )


# --------------------------------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------------------------------


def _open_workbook(path: str | os.PathLike[str], result: ConsolidationResult, title: str) -> tuple[Any, _Formats]:
    workbook = xlsxwriter.Workbook(
        str(path),
        {
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "remove_timezone": True,
            "default_format_properties": dict(FONT),
            # Assemble the parts in memory: no temporary file per part to write, read back and delete (about 40 ms
            # of a report with a long overdue list). The parts' zip timestamp is then 1 January 1980, still fixed.
            "in_memory": True,
        },
    )
    created = result.generated_at.replace(tzinfo=None)
    workbook.set_properties(
        {
            "title": title,
            "subject": result.quarter.label,
            "author": "samarbejde-xl",
            "company": _municipalities(result),
            "comments": f"samarbejde-xl {result.tool_version}",
            "created": created,
        }
    )
    workbook.set_calc_mode("auto")
    return workbook, _Formats(workbook)


def _add_sheet(workbook: Any, formats: _Formats, name: str) -> _Sheet:
    return _Sheet(workbook, workbook.add_worksheet(name), formats, name)


def write_report(result: ConsolidationResult, path: str | os.PathLike[str]) -> None:
    """Write the leader-group report to ``path`` (atomically): all of ``schema.REPORT_SHEETS``, with charts. The
    politicians' summary is a workbook of its own (``report/politicians.py``)."""
    writers: dict[str, Callable[[_Sheet], None]] = {
        schema.REPORT_SHEET_COVER: lambda sheet: _write_cover(sheet, result),
        schema.REPORT_SHEET_OUTCOMES: lambda sheet: _write_outcomes(sheet, result),
        schema.REPORT_SHEET_MEETINGS: lambda sheet: _write_meetings(sheet, result),
        schema.REPORT_SHEET_AGREEMENTS: lambda sheet: _write_agreements(sheet, result),
        schema.REPORT_SHEET_LIFE_AREAS: lambda sheet: _write_life_areas(sheet, result),
        schema.REPORT_SHEET_INVOLVEMENT: lambda sheet: _write_involvement(sheet, result),
        schema.REPORT_SHEET_SURVEY: lambda sheet: _write_survey(sheet, result),
        schema.REPORT_SHEET_TREND: lambda sheet: _write_trend(sheet, result),
        schema.REPORT_SHEET_DATA_QUALITY: lambda sheet: _write_data_quality(sheet, result),
    }
    assert tuple(writers) == schema.REPORT_SHEETS
    with atomic_output(path) as temp_path:
        workbook, formats = _open_workbook(temp_path, result, schema.REPORT_TITLE)
        for name, write in writers.items():
            sheet = _add_sheet(workbook, formats, name)
            write(sheet)
            sheet.finish()
        workbook.close()
