"""Values crossing between Excel and Python, both ways. Nothing here imports xlwings.

Excel -> Python (UDF arguments): Excel hands a UDF floats (every number), datetimes (date cells), strings, booleans
and ``None`` (empty cells); a multi-cell range arrives as a list of rows. These become core types, with short Danish
messages for bad input.

Python -> Excel (the ribbon's writes, ``excel_cell_value``): Excel parses a string set through COM's Range.Value
(or Office.js ``values``) as if it were typed, in the PC's locale: in a Danish Excel "00123" becomes the number 123,
"1-2" the date 1 February, "1,5" a number and "=1+1" a formula. Text therefore goes with Excel's text prefix (an
apostrophe that Excel stores as the cell's prefix character, not as part of the value); dates go as dates. The
add-in writes no formulas; if one ever must, set Range.Formula (English, locale-independent), never its localised twin.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from typing import Any, ParamSpec, TypeVar

from samarbejde_xl import schema
from samarbejde_xl.core import parse
from samarbejde_xl.core.errors import SettingsError
from samarbejde_xl.core.model import Meeting
from samarbejde_xl.core.parse import date_from_serial, date_text_hint
from samarbejde_xl.core.problems import Problem, make_problem
from samarbejde_xl.core.settings import DEFAULT_SETTINGS, Settings, SettingValueError, settings_from

P = ParamSpec("P")
R = TypeVar("R")

UNEXPECTED_ERROR = "Fejl: uventet fejl – kør Diagnose og kontakt IT."


class UdfInputError(ValueError):
    """Bad input to a worksheet function; the message is short Danish text for the cell."""


def cell_text_on_error(function: Callable[P, R]) -> Callable[P, R | str]:
    """Turn any failure into short Danish text: a UDF cell must never show a traceback."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R | str:
        try:
            return function(*args, **kwargs)
        except UdfInputError as error:
            return f"Fejl: {error}"
        except SettingValueError as error:
            return f"Fejl: indstillingen '{error.label}': {error.reason}"
        except SettingsError:
            return "Fejl: en indstilling er ugyldig."
        except Exception:  # noqa: BLE001 - last line of defence for a worksheet cell
            return UNEXPECTED_ERROR

    return wrapper


def excel_cell_value(value: object) -> object:
    """The value to hand Excel for ``value`` so the cell keeps it: text (ids, initials, free text) as text, dates
    and datetimes as dates, numbers and booleans as they are, ``None`` and "" as an empty cell."""
    if isinstance(value, str):
        return "'" + value if value else None
    return value


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def rows_of(value: object) -> list[list[Any]]:
    """A range argument as a list of rows (one cell -> one row with one value)."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        if all(isinstance(row, list | tuple) for row in value):
            return [list(row) for row in value]
        return [list(value)]
    return [[value]]


def column_of(value: object) -> list[Any]:
    """A one-column (or one-row) range argument as a flat list."""
    return [cell for row in rows_of(value) for cell in row]


def to_date(value: object, label: str) -> dt.date:
    """A date from a date cell, an Excel serial or ``None`` (missing: an error naming ``label``)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        converted = date_from_serial(value)
        if converted is not None:
            return converted
        raise UdfInputError(f"{label} er ikke en gyldig dato.")
    if is_blank(value):
        raise UdfInputError(f"{label} mangler.")
    if isinstance(value, str):
        raise UdfInputError(f"{label} er tekst, ikke en dato. {date_text_hint(value)}")
    raise UdfInputError(f"{label} er ikke en dato.")


def optional_date(value: object, label: str) -> dt.date | None:
    return None if is_blank(value) else to_date(value, label)


def today_or(value: object) -> dt.date:
    """The ``idag`` argument, or the computer's date: the UDF is the edge where the clock is read."""
    return optional_date(value, "Dato") or dt.date.today()


def to_code(value: object, choice: schema.Choice, label: str) -> str:
    """A dropdown value (Danish label or code, case ignored) -> its code."""
    if is_blank(value):
        raise UdfInputError(f"{label} mangler.")
    text = str(value).strip()
    code = choice.code_of(text)
    if code is None and text in choice.codes:
        code = text
    if code is None:
        raise UdfInputError(f"'{text}' i {label} findes ikke på listen ({', '.join(choice.labels)}).")
    return code


def optional_code(value: object, choice: schema.Choice, label: str) -> str | None:
    return None if is_blank(value) else to_code(value, choice, label)


def to_yes_no(value: object, label: str) -> bool | None:
    if isinstance(value, bool):
        return value
    code = optional_code(value, schema.YES_NO, label)
    return None if code is None else code == "yes"


_MEETING_KEYS = ("case_id", "date", "kind", "young_person_present")
assert tuple(column.key for column in schema.CHECKLIST_COLUMNS[: len(_MEETING_KEYS)]) == _MEETING_KEYS, (
    "the plan UDFs read the first checklist columns in this order"
)


def meetings_from_rows(rows: Sequence[Sequence[Any]], case_id: str) -> list[Meeting]:
    """Mødetjekliste rows (Ung-id, Mødedato, Mødetype[, Den unge deltog]) of one young person."""
    meetings = []
    for index, row in enumerate(rows, start=1):
        cells = [*row, None, None, None, None][: len(_MEETING_KEYS)]
        if is_blank(cells[0]) or str(cells[0]).strip() != case_id or is_blank(cells[1]):
            continue
        where = f"række {index} i møderne"
        kind = to_code(cells[2], schema.MEETING_KIND, f"Mødetype ({where})")
        present = to_yes_no(cells[3], f"Den unge deltog ({where})")
        meetings.append(Meeting(index, case_id, to_date(cells[1], f"Mødedato ({where})"), kind, present))
    return meetings


_SETTING_KEYS: dict[str, str] = {
    **{row.key.casefold(): row.key for row in schema.SETTINGS_ROWS},
    **{row.label.casefold(): row.key for row in schema.SETTINGS_ROWS},
}


def settings_from_rows(rows: Sequence[Sequence[Any]]) -> Settings:
    """Indstillinger rows (label or key, value) -> settings; no rows -> the defaults."""
    overrides: dict[str, object] = {}
    for row in rows:
        if len(row) < 2 or is_blank(row[0]):
            continue
        key = _SETTING_KEYS.get(str(row[0]).strip().casefold())
        if key is None:
            continue  # headers, titles, notes
        overrides[key] = row[1]
    return settings_from(overrides) if overrides else DEFAULT_SETTINGS


_CHECKABLE: dict[str, tuple[str, schema.Kind, schema.Choice | None, bool]] = {}
for _field in schema.CASE_FIELDS:
    if _field.entered:
        _CHECKABLE.setdefault(_field.label.casefold(), (_field.label, _field.kind, _field.choice, _field.required))
for _column in schema.CHECKLIST_COLUMNS:
    _CHECKABLE.setdefault(_column.header.casefold(), (_column.header, _column.kind, _column.choice, _column.required))
for _field in schema.CASE_FIELDS:
    _CHECKABLE.setdefault(_field.key, _CHECKABLE[_field.label.casefold()])
for _column in schema.CHECKLIST_COLUMNS:
    _CHECKABLE.setdefault(_column.key, _CHECKABLE[_column.header.casefold()])


def check_field_value(field: object, value: object) -> list[str]:
    """Danish messages for ``value`` typed in the case field or Mødetjekliste column named ``field``; [] = OK."""
    if is_blank(field):
        raise UdfInputError("Feltnavn mangler.")
    found = _CHECKABLE.get(str(field).strip().casefold()) or _CHECKABLE.get(str(field).strip())
    if found is None:
        raise UdfInputError(f"Kender ikke feltet '{str(field).strip()}'. Brug overskriften fra arket.")
    label, kind, choice, required = found
    problems: list[Problem] = []
    if is_blank(value):
        if required:
            problems.append(make_problem("required-missing", file="", sheet="", label=label))
        return [problem.message for problem in problems]
    # TODO(H2): use a public per-kind parse function of core.parse when it has one.
    sink = parse._Sink("", "", problems)
    spec = parse._spec(label, label, 1, 1, kind, choice, required)
    parse._CONVERTERS[kind](value, sink, spec, 1)
    return [problem.message for problem in problems]
