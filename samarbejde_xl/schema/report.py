"""Constants of the leader-group report workbook (written by ``report/``): its title and sheet names."""

from __future__ import annotations

REPORT_TITLE = "Samarbejdsmodellen – kvartalsrapport til ledergruppen"
REPORT_SHEET_COVER = "Forside"
REPORT_SHEET_OUTCOMES = "Udfald"
REPORT_SHEET_MEETINGS = "Møder"
REPORT_SHEET_AGREEMENTS = "Aftaler"
REPORT_SHEET_LIFE_AREAS = "Livsområder"
REPORT_SHEET_INVOLVEMENT = "Inddragelse"
REPORT_SHEET_SURVEY = "Fagpersoner"
REPORT_SHEET_TREND = "Udvikling"
REPORT_SHEET_DATA_QUALITY = "Datakvalitet"
REPORT_SHEET_POLITICIANS = "Til politikere"
REPORT_SHEETS: tuple[str, ...] = (
    REPORT_SHEET_COVER,
    REPORT_SHEET_OUTCOMES,
    REPORT_SHEET_MEETINGS,
    REPORT_SHEET_AGREEMENTS,
    REPORT_SHEET_LIFE_AREAS,
    REPORT_SHEET_INVOLVEMENT,
    REPORT_SHEET_SURVEY,
    REPORT_SHEET_TREND,
    REPORT_SHEET_DATA_QUALITY,
)
"""Sheets of the leader-group report, in workbook order; the politicians' summary (its one sheet:
REPORT_SHEET_POLITICIANS) is a workbook of its own."""
REPORT_MARKER_SHEETS: tuple[str, ...] = (REPORT_SHEET_DATA_QUALITY, REPORT_SHEET_POLITICIANS)
"""A workbook without the settings sheet and with one of these is a samarbejde-xl report (internal or politicians')."""
