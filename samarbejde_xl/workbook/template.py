"""Builds the case workbook template from :mod:`samarbejde_xl.schema`.

Every position comes from the schema; this module only decides how things look (fonts, fills, borders) and which
Excel features guard the input (dropdowns, date checks, sheet protection). Case sheets added later by ``Ny sag`` or
the demo writer get exactly the same formatting through :func:`format_case_sheet`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, cast

from openpyxl import Workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.chart import LineChart, RadarChart, Reference
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.formatting.rule import Rule
from openpyxl.packaging.core import DocumentProperties
from openpyxl.packaging.custom import IntProperty
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from samarbejde_xl import schema
from samarbejde_xl.core.settings import DEFAULTS
from samarbejde_xl.safe_text import set_text
from samarbejde_xl.schema import Choice, Kind
from samarbejde_xl.workbook.save import save_workbook

BUILD_TIMESTAMP = datetime(2025, 1, 1, 0, 0, 0)
"""Creation and modification time written into the template: fixed so that builds are byte-reproducible."""
CREATOR = "samarbejde-xl"
VERSION_PROPERTY = "Skabelonversion"
TEMPLATE_KEYWORDS = f"samarbejde-xl skabelon v{schema.TEMPLATE_VERSION}"
TABLE_STYLE = "TableStyleMedium2"

EXCEL_MAX_ROWS = 1_048_576
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2100, 12, 31)
_DV_TITLE_MAX = 32  # Excel rejects longer prompt/error titles

# Colours (ARGB without alpha). Grey = computed, white = entered, as the subtitle and the guide tell users.
_WHITE = "FFFFFF"
_BLACK = "000000"
_GREY = "D9D9D9"
_HEADER_BLUE = "DDEBF7"
_BORDER_GREY = "A6A6A6"
_OVERDUE_FILL = "FFC7CE"
_OVERDUE_TEXT = "9C0006"
_SOON_FILL = "FFEB9C"
_SOON_TEXT = "9C5700"
_NOTE_TEXT = "595959"

TITLE_FONT = Font(bold=True, size=14)
HEADING_FONT = Font(bold=True, size=12)
BOLD_FONT = Font(bold=True)
TABLE_HEADER_FONT = Font(color=_BLACK)
NOTE_FONT = Font(italic=True, color=_NOTE_TEXT)
ENTERED_FILL = PatternFill(fill_type="solid", start_color=_WHITE, end_color=_WHITE)
COMPUTED_FILL = PatternFill(fill_type="solid", start_color=_GREY, end_color=_GREY)
HEADER_FILL = PatternFill(fill_type="solid", start_color=_HEADER_BLUE, end_color=_HEADER_BLUE)
_SIDE = Side(style="thin", color=_BORDER_GREY)
BOX = Border(left=_SIDE, right=_SIDE, top=_SIDE, bottom=_SIDE)
UNLOCKED = Protection(locked=False)
LOCKED = Protection(locked=True)
WRAP = Alignment(wrap_text=True, vertical="top")
_PLAIN_FONT = Font()
_TOP_ALIGNMENT = Alignment(vertical="top")
_MIDDLE_ALIGNMENT = Alignment(vertical="center")
_MIDDLE_WRAP = Alignment(wrap_text=True, vertical="center")  # Indstillinger: label and explanation on one line
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center")

_LINE_HEIGHT = 15.0  # points per text line at the default font size
_FREE_TEXT_ROW_HEIGHT = 48.0  # room for three lines of notes


# --------------------------------------------------------------------------------------------------
# Data validations
# --------------------------------------------------------------------------------------------------

_LIST_ERROR = "Vælg en værdi fra rullelisten."
_DATE_ERROR = "Skriv en dato som dd-mm-åååå, fx 05-03-2025 (mellem 01-01-1900 og 31-12-2100)."
_SCORE_ERROR = "Skriv et helt tal fra 1 til 10."
_INTEGER_ERROR = "Skriv et helt tal: 0 eller derover."
_NUMBER_ERROR = "Skriv et tal."
_ERROR_TITLE = "Ugyldig værdi"


def _excel_serial(day: date) -> int:
    """Excel's 1900 date system, including its phantom 29-02-1900."""
    serial = (day - date(1899, 12, 30)).days
    return serial - 1 if day < date(1900, 3, 1) else serial


def _validation(kind: Kind, choice: Choice | None) -> DataValidation | None:
    """The Excel data validation guarding cells of ``kind``; None for free text."""
    if kind in (Kind.CHOICE, Kind.YES_NO, Kind.INVOLVEMENT):
        if choice is None:
            raise ValueError(f"a {kind} cell needs a dropdown list")
        return DataValidation(type="list", formula1=schema.list_range(choice), error=_LIST_ERROR)
    if kind is Kind.DATE:
        return DataValidation(
            type="date",
            operator="between",
            formula1=str(_excel_serial(EARLIEST_DATE)),
            formula2=str(_excel_serial(LATEST_DATE)),
            error=_DATE_ERROR,
        )
    if kind is Kind.SCORE:
        return DataValidation(type="whole", operator="between", formula1="1", formula2="10", error=_SCORE_ERROR)
    if kind is Kind.INTEGER:
        return DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", error=_INTEGER_ERROR)
    if kind is Kind.NUMBER:
        return DataValidation(type="decimal", error=_NUMBER_ERROR)
    return None


def _add_validation(
    sheet: Worksheet, kind: Kind, choice: Choice | None, ref: str, title: str = "", prompt: str = ""
) -> None:
    validation = _validation(kind, choice)
    if validation is None and not prompt:
        return
    if validation is None:  # free text with a help text: an "any value" validation carries the input message
        validation = DataValidation()
    validation.allow_blank = True
    validation.showErrorMessage = validation.type is not None
    validation.errorTitle = _ERROR_TITLE if validation.type is not None else None
    if prompt:
        validation.showInputMessage = True
        validation.promptTitle = title[:_DV_TITLE_MAX]
        validation.prompt = prompt
    validation.add(ref)
    sheet.add_data_validation(validation)


def _number_format(kind: Kind) -> str | None:
    if kind is Kind.DATE:
        return schema.DATE_FORMAT
    if kind in (Kind.INTEGER, Kind.SCORE):
        return schema.INTEGER_FORMAT
    return None


# --------------------------------------------------------------------------------------------------
# Shared formatting helpers
# --------------------------------------------------------------------------------------------------


class _Styler:
    """Sets cell styles like ``cell.font = font`` does, but finds each style object's id only once.

    openpyxl's style assignment hashes the style object (a slow, deep hash) to find or add it in the workbook's
    list of fonts, fills, ...; that was most of the time spent formatting a case sheet. Here the id of each object
    is remembered (by identity, so equal objects still go through the workbook's list, in the same order) and
    written straight into the cell's style array: the result is exactly that of the assignments. Use one styler
    per formatting call, while nothing else changes the workbook's style lists.
    """

    def __init__(self, sheet: Worksheet) -> None:
        self._workbook: Any = sheet.parent
        self._ids: dict[tuple[str, int], tuple[object, int]] = {}  # keeps the object alive so its id stays unique

    def _id(self, collection: str, value: object) -> int:
        key = (collection, id(value))
        known = self._ids.get(key)
        if known is None:
            known = (value, getattr(self._workbook, collection).add(value))
            self._ids[key] = known
        return known[1]

    def apply(
        self,
        cell: Cell | MergedCell,
        *,
        font: Font | None = None,
        fill: PatternFill | None = None,
        border: Border | None = None,
        protection: Protection | None = None,
        alignment: Alignment | None = None,
    ) -> None:
        target = cast(Any, cell)  # _style is not in the type stubs
        style: StyleArray | None = target._style
        if not style:
            style = target._style = StyleArray()
        if font is not None:
            style.fontId = self._id("_fonts", font)
        if fill is not None:
            style.fillId = self._id("_fills", fill)
        if border is not None:
            style.borderId = self._id("_borders", border)
        if protection is not None:
            style.protectionId = self._id("_protections", protection)
        if alignment is not None:
            style.alignmentId = self._id("_alignments", alignment)


def _style_value_cell(styler: _Styler, cell: Cell | MergedCell, kind: Kind, entered: bool) -> None:
    styler.apply(
        cell,
        border=BOX,
        fill=ENTERED_FILL if entered else COMPUTED_FILL,
        protection=UNLOCKED if entered else LOCKED,
    )
    number_format = _number_format(kind)
    if number_format:
        cell.number_format = number_format
    if kind is Kind.FREE_TEXT:
        styler.apply(cell, alignment=WRAP)


def _status_formatting(sheet: Worksheet, ref: str) -> None:
    """Overdue red, soon amber: the labels the meeting plan writes into status cells."""
    for code, fill_colour, text_colour in (
        ("overdue", _OVERDUE_FILL, _OVERDUE_TEXT),
        ("soon", _SOON_FILL, _SOON_TEXT),
    ):
        label = schema.PLAN_STATUS.label_of(code)
        style = DifferentialStyle(
            font=Font(color=text_colour),
            fill=PatternFill(fill_type="solid", start_color=fill_colour, end_color=fill_colour),
        )
        rule = Rule(type="cellIs", operator="equal", formula=[f'"{label}"'], dxf=style)
        sheet.conditional_formatting.add(ref, rule)


def _protect(sheet: Worksheet) -> None:
    """Protect without a password: locked (computed) cells are guarded against slips, never against people."""
    sheet.protection.sheet = True
    # False = allowed while protected: users may still resize columns and rows.
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


def _print_landscape(sheet: Worksheet, pages_wide: int = 1) -> None:
    """Landscape A4 scaled to ``pages_wide`` pages across, as many pages down as the rows need."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.fitToWidth = pages_wide
    sheet.page_setup.fitToHeight = 0


def _set_widths(sheet: Worksheet, widths: Iterable[float]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[schema.column_letter(index)].width = width


def _wrapped_lines(text: str, chars_per_line: int) -> int:
    """Lines a greedy word wrap needs (Excel and LibreOffice wrap at spaces, long words are cut)."""
    lines, used = 1, 0
    for word in text.split():
        if used and used + 1 + len(word) <= chars_per_line:
            used += 1 + len(word)
            continue
        if used:
            lines += 1
        lines += (len(word) - 1) // chars_per_line
        used = (len(word) - 1) % chars_per_line + 1
    return lines


def _wrapped_height(text: str, width: float, chars_per_width: float = 1.15) -> float:
    """Row height (points) that shows ``text`` wrapped in a column ``width`` characters wide."""
    chars_per_line = max(1, int(width * chars_per_width))
    return _LINE_HEIGHT * _wrapped_lines(text, chars_per_line) + 3


# --------------------------------------------------------------------------------------------------
# Case sheet
# --------------------------------------------------------------------------------------------------


def format_case_sheet(sheet: Worksheet) -> None:
    """Lay out an empty case sheet: labels, input cells, validations, locked computed cells, printing."""
    styler = _Styler(sheet)
    sheet[schema.CASE_TITLE_CELL] = schema.CASE_SHEET_TITLE
    styler.apply(sheet[schema.CASE_TITLE_CELL], font=TITLE_FONT)
    sheet[schema.CASE_SUBTITLE_CELL] = schema.CASE_SUBTITLE
    styler.apply(sheet[schema.CASE_SUBTITLE_CELL], font=NOTE_FONT)

    for field in schema.CASE_FIELDS + schema.CASE_COMPUTED_FIELDS + schema.CASE_REGISTRATION_FIELDS:
        label = sheet[field.label_cell]
        label.value = field.label
        styler.apply(label, font=BOLD_FONT if field.required else _PLAIN_FONT)
        _style_value_cell(styler, sheet[field.cell], field.kind, field.entered)
        if field.entered:
            _add_validation(sheet, field.kind, field.choice, field.cell, field.label, field.help)
        if field.kind is Kind.FREE_TEXT:
            sheet.row_dimensions[field.row].height = _FREE_TEXT_ROW_HEIGHT
            styler.apply(label, alignment=_TOP_ALIGNMENT)
    _status_formatting(sheet, schema.CASE_FIELDS_BY_KEY["next_meeting_status"].cell)

    for block in schema.CASE_BLOCKS:
        _format_block(sheet, styler, block)

    _set_widths(sheet, schema.CASE_COLUMN_WIDTHS)
    _life_area_chart(sheet)
    _score_history_chart(sheet)
    sheet.freeze_panes = schema.CASE_FREEZE_CELL
    _protect(sheet)
    _print_landscape(sheet)
    first, last = schema.CASE_PRINT_TITLE_ROWS
    sheet.print_title_rows = f"{first}:{last}"


def _life_area_chart(sheet: Worksheet) -> None:
    """First vs latest score per life area, read from the computed block that refresh fills (a radar chart like the
    model's evaluation). Excel's sheet copy (the ribbon's Ny sag) carries it to new case sheets."""
    block = schema.CASE_BLOCKS_BY_KEY["life_areas"]
    chart = RadarChart()
    chart.type = "marker"
    chart.title = schema.CASE_LIFE_AREA_CHART_TITLE
    chart.style = 2
    for key in ("first_score", "latest_score"):
        column = block.column_of(key)
        values = Reference(sheet, min_col=column, min_row=block.header_row, max_row=block.last_row)
        chart.add_data(values, titles_from_data=True)
    labels = block.column_of("life_area")
    categories = Reference(sheet, min_col=labels, min_row=block.first_row, max_row=block.last_row)
    for series in chart.series:  # text labels: a string reference (openpyxl's default is numeric)
        series.cat = AxDataSource(strRef=StrRef(f=str(categories)))
    _place_score_chart(sheet, chart, schema.CASE_LIFE_AREA_CHART_SIZE_CM, schema.CASE_LIFE_AREA_CHART_CELL)


def _place_score_chart(
    sheet: Worksheet, chart: LineChart | RadarChart, size_cm: tuple[float, float], cell: str
) -> None:
    """The score scale (1-10 on a 0-10 axis) and both axes shown, as every life-area chart has them."""
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 10
    chart.y_axis.majorUnit = 2
    chart.y_axis.delete = False
    chart.x_axis.delete = False
    chart.width, chart.height = size_cm  # type: ignore[assignment]  # cm, floats
    sheet.add_chart(chart, cell)


def _score_history_chart(sheet: Worksheet) -> None:
    """One line per life area over the latest scored meetings (the score_history block refresh fills), for the
    coordinator to go through with the young person. Dates are categories, so meetings sit evenly spaced."""
    block = schema.CASE_BLOCKS_BY_KEY["score_history"]
    chart = LineChart()
    chart.title = schema.CASE_SCORE_HISTORY_CHART_TITLE
    chart.style = 2
    first_area = block.column_of(schema.LIFE_AREA.codes[0])
    values = Reference(
        sheet, min_col=first_area, max_col=block.last_col, min_row=block.header_row, max_row=block.last_row
    )
    chart.add_data(values, titles_from_data=True)
    dates = Reference(sheet, min_col=block.column_of("date"), min_row=block.first_row, max_row=block.last_row)
    chart.set_categories(dates)
    for series in chart.series:
        series.marker.symbol = "circle"
        series.marker.size = 6
        series.smooth = False
    chart.display_blanks = "gap"  # an area left unscored at a meeting is a gap, not a drop to zero
    chart.x_axis.number_format = "dd-mm-yy"
    chart.x_axis.title = "Mødedato"
    chart.y_axis.title = "Score"
    _place_score_chart(sheet, chart, schema.CASE_SCORE_HISTORY_CHART_SIZE_CM, schema.CASE_SCORE_HISTORY_CHART_CELL)


def _case_column_width(column: int) -> float:
    widths = schema.CASE_COLUMN_WIDTHS
    return widths[column - 1] if column <= len(widths) else widths[-1]


def _format_block(sheet: Worksheet, styler: _Styler, block: schema.Block) -> None:
    styler.apply(sheet.cell(block.title_row, block.first_col, block.title), font=HEADING_FONT)
    if block.help:
        help_cell = sheet.cell(block.title_row, block.first_col + schema.CASE_BLOCK_HELP_OFFSET, block.help)
        styler.apply(help_cell, font=NOTE_FONT)
    sheet.row_dimensions[block.header_row].height = max(
        _wrapped_height(column.header, _case_column_width(block.first_col + offset), chars_per_width=0.95)
        for offset, column in enumerate(block.columns)
    )
    two_lines = any(column.kind is Kind.FREE_TEXT for column in block.columns)
    for offset, column in enumerate(block.columns):
        col = block.first_col + offset
        header = sheet.cell(block.header_row, col, column.header)
        styler.apply(header, font=BOLD_FONT, fill=HEADER_FILL, border=BOX, alignment=HEADER_ALIGNMENT)
        entered = block.entered and column.entered
        for row in range(block.first_row, block.last_row + 1):
            _style_value_cell(styler, sheet.cell(row, col), column.kind, entered)
            if two_lines:  # a wrapped second line must not run into the next row; the row reads from its top
                sheet.row_dimensions[row].height = schema.BLOCK_TEXT_ROW_HEIGHT
                if column.kind is not Kind.FREE_TEXT:
                    styler.apply(sheet.cell(row, col), alignment=_TOP_ALIGNMENT)
        if entered:
            ref = schema.range_address(block.first_row, col, block.last_row, col)
            _add_validation(sheet, column.kind, column.choice, ref)
    plan = schema.CASE_BLOCKS_BY_KEY["plan"]
    if block is plan:
        status_col = plan.column_of("status")
        _status_formatting(sheet, schema.range_address(plan.first_row, status_col, plan.last_row, status_col))


def is_case_sheet(sheet: Worksheet) -> bool:
    """A sheet is a case sheet (or the case-sheet template) when its title cell holds the case-sheet title."""
    return bool(sheet[schema.CASE_TITLE_CELL].value == schema.CASE_SHEET_TITLE)


def add_case_sheet(workbook: Workbook, case_id: str) -> Worksheet:
    """Add an empty, formatted case sheet for ``case_id`` after the last case sheet; the id is filled in.

    Raises ValueError if the workbook already has a sheet of that name (Excel compares names case-insensitively).
    """
    name = schema.case_sheet_name(case_id)
    existing = {title.casefold() for title in workbook.sheetnames}
    if name.casefold() in existing:
        raise ValueError(f"the workbook already has a sheet named {name!r}")
    fixed = set(schema.FIXED_SHEETS)
    positions = [
        index
        for index, sheet in enumerate(workbook.worksheets)
        if sheet.title in fixed or sheet.title == schema.SHEET_PROBLEMS or is_case_sheet(sheet)
    ]
    index = max(positions) + 1 if positions else len(workbook.worksheets)
    sheet: Worksheet = workbook.create_sheet(name, index)
    format_case_sheet(sheet)
    set_text(sheet[schema.CASE_FIELDS_BY_KEY["case_id"].cell], case_id.strip())
    return sheet


# --------------------------------------------------------------------------------------------------
# The fixed sheets
# --------------------------------------------------------------------------------------------------


def _button(control_id: str) -> schema.RibbonButton:
    for button in schema.RIBBON_BUTTONS:
        if button.control_id == control_id:
            return button
    raise KeyError(control_id)


GuideRow = tuple[str, str]
"""(style, text): style is 'title', 'heading' or 'text'."""


def _guide_filling_rows() -> list[GuideRow]:
    """What the workbook is and how to fill it in."""
    new_case = _button("NewCase").label
    return [
        ("title", schema.WORKBOOK_TITLE),
        (
            "text",
            "Arbejdsbogen understøtter Samarbejdsmodellen: ét sagsark pr. ung, én række pr. afholdt møde i "
            f"{schema.SHEET_CHECKLIST} og en beregnet mødeplan, der viser hvilke møder der snart skal holdes, "
            "og hvilke der er forfaldne.",
        ),
        ("heading", "Sådan udfylder du arbejdsbogen"),
        (
            "text",
            f"• Opret ét sagsark pr. ung med knappen {new_case}. Uden knappen: højreklik på fanen "
            f"{schema.SHEET_CASE_TEMPLATE}, vælg Flyt eller kopiér, sæt kryds i Opret en kopi, og omdøb kopien "
            "til den unges id.",
        ),
        (
            "text",
            "• Brug et pseudonymt id (fx U-0001) og initialer. Skriv aldrig CPR-numre, fulde navne eller "
            "diagnoser – heller ikke i bemærkningsfelterne.",
        ),
        (
            "text",
            "• Hvide felter udfylder du. Grå felter beregnes af værktøjet og er låst – skriv ikke i dem. "
            "Felter med fed overskrift skal udfyldes.",
        ),
        ("text", "• Datoer skrives som dd-mm-åååå, fx 05-03-2025. Celler med en pil har en rulleliste."),
        (
            "text",
            f"• {schema.SHEET_CHECKLIST}: skriv én række pr. afholdt møde – ung-id, mødedato, mødetype, hvem der "
            "deltog, status på uddannelse og job, scorer for livsområderne (1–10) og den unges oplevelse af "
            "inddragelse (1–5 eller ved ikke). Tabellen vokser af sig selv, når du skriver i rækken lige under den.",
        ),
        (
            "text",
            "• Et krævet møde, der ikke blev holdt, står som forfaldent, indtil et senere møde tager det (afholdt for "
            "sent). Skal det ikke holdes, så skriv en række med ung-id, mødetype, mødedato = mødets dato i "
            f"mødeplanen (Forfalder), Den unge deltog = nej og en begrundelse i kolonnen "
            f"'{schema.CHECKLIST_COLUMNS_BY_KEY['not_relevant_reason'].header}'. Så står mødet som ikke relevant.",
        ),
        (
            "text",
            f"• {schema.SHEET_SETTINGS}: skriv kommunens navn. Lokale regler skrives i kolonnen Værdi; en tom "
            "værdi betyder, at standarden bruges.",
        ),
        ("text", "• Når den unge fylder 18, skal den unge give nyt samtykke, før forældrene kan deltage."),
    ]


def _guide_button_rows() -> list[GuideRow]:
    """The ribbon's buttons."""
    return [
        ("heading", "Knapperne på båndet"),
        *(("text", f"• {button.label}: {button.screentip}") for button in schema.RIBBON_BUTTONS),
        (
            "text",
            f"• Før {_button('RegisterMeeting').label} kan du på sagsarket vælge mødetypen og om den unge deltog "
            f"(felterne {' og '.join(f'»{f.label}«' for f in schema.CASE_REGISTRATION_FIELDS)}). Tomme felter: "
            "værktøjet foreslår det møde, hvis vindue dagen ligger i, ellers det ældste forfaldne. Felterne tømmes, "
            "når rækken er skrevet. Samme unge kan ikke registreres to gange samme dag.",
        ),
    ]


def _guide_without_python_rows() -> list[GuideRow]:
    """What works without Python, and the sheets."""
    refresh = _button("RefreshPlan").label
    validate = _button("Validate").label
    refreshed_on = schema.CASE_FIELDS_BY_KEY["refreshed_on"].label
    return [
        ("heading", "Uden Python"),
        (
            "text",
            "• Arbejdsbogen er en almindelig Excel-fil. Alle kan læse og udfylde den uden Python: rullelister, "
            "datokontrol og låste felter virker i Excel alene (og i LibreOffice).",
        ),
        (
            "text",
            f"• Mødeplanen, {schema.SHEET_OVERVIEW} og status er værdier fra seneste tryk på {refresh}. De "
            f"ændrer sig først, når nogen trykker på knappen igen – se datoen i feltet {refreshed_on}.",
        ),
        (
            "text",
            f"• Knappen {validate} samler fejl og advarsler på arket {schema.SHEET_PROBLEMS}. Uden Python "
            "kontrollerer Excel kun rullelister, datoer og tal.",
        ),
        (
            "text",
            "• Arkene er beskyttet uden adgangskode, så grå felter ikke overskrives ved et uheld. Beskyttelsen kan "
            "slås fra under Gennemse > Fjern arkbeskyttelse.",
        ),
        ("heading", "Arkene"),
        ("text", f"• {schema.SHEET_OVERVIEW}: én beregnet linje pr. ung med næste møde og status."),
        ("text", f"• {schema.SHEET_CASE_TEMPLATE}: tomt sagsark, som nye sager kopieres fra. Udfyld det ikke."),
        ("text", f"• {schema.SHEET_CHECKLIST}: én række pr. afholdt møde (en Excel-tabel)."),
        ("text", f"• {schema.SHEET_SETTINGS}: kommune, skabelonversion og lokale regler."),
        ("text", f"• Sagsark: ét pr. ung, navngivet efter den unges id. Skabelonversion {schema.TEMPLATE_VERSION}."),
    ]


def _guide_rows() -> list[GuideRow]:
    """The guide sheet's rows, top to bottom."""
    return [*_guide_filling_rows(), *_guide_button_rows(), *_guide_without_python_rows()]


def _build_guide(sheet: Worksheet) -> None:
    sheet.column_dimensions[schema.column_letter(1)].width = schema.GUIDE_COLUMN_WIDTH
    fonts = {"title": TITLE_FONT, "heading": HEADING_FONT, "text": Font()}
    for row, (style, text) in enumerate(_guide_rows(), start=1):
        cell = sheet.cell(row, 1, text)
        cell.font = fonts[style]
        cell.alignment = WRAP
        if style == "text":
            sheet.row_dimensions[row].height = _wrapped_height(text, schema.GUIDE_COLUMN_WIDTH)
        elif style == "heading":
            sheet.row_dimensions[row].height = 24
    sheet.sheet_view.showGridLines = False
    _protect(sheet)
    _print_landscape(sheet)


def _header_row(sheet: Worksheet, row: int, columns: Iterable[schema.Column]) -> None:
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row, index, column.header)
        cell.font = BOLD_FONT
        cell.fill = HEADER_FILL
        cell.border = BOX
        cell.alignment = HEADER_ALIGNMENT
        sheet.column_dimensions[schema.column_letter(index)].width = column.width


def _build_overview(sheet: Worksheet) -> None:
    _header_row(sheet, schema.OVERVIEW_HEADER_ROW, schema.OVERVIEW_COLUMNS)
    sheet.row_dimensions[schema.OVERVIEW_HEADER_ROW].height = max(
        _wrapped_height(column.header, column.width, chars_per_width=0.95) for column in schema.OVERVIEW_COLUMNS
    )
    status = schema.overview_column("status")
    _status_formatting(sheet, schema.range_address(schema.OVERVIEW_FIRST_ROW, status, EXCEL_MAX_ROWS, status))
    sheet.freeze_panes = schema.OVERVIEW_FREEZE_CELL
    _protect(sheet)
    _print_landscape(sheet)
    sheet.print_title_rows = f"{schema.OVERVIEW_HEADER_ROW}:{schema.OVERVIEW_HEADER_ROW}"


def _build_checklist(sheet: Worksheet) -> None:
    header_row = schema.CHECKLIST_HEADER_ROW
    first, last = schema.CHECKLIST_FIRST_ROW, schema.CHECKLIST_FIRST_ROW + schema.CHECKLIST_TEMPLATE_ROWS - 1
    for index, column in enumerate(schema.CHECKLIST_COLUMNS, start=1):
        header = sheet.cell(header_row, index, column.header)
        # Explicit font and fill override the table style's white-on-blue header, so Excel and LibreOffice agree.
        # Not bold: the narrow yes/no columns have long profession names.
        header.font = TABLE_HEADER_FONT
        header.fill = HEADER_FILL
        header.alignment = HEADER_ALIGNMENT
        sheet.column_dimensions[schema.column_letter(index)].width = column.width
        _add_validation(sheet, column.kind, column.choice, schema.range_address(first, index, last, index))
        number_format = _number_format(column.kind)
        if column.kind is Kind.DATE and number_format:
            for row in range(first, last + 1):
                sheet.cell(row, index).number_format = number_format
    sheet.row_dimensions[header_row].height = schema.CHECKLIST_HEADER_HEIGHT
    table = Table(
        displayName=schema.CHECKLIST_TABLE_NAME,
        ref=schema.range_address(header_row, 1, first, schema.CHECKLIST_LAST_COLUMN),
    )
    table.tableStyleInfo = TableStyleInfo(name=TABLE_STYLE, showRowStripes=True)
    sheet.add_table(table)
    sheet.freeze_panes = schema.CHECKLIST_FREEZE_CELL
    # Not protected: Excel cannot grow a table on a protected sheet.
    _print_landscape(sheet, schema.CHECKLIST_PRINT_PAGES_WIDE)
    sheet.page_setup.pageOrder = "overThenDown"  # a meeting's row continues on the next page, not pages later
    sheet.print_title_rows = f"{header_row}:{header_row}"
    first_title, last_title = (schema.checklist_column(key) for key in schema.CHECKLIST_PRINT_TITLE_KEYS)
    sheet.print_title_cols = f"{schema.column_letter(first_title)}:{schema.column_letter(last_title)}"


def _default_text(setting: schema.SettingRow) -> str | int | None:
    """The built-in default as users read it (Danish labels instead of codes and booleans)."""
    if setting.key not in DEFAULTS:
        return None
    value = DEFAULTS[setting.key]
    if isinstance(value, bool):
        return schema.YES if value else schema.NO
    if isinstance(value, int):
        return value
    if setting.choice is not None:
        return setting.choice.label_of(str(value))
    return str(value)


def _build_settings(sheet: Worksheet) -> None:
    title_row = schema.parse_cell(schema.SETTINGS_TITLE_CELL)[0]
    sheet[schema.SETTINGS_TITLE_CELL] = f"{schema.SHEET_SETTINGS} for arbejdsbogen"
    sheet[schema.SETTINGS_TITLE_CELL].font = TITLE_FONT
    note = sheet.cell(
        title_row + 1,
        schema.SETTINGS_LABEL_COL,
        "Lad Værdi stå tom for at bruge standarden. Ændringer gælder for alle sager i denne arbejdsbog.",
    )
    note.font = NOTE_FONT
    for index, header in enumerate(schema.SETTINGS_HEADERS, start=1):
        cell = sheet.cell(schema.SETTINGS_HEADER_ROW, index, header)
        cell.font = BOLD_FONT
        cell.fill = HEADER_FILL
        cell.border = BOX
    for setting in schema.SETTINGS_ROWS:
        row = schema.settings_row(setting.key)
        label = sheet.cell(row, schema.SETTINGS_LABEL_COL, setting.label)
        label.border = BOX
        label.alignment = _MIDDLE_ALIGNMENT
        value_address = schema.settings_value_cell(setting.key)
        is_version = setting.key == "template_version"
        _style_value_cell(_Styler(sheet), sheet[value_address], setting.kind, entered=not is_version)
        if is_version:
            sheet[value_address] = schema.TEMPLATE_VERSION
        else:
            _add_validation(sheet, setting.kind, setting.choice, value_address, setting.label, setting.help)
        default = sheet.cell(row, schema.SETTINGS_DEFAULT_COL, _default_text(setting))
        default.border = BOX
        default.alignment = Alignment(horizontal="left", vertical="center")
        help_cell = sheet.cell(row, schema.SETTINGS_HELP_COL, setting.help or None)
        help_cell.border = BOX
        help_cell.alignment = _MIDDLE_WRAP
        help_width = schema.SETTINGS_COLUMN_WIDTHS[schema.SETTINGS_HELP_COL - 1]
        sheet.row_dimensions[row].height = _wrapped_height(setting.help, help_width)
    _set_widths(sheet, schema.SETTINGS_COLUMN_WIDTHS)
    _protect(sheet)
    _print_landscape(sheet)


def _list_value(label: str) -> str | int:
    # Digits are stored as numbers: Excel enters a picked "3" as the number 3, which must match the list.
    return int(label) if label.isdigit() else label


def _build_lists(sheet: Worksheet) -> None:
    for choice in schema.LISTS:
        col = schema.list_column(choice)
        sheet.cell(1, col, choice.title).font = BOLD_FONT
        for offset, label in enumerate(choice.labels, start=2):
            sheet.cell(offset, col, _list_value(label))
        sheet.column_dimensions[schema.column_letter(col)].width = schema.LISTS_COLUMN_WIDTH
    sheet.sheet_state = "hidden"
    _protect(sheet)


def _set_properties(workbook: Workbook) -> None:
    workbook.properties = DocumentProperties(
        title=schema.WORKBOOK_TITLE,
        subject=f"Samarbejdsmodellen, skabelonversion {schema.TEMPLATE_VERSION}",
        keywords=TEMPLATE_KEYWORDS,
        creator=CREATOR,
        lastModifiedBy=CREATOR,
        created=BUILD_TIMESTAMP,
        modified=BUILD_TIMESTAMP,
        language="da-DK",
    )
    workbook.custom_doc_props.append(  # type: ignore[attr-defined]  # missing from types-openpyxl
        IntProperty(name=VERSION_PROPERTY, value=schema.TEMPLATE_VERSION)
    )


def build_template_workbook() -> Workbook:
    """A new, empty case workbook with every fixed sheet of :data:`schema.FIXED_SHEETS`, in order."""
    workbook = Workbook()
    builders = {
        schema.SHEET_GUIDE: _build_guide,
        schema.SHEET_OVERVIEW: _build_overview,
        schema.SHEET_CASE_TEMPLATE: format_case_sheet,
        schema.SHEET_CHECKLIST: _build_checklist,
        schema.SHEET_SETTINGS: _build_settings,
        schema.SHEET_LISTS: _build_lists,
    }
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    for name in schema.FIXED_SHEETS:
        builders[name](workbook.create_sheet(name))
    workbook.active = 0
    _set_properties(workbook)
    return workbook


def save_template(path: str | os.PathLike[str]) -> None:
    """Build the template and write it (reproducible bytes, atomic replace)."""
    save_workbook(build_template_workbook(), path)
