"""Worksheet functions (UDFs) of the add-in: thin wrappers over the core, category "Samarbejde".

Off Windows ``xw.func/arg/ret`` are no-op decorators, so this module imports and runs as plain Python (tests).
Names are ASCII (VBA needs it), and no function or parameter name is a VBA reserved word or an Excel
function name in English or Danish (tests/test_addin_gates.py); Danish text lives in docstrings and argument
help. Every function returns short Danish text on bad input, never a traceback. Arguments and results are typed
``Any``: xlwings turns type hints into converters, and ``Any`` is the plain-values one.

After changing a signature or a help text, regenerate ``macros/xlwings_udfs.bas`` (``samarbejde-xl addin generate``).
"""

from __future__ import annotations

from typing import Any

import xlwings as xw

from samarbejde_xl import schema
from samarbejde_xl.addin.values import (
    UdfInputError,
    cell_text_on_error,
    check_field_value,
    column_of,
    meetings_from_rows,
    optional_code,
    optional_date,
    rows_of,
    settings_from_rows,
    to_code,
    to_date,
    to_yes_no,
    today_or,
)
from samarbejde_xl.core.dates import age_on
from samarbejde_xl.core.meetings import MeetingPlan, plan_meetings
from samarbejde_xl.core.model import Case
from samarbejde_xl.core.outcomes import StatusRegistration, outcome_text

MODULE = "samarbejde_xl.addin.udfs"
"""The name xlwings imports (the add-in's UDF Modules setting)."""

CATEGORY = "Samarbejde"

_BIRTH = "Den unges fødselsdato."
_VARIANT = "Modelvariant: udsatte eller psykisk."
_INCLUSION = "Dato for start i modellen (inklusionsdato)."
_CASE_ID = "Ung-id, fx U-0001: vælger den unges rækker i møderne."
_MEETINGS = (
    f"{schema.SHEET_CHECKLIST}-tabellen eller dens første fire kolonner (Ung-id, Mødedato, Mødetype, Den unge deltog)."
)
_END = "Valgfri: slutdato, hvis forløbet er slut før aldersgrænsen."
_TODAY = "Valgfri: beregn pr. denne dato (standard: i dag). Brug IDAG() for at genberegne dagligt."
_SETTINGS = f"Valgfri: arket {schema.SHEET_SETTINGS}, kolonnerne Indstilling og Værdi. Tom: standardreglerne."


def _plan(
    birth: Any, variant: Any, inclusion: Any, case_id: Any, meetings: Any, end: Any, today: Any, settings: Any
) -> MeetingPlan:
    ident = "" if case_id is None else str(case_id).strip()
    case = Case(
        sheet="",
        case_id=ident,
        birth_date=to_date(birth, "Fødselsdato"),
        variant=to_code(variant, schema.VARIANT, "Modelvariant"),
        inclusion_date=to_date(inclusion, "Inklusionsdato"),
        end_date=optional_date(end, "Slutdato"),
    )
    rows = meetings_from_rows(rows_of(meetings), ident) if ident else []
    return plan_meetings(case, rows, settings_from_rows(rows_of(settings)), today_or(today))


@xw.func(category=CATEGORY)
@xw.arg("foedselsdato", doc=_BIRTH)
@xw.arg("modelvariant", doc=_VARIANT)
@xw.arg("inklusionsdato", doc=_INCLUSION)
@xw.arg("ung_id", doc=_CASE_ID)
@xw.arg("moeder", ndim=2, doc=_MEETINGS)
@xw.arg("slutdato", doc=_END)
@xw.arg("beregningsdato", doc=_TODAY)
@xw.arg("indstillinger", ndim=2, doc=_SETTINGS)
@cell_text_on_error
def SAM_NAESTE_MOEDE(
    foedselsdato: Any,
    modelvariant: Any,
    inklusionsdato: Any,
    ung_id: Any = None,
    moeder: Any = None,
    slutdato: Any = None,
    beregningsdato: Any = None,
    indstillinger: Any = None,
) -> Any:
    """Seneste dato for den unges næste møde (tekst, hvis der ikke er flere møder)."""
    plan = _plan(foedselsdato, modelvariant, inklusionsdato, ung_id, moeder, slutdato, beregningsdato, indstillinger)
    next_due = plan.next_due
    return next_due.window_end if next_due is not None else "Ingen flere møder"


@xw.func(category=CATEGORY)
@xw.arg("foedselsdato", doc=_BIRTH)
@xw.arg("modelvariant", doc=_VARIANT)
@xw.arg("inklusionsdato", doc=_INCLUSION)
@xw.arg("ung_id", doc=_CASE_ID)
@xw.arg("moeder", ndim=2, doc=_MEETINGS)
@xw.arg("slutdato", doc=_END)
@xw.arg("beregningsdato", doc=_TODAY)
@xw.arg("indstillinger", ndim=2, doc=_SETTINGS)
@cell_text_on_error
def SAM_MOEDEPLAN(
    foedselsdato: Any,
    modelvariant: Any,
    inklusionsdato: Any,
    ung_id: Any = None,
    moeder: Any = None,
    slutdato: Any = None,
    beregningsdato: Any = None,
    indstillinger: Any = None,
) -> Any:
    """Mødeplanen som tabel: en række pr. møde med mødetype, forfaldsdato og status."""
    plan = _plan(foedselsdato, modelvariant, inklusionsdato, ung_id, moeder, slutdato, beregningsdato, indstillinger)
    if not plan.meetings:
        return "Ingen møder i planen"
    return [[planned.label, planned.due, planned.status_label] for planned in plan.meetings]


@xw.func(category=CATEGORY)
@xw.arg("foedselsdato", doc=_BIRTH)
@xw.arg("paa_dato", doc="Valgfri: alderen på denne dato (standard: i dag).")
@cell_text_on_error
def SAM_ALDER(foedselsdato: Any, paa_dato: Any = None) -> Any:
    """Den unges alder i hele år på en dato (fødselsdag som EDATO: født 29. feb. fylder år 28. feb.)."""
    birth, on = to_date(foedselsdato, "Fødselsdato"), today_or(paa_dato)
    if birth > on:
        raise UdfInputError("Fødselsdatoen ligger efter datoen.")
    return age_on(birth, on)


@xw.func(category=CATEGORY)
@xw.arg("felt", doc="Feltets navn som på arket, fx Fødselsdato eller Mødetype.")
@xw.arg("feltvaerdi", doc="Værdien, der skal tjekkes (typisk en celle).")
@cell_text_on_error
def SAM_TJEK(felt: Any, feltvaerdi: Any) -> Any:
    """Tjekker en værdi til et felt: "OK" eller en besked om, hvad der skal rettes."""
    messages = check_field_value(felt, feltvaerdi)
    return " ".join(messages) if messages else "OK"


@xw.func(category=CATEGORY)
@xw.arg("datoer", ndim=1, doc="Datoerne for statusregistreringerne (en kolonne).")
@xw.arg("uddannelse", ndim=1, doc="Uddannelse ved hver registrering (samme antal rækker).")
@xw.arg("job", ndim=1, doc="Job ved hver registrering (samme antal rækker).")
@xw.arg("forloeb", ndim=1, doc="Valgfri: beskæftigelsesrettet forløb ja/nej ved hver registrering.")
@xw.arg("indstillinger", ndim=2, doc=_SETTINGS)
@cell_text_on_error
def SAM_UDFALD(datoer: Any, uddannelse: Any, job: Any, forloeb: Any = None, indstillinger: Any = None) -> Any:
    """Udfaldskategorien for et forløb ud fra status på uddannelse og job (fx "I uddannelse")."""
    dates, educations, jobs = column_of(datoer), column_of(uddannelse), column_of(job)
    programmes = column_of(forloeb) or [None] * len(dates)
    if not len(dates) == len(educations) == len(jobs) == len(programmes):
        raise UdfInputError("Datoer, uddannelse, job og forløb skal have lige mange rækker.")
    history = [
        StatusRegistration(
            to_date(day, f"Dato i række {row}"),
            optional_code(education, schema.EDUCATION, f"Uddannelse i række {row}"),
            optional_code(work, schema.JOB, f"Job i række {row}"),
            to_yes_no(programme, f"Forløb i række {row}"),
        )
        for row, (day, education, work, programme) in enumerate(
            zip(dates, educations, jobs, programmes, strict=True), start=1
        )
        if optional_date(day, f"Dato i række {row}") is not None
    ]
    return outcome_text(history, settings_from_rows(rows_of(indstillinger)))
