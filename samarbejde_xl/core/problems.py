"""Problems are data: a stable code, a severity, a place and a Danish message that says what to do.

Every code the tools can report is registered here once, with its severity and message template.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "fejl"
    WARNING = "advarsel"


@dataclass(frozen=True)
class ProblemType:
    code: str
    severity: Severity
    template: str  # Danish, str.format fields
    title: str  # short Danish description (report headings, docs)


@dataclass(frozen=True)
class Problem:
    code: str
    severity: Severity
    file: str
    sheet: str
    cell: str  # "B6", or "" when the problem is about a whole sheet or file
    message: str  # Danish, says what to do
    case_id: str = ""

    @property
    def place(self) -> str:
        where = f"{self.sheet}!{self.cell}" if self.cell else self.sheet
        return f"{self.file}: {where}" if where else self.file

    def __str__(self) -> str:
        return f"{self.place}: {self.severity.value} [{self.code}] {self.message}"


PROBLEM_TYPES: dict[str, ProblemType] = {}


def register(code: str, severity: Severity, title: str, template: str) -> ProblemType:
    if code in PROBLEM_TYPES:
        raise ValueError(f"problem code {code!r} registered twice")
    kind = ProblemType(code, severity, template, title)
    PROBLEM_TYPES[code] = kind
    return kind


def make_problem(code: str, *, file: str, sheet: str, cell: str = "", case_id: str = "", **params: object) -> Problem:
    kind = PROBLEM_TYPES[code]
    return Problem(code, kind.severity, file, sheet, cell, kind.template.format(**params), case_id)


E, W = Severity.ERROR, Severity.WARNING

# Reading cell values (registered by the parser; the validation rules add their own codes below them).
register("required-missing", E, "Påkrævet felt mangler", "{label} mangler. Udfyld feltet.")
register(
    "date-text",
    E,
    "Tekst hvor der skal stå en dato",
    "'{value}' i {label} er tekst, ikke en dato. {hint}",
)
register("date-invalid", E, "Ugyldig dato", "'{value}' i {label} er ikke en gyldig dato. Skriv datoen som dd-mm-åååå.")
register(
    "not-in-list",
    E,
    "Værdi findes ikke på listen",
    "'{value}' i {label} findes ikke på listen. Vælg en af: {allowed}.",
)
register(
    "score-range",
    E,
    "Score uden for 1-10",
    "'{value}' i {label} skal være et helt tal fra 1 til 10.",
)
register(
    "number-invalid",
    E,
    "Ugyldigt tal",
    "'{value}' i {label} skal være et helt tal (0 eller derover).",
)
register(
    "involvement-range",
    E,
    "Ugyldigt svar om inddragelse",
    "'{value}' i {label} skal være 1, 2, 3, 4, 5 eller 'ved ikke'.",
)
register(
    "formula-in-data",
    W,
    "Formel i et indtastningsfelt",
    "{label} indeholder en formel. Skriv værdien direkte i cellen; formler i indtastningsfelter læses ikke.",
)
register(
    "cpr-like",
    W,
    "Muligt CPR-nummer i fritekst",
    "{label} ser ud til at indeholde et CPR-nummer. Slet det: værktøjet har aldrig brug for CPR-numre "
    "(dataminimering).",
)
register(
    "text-too-long",
    W,
    "Meget lang tekst",
    "{label} er {length} tegn lang. Kort teksten ned; lange noter hører til i fagsystemet.",
)
register(
    "unknown-sheet",
    W,
    "Ukendt ark",
    "Arket '{sheet}' er hverken et sagsark eller et af skabelonens ark og bliver ikke læst. "
    "Opret sager med knappen Ny sag.",
)
register(
    "missing-sheet",
    E,
    "Ark mangler",
    "Arket '{sheet}' mangler i projektmappen. Kopiér det fra en ny skabelon eller kør 'samarbejde-xl upgrade'.",
)
register(
    "checklist-header",
    E,
    "Kolonneoverskrift i Mødetjekliste er ændret",
    "Kolonnen skulle hedde '{expected}' men hedder '{found}'. Ret overskriften tilbage; "
    "flyt ikke kolonner i Mødetjekliste.",
)
register(
    "setting-invalid",
    E,
    "Ugyldig indstilling",
    "{label}: {reason}. Ret værdien på arket Indstillinger eller slet den for at bruge standarden.",
)
