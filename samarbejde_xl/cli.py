"""The command line: a thin click layer over ``samarbejde_xl.actions`` and friends.

Exit codes: 0 success, 1 problems found / some files unreadable, 2 usage error or unreadable input.
Each command module under ``samarbejde_xl.commands`` defines its click commands in ``COMMANDS``; ``COMMAND_MODULES``
below says which module holds which command. A module is imported only when one of its commands runs (or help lists
them all): ``validate`` must not wait for the modules of the report, the add-in or the demo (issue 17).
"""

from __future__ import annotations

import importlib

import click

from samarbejde_xl import __version__, cli_danish

cli_danish.install()  # click's own usage lines and error messages in Danish

COMMAND_MODULES: dict[str, str] = {
    **dict.fromkeys(
        ("plan", "validate", "refresh", "new-case", "register-meeting", "overview", "diagnose", "help"), "cases"
    ),
    "template": "template",
    "consolidate": "consolidate",
    "demo": "consolidate",
    **dict.fromkeys(("demo-data", "demo-examples"), "demo_data"),
    "addin": "addin",
    "upgrade": "upgrade",
    "lite": "lite",
    "history": "history",
}
"""Command name -> module under ``samarbejde_xl.commands`` (tests check it against each module's COMMANDS)."""


class _LazyGroup(click.Group):
    """Imports a command's module only when the command is looked up."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMAND_MODULES, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMAND_MODULES:
            module = importlib.import_module(f"samarbejde_xl.commands.{COMMAND_MODULES[cmd_name]}")
            for command in module.COMMANDS:
                danish_help_option(command)
                self.add_command(command)
        return self.commands.get(cmd_name)


HELP_TEXT = "Vis denne hjælp og afslut."


def danish_help_option(command: click.Command) -> None:
    """Give ``command`` and its subcommands -h as well as --help, and Danish placeholders in their usage lines."""
    if command.add_help_option:
        command.add_help_option = False
        click.help_option("-h", "--help", help=HELP_TEXT)(command)
    command.options_metavar = cli_danish.OPTIONS_METAVAR
    if isinstance(command, click.Group):
        command.subcommand_metavar = cli_danish.SUBCOMMAND_METAVAR
    for subcommand in getattr(command, "commands", {}).values():
        danish_help_option(subcommand)


@click.group(
    cls=_LazyGroup,
    add_help_option=False,
    options_metavar=cli_danish.OPTIONS_METAVAR,
    subcommand_metavar=cli_danish.SUBCOMMAND_METAVAR,
)
@click.help_option("-h", "--help", help=HELP_TEXT)
@click.version_option(
    __version__, prog_name="samarbejde-xl", message="%(prog)s version %(version)s", help="Vis versionen og afslut."
)
def cli() -> None:
    """Samarbejdsmodellen i Excel: skabeloner, mødeplaner, validering og ledergruppens kvartalsrapport."""


def main() -> None:
    cli()
