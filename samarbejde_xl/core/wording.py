"""Danish counts in the text users see: "1 arbejdsbog", "2 arbejdsbøger". Every command, the ribbon and the reports
count with ``counted`` so one noun is never inflected two ways."""

from __future__ import annotations

import errno
from collections.abc import Mapping
from types import MappingProxyType

PLURALS: Mapping[str, str] = MappingProxyType(
    {
        "advarsel": "advarsler",
        "arbejdsbog": "arbejdsbøger",
        "celle": "celler",
        "fejl": "fejl",
        "fil": "filer",
        "kvartal": "kvartaler",
        "møde": "møder",
        "indbygget fejl": "indbyggede fejl",
        "problem": "problemer",
        "projektmappe": "projektmapper",
        "sagsark": "sagsark",
        "ulæselig": "ulæselige",
        "ung": "unge",
    }
)
"""Singular -> plural of the nouns the tools count (Danish plurals cannot be guessed from the singular)."""


def counted(count: int, singular: str) -> str:
    """``count`` and the noun in the number it needs: counted(1, "ung") == "1 ung", counted(3, "ung") == "3 unge"."""
    return f"{count} {singular if count == 1 else PLURALS[singular]}"


OS_ERRORS: Mapping[int, str] = MappingProxyType(
    {
        errno.ENOENT: "filen eller mappen findes ikke",
        errno.EACCES: "adgang nægtet",
        errno.EPERM: "handlingen er ikke tilladt",
        errno.EEXIST: "der findes allerede en fil med det navn",
        errno.ENOTDIR: "en del af stien er en fil, ikke en mappe",
        errno.EISDIR: "det er en mappe",
        errno.ENOSPC: "der er ikke mere plads på disken",
        errno.EROFS: "filsystemet er skrivebeskyttet",
        errno.ENAMETOOLONG: "navnet er for langt",
        errno.EBUSY: "filen er i brug",
    }
)
"""The operating system's reasons in Danish: its own texts follow the system's language, usually English."""


def os_reason(error: OSError) -> str:
    """Why a file operation failed, in Danish where the reason is a common one (else the system's own text)."""
    return OS_ERRORS.get(error.errno or 0) or error.strerror or str(error)


DAMAGED_PACKAGE = "filen er afkortet eller ødelagt"
"""Why a zip package could not be unpacked: zipfile's and zlib's own texts (English) name a header or a byte that
tells a user nothing."""


def package_reason(error: BaseException) -> str:
    """Why a workbook's zip package could not be read, in Danish: the operating system's reason for a read error,
    else that the file is cut short or damaged."""
    return os_reason(error) if isinstance(error, OSError) else DAMAGED_PACKAGE
