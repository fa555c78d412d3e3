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
- An entered cell showing an Excel error value (``RawSheet.errors``: #REF!, #N/A …; the grid holds "" for it) gets
  ``error-value`` instead of ``required-missing``. When the error comes from a formula, only ``error-value`` is
  reported, not ``formula-in-data`` too: one problem per cell, the error is what the guide sees, and its message
  already says to type the value without a formula (LibreOffice even saves a typed #REF! as the formula =#REF!).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from operator import itemgetter
from typing import Any

from .. import schema
from ..schema import Choice, Kind
from .errors import WorkbookError
from .identifiers import contains_cpr_like
from .migrate import max_case_sheet_rows, max_settings_rows, migrate_raw, to_original_places
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
_FIRST_DATE = dt.date(1900, 1, 1)
_LAST_DATE = dt.date(2099, 12, 31)  # serial LAST_DATE_SERIAL

# Sheets the parser reads; the reader skips every other fixed sheet.
READ_FIXED_SHEETS: tuple[str, ...] = (schema.SHEET_SETTINGS, schema.SHEET_CHECKLIST)
IGNORED_SHEETS: frozenset[str] = frozenset({*schema.FIXED_SHEETS, schema.SHEET_PROBLEMS} - set(READ_FIXED_SHEETS))
"""Known sheets the parser never looks at (help, lists, computed output, the case template)."""

_TITLE_ROW, _TITLE_COL = schema.parse_cell(schema.CASE_TITLE_CELL)
_VERSION_ROW, _VERSION_COL = schema.parse_cell(schema.TEMPLATE_VERSION_CELL)


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
# Cell -> typed value. Each converter gets a non-empty cell; the common case is tested first.
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


Converter = Callable[[Any, _Sink, "_Spec", int], Any]

_MISS: Any = object()
_INVALID: Any = object()
"""An involvement answer that is neither 1-5 nor "ved ikke": left out of the answers."""

# Where a Mødetjekliste value goes in a Meeting.
_PLAIN, _PROFESSION, _SCORE, _INVOLVEMENT = 0, 1, 2, 3


@dataclass(frozen=True, slots=True)
class _Spec:
    """One entered cell or column, flattened from the schema for fast reading."""

    key: str
    label: str
    col: int  # 1-based
    row: int  # 1-based for single fields, 0 for table columns
    kind: Kind
    required: bool
    convert: Converter
    lookup: dict[str, Any]  # label and casefolded label -> code (True/False for yes/no)
    allowed: str  # labels for the not-in-list message
    empty: object  # typed value of an empty cell
    slot: int = _PLAIN
    short: str = ""  # key without its prefix (checklist professions, scores, involvement)
    quick: dict[str, Any] = field(default_factory=dict)  # text cell -> typed value without a converter call
    native: type = type(None)  # values of this type are already typed (dates in date cells)


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


def _text(value: Any, sink: _Sink, spec: _Spec, row: int) -> str:
    text: str = value.strip() if type(value) is str else _show(value)
    if len(text) >= 10:
        if len(text) > TEXT_MAX_LENGTH:
            sink.add("text-too-long", row, spec.col, label=spec.label, length=len(text))
        if contains_cpr_like(text):
            sink.add("cpr-like", row, spec.col, label=spec.label)
    return text


def _date(value: Any, sink: _Sink, spec: _Spec, row: int) -> dt.date | None:
    if type(value) is dt.date and _FIRST_DATE <= value <= _LAST_DATE:
        return value
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        if _FIRST_DATE <= value <= _LAST_DATE:
            return value
        # A typo in a date-formatted cell (01022008 is shown as 27-02-4698): the same range as for serials.
        sink.add("date-invalid", row, spec.col, label=spec.label, value=_show(value))
        return None
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


def _choice(value: Any, sink: _Sink, spec: _Spec, row: int) -> Any:
    lookup = spec.lookup
    if type(value) is str:
        found = lookup.get(value)
        if found is not None:
            return found
    shown = _show(value)
    found = lookup.get(shown.casefold())
    if found is None:
        sink.add("not-in-list", row, spec.col, label=spec.label, value=shown, allowed=spec.allowed)
    return found


def _yes_no(value: Any, sink: _Sink, spec: _Spec, row: int) -> bool | None:
    if type(value) is bool:  # a TRUE/FALSE cell
        return value
    answer: bool | None = _choice(value, sink, spec, row)  # the lookup maps labels to True/False
    return answer


def _score(value: Any, sink: _Sink, spec: _Spec, row: int) -> int | None:
    if type(value) is float and value.is_integer() and 1.0 <= value <= 10.0:
        return int(value)
    number, was_text = _whole_number(value)
    if number is None or not 1 <= number <= 10:
        sink.add("score-range", row, spec.col, label=spec.label, value=_show(value))
        return None
    if was_text:
        sink.add("number-as-text", row, spec.col, label=spec.label, value=_show(value))
    return number


def _integer(value: Any, sink: _Sink, spec: _Spec, row: int) -> int | None:
    if type(value) is float and value.is_integer() and value >= 0.0:
        return int(value)
    number, was_text = _whole_number(value)
    if number is None or number < 0:
        sink.add("number-invalid", row, spec.col, label=spec.label, value=_show(value))
        return None
    if was_text:
        sink.add("number-as-text", row, spec.col, label=spec.label, value=_show(value))
    return number


_INVOLVEMENT_DONT_KNOW = schema.DONT_KNOW.casefold()


def _involvement(value: Any, sink: _Sink, spec: _Spec, row: int) -> int | None:
    """1..5, None for "ved ikke", ``_INVALID`` (and a problem) for anything else."""
    if type(value) is float and value.is_integer() and 1.0 <= value <= 5.0:
        return int(value)
    number, _was_text = _whole_number(value)  # the dropdown's "1"-"5" may be stored as text: no warning
    if number is not None and 1 <= number <= 5:
        return number
    if isinstance(value, str) and value.strip().casefold() == _INVOLVEMENT_DONT_KNOW:
        return None
    sink.add("involvement-range", row, spec.col, label=spec.label, value=_show(value))
    _invalid: int | None = _INVALID
    return _invalid


def _as_is(value: Any, sink: _Sink, spec: _Spec, row: int) -> Any:
    return value


_CONVERTERS: dict[Kind, Converter] = {
    Kind.TEXT: _text,
    Kind.FREE_TEXT: _text,
    Kind.DATE: _date,
    Kind.CHOICE: _choice,
    Kind.YES_NO: _yes_no,
    Kind.SCORE: _score,
    Kind.INTEGER: _integer,
    Kind.INVOLVEMENT: _involvement,
    Kind.NUMBER: _as_is,
}


def _spec(key: str, label: str, col: int, row: int, kind: Kind, choice: Choice | None, required: bool) -> _Spec:
    lookup: dict[str, Any] = {}
    if choice is not None:
        for code, text in choice.values:
            answer: Any = code == _YES_CODE if kind is Kind.YES_NO else code
            lookup[text] = answer
            lookup[text.casefold()] = answer
    allowed = ", ".join(choice.labels) if choice is not None else ""
    empty: object = "" if kind in (Kind.TEXT, Kind.FREE_TEXT) else None
    slot, short = _PLAIN, key
    for prefix, target in (
        (schema.PROFESSION_PRESENT_PREFIX, _PROFESSION),
        (schema.SCORE_PREFIX, _SCORE),
        (schema.INVOLVEMENT_PREFIX, _INVOLVEMENT),
    ):
        if key.startswith(prefix):
            slot, short = target, key[len(prefix) :]
    quick: dict[str, Any] = {} if required else {"": empty}
    if kind in (Kind.CHOICE, Kind.YES_NO):
        quick.update(lookup)
    elif kind is Kind.INVOLVEMENT:
        quick.update({str(answer): answer for answer in range(1, 6)})
        quick[schema.DONT_KNOW] = None
    native: type = dt.date if kind is Kind.DATE else type(None)
    return _Spec(
        key, label, col, row, kind, required, _CONVERTERS[kind], lookup, allowed, empty, slot, short, quick, native
    )


_YES_CODE = schema.YES_NO.code_of(schema.YES)


def _blank(value: Any) -> bool:
    """Empty for the parser: None, '' or only spaces."""
    return value is None or value == "" or (type(value) is str and value.isspace())


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

    @property
    def empties(self) -> list[object]:
        return [spec.empty for spec in self.columns]


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

_BLOCK_EMPTIES: tuple[tuple[_BlockSpec, list[object]], ...] = tuple((block, block.empties) for block in _BLOCK_SPECS)


def _filled(cls: type[Any], names: tuple[str, ...], values: Sequence[Any]) -> Any:
    """``cls(**dict(zip(names, values)))`` without the frozen-dataclass ``__init__`` (one ``object.__setattr__``
    per field): a third of the cost, for the thousands of rows a workbook has. ``names`` must be every field
    (checked at import by :func:`_check_fields`); the models have no ``__post_init__`` and no slots."""
    instance = object.__new__(cls)
    instance.__dict__.update(zip(names, values, strict=True))
    return instance


def _check_fields(cls: type[Any], names: tuple[str, ...]) -> tuple[str, ...]:
    if set(names) != {f.name for f in fields(cls)} or len(names) != len(fields(cls)) or hasattr(cls, "__slots__"):
        raise RuntimeError(f"{cls.__name__}: fast construction needs exactly its fields, got {names}")
    if hasattr(cls, "__post_init__"):
        raise RuntimeError(f"{cls.__name__}: fast construction skips __post_init__")
    return names


_BLOCK_FIELD_NAMES: dict[str, tuple[str, ...]] = {
    block.key: _check_fields(block.model, (*(spec.key for spec in block.columns), "row")) for block in _BLOCK_SPECS
}

CASE_SHEET_LAST_ROW = max(
    max(spec.row for spec in _CASE_FIELD_SPECS),
    max(block.last_row for block in _BLOCK_SPECS),
    _TITLE_ROW,
    max_case_sheet_rows(),
)
"""Rows of a case sheet the parser needs in any supported version (computed blocks below are skipped): the
reader may stop there."""

_CASE_ENTERED_LABELS: dict[tuple[int, int], str] = {
    **{(spec.row, spec.col): spec.label for spec in _CASE_FIELD_SPECS},
    **{
        (row, spec.col): spec.label
        for block in _BLOCK_SPECS
        for row in range(block.first_row, block.last_row + 1)
        for spec in block.columns
    },
}
"""Entered cell -> label, for formula and error-value problems."""

SETTINGS_LAST_ROW = max(schema.SETTINGS_FIRST_ROW + len(schema.SETTINGS_ROWS) - 1, max_settings_rows())

_CHECKLIST_SPECS: tuple[_Spec, ...] = tuple(
    _spec(c.key, c.header, i, 0, c.kind, c.choice, c.required) for i, c in enumerate(schema.CHECKLIST_COLUMNS, 1)
)
_CHECKLIST_WIDTH = len(_CHECKLIST_SPECS)
_CHECKLIST_ESSENTIAL = ("case_id", "date")  # without these columns the rows mean nothing


def _getter(indexes: list[int]) -> Callable[[list[Any]], tuple[Any, ...]]:
    """Pick cells by 0-based index in one C call; always returns a tuple."""
    if not indexes:
        return lambda cells: ()
    if len(indexes) == 1:
        only = indexes[0]
        return lambda cells: (cells[only],)
    return itemgetter(*indexes)


@dataclass(frozen=True)
class _Group:
    """Checklist columns of one slot (plain, professions, scores, involvement) with a fast path for the
    values a dropdown or a number cell gives; anything else goes through the per-cell converters."""

    specs: tuple[_Spec, ...]
    pick: Callable[[list[Any]], tuple[Any, ...]]
    fast_values: frozenset[Any]
    fast_types: frozenset[type]


def _group(slot: int, fast_values: frozenset[Any], fast_types: frozenset[type]) -> _Group:
    specs = tuple(spec for spec in _CHECKLIST_SPECS if spec.slot == slot)
    return _Group(specs, _getter([spec.col - 1 for spec in specs]), fast_values, fast_types)


_YES_NO_FAST = frozenset({"", schema.YES, schema.NO})
_SCORE_FAST = frozenset({"", *(float(n) for n in range(1, 11))})
_INVOLVEMENT_FAST = frozenset({"", schema.DONT_KNOW, *(float(n) for n in range(1, 6)), *(str(n) for n in range(1, 6))})
_FLOAT_OR_STR = frozenset({float, str})

_PLAIN_GROUP = _group(_PLAIN, frozenset(), frozenset())
_PROFESSION_GROUP = _group(_PROFESSION, _YES_NO_FAST, frozenset({str}))
_SCORE_GROUP = _group(_SCORE, _SCORE_FAST, _FLOAT_OR_STR)  # types too: True == 1.0 must not pass as a score
_INVOLVEMENT_GROUP = _group(_INVOLVEMENT, _INVOLVEMENT_FAST, _FLOAT_OR_STR)


_PLAIN_KEYS = tuple(spec.key for spec in _PLAIN_GROUP.specs)
_MEETING_FIELDS = _check_fields(Meeting, (*_PLAIN_KEYS, "row", "professions_present", "scores", "involvement"))


def _convert_row(specs: tuple[_Spec, ...], cells: Sequence[Any], sink: _Sink, row: int) -> list[Any]:
    """Typed values, position for position; empty cells give the column's empty value (and required-missing)."""
    out: list[Any] = []
    append = out.append
    for spec, value in zip(specs, cells, strict=True):
        cls = type(value)
        if cls is str:
            found = spec.quick.get(value, _MISS)  # dropdown labels and empty cells: no call
            if found is not _MISS:
                append(found)
                continue
        elif cls is spec.native:
            append(value)
            continue
        if value is None or value == "" or (cls is str and value.isspace()):
            if spec.required:
                sink.add("required-missing", row, spec.col, label=spec.label)
            append(spec.empty)
        else:
            append(spec.convert(value, sink, spec, row))
    return out


def _fast(group: _Group, cells: tuple[Any, ...]) -> bool:
    return group.fast_values.issuperset(cells) and group.fast_types.issuperset(map(type, cells))


def _meeting_row(row: int, cells: list[Any], sink: _Sink) -> Meeting:
    plain = _convert_row(_PLAIN_GROUP.specs, _PLAIN_GROUP.pick(cells), sink, row)

    group = _PROFESSION_GROUP
    values = group.pick(cells)
    if schema.YES not in values and _fast(group, values):
        professions: frozenset[str] = frozenset()
    elif _fast(group, values):
        professions = frozenset(
            spec.short for spec, value in zip(group.specs, values, strict=True) if value == schema.YES
        )
    else:
        typed_values = _convert_row(group.specs, values, sink, row)
        professions = frozenset(spec.short for spec, typed in zip(group.specs, typed_values, strict=True) if typed)

    group = _SCORE_GROUP
    values = group.pick(cells)
    if _fast(group, values):
        scores = {spec.short: int(value) for spec, value in zip(group.specs, values, strict=True) if value != ""}
    else:
        typed_values = _convert_row(group.specs, values, sink, row)
        scores = {spec.short: typed for spec, typed in zip(group.specs, typed_values, strict=True) if typed is not None}

    group = _INVOLVEMENT_GROUP
    values = group.pick(cells)
    involvement: dict[str, int | None]
    if _fast(group, values):
        involvement = {
            spec.short: None if value == schema.DONT_KNOW else int(value)
            for spec, value in zip(group.specs, values, strict=True)
            if value != ""
        }
    else:
        typed_values = _convert_row(group.specs, values, sink, row)
        involvement = {
            spec.short: typed
            for spec, typed, value in zip(group.specs, typed_values, values, strict=True)
            if typed is not _INVALID and not _blank(value)
        }

    plain += (row, professions, scores, involvement)
    meeting: Meeting = _filled(Meeting, _MEETING_FIELDS, plain)
    return meeting


# --------------------------------------------------------------------------------------------------
# Sheets
# --------------------------------------------------------------------------------------------------


def _formula_and_error_problems(
    sheet: RawSheet, sink: _Sink, labels: Callable[[int, int], str | None], first_problem: int
) -> None:
    """``formula-in-data`` and ``error-value`` of the entered cells (``labels`` gives None for other cells). An
    error value replaces the cell's ``required-missing`` (among the sheet's problems from ``first_problem`` on)
    and its ``formula-in-data`` (see the module docstring)."""
    errors = sheet.errors
    shown: set[str] = set()
    for row, col in sorted(sheet.formulas.keys() | errors.keys()):
        label = labels(row, col)
        if label is None:
            continue
        error = errors.get((row, col))
        if error is None:
            sink.add("formula-in-data", row, col, label=label)
        else:
            sink.add("error-value", row, col, label=label, error=error)
            shown.add(schema.cell_address(row, col))
    if shown:
        problems = sink.problems
        problems[first_problem:] = [
            p for p in problems[first_problem:] if not (p.code == "required-missing" and p.cell in shown)
        ]


def _parse_case(sheet: RawSheet, sink: _Sink) -> Case:
    rows = sheet.rows
    first_problem = len(sink.problems)
    values: dict[str, Any] = {}
    case_id_raw = _cell(rows, _CASE_ID_SPEC.row, _CASE_ID_SPEC.col)
    sink.case_id = "" if _blank(case_id_raw) else _show(case_id_raw)
    for spec in _CASE_FIELD_SPECS:
        value = _cell(rows, spec.row, spec.col)
        if _blank(value):
            if spec.required:
                sink.add("required-missing", spec.row, spec.col, label=spec.label)
            values[spec.key] = spec.empty
        else:
            values[spec.key] = spec.convert(value, sink, spec, spec.row)
    case_id = values.pop("case_id")
    blocks: dict[str, Any] = {}
    n_rows = len(rows)
    for block, empties in _BLOCK_EMPTIES:
        items = []
        first0, last0, width = block.first_col - 1, block.last_col, len(block.columns)
        columns, model, names = block.columns, block.model, _BLOCK_FIELD_NAMES[block.key]
        for row in range(block.first_row, min(block.last_row, n_rows) + 1):
            cells = rows[row - 1][first0:last0]
            if cells.count("") + cells.count(None) == len(cells):  # C-speed test for the many empty rows
                continue
            if len(cells) < width:
                cells = cells + [""] * (width - len(cells))
            typed = _convert_row(columns, cells, sink, row)
            if typed != empties:  # not just spaces
                typed.append(row)
                items.append(_filled(model, names, typed))
        blocks[block.attribute] = tuple(items)
    if sheet.formulas or sheet.errors:
        _formula_and_error_problems(sheet, sink, lambda row, col: _CASE_ENTERED_LABELS.get((row, col)), first_problem)
    return Case(sheet=sheet.name, case_id=case_id, **values, **blocks)


def _normalise_header(value: CellValue) -> str:
    return "" if _blank(value) else " ".join(_show(value).split()).casefold()


def _checklist_header_ok(rows: list[list[Any]], sink: _Sink) -> bool:
    """Problems for changed headers; False when the rows cannot be read at all."""
    header = rows[schema.CHECKLIST_HEADER_ROW - 1] if len(rows) >= schema.CHECKLIST_HEADER_ROW else []
    essential_broken = ""
    for spec in _CHECKLIST_SPECS:
        found = header[spec.col - 1] if spec.col <= len(header) else None
        if _normalise_header(found) != " ".join(spec.label.split()).casefold():
            shown = "" if _blank(found) else _show(found)
            sink.add("checklist-header", schema.CHECKLIST_HEADER_ROW, spec.col, expected=spec.label, found=shown)
            if spec.key in _CHECKLIST_ESSENTIAL and not essential_broken:
                essential_broken = spec.label
    if essential_broken:
        sink.add("checklist-not-read", 0, 0, expected=essential_broken)
        return False
    return True


def _parse_meetings(sheet: RawSheet, sink: _Sink) -> tuple[Meeting, ...]:
    rows = sheet.rows
    first_problem = len(sink.problems)
    if not _checklist_header_ok(rows, sink):
        return ()
    meetings = []
    width = _CHECKLIST_WIDTH
    for row in range(schema.CHECKLIST_FIRST_ROW, len(rows) + 1):
        cells = rows[row - 1][:width]
        if cells.count("") + cells.count(None) == len(cells):  # C-speed test for empty rows
            continue
        if all(_blank(cell) for cell in cells):  # only spaces
            continue
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        first = cells[0]
        sink.case_id = first.strip() if type(first) is str else "" if first is None else _show(first)
        meetings.append(_meeting_row(row, cells, sink))
    if sheet.formulas or sheet.errors:
        specs = _CHECKLIST_SPECS

        def label_of(row: int, col: int) -> str | None:
            if row < schema.CHECKLIST_FIRST_ROW or col > width:
                return None
            first = _cell(rows, row, 1)
            sink.case_id = "" if _blank(first) else _show(first)
            return specs[col - 1].label

        _formula_and_error_problems(sheet, sink, label_of, first_problem)
    sink.case_id = ""
    return tuple(meetings)


def _template_version(raw: RawWorkbook) -> int:
    settings = raw.sheets.get(schema.SHEET_SETTINGS)
    where = f"on sheet '{schema.SHEET_SETTINGS}'"
    foreign_hint = (
        "Create workbooks from workbook_templates/samarbejde.xlsx (or 'samarbejde-xl new-workbook') "
        "and check that you chose the right file"
    )
    if settings is None and schema.REPORT_SHEET_POLITICIANS in raw.sheets:
        raise WorkbookError(
            raw.file,
            "a samarbejde-xl report, not a case workbook",
            "Keep the reports in another folder than the guides' workbooks",
            code="report",
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
    if version is None or version < 0:  # 0: a pre-release template, older than every supported version
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
        if _blank(value):
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
    raw = migrate_raw(raw, version)  # older layouts: every cell moved to its current position first
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

    if version != schema.TEMPLATE_VERSION:  # point at the cells where the values are in the older file
        problems = to_original_places(problems, version, (case.sheet for case in cases))
    data = WorkbookData(
        file=raw.file,
        template_version=version,
        municipality=municipality,
        settings=overrides,
        cases=tuple(cases),
        meetings=meetings,
    )
    return data, problems
