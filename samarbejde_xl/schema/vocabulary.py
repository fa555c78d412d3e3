"""The vocabulary the rules need: value kinds, the coded dropdown lists and their Danish labels.

Choices (variant, meeting kind, profession, education, job, goal status, life area, plan status …) map a stable
code to the Danish text users pick; the rules in ``core`` speak in codes. Nothing here says where anything sits in
a workbook: that is :mod:`samarbejde_xl.schema.layout`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property


class Kind(StrEnum):
    """What a cell holds; decides parsing, validation and number format."""

    TEXT = "text"  # short text (names, initials, ids)
    FREE_TEXT = "free_text"  # notes: scanned for CPR-like numbers
    DATE = "date"
    INTEGER = "integer"  # whole number >= 0 (counts)
    SCORE = "score"  # life-area score, whole number 1-10
    INVOLVEMENT = "involvement"  # 1-5 or "ved ikke"
    CHOICE = "choice"  # a value from a dropdown list
    YES_NO = "yes_no"  # "ja" / "nej"
    NUMBER = "number"  # any number (settings)


YES = "ja"
NO = "nej"
DONT_KNOW = "ved ikke"


@dataclass(frozen=True)
class Choice:
    """A dropdown list: the Danish values users pick from, and the stable code for each."""

    name: str
    title: str  # header on the Lister sheet
    values: tuple[tuple[str, str], ...]  # (code, Danish label)

    @cached_property
    def labels(self) -> tuple[str, ...]:
        return tuple(label for _, label in self.values)

    @cached_property
    def codes(self) -> tuple[str, ...]:
        return tuple(code for code, _ in self.values)

    def code_of(self, label: str) -> str | None:
        """Danish label (case and surrounding space ignored) -> code, or None."""
        wanted = label.strip().casefold()
        for code, text in self.values:
            if text.casefold() == wanted:
                return code
        return None

    def label_of(self, code: str) -> str:
        for known, text in self.values:
            if known == code:
                return text
        raise KeyError(f"{self.name}: unknown code {code!r}")


def _choice(name: str, title: str, *values: tuple[str, str]) -> Choice:
    return Choice(name, title, tuple(values))


VARIANT = _choice(
    "variant",
    "Modelvariant",
    ("udsatte", "udsatte"),
    ("psykisk", "psykisk"),
)
YES_NO = _choice("yes_no", "Ja/nej", ("yes", YES), ("no", NO))
MEETING_KIND = _choice(
    "meeting_kind",
    "Mødetype",
    ("start", "Startmøde"),
    ("m16", "Møde ved 16 år"),
    ("m17_5", "Møde ved 17½ år"),
    ("m18_5", "Møde ved 18½ år"),
    ("quarterly", "Kvartalsmøde"),
    ("follow_up", "Opfølgningsmøde"),
    ("extra", "Ekstra møde"),
    ("end", "Slutmøde"),
)
PROFESSION = _choice(
    "profession",
    "Profession",
    ("coordinator", "koordinator/guide"),
    ("caseworker_youth", "sagsbehandler børn og unge"),
    ("caseworker_adult", "sagsbehandler voksen"),
    ("jobcenter", "jobcenterkonsulent"),
    ("rehab_team", "rehabiliteringsteam/koordinerende sagsbehandler"),
    ("uu", "UU-vejleder"),
    ("child_psychiatry", "børne- og ungdomspsykiatri"),
    ("adult_psychiatry", "voksenpsykiatri"),
    ("contact_person", "kontaktperson"),
    ("substance_abuse", "misbrugskonsulent/-behandler"),
    ("treatment_institution", "behandlingsinstitution"),
    ("placement", "anbringelsessted"),
    ("education_institution", "uddannelsesinstitution"),
    ("icm", "ICM/case manager (bostøtte)"),
    ("other", "andet"),
)
RESPONSIBLE = Choice(
    "responsible",
    "Ansvarlig",
    (("young_person", "den unge"), *PROFESSION.values),
)
EDUCATION = _choice(
    "education",
    "Uddannelse",
    ("none", "ingen"),
    ("primary", "grundskole/10. klasse"),
    ("fgu", "FGU"),
    ("stu", "STU"),
    ("youth_education", "ungdomsuddannelse"),
    ("higher", "videregående uddannelse"),
    ("other", "anden uddannelse"),
)
JOB = _choice(
    "job",
    "Job",
    ("none", "intet job"),
    ("ordinary", "ordinært job"),
    ("flex", "fleksjob/løntilskud"),
    ("internship", "praktik"),
)
GOAL_STATUS = _choice(
    "goal_status",
    "Status på aftale",
    ("not_started", "ikke startet"),
    ("in_progress", "i gang"),
    ("met", "nået"),
    ("abandoned", "opgivet"),
)
CONSENT_GIVEN_BY = _choice(
    "consent_given_by",
    "Samtykke givet af",
    ("young_person", "den unge"),
    ("custody_holder", "forældremyndighedsindehaver"),
    ("both", "begge"),
)
CLOSENESS = _choice(
    "closeness",
    "Nærhed",
    ("close", "tæt"),
    ("medium", "mellem"),
    ("distant", "fjern"),
)
END_REASON = _choice(
    "end_reason",
    "Slutårsag",
    ("goals_met", "mål nået"),
    ("declined", "ønsker ikke at deltage"),
    ("moved", "flyttet"),
    ("age", "aldersgrænse nået"),
    ("other", "andet"),
)
SCORED_BY = _choice(
    "scored_by",
    "Scoret af",
    ("young_person", "den unge"),
    ("professional", "fagperson"),
    ("together", "sammen"),
)
INVOLVEMENT_ANSWER = _choice(
    "involvement",
    "Inddragelse",
    ("1", "1"),
    ("2", "2"),
    ("3", "3"),
    ("4", "4"),
    ("5", "5"),
    ("dont_know", DONT_KNOW),
)
LIFE_AREA = _choice(
    "life_area",
    "Livsområde",
    ("social", "Socialt liv"),
    ("economy", "Økonomi"),
    ("work", "Arbejde"),
    ("wellbeing", "Psykisk velbefindende"),
    ("substances", "Rusmidler"),
    ("practical", "Praktiske opgaver"),
    ("education", "Uddannelse"),
    ("physical", "Fysisk tilstand"),
    ("family", "Familieforhold"),
    ("housing", "Bolig"),
)
QUARTERLY_MODE = _choice(
    "quarterly_mode",
    "Kvartalsmøder",
    ("rolling", "3 måneder efter seneste møde"),
    ("calendar", "ét pr. kvartal"),
)
PLAN_STATUS = _choice(
    "plan_status",
    "Mødestatus",
    ("held", "afholdt"),
    ("held_late", "afholdt for sent"),
    ("soon", "snart"),
    ("overdue", "forfalden"),
    ("planned", "planlagt"),
    ("not_applicable", "ikke relevant"),
)

LISTS: tuple[Choice, ...] = (
    VARIANT,
    YES_NO,
    MEETING_KIND,
    PROFESSION,
    RESPONSIBLE,
    EDUCATION,
    JOB,
    GOAL_STATUS,
    CONSENT_GIVEN_BY,
    CLOSENESS,
    END_REASON,
    SCORED_BY,
    INVOLVEMENT_ANSWER,
    LIFE_AREA,
    QUARTERLY_MODE,
    PLAN_STATUS,
)
LISTS_BY_NAME: dict[str, Choice] = {choice.name: choice for choice in LISTS}


# Keys of the Mødetjekliste record fields that come in families (one per profession, life area, item).
PROFESSION_PRESENT_PREFIX = "professions_present."
SCORE_PREFIX = "score."
INVOLVEMENT_PREFIX = "involvement."

INVOLVEMENT_ITEMS: tuple[tuple[str, str], ...] = (
    ("heard", "Jeg blev hørt"),
    ("decided_goals", "Jeg var med til at bestemme mine mål"),
    ("knows_who", "Jeg ved, hvem der gør hvad"),
    ("useful", "Mødet var nyttigt for mig"),
    ("safe", "Jeg er tryg ved min guide/koordinator"),
)


# Settings a municipality may override (core.settings interprets them).


@dataclass(frozen=True)
class SettingRow:
    """A setting the rules read: ``key`` names it in core.settings, ``label`` on the Indstillinger sheet. The layout
    gives it a row, in the order of :data:`SETTINGS_ROWS`; an empty value = default."""

    key: str
    label: str
    kind: Kind
    choice: Choice | None = None
    help: str = ""


SETTINGS_ROWS: tuple[SettingRow, ...] = (
    SettingRow("municipality", "Kommune", Kind.TEXT, help="Kommunens navn, vises i rapporten."),
    SettingRow("template_version", "Skabelonversion", Kind.INTEGER, help="Sættes af værktøjet. Ændr ikke."),
    SettingRow(
        "default_variant", "Standard-modelvariant", Kind.CHOICE, VARIANT, help="Forvalgt variant for nye sager."
    ),
    SettingRow(
        "udsatte.start_age",
        "udsatte: forløb starter ved alder (år)",
        Kind.INTEGER,
        help="Forløbet i udsatte starter ved denne fødselsdag eller ved inklusion, hvis den er senere.",
    ),
    SettingRow(
        "udsatte.end_age",
        "udsatte: forløb slutter ved alder (år)",
        Kind.INTEGER,
        help="Forløbet i udsatte slutter ved denne fødselsdag, hvis det ikke er afsluttet før; derefter kræves intet "
        "møde.",
    ),
    SettingRow(
        "psykisk.min_inclusion_age",
        "psykisk: laveste alder ved inklusion (år)",
        Kind.INTEGER,
        help="Den yngste alder, en ung kan inkluderes i psykisk ved (målgruppen er 16–24 år; nogle kommuner bruger "
        "15).",
    ),
    SettingRow(
        "psykisk.end_age",
        "psykisk: forløb slutter ved alder (år)",
        Kind.INTEGER,
        help="Forløbet i psykisk slutter ved denne fødselsdag, hvis det ikke er afsluttet før; derefter kræves intet "
        "møde.",
    ),
    SettingRow(
        "start_window_days",
        "Startmøde: dage efter inklusion",
        Kind.INTEGER,
        help="Startmødet skal holdes senest så mange dage efter inklusionsdatoen; derefter står det som forfaldent.",
    ),
    SettingRow(
        "m16.before_days",
        "Møde ved 16 år: dage før",
        Kind.INTEGER,
        help="Mødet ved 16 år (udsatte) tæller, når det holdes tidligst så mange dage før 16-årsdagen.",
    ),
    SettingRow(
        "m16.after_days",
        "Møde ved 16 år: dage efter",
        Kind.INTEGER,
        help="Mødet ved 16 år tæller, når det holdes senest så mange dage efter 16-årsdagen; derefter er det "
        "forfaldent.",
    ),
    SettingRow(
        "m17_5.before_days",
        "Møde ved 17½ år: dage før",
        Kind.INTEGER,
        help="Mødet ved 17½ år tæller, når det holdes tidligst så mange dage før den unge fylder 17½.",
    ),
    SettingRow(
        "m17_5.after_days",
        "Møde ved 17½ år: dage efter",
        Kind.INTEGER,
        help="Dage efter 17½ år, hvor mødet stadig tæller. Standarden er 0, fordi afgørelsen om støtte efter 18 skal "
        "træffes senest et halvt år før 18-årsdagen (barnets lov § 111).",
    ),
    SettingRow(
        "m18_5.before_days",
        "Møde ved 18½ år: dage før",
        Kind.INTEGER,
        help="Mødet ved 18½ år tæller, når det holdes tidligst så mange dage før den unge fylder 18½.",
    ),
    SettingRow(
        "m18_5.after_days",
        "Møde ved 18½ år: dage efter",
        Kind.INTEGER,
        help="Mødet ved 18½ år tæller, når det holdes senest så mange dage efter; derefter er det forfaldent.",
    ),
    SettingRow(
        "follow_up_months",
        "udsatte: opfølgning hver (måneder)",
        Kind.INTEGER,
        help="I udsatte forfalder et opfølgningsmøde så mange måneder efter det seneste afholdte møde.",
    ),
    SettingRow(
        "follow_up_window_days",
        "udsatte: opfølgning, dage efter forfald",
        Kind.INTEGER,
        help="Et opfølgningsmøde tæller, når det holdes senest så mange dage efter, at det forfaldt.",
    ),
    SettingRow(
        "quarterly_mode",
        "psykisk: kvartalsmøder",
        Kind.CHOICE,
        QUARTERLY_MODE,
        help="Indtil 18 år holdes møder hvert kvartal: enten 3 måneder efter seneste møde eller ét i hvert "
        "kalenderkvartal.",
    ),
    SettingRow(
        "quarterly_window_days",
        "psykisk: kvartalsmøde, dage efter forfald",
        Kind.INTEGER,
        help="Et kvartalsmøde tæller, når det holdes senest så mange dage efter, at det forfaldt.",
    ),
    SettingRow(
        "soon_days",
        "Vis 'snart' når vinduet lukker inden for (dage)",
        Kind.INTEGER,
        help="Et møde står som snart i mødeplanen og Oversigt, når dets vindue lukker inden for så mange dage.",
    ),
    SettingRow(
        "attendance_strict",
        "Mødet tæller kun, hvis den unge deltog",
        Kind.YES_NO,
        YES_NO,
        help="ja: et krævet møde er kun holdt, når den unge deltog. nej: ethvert afholdt møde i vinduet tæller.",
    ),
    SettingRow(
        "programme_counts_as_job",
        "Beskæftigelsesrettet forløb tæller som job",
        Kind.YES_NO,
        YES_NO,
        help="ja: et beskæftigelsesrettet forløb tæller som job i udfaldet, som i modellens egne resultater.",
    ),
)
SETTINGS_ROWS_BY_KEY: dict[str, SettingRow] = {row.key: row for row in SETTINGS_ROWS}
