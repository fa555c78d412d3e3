"""Identifier checks: CPR-like numbers anywhere, and the one free text that reaches the politicians (the
municipality's name).

CPR numbers are ddmmyy-xxxx with a real date. People and programs separate the two parts with a hyphen, an en or em
dash, a minus sign, a (no-break, thin, narrow) space, a dot or a slash, or nothing; all of them are recognised. A
date that does not exist (31 February, month 13) is not a CPR number. Every pattern here is linear in the text.

The municipality cell is the only text from a workbook that the politicians' summary shows. It is shown only when
it is one of Denmark's 98 municipalities or reads like a municipality's name ("… Kommune") and holds no CPR-like
number: a person's name typed there never reaches the summary, and ``validate`` warns about it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from samarbejde_xl import schema
from samarbejde_xl.core.model import WorkbookData
from samarbejde_xl.core.problems import Problem, make_problem

_DASHES = "\\-\u00ad\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_SPACES = " \t\u00a0\u1680\u2000-\u200b\u202f\u205f\u2060\u3000\ufeff"
_SEPARATOR = f"[{_DASHES}{_SPACES}./]"
_SIX_DIGITS = re.compile(r"\d\d\d\d\d\d")
# Up to three separator characters ("010203 - 1234"); bounded, so the scan stays linear.
_CPR = re.compile(rf"(?<!\d)(\d{{2}})(\d{{2}})(\d{{2}}){_SEPARATOR}{{0,3}}\d{{4}}(?!\d)")


_DIGITS_AS_ZERO = bytes.maketrans(b"123456789", b"000000000")


def has_six_digits(text: str) -> bool:
    """Whether ``text`` has six digits in a row (``_SIX_DIGITS``), which every CPR-like number has. Latin-1 text
    (Danish included), whose only digits are 0-9, is checked by byte operations in C: several times faster."""
    try:
        latin1 = text.encode("latin-1")
    except UnicodeEncodeError:
        return _SIX_DIGITS.search(text) is not None
    return b"000000" in latin1.translate(_DIGITS_AS_ZERO)


def contains_cpr_like(text: str) -> bool:
    """True when ``text`` holds a ddmmyy-xxxx number (any separator, or none) whose date part is a real date."""
    if not has_six_digits(text):  # the common case, found by a cheaper test
        return False
    for match in _CPR.finditer(text):
        day, month, year = int(match.group(1)), int(match.group(2)), int(match.group(3))
        for century in (1900, 2000):  # 29 Feb: 00 is a leap year in 2000 only
            try:
                dt.date(century + year, month, day)
            except ValueError:
                continue
            return True
    return False


MUNICIPALITIES = (
    "Albertslund", "Allerød", "Assens", "Ballerup", "Billund", "Bornholm", "Brøndby", "Brønderslev", "Dragør",
    "Egedal", "Esbjerg", "Fanø", "Favrskov", "Faxe", "Fredensborg", "Fredericia", "Frederiksberg", "Frederikshavn",
    "Frederikssund", "Furesø", "Faaborg-Midtfyn", "Gentofte", "Gladsaxe", "Glostrup", "Greve", "Gribskov",
    "Guldborgsund", "Haderslev", "Halsnæs", "Hedensted", "Helsingør", "Herlev", "Herning", "Hillerød", "Hjørring",
    "Holbæk", "Holstebro", "Horsens", "Hvidovre", "Høje-Taastrup", "Hørsholm", "Ikast-Brande", "Ishøj", "Jammerbugt",
    "Kalundborg", "Kerteminde", "Kolding", "København", "Køge", "Langeland", "Lejre", "Lemvig", "Lolland",
    "Lyngby-Taarbæk", "Læsø", "Mariagerfjord", "Middelfart", "Morsø", "Norddjurs", "Nordfyn", "Nyborg", "Næstved",
    "Odder", "Odense", "Odsherred", "Randers", "Rebild", "Ringkøbing-Skjern", "Ringsted", "Roskilde", "Rudersdal",
    "Rødovre", "Samsø", "Silkeborg", "Skanderborg", "Skive", "Slagelse", "Solrød", "Sorø", "Stevns", "Struer",
    "Svendborg", "Syddjurs", "Sønderborg", "Thisted", "Tønder", "Tårnby", "Vallensbæk", "Varde", "Vejen", "Vejle",
    "Vesthimmerland", "Viborg", "Vordingborg", "Ærø", "Aabenraa", "Aalborg", "Aarhus",
)  # fmt: skip
"""Denmark's 98 municipalities (since 2007), by their short names."""

_KNOWN = frozenset(name.casefold() for name in MUNICIPALITIES) | {"københavn", "bornholms regionskommune"}
_SUFFIX = re.compile(r"(?:s)?\s*(?:regions)?kommune$")
_NAME_SHAPE = re.compile(r"[^\W\d_]+(?:[ \-][^\W\d_]+){0,2}")
MUNICIPALITY_MAX_LENGTH = 40


def public_municipality(text: str) -> str:
    """``text`` when it can be shown to politicians as the municipality's name, else ``""``."""
    name = " ".join(text.split())
    if not name or len(name) > MUNICIPALITY_MAX_LENGTH or contains_cpr_like(text):
        return ""
    folded = name.casefold()
    base = _SUFFIX.sub("", folded).strip(" -")
    if base in _KNOWN or folded in _KNOWN:
        return name
    ends_as_municipality = folded.endswith("kommune")
    return name if ends_as_municipality and _NAME_SHAPE.fullmatch(name) else ""


def settings_identifier_problems(
    file: str, municipality: str, settings: dict[str, object], version: int = schema.TEMPLATE_VERSION
) -> list[Problem]:
    """Warnings for identifiers in the Indstillinger sheet: a CPR-like number in any setting, and a municipality
    cell that is not a municipality's name (it would be left out of the politicians' summary)."""
    problems: list[Problem] = []
    values: list[tuple[str, object]] = [("municipality", municipality), *settings.items()]
    for key, value in values:
        if not isinstance(value, str) or key not in schema.SETTINGS_ROWS_BY_KEY:
            continue
        label = schema.SETTINGS_ROWS_BY_KEY[key].label
        if contains_cpr_like(value):
            code, params = "cpr-like", {"label": f"'{label}'"}
        elif key == "municipality" and value.strip() and not public_municipality(value):
            code, params = "municipality-unknown", {}
        else:
            continue
        place = schema.setting_place(key)
        sheet = schema.SHEET_SETTINGS
        problems.append(make_problem(code, file=file, sheet=sheet, place=place, template_version=version, **params))
    return problems


CPR_PLACEHOLDER = "(et CPR-lignende tal)"


def without_identifiers(data: WorkbookData) -> WorkbookData:
    """``data`` with every CPR-like settings value replaced by a placeholder, so no message repeats the number."""
    masked = {
        key: CPR_PLACEHOLDER if isinstance(value, str) and contains_cpr_like(value) else value
        for key, value in data.settings.items()
    }
    return data if masked == data.settings else dataclasses.replace(data, settings=masked)
