"""Option bundles and error translation shared by the command modules."""

from __future__ import annotations

import codecs
import functools
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar

import click

from samarbejde_xl.core.errors import SamarbejdeError, SettingsError, WorkbookError
from samarbejde_xl.core.parse import guess_date
from samarbejde_xl.core.settings import DEFAULT_SETTINGS, Settings, parse_settings_toml
from samarbejde_xl.core.wording import os_reason
from samarbejde_xl.fileio import OutputChoiceError, OutputRefusedError
from samarbejde_xl.safe_text import display_text
from samarbejde_xl.schema import SHEET_SETTINGS

F = TypeVar("F", bound=Callable[..., Any])


class UnreadableInput(click.ClickException):
    """An input file that cannot be read at all: exit code 2, like a usage error."""

    exit_code = 2


if TYPE_CHECKING:  # click 8.5 made ParamType generic; older versions cannot subscript it at runtime
    _DateParamType = click.ParamType[datetime, Any]
else:
    _DateParamType = click.ParamType


FIRST_YEAR, LAST_YEAR = 1950, 2200
"""The years --today and --quarter accept: every rule's date arithmetic stays far from the calendar's ends."""


class IsoDate(_DateParamType):
    """A date written YYYY-MM-DD; a Danish spelling such as 01-10-2026 gets the ISO form it means as a hint."""

    name = "ÅÅÅÅ-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> datetime:
        if isinstance(value, datetime):
            return value
        text = str(value).strip()
        try:
            parsed = datetime.strptime(text, "%Y-%m-%d")
        except ValueError:
            meant = guess_date(text)
            hint = f"; mente du {meant.isoformat()}?" if meant is not None else ", fx 2026-10-01"
            self.fail(f"{text!r} er ikke en dato skrevet ÅÅÅÅ-MM-DD{hint}", param, ctx)
        if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
            self.fail(f"{text}: året skal ligge mellem {FIRST_YEAR} og {LAST_YEAR}. Skriv datoen som fx 2026-10-01")
        return parsed


JOBS_HELP = "Antal arbejdsprocesser (standard: alle processorkerner)."


def today_option(function: F) -> F:
    """``--today YYYY-MM-DD``: the reference date for every rule (default: the computer's date)."""
    option = click.option(
        "--today", type=IsoDate(), default=None, help="Datoen, alle regler regner fra (standard: dags dato)."
    )
    return option(function)


def resolve_today(value: datetime | None) -> date:
    return value.date() if value is not None else date.today()


def output_options(function: F) -> F:
    """``-o OUTPUT`` or ``--in-place`` (which first writes a backup copy beside the file)."""
    function = click.option(
        "--in-place", is_flag=True, help="Ret selve projektmappen, efter at en sikkerhedskopi er gemt ved siden af den."
    )(function)
    return click.option(
        "-o",
        "--output",
        metavar="FIL",
        type=click.Path(dir_okay=False),
        default=None,
        help="Skriv resultatet i denne nye fil.",
    )(function)


PASSWORD_ENV = "SAMARBEJDE_XL_PASSWORD"
"""Environment variable with the password of encrypted workbooks (used when no option gives one)."""


def settings_option(function: F) -> F:
    """``--settings FILE``: a TOML file with the rules for the whole batch (a workbook's Indstillinger apply on top)."""
    option = click.option(
        "--settings",
        "settings_file",
        metavar="FIL",
        type=click.Path(exists=True, dir_okay=False),
        default=None,
        help=f"TOML-fil med reglerne for hele kørslen (hver projektmappes eget ark {SHEET_SETTINGS} gælder "
        "stadig oven i).",
    )
    return option(function)


def batch_settings(settings_file: str | None) -> Settings:
    """The rules from ``--settings`` (raises SettingsError naming the file and setting), or the defaults."""
    if settings_file is None:
        return DEFAULT_SETTINGS
    return parse_settings_toml(read_user_text(settings_file), source=settings_file)


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
MAX_USER_TEXT_BYTES = 1024 * 1024


def read_user_text(path: str | os.PathLike[str]) -> str:
    """A small text file a user saved (settings, password), in whatever encoding Windows Notepad or an editor
    chose: UTF-8 with or without BOM, UTF-16/32 with BOM, or the Windows code page cp1252. Newlines normalised."""
    name = os.fspath(path)
    try:
        with open(path, "rb") as stream:
            data = stream.read(MAX_USER_TEXT_BYTES + 1)
    except OSError as error:
        raise click.UsageError(printable(f"{name}: filen kan ikke læses ({os_reason(error)})")) from error
    if len(data) > MAX_USER_TEXT_BYTES:
        raise click.UsageError(
            printable(f"{name}: filen er større end 1 MB; det er ikke en indstillings- eller kodeordsfil")
        )
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as error:
                raise click.UsageError(
                    printable(f"{name}: filen kan ikke læses som tekst ({error.reason}). Gem den igen som UTF-8")
                ) from error
            break
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")  # Notepad's "ANSI" on a Danish Windows
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def password_option(function: F) -> F:
    """``--password-file FILE`` / ``--ask-password`` / ``$SAMARBEJDE_XL_PASSWORD``: the password for workbooks saved
    with Excel's "Encrypt with password". The command receives it as ``password`` (``None`` when none is given);
    it is used for the encrypted workbooks only, which are decrypted in memory."""

    @functools.wraps(function)
    def wrapper(*args: Any, password_file: str | None, ask_password: bool, **kwargs: Any) -> Any:
        return function(*args, password=resolve_password(password_file, ask_password), **kwargs)

    wrapper = click.option(
        "--ask-password",
        is_flag=True,
        help="Spørg efter kodeordet til krypterede projektmapper (vises ikke, mens du skriver).",
    )(wrapper)
    wrapper = click.option(
        "--password-file",
        metavar="FIL",
        type=click.Path(exists=True, dir_okay=False),
        default=None,
        help=f"Fil, hvis første linje er kodeordet til krypterede projektmapper (standard: ${PASSWORD_ENV}).",
    )(wrapper)
    return wrapper  # type: ignore[return-value]


def resolve_password(password_file: str | None, ask_password: bool) -> str | None:
    """The password from the file, the prompt or the environment, in that order; ``None`` when none is given."""
    if password_file is not None and ask_password:
        raise click.UsageError("angiv enten --password-file eller --ask-password, ikke begge")
    if password_file is not None:
        return read_user_text(password_file).split("\n", 1)[0]
    if ask_password:
        answer: str = click.prompt("Kodeord", hide_input=True, err=True)
        return answer
    return os.environ.get(PASSWORD_ENV) or None


@contextmanager
def user_errors() -> Iterator[None]:
    """Translate the package's typed errors into click errors with their message (no traceback)."""
    try:
        yield
    except WorkbookError as error:
        raise UnreadableInput(printable(str(error))) from error
    except (SettingsError, OutputChoiceError, OutputRefusedError) as error:
        raise click.UsageError(printable(str(error))) from error
    except SamarbejdeError as error:
        raise click.ClickException(printable(str(error))) from error


def handles_user_errors(function: F) -> F:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with user_errors():
            return function(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def to_json(value: object) -> str:
    def default(item: object) -> object:
        if isinstance(item, date):
            return item.isoformat()
        if isinstance(item, (set, frozenset, tuple)):
            return list(item)
        raise TypeError(f"not JSON serialisable: {type(item).__name__}")

    import json

    return json.dumps(value, default=default, ensure_ascii=False, indent=2)


def format_table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [
        max(len(headers[i]), *(len(row[i]) for row in rows)) if rows else len(headers[i]) for i in range(len(headers))
    ]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines.extend("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows)
    return "\n".join(lines)


def printable(text: str) -> str:
    """Text from workbooks and file names, safe to print: control characters (terminal escapes) and bidirectional
    overrides become '?', bytes that are not UTF-8 become U+FFFD."""
    return display_text(text)


def show_date(value: date | None) -> str:
    return value.strftime("%d-%m-%Y") if value else ""


def terminal_progress(stack: ExitStack, label: str) -> Callable[[int, int], None] | None:
    """A progress bar labelled ``label`` on stderr when it is a terminal; nothing in pipes, logs and tests. The
    callback takes (steps done, steps in total); the bar closes at the last step (or with ``stack``), so bars of
    successive steps follow each other."""
    if not sys.stderr.isatty():
        return None
    bar: Any = None
    own = ExitStack()
    stack.callback(own.close)

    def update(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = own.enter_context(click.progressbar(length=total, label=label, file=sys.stderr))
        bar.update(done - bar.pos)
        if done >= total:
            own.close()

    return update
