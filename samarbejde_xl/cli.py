"""The command line: a thin click layer over ``samarbejde_xl.actions`` and friends.

Exit codes: 0 success, 1 problems found / some files unreadable, 2 usage error or unreadable input.
Each command module under ``samarbejde_xl.commands`` defines its click commands; they are registered below.
"""

from __future__ import annotations

from types import ModuleType

import click

from samarbejde_xl import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="samarbejde-xl")
def cli() -> None:
    """Samarbejdsmodellen in Excel: templates, meeting plans, validation and the leader-group report."""


def _register() -> None:
    # One import and one tuple entry per command module; each module exposes COMMANDS: list[click.Command].
    from samarbejde_xl.commands import addin as addin_commands
    from samarbejde_xl.commands import cases, demo_data, history, lite, template, upgrade
    from samarbejde_xl.commands import consolidate as consolidate_commands

    modules: tuple[ModuleType, ...] = (
        cases,
        template,
        consolidate_commands,
        demo_data,
        addin_commands,
        upgrade,
        lite,
        history,
    )
    for module in modules:
        for command in module.COMMANDS:
            cli.add_command(command)


_register()


def main() -> None:
    cli()
