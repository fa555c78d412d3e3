"""Cell grids -> typed case data plus problems. Pure: the file adapters hand over a ``RawWorkbook``.

Every position comes from ``schema``; this module spells no sheet name or address. The schema is turned
into flat position tuples once at import, so reading a workbook is mostly list indexing.

Decisions:
- A number in a date cell (a cell without date format) is read as an Excel serial in the 1900 date system,
  including Excel's leap-year bug: serials 1-59 are 1 Jan-28 Feb 1900, 60 is Excel's non-existent
  29 Feb 1900 (invalid), 61 and up count from 30 Dec 1899. Only serials giving 1900-01-01 … 2099-12-31 are
  accepted (:data:`LAST_DATE_SERIAL`): a bigger number is a typo like 01022024, not a date. Fractions (a time
  of day) are dropped.
- Text in a date cell is an error and the value is ``None``: the rules never guess. The message says which
  date we think was meant when the text has a common spelling.
- A whole number stored as text ("7") in a score or count cell is used, with a ``number-as-text`` warning.
  Dropdown answers for involvement ("1"-"5") are accepted as text without a warning.
- Text cells are scanned for CPR-like numbers (free text and short text alike: an id typed as a CPR number
  is the worst case).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .. import schema
from ..schema import Choice, Kind
from .errors import WorkbookError
from .model import Agreement, Case, Consent, Intervention, Meeting, NetworkPerson, TeamMember, WorkbookData
from .problems import Problem, make_problem
from .raw import CellValue, RawSheet, RawWorkbook

TEXT_MAX_LENGTH = 2000
"""Longer text gets a ``text-too-long`` warning."""

LAST_DATE_SERIAL = 73050
"""Excel serial of 31 Dec 2099: the largest number read as a date."""

_EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 61 and up (after Excel's fictitious 29 Feb 1900)
_EXCEL_EPOCH_EARLY = dt.date(1899, 12, 31)  # serials 1-59
_EXCEL_FAKE_LEAP_DAY = 60

# Sheets the parser reads; the reader skips every other fixed sheet.
READ_FIXED_SHEETS: tuple[str, ...] = (schema.SHEET_SETTINGS, schema.SHEET_CHECKLIST)
IGNORED_SHEETS: frozenset[str] = frozenset({*schema.FIXED_SHEETS, schema.SHEET_PROBLEMS} - set(READ_FIXED_SHEETS))
"""Known sheets the parser never looks at (help, lists, computed output, the case template)."""

_TITLE_ROW, _TITLE_COL = schema.parse_cell(schema.CASE_TITLE_CELL)
_VERSION_ROW, _VERSION_COL = schema.parse_cell(schema.TEMPLATE_VERSION_CELL)


def _is_empty(value: CellValue) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not value.strip())


def _cell(rows: list[list[Any]], row: int, col: int) -> CellValue:
    """1-based lookup; ``None`` outside the grid."""
    if row > len(rows):
        return None
    cells = rows[row - 1]
    return cells[col - 1] if col <= len(cells) else None


def _show(value: CellValue) -> str:
    """A cell value as the user would recognise it in a message."""
    if isinstance(value, bool):
        return schema.YES if value else schema.NO
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%d-%m-%Y %H:%M") if value.time() != dt.time() else value.strftime("%d-%m-%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    return str(value).strip()


# --------------------------------------------------------------------------------------------------
# Dates typed as text: find what was meant, for the hint
# --------------------------------------------------------------------------------------------------

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        ("januar", "jan"),
        ("februar", "feb"),
        ("marts", "mar", "mrt"),
        ("april", "apr"),
        ("maj",),
        ("juni", "jun"),
        ("juli", "jul"),
        ("august", "aug"),
        ("september", "sep", "sept"),
        ("oktober", "okt"),
        ("november", "nov"),
        ("december", "dec"),
    ),
    start=1,
):
    for _name in _names:
        _MONTHS[_name] = _number

_NUMERIC_DATE = re.compile(r"^(\d{1,2})\s*([./-])\s*(\d{1,2})\s*\2\s*(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_WORD_DATE = re.compile(r"^(\d{1,2})\.?\s*([a-zæøå]+)\.?\s*(\d{4})$")

DATE_HINT_GENERIC = "Skriv datoen som dd-mm-åååå, fx 01-02-2024, så Excel gemmer den som en dato."


def guess_date(text: str) -> dt.date | None:
    """The date a common Danish spelling means ("1/2/2024", "1. feb 2024", "2024-02-01" …), or None."""
    cleaned = text.strip().casefold()
    parts: tuple[int, int, int] | None = None
    if match := _NUMERIC_DATE.match(cleaned):
        parts = (int(match.group(4)), int(match.group(3)), int(match.group(1)))
    elif match := _ISO_DATE.match(cleaned):
        parts = (int(match.group(1)), int(match.group(2)), int(match.group(3)))
    elif (match := _WORD_DATE.match(cleaned)) and match.group(2) in _MONTHS:
        parts = (int(match.group(3)), _MONTHS[match.group(2)], int(match.group(1)))
    if parts is None:
        return None
    try:
        return dt.date(*parts)
    except ValueError:
        return None


def date_text_hint(text: str) -> str:
    meant = guess_date(text)
    if meant is None:
        return DATE_HINT_GENERIC
    return f"Mente du {meant:%d-%m-%Y}? Skriv datoen igen som dd-mm-åååå, så Excel gemmer den som en dato."


def date_from_serial(serial: float) -> dt.date | None:
    """Excel 1900-system serial -> date (see module docstring); None when not a plausible date."""
    whole = int(serial // 1)
    if whole < 1 or whole > LAST_DATE_SERIAL or whole == _EXCEL_FAKE_LEAP_DAY:
        return None
    if whole < _EXCEL_FAKE_LEAP_DAY:
        return _EXCEL_EPOCH_EARLY + dt.timedelta(days=whole)
    return _EXCEL_EPOCH + dt.timedelta(days=whole)


# --------------------------------------------------------------------------------------------------
# CPR-like numbers
# --------------------------------------------------------------------------------------------------

_CPR = re.compile(r"(?<!\d)(\d{2})(\d{2})(\d{2})[- ]?\d{4}(?!\d)")


def contains_cpr_like(text: str) -> bool:
    """True when ``text`` holds ddmmyy-xxxx / ddmmyyxxxx / ddmmyy xxxx with a real date part."""
    for match in _CPR.finditer(text):
        day, month, year = int(match.group(1)), int(match.group(2)), int(match.group(3))
        for century in (1900, 2000):  # 29 Feb: 00 is a leap year in 2000 only
            try:
                dt.date(century + year, month, day)
            except ValueError:
                continue
            return True
    return False


# --------------------------------------------------------------------------------------------------
# Cell -> typed value
# --------------------------------------------------------------------------------------------------


class _Sink:
    """Collects problems for one sheet."""

    __slots__ = ("file", "sheet", "case_id", "problems")

    def __init__(self, file: str, sheet: str, problems: list[Problem]) -> None:
        self.file = file
        self.sheet = sheet
        self.case_id = ""
        self.problems = problems

    def add(self, code: str, row: int, col: int, **params: object) -> None:
        self.problems.append(
            make_problem(
                code,
                file=self.file,
                sheet=self.sheet,
                cell=schema.cell_address(row, col) if row else "",
                case_id=self.case_id,
                **params,
            )
        )


@dataclass(frozen=True)
class _Spec:
    """One entered cell or column, flattened from the schema for fast reading."""

    key: str
    label: str
    col: int  # 1-based
    row: int  # 1-based for single fields, 0 for table columns
    kind: Kind
    required: bool
    lookup: dict[str, str] | None  # casefolded label -> code (choices)
    allowed: str  # labels for the not-in-list message
    empty: object  # typed value of an empty cell


def _spec(key: str, label: str, col: int, row: int, kind: Kind, choice: Choice | None, required: bool) -> _Spec:
    lookup = {text.casefold(): code for code, text in choice.values} if choice is not None else None
    allowed = ", ".join(choice.labels) if choice is not None else ""
    empty: object = "" if kind in (Kind.TEXT, Kind.FREE_TEXT) else None
    return _Spec(key, label, col, row, kind, required, lookup, allowed, empty)


def _whole_number(value: CellValue) -> tuple[int | None, bool]:
    """(number, was_text) for a whole number in a number cell or typed as text; (None, _) otherwise."""
    if isinstance(value, bool):
        return None, False
    if isinstance(value, int):
        return value, False
    if isinstance(value, float):
        return (int(value), False) if value.is_integer() else (None, False)
    if isinstance(value, str):
        text = value.strip()
        if text.isdigit() and text.isascii():
            return int(text), True
    return None, False


def _text(value: CellValue, sink: _Sink, spec: _Spec, row: int) -> str:
    text = _show(value)
    if len(text) > TEXT_MAX_LENGTH:
        sink.add("text-too-long", row, spec.col, label=spec.label, length=len(text))
    if len(text) >= 10 and contains_cpr_like(text):
        sink.add("cpr-like", row, spec.col, label=spec.label)
    return text


def _date(value: CellValue, sink: _Sink, spec: _Spec, row: int) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        converted = date_from_serial(value)
        if converted is None:
            sink.add("date-invalid", row, spec.col, label=spec.label, value=_show(value))
        return converted
    if isinstance(value, str):
        sink.add("date-text", row, spec.col, label=spec.label, value=value.strip(), hint=date_text_hint(value))
        return None
    sink.add("date-invalid", row, spec.col, label=spec.label, value=_show(value))
    return None


def _choice(value: CellValue, sink: _Sink, spec: _Spec, row: int) -> str | None:
    assert spec.lookup is not None
    code = spec.lookup.get(_show(value).casefold())
    if code is None:
        sink.add("not-in-list", row, spec.col, label=spec.label, value=_show(value), allowed=spec.allowed)
    return code


_YES_CODE = schema.YES_NO.code_of(schema.YES)


def _yes_no(value: CellValue, sink: _Sink, spec: _Spec, row: int) -> bool | None:
    if isinstance(value, bool):  # a TRUE/FALSE cell
        return value
    code = _choice(value, sink, spec, row)
    return None if code is None else code == _YES_CODE


def _score(value: CellValue, sink: _Sink, spec: _Spec, row: int) -> int | None:
    number, was_text = _whole_number(value)
    if number is None or not 1 <= number <= 10:
        sink.add("score-range", row, spec.col, label=spec.label, value=_show(value))
        return None
    if was_text:
        sink.add("number-as-text", row, spec.col, label=spec.label, value=_show(value))
    return number


def _integer(value: CellValue, sink: _Sink, spec: _Spec, row: int) -> int | None:
    number, was_text = _whole_number(value)
    if number is None or number < 0:
        sink.add("number-invalid", row, spec.col, label=spec.label, value=_show(value))
        return None
    if was_text:
        sink.add("number-as-text", row, spec.col, label=spec.label, value=_show(value))
    return number


_INVOLVEMENT_DONT_KNOW = schema.DONT_KNOW.casefold()


def _involvement(value: CellValue, sink: _Sink, spec: _Spec, row: int) -> tuple[bool, int | None]:
    """(valid, answer): 1..5, or None for "ved ikke"; anything else is a problem and not valid."""
    number, _was_text = _whole_number(value)  # the dropdown's "1"-"5" may be stored as text: no warning
    if number is not None and 1 <= number <= 5:
        return True, number
    if isinstance(value, str) and value.strip().casefold() == _INVOLVEMENT_DONT_KNOW:
        return True, None
    sink.add("involvement-range", row, spec.col, label=spec.label, value=_show(value))
    return False, None


_CONVERTERS: dict[Kind, Callable[[CellValue, _Sink, _Spec, int], Any]] = {
    Kind.TEXT: _text,
    Kind.FREE_TEXT: _text,
    Kind.DATE: _date,
    Kind.CHOICE: _choice,
    Kind.YES_NO: _yes_no,
    Kind.SCORE: _score,
    Kind.INTEGER: _integer,
    Kind.NUMBER: lambda value, sink, spec, row: value,
}


# --------------------------------------------------------------------------------------------------
# Positions, flattened once
# --------------------------------------------------------------------------------------------------

_CASE_FIELD_SPECS: tuple[_Spec, ...] = tuple(
    _spec(f.key, f.label, f.column, f.row, f.kind, f.choice, f.required) for f in schema.CASE_FIELDS if f.entered
)
_CASE_ID_SPEC = next(spec for spec in _CASE_FIELD_SPECS if spec.key == "case_id")

# Entered block -> (model class, Case attribute). The model follows the schema's column keys.
_BLOCK_MODELS: dict[str, tuple[type[Any], str]] = {
    "team": (TeamMember, "team"),
    "network": (NetworkPerson, "network"),
    "consent": (Consent, "consents"),
    "agreements": (Agreement, "agreements"),
    "interventions": (Intervention, "interventions"),
}


@dataclass(frozen=True)
class _BlockSpec:
    key: str
    model: type[Any]
    attribute: str
    first_row: int
    last_row: int
    first_col: int
    last_col: int
    columns: tuple[_Spec, ...]


_BLOCK_SPECS: tuple[_BlockSpec, ...] = tuple(
    _BlockSpec(
        block.key,
        *_BLOCK_MODELS[block.key],
        block.first_row,
        block.last_row,
        block.first_col,
        block.last_col,
        tuple(
            _spec(c.key, c.header, block.first_col + i, 0, c.kind, c.choice, c.required)
            for i, c in enumerate(block.columns)
        ),
    )
    for block in schema.CASE_BLOCKS
    if block.entered
)

CASE_SHEET_LAST_ROW = max(
    max(spec.row for spec in _CASE_FIELD_SPECS), max(block.last_row for block in _BLOCK_SPECS), _TITLE_ROW
)
"""Rows of a case sheet the parser needs (computed blocks below are skipped): the reader may stop there."""

_CASE_ENTERED_LABELS: dict[tuple[int, int], str] = {
    **{(spec.row, spec.col): spec.label for spec in _CASE_FIELD_SPECS},
    **{
        (row, spec.col): spec.label
        for block in _BLOCK_SPECS
        for row in range(block.first_row, block.last_row + 1)
        for spec in block.columns
    },
}
"""Entered cell -> label, for formula warnings."""

SETTINGS_LAST_ROW = schema.SETTINGS_FIRST_ROW + len(schema.SETTINGS_ROWS) - 1

_CHECKLIST_SPECS: tuple[_Spec, ...] = tuple(
    _spec(c.key, c.header, i, 0, c.kind, c.choice, c.required) for i, c in enumerate(schema.CHECKLIST_COLUMNS, 1)
)
_CHECKLIST_WIDTH = len(_CHECKLIST_SPECS)
_CHECKLIST_ESSENTIAL = ("case_id", "date")  # without these columns the rows mean nothing


# --------------------------------------------------------------------------------------------------
# Sheets
# --------------------------------------------------------------------------------------------------


def _read_value(value: CellValue, sink: _Sink, spec: _Spec, row: int) -> Any:
    return _CONVERTERS[spec.kind](value, sink, spec, row)


def _parse_case(sheet: RawSheet, sink: _Sink) -> Case:
    rows = sheet.rows
    values: dict[str, Any] = {}
    case_id_raw = _cell(rows, _CASE_ID_SPEC.row, _CASE_ID_SPEC.col)
    sink.case_id = "" if _is_empty(case_id_raw) else _show(case_id_raw)
    for spec in _CASE_FIELD_SPECS:
        value = _cell(rows, spec.row, spec.col)
        if _is_empty(value):
            if spec.required:
                sink.add("required-missing", spec.row, spec.col, label=spec.label)
            values[spec.key] = spec.empty
        else:
            values[spec.key] = _read_value(value, sink, spec, spec.row)
    case_id = values.pop("case_id")
    blocks: dict[str, Any] = {}
    n_rows = len(rows)
    for block in _BLOCK_SPECS:
        items = []
        first0, last0 = block.first_col - 1, block.last_col
        for row in range(block.first_row, min(block.last_row, n_rows) + 1):
            cells = rows[row - 1][first0:last0]
            if not any(cell is not None and cell != "" for cell in cells):
                continue
            fields: dict[str, Any] = {"row": row}
            present = False
            for spec, value in zip(block.columns, cells, strict=False):
                if _is_empty(value):
                    fields[spec.key] = spec.empty
                else:
                    present = True
                    fields[spec.key] = _read_value(value, sink, spec, row)
            if present:
                for spec in block.columns[len(cells) :]:
                    fields[spec.key] = spec.empty
                items.append(block.model(**fields))
        blocks[block.attribute] = tuple(items)
    for (row, col), _formula in sorted(sheet.formulas.items()):
        label = _CASE_ENTERED_LABELS.get((row, col))
        if label is not None:
            sink.add("formula-in-data", row, col, label=label)
    return Case(sheet=sheet.name, case_id=case_id, **values, **blocks)


def _normalise_header(value: CellValue) -> str:
    return " ".join(_show(value).split()).casefold() if not _is_empty(value) else ""


def _parse_meetings(sheet: RawSheet, sink: _Sink) -> tuple[Meeting, ...]:
    rows = sheet.rows
    header = rows[schema.CHECKLIST_HEADER_ROW - 1] if len(rows) >= schema.CHECKLIST_HEADER_ROW else []
    broken: list[_Spec] = []
    for spec in _CHECKLIST_SPECS:
        found = header[spec.col - 1] if spec.col <= len(header) else None
        if _normalise_header(found) != " ".join(spec.label.split()).casefold():
            sink.add(
                "checklist-header",
                schema.CHECKLIST_HEADER_ROW,
                spec.col,
                expected=spec.label,
                found="" if _is_empty(found) else _show(found),
            )
            broken.append(spec)
    essential_broken = [spec for spec in broken if spec.key in _CHECKLIST_ESSENTIAL]
    if essential_broken:
        sink.add("checklist-not-read", 0, 0, expected=essential_broken[0].label)
        return ()

    meetings = []
    specs = _CHECKLIST_SPECS
    width = _CHECKLIST_WIDTH
    for row in range(schema.CHECKLIST_FIRST_ROW, len(rows) + 1):
        cells = rows[row - 1][:width]
        if not any(cell is not None and cell != "" for cell in cells):
            continue
        if all(_is_empty(cell) for cell in cells):  # only spaces
            continue
        case_id_raw = cells[0] if cells else None
        sink.case_id = "" if _is_empty(case_id_raw) else _show(case_id_raw)
        plain: dict[str, Any] = {}
        professions: set[str] = set()
        scores: dict[str, int] = {}
        involvement: dict[str, int | None] = {}
        for spec, value in zip(specs, cells, strict=False):
            if _is_empty(value):
                if spec.required:
                    sink.add("required-missing", row, spec.col, label=spec.label)
                continue
            key = spec.key
            if spec.kind is Kind.INVOLVEMENT:
                valid, answer = _involvement(value, sink, spec, row)
                if valid:
                    involvement[key[len(schema.INVOLVEMENT_PREFIX) :]] = answer
                continue
            typed = _read_value(value, sink, spec, row)
            if key.startswith(schema.PROFESSION_PRESENT_PREFIX):
                if typed:
                    professions.add(key[len(schema.PROFESSION_PRESENT_PREFIX) :])
            elif key.startswith(schema.SCORE_PREFIX):
                if typed is not None:
                    scores[key[len(schema.SCORE_PREFIX) :]] = typed
            else:
                plain[key] = typed
        for spec in specs[len(cells) :]:
            if spec.required:
                sink.add("required-missing", row, spec.col, label=spec.label)
        meetings.append(
            Meeting(
                row=row,
                case_id=plain.pop("case_id", ""),
                date=plain.pop("date", None),
                kind=plain.pop("kind", None),
                professions_present=frozenset(professions),
                scores=scores,
                involvement=involvement,
                **plain,
            )
        )
    for (row, col), _formula in sorted(sheet.formulas.items()):
        if row >= schema.CHECKLIST_FIRST_ROW and col <= width:
            case_id_raw = _cell(rows, row, 1)
            sink.case_id = "" if _is_empty(case_id_raw) else _show(case_id_raw)
            sink.add("formula-in-data", row, col, label=specs[col - 1].label)
    sink.case_id = ""
    return tuple(meetings)


def _template_version(raw: RawWorkbook) -> int:
    settings = raw.sheets.get(schema.SHEET_SETTINGS)
    where = f"on sheet '{schema.SHEET_SETTINGS}'"
    foreign_hint = (
        "Create workbooks from workbook_templates/samarbejde.xlsx (or 'samarbejde-xl new-workbook') "
        "and check that you chose the right file"
    )
    if settings is None:
        raise WorkbookError(
            raw.file, f"not a samarbejde-xl workbook (no sheet '{schema.SHEET_SETTINGS}')", foreign_hint, code="foreign"
        )
    value = settings.value(_VERSION_ROW, _VERSION_COL)
    version: int | None = None
    if isinstance(value, float) and value.is_integer():
        version = int(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        version = value
    elif isinstance(value, str) and value.strip().isdigit():
        version = int(value.strip())
    if version is None or version < 1:
        raise WorkbookError(
            raw.file,
            f"not a samarbejde-xl workbook (no template version in {schema.TEMPLATE_VERSION_CELL} {where})",
            foreign_hint,
            code="foreign",
        )
    if version > schema.TEMPLATE_VERSION:
        raise WorkbookError(
            raw.file,
            f"the workbook uses template version {version}, this samarbejde-xl knows up to "
            f"version {schema.TEMPLATE_VERSION}",
            "Update samarbejde-xl (pip install -U samarbejde-xl)",
            code="newer-template",
        )
    if version not in schema.SUPPORTED_TEMPLATE_VERSIONS:
        raise WorkbookError(
            raw.file,
            f"the workbook uses the old template version {version} "
            f"(supported: {', '.join(map(str, schema.SUPPORTED_TEMPLATE_VERSIONS))})",
            "Run 'samarbejde-xl upgrade' on a copy of the file",
            code="old-template",
        )
    return version


_SETTING_POSITIONS: tuple[tuple[str, int], ...] = tuple(
    (setting.key, schema.SETTINGS_FIRST_ROW + offset) for offset, setting in enumerate(schema.SETTINGS_ROWS)
)
_NOT_OVERRIDES = frozenset({"municipality", "template_version"})


def _settings(sheet: RawSheet) -> tuple[str, dict[str, object]]:
    """(municipality, overrides): raw values, interpreted by core.settings."""
    municipality = ""
    overrides: dict[str, object] = {}
    for key, row in _SETTING_POSITIONS:
        value = sheet.value(row, schema.SETTINGS_VALUE_COL)
        if _is_empty(value):
            continue
        if key == "municipality":
            municipality = _show(value)
        elif key not in _NOT_OVERRIDES:
            overrides[key] = value.strip() if isinstance(value, str) else value
    return municipality, overrides


def is_case_sheet(sheet: RawSheet) -> bool:
    title = sheet.value(_TITLE_ROW, _TITLE_COL)
    return isinstance(title, str) and title.strip() == schema.CASE_SHEET_TITLE


def parse_workbook(raw: RawWorkbook) -> tuple[WorkbookData, list[Problem]]:
    """Typed data and problems of one workbook. Raises ``WorkbookError`` when it is not our template
    or its template version is not supported; cell content never raises."""
    version = _template_version(raw)
    problems: list[Problem] = []
    municipality, overrides = _settings(raw.sheets[schema.SHEET_SETTINGS])

    cases: list[Case] = []
    for name, sheet in raw.sheets.items():
        if name in IGNORED_SHEETS or name in READ_FIXED_SHEETS:
            continue
        sink = _Sink(raw.file, name, problems)
        if not is_case_sheet(sheet):
            sink.add("unknown-sheet", 0, 0)
            continue
        cases.append(_parse_case(sheet, sink))
        if sheet.visible != "visible":
            sink.add("hidden-case-sheet", 0, 0)

    checklist = raw.sheets.get(schema.SHEET_CHECKLIST)
    meetings: tuple[Meeting, ...] = ()
    if checklist is None:
        problems.append(make_problem("missing-sheet", file=raw.file, sheet=schema.SHEET_CHECKLIST))
    else:
        meetings = _parse_meetings(checklist, _Sink(raw.file, schema.SHEET_CHECKLIST, problems))

    data = WorkbookData(
        file=raw.file,
        template_version=version,
        municipality=municipality,
        settings=overrides,
        cases=tuple(cases),
        meetings=meetings,
    )
    return data, problems
