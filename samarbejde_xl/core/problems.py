"""Problems are data: a stable code, a severity, a place and a Danish message that says what to do.

Every code the tools can report is registered here once, with its severity and message template.

A problem names a logical place (``schema.Place``: a field, a block's row and column, a Mødetjekliste cell, a
setting), never a cell of some template version: the core works in the current layout only. The cell users see
is :attr:`Problem.cell`, which the layout of the file's own template version gives when the problem is shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from types import MappingProxyType

from samarbejde_xl import schema
from samarbejde_xl.schema import SHEET_CHECKLIST, SHEET_SETTINGS, WHOLE_SHEET, Place


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
    place: Place  # logical: the layout of ``template_version`` turns it into :attr:`cell`
    message: str  # Danish, says what to do
    case_id: str = ""
    template_version: int = schema.TEMPLATE_VERSION  # of the file the problem is about

    @cached_property
    def cell(self) -> str:
        """ "B6" in the file's own template version, or "" when the problem is about a whole sheet or file (or a
        place that version did not have)."""
        return schema.template_layout(self.template_version).cell_of(self.place)

    @property
    def where(self) -> str:
        """File, sheet and cell, as messages show them."""
        where = f"{self.sheet}!{self.cell}" if self.cell else self.sheet
        return f"{self.file}: {where}" if where else self.file

    def __str__(self) -> str:
        return f"{self.where}: {self.severity.value} [{self.code}] {self.message}"


_registered: dict[str, ProblemType] = {}  # filled while this module is imported, then frozen as PROBLEM_TYPES


def register(code: str, severity: Severity, title: str, template: str) -> ProblemType:
    """Only while this module is imported (``_registered`` is deleted after the last type)."""
    if code in _registered:  # noqa: F821
        raise ValueError(f"problem code {code!r} registered twice")
    kind = ProblemType(code, severity, template, title)
    _registered[code] = kind  # noqa: F821
    return kind


def make_problem(
    code: str,
    *,
    file: str,
    sheet: str,
    place: Place = WHOLE_SHEET,
    case_id: str = "",
    template_version: int = schema.TEMPLATE_VERSION,
    **params: object,
) -> Problem:
    if "cell" in params:  # a cell belongs to one template version; the place is the same in all of them
        raise TypeError("make_problem takes a place (schema.Place), not a cell")
    kind = PROBLEM_TYPES[code]
    # Templates may name the file and sheet too ('{sheet}'), e.g. unknown-sheet / missing-sheet.
    message = kind.template.format(**{"file": file, "sheet": sheet, **params})
    return Problem(code, kind.severity, file, sheet, place, message, case_id, template_version)


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
    "error-value",
    E,
    "Fejlværdi i et indtastningsfelt",
    "{label} viser fejlværdien {error} i stedet for en værdi. Skriv værdien direkte i cellen (uden formel), "
    "eller slet cellens indhold, hvis feltet skal stå tomt.",
)
register(
    "cpr-like",
    W,
    "Muligt CPR-nummer i fritekst",
    "{label} ser ud til at indeholde et CPR-nummer. Slet det: værktøjet har aldrig brug for CPR-numre "
    "(dataminimering).",
)
register(
    "municipality-unknown",
    W,
    "Kommune er ikke et kommunenavn",
    "Kommune-feltet ligner ikke navnet på en kommune, så det vises ikke i sammenfatningen til politikere. Skriv "
    "kommunens navn (fx 'Aarhus Kommune'), aldrig en persons navn eller et CPR-nummer.",
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
    f"Kolonneoverskrift i {SHEET_CHECKLIST} er ændret",
    "Kolonnen skulle hedde '{expected}' men hedder '{found}'. Ret overskriften tilbage; "
    f"flyt ikke kolonner i {SHEET_CHECKLIST}.",
)
register(
    "setting-invalid",
    E,
    "Ugyldig indstilling",
    "{label}: {reason}. Ret værdien på arket " + SHEET_SETTINGS + " eller slet den for at bruge standarden.",
)


# Parser codes added by the reader (core/parse.py).
register(
    "number-as-text",
    W,
    "Tal skrevet som tekst",
    "'{value}' i {label} er gemt som tekst. Værdien bruges, men skriv tallet igen, så Excel gemmer det som et tal.",
)
register(
    "hidden-case-sheet",
    W,
    "Skjult sagsark",
    "Sagsarket '{sheet}' er skjult, men bliver læst med. Vis arket igen (højreklik på en arkfane > Vis), "
    "eller flyt sagen ud af projektmappen, hvis den ikke længere hører til her.",
)
register(
    "checklist-not-read",
    E,
    f"{SHEET_CHECKLIST} kunne ikke læses",
    "Møderne i " + SHEET_CHECKLIST + " er ikke læst, fordi kolonnen '{expected}' mangler. "
    "Ret overskriften tilbage til '{expected}' og kør igen.",
)


# --------------------------------------------------------------------------------------------------
# Validation rules (core/validation.py): rules beyond a single cell. Dates in messages are dd-mm-åååå.
# --------------------------------------------------------------------------------------------------
register(
    "inclusion-before-birth",
    E,
    "Inklusion før fødsel",
    "Inklusionsdatoen {inclusion} ligger før fødselsdatoen {birth}. Ret inklusionsdatoen eller fødselsdatoen.",
)
register(
    "end-before-inclusion",
    E,
    "Slutdato før inklusion",
    "Slutdatoen {end} ligger før inklusionsdatoen {inclusion}. Ret slutdatoen eller inklusionsdatoen.",
)
register(
    "inclusion-too-young",
    E,
    "For ung ved inklusion",
    "Den unge var {age} år ved inklusionen den {inclusion} (fødselsdato {birth}), men i varianten {variant} "
    "skal den unge være mindst {min_age} år. Ret fødselsdatoen eller inklusionsdatoen, eller tjek modelvarianten.",
)
register(
    "inclusion-before-start-age",
    W,
    "Inkluderet før forløbets startalder",
    "Den unge var {age} år ved inklusionen den {inclusion} (fødselsdato {birth}). I varianten {variant} starter "
    "forløbet først på {start_age}-årsdagen {start}, og mødeplanen regnes derfra. "
    "Tjek fødselsdatoen og inklusionsdatoen.",
)
register(
    "inclusion-after-end-age",
    E,
    "Inkluderet efter forløbets slutalder",
    "Den unge var {age} år ved inklusionen den {inclusion} (fødselsdato {birth}), men forløbet i varianten "
    "{variant} slutter på {end_age}-årsdagen {course_end}. Ret fødselsdatoen eller inklusionsdatoen, "
    "eller tjek modelvarianten.",
)
register(
    "active-past-end-age",
    W,
    "Aktiv sag efter aldersgrænsen",
    "Den unge fyldte {end_age} år den {course_end}, og forløbet i varianten {variant} er slut. "
    "Udfyld slutdato og slutårsag ('{reason}').",
)
register(
    "end-after-end-age",
    W,
    "Slutdato efter aldersgrænsen",
    "Slutdatoen {end} ligger efter {end_age}-årsdagen {course_end}, hvor forløbet i varianten {variant} slutter. "
    "Ret slutdatoen til senest {course_end}.",
)
register(
    "meeting-before-birth",
    E,
    "Møde før fødselsdato",
    "Mødet den {date} ligger før fødselsdatoen {birth} for {case}. Ret mødedatoen eller fødselsdatoen.",
)
register(
    "meeting-in-future",
    E,
    "Møde i fremtiden",
    "Mødet den {date} ligger efter dags dato ({today}). {checklist} er kun til afholdte møder: "
    "ret datoen, eller registrér mødet, når det er holdt.",
)
register(
    "meeting-before-inclusion",
    W,
    "Møde før inklusion",
    "Mødet den {date} ligger før inklusionsdatoen {inclusion} for {case} og tæller ikke med i forløbet. "
    "Ret mødedatoen eller inklusionsdatoen.",
)
register(
    "meeting-after-end",
    W,
    "Møde efter slutdato",
    "Mødet den {date} ligger efter slutdatoen {end} for {case}. Ret mødedatoen, eller slet slutdatoen, "
    "hvis forløbet fortsætter.",
)
register(
    "meeting-unknown-case",
    E,
    "Møde for en ukendt ung",
    "Der er intet sagsark med Ung-id '{case}'. Ret id'et i {checklist}, eller opret sagen med knappen Ny sag.",
)
register(
    "meeting-case-id-spelling",
    E,
    "Ung-id stavet anderledes end på sagsarket",
    "Ung-id '{case}' i {checklist} er stavet anderledes end '{spelled}' på arket '{other_sheet}', så mødet tæller "
    "ikke med. Skriv id'et præcis som på sagsarket.",
)
register(
    "no-meetings",
    W,
    "Intet startmøde registreret",
    "Startmødet for {case} skulle være holdt senest {deadline} ({days} dage efter {start}), men der er ingen "
    "møder i {checklist}. Hold startmødet og registrér det i {checklist}.",
)
register(
    "duplicate-case-id",
    E,
    "Ung-id bruges på flere sagsark",
    "Ung-id '{case}' bruges også på arket '{other_sheet}' (store og små bogstaver og mellemrum gør ikke id'et til "
    "et andet). Hver ung skal have sit eget id: ret id'et på et af arkene.",
)
register(
    "duplicate-case-id-across",
    E,
    "Ung-id findes i flere arbejdsbøger",
    "Ung-id '{case}' findes også i {other_file} (arket '{other_sheet}'; store og små bogstaver og mellemrum gør "
    "ikke id'et til et andet). En ung må kun have ét sagsark: "
    "ret id'et, eller flyt sagen, så den kun ligger i én arbejdsbog.",
)
register(
    "agreement-no-responsible",
    W,
    "Aftale uden ansvarlig",
    "Aftalen {agreement} har ingen ansvarlig. Vælg i kolonnen '{column}', hvem der gør hvad.",
)
register(
    "agreement-no-deadline",
    W,
    "Aftale uden frist",
    "Aftalen {agreement} har ingen frist. Skriv en dato i kolonnen '{column}', så det er klart, hvornår der følges op.",
)
register(
    "agreement-overdue",
    W,
    "Aftale over fristen uden opfølgning",
    "Fristen {deadline} for aftalen {agreement} er overskredet, og der er ikke fulgt op siden. Følg op på aftalen: "
    "skriv datoen i '{followed_column}' og opdatér '{status_column}'.",
)
register(
    "no-network-adult",
    W,
    "Ingen den unges voksne/netværksperson",
    "Der er holdt møder, men ingen i netværket er markeret som {role}. Find {role} sammen med den unge, "
    "og skriv 'ja' i kolonnen '{column}'.",
)
register(
    "team-no-coordinator",
    E,
    "Teamet mangler koordinator/guide",
    "Ingen i teamet har professionen '{profession}'. Tilføj {role} i {block} med professionen '{profession}'.",
)
register(
    "team-no-uu",
    W,
    "Teamet mangler UU-vejleder",
    "I varianten udsatte skal UU-vejlederen være med i teamet, men ingen har professionen '{profession}'. "
    "Tilføj UU-vejlederen i {block}.",
)
register(
    "team-no-jobcenter",
    W,
    "Teamet mangler jobcenterkonsulent",
    "I varianten udsatte skal jobcentret være med i teamet, men ingen har professionen '{profession}'. "
    "Tilføj jobcenterkonsulenten i {block}.",
)
register(
    "consent-missing",
    E,
    "Intet gyldigt samtykke",
    "Der er holdt møder, men der er intet gyldigt samtykke (med dato og ikke tilbagekaldt). Indhent samtykke, "
    "og skriv datoen i {block}.",
)
register(
    "consent-not-renewed",
    W,
    "Samtykke ikke fornyet efter 18 år",
    "Den unge fyldte 18 år den {birthday}, og der er ikke givet samtykke siden. Indhent nyt samtykke fra den unge, "
    "og skriv datoen i {block}. Forældre må først deltage igen, når den unge selv har sagt ja.",
)

PROBLEM_TYPES: Mapping[str, ProblemType] = MappingProxyType(_registered)
del _registered  # the problem types are fixed from here on: the core keeps no mutable state

VALIDATION_CODES: tuple[str, ...] = (
    "setting-invalid",
    "inclusion-before-birth",
    "end-before-inclusion",
    "inclusion-too-young",
    "inclusion-before-start-age",
    "inclusion-after-end-age",
    "active-past-end-age",
    "end-after-end-age",
    "meeting-before-birth",
    "meeting-in-future",
    "meeting-before-inclusion",
    "meeting-after-end",
    "meeting-unknown-case",
    "meeting-case-id-spelling",
    "no-meetings",
    "duplicate-case-id",
    "duplicate-case-id-across",
    "agreement-no-responsible",
    "agreement-no-deadline",
    "agreement-overdue",
    "no-network-adult",
    "team-no-coordinator",
    "team-no-uu",
    "team-no-jobcenter",
    "consent-missing",
    "consent-not-renewed",
)
"""Codes reported by core/validation.py (``setting-invalid`` is registered above, with the reading codes)."""
