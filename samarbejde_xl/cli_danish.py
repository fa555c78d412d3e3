"""click's own words in Danish: its usage lines, headings and error messages ("Usage:", "Error: No such option …").

click marks each of them for gettext (``_("Usage:")``, ``ngettext(...)``), but gettext picks a language from
environment variables that a coordinator's Windows PC does not set, and click ships no Danish catalogue. So the
command line installs this one: :func:`install` points the ``_`` and ``ngettext`` that click's modules call at the
tables below. A message click adds in a later version stays English until it is added here; a test lists every
message click marks and fails on one that is neither translated nor in ``NOT_FOR_USERS``.
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType

DANISH: dict[str, str] = {
    # Help pages
    "Usage:": "Brug:",
    "Options": "Tilvalg",
    "Commands": "Kommandoer",
    "Positional arguments": "Argumenter",
    "Show this message and exit.": "Vis denne hjælp og afslut.",
    "Show the version and exit.": "Vis versionen og afslut.",
    "%(prog)s, version %(version)s": "%(prog)s version %(version)s",
    "default: {default}": "standard: {default}",
    "env var: {var}": "miljøvariabel: {var}",
    "required": "påkrævet",
    "(dynamic)": "(beregnes)",
    "deprecated": "forældet",
    "Choose from:\n\t{choices}": "Vælg mellem:\n\t{choices}",
    # Errors
    "Error: {message}": "Fejl: {message}",
    "Try '{command} {option}' for help.": "Skriv '{command} {option}' for at få hjælp.",
    "Aborted!": "Afbrudt!",
    "Missing command.": "Der mangler en kommando.",
    "Invalid value: {message}": "Ugyldig værdi: {message}",
    "Invalid value for {param_hint}: {message}": "Ugyldig værdi for {param_hint}: {message}",
    "Missing argument": "Mangler argumentet",
    "Missing option": "Mangler tilvalget",
    "Missing parameter": "Mangler parameteren",
    "Missing {param_type}": "Mangler {param_type}",
    "Missing parameter: {param_name}": "Mangler parameteren {param_name}",
    "No such option {name!r}.": "Tilvalget {name!r} findes ikke.",
    "No such command {name!r}.": "Kommandoen {name!r} findes ikke.",
    "unknown error": "ukendt fejl",
    "Could not open file {filename!r}: {message}": "Filen {filename!r} kunne ikke åbnes: {message}",
    "Invalid start character for option ({option})": "Ugyldigt første tegn i tilvalget ({option})",
    "Argument {name!r} takes {nargs} values.": "Argumentet {name!r} skal have {nargs} værdier.",
    "Option {name!r} does not take a value.": "Tilvalget {name!r} tager ingen værdi.",
    "Value must be an iterable.": "Værdien skal være en liste.",
    "{value!r} is not a valid {number_type}.": "{value!r} er ikke et gyldigt tal.",
    "{value} is not in the range {range}.": "{value} ligger uden for {range}.",
    "{value!r} is not a valid boolean. Recognized values: {states}": (
        "{value!r} er hverken ja eller nej. Mulige værdier: {states}"
    ),
    "{value!r} is not a valid UUID.": "{value!r} er ikke et gyldigt UUID.",
    "file": "fil",
    "directory": "mappe",
    "path": "sti",
    "{name} {filename!r} does not exist.": "{name} {filename!r} findes ikke.",
    "{name} {filename!r} is a file.": "{name} {filename!r} er en fil, ikke en mappe.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} er en mappe, ikke en fil.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} kan ikke læses (ingen adgang).",
    "{name} {filename!r} is not writable.": "{name} {filename!r} kan ikke skrives (ingen adgang).",
    "{name} {filename!r} is not executable.": "{name} {filename!r} kan ikke køres.",
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}": (
        "Advarsel: kommandoen {name!r} udgår.{extra_message}"
    ),
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}": (
        "Advarsel: {name!r} udgår.{extra_message}"
    ),
    # Prompts
    "Do you want to continue?": "Vil du fortsætte?",
    "Confirm the action without prompting.": "Bekræft uden at spørge.",
    "Repeat for confirmation": "Gentag for at bekræfte",
    "Error: The two entered values do not match.": "Fejl: de to indtastninger er ikke ens.",
    "Error: invalid input": "Fejl: ugyldig indtastning",
    "Press any key to continue...": "Tryk på en tast for at fortsætte …",
    "{editor}: Editing failed": "{editor}: redigeringen mislykkedes",
    "{editor}: Editing failed: {e}": "{editor}: redigeringen mislykkedes: {e}",
    "Windows error: {error}": "Windows-fejl: {error}",
}
"""click's message -> Danish (the same placeholders; a placeholder left out is simply not shown)."""

DANISH_PLURALS: dict[tuple[str, str], tuple[str, str]] = {
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"): (
        "Uventet ekstra argument ({args})",
        "Uventede ekstra argumenter ({args})",
    ),
    ("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."): (
        "Skal have {nargs} værdier, men fik 1.",
        "Skal have {nargs} værdier, men fik {len}.",
    ),
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"): (
        "Mente du {possibility}?",
        "(Mente du en af disse: {possibilities}?)",
    ),
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."): (
        "Tilvalget {name!r} skal have en værdi.",
        "Tilvalget {name!r} skal have {nargs} værdier.",
    ),
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."): (
        "{value!r} er ikke {choice}.",
        "{value!r} er ikke en af {choices}.",
    ),
    ("{value!r} does not match the format {format}.", "{value!r} does not match the formats {formats}."): (
        "{value!r} passer ikke til formatet {format}.",
        "{value!r} passer ikke til nogen af formaterne {formats}.",
    ),
    (
        "{len_type} values are required, but {len_value} was given.",
        "{len_type} values are required, but {len_value} were given.",
    ): (
        "Der skal være {len_type} værdier, men der blev givet {len_value}.",
        "Der skal være {len_type} værdier, men der blev givet {len_value}.",
    ),
}
"""click's (singular, plural) -> Danish (singular, plural)."""

NOT_FOR_USERS = frozenset(
    {
        "d",  # a format letter in the progress bar, not a word
        "Choice({choices})",  # a repr
        "Name '{name}' defined twice",
        "Boolean option {decl!r} cannot use the same flag for true/false.",
        "Could not determine name for option with declarations {decls!r}",
        "No options defined but a name was passed ({name}). Did you mean to declare an argument instead? Did you mean "
        "to pass '--{name}'?",
        "Arguments take exactly one parameter declaration, got {length}: {decls}.",
        "Shell completion is not supported for Bash versions older than 4.4.",
        "Couldn't detect Bash version, shell completion is not supported.",
        "Unknown color {colour!r}",
        "Unknown standard stream '{name}'",
    }
)
"""click's messages that only a programmer meets (a wrong command definition, shell completion, colours): left in
English, so a change of the code under them is not hidden behind a translation."""

OPTIONS_METAVAR = "[TILVALG]"
SUBCOMMAND_METAVAR = "KOMMANDO [ARGUMENTER]..."

CLICK_MODULES = (
    "click.core",
    "click.decorators",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.termui",
    "click.types",
    "click.utils",
    "click._termui_impl",
)
"""click's modules that call ``_`` or ``ngettext`` on a message (``_winconsole`` only exists on Windows)."""


def gettext(message: str) -> str:
    return DANISH.get(message, message)


def ngettext(singular: str, plural: str, count: int) -> str:
    danish = DANISH_PLURALS.get((singular, plural))
    if danish is None:
        return singular if count == 1 else plural
    return danish[0] if count == 1 else danish[1]


def install() -> None:
    """Let click speak Danish in this process (idempotent)."""
    names = [*CLICK_MODULES, "click._winconsole"] if sys.platform == "win32" else CLICK_MODULES
    modules: list[ModuleType] = [importlib.import_module(name) for name in names]
    for module in modules:
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]
