"""Constants of the Excel add-in: the ribbon tab and its buttons (with their CLI twins), the add-in's sheets."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RibbonButton:
    """A button of the Samarbejde ribbon tab; ``control_id`` is also the dispatcher key."""

    control_id: str
    label: str
    screentip: str
    image_mso: str  # an Excel control id (tests/data/excel-control-ids.txt), else the button shows blank
    cli_command: str


RIBBON_BUTTONS: tuple[RibbonButton, ...] = (
    RibbonButton("NewCase", "Ny sag", "Opretter et nyt sagsark med næste ledige id.", "FileNew", "new-case"),
    RibbonButton(
        "RegisterMeeting",
        "Registrér møde",
        "Tilføjer en udfyldt række i Mødetjekliste for den aktive sag.",
        "TableRowsInsertBelowExcel",
        "register-meeting",
    ),
    RibbonButton(
        "Validate", "Validér", "Markerer fejl i cellerne og samler dem på arket Fejl.", "ErrorChecking", "validate"
    ),
    RibbonButton(
        "RefreshPlan",
        "Opdatér mødeplan",
        "Beregner mødeplanen og skriver den som værdier, så kolleger uden Python også kan se den.",
        "RefreshAll",
        "refresh",
    ),
    RibbonButton("Overview", "Oversigt", "Opdaterer Oversigt og springer til den.", "ViewNormalViewExcel", "overview"),
    RibbonButton(
        "Diagnose",
        "Diagnose",
        "Viser Python-, xlwings-, tilføjelses- og skabelonversioner.",
        "FormulaEvaluate",
        "diagnose",
    ),
    RibbonButton("Help", "Hjælp", "Åbner arket Vejledning.", "Help", "help"),
)
"""The guides' buttons, on the case workbook's Vejledning sheet too."""

MANAGER_BUTTONS: tuple[RibbonButton, ...] = (
    RibbonButton(
        "QuarterlyReport",
        "Kvartalsrapport",
        "Vælg mappen med vejledernes arbejdsbøger; ledergruppens rapport for det seneste afsluttede kvartal "
        "skrives i mappen.",
        "Consolidate",
        "consolidate",
    ),
)
"""The managers' buttons, in a group of their own: they work on a folder of workbooks, not on the open one."""


ADDIN_NAME = "samarbejde_xl"
"""xlwings' PROJECT_NAME in the add-in: it reads its settings from the sheet ``<name>.conf``."""
ADDIN_FILE = f"{ADDIN_NAME}.xlam"
ADDIN_CONFIG_SHEET = f"{ADDIN_NAME}.conf"
ADDIN_FUNCTIONS_SHEET = "Funktioner"
"""Add-in sheet with the function wizard help (category, descriptions) the add-in registers when it opens."""
ADDIN_FUNCTIONS_HEADERS = ("Funktion", "Kategori", "Beskrivelse", "Argumenter (hjælpetekst)")
RIBBON_TAB_ID = "SamarbejdeTab"
RIBBON_TAB_LABEL = "Samarbejde"
RIBBON_GROUP_ID = "SamarbejdeGroup"
RIBBON_GROUP_LABEL = "Samarbejdsmodellen"
RIBBON_MANAGER_GROUP_ID = "SamarbejdeLedelse"
RIBBON_MANAGER_GROUP_LABEL = "Ledelse"
RIBBON_CALLBACK = "OnRibbonAction"
"""The one VBA Sub every ribbon button calls; it hands the control id to Python."""
