"""Cell grids -> typed case data plus problems. Pure: the file adapters hand over a ``RawWorkbook``.

Every position comes from ``schema``; this module spells no sheet name or address. The schema is turned
into flat position tuples once at import, so reading a workbook is mostly list indexing.
An older template version's grids are moved to the current positions first (``core.migrate``), so the parser
knows one layout; a problem names the logical place of its cell (``schema.Place``) and the file's template
version, whose layout gives the cell users see.

Speed: the tables (Mødetjekliste rows, and each case-sheet block over all case sheets of the workbook together)
and the case fields of all case sheets are converted a column at a time. Nearly every cell is a dropdown label, a
number in range, a date, a short text or empty, and a column of those is converted by a few C-level calls and can
give no problem; any other cell is left to its converter (the same per-cell code as before), row by row in the
original order, so the values, the problems and their order are those of converting cell by cell. The models are
filled without their frozen ``__init__`` (:func:`_filled`).

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
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields
from functools import cached_property
from itertools import accumulate, chain, compress, count, islice, pairwise, repeat
from operator import is_, is_not, itemgetter, ne
from types import MappingProxyType
from typing import Any

from .. import schema
from ..schema import WHOLE_SHEET, Choice, Kind, Place
from .errors import WorkbookError
from .identifiers import contains_cpr_like, has_six_digits
from .migrate import max_case_sheet_rows, max_settings_rows, migrate_raw
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

_month_numbers: dict[str, int] = {}
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
        _month_numbers[_name] = _number
_MONTHS: Mapping[str, int] = MappingProxyType(_month_numbers)
del _month_numbers  # read-only from here on: the core keeps no mutable state

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
    """Collects problems for one sheet of a file of template ``version`` (whose layout places them)."""

    __slots__ = ("file", "sheet", "case_id", "problems", "version")

    def __init__(self, file: str, sheet: str, problems: list[Problem], version: int = schema.TEMPLATE_VERSION) -> None:
        self.file = file
        self.sheet = sheet
        self.case_id = ""
        self.problems = problems
        self.version = version

    def add(self, code: str, place: Place, **params: object) -> None:
        self.problems.append(
            make_problem(
                code,
                file=self.file,
                sheet=self.sheet,
                place=place,
                case_id=self.case_id,
                template_version=self.version,
                **params,
            )
        )


Converter = Callable[[Any, _Sink, "_Spec", int], Any]

_MISS: Any = object()
"""A cell the column fast path leaves to its converter (and a missed ``quick`` lookup)."""
_LEFT_OUT: Any = object()
"""An involvement answer left out of the answers: an empty cell, or neither 1-5 nor "ved ikke" (with a problem)."""

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
    # Cell value -> typed value for the cells that can give no problem (dropdown labels, empty cells when optional,
    # whole numbers in range): no converter call. Only str keys are looked up for single cells.
    quick: dict[Any, Any] = field(default_factory=dict)
    native: type = type(None)  # values of this type are already typed (involvement answers)
    block: str = ""  # the case-sheet block of a table column ("" for case fields and Mødetjekliste columns)
    first_row: int = 0  # the block's first data row

    def place(self, row: int) -> Place:
        """The logical place of this spec's cell in (current-layout) sheet row ``row``."""
        if self.row:
            return schema.field_place(self.key)
        if self.block:
            return schema.block_place(self.block, row - self.first_row, self.key)
        return schema.checklist_place(row, self.key)


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
            sink.add("text-too-long", spec.place(row), label=spec.label, length=len(text))
        if contains_cpr_like(text):
            sink.add("cpr-like", spec.place(row), label=spec.label)
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
        sink.add("date-invalid", spec.place(row), label=spec.label, value=_show(value))
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        converted = date_from_serial(value)
        if converted is None:
            sink.add("date-invalid", spec.place(row), label=spec.label, value=_show(value))
        return converted
    if isinstance(value, str):
        sink.add("date-text", spec.place(row), label=spec.label, value=value.strip(), hint=date_text_hint(value))
        return None
    sink.add("date-invalid", spec.place(row), label=spec.label, value=_show(value))
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
        sink.add("not-in-list", spec.place(row), label=spec.label, value=shown, allowed=spec.allowed)
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
        sink.add("score-range", spec.place(row), label=spec.label, value=_show(value))
        return None
    if was_text:
        sink.add("number-as-text", spec.place(row), label=spec.label, value=_show(value))
    return number


def _integer(value: Any, sink: _Sink, spec: _Spec, row: int) -> int | None:
    if type(value) is float and value.is_integer() and value >= 0.0:
        return int(value)
    number, was_text = _whole_number(value)
    if number is None or number < 0:
        sink.add("number-invalid", spec.place(row), label=spec.label, value=_show(value))
        return None
    if was_text:
        sink.add("number-as-text", spec.place(row), label=spec.label, value=_show(value))
    return number


_INVOLVEMENT_DONT_KNOW = schema.DONT_KNOW.casefold()


def _involvement(value: Any, sink: _Sink, spec: _Spec, row: int) -> int | None:
    """1..5, None for "ved ikke", ``_LEFT_OUT`` (and a problem) for anything else."""
    if type(value) is float and value.is_integer() and 1.0 <= value <= 5.0:
        return int(value)
    number, _was_text = _whole_number(value)  # the dropdown's "1"-"5" may be stored as text: no warning
    if number is not None and 1 <= number <= 5:
        return number
    if isinstance(value, str) and value.strip().casefold() == _INVOLVEMENT_DONT_KNOW:
        return None
    sink.add("involvement-range", spec.place(row), label=spec.label, value=_show(value))
    _left_out: int | None = _LEFT_OUT
    return _left_out


def _as_is(value: Any, sink: _Sink, spec: _Spec, row: int) -> Any:
    return value


_CONVERTERS: Mapping[Kind, Converter] = {
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
_CONVERTERS = MappingProxyType(_CONVERTERS)  # read-only: the core keeps no mutable state


def _spec(
    key: str,
    label: str,
    col: int,
    row: int,
    kind: Kind,
    choice: Choice | None,
    required: bool,
    block: schema.Block | None = None,
) -> _Spec:
    lookup: dict[str, Any] = {}
    if choice is not None:
        for code, text in choice.values:
            answer: Any = code == _YES_CODE if kind is Kind.YES_NO else code
            lookup[text] = answer
            lookup[text.casefold()] = answer
    allowed = ", ".join(choice.labels) if choice is not None else ""
    empty: object = _EMPTY_VALUES.get(kind)
    slot, short = _PLAIN, key
    for prefix, target in (
        (schema.PROFESSION_PRESENT_PREFIX, _PROFESSION),
        (schema.SCORE_PREFIX, _SCORE),
        (schema.INVOLVEMENT_PREFIX, _INVOLVEMENT),
    ):
        if key.startswith(prefix):
            slot, short = target, key[len(prefix) :]
    quick: dict[Any, Any] = {} if required else {"": empty}
    if kind in (Kind.CHOICE, Kind.YES_NO):
        quick.update(lookup)
    elif kind is Kind.INVOLVEMENT:
        quick.update({str(answer): answer for answer in range(1, 6)})
        quick[schema.DONT_KNOW] = None
    quick.update({float(number): number for number in _QUICK_NUMBERS.get(kind, ())})
    native: type = _NATIVE_TYPES.get(kind, type(None))
    return _Spec(
        key,
        label,
        col,
        row,
        kind,
        required,
        _CONVERTERS[kind],
        lookup,
        allowed,
        empty,
        slot,
        short,
        quick,
        native,
        block.key if block is not None else "",
        block.first_row if block is not None else 0,
    )


_YES_CODE = schema.YES_NO.code_of(schema.YES)
# A cell of the native type is taken as it is. For involvement none is (a bare object is no cell value): a None
# cell is empty there, since None is the "ved ikke" answer. A date cell is not: its range is the converter's.
_NATIVE_TYPES: Mapping[Kind, type] = {Kind.INVOLVEMENT: object}
_NATIVE_TYPES = MappingProxyType(_NATIVE_TYPES)  # read-only: the core keeps no mutable state
_EMPTY_VALUES: Mapping[Kind, object] = {Kind.TEXT: "", Kind.FREE_TEXT: "", Kind.INVOLVEMENT: _LEFT_OUT}  # others: None
_EMPTY_VALUES = MappingProxyType(_EMPTY_VALUES)  # read-only: the core keeps no mutable state
_QUICK_NUMBERS: Mapping[Kind, range] = {
    Kind.SCORE: range(1, 11),
    Kind.INTEGER: range(100),
    Kind.INVOLVEMENT: range(1, 6),
}
"""Whole numbers (read as floats) a number column takes without a converter; others go through it."""
_QUICK_NUMBERS = MappingProxyType(_QUICK_NUMBERS)  # read-only: the core keeps no mutable state


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
_CASE_FIELD_KEYS = tuple(spec.key for spec in _CASE_FIELD_SPECS)
_FIELD_GETTERS = tuple((itemgetter(spec.row - 1), itemgetter(spec.col - 1)) for spec in _CASE_FIELD_SPECS)
"""A case sheet's rows -> the row of a field, that row -> the field's cell."""

# Entered block -> (model class, Case attribute). The model follows the schema's column keys.
_BLOCK_MODELS: Mapping[str, tuple[type[Any], str]] = {
    "team": (TeamMember, "team"),
    "network": (NetworkPerson, "network"),
    "consent": (Consent, "consents"),
    "agreements": (Agreement, "agreements"),
    "interventions": (Intervention, "interventions"),
}
_BLOCK_MODELS = MappingProxyType(_BLOCK_MODELS)  # read-only: the core keeps no mutable state


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

    @cached_property
    def empties(self) -> tuple[object, ...]:
        """Typed values of a row of empty cells."""
        return tuple(spec.empty for spec in self.columns)


_BLOCK_SPECS: tuple[_BlockSpec, ...] = tuple(
    _BlockSpec(
        block.key,
        *_BLOCK_MODELS[block.key],
        block.first_row,
        block.last_row,
        block.first_col,
        block.last_col,
        tuple(
            _spec(c.key, c.header, block.first_col + i, 0, c.kind, c.choice, c.required, block)
            for i, c in enumerate(block.columns)
        ),
    )
    for block in schema.CASE_BLOCKS
    if block.entered
)


def _filled(cls: type[Any], names: tuple[str, ...], values: Sequence[Any], row: int) -> Any:
    """``cls(**dict(zip(names, values)), row=row)`` without the frozen-dataclass ``__init__`` (one
    ``object.__setattr__`` per field): a third of the cost, for the thousands of rows a workbook has. ``names`` and
    ``row`` must be every field, or the caller sets the others in ``__dict__`` (checked at import by
    :func:`_check_fields`); the models have no ``__post_init__`` and no slots. ``zip`` stops at ``names``.

    Here and in a few other per-row spots ``zip`` goes without ``strict=``: the keyword takes a slower call path
    (a sixth of a small item's cost), and the lengths are right by construction."""
    instance = object.__new__(cls)
    attributes = instance.__dict__
    attributes.update(zip(names, values))  # noqa: B905 (see the docstring)
    attributes["row"] = row
    return instance


def _check_fields(cls: type[Any], names: tuple[str, ...]) -> tuple[str, ...]:
    if set(names) != {f.name for f in fields(cls)} or len(names) != len(fields(cls)) or hasattr(cls, "__slots__"):
        raise RuntimeError(f"{cls.__name__}: fast construction needs exactly its fields, got {names}")
    if hasattr(cls, "__post_init__"):
        raise RuntimeError(f"{cls.__name__}: fast construction skips __post_init__")
    return names


_check_fields(Case, ("sheet", *(spec.key for spec in _CASE_FIELD_SPECS), *(block.attribute for block in _BLOCK_SPECS)))
_BLOCK_FIELD_NAMES: Mapping[str, tuple[str, ...]] = {
    block.key: _check_fields(block.model, (*(spec.key for spec in block.columns), "row"))[:-1] for block in _BLOCK_SPECS
}
_BLOCK_FIELD_NAMES = MappingProxyType(_BLOCK_FIELD_NAMES)  # read-only: the core keeps no mutable state

CASE_SHEET_LAST_ROW = max(
    max(spec.row for spec in _CASE_FIELD_SPECS),
    max(block.last_row for block in _BLOCK_SPECS),
    _TITLE_ROW,
    max_case_sheet_rows(),
)
"""Rows of a case sheet the parser needs in any supported version (computed blocks below are skipped): the
reader may stop there."""

_CASE_ENTERED_CELLS: Mapping[tuple[int, int], tuple[str, Place]] = {
    **{(spec.row, spec.col): (spec.label, spec.place(spec.row)) for spec in _CASE_FIELD_SPECS},
    **{
        (row, spec.col): (spec.label, spec.place(row))
        for block in _BLOCK_SPECS
        for row in range(block.first_row, block.last_row + 1)
        for spec in block.columns
    },
}
"""Entered cell -> (label, place), for formula and error-value problems."""
_CASE_ENTERED_CELLS = MappingProxyType(_CASE_ENTERED_CELLS)  # read-only: the core keeps no mutable state

SETTINGS_LAST_ROW = max(schema.SETTINGS_FIRST_ROW + len(schema.SETTINGS_ROWS) - 1, max_settings_rows())

_CHECKLIST_SPECS: tuple[_Spec, ...] = tuple(
    _spec(c.key, c.header, i, 0, c.kind, c.choice, c.required) for i, c in enumerate(schema.CHECKLIST_COLUMNS, 1)
)
_CHECKLIST_WIDTH = len(_CHECKLIST_SPECS)
_CHECKLIST_LABELS = tuple(spec.label for spec in _CHECKLIST_SPECS)
_CHECKLIST_ESSENTIAL = ("case_id", "date")  # without these columns the rows mean nothing


def _checklist_slot(slot: int) -> tuple[_Spec, ...]:
    return tuple(spec for spec in _CHECKLIST_SPECS if spec.slot == slot)


# A checklist row is converted in this order (so its problems come in it): the plain fields, then the professions,
# the scores and the involvement answers, each in sheet order.
_PLAIN_SPECS, _PROFESSION_SPECS, _SCORE_SPECS, _INVOLVEMENT_SPECS = map(
    _checklist_slot, (_PLAIN, _PROFESSION, _SCORE, _INVOLVEMENT)
)
_CHECKLIST_IN_ORDER = (*_PLAIN_SPECS, *_PROFESSION_SPECS, *_SCORE_SPECS, *_INVOLVEMENT_SPECS)
_PICK_IN_ORDER = itemgetter(*(spec.col - 1 for spec in _CHECKLIST_IN_ORDER))
_PLAIN_END = len(_PLAIN_SPECS)
_PROFESSIONS_END = _PLAIN_END + len(_PROFESSION_SPECS)
_SCORES_END = _PROFESSIONS_END + len(_SCORE_SPECS)
_PROFESSION_KEYS, _SCORE_KEYS, _INVOLVEMENT_KEYS = (
    tuple(spec.short for spec in specs) for specs in (_PROFESSION_SPECS, _SCORE_SPECS, _INVOLVEMENT_SPECS)
)
_PLAIN_KEYS = tuple(spec.key for spec in _PLAIN_SPECS)
_check_fields(Meeting, (*_PLAIN_KEYS, "row", "professions_present", "scores", "involvement"))


# --------------------------------------------------------------------------------------------------
# Tables (Mødetjekliste rows, case-sheet blocks), converted a column at a time
# --------------------------------------------------------------------------------------------------
# Nearly every table cell is a dropdown label, a number in range, a date, a short text or empty. A column of such
# cells is converted by a few C-level calls and can give no problem. Any other cell is left as ``_MISS`` and
# converted by ``_convert_cell`` afterwards, row by row in column order: the same values and the same problems, in
# the same order, as converting cell by cell, for a fraction of the cost.

ColumnConverter = Callable[[_Spec, tuple[Any, ...]], tuple[Sequence[Any], bool]]
"""(spec, cells of one column) -> (typed values with ``_MISS`` for the cells left to the converter, any left)."""

_NUMBER_CELL_TYPES = frozenset({float, str})  # not bool: True == 1.0 would find a number key
_OPTIONAL_DATE_TYPES = frozenset({dt.date, type(None)})
_REQUIRED_DATE_TYPES = frozenset({dt.date})


def _looked_up(spec: _Spec, column: tuple[Any, ...]) -> tuple[Sequence[Any], bool]:
    """Dropdown labels, empty optional cells and whole numbers in range: one dict lookup a cell."""
    quick = spec.quick
    try:
        return _each(quick, column), False  # every cell known: the common case
    except KeyError:
        return list(map(quick.get, column, repeat(_MISS))), True


def _each(mapping: dict[Any, Any], keys: tuple[Any, ...]) -> tuple[Any, ...]:
    """``tuple(mapping[key] for key in keys)`` in one C call (KeyError for a missing key)."""
    if len(keys) == 1:  # itemgetter gives the value itself for one key
        return (mapping[keys[0]],)
    return itemgetter(*keys)(mapping)  # type: ignore[no-any-return]


def _looked_up_numbers(spec: _Spec, column: tuple[Any, ...]) -> tuple[Sequence[Any], bool]:
    """As :func:`_looked_up`; TRUE/FALSE cells (and ints) go to the converter."""
    typed, left = _looked_up(spec, column)
    if _NUMBER_CELL_TYPES.issuperset(map(type, column)):
        return typed, left
    return [
        answer if type(value) in _NUMBER_CELL_TYPES else _MISS for value, answer in zip(column, typed, strict=True)
    ], True


def _dates(spec: _Spec, column: tuple[Any, ...]) -> tuple[Sequence[Any], bool]:
    """Date cells from 1900 to 2099 as they are and empty optional cells; any other cell (a date out of that range
    too: a typo in a date-formatted cell) goes to the converter (:func:`_date`), in a table as in a case field."""
    typed = list(map(spec.quick.get, column, column))  # "" -> None when optional, anything else unchanged
    allowed = _REQUIRED_DATE_TYPES if spec.required else _OPTIONAL_DATE_TYPES
    dates = [value for value in typed if type(value) is dt.date]
    in_range = not dates or (_FIRST_DATE <= min(dates) and max(dates) <= _LAST_DATE)
    if in_range and allowed.issuperset(map(type, typed)):
        return typed, False
    return [
        value if type(value) in allowed and (value is None or _FIRST_DATE <= value <= _LAST_DATE) else _MISS
        for value in typed
    ], True


def _texts(spec: _Spec, column: tuple[Any, ...]) -> tuple[Sequence[Any], bool]:
    """Stripped texts; a text that might give a problem goes to the converter (a number or date: the column)."""
    try:
        texts = list(map(str.strip, column))
    except TypeError:  # not a text
        return [_MISS] * len(column), True
    if not _may_give_text_problem(texts, spec.required):
        return texts, False
    return [_MISS if _may_give_text_problem([text], spec.required) else text for text in texts], True


def _may_give_text_problem(texts: list[str], required: bool) -> bool:
    """Whether a stripped text may be missing, too long or hold a CPR-like number: one search for all texts,
    short ones included (they cannot give a problem, but skipping them costs more than it saves)."""
    if required and "" in texts:
        return True
    joined = "\n".join(texts)
    if len(joined) > TEXT_MAX_LENGTH and max(map(len, texts)) > TEXT_MAX_LENGTH:  # no text is longer than all
        return True
    return has_six_digits(joined)


_COLUMN_CONVERTERS: Mapping[Kind, ColumnConverter] = {
    Kind.TEXT: _texts,
    Kind.FREE_TEXT: _texts,
    Kind.DATE: _dates,
    Kind.CHOICE: _looked_up,
    Kind.YES_NO: _looked_up,
    Kind.SCORE: _looked_up_numbers,
    Kind.INTEGER: _looked_up_numbers,
    Kind.INVOLVEMENT: _looked_up_numbers,
    Kind.NUMBER: _looked_up,
}
_COLUMN_CONVERTERS = MappingProxyType(_COLUMN_CONVERTERS)  # read-only: the core keeps no mutable state


def _typed_columns(specs: Sequence[_Spec], columns: Sequence[tuple[Any, ...]]) -> tuple[list[Sequence[Any]], list[int]]:
    """The cell ``columns`` of ``specs`` typed (none when there are no rows), with ``_MISS`` where a cell is left
    to its converter, and the positions of the columns with such cells."""
    typed_columns: list[Sequence[Any]] = []
    left_columns: list[int] = []
    for position, (spec, column) in enumerate(zip(specs, columns, strict=False)):
        typed, left = _COLUMN_CONVERTERS[spec.kind](spec, column)
        typed_columns.append(typed)
        if left:
            left_columns.append(position)
    return typed_columns, left_columns


def _convert_cell(spec: _Spec, value: Any, sink: _Sink, row: int) -> Any:
    """Typed value of one table cell; an empty cell gives the column's empty value (and required-missing)."""
    cls = type(value)
    if cls is str:
        found = spec.quick.get(value, _MISS)  # dropdown labels and empty cells: no call
        if found is not _MISS:
            return found
    elif cls is spec.native:
        return value
    if value is None or value == "" or (cls is str and value.isspace()):
        if spec.required:
            sink.add("required-missing", spec.place(row), label=spec.label)
        return spec.empty
    return spec.convert(value, sink, spec, row)


def _left_cells(typed_columns: list[Sequence[Any]], left_columns: list[int]) -> tuple[dict[int, list[Any]], list[int]]:
    """The columns with cells left to their converters, made lists in ``typed_columns`` to convert those cells in
    place (by :func:`_resolve_row`), and the positions of the rows with such cells, in order."""
    left = {position: list(typed_columns[position]) for position in left_columns}
    for position, column in left.items():
        typed_columns[position] = column
    return left, sorted(set(chain.from_iterable(map(_missed, left.values()))))


def _missed(typed: Sequence[Any]) -> Iterator[int]:
    """Positions of the cells left to their converters."""
    return compress(count(), map(is_, typed, repeat(_MISS)))


def _resolve_row(
    specs: Sequence[_Spec],
    left: dict[int, list[Any]],
    index: int,
    cells: Sequence[Any],
    sink: _Sink,
    row: int,
    convert: Callable[[_Spec, Any, _Sink, int], Any] = _convert_cell,
) -> None:
    """Converts the cells of row ``index`` left to their converters, in column order (the converters add the
    problems); ``cells`` are the row's cells in the order of ``specs``."""
    for position, column in left.items():
        if column[index] is _MISS:
            column[index] = convert(specs[position], cells[position], sink, row)


_EMPTY_CELLS = frozenset({"", None})


def _entered_rows(
    areas: list[list[list[Any]]], first_row: int, first_col: int, last_col: int
) -> tuple[list[int], list[tuple[Any, ...]], list[int]]:
    """The rows of ``areas`` (row lists, each area starting at sheet row ``first_row``) with an entered cell in
    columns first_col..last_col (1-based, inclusive): their row numbers, those columns of them (cells padded with
    "", none when no row is entered), and where each area's rows start among them (and the last ends)."""
    whole_rows = list(chain.from_iterable(areas))
    width = last_col - first_col + 1
    kept: list[bool] = []
    entered: list[list[Any]] = []
    columns: list[tuple[Any, ...]] = []
    if whole_rows:
        # C-level: wholly empty rows (most of a case sheet's block rows) are dropped by one list comparison each, and
        # the columns of the others taken from them (zip stops at the shortest row).
        kept = list(map(ne, whole_rows, repeat([""] * len(whole_rows[0]))))
        entered = list(compress(whole_rows, kept))
        columns = list(islice(zip(*entered, strict=False), first_col - 1, last_col))
    if entered and (len(columns) < width or "" in columns[0] or None in columns[0]):
        # Rare: a short row, or a row that may be entered only outside these columns (its first cell is empty).
        cut = itemgetter(slice(first_col - 1, last_col))
        kept = [not _EMPTY_CELLS.issuperset(cut(cells_of_row)) for cells_of_row in whole_rows]
        padded = [_padded(cut(cells_of_row), width) for cells_of_row in compress(whole_rows, kept)]
        columns = list(zip(*padded, strict=True))
    lengths = list(map(len, areas))
    numbers = chain.from_iterable(map(range, repeat(first_row), map(first_row.__add__, lengths)))
    entered_before = list(accumulate(kept, initial=0))  # entered rows before each row
    return list(compress(numbers, kept)), columns, list(map(entered_before.__getitem__, accumulate(lengths, initial=0)))


def _padded(cells: list[Any], width: int) -> list[Any]:
    return cells + [""] * (width - len(cells)) if len(cells) < width else cells


@dataclass(frozen=True)
class _BlockRows:
    """One block's entered rows on every case sheet of a workbook, found and converted together: a few C-level
    calls per column and workbook instead of per sheet, and the items of all sheets built at once. Cells left to
    their converters are converted sheet by sheet in :meth:`items`, so their problems come with the sheet's other
    problems, and the items of their rows are built again."""

    block: _BlockSpec
    rows: list[int]
    columns: list[tuple[Any, ...]]  # the block's cells of the rows
    spans: dict[str, tuple[int, int]]  # sheet name -> its part of the lists (start, end)
    typed_columns: list[Sequence[Any]]
    left: dict[int, list[Any]]  # see _left_cells
    left_rows: dict[str, list[int]]  # sheet name -> its rows with cells left to their converters, if any
    built: list[Any]  # the items of all rows (those in left_rows built from unconverted cells)

    @classmethod
    def of(cls, block: _BlockSpec, sheets: dict[str, RawSheet]) -> _BlockRows:
        areas = [sheet.rows[block.first_row - 1 : block.last_row] for sheet in sheets.values()]
        rows, columns, bounds = _entered_rows(areas, block.first_row, block.first_col, block.last_col)
        spans = dict(zip(sheets, pairwise(bounds), strict=True))
        typed_columns, left_columns = _typed_columns(block.columns, columns)
        left, left_rows = _left_cells(typed_columns, left_columns)
        built = _block_items(block, list(zip(*typed_columns, strict=True)), rows)
        return cls(block, rows, columns, spans, typed_columns, left, _by_sheet(spans, left_rows), built)

    def items(self, sheet: str, sink: _Sink) -> tuple[Any, ...]:
        start, end = self.spans[sheet]
        if sheet not in self.left_rows:
            return tuple(filter(None, self.built[start:end]))
        built = self.built[start:end]
        for index in self.left_rows[sheet]:
            cells = [column[index] for column in self.columns]
            _resolve_row(self.block.columns, self.left, index, cells, sink, self.rows[index])
            typed = tuple(column[index] for column in self.typed_columns)
            built[index - start] = _block_items(self.block, [typed], [self.rows[index]])[0]
        return tuple(filter(None, built))


def _by_sheet(spans: dict[str, tuple[int, int]], rows: list[int]) -> dict[str, list[int]]:
    """The (ascending) row positions ``rows`` by the sheet whose span holds them."""
    by_sheet = defaultdict[str, list[int]](list)
    if rows:
        names, ends = list(spans), [end for _start, end in spans.values()]
        for index in rows:
            by_sheet[names[bisect_right(ends, index)]].append(index)
    return dict(by_sheet)


@dataclass(frozen=True)
class _CaseFields:
    """The case fields of every case sheet of a workbook (a row a sheet), converted a column at a time as the
    blocks are. A sheet's cells left to their converters are converted in :meth:`values`, so their problems come
    with the sheet's other problems."""

    sheets: dict[str, int]  # sheet name -> its row
    columns: list[tuple[Any, ...]]  # the cells, a field a column
    typed: list[tuple[Any, ...]]  # the rows as the column converters left them
    typed_columns: list[Sequence[Any]]
    left: dict[int, list[Any]]  # see _left_cells
    left_rows: frozenset[int]

    @classmethod
    def of(cls, sheets: dict[str, RawSheet]) -> _CaseFields:
        columns = _field_columns([sheet.rows for sheet in sheets.values()])
        typed_columns, left_columns = _typed_columns(_CASE_FIELD_SPECS, columns)
        typed = list(zip(*typed_columns, strict=True))
        left, left_rows = _left_cells(typed_columns, left_columns)
        return cls(
            {name: index for index, name in enumerate(sheets)},
            columns,
            typed,
            typed_columns,
            left,
            frozenset(left_rows),
        )

    def values(self, sheet: str, sink: _Sink) -> tuple[Any, ...]:
        """The typed fields of ``sheet`` in ``_CASE_FIELD_SPECS`` order."""
        index = self.sheets[sheet]
        if index not in self.left_rows:
            return self.typed[index]
        cells = [column[index] for column in self.columns]
        _resolve_row(_CASE_FIELD_SPECS, self.left, index, cells, sink, 0, _field_value)
        return tuple(column[index] for column in self.typed_columns)


def _field_columns(sheets: list[list[list[Any]]]) -> list[tuple[Any, ...]]:
    """The case field cells of the case sheets (their rows), a field a column in ``_CASE_FIELD_SPECS`` order; no
    columns without sheets, as for table rows."""
    if not sheets:
        return []
    try:
        return [tuple(map(cell_of, map(row_of, sheets))) for row_of, cell_of in _FIELD_GETTERS]
    except IndexError:  # a short row or sheet
        cells = [[_cell(rows, spec.row, spec.col) for spec in _CASE_FIELD_SPECS] for rows in sheets]
        return list(zip(*cells, strict=True))


def _field_value(spec: _Spec, value: Any, sink: _Sink, _row: int) -> Any:
    """Typed value of one case field cell (the field's row is its spec's)."""
    if _blank(value):
        if spec.required:
            sink.add("required-missing", spec.place(spec.row), label=spec.label)
        return spec.empty
    return spec.convert(value, sink, spec, spec.row)


def _block_items(block: _BlockSpec, typed_rows: list[tuple[Any, ...]], rows: list[int]) -> list[Any]:
    """An item of the block for each typed row; None for a row of only spaces."""
    model, names, empties = block.model, _BLOCK_FIELD_NAMES[block.key], block.empties
    return [
        _filled(model, names, typed, row) if typed != empties else None
        for typed, row in zip(typed_rows, rows)  # noqa: B905 (see _filled)
    ]


def _given(keys: tuple[str, ...], values: tuple[Any, ...], absent: object) -> dict[str, Any]:
    """key -> value for the values that are not ``absent``, in key order."""
    missing = values.count(absent)
    if missing == 0:  # the common cases first: all given, none given
        return dict(zip(keys, values))  # noqa: B905 (see _filled)
    if missing == len(values):
        return {}
    return dict(compress(zip(keys, values), map(is_not, values, repeat(absent))))  # noqa: B905 (see _filled)


def _meetings(numbers: list[int], typed_columns: Sequence[Sequence[Any]]) -> tuple[Meeting, ...]:
    """Meetings from the typed checklist columns (in ``_CHECKLIST_IN_ORDER``), one for each row number."""
    groups = (
        typed_columns[:_PLAIN_END],
        typed_columns[_PLAIN_END:_PROFESSIONS_END],
        typed_columns[_PROFESSIONS_END:_SCORES_END],
        typed_columns[_SCORES_END:],
    )
    plain, present, scores, answers = (zip(*group, strict=True) for group in groups)
    return tuple([_meeting(*values) for values in zip(numbers, plain, present, scores, answers, strict=True)])


def _meeting(
    row: int, plain: tuple[Any, ...], present: tuple[Any, ...], scores: tuple[Any, ...], answers: tuple[Any, ...]
) -> Meeting:
    meeting: Meeting = _filled(Meeting, _PLAIN_KEYS, plain, row)
    attributes = meeting.__dict__
    attributes["professions_present"] = frozenset(compress(_PROFESSION_KEYS, present))
    attributes["scores"] = _given(_SCORE_KEYS, scores, None)
    attributes["involvement"] = _given(_INVOLVEMENT_KEYS, answers, _LEFT_OUT)
    return meeting


def _checklist_resolved(
    typed_columns: list[Sequence[Any]],
    numbers: list[int],
    columns: list[tuple[Any, ...]],
    left_columns: list[int],
    sink: _Sink,
) -> None:
    """Converts the cells of ``typed_columns`` left to their converters, in place, row by row (the problems' order);
    only the rows with such a cell are visited. ``columns``: the cells, in sheet order."""
    left, left_rows = _left_cells(typed_columns, left_columns)
    for index in left_rows:
        entered = [column[index] for column in columns]
        first = entered[0]
        sink.case_id = first.strip() if type(first) is str else "" if first is None else _show(first)
        _resolve_row(_CHECKLIST_IN_ORDER, left, index, _PICK_IN_ORDER(entered), sink, numbers[index])


# --------------------------------------------------------------------------------------------------
# Sheets
# --------------------------------------------------------------------------------------------------


def _formula_and_error_problems(
    sheet: RawSheet, sink: _Sink, entered: Callable[[int, int], tuple[str, Place] | None], first_problem: int
) -> None:
    """``formula-in-data`` and ``error-value`` of the entered cells (``entered`` gives their label and place, None
    for other cells). An error value replaces the cell's ``required-missing`` (among the sheet's problems from
    ``first_problem`` on) and its ``formula-in-data`` (see the module docstring)."""
    errors = sheet.errors
    shown: set[Place] = set()
    for row, col in sorted(sheet.formulas.keys() | errors.keys()):
        found = entered(row, col)
        if found is None:
            continue
        label, place = found
        error = errors.get((row, col))
        if error is None:
            sink.add("formula-in-data", place, label=label)
        else:
            sink.add("error-value", place, label=label, error=error)
            shown.add(place)
    if shown:
        problems = sink.problems
        problems[first_problem:] = [
            p for p in problems[first_problem:] if not (p.code == "required-missing" and p.place in shown)
        ]


def _parse_case(name: str, sheet: RawSheet, sink: _Sink, fields: _CaseFields, tables: Sequence[_BlockRows]) -> Case:
    """``fields`` and ``tables``: the case fields and the block rows of all case sheets, a table a block."""
    first_problem = len(sink.problems)
    case_id = _cell(sheet.rows, _CASE_ID_SPEC.row, _CASE_ID_SPEC.col)
    sink.case_id = "" if _blank(case_id) else _show(case_id)
    case: Case = object.__new__(Case)  # no frozen-dataclass __init__, as in _filled
    attributes = case.__dict__
    attributes["sheet"] = sheet.name
    attributes.update(zip(_CASE_FIELD_KEYS, fields.values(name, sink)))  # noqa: B905 (see _filled)
    for table in tables:
        attributes[table.block.attribute] = table.items(name, sink)
    if sheet.formulas or sheet.errors:
        _formula_and_error_problems(sheet, sink, lambda row, col: _CASE_ENTERED_CELLS.get((row, col)), first_problem)
    return case


def _normalise_header(value: CellValue) -> str:
    return "" if _blank(value) else " ".join(_show(value).split()).casefold()


def _checklist_header_ok(rows: list[list[Any]], sink: _Sink) -> bool:
    """Problems for changed headers; False when the rows cannot be read at all."""
    header = rows[schema.CHECKLIST_HEADER_ROW - 1] if len(rows) >= schema.CHECKLIST_HEADER_ROW else []
    if tuple(header[:_CHECKLIST_WIDTH]) == _CHECKLIST_LABELS:  # as the template writes them: nothing to normalise
        return True
    essential_broken = ""
    for spec in _CHECKLIST_SPECS:
        found = header[spec.col - 1] if spec.col <= len(header) else None
        if _normalise_header(found) != " ".join(spec.label.split()).casefold():
            shown = "" if _blank(found) else _show(found)
            sink.add("checklist-header", spec.place(schema.CHECKLIST_HEADER_ROW), expected=spec.label, found=shown)
            if spec.key in _CHECKLIST_ESSENTIAL and not essential_broken:
                essential_broken = spec.label
    if essential_broken:
        sink.add("checklist-not-read", WHOLE_SHEET, expected=essential_broken)
        return False
    return True


def _meant(columns: list[tuple[Any, ...]]) -> list[bool] | None:
    """Which rows of the (sheet order) ``columns`` hold more than spaces (a cell not ``_blank``), None when all do:
    nearly always, as nearly every row has a case id, which settles it without looking at the row's other cells."""
    if not columns:
        return None
    try:
        if all(map(str.strip, columns[0])):
            return None
    except TypeError:  # a case id that is no text
        pass
    meant = [not all(map(_blank, entered)) for entered in zip(*columns)]  # noqa: B905 (the columns of rows)
    return None if all(meant) else meant


def _parse_meetings(sheet: RawSheet, sink: _Sink) -> tuple[Meeting, ...]:
    rows = sheet.rows
    first_problem = len(sink.problems)
    if not _checklist_header_ok(rows, sink):
        return ()
    width = _CHECKLIST_WIDTH
    numbers, columns, _ = _entered_rows([rows[schema.CHECKLIST_FIRST_ROW - 1 :]], schema.CHECKLIST_FIRST_ROW, 1, width)
    meant = _meant(columns)
    if meant is not None:
        numbers, columns = list(compress(numbers, meant)), [tuple(compress(column, meant)) for column in columns]
    typed_columns, left_columns = _typed_columns(_CHECKLIST_IN_ORDER, _PICK_IN_ORDER(columns) if numbers else ())
    if left_columns:
        _checklist_resolved(typed_columns, numbers, columns, left_columns, sink)
    meetings = _meetings(numbers, typed_columns)
    if sheet.formulas or sheet.errors:
        specs = _CHECKLIST_SPECS

        def entered(row: int, col: int) -> tuple[str, Place] | None:
            if row < schema.CHECKLIST_FIRST_ROW or col > width:
                return None
            first = _cell(rows, row, 1)
            sink.case_id = "" if _blank(first) else _show(first)
            return specs[col - 1].label, specs[col - 1].place(row)

        _formula_and_error_problems(sheet, sink, entered, first_problem)
    sink.case_id = ""
    return meetings


def _template_version(raw: RawWorkbook) -> int:
    settings = raw.sheets.get(schema.SHEET_SETTINGS)
    where = f"på arket '{schema.SHEET_SETTINGS}'"
    foreign_hint = (
        "Opret arbejdsbøger ud fra workbook_templates/samarbejde.xlsx (eller samarbejde-xl template build), "
        "og kontrollér, at du har valgt den rigtige fil"
    )
    if settings is None and any(sheet in raw.sheets for sheet in schema.REPORT_MARKER_SHEETS):
        raise WorkbookError(
            raw.file,
            "en samarbejde-xl-rapport, ikke en sagsprojektmappe",
            "Læg rapporterne i en anden mappe end vejledernes arbejdsbøger",
            code="report",
        )
    if settings is None:
        raise WorkbookError(
            raw.file,
            f"ikke en samarbejde-xl-projektmappe (arket '{schema.SHEET_SETTINGS}' mangler)",
            foreign_hint,
            code="foreign",
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
            f"ikke en samarbejde-xl-projektmappe (ingen skabelonversion i {schema.TEMPLATE_VERSION_CELL} {where})",
            foreign_hint,
            code="foreign",
        )
    if version > schema.TEMPLATE_VERSION:
        raise WorkbookError(
            raw.file,
            f"projektmappen bruger skabelonversion {version}, men denne samarbejde-xl kender kun op til "
            f"version {schema.TEMPLATE_VERSION}",
            "Opdatér samarbejde-xl (pip install -U samarbejde-xl)",
            code="newer-template",
        )
    if version not in schema.SUPPORTED_TEMPLATE_VERSIONS:
        raise WorkbookError(
            raw.file,
            f"projektmappen bruger den gamle skabelonversion {version} "
            f"(understøttet: {', '.join(map(str, schema.SUPPORTED_TEMPLATE_VERSIONS))})",
            "Kør samarbejde-xl upgrade på en kopi af filen",
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

    case_sheets = {
        name: sheet
        for name, sheet in raw.sheets.items()
        if name not in IGNORED_SHEETS and name not in READ_FIXED_SHEETS and is_case_sheet(sheet)
    }
    # Converted before any problem:
    fields, tables = _CaseFields.of(case_sheets), [_BlockRows.of(block, case_sheets) for block in _BLOCK_SPECS]
    cases: list[Case] = []
    for name, sheet in raw.sheets.items():
        if name in IGNORED_SHEETS or name in READ_FIXED_SHEETS:
            continue
        sink = _Sink(raw.file, name, problems, version)
        if name not in case_sheets:
            sink.add("unknown-sheet", WHOLE_SHEET)
            continue
        cases.append(_parse_case(name, sheet, sink, fields, tables))
        if sheet.visible != "visible":
            sink.add("hidden-case-sheet", WHOLE_SHEET)

    checklist = raw.sheets.get(schema.SHEET_CHECKLIST)
    meetings: tuple[Meeting, ...] = ()
    if checklist is None:
        problems.append(make_problem("missing-sheet", file=raw.file, sheet=schema.SHEET_CHECKLIST))
    else:
        meetings = _parse_meetings(checklist, _Sink(raw.file, schema.SHEET_CHECKLIST, problems, version))
    data = WorkbookData(
        file=raw.file,
        template_version=version,
        municipality=municipality,
        settings=overrides,
        cases=tuple(cases),
        meetings=meetings,
    )
    return data, problems
