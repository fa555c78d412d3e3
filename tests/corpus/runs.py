"""Run the CLI's reading commands over the corpus once per session and record what happened.

``test_corpus`` checks that no run ended in a traceback; ``test_nothing_lost`` that no input changed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from click.testing import CliRunner

from samarbejde_xl.cli import cli

from .build import TODAY, Variant

TODAY_OPTION = ("--today", TODAY.isoformat())
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@dataclass(frozen=True)
class CommandRun:
    command: str
    subject: str  # variant name, or "corpus" / "examples" for the batch runs
    args: tuple[str, ...]
    exit_code: int
    output: str  # stdout and stderr as the user sees them
    exception: BaseException | None

    @property
    def traceback_free(self) -> bool:
        crashed = self.exception is not None and not isinstance(self.exception, SystemExit)
        return not crashed and "Traceback" not in self.output


@dataclass
class CorpusRuns:
    runs: list[CommandRun] = field(default_factory=list)
    hashes_before: dict[Path, str] = field(default_factory=dict)
    hashes_after: dict[Path, str] = field(default_factory=dict)

    def of(self, command: str) -> list[CommandRun]:
        return [run for run in self.runs if run.command == command]


def file_hashes(roots: Iterable[Path]) -> dict[Path, str]:
    """sha256 of every file under ``roots`` (files or folders)."""
    hashes: dict[Path, str] = {}
    for root in roots:
        files = [root] if root.is_file() else sorted(path for path in root.rglob("*") if path.is_file())
        for path in files:
            hashes[path] = hashlib.sha256(path.read_bytes()).hexdigest()
    return hashes


def _invoke(runner: CliRunner, command: str, subject: str, args: Sequence[str]) -> CommandRun:
    result = runner.invoke(cli, [command, *args], catch_exceptions=True)
    return CommandRun(command, subject, tuple(args), result.exit_code, result.output, result.exception)


READING_COMMANDS = ("validate", "plan", "consolidate")
WRITING_COMMANDS = ("refresh",)


def run_commands(
    variants: Sequence[Variant], corpus_folder: Path, out_dir: Path, commands: Sequence[str] = READING_COMMANDS
) -> CorpusRuns:
    """``commands`` over every variant (validate, plan, refresh -o), the whole corpus and the examples (validate,
    consolidate), with the hashes of every input file before and after."""
    runner = CliRunner()
    inputs = [corpus_folder, EXAMPLES]
    runs = CorpusRuns(hashes_before=file_hashes(inputs))
    out_dir.mkdir(parents=True, exist_ok=True)
    examples = sorted(EXAMPLES.glob("*.xlsx"))
    subjects = [(variant.name, variant.path, variant.companions) for variant in variants]
    subjects += [(f"examples/{path.name}", path, ()) for path in examples]
    for name, path, companions in subjects:
        if "validate" in commands:
            runs.runs.append(_invoke(runner, "validate", name, [*TODAY_OPTION, str(path), *map(str, companions)]))
        if "plan" in commands:
            runs.runs.append(_invoke(runner, "plan", name, [*TODAY_OPTION, str(path)]))
        if "refresh" in commands:
            output = out_dir / f"{name.replace('/', '-')}-opdateret.xlsx"
            runs.runs.append(_invoke(runner, "refresh", name, [*TODAY_OPTION, str(path), "-o", str(output)]))
    for name, folder in (("corpus", corpus_folder), ("examples", EXAMPLES)):
        if "validate" in commands:
            runs.runs.append(_invoke(runner, "validate", name, [*TODAY_OPTION, str(folder)]))
        if "consolidate" in commands:
            report = out_dir / f"rapport-{name}.xlsx"
            consolidate_args = [*TODAY_OPTION, "--no-history", "-j", "1", "-o", str(report), str(folder)]
            runs.runs.append(_invoke(runner, "consolidate", name, consolidate_args))
    runs.hashes_after = file_hashes(inputs)
    return runs
