"""Issue 15 point 5: every command speaks Danish to the people who run it.

The test walks the click group, so a new command or subcommand fails until it has runs here. Each command runs
with ``--help``, on a real workbook (a copy of examples/ or one built for the run) and with typical mistakes:
missing file, a file that is not a workbook, a bad date or option, an output over an input. Everything it prints
(stdout and stderr) is cut into words, after removing what may stay English: option names, file paths, the command
names listed in the help and a short list of product names. click's own usage lines and error messages are Danish
too (samarbejde_xl.cli_danish), and checked the same way. A word left that is on the list of English words in
tests/data/english-words.txt fails the test. JSON output (``--json``) is data for programs and is not checked.
"""

from __future__ import annotations

import ast
import collections
import functools
import hashlib
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from samarbejde_xl import cli_danish, schema
from samarbejde_xl.cli import cli
from samarbejde_xl.core.settings import DEFAULTS

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
ENGLISH_WORDS = frozenset(
    line.strip().lower()
    for line in (Path(__file__).parent / "data" / "english-words.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
)

ALLOWED_NAMES = frozenset(
    word.lower()
    for word in (
        "samarbejde-xl Excel Python xlwings Lite Pyodide LibreOffice Power BI SQLite TOML CSV Parquet JSON PDF "
        "Windows Notepad openpyxl calamine python-calamine pandas click msoffcrypto Office IT UTF sha256 xlam "
        "PowerShell ZIP OLE XML VBA"
    ).split()
)
"""Product and format names users see in Danish text too."""

COMMANDS_LISTED = re.compile(r"^  [a-z][a-z-]*(?=\s{2,}|$)", re.MULTILINE)
"""The command names listed under "Kommandoer:" in the help: names, like option names. Everything else click prints
(usage lines, headings, its error messages) is Danish (samarbejde_xl.cli_danish) and is checked like our own text."""

CODE_TOKENS = (
    re.compile(r"(?<![\w-])--?[a-z][a-z0-9-]*"),  # option names
    re.compile(r"\S*[/\\]\S*"),  # paths
    re.compile(r"\S+\.(xlsx|xlsm|xlam|xls|csv|parquet|toml|sqlite|db|txt|py|bas|cls|xml|ps1|pdf|whl)\b", re.I),
    re.compile(r"\[[a-z0-9_-]+\]"),  # problem codes: [date-text]
    re.compile(r"\bU-\d+\b"),  # pseudonymous ids
    re.compile(r"\b(apt-get|pip) install( -\S+)*( [a-z0-9.-]+)+"),  # install commands to type
    re.compile(r"%[A-Z_]+%"),  # Windows environment variables
    re.compile(r"\$[A-Z_]+"),
)


def english_words(text: str, allowed: frozenset[str] = frozenset()) -> list[str]:
    """The English words in ``text`` after removing what may stay English (see the module's docstring)."""
    for pattern in (COMMANDS_LISTED, *CODE_TOKENS, command_line()):
        text = pattern.sub(" ", text)
    found = []
    for word in re.findall(r"[A-Za-zÆØÅæøåÉé]+(?:_[A-Za-z0-9_]+)?", text):
        lower = word.lower()
        if lower in ALLOWED_NAMES or word in SETTING_KEYS or lower in allowed or (word.isupper() and len(word) > 1):
            continue  # product names, and metavars and abbreviations in capitals (ARBEJDSBOG, CPR)
        if "_" in word or lower in ENGLISH_WORDS:  # snake_case is a programmer's name, never a Danish header
            found.append(word)
    return found


MEETING_CODES = frozenset(schema.MEETING_KIND.codes)
SETTING_KEYS = frozenset(part for key in DEFAULTS for part in key.split("."))
"""The keys of a --settings file are names, like option names."""


@functools.cache
def command_line() -> re.Pattern[str]:
    """The program with the command it names in a sentence ("kør samarbejde-xl validate MAPPE")."""
    words = "|".join(sorted({word for path in leaf_commands() for word in path}, key=len, reverse=True))
    return re.compile(rf"samarbejde-\s*xl(\s+({words})\b){{0,2}}")


def test_the_checker_catches_english() -> None:
    assert english_words("Read 6 workbooks (1 unreadable), 8 young people -> rapport.xlsx") == [
        "Read",
        "workbooks",
        "unreadable",
        "young",
        "people",
    ]
    assert english_words("6 workbook(s): 7 error(s)") == ["workbook", "error"]
    assert english_words("case_id  next_meeting") == ["case_id", "next_meeting"]
    assert english_words("arbejdsbog.xlsx: not a regular file") == ["not", "regular", "file"]


def test_an_english_message_from_a_real_command_fails_the_check(
    inputs: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole path (run, collect stdout and stderr, check) catches what the reviewer found."""
    from samarbejde_xl import consolidation

    monkeypatch.setattr(consolidation.ConsolidationRun, "summary", lambda run: "Read 6 workbooks, 7 errors")
    args = ["consolidate", str(inputs["ex"]), "-o", str(tmp_path / "r.xlsx"), "--no-history", "--today", "2026-10-15"]
    code, output = _invoke(args)
    with pytest.raises(AssertionError, match="Read 6 workbooks"):
        _check(args, code, output, frozenset({0, 1}))


def test_the_checker_leaves_danish_alone_and_catches_clicks_english() -> None:
    danish = "Læste 6 arbejdsbøger, 8 unge, 7 fejl: se arket Datakvalitet, eller kør samarbejde-xl validate MAPPE"
    assert english_words(danish) == []
    click_english = "Usage: samarbejde-xl plan [OPTIONS] WORKBOOK\n\nError: No such option '--bogus'.\n"
    assert english_words(click_english) == ["Usage", "Error", "No", "such", "option"]
    click_danish = "Brug: samarbejde-xl plan [TILVALG] ARBEJDSBOG\n\nFejl: Tilvalget '--bogus' findes ikke.\n"
    assert english_words(click_danish) == []


def _marked_for_translation() -> tuple[set[str], set[tuple[str, str]]]:
    """Every message click's source marks for gettext: ``_("...")`` and ``ngettext("...", "...", n)``."""
    single: set[str] = set()
    plural: set[tuple[str, str]] = set()
    for path in Path(click.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            texts = [arg.value for arg in node.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str)]
            if node.func.id == "_" and texts:
                single.add(texts[0])
            elif node.func.id == "ngettext" and len(texts) >= 2:
                plural.add((texts[0], texts[1]))
    return single, plural


def test_every_message_click_marks_is_danish_or_only_for_programmers() -> None:
    single, plural = _marked_for_translation()
    assert "Usage:" in single and len(single) > 40 and len(plural) >= 5  # the search finds click's messages
    assert sorted(single - cli_danish.DANISH.keys() - cli_danish.NOT_FOR_USERS) == []
    assert sorted(plural - cli_danish.DANISH_PLURALS.keys()) == []
    for english, danish in cli_danish.DANISH.items():  # the same placeholders, none invented
        assert set(re.findall(r"\{(\w+)", danish)) <= set(re.findall(r"\{(\w+)", english)), english
        assert english_words(danish.format_map(collections.defaultdict(str))) == [], danish


@dataclass(frozen=True)
class Run:
    """One invocation: ``args`` with placeholders (below) and the exit codes it may end with."""

    command: str
    args: tuple[str, ...]
    exits: frozenset[int]
    slow: bool = False
    env: tuple[tuple[str, str], ...] = ()


def run(
    command: str, *args: str, exits: tuple[int, ...] = (0,), slow: bool = False, env: dict[str, str] | None = None
) -> Run:
    return Run(command, args, frozenset(exits), slow, tuple((env or {}).items()))


# Placeholders: {wb} a copy of an example workbook, {ex} a copy of examples/, {empty} a workbook without young
# people, {foreign} a text file named .xlsx, {missing} a path that does not exist, {out} a new folder per run.
RUNS: tuple[Run, ...] = (
    run("plan", "{wb}", "--today", "2026-10-01"),
    run("plan", "{empty}", "--today", "2026-10-01"),
    run("plan", "{wb}", "--id", "U-9999", exits=(1,)),
    run("plan", "{wb}", "--today", "01-10-2026", exits=(2,)),
    run("plan", "{foreign}", exits=(2,)),
    run("plan", "{missing}", exits=(2,)),
    run("validate", "{ex}", "--today", "2026-10-01", exits=(0, 1)),
    run("validate", "{empty}", "{foreign}", exits=(2,)),
    run("validate", "{missing}", exits=(2,)),
    run("validate", "{wb}", "--settings", "{foreign}", exits=(2,)),
    run("validate", "{wb}", "--password-file", "{foreign}", "--ask-password", exits=(2,)),
    run("refresh", "{wb}", "-o", "{out}/ny.xlsx", "--today", "2026-10-01"),
    run("refresh", "{wb}", "--in-place", "--today", "2026-10-01"),
    run("refresh", "{wb}", "-o", "{wb}", exits=(2,)),
    run("refresh", "{wb}", exits=(2,)),
    run("refresh", "{foreign}", "-o", "{out}/ny.xlsx", exits=(2,)),
    run("new-case", "{wb}", "-o", "{out}/ny.xlsx", "--today", "2026-10-01"),
    run("new-case", "{wb}", "-o", "{out}/ny.xlsx", "--id", "U-0001", exits=(1,)),
    run("register-meeting", "{wb}", "-o", "{out}/ny.xlsx", "--id", "U-0001", "--today", "2026-10-01"),
    run("register-meeting", "{wb}", "-o", "{out}/ny.xlsx", "--id", "U-9999", exits=(1,)),
    run("register-meeting", "{wb}", "-o", "{out}/ny.xlsx", "--id", "U-0001", "--kind", "fest", exits=(2,)),
    run("overview", "{wb}", "--today", "2026-10-01"),
    run("overview", "{empty}"),
    run("overview", "{foreign}", exits=(2,)),
    run("diagnose", "{wb}"),
    run("diagnose", "{foreign}"),
    run("diagnose"),
    run("help"),
    run("template build", "-o", "{out}/skabelon.xlsx"),
    run("template build", "-o", "{wb}", exits=(2,)),
    run("template survey", "-o", "{out}/vurdering.xlsx"),
    run("template survey", "-o", "{foreign}/x.xlsx", exits=(1,)),
    run("consolidate", "{ex}", "-o", "{out}/rapport.xlsx", "--today", "2026-10-15", "--no-history", exits=(0, 1)),
    run("consolidate", "{ex}", "{foreign}", "-o", "{out}/rapport.xlsx", "--no-history", exits=(1, 2)),
    run("consolidate", "{ex}", "-o", "{wb}", exits=(2,)),
    run("consolidate", "{ex}", "-o", "{out}/r.xlsx", "--from", "2026-02-01", exits=(2,)),
    run("consolidate", "{ex}", "-o", "{out}/r.xlsx", "--from", "2026-05-01", "--to", "2026-04-30", exits=(2,)),
    run("consolidate", "{ex}", "-o", "{out}/r.xlsx", "--quarter", "2026Q5", exits=(2,)),
    run("consolidate", "{ex}", "-o", "{out}/r.xlsx", "--quarter", "2026Q3", "--period", "2026", exits=(2,)),
    run("consolidate", "{missing}", "-o", "{out}/r.xlsx", exits=(2,)),
    run(  # --pdf without LibreOffice on the PATH
        "consolidate",
        "{ex}",
        "-o",
        "{out}/r.xlsx",
        "--no-history",
        "--pdf",
        exits=(1,),
        env={"PATH": ""},
    ),
    run("consolidate", "{empty}", "-o", "{out}/r.txt", exits=(2,)),
    run("consolidate", "{ex}", "-o", "{out}/r.xlsx", "--politicians", "{wb}", exits=(2,)),
    run("consolidate", "{ex}", "-o", "{out}/r.xlsx", "--politicians", "{out}/r.xlsx", exits=(2,)),
    run("demo", "{out}/demo", "--today", "2026-10-15", "-j", "1", exits=(0, 1), slow=True),
    run("demo", "{foreign}", exits=(1, 2)),
    run("demo-data", "{out}/data", "--workbooks", "2", "--cases", "3", "--today", "2026-10-01"),
    run("demo-data", "{out}/data", "--workbooks", "500", "--cases", "500", exits=(2,)),
    run("demo-data", "{foreign}", exits=(1, 2)),
    run("demo-examples", "{out}/eksempler", slow=True),
    run("demo-examples", "{foreign}", exits=(1, 2)),
    run("addin build", "-o", "{out}/dist"),
    run("addin build", "-o", "{foreign}", exits=(1, 2)),
    run("addin bundle", "-o", "{ex}", exits=(1, 2)),
    run("addin bundle", "-o", "{out}/bundle", "--python", "2.7", exits=(1, 2)),
    run("addin generate", "--macros", "{macros}"),
    run("upgrade", "{wb}", "-o", "{out}/ny.xlsx"),
    run("upgrade", "{wb}", "-o", "{wb}", exits=(2,)),
    run("upgrade", "{foreign}", "-o", "{out}/ny.xlsx", exits=(2,)),
    run("lite build", "-o", "{out}/lite"),
    run("lite build", "-o", "{foreign}", exits=(2,)),
    run("history list", "--history", "{history}"),
    run("history list", "--history", "{out}/historik.sqlite", exits=(2,)),
    run("history list", "--history", "{foreign}", exits=(2,)),
    run("history remove", "2026Q3", "--history", "{out}/historik.sqlite", exits=(2,)),
    run("history remove", "2026Q9", "--history", "{out}/historik.sqlite", exits=(2,)),
)


def leaf_commands(group: click.Group = cli, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every command path of the CLI, groups included ('addin', 'addin build', ...)."""
    context = click.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        assert command is not None, name
        yield (*prefix, name)
        if isinstance(command, click.Group):
            yield from leaf_commands(command, (*prefix, name))


COMMAND_PATHS = sorted(" ".join(path) for path in leaf_commands())


def test_every_command_has_runs() -> None:
    groups = {name for name in COMMAND_PATHS if any(other.startswith(name + " ") for other in COMMAND_PATHS)}
    assert sorted({r.command for r in RUNS}) == sorted(set(COMMAND_PATHS) - groups)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory, template_path: Path) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("danish")
    examples = root / "eksempler"
    examples.mkdir()
    for workbook in sorted(EXAMPLES.glob("*.xlsx")):
        shutil.copy(workbook, examples / workbook.name)
    foreign = root / "fremmed.xlsx"
    foreign.write_text("Dette er ikke en arbejdsbog.\n", encoding="utf-8")
    empty = root / "tom.xlsx"
    shutil.copy(template_path, empty)
    macros = root / "makroer"
    shutil.copytree(Path(__file__).resolve().parents[1] / "macros", macros)
    history = root / "historik.sqlite"
    code, output = _invoke(
        [
            "consolidate",
            str(examples),
            "-o",
            str(root / "rapport.xlsx"),
            "--history",
            str(history),
            "--today",
            "2026-10-15",
        ]
    )
    assert code in (0, 1) and history.exists(), output
    return {"ex": examples, "foreign": foreign, "empty": empty, "macros": macros, "history": history, "root": root}


def _expand(args: tuple[str, ...], inputs: dict[str, Path], workbook: Path, out: Path) -> list[str]:
    names = {key: str(value) for key, value in inputs.items()}
    names |= {"wb": str(workbook), "out": str(out), "missing": str(out / "findes-ikke.xlsx")}
    return [arg.format(**names) for arg in args]


def _digest(folder: Path) -> dict[str, str]:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def _invoke(args: list[str], env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, args, prog_name="samarbejde-xl", env=env, catch_exceptions=False)
    return result.exit_code, result.stdout + result.stderr


def _check(args: list[str], code: int, output: str, exits: frozenset[int]) -> None:
    assert "Traceback" not in output, output
    assert output.strip(), f"{args}: silence (say what happened, even when there is nothing to show)"
    assert code in exits, f"{args}: exit {code}\n{output}"
    allowed = MEETING_CODES if args[:1] == ["register-meeting"] else frozenset()
    assert english_words(output, allowed) == [], f"{' '.join(args)}\n{output}"


@pytest.mark.parametrize("path", COMMAND_PATHS)
def test_help_is_danish(path: str) -> None:
    args = [*path.split(), "--help"]
    code, output = _invoke(args)
    _check(args, code, output, frozenset({0}))


def test_top_level_help_and_version_are_danish() -> None:
    for args in ([], ["--help"], ["--version"]):
        code, output = _invoke(args)
        _check(args, code, output, frozenset({0, 2}))


@pytest.mark.parametrize(
    "planned",
    [pytest.param(r, marks=[pytest.mark.slow] if r.slow else []) for r in RUNS],
    ids=[f"{r.command} {' '.join(r.args)}" for r in RUNS],
)
def test_every_run_is_danish(planned: Run, inputs: dict[str, Path], tmp_path: Path) -> None:
    workbook = tmp_path / "vejleder.xlsx"
    shutil.copy(inputs["ex"] / "vejleder-01.xlsx", workbook)
    before = _digest(inputs["root"])
    args = [*planned.command.split(), *_expand(planned.args, inputs, workbook, tmp_path)]
    code, output = _invoke(args, dict(planned.env))
    _check(args, code, output, planned.exits)
    if planned.command != "addin generate":  # the one command whose job is to rewrite its folder
        assert _digest(inputs["root"]) == before, "a command changed one of its inputs"
